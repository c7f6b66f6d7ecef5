import { apiFetch, pictureUrl } from "../api/http";
import type { components } from "./contract.gen";

type Schemas = components["schemas"];
export type PointAttention = Schemas["PointAttention"];
export type AttentionReason = Schemas["AttentionReason"];
export type AttentionRule = Schemas["AttentionRule"];
export type ConditionKind = Schemas["ConditionKind"];
export type OverdueReporter = Schemas["OverdueReporter"];

/** Asked again at least this often, so a mark that time alone raises or clears is never long behind. */
const longestWaitMs = 60_000;
/** Questions under way at once; see AttentionWatch.refresh. */
const maxInFlight = 2;

/**
 * Which trygghetspunkter need attention, as the server's rules judge them (SafetyPointAttention.cs):
 * asked when the picture arrives, when a point changes, and when the server says the answer next
 * changes by time alone. The page never judges a point itself.
 */
/** The watch of the picture on screen, for views that show a point's stale statuses. */
let current: AttentionWatch | null = null;

/** The statuses the server calls stale for a point (none before it has answered). */
export function staleStatuses(id: string): ConditionKind[] {
  return (current?.of(id)?.reasons ?? []).flatMap((r) => (r.rule === "StatusStale" && r.status ? [r.status] : []));
}

/** Whether the server judges a reporter (e.g. `district-farsta`) late with its answer to a begäran (false before it has answered). */
export function lateToRequest(reporter: string, request: string): boolean {
  return current?.reportOverdue(reporter)?.requests.includes(request) ?? false;
}

export class AttentionWatch {
  private points = new Map<string, PointAttention>();
  private reports = new Map<string, OverdueReporter>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Questions sent so far, and the newest one whose answer is shown. */
  private asked = 0;
  private shown = 0;
  private inFlight = 0;
  private askAgain = false;
  /** The judgement last handed on, as text: an answer that says the same again redraws nothing. */
  private judged = "";

  constructor(private readonly picture: string, private readonly changed: () => void) {
    current = this;
  }

  /** Why a point needs attention, or undefined when it does not. */
  of(id: string): PointAttention | undefined {
    return this.points.get(id);
  }

  /** Why a district's or sector's lägesrapport is late (its stream, e.g. `district-farsta`), or undefined when it is not. */
  reportOverdue(reporter: string): OverdueReporter | undefined {
    return this.reports.get(reporter);
  }

  /** The districts and sectors late with a lägesrapport. */
  overdueReports(): OverdueReporter[] {
    return [...this.reports.values()];
  }

  /** The points that need attention, in the server's order (the city's refuelling order first). */
  all(): PointAttention[] {
    return [...this.points.values()];
  }

  /**
   * Asks now, so a mark follows the change that raised it by one question and no wait: a question
   * already under way was sent before this change and cannot answer for it. Only when two are under
   * way (a burst of changes) is one more asked when the first is answered, so a burst costs a few
   * questions, not one per change.
   */
  refresh(): void {
    if (this.inFlight >= maxInFlight) {
      this.askAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.inFlight++;
    void this.ask(++this.asked).finally(() => {
      this.inFlight--;
      if (this.askAgain) {
        this.askAgain = false;
        this.refresh();
      }
    });
  }

  private async ask(question: number): Promise<void> {
    let wait = longestWaitMs;
    try {
      const response = await apiFetch(`${pictureUrl(this.picture)}/attention`);
      if (response.ok) {
        const answer = (await response.json()) as Schemas["AttentionAnswer"];
        // Answers to overlapping questions may come back out of order: an older one never replaces a newer.
        if (question < this.shown) return;
        this.shown = question;
        if (answer.changesAt) wait = Math.min(wait, Math.max(1000, Date.parse(answer.changesAt) - Date.parse(answer.at) + 500));
        // In a burst every point's change asks again, and nearly every answer is the last one again.
        const judged = JSON.stringify([answer.points, answer.reports]);
        if (judged !== this.judged) {
          this.judged = judged;
          this.points = new Map(answer.points.map((p) => [p.id, p]));
          this.reports = new Map(answer.reports.map((r) => [r.reporter, r]));
          this.changed();
        }
      }
    } catch {
      // Unreachable: the connection banner says so; the marks stay as last known and are asked for again.
    }
    if (question === this.asked) this.timer = setTimeout(() => this.refresh(), wait);
  }
}
