// The wire contract, typed. Mirrors docs/protocol.md; change both together.

export type EntityKind = "City" | "District" | "SafetyPoint" | "Sector" | "CrisisBody";

export const pointStatuses = ["Inactive", "Activating", "Open", "Limited", "Closing", "Closed"] as const;
/** Trygghetspunktens status. */
export type PointStatus = (typeof pointStatuses)[number];

export const capabilities = [
  "Information", "Charging", "DrinkingWater", "Heat", "Food", "Toilets",
  "Shower", "FirstAid", "CrisisSupport", "Call112", "Rest", "OvernightStay",
] as const;
export type Capability = (typeof capabilities)[number];

export const capabilityStates = ["Available", "Limited", "Unavailable"] as const;
export type CapabilityState = (typeof capabilityStates)[number];

export const situations = ["Normal", "Strained", "Serious", "Critical"] as const;
/** Ett stadsdelsområdes läge. */
export type Situation = (typeof situations)[number];

export const localLevels = ["Normal", "LocalIncident", "SeriousLocalIncident"] as const;
export type LocalLevel = (typeof localLevels)[number];

export const sectorStatuses = ["Normal", "Disturbed", "SeriouslyDisturbed", "Down"] as const;
export type SectorStatus = (typeof sectorStatuses)[number];

export const crisisBodyKinds = ["Board", "CentralCrisisManagement", "DutyOfficer", "LocalCrisisManagement"] as const;
export type CrisisBodyKind = (typeof crisisBodyKinds)[number];

export const activations = ["Inactive", "Standby", "Activated"] as const;
export type Activation = (typeof activations)[number];

export const cityLevels = ["Normal", "SocietalDisturbance", "ExtraordinaryEvent", "HeightenedAlert", "HighestAlert"] as const;
/** Nivå i eskaleringstrappan. */
export type CityLevel = (typeof cityLevels)[number];

export interface Position { lon: number; lat: number }
export interface BackupPower { available: boolean; fuelHours: number }
export interface Resources {
  backupPower: BackupPower;
  waterLitres: number;
  staff: number;
  frgVolunteers: number;
  radios: number;
}

/** Trygghetspunkt. */
export interface SafetyPointState {
  district: string;
  name: string;
  address: string;
  position: Position;
  tier: number;
  capacity: number;
  status: PointStatus;
  limitations: string | null;
  capabilities: Partial<Record<Capability, CapabilityState>>;
  resources: Resources;
  visitors: number;
  example: boolean;
}

export interface DutyContact { name: string; phone: string; function: string }

/** Stadsdelsområde. */
export interface DistrictState {
  name: string;
  situation: Situation;
  localLevel: LocalLevel;
  /** Null when the reason is an internal note: it is then in the loggbok entry only. */
  localLevelReason: string | null;
  dutyContact: DutyContact | null;
  localLevelReasonInternal: boolean;
}

/** Beredskapssektor. */
export interface SectorState {
  name: string;
  leadBody: string | null;
  status: SectorStatus;
  affectedDistricts: string[];
  needs: string | null;
  prognosis: string | null;
}

export interface Person { name: string; role: string; phone: string | null }
export interface Meeting { at: string; place: string }

/** Krisledningsorgan. */
export interface CrisisBodyState {
  name: string;
  kind: CrisisBodyKind;
  district: string | null;
  activation: Activation;
  onDuty: Person[];
  nextMeeting: Meeting | null;
}

/** Staden (id `stockholm`). */
export interface CityState {
  name: string;
  level: CityLevel;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Null when the reason is an internal note: it is then in the loggbok entry only. */
  reason: string | null;
  reasonInternal: boolean;
}

export interface StateByKind {
  City: CityState;
  District: DistrictState;
  SafetyPoint: SafetyPointState;
  Sector: SectorState;
  CrisisBody: CrisisBodyState;
}

export interface EntityRecord<K extends EntityKind = EntityKind> {
  seq: number;
  kind: K;
  id: string;
  at: string;
  by: string;
  state: StateByKind[K];
}

export type AnyEntityRecord = { [K in EntityKind]: EntityRecord<K> }[EntityKind];

export interface Snapshot {
  picture: string;
  seq: number;
  eventId: string | null;
  entities: AnyEntityRecord[];
}

/** One loggbok entry; one live delta. */
export interface LogEntry {
  seq: number;
  id: string;
  picture: string;
  at: string;
  actor: { name: string; role: string | null };
  entity: { kind: EntityKind; id: string };
  district: string | null;
  type: string;
  reason: string | null;
  /** The reason is an internal note (partners get the entry without it). */
  internal?: boolean;
  change: Record<string, unknown>;
  state: StateByKind[EntityKind];
}

export interface JoinResult { picture: string; mode: string }

export interface Notice { kind: string; message: string }

export interface Basemap {
  type: "xyz" | "wms";
  url: string;
  layers?: string;
  attribution?: string;
}

/** How the page signs in: the development sign-in, or the city's OpenID Connect provider. */
export type ClientAuth =
  | { mode: "development" }
  | { mode: "oidc"; authority: string; clientId: string; scope: string };

/** `GET /api/config`. `auth` is null when the server does not say (then the page probes the development sign-in). */
export interface ClientConfig { basemap: Basemap | null; auth: ClientAuth | null }

/** A demo user of the development sign-in (`GET /api/dev/users`). */
export interface DevUser {
  id: string;
  name: string;
  role: string;
  district: string | null;
  sector: string | null;
  title: string;
}

/** `POST /api/dev/sign-in`. */
export interface DevToken { token: string; user: DevUser; expires: string }

/** A trygghetspunkt as residents see it (`GET /api/public/safety-points`): no staffing, stocks or notes. */
export interface PublicSafetyPoint {
  id: string;
  name: string;
  address: string;
  lon: number;
  lat: number;
  status: PointStatus;
  limitations: string | null;
  offers: Capability[];
  full: boolean;
  updatedAt: string;
  /** Demo data, not a real place. */
  example: boolean;
}

export interface CommandAccepted {
  seq: number;
  eventId: string;
  at: string;
  entity: AnyEntityRecord;
}

/** RFC 9457 ProblemDetails, as ASP.NET Core writes it. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}
