// The page's boot script, written into index.html (build.mjs) and allowed by its hash in the
// Content-Security-Policy (the server computes it from the page): what the page can start before
// its script files have arrived, handed over in window.lagesbildBoot (boot/handover.ts).
import { signalRHandshake, type BootStarted, type EarlySocket, type SignInAnswer } from "./handover";
import type { Snapshot } from "../picture/protocol";
import { seesOperatorsPicture } from "../picture/access";
import { lastPictureKey } from "../picture/lastPicture";
import { readStoredSession } from "../auth/storedSession";

const query = new URLSearchParams(location.search);
startLivePicture();
// After the sign-in's request, so that it is among the first six a browser sends a host at once (HTTP/1.1):
// the files the page's script imports and the map's districts, named by the page (build.mjs).
preload(document.querySelector<HTMLMetaElement>('meta[name="lagesbild-preload"]')?.content.split(" ") ?? []);

function startLivePicture(): void {
  // A replay joins nothing and the public view signs no one in: the page's own code does the rest.
  if (query.has("replay") || query.get("view") === "public") return;
  const user = query.get("user");
  const picture = query.get("picture")?.trim() || "live";
  const boot: BootStarted = { user: null, signIn: null, picture, snapshot: null, socket: null };
  window.lagesbildBoot = boot;
  const stored = readStoredSession();
  // The page goes on with a stored session that has not run out and is not another demo user's (auth/signIn.ts).
  if (stored && (stored.expires === null || Date.parse(stored.expires) > Date.now() + 60_000) && (!user || stored.devUser === user)) {
    joinEarly(stored.token, stored.user.role);
  } else if (user) {
    boot.user = user;
    boot.signIn = fetch("/api/dev/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
      body: JSON.stringify({ user }),
    }).then(async (response): Promise<SignInAnswer> => {
      const body = (await response.json().catch(() => ({}))) as SignInAnswer["body"];
      if (response.ok && body.token && body.user) joinEarly(body.token, body.user.role);
      return { ok: response.ok, status: response.status, body };
    }, () => null);
  }

  function joinEarly(token: string, role: string): void {
    if (!seesOperatorsPicture(role)) return;
    let kept = false;
    try { kept = localStorage.getItem(lastPictureKey(picture)) !== null; } catch { /* no storage: nothing kept */ }
    if (!kept) {
      boot.snapshot = fetch(`/api/pictures/${encodeURIComponent(picture)}/snapshot`, {
        headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
        credentials: "same-origin",
      }).then((response) => (response.ok ? (response.json() as Promise<Snapshot>) : null)).catch(() => null);
    }
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/hubs/picture?access_token=${encodeURIComponent(token)}`);
    const early: EarlySocket = { socket, handshakeSent: false, received: [] };
    // Listeners, not onopen/onmessage: SignalR sets those when it takes the socket over, and these go on first.
    socket.addEventListener("open", () => {
      socket.send(signalRHandshake);
      early.handshakeSent = true;
    });
    socket.addEventListener("message", (event) => early.received?.push(event));
    boot.socket = early;
  }
}

function preload(files: string[]): void {
  for (const file of files.filter(Boolean)) {
    const link = document.createElement("link");
    if (file.endsWith(".js")) link.rel = "modulepreload";
    else Object.assign(link, { rel: "preload", as: "fetch", crossOrigin: "anonymous" });
    link.href = file;
    document.head.append(link);
  }
}
