import type { AssignmentState } from "./protocol";
import type { PictureStore } from "./store";
import { parseTime } from "../ui/time";

/** Why an uppdrag needs attention now: past its deadline while open, or not yet acknowledged. */
export type Attention = "overdue" | "unacknowledged" | null;

const open = new Set(["Sent", "Received", "InProgress"]);

export function attentionOf(task: AssignmentState, now = Date.now()): Attention {
  if (!open.has(task.status)) return null;
  if (parseTime(task.due) < now) return "overdue";
  return task.status === "Sent" ? "unacknowledged" : null;
}

/** How many of a district's uppdrag need attention (its mark on the map and in the list). */
export function districtAttention(store: PictureStore, district: string, now = Date.now()): number {
  return store.all("Assignment").filter((t) => t.state.district === district && attentionOf(t.state, now) !== null).length;
}
