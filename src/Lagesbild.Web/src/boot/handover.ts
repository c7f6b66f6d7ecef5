import type { DevToken, Snapshot } from "../picture/protocol";

/**
 * What the page's inline boot script (boot/inline.ts, written into index.html by build.mjs) started
 * before any script file had arrived: on a weak link each request waits half a second for its
 * answer, and the script files take most of a second more to come. Started from the page itself,
 * the sign-in, the snapshot and the live connection's WebSocket run beside that download instead
 * of after it. The page's own code takes each of them over once, when it gets to the step;
 * whatever was not started, or failed, it does itself as before.
 */
export interface BootStarted {
  /** The demo user of `?user=` being signed in (development sign-in), or null. */
  user: string | null;
  /** The sign-in's answer; null when the server could not be reached. */
  signIn: Promise<SignInAnswer | null> | null;
  /** The picture the snapshot and the socket are for. */
  picture: string;
  /**
   * `GET /api/pictures/{picture}/snapshot` with the token, when the device kept no picture of it: read as
   * soon as it comes, so the page's first Join need not wait for that; null when it got none.
   */
  snapshot: Promise<Snapshot | null> | null;
  /** The hub's WebSocket with the token, opened at once, and SignalR's handshake sent on it as soon as it opens. */
  socket: EarlySocket | null;
}

export interface EarlySocket {
  socket: WebSocket;
  /** Whether the boot script sent SignalR's handshake (`signalRHandshake`) on it. */
  handshakeSent: boolean;
  /** What the server said meanwhile (the handshake's answer), kept for SignalR; null once it is listening. */
  received: MessageEvent[] | null;
}

/**
 * SignalR's handshake for its JSON protocol, as @microsoft/signalr's HubConnection writes it: sent by the
 * boot script as soon as the socket opens, so its answer is there when the page's SignalR starts.
 */
export const signalRHandshake = '{"protocol":"json","version":1}\u001e';

export interface SignInAnswer {
  ok: boolean;
  status: number;
  body: Partial<DevToken> & { title?: string; detail?: string };
}

declare global {
  interface Window {
    lagesbildBoot?: BootStarted;
  }
}

/** The boot script's sign-in of `user`, once; null when it started none for that user. */
export function takeEarlySignIn(user: string): Promise<SignInAnswer | null> | null {
  const boot = window.lagesbildBoot;
  if (!boot || boot.user !== user || !boot.signIn) return null;
  const signIn = boot.signIn;
  boot.signIn = null;
  return signIn;
}

/** The boot script's snapshot request for `picture`, once; null when it started none. */
export function takeEarlySnapshot(picture: string): Promise<Snapshot | null> | null {
  const boot = window.lagesbildBoot;
  if (!boot || boot.picture !== picture || !boot.snapshot) return null;
  const snapshot = boot.snapshot;
  boot.snapshot = null;
  return snapshot;
}

/**
 * A WebSocket constructor for SignalR (its `WebSocket` option): the boot script's socket when it
 * is for the same address (the hub and the same token) and not closing, once; else a new one. A
 * socket already open when SignalR takes it tells SignalR so as soon as it listens. SignalR's own
 * handshake, when the boot script has sent the same already, is not sent again: what the server
 * answered (kept until then) is handed to SignalR instead, so the page's first Join goes out at once.
 * One never taken over is closed by the server once it has heard nothing from it for its client timeout (30 s).
 */
export class AdoptingWebSocket {
  // Read by SignalR from the constructor, as from WebSocket's.
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  constructor(url: string) {
    const early = window.lagesbildBoot?.socket;
    if (!early || early.socket.url !== new URL(url, location.href).href || early.socket.readyState > WebSocket.OPEN) return new WebSocket(url);
    window.lagesbildBoot!.socket = null;
    return adopted(early);
  }
}

function adopted(early: EarlySocket): WebSocket {
  const { socket } = early;
  let onmessage: ((event: MessageEvent) => void) | null = null;
  let listening = false;
  // From SignalR's handshake on: what was kept first, in order, then every message as it comes.
  const listen = (): void => {
    listening = true;
    queueMicrotask(() => {
      const kept = early.received?.splice(0) ?? [];
      early.received = null;
      socket.onmessage = onmessage;
      for (const event of kept) onmessage?.call(socket, event);
    });
  };
  return new Proxy(socket, {
    set(target, property, value) {
      if (property === "onopen" && target.readyState === WebSocket.OPEN && typeof value === "function") {
        queueMicrotask(() => (value as (event: Event) => void).call(target, new Event("open")));
        return true;
      }
      if (property === "onmessage") {
        onmessage = value as typeof onmessage;
        if (listening) target.onmessage = onmessage;
        return true;
      }
      return Reflect.set(target, property, value);
    },
    get(target, property) {
      if (property === "send") {
        return (data: Parameters<WebSocket["send"]>[0]) => {
          if (!listening) {
            listen();
            // Sent by the boot script already; anything else would follow a handshake the server has answered.
            if (early.handshakeSent && data === signalRHandshake) return;
            if (early.handshakeSent) {
              target.close(1002, "handshake already sent");
              return;
            }
          }
          target.send(data);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
