import type { AnyEntityRecord, PointStatus } from "./protocol";

/**
 * A trygghetspunkt's lifecycle as the server's rules allow it (SafetyPointRules.cs), handed to
 * the page with the person's permissions: which status may follow which, and which count as in
 * operation. Empty until the server has answered.
 */
let pointRules: { next: Record<string, string[]>; inOperation: string[] } = { next: {}, inOperation: [] };

export function setPointStatusRules(rules: { next: Record<string, string[]>; inOperation: string[] }): void {
  pointRules = rules;
}

/** The statuses an operator may move a point to from `from`. */
export function nextPointStatuses(from: PointStatus): readonly PointStatus[] {
  return (pointRules.next[from] ?? []) as PointStatus[];
}

/** How long something in operation may go without a report before it looks stale. */
export const staleAfterMs = 30 * 60 * 1000;

/**
 * Only what is in operation is expected to report regularly; a resting point or a
 * district in normal state does not go stale by being quiet. Returns null when the
 * record cannot go stale.
 */
export function staleAfter(record: AnyEntityRecord): number | null {
  switch (record.kind) {
    case "SafetyPoint": return pointRules.inOperation.includes(record.state.status) ? staleAfterMs : null;
    case "District": return record.state.situation !== "Normal" ? staleAfterMs : null;
    case "Sector": return record.state.status !== "Normal" ? staleAfterMs : null;
    case "CrisisBody": return record.state.activation !== "Inactive" ? staleAfterMs : null;
    case "City": return record.state.level !== "Normal" ? staleAfterMs : null;
    // A beslut stands as recorded, and an uppdrag has its own deadline mark.
    case "Resolution": case "Assignment": return null;
    // A lägesrapport's lateness is the operativ rytm's (the samlad lägesbild flags it), a begäran has its deadline.
    case "SituationReport": case "ReportRequest": return null;
    // A roster is a plan, not a report.
    case "DutyRoster": return null;
    // A begäran has its need-by time; a resource is where its begäran put it.
    case "Resource": case "ResourceRequest": return null;
    // An alert escalates by its own waves.
    case "Alert": return null;
    // An exercise's clock ticks on its own; a message is read or not.
    case "Exercise": case "Message": return null;
    // An evaluation is notes about the exercise, not a report from it.
    case "Evaluation": return null;
  }
}
