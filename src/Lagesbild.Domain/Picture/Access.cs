using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Picture;

/// <summary>
/// Who may do what: the one place that decides, for HTTP and hub alike, whether an actor
/// may send a command to an entity. A refusal says why, in the actor's terms.
/// </summary>
public static class Access
{
    /// <param name="entityDistrict">The district the entity belongs to (a point's district, a district itself, a local crisis body's district).</param>
    /// <param name="outsideOfficeHours">TiB may act for any district outside office hours.</param>
    /// <param name="state">The entity's current state (TiB may not lower a level others decided).</param>
    public static Refusal? Check(Actor actor, EntityRef entity, string? entityDistrict, Command command, bool outsideOfficeHours, object? state = null)
    {
        // The city's configuration (its districts, sectors, crisis bodies, the city itself) comes
        // from maps/; people register trygghetspunkter, nothing else.
        if (command.Creates && command is not RegisterSafetyPoint && actor.Role != Roles.System)
            return Forbidden("Stadsdelsområden, sektorer, krisledningsorgan och staden kommer från stadens konfiguration (maps/config), inte från ett kommando.");
        switch (actor.Role)
        {
            case Roles.Central or Roles.System:
                return null;
            case Roles.District when actor.District is null:
                return Forbidden("Rollen stadsdelsoperatör saknar stadsdelsområde i inloggningen.");
            case Roles.District:
                if (IsDistrictMatter(entity, command) && entityDistrict == actor.District)
                    return null;
                return Forbidden(IsDistrictMatter(entity, command)
                    ? $"{actor.Name} får bara ändra i sitt eget stadsdelsområde ({actor.District}), inte i {entityDistrict}."
                    : $"En stadsdelsoperatör får inte {Change(entity, command)}.");
            case Roles.Sector when actor.Sector is null:
                return Forbidden("Rollen sektorsansvarig saknar sektor i inloggningen.");
            case Roles.Sector:
                if (entity.Kind == EntityKind.Sector && command is ReportSectorStatus && entity.Id == actor.Sector)
                    return null;
                return Forbidden(entity.Kind == EntityKind.Sector && command is ReportSectorStatus
                    ? $"{actor.Name} rapporterar för sektorn {actor.Sector}, inte för {entity.Id}."
                    : $"En sektorsansvarig får bara rapportera sin sektors läge, inte {Change(entity, command)}.");
            case Roles.DutyOfficer:
                return DutyOfficer(entity, command, outsideOfficeHours, state);
            case Roles.Observer:
                return Forbidden("Samverkanspartner ser lägesbilden men ändrar ingenting.");
            default:
                return Forbidden("Den här rollen får inte ändra lägesbilden.");
        }
    }

    /// <summary>
    /// Whether the actor may take a picture's whole loggbok out as a file, or bring one in as a
    /// new picture: the file holds every internal note, and an import makes a picture of its own.
    /// </summary>
    public static Refusal? CheckPictureFile(Actor actor) => actor.Role is Roles.Central
        ? null
        : Forbidden("Bara central krisledning får exportera en lägesbilds loggbok som fil eller importera en.");

    private static Refusal? DutyOfficer(EntityRef entity, Command command, bool outsideOfficeHours, object? state)
    {
        switch (command)
        {
            // Nor may TiB undo a higher level that krisledningsnämnden or the government decided.
            case ChangeCityLevel when state is CityState { Level: > EscalationLevel.SocietalDisturbance } city:
                return Forbidden($"Staden är på nivån {CityRules.Describe(city.Level)}, beslutad av {city.DecidedBy}; TiB kan inte ändra den. Det gör central krisledning.");
            // TiB may raise the city to samhällsstörning (or back) on their own mandate; the
            // higher steps are decisions of krisledningsnämnden or the government, recorded by
            // central krisledning.
            case ChangeCityLevel { Level: EscalationLevel.Normal or EscalationLevel.SocietalDisturbance }:
                return null;
            case ChangeCityLevel:
                return Forbidden("TiB får höja till samhällsstörning; högre nivåer beslutas av krisledningsnämnden eller regeringen och förs in av central krisledning.");
            // TiB may start central krisledning and keeps their own body's details.
            case CrisisBodyCommand when entity.Id is "central-krisledning" or "tib":
                return null;
        }
        if (IsDistrictMatter(entity, command))
        {
            return outsideOfficeHours
                ? null
                : Forbidden("Under kontorstid sköter stadsdelsförvaltningen sitt område; TiB får agera för alla stadsdelsområden utanför kontorstid.");
        }
        return Forbidden($"TiB får inte {Change(entity, command)}.");
    }

    /// <summary>What belongs to a district: its points, itself, and its local crisis management.</summary>
    private static bool IsDistrictMatter(EntityRef entity, Command command) => entity.Kind switch
    {
        EntityKind.SafetyPoint => command is SafetyPointCommand,
        EntityKind.District => command is SetDistrictSituation or ChangeDistrictLocalLevel or SetDistrictDutyContact,
        EntityKind.CrisisBody => command is ChangeCrisisBodyActivation or SetCrisisBodyOnDuty or ScheduleCrisisBodyMeeting && entity.Id.StartsWith("lokal-", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The district an entity belongs to, for scoping; a registration names it in the command.</summary>
    public static string? DistrictOf(EntityRef entity, Command command, object? state) => (entity.Kind, state, command) switch
    {
        (EntityKind.District, _, _) => entity.Id,
        (EntityKind.SafetyPoint, SafetyPointState point, _) => point.District,
        (EntityKind.SafetyPoint, null, RegisterSafetyPoint register) => register.District,
        (EntityKind.CrisisBody, CrisisBodyState body, _) => body.District,
        (EntityKind.CrisisBody, null, RegisterCrisisBody register) => register.District,
        _ => null,
    };

    /// <summary>What the command would do, for a refusal: a registration names no thing yet, so the same words hold for any id.</summary>
    private static string Change(EntityRef entity, Command command) =>
        command is RegisterSafetyPoint ? "registrera trygghetspunkter" : $"ändra {Describe(entity)}";

    private static string Describe(EntityRef entity) => entity.Kind switch
    {
        EntityKind.City => "stadens nivå",
        EntityKind.District => $"stadsdelsområdet {entity.Id}",
        EntityKind.SafetyPoint => $"trygghetspunkten {entity.Id}",
        EntityKind.Sector => $"sektorn {entity.Id}",
        EntityKind.CrisisBody => $"krisledningsorganet {entity.Id}",
        _ => entity.ToString(),
    };

    private static Refusal Forbidden(string reason) => new(RefusalKind.Forbidden, reason);
}
