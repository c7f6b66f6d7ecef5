import type { AssignmentState } from "./protocol";
import type { PictureStore } from "./store";
import { parseTime } from "../ui/time";
import { pictureNow } from "./clock";

/** Why an uppdrag needs attention now: past its deadline while open, or not yet acknowledged. */
export type Attention = "overdue" | "unacknowledged" | null;

const open = new Set(["Sent", "Received", "InProgress"]);

export function attentionOf(task: AssignmentState, now = pictureNow()): Attention {
  if (!open.has(task.status)) return null;
  if (parseTime(task.due) < now) return "overdue";
  return task.status === "Sent" ? "unacknowledged" : null;
}

/** How many of a district's uppdrag need attention (its mark on the map and in the list). */
export function districtAttention(store: PictureStore, district: string, now = pictureNow()): number {
  return store.all("Assignment").filter((t) => t.state.district === district && attentionOf(t.state, now) !== null).length;
}

/**
 * Which uppdrag need attention at `now`, as one string: it changes only when a mark does, so a
 * tick of the clock redraws the uppdrag and their districts only when a deadline has passed.
 */
export function attentionMarks(store: PictureStore, now = pictureNow()): string {
  return store.all("Assignment").map((t) => `${t.id}:${attentionOf(t.state, now) ?? ""}`).join(" ");
}
