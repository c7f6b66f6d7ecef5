import type { AnyEntityRecord, PointStatus } from "./protocol";

/**
 * The status changes an operator is offered for a trygghetspunkt. The server
 * decides; this only keeps nonsense out of the menu.
 */
export const nextPointStatuses: Record<PointStatus, readonly PointStatus[]> = {
  Inactive: ["Activating"],
  Activating: ["Open", "Limited", "Inactive"],
  Open: ["Limited", "Closing"],
  Limited: ["Open", "Closing"],
  Closing: ["Closed", "Open"],
  Closed: ["Activating", "Inactive"],
};

/** Statuses in which a point is in operation and expected to report. */
export const operatingPointStatuses: readonly PointStatus[] = ["Activating", "Open", "Limited", "Closing"];

/** How long something in operation may go without a report before it looks stale. */
export const staleAfterMs = 30 * 60 * 1000;

/**
 * Only what is in operation is expected to report regularly; a resting point or a
 * district in normal state does not go stale by being quiet. Returns null when the
 * record cannot go stale.
 */
export function staleAfter(record: AnyEntityRecord): number | null {
  switch (record.kind) {
    case "SafetyPoint": return operatingPointStatuses.includes(record.state.status) ? staleAfterMs : null;
    case "District": return record.state.situation !== "Normal" ? staleAfterMs : null;
    case "Sector": return record.state.status !== "Normal" ? staleAfterMs : null;
    case "CrisisBody": return record.state.activation !== "Inactive" ? staleAfterMs : null;
    case "City": return record.state.level !== "Normal" ? staleAfterMs : null;
  }
}
