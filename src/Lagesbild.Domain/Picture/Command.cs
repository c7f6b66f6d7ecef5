using System.Text.Json.Serialization;
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
/// An operator's request to change one thing. The same records arrive over HTTP and over
/// the hub; the type name is the command's name on the wire.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RegisterSafetyPoint), nameof(RegisterSafetyPoint))]
[JsonDerivedType(typeof(UpdateSafetyPointDetails), nameof(UpdateSafetyPointDetails))]
[JsonDerivedType(typeof(ChangeSafetyPointStatus), nameof(ChangeSafetyPointStatus))]
[JsonDerivedType(typeof(SetSafetyPointCapabilities), nameof(SetSafetyPointCapabilities))]
[JsonDerivedType(typeof(ReportSafetyPointResources), nameof(ReportSafetyPointResources))]
[JsonDerivedType(typeof(ReportSafetyPointVisitors), nameof(ReportSafetyPointVisitors))]
[JsonDerivedType(typeof(ReportSafetyPointCondition), nameof(ReportSafetyPointCondition))]
[JsonDerivedType(typeof(RegisterDistrict), nameof(RegisterDistrict))]
[JsonDerivedType(typeof(SetDistrictSituation), nameof(SetDistrictSituation))]
[JsonDerivedType(typeof(ChangeDistrictLocalLevel), nameof(ChangeDistrictLocalLevel))]
[JsonDerivedType(typeof(SetDistrictDutyContact), nameof(SetDistrictDutyContact))]
[JsonDerivedType(typeof(RegisterSector), nameof(RegisterSector))]
[JsonDerivedType(typeof(ReportSectorStatus), nameof(ReportSectorStatus))]
[JsonDerivedType(typeof(SetSectorLead), nameof(SetSectorLead))]
[JsonDerivedType(typeof(RegisterCrisisBody), nameof(RegisterCrisisBody))]
[JsonDerivedType(typeof(ChangeCrisisBodyActivation), nameof(ChangeCrisisBodyActivation))]
[JsonDerivedType(typeof(SetCrisisBodyOnDuty), nameof(SetCrisisBodyOnDuty))]
[JsonDerivedType(typeof(ScheduleCrisisBodyMeeting), nameof(ScheduleCrisisBodyMeeting))]
[JsonDerivedType(typeof(RegisterCity), nameof(RegisterCity))]
[JsonDerivedType(typeof(ChangeCityLevel), nameof(ChangeCityLevel))]
[JsonDerivedType(typeof(RecordResolution), nameof(RecordResolution))]
[JsonDerivedType(typeof(RecordEscalationResolution), nameof(RecordEscalationResolution))]
[JsonDerivedType(typeof(SendAssignment), nameof(SendAssignment))]
[JsonDerivedType(typeof(AcknowledgeAssignment), nameof(AcknowledgeAssignment))]
[JsonDerivedType(typeof(StartAssignment), nameof(StartAssignment))]
[JsonDerivedType(typeof(CompleteAssignment), nameof(CompleteAssignment))]
[JsonDerivedType(typeof(DeclineAssignment), nameof(DeclineAssignment))]
[JsonDerivedType(typeof(CancelAssignment), nameof(CancelAssignment))]
[JsonDerivedType(typeof(SubmitSituationReport), nameof(SubmitSituationReport))]
[JsonDerivedType(typeof(CorrectSituationReport), nameof(CorrectSituationReport))]
[JsonDerivedType(typeof(RequestSituationReport), nameof(RequestSituationReport))]
[JsonDerivedType(typeof(ReadReportRequest), nameof(ReadReportRequest))]
[JsonDerivedType(typeof(RecordReportAnswer), nameof(RecordReportAnswer))]
[JsonDerivedType(typeof(RemindReportRequest), nameof(RemindReportRequest))]
[JsonDerivedType(typeof(PlanDutyRoster), nameof(PlanDutyRoster))]
[JsonDerivedType(typeof(HandOverDuty), nameof(HandOverDuty))]
[JsonDerivedType(typeof(RegisterResource), nameof(RegisterResource))]
[JsonDerivedType(typeof(AssignResource), nameof(AssignResource))]
[JsonDerivedType(typeof(MarkResourceDelivered), nameof(MarkResourceDelivered))]
[JsonDerivedType(typeof(FreeResource), nameof(FreeResource))]
[JsonDerivedType(typeof(RequestResource), nameof(RequestResource))]
[JsonDerivedType(typeof(CommitResource), nameof(CommitResource))]
[JsonDerivedType(typeof(DeclineResourceRequest), nameof(DeclineResourceRequest))]
[JsonDerivedType(typeof(DeliverResource), nameof(DeliverResource))]
[JsonDerivedType(typeof(ReleaseResource), nameof(ReleaseResource))]
[JsonDerivedType(typeof(ReturnResource), nameof(ReturnResource))]
[JsonDerivedType(typeof(RaiseAlert), nameof(RaiseAlert))]
[JsonDerivedType(typeof(EscalateAlert), nameof(EscalateAlert))]
[JsonDerivedType(typeof(AcknowledgeAlert), nameof(AcknowledgeAlert))]
[JsonDerivedType(typeof(ClearAlert), nameof(ClearAlert))]
[JsonDerivedType(typeof(RecordAlertDelivery), nameof(RecordAlertDelivery))]
[JsonDerivedType(typeof(UpdateAlertFromCap), nameof(UpdateAlertFromCap))]
[JsonDerivedType(typeof(AcceptAlert), nameof(AcceptAlert))]
[JsonDerivedType(typeof(ForwardAlert), nameof(ForwardAlert))]
[JsonDerivedType(typeof(DismissAlert), nameof(DismissAlert))]
[JsonDerivedType(typeof(WithdrawResourceRequest), nameof(WithdrawResourceRequest))]
[JsonDerivedType(typeof(Exercises.StartExercise), nameof(Exercises.StartExercise))]
[JsonDerivedType(typeof(Exercises.PauseExercise), nameof(Exercises.PauseExercise))]
[JsonDerivedType(typeof(Exercises.ResumeExercise), nameof(Exercises.ResumeExercise))]
[JsonDerivedType(typeof(Exercises.ChangeExerciseSpeed), nameof(Exercises.ChangeExerciseSpeed))]
[JsonDerivedType(typeof(Exercises.StopExercise), nameof(Exercises.StopExercise))]
[JsonDerivedType(typeof(Exercises.SkipInject), nameof(Exercises.SkipInject))]
[JsonDerivedType(typeof(Exercises.DelayInject), nameof(Exercises.DelayInject))]
[JsonDerivedType(typeof(Exercises.SendInject), nameof(Exercises.SendInject))]
[JsonDerivedType(typeof(Exercises.RecordInjectDelivered), nameof(Exercises.RecordInjectDelivered))]
[JsonDerivedType(typeof(Exercises.PostMessage), nameof(Exercises.PostMessage))]
[JsonDerivedType(typeof(Exercises.ReadMessage), nameof(Exercises.ReadMessage))]
[JsonDerivedType(typeof(Exercises.NoteObservation), nameof(Exercises.NoteObservation))]
[JsonDerivedType(typeof(Exercises.RateObjective), nameof(Exercises.RateObjective))]
[JsonDerivedType(typeof(Exercises.RecordImprovement), nameof(Exercises.RecordImprovement))]
public abstract record Command
{
    /// <summary>Why the change is made; recorded in the loggbok.</summary>
    public string? Reason { get; init; }

    /// <summary>The reason is an internal note: partners (observers) do not see it.</summary>
    public bool Internal { get; init; }

    /// <summary>
    /// The reason as an entity's state may keep it: null when it is an internal note. An
    /// internal note lives in its loggbok entry alone, the one shape that is redacted for
    /// partners (Redaction.ForObservers), so no state, snapshot or delta can carry it to them.
    /// Rules never put <see cref="Reason"/> itself into a state.
    /// </summary>
    public string? PublicReason() => Internal || string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();

    /// <summary>The kind of thing this command changes.</summary>
    [JsonIgnore]
    public abstract EntityKind Kind { get; }

    /// <summary>Commands that create a thing; they are only accepted when it does not exist yet.</summary>
    [JsonIgnore]
    public virtual bool Creates => false;

    /// <summary>Per-field checks that need no state; the rules check the rest.</summary>
    public Refusal? Validate()
    {
        var problems = new Problems();
        problems.Text("reason", Reason, 2000);
        Check(problems);
        return problems.ToRefusal();
    }

    protected abstract void Check(Problems problems);
}
