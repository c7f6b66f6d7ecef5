using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>The rules of a trygghetspunkt: state + command → change, or a refusal that says why.</summary>
public static class SafetyPointRules
{
    /// <summary>Which status may follow which; anything else makes no sense and is refused.</summary>
    public static readonly ImmutableDictionary<SafetyPointStatus, ImmutableArray<SafetyPointStatus>> Transitions =
        new Dictionary<SafetyPointStatus, ImmutableArray<SafetyPointStatus>>
        {
            [SafetyPointStatus.Inactive] = [SafetyPointStatus.Activating],
            // Activation can be called off before the doors open.
            [SafetyPointStatus.Activating] = [SafetyPointStatus.Open, SafetyPointStatus.Limited, SafetyPointStatus.Inactive],
            [SafetyPointStatus.Open] = [SafetyPointStatus.Limited, SafetyPointStatus.Closing],
            [SafetyPointStatus.Limited] = [SafetyPointStatus.Open, SafetyPointStatus.Closing],
            // A closing point can be kept open when the disruption flares up again.
            [SafetyPointStatus.Closing] = [SafetyPointStatus.Closed, SafetyPointStatus.Open],
            [SafetyPointStatus.Closed] = [SafetyPointStatus.Activating, SafetyPointStatus.Inactive],
        }.ToImmutableDictionary();

    /// <summary>
    /// The statuses in which a point is in operation: residents may come, and it is expected to
    /// report. The public view lists these, and the page marks them stale when they fall quiet.
    /// </summary>
    public static readonly ImmutableArray<SafetyPointStatus> InOperation =
        [SafetyPointStatus.Activating, SafetyPointStatus.Open, SafetyPointStatus.Limited, SafetyPointStatus.Closing];

    public static bool CanMove(SafetyPointStatus from, SafetyPointStatus to) =>
        Transitions.TryGetValue(from, out var next) && next.Contains(to);

    public static Decision<SafetyPointState> Decide(EntityRef self, SafetyPointState? state, SafetyPointCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
            return command is RegisterSafetyPoint register ? Register(register, context) : Refusal.NotFound(self);

        return command switch
        {
            RegisterSafetyPoint => Refusal.Conflict($"{self} finns redan."),
            UpdateSafetyPointDetails details => UpdateDetails(state, details, context),
            ChangeSafetyPointStatus status => ChangeStatus(state, status),
            SetSafetyPointCapabilities capabilities => Decision<SafetyPointState>.Accept(
                new SafetyPointCapabilitiesSet(capabilities.Capabilities!),
                state with { Capabilities = capabilities.Capabilities! }),
            ReportSafetyPointResources resources => ReportResources(state, resources),
            ReportSafetyPointVisitors visitors => ReportVisitors(state, visitors, context),
            ReportSafetyPointCondition condition => ReportCondition(state, condition, context),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown safety point command."),
        };
    }

    private static Decision<SafetyPointState> Register(RegisterSafetyPoint command, DecideContext context)
    {
        if (PositionProblem(command.District!, command.Position!, context) is { } problem)
            return problem;
        var offered = command.Capabilities ?? [];
        var state = new SafetyPointState(
            command.District!,
            command.Name!.Trim(),
            command.Address!.Trim(),
            command.Position!,
            command.Tier!.Value,
            command.Capacity!.Value,
            SafetyPointStatus.Inactive,
            Limitations: null,
            offered.ToImmutableSortedDictionary(c => c, _ => CapabilityState.Available),
            SafetyPointResources.None(command.BackupPower ?? false),
            Visitors: 0,
            command.Example ?? false,
            (command.ResidentInfo ?? ResidentInfo.None).Cleaned());
        return Decision<SafetyPointState>.Accept(
            new SafetyPointRegistered(state.District, state.Name, state.Address, state.Position, state.Tier, state.Capacity, state.ResidentInfo), state);
    }

    private static Refusal? PositionProblem(string district, GeoPosition position, DecideContext context)
    {
        if (!context.Areas.DistrictExists(district))
            return Refusal.Invalid(new Dictionary<string, string[]> { ["district"] = [$"Stadsdelsområdet '{district}' finns inte."] });
        if (!context.Areas.Contains(district, position.Lon, position.Lat))
            return Refusal.Invalid(new Dictionary<string, string[]>
            {
                ["position"] = [$"Positionen ({position.Lon}, {position.Lat}) ligger utanför stadsdelsområdet '{district}'."],
            });
        return null;
    }

    private static Decision<SafetyPointState> UpdateDetails(SafetyPointState state, UpdateSafetyPointDetails command, DecideContext context)
    {
        if (command.Position is { } position && PositionProblem(state.District, position, context) is { } problem)
            return problem;
        var next = state with
        {
            Name = command.Name?.Trim() ?? state.Name,
            Address = command.Address?.Trim() ?? state.Address,
            Position = command.Position ?? state.Position,
            Tier = command.Tier ?? state.Tier,
            Capacity = command.Capacity ?? state.Capacity,
            ResidentInfo = command.ResidentInfo is { } info ? state.ResidentInfo.With(info) : state.ResidentInfo,
        };
        if (next == state)
            return Refusal.Conflict("Uppgifterna är redan de angivna; inget ändrades.");
        return Decision<SafetyPointState>.Accept(
            new SafetyPointDetailsUpdated(command.Name, command.Address, command.Position, command.Tier, command.Capacity,
                next.ResidentInfo.ChangedFrom(state.ResidentInfo) is { IsEmpty: false } changed ? changed : null), next);
    }

