// The wire contract, typed: names for the shapes in the server's OpenAPI document. Nothing is
// written here by hand: contract.gen.ts is generated from contract/openapi.json at build time
// (openapi-typescript), and that document is the one the server serves at /openapi/v1.json
// (a server test fails when they differ).
import {
  activationValues,
  alertSeverityValues,
  assigneeKindValues,
  assignmentStatusValues,
  capabilityStateValues,
  capabilityValues,
  crisisBodyKindValues,
  districtSituationValues,
  escalationLevelValues,
  localLevelValues,
  mandateValues,
  resolutionKindValues,
  safetyPointStatusValues,
  sectorStatusValues,
  type components,
} from "./contract.gen";

type Schemas = components["schemas"];

export type EntityKind = Schemas["EntityKind"];

/** The hub's method names (HubMethods.cs): what the page calls, and what the server calls on the page. */
export type HubServerMethod = Schemas["HubServerMethod"];
export type HubClientMethod = Schemas["HubClientMethod"];
/** One name of the wire, checked against the server's list at compile time. */
export const hubMethod = <T extends HubServerMethod | HubClientMethod>(name: T): T => name;

/** Trygghetspunktens status, in lifecycle order. */
export const pointStatuses = safetyPointStatusValues;
export type PointStatus = Schemas["SafetyPointStatus"];

export const capabilities = capabilityValues;
export type Capability = Schemas["Capability"];

export const capabilityStates = capabilityStateValues;
export type CapabilityState = Schemas["CapabilityState"];

/** Ett stadsdelsområdes läge. */
export const situations = districtSituationValues;
export type Situation = Schemas["DistrictSituation"];

export const localLevels = localLevelValues;
export type LocalLevel = Schemas["LocalLevel"];

export const sectorStatuses = sectorStatusValues;
export type SectorStatus = Schemas["SectorStatus"];

export const crisisBodyKinds = crisisBodyKindValues;
export type CrisisBodyKind = Schemas["CrisisBodyKind"];

export const activations = activationValues;
export type Activation = Schemas["Activation"];

/** Nivå i eskaleringstrappan. */
export const cityLevels = escalationLevelValues;
export type CityLevel = Schemas["EscalationLevel"];

export type Position = Schemas["GeoPosition"];
export type BackupPower = Schemas["BackupPower"];
export type Resources = Schemas["SafetyPointResources"];
export type SafetyPointState = Schemas["SafetyPointState"];
/** What residents are told about a point, in words; shown whole to residents too. */
export type ResidentInfo = Schemas["ResidentInfo"];
export type DutyContact = Schemas["DutyContact"];
export type DistrictState = Schemas["DistrictState"];
export type SectorState = Schemas["SectorState"];
export type Person = Schemas["OnDutyPerson"];
export type Meeting = Schemas["Meeting"];
export type CrisisBodyState = Schemas["CrisisBodyState"];
export type CityState = Schemas["CityState"];

/** Beslut: on whose mandate, and whether it corrects or revokes an earlier one. */
export const mandates = mandateValues;
export type Mandate = Schemas["Mandate"];
export const resolutionKinds = resolutionKindValues;
export type ResolutionState = Schemas["ResolutionState"];
/** Uppdrag: to whom, and where it stands. */
export const assigneeKinds = assigneeKindValues;
export const assignmentStatuses = assignmentStatusValues;
export type AssignmentStatus = Schemas["AssignmentStatus"];
export type AssignmentState = Schemas["AssignmentState"];
/** A beredskapsschema, and who holds each duty now (`GET …/duty/now`). */
export type DutyRosterState = Schemas["DutyRosterState"];
export type DutyNowAnswer = Schemas["DutyNowAnswer"];
/** A larm to the person on duty, least to most severe; each recipient Confirmed, NotConfirmed or Unreachable. */
export const alertSeverities = alertSeverityValues;
export type AlertState = Schemas["AlertState"];

/** An entity's record: each kind's record (`SafetyPointRecord`, …) carries that kind's state. */
export type EntityRecord<K extends EntityKind = EntityKind> = { [Kind in K]: Schemas[`${Kind}Record`] }[K];
/** Any entity's record; `kind` says which state it carries. */
export type AnyEntityRecord = EntityRecord;
export type StateByKind = { [K in EntityKind]: EntityRecord<K>["state"] };

// Where the document says EntityRecord (the base, discriminated by `kind`), a record is one of
// the kinds' records; openapi-typescript leaves that union to us.
export type Snapshot = Omit<Schemas["Snapshot"], "entities"> & { entities: AnyEntityRecord[] };
/** One loggbok entry; one live delta. */
export type LogEntry = Schemas["LogEntry"];
/** What a replay can show (GET …/replay): sequence numbers and times, first to last. */
export type ReplaySpan = Schemas["ReplaySpan"];
/** An exercise's name and description (GET …/about). */
export type ExerciseAbout = Schemas["ExerciseAbout"];
export type JoinResult = Schemas["JoinAnswer"];
export type Notice = Schemas["Notice"];
export type CommandAccepted = Omit<Schemas["CommandAccepted"], "entity"> & { entity: AnyEntityRecord };
/** RFC 9457 ProblemDetails, as every refusal is written. */
export type ProblemDetails = Schemas["ProblemDetails"];

export type Basemap = Schemas["Basemap"];
/** A demo user of the development sign-in (`GET /api/dev/users`). */
export type DevUser = Schemas["DevUser"];
/** `POST /api/dev/sign-in`. */
export type DevToken = Schemas["DevToken"];
/** A trygghetspunkt as residents see it (`GET /api/public/safety-points`): no staffing, stocks or notes. */
export type PublicSafetyPoint = Schemas["PublicSafetyPoint"];
/** An open point and its distance from where a resident asked. */
export type NearbySafetyPoint = Schemas["NearbySafetyPoint"];

/** Follow-up of uppdrag per district and sector, as the server computes it. */
export type AssignmentFollowUpFigures = Schemas["AssignmentFollowUpFigures"];

/**
 * How the page signs in, as it reads `GET /api/config`'s `auth` (api/http.ts): the
 * development sign-in, or the city's OpenID Connect provider with what that needs.
 */
export type ClientAuth =
  | { mode: "development" }
  | { mode: "oidc"; authority: string; clientId: string; scope: string };

/** `GET /api/config` as the page uses it. `auth` is null when the server does not say (then the page probes the development sign-in). */
export type ClientConfig = Omit<Schemas["ClientConfig"], "auth"> & { auth: ClientAuth | null };
