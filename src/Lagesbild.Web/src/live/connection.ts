import { AdoptingWebSocket } from "../boot/handover";
import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection, type IHttpConnectionOptions } from "@microsoft/signalr";
import { bearerToken, sessionExpired } from "../auth/session";
import { hubMethod, type JoinResult, type LogEntry, type Notice, type ProblemDetails, type Snapshot } from "../picture/protocol";
import type { PictureStore } from "../picture/store";

/**
 * The page's boot script may have opened the WebSocket already (boot/handover.ts). SignalR's browser
 * client reads its WebSocket constructor from this option, which its typings no longer name.
 */
const adoptingBootSocket = { WebSocket: AdoptingWebSocket } as Partial<IHttpConnectionOptions>;

export type ConnectionState = "connected" | "reconnecting" | "disconnected";

export interface LiveEvents {
  /**
   * The connection state changed. "connected" means joined: the picture is live. When it is
   * lost, `lastContact` is when the server was last heard from.
   */
  state(state: ConnectionState, lastContact?: Date): void;
  /** A Join was answered: from here on the picture is complete and live. */
  joined(result: JoinResult): void;
  /** The server refused the Join (e.g. no such picture); it is tried again. */
  refused(message: string): void;
  notice(notice: Notice): void;
}

const maxRetryMs = 5000;
/**
 * The server's heartbeat comes every 3 s (4 s at most) when nothing else is sent (HubHeartbeat.cs);
 * two missed and a little more, and the link is taken as dead although no socket said so.
 */
export const serverTimeoutMs = 8000;

/** Backoff 0.3, 0.6, 1.2, 2.4, 4.5 s … never more than 5 s, never giving up; jitter spreads a herd of clients. */
export function retryDelay(attempt: number): number {
  return Math.min(4500, 300 * 2 ** attempt) + Math.random() * 500;
}

/**
 * The live connection to /hubs/picture, following docs/protocol.md: Join after
 * every (re)connect from what the store already has, replace on `snapshot`, apply
 * `delta`s strictly in order and Join again when one is missing.
 */
