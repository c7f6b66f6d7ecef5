// Replay: the picture as it was, from the server's loggbok (GET …/replay/*). Read-only: it feeds
// the same store the live connection does, and nothing here can send a command.
import { apiFetch, pictureUrl } from "../api/http";
import type { LogEntry, ReplaySpan, Snapshot } from "../picture/protocol";
import type { PictureStore } from "../picture/store";

/** Playback speeds offered: 1× is real time, 60× a minute a second. */
export const replaySpeeds = [1, 2, 5, 10, 30, 60] as const;

const tickMs = 100;
/** Entries fetched per request while playing, ahead of the replay clock. */
const batch = 500;

/**
 * Shows a picture at any moment and plays it forward. A jump asks the server for the whole
 * picture then (it folds from its nearest checkpoint); playing applies the loggbok's entries
 * to the store as the replay clock passes their time, so map, panels and feed move as they did.
 */
export class ReplayPlayer {
  private _span: ReplaySpan | null = null;
  /** The moment shown, in ms since the epoch. */
  private _clock = 0;
  private _playing = false;
  private speed = 1;
  private until = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ahead: LogEntry[] = [];
  private fetchedThrough = 0;
  private fetching = false;
  private lastTick = 0;

  constructor(private readonly store: PictureStore, private readonly changed: () => void) {}

  get span(): ReplaySpan | null { return this._span; }
  get clock(): number { return this._clock; }
  get playing(): boolean { return this._playing; }

  /** Learns what can be shown, then jumps to `at` (ISO time; anything unreadable means the start). */
  async start(at: string | null): Promise<void> {
    const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`replay: ${response.status}`);
    this._span = (await response.json()) as ReplaySpan;
    const wanted = at ? Date.parse(at) : NaN;
    await this.jump(Number.isNaN(wanted) ? this.firstMs() : wanted);
  }

  /** Shows the picture as it was at `ms`. */
  async jump(ms: number): Promise<void> {
    this.pause();
    const query = new URLSearchParams({ at: new Date(ms).toISOString() });
    const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay/snapshot?${query}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`replay snapshot: ${response.status}`);
    const snapshot = (await response.json()) as Snapshot;
    this._clock = ms;
    this.ahead = [];
    this.fetchedThrough = snapshot.seq;
    this.store.applySnapshot(snapshot);
    this.changed();
  }

  /** Plays from the moment shown to `untilMs` at `speed`× real time. */
  play(speed: number, untilMs: number): void {
    this.pause();
    this.speed = speed;
    this.until = untilMs;
    this._playing = true;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), tickMs);
    void this.fetchAhead();
    this.changed();
  }

  pause(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this._playing) {
      this._playing = false;
      this.changed();
    }
  }

  firstMs(): number { return this._span?.firstAt ? Date.parse(this._span.firstAt) : Date.now(); }
  lastMs(): number { return this._span?.lastAt ? Date.parse(this._span.lastAt) : Date.now(); }

  private tick(): void {
    const now = performance.now();
    const last = this._span?.lastSeq ?? 0;
    // The clock waits while the next entries are on their way, so that none is passed over.
    const buffering = this.ahead.length === 0 && this.fetchedThrough < last;
    if (!buffering) this._clock = Math.min(this.until, this._clock + (now - this.lastTick) * this.speed);
    this.lastTick = now;
    while (this.ahead.length > 0 && Date.parse(this.ahead[0]!.at) <= this._clock) {
      this.store.applyDelta(this.ahead.shift()!);
    }
    if (this.ahead.length < batch / 2) void this.fetchAhead();
    const next = this.ahead[0];
    const done = next ? Date.parse(next.at) > this.until : this.fetchedThrough >= last;
    if (this._clock >= this.until && done) this.pause();
    this.changed();
  }

  private async fetchAhead(): Promise<void> {
    const last = this._span?.lastSeq ?? 0;
    if (this.fetching || this.fetchedThrough >= last) return;
    this.fetching = true;
    try {
      const query = new URLSearchParams({ afterSeq: String(this.fetchedThrough), throughSeq: String(Math.min(last, this.fetchedThrough + batch)) });
      const response = await apiFetch(`${pictureUrl(this.store.picture)}/replay/entries?${query}`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const entries = ((await response.json()) as { entries?: LogEntry[] }).entries ?? [];
      // A jump meanwhile started from another place: these belong to the old one.
      if (entries.length === 0 || entries[0]!.seq !== this.fetchedThrough + 1) return;
      this.ahead.push(...entries);
      this.fetchedThrough = entries[entries.length - 1]!.seq;
    } finally {
      this.fetching = false;
    }
  }
}
