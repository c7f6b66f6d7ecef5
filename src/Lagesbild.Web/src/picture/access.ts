import type { CityLevel, EntityKind } from "./protocol";

/**
 * Who may send which command: a convenience mirror of
 * src/Lagesbild.Domain/Picture/Access.cs, so the page can disable what would be
 * refused and say why before anyone fills in a form. The server stays the
 * authority: when this mirror is wrong, its 403 refusal is shown beside the form.
 * Change both together.
 */

/** The roles of the city's crisis organisation, as in tokens and the loggbok (Roles in Actor.cs). */
export type Role = "central" | "district" | "sector" | "tib" | "observer" | "public";

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
  return role === "central" || role === "district" || role === "sector" || role === "tib" || role === "observer";
}

export type CommandType =
  | "RegisterSafetyPoint" | "UpdateSafetyPointDetails" | "ChangeSafetyPointStatus" | "SetSafetyPointCapabilities"
  | "ReportSafetyPointResources" | "ReportSafetyPointVisitors"
  | "SetDistrictSituation" | "ChangeDistrictLocalLevel" | "SetDistrictDutyContact"
  | "ReportSectorStatus" | "SetSectorLead"
  | "ChangeCrisisBodyActivation" | "SetCrisisBodyOnDuty" | "ScheduleCrisisBodyMeeting"
  | "ChangeCityLevel";

/** One command about to be sent to one entity. */
export interface CommandCheck {
  command: CommandType;
  kind: EntityKind;
  id: string;
  /** The district the entity belongs to: a point's, the district itself, a local crisis body's (else null). */
  district: string | null;
  /** ChangeCityLevel: the level asked for; left out, the question is whether any level may be set. */
  level?: CityLevel;
}

/** Why a command would be refused; the page words it (i18n `access`). */
export type Refusal =
  | { rule: "noDistrict" }
  | { rule: "otherDistrict"; own: string }
  | { rule: "notDistrictMatter"; own: string }
  | { rule: "noSector" }
  | { rule: "otherSector"; own: string }
  | { rule: "sectorReportsOnly" }
  | { rule: "dutyOfficerLevel" }
  | { rule: "dutyOfficerOfficeHours" }
  | { rule: "dutyOfficerNot" }
  | { rule: "observer" }
  | { rule: "readOnly" };

const pointCommands: readonly CommandType[] = [
  "RegisterSafetyPoint", "UpdateSafetyPointDetails", "ChangeSafetyPointStatus", "SetSafetyPointCapabilities",
  "ReportSafetyPointResources", "ReportSafetyPointVisitors",
];
const districtCommands: readonly CommandType[] = ["SetDistrictSituation", "ChangeDistrictLocalLevel", "SetDistrictDutyContact"];
const crisisBodyCommands: readonly CommandType[] = ["ChangeCrisisBodyActivation", "SetCrisisBodyOnDuty", "ScheduleCrisisBodyMeeting"];
/** Levels TiB may decide on their own mandate. */
const dutyOfficerLevels: readonly CityLevel[] = ["Normal", "SocietalDisturbance"];
/** Crisis bodies TiB may start and keep: central krisledning and TiB's own. */
const dutyOfficerBodies: readonly string[] = ["central-krisledning", "tib"];

/** Null when `user` may send the command; otherwise why not. */
export function check(user: User, request: CommandCheck, now = new Date()): Refusal | null {
  switch (user.role) {
    case "central":
      return null;
    case "district": {
      if (!user.district) return { rule: "noDistrict" };
      if (!isDistrictMatter(request)) return { rule: "notDistrictMatter", own: user.district };
      return request.district === user.district ? null : { rule: "otherDistrict", own: user.district };
    }
    case "sector": {
      if (!user.sector) return { rule: "noSector" };
      if (request.kind !== "Sector" || request.command !== "ReportSectorStatus") return { rule: "sectorReportsOnly" };
      return request.id === user.sector ? null : { rule: "otherSector", own: user.sector };
    }
    case "tib":
      return dutyOfficer(request, now);
    case "observer":
      return { rule: "observer" };
    default:
      return { rule: "readOnly" };
  }
}

function dutyOfficer(request: CommandCheck, now: Date): Refusal | null {
  if (request.command === "ChangeCityLevel") {
    return request.level === undefined || dutyOfficerLevels.includes(request.level) ? null : { rule: "dutyOfficerLevel" };
  }
  if (request.kind === "CrisisBody" && dutyOfficerBodies.includes(request.id)) return null;
  if (isDistrictMatter(request)) return withinOfficeHours(now) ? { rule: "dutyOfficerOfficeHours" } : null;
  return { rule: "dutyOfficerNot" };
}

/** What belongs to a district: its points, itself, and its local crisis management. */
function isDistrictMatter({ kind, command, id }: CommandCheck): boolean {
  switch (kind) {
    case "SafetyPoint": return pointCommands.includes(command);
    case "District": return districtCommands.includes(command);
    case "CrisisBody": return crisisBodyCommands.includes(command) && id.startsWith("lokal-");
    default: return false;
  }
}

const stockholmClock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Stockholm", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** The city's office hours (OfficeHours.Stockholm): weekdays 08:00–17:00 Stockholm time; public holidays are not modelled. */
export function withinOfficeHours(moment: Date): boolean {
  const parts = stockholmClock.formatToParts(moment);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const minutes = Number(get("hour")) * 60 + Number(get("minute"));
  return get("weekday") !== "Sat" && get("weekday") !== "Sun" && minutes >= 8 * 60 && minutes < 17 * 60;
}
