using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.Picture;

/// <summary>The verdicts the page is given are Access.Check's, command by command.</summary>
public sealed class PermissionsTests
{
    private static readonly SafetyPointState FarstaPoint = new("farsta", "Farsta", "Gata 1", new GeoPosition(18.09, 59.24), 1, 50,
        SafetyPointStatus.Open, null, System.Collections.Immutable.ImmutableSortedDictionary<Capability, CapabilityState>.Empty, SafetyPointResources.None(true), 0, false);

    [Fact]
    public void Every_command_a_person_can_send_is_asked_about()
    {
        var asked = Permissions.CommandsByKind.Values.SelectMany(types => types).Select(t => t.Name).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["AcceptAlert", "AcknowledgeAlert", "AcknowledgeAssignment", "AssignResource", "CancelAssignment", "ChangeCityLevel", "ChangeCrisisBodyActivation",
             "ChangeDistrictLocalLevel", "ChangeExerciseSpeed", "ChangeSafetyPointStatus", "ClearAlert", "CommitResource", "CompleteAssignment",
             "CorrectSituationReport", "DeclineAssignment", "DeclineResourceRequest", "DelayInject", "DeliverResource", "DismissAlert", "EscalateAlert", "ForwardAlert", "FreeResource", "HandOverDuty",
             "MarkResourceDelivered", "NoteObservation", "PauseExercise", "PlanDutyRoster", "RateObjective", "ReadMessage", "ReadReportRequest", "RecordAlertDelivery", "RecordImprovement", "RecordInjectDelivered", "RecordReportAnswer",
             "RegisterSafetyPoint", "ReleaseResource", "RemindReportRequest", "ReportSafetyPointCondition", "ReportSafetyPointResources", "ReportSafetyPointVisitors",
             "ReportSectorStatus", "ResumeExercise", "ReturnResource", "ScheduleCrisisBodyMeeting", "SendInject", "SetCrisisBodyOnDuty", "SetDistrictDutyContact",
             "SetDistrictSituation", "SetSafetyPointCapabilities", "SetSectorLead", "SkipInject", "StartAssignment", "StartExercise", "StopExercise",
             "SubmitSituationReport", "UpdateAlertFromCap", "UpdateSafetyPointDetails", "WithdrawResourceRequest"],
            asked);
    }

    [Fact]
    public void A_district_operator_may_change_her_own_districts_point_and_is_told_why_not_for_anothers()
    {
        var sara = new Actor("Sara Ek", Roles.District, District: "farsta");
        var own = Permissions.ForEntity(sara, new EntityRef(EntityKind.SafetyPoint, "farsta-x"), FarstaPoint, outsideOfficeHours: false);
        var other = Permissions.ForEntity(sara, new EntityRef(EntityKind.SafetyPoint, "sodermalm-x"), FarstaPoint with { District = "sodermalm" }, outsideOfficeHours: false);

        Assert.Equal(6, own.Count);
        Assert.All(own.Values, Assert.Null);
        Assert.All(other.Values, refusal => Assert.Contains("sitt eget stadsdelsområde", refusal!.Reason));
        Assert.Null(Permissions.ForRegistration(sara, ["farsta"], false)["farsta"]);
        Assert.NotNull(Permissions.ForRegistration(sara, ["sodermalm"], false)["sodermalm"]);
    }

    [Fact]
    public void TiB_is_told_which_levels_are_within_the_mandate_and_that_district_matters_follow_office_hours()
    {
        var per = new Actor("Per Lind", Roles.DutyOfficer);
        var city = new EntityRef(EntityKind.City, CityRules.Id);
        var levels = Permissions.ForCityLevels(per, city, new CityState("Stockholm", EscalationLevel.Normal, null, null, null), false);
        var point = new EntityRef(EntityKind.SafetyPoint, "farsta-x");

        Assert.Null(levels[EscalationLevel.SocietalDisturbance]);
        Assert.NotNull(levels[EscalationLevel.ExtraordinaryEvent]);
        Assert.All(Permissions.ForEntity(per, point, FarstaPoint, outsideOfficeHours: true).Values, Assert.Null);
        Assert.All(Permissions.ForEntity(per, point, FarstaPoint, outsideOfficeHours: false).Values, Assert.NotNull);
    }
}
