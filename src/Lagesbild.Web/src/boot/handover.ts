import type { DevToken } from "../picture/protocol";

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
  /** `GET /api/pictures/{picture}/snapshot` with the token, when the device kept no picture of it. */
  snapshot: Promise<Response> | null;
  /** The hub's WebSocket with the token, opened at once; SignalR's handshake is sent by the page. */
  socket: WebSocket | null;
}

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
export function takeEarlySnapshot(picture: string): Promise<Response> | null {
  const boot = window.lagesbildBoot;
  if (!boot || boot.picture !== picture || !boot.snapshot) return null;
  const snapshot = boot.snapshot;
  boot.snapshot = null;
  return snapshot;
}

/**
 * A WebSocket constructor for SignalR (its `WebSocket` option): the boot script's socket when it
 * is for the same address (the hub and the same token) and not closing, once; else a new one. A
 * socket already open when SignalR takes it tells SignalR so as soon as it listens. The server says
 * nothing on a socket before SignalR's handshake, so no message is missed meanwhile; one never taken
 * over is closed by the server when no handshake came (15 s).
 */
export const AdoptingWebSocket = Object.assign(
  function AdoptingWebSocket(url: string): WebSocket {
    const early = window.lagesbildBoot?.socket;
    if (!early || early.url !== new URL(url, location.href).href || early.readyState > WebSocket.OPEN) return new WebSocket(url);
    window.lagesbildBoot!.socket = null;
    return adopted(early);
  },
  { CONNECTING: WebSocket.CONNECTING, OPEN: WebSocket.OPEN, CLOSING: WebSocket.CLOSING, CLOSED: WebSocket.CLOSED },
);

function adopted(socket: WebSocket): WebSocket {
  return new Proxy(socket, {
    set(target, property, value) {
      if (property === "onopen" && target.readyState === WebSocket.OPEN && typeof value === "function") {
        queueMicrotask(() => (value as (event: Event) => void).call(target, new Event("open")));
        return true;
      }
      return Reflect.set(target, property, value);
    },
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
