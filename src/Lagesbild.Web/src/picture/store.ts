import type { AnyEntityRecord, EntityKind, EntityRecord, LogEntry, Snapshot } from "./protocol";

export type PictureChange =
  | { type: "snapshot" }
  | { type: "delta"; entry: LogEntry }
  | { type: "history" };

/** What `applyDelta` did: applied it, it was old news, or entries are missing before it. */
export type DeltaOutcome = "applied" | "old" | "gap";

const feedLength = 200;

/**
 * The client's copy of one picture: every entity's latest record, the sequence
 * number it is complete up to, and the newest loggbok entries for the feed.
 * The live connection feeds it; panels and map layers read it and listen for changes.
 */
export class PictureStore {
  private entities = new Map<string, AnyEntityRecord>();
  private listeners: ((change: PictureChange) => void)[] = [];
  /** Loggbok entries, newest first. */
  private feed: LogEntry[] = [];
  private _hasSnapshot = false;
  private _lastSeq = 0;
  private _lastEventId: string | null = null;

  constructor(readonly picture: string) {}

  get hasSnapshot(): boolean { return this._hasSnapshot; }
  get lastSeq(): number { return this._lastSeq; }
  get lastEventId(): string | null { return this._lastEventId; }

  onChange(listener: (change: PictureChange) => void): void {
    this.listeners.push(listener);
  }

  applySnapshot(snapshot: Snapshot): void {
    this.entities.clear();
    for (const record of snapshot.entities) this.entities.set(key(record.kind, record.id), record);
    this._hasSnapshot = true;
    this._lastSeq = snapshot.seq;
    this._lastEventId = snapshot.eventId;
    // Feed entries past the snapshot's seq belong to another history (a picture started over).
    this.feed = this.feed.filter((e) => e.seq <= snapshot.seq);
    this.emit({ type: "snapshot" });
  }

  applyDelta(entry: LogEntry): DeltaOutcome {
    const outcome = this.set(entry);
    if (outcome !== "applied") return outcome;
    this.addToFeed([entry]);
    this.emit({ type: "delta", entry });
    return "applied";
  }

  /**
   * Applies entries in sequence order (a replay's frame of them) as one step: the feed takes them at once, then
   * each is announced as a delta, so the page redraws what they touched once. Stops at the first gap.
   */
  applyDeltas(entries: readonly LogEntry[]): void {
    const applied: LogEntry[] = [];
    for (const entry of entries) {
      const outcome = this.set(entry);
      if (outcome === "gap") break;
      if (outcome === "applied") applied.push(entry);
    }
    if (applied.length === 0) return;
    this.addToFeed(applied);
    for (const entry of applied) this.emit({ type: "delta", entry });
  }

  private set(entry: LogEntry): DeltaOutcome {
    if (!this._hasSnapshot || entry.seq <= this._lastSeq) return "old";
    if (entry.seq !== this._lastSeq + 1) return "gap";
    const { kind, id } = entry.entity;
    this.entities.set(key(kind, id), {
      seq: entry.seq, kind, id, at: entry.at, by: entry.actor.name, state: entry.state,
    } as AnyEntityRecord);
    this._lastSeq = entry.seq;
    this._lastEventId = entry.id;
    return "applied";
  }

  /** The picture as a snapshot, to be kept on the device (picture/lastPicture.ts). */
  toSnapshot(): Snapshot {
    return { picture: this.picture, seq: this._lastSeq, eventId: this._lastEventId, entities: [...this.entities.values()] };
  }

  /** Older loggbok entries fetched over HTTP, for the feed only. */
  addHistory(entries: LogEntry[]): void {
    this.addToFeed(entries.filter((e) => e.seq <= this._lastSeq));
    this.emit({ type: "history" });
  }

  get<K extends EntityKind>(kind: K, id: string): EntityRecord<K> | undefined {
    return this.entities.get(key(kind, id)) as EntityRecord<K> | undefined;
  }

  all<K extends EntityKind>(kind: K): EntityRecord<K>[] {
    const result: EntityRecord<K>[] = [];
    for (const record of this.entities.values()) {
      if (record.kind === kind) result.push(record as EntityRecord<K>);
    }
    return result;
  }

  latestEntries(): readonly LogEntry[] {
    return this.feed;
  }

  private addToFeed(entries: LogEntry[]): void {
    // Deltas come in order after what the feed holds: put in front, newest first, with no search or sort.
    const newest = this.feed[0]?.seq ?? 0;
    if (entries.every((e, i) => e.seq > newest && (i === 0 || e.seq > entries[i - 1]!.seq))) {
      this.feed = entries.slice(-feedLength).reverse().concat(this.feed.slice(0, Math.max(0, feedLength - entries.length)));
      return;
    }
    const seen = new Set(this.feed.map((e) => e.seq));
    const fresh = entries.filter((e) => !seen.has(e.seq));
    if (fresh.length === 0) return;
    this.feed = [...fresh, ...this.feed].sort((a, b) => b.seq - a.seq).slice(0, feedLength);
  }

  private emit(change: PictureChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function key(kind: EntityKind, id: string): string {
  return `${kind}/${id}`;
}
