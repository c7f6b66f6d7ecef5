using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.Resources;
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
        // An alert is raised, escalated and cleared by Lagesbild's rules; its recipient acknowledges it.
        if (command is AlertCommand)
            return Alerts(actor, command, state);
        // An exercise's clock, its inspel and its motspel are exercise control's; a message is read by the desk it is to.
        if (command is Exercises.ExerciseCommand or Exercises.PostMessage)
            return ExerciseRun(actor, command);
        // An exercise's evaluation is exercise control's and its evaluators'.
        if (command is Exercises.EvaluationCommand)
            return Evaluation(actor);
        if (command is Exercises.ReadMessage)
            return actor.Role == Roles.System || state is Exercises.MessageState message && IsReceiver(actor, message.To)
                ? null
                : Forbidden(state is Exercises.MessageState to ? $"Meddelandet är till {DescribeAssignee(to.To)}; bara mottagaren markerar det som läst." : "Bara mottagaren markerar ett meddelande som läst.");
        // The city's configuration (its districts, sectors, crisis bodies, the city itself) comes
        // from maps/; people register trygghetspunkter, nothing else.
        if (command.Creates && command is not (RegisterSafetyPoint or ResolutionCommand or SendAssignment or RequestSituationReport or RegisterResource or RequestResource) && actor.Role != Roles.System)
            return Forbidden("Stadsdelsområden, sektorer, krisledningsorgan och staden kommer från stadens konfiguration (maps/config), inte från ett kommando.");
        // Beslut follow mandates and uppdrag their sender and receiver, not the role's usual reach.
        if (actor.Role is not (Roles.System or Roles.Observer or Roles.Public) && command is ChangeCityLevel or ResolutionCommand or AssignmentCommand)
            return Mandates(actor, command, state);
        // Lägesrapporter are written by the desk that reports, whatever its role's usual reach.
        if (actor.Role is not (Roles.System or Roles.Observer or Roles.Public) && command is SituationReportCommand or ReportRequestCommand)
            return Reports(actor, entity, command, state);
        if (actor.Role is not (Roles.Observer or Roles.Public) && command is DutyRosterCommand)
            return DutyRoster(actor, entity);
        if (actor.Role is not (Roles.System or Roles.Observer or Roles.Public) && command is ResourceCommand or ResourceRequestCommand)
            return Resources(actor, command, entityDistrict, outsideOfficeHours);
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
            case Roles.Chair:
                return Forbidden("Krisledningsnämndens ordförande beslutar om extraordinär händelse och för in sina beslut och uppdrag; övriga ändringar gör central krisledning och förvaltningarna.");
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

    /// <summary>
    /// Whether the actor may run an exercise (övningsledning): describe it, invite its participants,
    /// read and change its scenario. Central krisledning runs exercises; the scenario is secret to the
    /// participants until each inspel is delivered, and the live picture has none.
    /// </summary>
    public static Refusal? CheckExerciseControl(Actor actor, string picture)
    {
        if (!PictureId.IsExercise(picture))
            return new Refusal(RefusalKind.Conflict, "Den levande lägesbilden är ingen övning; scenario och övningsledning finns bara i en övning (ex-…).");
        return actor.Role is Roles.Central
            ? null
            : Forbidden("Bara övningsledningen (central krisledning) leder en övning och ser dess scenario.");
    }

    /// <summary>Exercise control runs the clock, skips, delays and sends inspel and plays motspel; that an inspel was delivered Lagesbild records itself.</summary>
    private static Refusal? ExerciseRun(Actor actor, Command command) => actor.Role switch
    {
        Roles.System => null,
        _ when command is Exercises.RecordInjectDelivered => Forbidden("Att ett inspel levererats registrerar Lagesbild själv; övningsledningen skickar det för hand."),
        Roles.Central => null,
        _ => Forbidden("Bara övningsledningen (central krisledning) styr övningens klocka och inspel och spelar motspel."),
    };

    /// <summary>Exercise control (central krisledning) and the evaluators note observations, rate the objectives and record improvement items.</summary>
    private static Refusal? Evaluation(Actor actor) => actor.Role is Roles.Central or Roles.Evaluator or Roles.System
        ? null
        : Forbidden("Bara övningsledningen och utvärderarna noterar observationer, bedömer övningsmålen och för in förbättringsåtgärder.");

    /// <summary>
    /// Whether the actor may read an exercise's evaluation and its after-action report (utvärderingsrapport):
    /// exercise control and the evaluators; the live picture has none.
    /// </summary>
    public static Refusal? CheckEvaluation(Actor actor, string picture)
    {
        if (!PictureId.IsExercise(picture))
            return new Refusal(RefusalKind.Conflict, "Den levande lägesbilden är ingen övning; utvärdering och utvärderingsrapport finns bara i en övning (ex-…).");
        return Roles.SeesEvaluation(actor.Role)
            ? null
            : Forbidden("Utvärderingen och utvärderingsrapporten läses av övningsledningen och utvärderarna, inte av övningens deltagare.");
    }

    /// <summary>Whether the actor may give an event kind's default task list to the affected districts: central krisledning leads the city's response.</summary>
    public static Refusal? CheckTaskList(Actor actor) => actor.Role is Roles.Central or Roles.System
        ? null
        : Forbidden("Bara central krisledning ger en händelsetyps uppdragslista till de berörda stadsdelsområdena; enskilda uppdrag ger du i uppdragspanelen.");

    private static Refusal? DutyOfficer(EntityRef entity, Command command, bool outsideOfficeHours, object? state)
    {
        switch (command)
        {
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
        (EntityKind.Message, Exercises.MessageState message, _) => message.District,
        (EntityKind.CrisisBody, null, RegisterCrisisBody register) => register.District,
        (EntityKind.DutyRoster, _, _) => DutyRosterRules.DistrictOf(entity.Id),
        (EntityKind.ResourceRequest, ResourceRequestState request, _) => request.District,
        (EntityKind.Resource, ResourceState { Assignment: { } assignment }, _) => assignment.District,
        (EntityKind.Alert, AlertState alert, _) => alert.District,
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
        EntityKind.DutyRoster => $"beredskapsschemat {entity.Id}",
        _ => entity.ToString(),
    };

    private static Refusal Forbidden(string reason) => new(RefusalKind.Forbidden, reason);

    /// <summary>A duty's own desk keeps its beredskapsschema (TiB theirs, a district or sector its own); central krisledning keeps them all.</summary>
    private static Refusal? DutyRoster(Actor actor, EntityRef roster)
    {
        var may = actor.Role switch
        {
            Roles.Central or Roles.System => true,
            Roles.DutyOfficer => roster.Id is DutyRosterRules.DutyOfficer or DutyRosterRules.DutyOfficerBackup,
            Roles.District => actor.District is not null && DutyRosterRules.DistrictOf(roster.Id) == actor.District,
            Roles.Sector => actor.Sector is not null && DutyRosterRules.SectorOf(roster.Id) == actor.Sector,
            _ => false,
        };
        return may
            ? null
            : Forbidden($"Beredskapsschemat {roster.Id} sköts av den beredskapen själv och av central krisledning, inte av {actor.Name}.");
    }

    // ---- beslut and uppdrag (issue 15) ----

    /// <summary>
    /// The escalation ladder's mandates, who may record a beslut on which mandate, and who may
    /// step an uppdrag: its receiver forward, its sender back.
    /// </summary>
    private static Refusal? Mandates(Actor actor, Command command, object? state)
    {
        switch (command)
        {
            case ChangeCityLevel change:
                return CityLevel(actor, change, state as CityState);
            case RecordEscalationResolution:
                return Forbidden("Beslutet bakom en nivåändring förs in av Lagesbild när nivån ändras, inte för sig.");
            case RecordResolution record:
                var own = ResolutionRules.OwnMandate(actor.Role);
                if (own is null)
                    return Forbidden("Bara den som har mandat att besluta (krisledningsnämndens ordförande, central krisledning, TiB, stadsdelsdirektören) för in beslut i beslutsloggen.");
                // The rules say what is wrong with a missing or unknown mandate.
                if (record.Mandate is not { } mandate || !Enum.IsDefined(mandate))
                    return null;
                if (mandate != own && !(actor.Role == Roles.Central && mandate == Mandate.Government))
                    return Forbidden($"{actor.Name} beslutar med mandatet {ResolutionRules.Describe(own.Value)}, inte {ResolutionRules.Describe(mandate)}.");
                if (actor.Role == Roles.District && record.District != actor.District)
                    return Forbidden($"Stadsdelsdirektörens beslut gäller det egna stadsdelsområdet; ange {actor.District} som område.");
                return null;
            case SendAssignment:
                return actor.Role is Roles.Central or Roles.Chair or Roles.DutyOfficer or Roles.District or Roles.Sector
                    ? null
                    : Forbidden("Den här rollen ger inga uppdrag.");
            case AssignmentCommand when state is not AssignmentState:
                return null; // the rules answer that it does not exist
            case CancelAssignment when state is AssignmentState task:
                return IsSender(actor, task.SentBy)
                    ? null
                    : Forbidden($"Bara avsändaren ({task.SentBy.Name}) kan återkalla uppdraget; mottagaren svarar med att det inte kan utföras.");
            case AssignmentCommand when state is AssignmentState task:
                return IsReceiver(actor, task.To)
                    ? null
                    : Forbidden($"Uppdraget är till {DescribeAssignee(task.To)}; bara mottagaren kvitterar det och för det framåt.");
            default:
                return Forbidden("Den här rollen får inte ändra lägesbilden.");
        }
    }

    /// <summary>The ladder's mandates (see <see cref="ResolutionRules.CityStepNeeds"/>).</summary>
    private static Refusal? CityLevel(Actor actor, ChangeCityLevel change, CityState? city)
    {
        var from = city?.Level ?? EscalationLevel.Normal;
        // A missing or unknown level is the rules' to explain, to anyone who may move the city at all.
        if (change.Level is not { } to || !Enum.IsDefined(to) || to == from)
        {
            return actor.Role is Roles.Central or Roles.DutyOfficer or Roles.Chair
                ? null
                : Forbidden($"En {RoleName(actor.Role)} beslutar inte om stadens nivå.");
        }
        var needs = ResolutionRules.CityStepNeeds(from, to);
        var may = needs switch
        {
            Mandate.BoardChair => actor.Role == Roles.Chair,
            Mandate.Government => actor.Role == Roles.Central,
            _ => actor.Role is Roles.Central or Roles.DutyOfficer,
        };
        if (may)
            return null;
        var step = $"Från {CityRules.Describe(from)} till {CityRules.Describe(to)}";
        return Forbidden(needs switch
        {
            Mandate.BoardChair => $"{step}: extraordinär händelse beslutas av krisledningsnämndens ordförande (eller den ersättare staden utsett), in i den och ned ur den.",
            Mandate.Government => $"{step}: skärpt och högsta beredskap beslutas av regeringen och förs in av central krisledning.",
            _ => $"{step}: mellan normalläge och samhällsstörning beslutar central krisledning eller TiB.",
        });
    }

    /// <summary>The receiver of an uppdrag is the desk it names: a district's, a sector's, a crisis body's, or the person.</summary>
    public static bool IsReceiver(Actor actor, Assignee to) => to.Kind switch
    {
        AssigneeKind.District => actor.Role == Roles.District && actor.District == to.Id,
        AssigneeKind.Sector => actor.Role == Roles.Sector && actor.Sector == to.Id,
        AssigneeKind.CrisisBody => to.Id switch
        {
            "central-krisledning" => actor.Role == Roles.Central,
            "tib" => actor.Role == Roles.DutyOfficer,
            "krisledningsnamnden" => actor.Role == Roles.Chair,
            { } id when id.StartsWith("lokal-", StringComparison.Ordinal) => actor.Role == Roles.District && actor.District == id["lokal-".Length..],
            _ => false,
        },
        AssigneeKind.Person => to.Id is not null && AssignmentRules.SamePerson(actor.Name, to.Id),
        _ => false,
    };

    /// <summary>The sender is the desk that sent it (the same role for the same district or sector), so a colleague on the next shift may take it back.</summary>
    private static bool IsSender(Actor actor, Actor sentBy) =>
        actor.Role == sentBy.Role && actor.District == sentBy.District && actor.Sector == sentBy.Sector;

    private static string DescribeAssignee(Assignee to) => to.Kind switch
    {
        AssigneeKind.District => $"stadsdelsområdet {to.Id}",
        AssigneeKind.Sector => $"sektorn {to.Id}",
        AssigneeKind.CrisisBody => $"krisledningsorganet {to.Id}",
        AssigneeKind.Person => to.Id ?? "",
        _ => to.Id ?? "",
    };

    private static string RoleName(string role) => role switch
    {
        Roles.District => "stadsdelsoperatör",
        Roles.Sector => "sektorsansvarig",
        _ => role,
    };

    // ---- lägesrapporter and begäran (issue 14) ----

    /// <summary>
    /// A report is written by the desk it is from: a district for itself (and its local crisis
    /// management), a sector lead for her own sector, central krisledning, the TiB and the board's
    /// chair for their bodies. Central krisledning, the chair and the TiB ask anyone for a report; a
    /// district asks its own units. Answers and reminders are Lagesbild's to record.
    /// </summary>
    private static Refusal? Reports(Actor actor, EntityRef entity, Command command, object? state)
    {
        switch (command)
        {
            case SituationReportCommand:
                if (ReportRules.ReporterOf(entity.Id) is not { } reporter)
                    return null; // the rules say what is wrong with the id
                if (IsReceiver(actor, reporter))
                    return null;
                return Forbidden(actor.Role switch
                {
                    Roles.Sector => $"{actor.Name} rapporterar för sektorn {actor.Sector}, inte för {DescribeAssignee(reporter)}.",
                    Roles.District => $"{actor.Name} rapporterar för sitt eget stadsdelsområde ({actor.District}), inte för {DescribeAssignee(reporter)}.",
                    _ => $"Rapporten är från {DescribeAssignee(reporter)}; den skrivs där.",
                });
            case RequestSituationReport request:
                if (actor.Role is Roles.Central or Roles.Chair or Roles.DutyOfficer)
                    return null;
                if (actor.Role != Roles.District || actor.District is null)
                    return Forbidden("Rapporter begärs av central krisledning, TiB, krisledningsnämndens ordförande eller ett stadsdelsområde av sina egna enheter.");
                var outside = (request.Recipients ?? []).Where(r => r is not null && ReportRules.ReporterOf(r) is { } to && AssignmentRules.DistrictOf(to) != actor.District).ToArray();
                return outside.Length == 0
                    ? null
                    : Forbidden($"Ett stadsdelsområde begär rapporter av sina egna enheter ({actor.District}), inte av {string.Join(", ", outside)}.");
            case ReadReportRequest when state is ReportRequestState asked:
                return asked.Recipients.Any(r => ReportRequestRules.IsFor(actor, r.Reporter))
                    ? null
                    : Forbidden("Begäran är inte ställd till dig; bara mottagarna markerar den som läst.");
            case ReadReportRequest:
                return null; // the rules answer that it does not exist
            default:
                return Forbidden("Svar och påminnelser förs in av Lagesbild när rapporten skickas och före tidsfristen, inte för sig.");
        }
    }

    // ---- resources and their begäran (issue 16, item 3) ----

    /// <summary>
    /// A district asks for resources for its own points, withdraws its own begäran, and confirms at its point that they
    /// arrived or are no longer needed; central krisledning registers resources and commits, declines, delivers, releases and takes them back;
    /// the TiB acts for the districts outside office hours. A resource itself is moved by Lagesbild as its begäran moves.
    /// </summary>
    private static Refusal? Resources(Actor actor, Command command, string? entityDistrict, bool outsideOfficeHours)
    {
        switch (command)
        {
            case RegisterResource:
                return actor.Role == Roles.Central ? null : Forbidden("Resurser (reservkraft, vattentankar, bränsle, personal, FRG, ordningsvakter) registreras av central krisledning.");
            case ResourceCommand:
                return Forbidden("En resurs följer sin begäran: Lagesbild flyttar den när begäran tilldelas, levereras och återlämnas, inte för sig.");
            case RequestResource or DeliverResource or ReleaseResource or WithdrawResourceRequest:
                if (actor.Role == Roles.Central || (actor.Role == Roles.DutyOfficer && outsideOfficeHours))
                    return null;
                if (command is RequestResource && entityDistrict is null && actor.Role is Roles.District or Roles.DutyOfficer)
                    return null; // the rules say the point does not exist
                if (actor.Role == Roles.District && actor.District is not null && entityDistrict == actor.District)
                    return null;
                return Forbidden(actor.Role switch
                {
                    Roles.District when actor.District is null => "Rollen stadsdelsoperatör saknar stadsdelsområde i inloggningen.",
                    Roles.District => $"{actor.Name} begär, återkallar och kvitterar resurser för sitt eget stadsdelsområdes punkter ({actor.District}), inte för {entityDistrict}.",
                    Roles.DutyOfficer => "Under kontorstid begär stadsdelsförvaltningen resurser för sina punkter; TiB får göra det utanför kontorstid.",
                    _ => "Resurser begärs av stadsdelsområdet för sina trygghetspunkter och tilldelas av central krisledning.",
                });
            default:
                return actor.Role == Roles.Central
                    ? null
                    : Forbidden("Central krisledning tilldelar, avslår och tar tillbaka resurser; stadsdelsområdet begär dem och kvitterar leveransen vid sin punkt.");
        }
    }

    // ---- alerts to the person on duty (issue 18) ----

    /// <summary>
    /// Lagesbild raises an alert, escalates it and clears it (its rules do, attributed to the rule); a person acknowledges
    /// only an alert that went to her, whatever her role, since it is her one tap that stops the next wave.
    /// </summary>
    private static Refusal? Alerts(Actor actor, Command command, object? state)
    {
        if (actor.Role == Roles.System)
            return null;
        // An alert from outside is judged by the TiB (or central krisledning when it leads).
        if (command is AcceptAlert or ForwardAlert or DismissAlert)
            return actor.Role is Roles.DutyOfficer or Roles.Central
                ? null
                : Forbidden("Bara TiB i tjänst och central krisledning bedömer larm utifrån: tar in dem i lägesbilden, vidarebefordrar eller avfärdar dem.");
        if (actor.Role is Roles.Observer or Roles.Public)
            return Forbidden("Samverkanspartner ser lägesbilden men kvitterar inga larm.");
        return command switch
        {
            AcknowledgeAlert when state is AlertState alert => AlertRules.IsRecipient(alert, actor.Name) ? null : Forbidden(AlertRules.NotYours(alert)),
            AcknowledgeAlert => null, // the rules answer that it does not exist
            RecordAlertDelivery => Forbidden("Hur ett larm levererats registrerar Lagesbilds utskick själv."),
            _ => Forbidden("Larm skapas, eskaleras och avslutas av Lagesbilds larmregler, inte för hand; den som larmet gått till kvitterar det."),
        };
    }
}
