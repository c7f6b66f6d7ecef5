using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.Resources;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Picture;

/// <summary>
/// What one person may do to each thing in a picture now, asked of <see cref="Access.Check"/>
/// (the one place that decides) command by command, so the page greys out exactly what the
/// server would refuse and says why in the server's words, with no copy of the rules.
/// </summary>
public static class Permissions
{
    /// <summary>Every command a person can send, by the kind of thing it changes (the city's configuration is registered by Lagesbild itself).</summary>
    public static readonly IReadOnlyDictionary<EntityKind, IReadOnlyList<Type>> CommandsByKind =
        typeof(Command).GetCustomAttributes<JsonDerivedTypeAttribute>()
            .Select(attribute => attribute.DerivedType)
            .Select(type => (Type: type, Probe: (Command)RuntimeHelpers.GetUninitializedObject(type)))
            .Where(command => !command.Probe.Creates || command.Type == typeof(RegisterSafetyPoint))
            .GroupBy(command => command.Probe.Kind)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<Type>)group.Select(c => c.Type).ToArray());

    /// <summary>For one existing thing: each command's refusal, or null where the person may send it.</summary>
    public static IReadOnlyDictionary<string, Refusal?> ForEntity(Actor actor, EntityRef entity, object? state, bool outsideOfficeHours)
    {
        var verdicts = new SortedDictionary<string, Refusal?>(StringComparer.Ordinal);
        foreach (var type in CommandsByKind.GetValueOrDefault(entity.Kind, []))
        {
            // Registering is asked per district (ForRegistration), and the city per level (ForCityLevels).
            if (type == typeof(RegisterSafetyPoint) || type == typeof(ChangeCityLevel))
                continue;
            var probe = Probe(type);
            verdicts[type.Name] = Access.Check(actor, entity, Access.DistrictOf(entity, probe, state), probe, outsideOfficeHours, state);
        }
        return verdicts;
    }

    /// <summary>Whether the person may register a trygghetspunkt in each district.</summary>
    public static IReadOnlyDictionary<string, Refusal?> ForRegistration(Actor actor, IEnumerable<string> districts, bool outsideOfficeHours) =>
        districts.ToDictionary(district => district, district =>
        {
            var register = new RegisterSafetyPoint(district, null, null, null, null, null, null, null, null);
            return Access.Check(actor, new EntityRef(EntityKind.SafetyPoint, "ny"), district, register, outsideOfficeHours);
        });

    /// <summary>Whether the person may move the city to each level, given the level it is at.</summary>
    public static IReadOnlyDictionary<EscalationLevel, Refusal?> ForCityLevels(Actor actor, EntityRef city, CityState? state, bool outsideOfficeHours) =>
        Enum.GetValues<EscalationLevel>().ToDictionary(level => level, level =>
            Access.Check(actor, city, null, new ChangeCityLevel(level, null), outsideOfficeHours, state));

    /// <summary>
    /// Whether the person may record a beslut on each mandate, for the whole city (key: the mandate)
    /// and for each district (key: <c>mandate/district</c>): a stadsdelsdirektör decides for her own district only.
    /// </summary>
    public static IReadOnlyDictionary<string, Refusal?> ForResolutions(Actor actor, IEnumerable<string> districts)
    {
        Refusal? Verdict(Mandate mandate, string? district) =>
            Access.Check(actor, new EntityRef(EntityKind.Resolution, "ny"), district,
                new RecordResolution(null, null, mandate, null, null, District: district), outsideOfficeHours: false);
        var all = districts.ToArray();
        return Enum.GetValues<Mandate>()
            .SelectMany(mandate => all.Select(district => ($"{mandate}/{district}", Verdict(mandate, district))).Prepend((mandate.ToString(), Verdict(mandate, null))))
            .ToDictionary(v => v.Item1, v => v.Item2);
    }

    /// <summary>Whether the person may give uppdrag.</summary>
    public static Refusal? ForSendingAssignments(Actor actor) =>
        Access.Check(actor, new EntityRef(EntityKind.Assignment, "ny"), null, new SendAssignment(null, null, null, null), outsideOfficeHours: false);

    /// <summary>Whether the person may write the lägesrapport of each reporter (its stream id, e.g. <c>district-farsta</c>), sent yet or not.</summary>
    public static IReadOnlyDictionary<string, Refusal?> ForReports(Actor actor, IEnumerable<string> streams) =>
        streams.ToDictionary(stream => stream, stream =>
            Access.Check(actor, new EntityRef(EntityKind.SituationReport, stream), null, new SubmitSituationReport(null), outsideOfficeHours: false));

    /// <summary>Whether the person may ask for lägesrapporter (a district: of its own units).</summary>
    public static Refusal? ForRequestingReports(Actor actor) =>
        Access.Check(actor, new EntityRef(EntityKind.ReportRequest, "ny"), null, new RequestSituationReport(null, null, null), outsideOfficeHours: false);

    /// <summary>Whether the person may ask for resources for the points of each district.</summary>
    public static IReadOnlyDictionary<string, Refusal?> ForResourceRequests(Actor actor, IEnumerable<string> districts, bool outsideOfficeHours) =>
        districts.ToDictionary(district => district, district =>
            Access.Check(actor, new EntityRef(EntityKind.ResourceRequest, "ny"), district, new RequestResource(null, null, null, null), outsideOfficeHours));

    /// <summary>Whether the person may register resources.</summary>
    public static Refusal? ForRegisteringResources(Actor actor) =>
        Access.Check(actor, new EntityRef(EntityKind.Resource, "ny"), null, new RegisterResource(null, null, null), outsideOfficeHours: false);

    /// <summary>
    /// A stand-in for a command of a type, as <see cref="Access.Check"/> sees it: who may send
    /// it depends on its type and the thing it changes, not on its fields.
    /// </summary>
    private static Command Probe(Type type) => (Command)RuntimeHelpers.GetUninitializedObject(type);
}
