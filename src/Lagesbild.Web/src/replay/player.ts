// Replay: the picture as it was, from the server's loggbok (GET …/replay/*). Read-only: it feeds
// the same store the live connection does, and nothing here can send a command.
import { apiFetch, pictureUrl } from "../api/http";
import type { LogEntry, ReplaySpan, Snapshot } from "../picture/protocol";
import type { PictureStore } from "../picture/store";

/** Playback speeds offered: 1× is real time, 60× a minute a second. */
export const replaySpeeds = [1, 2, 5, 10, 30, 60] as const;

/** Entries asked for per request: the most the server gives (ReplayApi.MaxEntries). */
const page = 1000;
/**
 * Entries applied in one animation frame at most. At 60× a busy minute is some 20 a frame; a jump of the page's
 * clock (a tab that slept) is spread over frames instead of freezing one.
 */
const perFrame = 200;
/** A hidden page gets no animation frames: it plays on this late instead. */
const hiddenTickMs = 250;

/**
 * Shows a picture at any moment and plays it forward. A jump asks the server for the whole
 * picture then (it folds from its nearest checkpoint); playing applies the loggbok's entries
 * to the store as the replay clock passes their time, so map, panels and feed move as they did.
 * Playing runs once per animation frame: the frame's entries go to the store together (the page then
 * redraws only what they touched, as it does for live deltas), and the next pages of entries are
 * fetched while these play, from the moment a replay is shown, so a frame never waits on the network.
 */
export class ReplayPlayer {
  private _span: ReplaySpan | null = null;
  /** The moment shown, in ms since the epoch. */
  private _clock = 0;
  private _playing = false;
  private speed = 1;
  private until = 0;
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Entries fetched and not yet applied: `ahead[next]` on, in sequence order, with their times read once. */
  private ahead: { entry: LogEntry; at: number }[] = [];
  private next = 0;
  private fetchedThrough = 0;
  private fetching = false;
  /** Counts jumps, so that a page that arrives after one is dropped. */
  private place = 0;
  private lastTick = 0;

  constructor(private readonly store: PictureStore, private readonly changed: () => void) {}

  get span(): ReplaySpan | null { return this._span; }
  get clock(): number { return this._clock; }
  get playing(): boolean { return this._playing; }
  /** Whether the clock has reached the time it was played to (playing stopped there, not paused). */
  get reachedEnd(): boolean { return this._clock >= this.until; }

  /** Learns what can be shown, then jumps to `at` (ISO time; anything unreadable means the start). */
  async start(at: string | null): Promise<void> {
    const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`replay: ${response.status}`);
    this._span = (await response.json()) as ReplaySpan;
    const wanted = at ? Date.parse(at) : NaN;
    await this.jump(Number.isNaN(wanted) ? this.firstMs() : wanted);
  }

  /** Shows the picture as it was at `ms`, and fetches what follows it, ready to play. */
  async jump(ms: number): Promise<void> {
    this.pause();
    const query = new URLSearchParams({ at: new Date(ms).toISOString() });
    const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay/snapshot?${query}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`replay snapshot: ${response.status}`);
    const snapshot = (await response.json()) as Snapshot;
    this._clock = ms;
    this.place++;
    this.ahead = [];
    this.next = 0;
    this.fetchedThrough = snapshot.seq;
    this.store.applySnapshot(snapshot);
    this.changed();
    void this.fetchAhead();
  }

  /** Plays from the moment shown to `untilMs` at `speed`× real time. */
  play(speed: number, untilMs: number): void {
    this.pause();
    this.speed = speed;
    this.until = untilMs;
    this._playing = true;
    this.lastTick = performance.now();
    this.schedule();
    void this.fetchAhead();
    this.changed();
  }

  pause(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = this.timer = undefined;
    if (this._playing) {
      this._playing = false;
      this.changed();
    }
  }

  firstMs(): number { return this._span?.firstAt ? Date.parse(this._span.firstAt) : Date.now(); }
  lastMs(): number { return this._span?.lastAt ? Date.parse(this._span.lastAt) : Date.now(); }

  private schedule(): void {
    if (document.visibilityState === "visible") this.frame = requestAnimationFrame(() => this.tick());
    else this.timer = setTimeout(() => this.tick(), hiddenTickMs);
  }

  private tick(): void {
    this.frame = this.timer = undefined;
    const now = performance.now();
    const last = this._span?.lastSeq ?? 0;
    // The clock waits while the next entries are on their way, so that none is passed over.
    const buffering = this.next === this.ahead.length && this.fetchedThrough < last;
    if (!buffering) this._clock = Math.min(this.until, this._clock + (now - this.lastTick) * this.speed);
    this.lastTick = now;
    const due: LogEntry[] = [];
    while (this.next < this.ahead.length && due.length < perFrame && this.ahead[this.next]!.at <= this._clock) {
      due.push(this.ahead[this.next++]!.entry);
    }
    if (due.length > 0) this.store.applyDeltas(due);
    if (this.next > page) {
      this.ahead = this.ahead.slice(this.next);
      this.next = 0;
    }
    if (this.ahead.length - this.next < page) void this.fetchAhead();
    const following = this.ahead[this.next];
    const done = following ? following.at > this.until : this.fetchedThrough >= last;
    this.changed();
    if (this._clock >= this.until && done) this.pause();
    else this.schedule();
  }

  /** Fetches the pages after what is fetched until two pages lie ahead of the replay clock. */
  private async fetchAhead(): Promise<void> {
    const last = this._span?.lastSeq ?? 0;
    if (this.fetching) return;
    this.fetching = true;
    try {
      while (this.fetchedThrough < last && this.ahead.length - this.next < 2 * page) {
        const place = this.place;
        const query = new URLSearchParams({ afterSeq: String(this.fetchedThrough), throughSeq: String(Math.min(last, this.fetchedThrough + page)) });
        const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay/entries?${query}`, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const entries = ((await response.json()) as { entries?: LogEntry[] }).entries ?? [];
        // A jump meanwhile started from another place: these belong to the old one.
        if (place !== this.place) continue;
        if (entries.length === 0 || entries[0]!.seq !== this.fetchedThrough + 1) return;
        for (const entry of entries) this.ahead.push({ entry, at: Date.parse(entry.at) });
        this.fetchedThrough = entries[entries.length - 1]!.seq;
      }
    } finally {
      this.fetching = false;
    }
  }
}