export class LiveConnection {
  private hub: HubConnection;
  private direct = true;
  private current: ConnectionState = "disconnected";
  private joining = false;
  private joinAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private firstPicture: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: PictureStore, private readonly events: LiveEvents) {
    this.hub = this.build(true);
  }

  /**
   * The hub connection. `direct`: a WebSocket at once, without asking /negotiate first — one
   * round trip less before the picture is live, 0.56 s on a Fast 3G link. A network that lets
   * no WebSocket through fails that start; the page then negotiates, which may pick another
   * transport. A WebSocket refused for the token says no status to the page, so a failed start
   * or reconnect asks /api/me whether the token still holds.
   */
  private build(direct: boolean): HubConnection {
    const hub = new HubConnectionBuilder()
      // Browsers cannot set headers on a WebSocket: SignalR sends the token as access_token in the query.
      .withUrl("/hubs/picture", direct
        ? { accessTokenFactory: () => bearerToken() ?? "", skipNegotiation: true, transport: HttpTransportType.WebSockets, ...adoptingBootSocket }
        : { accessTokenFactory: () => bearerToken() ?? "" })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) => {
          if (isUnauthorized(context.retryReason)) {
            sessionExpired();
            return null;
          }
          if (direct) void expireIfRefused();
          return retryDelay(context.previousRetryCount);
        },
      })
      .withServerTimeout(serverTimeoutMs)
      .configureLogging(LogLevel.Warning)
      .build();
    this.direct = direct;
    this.listen(hub);
    return hub;
  }

  private listen(hub: HubConnection): void {
    const { store, events } = this;
    hub.on(hubMethod("snapshot"), (snapshot: Snapshot) => {
      if (snapshot.picture === store.picture) store.applySnapshot(snapshot);
    });
    hub.on(hubMethod("delta"), (entry: LogEntry) => this.delta(entry));
    hub.on(hubMethod("notice"), (notice: Notice) => events.notice(notice));
    // Silence past the timeout: the last message came serverTimeoutMs ago.
    hub.onreconnecting((error) => this.setState("reconnecting",
      new Date(Date.now() - (error?.message.includes("Server timeout") ? serverTimeoutMs : 0))));
    hub.onreconnected(() => void this.join());
    // Automatic reconnect never gives up, but the server may close for good (or a start fails): start over.
    hub.onclose(() => {
      this.setState("disconnected");
      this.scheduleStart(0);
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  /**
   * `firstPicture`: a snapshot on its way over HTTP (compressed, and asked beside the connection's
   * own round trips); the first Join waits for it and then asks only for what came after it.
   */
  start(firstPicture: Promise<unknown> = Promise.resolve()): void {
    this.firstPicture = firstPicture.catch(() => undefined);
    void this.startOnce(0);
  }

  /** Asks for what was missed, e.g. after the page slept or was hidden. */
  catchUp(): void {
    if (this.hub.state === HubConnectionState.Connected) {
      void this.join();
    } else if (this.hub.state === HubConnectionState.Disconnected) {
      clearTimeout(this.retryTimer);
      void this.startOnce(0);
    }
    // Connecting or reconnecting: a Join follows by itself.
  }

  private async startOnce(attempt: number): Promise<void> {
    if (this.hub.state !== HubConnectionState.Disconnected) return;
    try {
      await this.hub.start();
    } catch (error) {
      if (isUnauthorized(error)) {
        sessionExpired();
        return;
      }
      if (this.direct) {
        // No WebSocket got through (or the token was refused: asked below): negotiate from now on.
        void expireIfRefused();
        this.hub = this.build(false);
      }
      // Told even when nothing changed: a page opened with no network must say it is not live.
      this.current = "disconnected";
      this.events.state("disconnected", new Date());
      this.scheduleStart(attempt + 1);
      return;
    }
    await this.firstPicture;
    await this.join();
  }

  private scheduleStart(attempt: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.startOnce(attempt), attempt === 0 ? 0 : retryDelay(attempt));
  }

  private delta(entry: LogEntry): void {
    if (entry.picture !== undefined && entry.picture !== this.store.picture) return;
    if (this.store.applyDelta(entry) === "gap") void this.join();
  }

  private async join(): Promise<void> {
    if (this.joining) {
      // One Join at a time; a gap found meanwhile is asked for once this one is answered.
      this.joinAgain = true;
      return;
    }
    this.joining = true;
    try {
      const { store } = this;
      const afterSeq = store.hasSnapshot ? store.lastSeq : null;
      const afterEventId = store.hasSnapshot ? store.lastEventId : null;
      const result = await this.hub.invoke<JoinResult>(hubMethod("Join"), store.picture, afterSeq, afterEventId);
      this.setState("connected");
      this.events.joined(result);
    } catch (error) {
      // Lost the connection meanwhile: the reconnect (or onclose) path Joins again.
      if (this.hub.state === HubConnectionState.Connected) {
        this.events.refused(refusalText(error));
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => void this.join(), maxRetryMs);
      }
    } finally {
      this.joining = false;
    }
    if (this.joinAgain) {
      this.joinAgain = false;
      void this.join();
    }
  }

  private setState(state: ConnectionState, lastContact = new Date()): void {
    if (state === this.current) return;
    this.current = state;
    this.events.state(state, lastContact);
  }
}

/** Asks the server whether the page's token still holds; a 401 ends the session here too. */
async function expireIfRefused(): Promise<void> {
  const token = bearerToken();
  if (!token) return;
  try {
    const response = await fetch("/api/me", { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
    if (response.status === 401) sessionExpired();
  } catch { /* unreachable: the reconnect goes on */ }
}

/**
 * The hub refused the token: the sign-in has run out. SignalR reports a failed negotiation
 * only as text ("… Unauthorized: Status code '401'"), so that is what is read.
 */
function isUnauthorized(error: unknown): boolean {
  return error instanceof Error && /Status code '401'/.test(error.message);
}

/** A refused hub call carries the ProblemDetails as JSON in its message; show its detail. */
function refusalText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const start = message.indexOf("{");
  if (start >= 0) {
    try {
      const problem = JSON.parse(message.slice(start)) as ProblemDetails;
      return problem.detail ?? problem.title ?? message;
    } catch { /* not JSON: show it as it is */ }
  }
  return message;
}
