import { apiFetch, pictureUrl } from "../api/http";
import { m } from "../i18n";
import type { CommandType } from "../picture/access";
import type { AnyEntityRecord, CityLevel, EntityKind } from "../picture/protocol";
import { setPointStatusRules } from "../picture/rules";
import { setResourceRequestSteps } from "./resources";

/**
 * What the signed-in person may change, as the server decides it
 * (`GET /api/pictures/{p}/permissions`, PermissionsApi.cs): a verdict is -1 where they
 * may, else an index into `reasons`, the server's own words for why not.
 */
export interface PicturePermissions {
  seq: number;
  outsideOfficeHours: boolean;
  reasons: string[];
  commandSets: Record<string, number>[];
  entities: Record<string, number>;
  register: Record<string, number>;
  cityLevels: Record<string, number>;
  pointStatuses: { next: Record<string, string[]>; inOperation: string[] };
  /** Mandate (whole city) or `mandate/district` → verdict on recording a beslut on it. */
  resolutions: Record<string, number>;
  sendAssignment: number;
  /** Each uppdrag step → the statuses it may be taken from (AssignmentRules.Steps). */
  assignmentSteps: Record<string, string[]>;
  /** Each reporter's report stream (`district-…`, `sector-…`, `body-…`) → verdict on writing its lägesrapport. */
  reports: Record<string, number>;
  requestReports: number;
  issueTaskList: number;
  /** District → verdict on asking for resources for its trygghetspunkter. */
  requestResources: Record<string, number>;
  registerResource: number;
  /** Each step of a resource begäran → the statuses it may be taken from (ResourceRequestRules.Steps). */
  resourceRequestSteps: Record<string, string[]>;
  /** Whether the person runs this exercise (övningsledning): its clock, inspel and motspel. */
  exerciseControl: number;
  /** Whether the person evaluates this exercise (exercise control and evaluators): observations, ratings, the after-action report. */
  evaluation: number;
}

/** One command about to be sent to one entity. */
export interface CommandCheck {
  command: CommandType;
  kind: EntityKind;
  id: string;
  /** The district the entity belongs to (a registration's district); null when none or not known. */
  district: string | null;
  /** ChangeCityLevel: the level asked for; left out, the question is whether any level may be set. */
  level?: CityLevel;
  /** RecordResolution: the mandate asked for; left out, whether any may be used. */
  mandate?: string;
}

/** Why the signed-in person may not send a command, in the server's words; null when they may. */
export type May = (request: CommandCheck) => string | null;

const refreshDelayMs = 250;
/** Office hours open and close (TiB's mandate follows them): ask again now and then. */
const refreshEveryMs = 60_000;

/**
 * The page's copy of the server's verdicts: asked for when the picture arrives, again when a
 * change may move them (the city's level, a thing the table does not know yet) and once a
 * minute. Until the first answer everything waits, disabled, with a note that says so.
 */
export class Permissions {
  private table: PicturePermissions | null = null;
  /** The last answer's verdicts, to tell whether the next says anything new. */
  private verdicts = "";
  /** The server could not be asked before it ever answered: the page shows a kept picture, offline. */
  private unreachable = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly picture: string, private readonly changed: () => void) {
    setInterval(() => this.refreshSoon(), refreshEveryMs);
  }

  readonly may: May = (request) => {
    const table = this.table;
    if (table === null) return this.unreachable ? m.access.offline : m.access.loading;
    const verdict = (index: number | undefined): string | null =>
      index === undefined ? m.access.loading : index < 0 ? null : table.reasons[index] ?? m.access.readOnly;
    switch (request.command) {
      case "RegisterSafetyPoint":
        return request.district !== null ? verdict(table.register[request.district]) : anyAllowed(Object.values(table.register), verdict);
      case "ChangeCityLevel":
        return request.level !== undefined ? verdict(table.cityLevels[request.level]) : anyAllowed(Object.values(table.cityLevels), verdict);
      case "RecordResolution": {
        if (request.mandate === undefined) return anyAllowed(Object.values(table.resolutions), verdict);
        return verdict(table.resolutions[request.district ? `${request.mandate}/${request.district}` : request.mandate]);
      }
      case "SendAssignment":
        return verdict(table.sendAssignment);
      case "SubmitSituationReport":
        return verdict(table.reports[request.id]);
      case "RequestSituationReport":
        return verdict(table.requestReports);
      case "IssueTaskList":
        return verdict(table.issueTaskList);
      case "RequestResource":
        return request.district !== null ? verdict(table.requestResources[request.district]) : anyAllowed(Object.values(table.requestResources), verdict);
      case "RegisterResource":
        return verdict(table.registerResource);
      case "StartExercise": case "PauseExercise": case "ResumeExercise": case "ChangeExerciseSpeed": case "StopExercise":
      case "SkipInject": case "DelayInject": case "SendInject": case "PostMessage":
        return verdict(table.exerciseControl);
      case "NoteObservation": case "RateObjective": case "RecordImprovement":
        return verdict(table.evaluation);
      default: {
        const set = table.entities[`${request.kind}/${request.id}`];
        return set === undefined ? m.access.loading : verdict(table.commandSets[set]?.[request.command]);
      }
    }
  };

  /** The uppdrag steps the rules allow from a status (none until the server has said). */
  stepsFrom(status: string): string[] {
    return Object.entries(this.table?.assignmentSteps ?? {}).filter(([, from]) => from.includes(status)).map(([step]) => step);
  }

  /** The report streams the person writes for (their own desks), as the server says. */
  reportStreams(): string[] {
    return Object.entries(this.table?.reports ?? {}).filter(([, verdict]) => verdict < 0).map(([stream]) => stream);
  }

  /** Whether a change to this thing may change what the person may do. */
  affectedBy(kind: EntityKind, id: string): boolean {
    return kind === "City" || this.table === null || !(`${kind}/${id}` in this.table.entities);
  }

  /** Asks the server again shortly; several reasons at once make one request. */
  refreshSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, refreshDelayMs);
  }

  private async refresh(): Promise<void> {
    try {
      const response = await apiFetch(`${pictureUrl(this.picture)}/permissions`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const table = (await response.json()) as PicturePermissions;
      // The minute's question mostly gets the same verdicts (at a later sequence number): then nothing is redrawn,
      // not even while a replay plays.
      const verdicts = JSON.stringify({ ...table, seq: 0 });
      if (this.table !== null && verdicts === this.verdicts) return;
      this.verdicts = verdicts;
      this.table = table;
      this.unreachable = false;
      setPointStatusRules(this.table.pointStatuses);
      setResourceRequestSteps(this.table.resourceRequestSteps);
      this.changed();
    } catch {
      // Unreachable for now: the old verdicts stand, and the next change or minute asks again.
      // With none yet (opened offline) every change waits, and says it is the network, not the role.
      if (this.table === null && !this.unreachable) {
        this.unreachable = true;
        this.changed();
      }
    }
  }
}

/** Allowed when any of the verdicts allows; else the first reason. */
function anyAllowed(verdicts: number[], verdict: (index: number) => string | null): string | null {
  if (verdicts.some((v) => v < 0)) return null;
  return verdicts.length > 0 ? verdict(verdicts[0]!) : m.access.loading;
}

/** The entity a command on `record` changes. */
export function targetOf(record: AnyEntityRecord): Omit<CommandCheck, "command"> {
  const { kind, id } = record;
  switch (record.kind) {
    case "SafetyPoint": return { kind, id, district: record.state.district };
    case "District": return { kind, id, district: id };
    case "CrisisBody": return { kind, id, district: record.state.district };
    default: return { kind, id, district: null };
  }
}
