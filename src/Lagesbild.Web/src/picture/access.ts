/**
 * The signed-in person and the commands' names. What the person may do is not decided here:
 * the server says it (panels/permissions.ts, from Access.cs through PermissionsApi.cs).
 */

/** The roles of the city's crisis organisation, as in tokens and the loggbok (Roles in Actor.cs). */
export type Role = "central" | "district" | "sector" | "tib" | "observer" | "public" | "chair" | "evaluator";

/** The signed-in person, as `GET /api/me` answers: the actor the loggbok records. */
export interface User {
  name: string;
  role: Role | string;
  /** A district operator's stadsdelsområde. */
  district: string | null;
  /** A sector lead's beredskapssektor. */
  sector: string | null;
}

/** Roles that see the operators' picture; the public role sees only the public view. */
export function seesOperatorsPicture(role: string): boolean {
  return role === "central" || role === "district" || role === "sector" || role === "tib" || role === "observer" || role === "chair" || role === "evaluator";
}

export type CommandType =
  | "RegisterSafetyPoint" | "UpdateSafetyPointDetails" | "ChangeSafetyPointStatus" | "SetSafetyPointCapabilities"
  | "ReportSafetyPointResources" | "ReportSafetyPointVisitors" | "ReportSafetyPointCondition"
  | "SetDistrictSituation" | "ChangeDistrictLocalLevel" | "SetDistrictDutyContact"
  | "ReportSectorStatus" | "SetSectorLead"
  | "ChangeCrisisBodyActivation" | "SetCrisisBodyOnDuty" | "ScheduleCrisisBodyMeeting"
  | "ChangeCityLevel"
  | "RecordResolution"
  | "IssueTaskList"
  | "SendAssignment" | "AcknowledgeAssignment" | "StartAssignment" | "CompleteAssignment" | "DeclineAssignment" | "CancelAssignment"
  | "SubmitSituationReport" | "CorrectSituationReport" | "RequestSituationReport" | "ReadReportRequest"
  | "PlanDutyRoster" | "HandOverDuty"
  | "RegisterResource" | "AssignResource" | "MarkResourceDelivered" | "FreeResource"
  | "RequestResource" | "CommitResource" | "DeclineResourceRequest" | "DeliverResource" | "ReleaseResource" | "ReturnResource"
  | "RaiseAlert" | "EscalateAlert" | "AcknowledgeAlert" | "ClearAlert" | "AcceptAlert" | "ForwardAlert" | "DismissAlert"
  | "WithdrawResourceRequest"
  | "StartExercise" | "PauseExercise" | "ResumeExercise" | "ChangeExerciseSpeed" | "StopExercise"
  | "SkipInject" | "DelayInject" | "SendInject" | "PostMessage" | "ReadMessage"
  | "NoteObservation" | "RateObjective" | "RecordImprovement";
