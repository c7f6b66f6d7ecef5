import { apiFetch, pictureUrl } from "../api/http";
import { takeEarlySnapshot } from "../boot/handover";
import type { User } from "../picture/access";
import { readLastPicture, type LastPicture } from "../picture/lastPicture";
import type { JoinResult, Notice, Snapshot } from "../picture/protocol";
import { PictureStore } from "../picture/store";
import { LiveConnection, type ConnectionState, type LiveEvents } from "./connection";

/** Which picture and moment the page's address asks for. */
export interface PageMoment {
  /** `?picture=ex-…` selects an exercise; anything but `live` is marked ÖVNING everywhere. */
  picture: string;
  /** `?replay=<ISO time>` shows the picture as it was then, read-only, marked UPPSPELNING. */
  replayAt: string | null;
}

export function pageMoment(): PageMoment {
  const query = new URLSearchParams(location.search);
  return { picture: query.get("picture")?.trim() || "live", replayAt: query.get("replay") };
}

/** A live picture under way before the operators' page is there to show it. */
export interface StartedPicture {
  store: PictureStore;
  live: LiveConnection;
  /** The picture the device kept from the last visit, already in the store. */
  last: LastPicture | null;
  /** Hands the connection's news to the page: what it said so far, in order, then the rest as it comes. */
  attach(events: LiveEvents): void;
}

/**
 * Joins the live picture as soon as the page knows who is signed in, before the operators' page
 * (the map and the panels) is built; the WebSocket and the snapshot the page's boot script started
 * are taken over (boot/handover.ts), so on a weak link their round trips have overlapped the
 * script's download instead of following it. A replay shows
 * another moment and joins nothing (null). A repeat visit starts from the picture the device
 * kept and joins from it: the server sends what changed since. A first visit asks for the
 * snapshot over HTTP beside the connection's opening: compressed it is a fifth of the hub's
 * uncompressed one, and the Join then asks only for what came after it.
 */
export function startLivePicture(user: User): StartedPicture | null {
  const { picture, replayAt } = pageMoment();
  if (replayAt !== null) return null;
  const store = new PictureStore(picture);
  const last = readLastPicture(picture, user);
  if (last) store.applySnapshot(last.snapshot);
  const relay = new EventRelay();
  const live = new LiveConnection(store, relay);
  live.start(store.hasSnapshot ? undefined : fetchSnapshot(store));
  return { store, live, last, attach: (events) => relay.attach(events) };
}

async function fetchSnapshot(store: PictureStore): Promise<void> {
  // The page's boot script may have asked already (boot/handover.ts); when it got no snapshot, the page asks
  // itself (a 401 then takes it to the sign-in screen).
  const snapshot = (await takeEarlySnapshot(store.picture)) ?? await askSnapshot(store.picture);
  // Whatever arrived meanwhile is as new or newer: the hub's own snapshot or deltas.
  if (snapshot && !store.hasSnapshot && snapshot.picture === store.picture) store.applySnapshot(snapshot);
}

async function askSnapshot(picture: string): Promise<Snapshot | null> {
  const response = await apiFetch(`${pictureUrl(picture)}/snapshot`, { headers: { Accept: "application/json" } });
  return response.ok ? ((await response.json()) as Snapshot) : null;
}

/** Keeps what the connection says until the page listens, then passes everything on. */
class EventRelay implements LiveEvents {
  private target: LiveEvents | null = null;
  private readonly kept: ((events: LiveEvents) => void)[] = [];

  state(state: ConnectionState, lastContact?: Date): void {
    this.tell((events) => events.state(state, lastContact));
  }

  joined(result: JoinResult): void {
    this.tell((events) => events.joined(result));
  }

  refused(message: string): void {
    this.tell((events) => events.refused(message));
  }

  notice(notice: Notice): void {
    this.tell((events) => events.notice(notice));
  }

  attach(events: LiveEvents): void {
    this.target = events;
    for (const told of this.kept.splice(0)) told(events);
  }

  private tell(told: (events: LiveEvents) => void): void {
    if (this.target) told(this.target);
    else this.kept.push(told);
  }
}
