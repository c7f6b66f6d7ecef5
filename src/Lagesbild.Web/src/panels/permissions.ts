import { m } from "../i18n";
import { check, type CommandCheck, type Refusal, type User } from "../picture/access";
import type { AnyEntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";

/** Why the signed-in person may not send a command, in the page's words; null when they may. */
export type May = (request: CommandCheck) => string | null;

/** The access rules' verdict (picture/access.ts), worded with the picture's own names. */
export function permissions(user: User, store: PictureStore): May {
  const districtName = (id: string) => store.get("District", id)?.state.name ?? id;
  const sectorName = (id: string) => store.get("Sector", id)?.state.name ?? id;
  const explain = (refusal: Refusal): string => {
    switch (refusal.rule) {
      case "otherDistrict": return m.access.otherDistrict(districtName(refusal.own));
      case "notDistrictMatter": return m.access.notDistrictMatter(districtName(refusal.own));
      case "otherSector": return m.access.otherSector(sectorName(refusal.own));
      default: return m.access[refusal.rule];
    }
  };
  return (request) => {
    const refusal = check(user, request);
    return refusal && explain(refusal);
  };
}

/** The entity a command on `record` changes, as the access rules see it: which district it belongs to. */
export function targetOf(record: AnyEntityRecord): Omit<CommandCheck, "command"> {
  const { kind, id } = record;
  switch (record.kind) {
    case "SafetyPoint": return { kind, id, district: record.state.district };
    case "District": return { kind, id, district: id };
    case "CrisisBody": return { kind, id, district: record.state.district };
    default: return { kind, id, district: null };
  }
}