    private static Decision<SafetyPointState> ChangeStatus(SafetyPointState state, ChangeSafetyPointStatus command)
    {
        var to = command.Status!.Value;
        var limitations = string.IsNullOrWhiteSpace(command.Limitations) ? null : command.Limitations.Trim();
        if (to == state.Status && to == SafetyPointStatus.Limited && limitations is not null && limitations != state.Limitations)
        {
            // Updating what is limited while staying limited is a real change worth logging.
            return Decision<SafetyPointState>.Accept(
                new SafetyPointStatusChanged(state.Status, to, limitations), state with { Limitations = limitations });
        }
        if (to == state.Status && to == SafetyPointStatus.Limited && limitations is null)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["limitations"] = ["Ange vad som är begränsat."] });
        if (to == state.Status)
        {
            var possible = string.Join(", ", Transitions[state.Status].Select(Describe));
            return Refusal.Conflict($"Trygghetspunkten är redan {Describe(to)}. Möjligt nu: {possible}.");
        }
        if (!CanMove(state.Status, to))
        {
            var allowed = string.Join(", ", Transitions[state.Status].Select(Describe));
            return Refusal.Conflict($"En trygghetspunkt som är {Describe(state.Status)} kan inte bli {Describe(to)}. Möjligt nu: {allowed}.");
        }
        if (to == SafetyPointStatus.Limited && limitations is null)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["limitations"] = ["Ange vad som är begränsat."] });
        if (ClosingProblem(state, to, command) is { } closing)
            return closing;

        var referredTo = string.IsNullOrWhiteSpace(command.ReferredTo) ? null : command.ReferredTo.Trim();
        var next = state with
        {
            Status = to,
            Limitations = to == SafetyPointStatus.Limited ? limitations : null,
            // Where visitors were sent holds while the point closes and stays closed; reopening starts afresh.
            ReferredTo = to is SafetyPointStatus.Closing or SafetyPointStatus.Closed ? referredTo ?? state.ReferredTo : null,
        };
        return Decision<SafetyPointState>.Accept(new SafetyPointStatusChanged(state.Status, to, next.Limitations, referredTo), next);
    }

    /// <summary>
    /// People are never closed in or turned out unaccounted for: a point with visitors says where
    /// they are referred when it starts closing, and closes only once nobody is registered inside.
    /// </summary>
    private static Refusal? ClosingProblem(SafetyPointState state, SafetyPointStatus to, ChangeSafetyPointStatus command)
    {
        if (to is SafetyPointStatus.Closed or SafetyPointStatus.Inactive && state.Visitors > 0)
            return Refusal.Conflict($"Det finns {state.Visitors} registrerade besökare i trygghetspunkten. Hänvisa dem och rapportera 0 besökare innan den stängs.");
        if (to == SafetyPointStatus.Closing && state.Visitors > 0 && string.IsNullOrWhiteSpace(command.ReferredTo))
        {
            return Refusal.Invalid(new Dictionary<string, string[]>
            {
                ["referredTo"] = [$"Ange vart de {state.Visitors} besökarna hänvisas när punkten stängs."],
            });
        }
        return null;
    }

    private static Decision<SafetyPointState> ReportResources(SafetyPointState state, ReportSafetyPointResources command)
    {
        var resources = new SafetyPointResources(
            command.BackupPower!, command.WaterLitres!.Value, command.Staff!.Value, command.FrgVolunteers!.Value, command.Radios!.Value);
        return Decision<SafetyPointState>.Accept(new SafetyPointResourcesReported(resources), state with { Resources = resources });
    }

    private static Decision<SafetyPointState> ReportVisitors(SafetyPointState state, ReportSafetyPointVisitors command, DecideContext context)
    {
        var visitors = command.Visitors!.Value;
        if (visitors > 0 && state.Status is not (SafetyPointStatus.Open or SafetyPointStatus.Limited or SafetyPointStatus.Closing))
            return Refusal.Conflict($"En trygghetspunkt som är {Describe(state.Status)} kan inte ha besökare.");
        // More visitors than capacity is allowed: it is a fact the crisis team must see, not a typing error.
        return Decision<SafetyPointState>.Accept(new SafetyPointVisitorsReported(visitors, state.Capacity), state with
        {
            Visitors = visitors,
            // A count of visitors is the capacity status's report: it dates it.
            Condition = state.Condition.Stamped(ConditionKind.Capacity, Stamp(context)),
        });
    }

    private static Decision<SafetyPointState> ReportCondition(SafetyPointState state, ReportSafetyPointCondition command, DecideContext context)
    {
        var stamp = Stamp(context);
        return Decision<SafetyPointState>.Accept(
            new SafetyPointConditionReported(SafetyPointCondition.None.With(command, stamp)),
            state with { Condition = state.Condition.With(command, stamp) });
    }

    private static StatusReport Stamp(DecideContext context) => new(context.Actor?.Name ?? "okänd", context.Now);

    public static string Describe(SafetyPointStatus status) => status switch
    {
        SafetyPointStatus.Inactive => "vilande",
        SafetyPointStatus.Activating => "under aktivering",
        SafetyPointStatus.Open => "öppen",
        SafetyPointStatus.Limited => "öppen med begränsningar",
        SafetyPointStatus.Closing => "under stängning",
        SafetyPointStatus.Closed => "stängd",
        _ => status.ToString(),
    };
}
