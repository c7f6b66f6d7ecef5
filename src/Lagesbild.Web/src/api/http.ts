import { bearerToken, session, sessionExpired } from "../auth/session";
import type { AssignmentFollowUpFigures, ClientAuth, ClientConfig, CommandAccepted, LogEntry, ProblemDetails } from "../picture/protocol";
import type { components } from "../picture/contract.gen";

/** A command the server refused (or could not be reached for): what to show beside the form. */
export class CommandRefused extends Error {
  constructor(readonly status: number | null, readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${status ?? "?"}`);
  }
}

/**
 * fetch with the signed-in person's bearer token. A 401 while signed in means the sign-in
 * has run out (or was withdrawn): back to the sign-in screen.
 */
export async function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const token = bearerToken();
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(url, { ...init, headers, credentials: "same-origin" });
  if (response.status === 401 && session() !== null) sessionExpired();
  return response;
}

/** The map's and the sign-in's settings; when the server cannot be reached, no base map and an unknown sign-in. */
export async function fetchConfig(): Promise<ClientConfig> {
  try {
    // As index.html preloads it (no token, no headers of its own), so the preload's answer is the one used.
    const response = await fetch("/api/config", { credentials: "same-origin" });
    if (!response.ok) return { basemap: null, auth: null };
    const config = (await response.json()) as { basemap?: ClientConfig["basemap"]; auth?: Partial<ClientAuth> & { mode?: string } };
    return { basemap: config.basemap ?? null, auth: clientAuth(config.auth) };
  } catch {
    return { basemap: null, auth: null };
  }
}

function clientAuth(auth: { mode?: string; authority?: string | null; clientId?: string | null; scope?: string | null } | undefined): ClientAuth | null {
  if (auth?.mode === "development") return { mode: "development" };
  if (auth?.mode === "oidc" && auth.authority && auth.clientId) {
    return { mode: "oidc", authority: auth.authority, clientId: auth.clientId, scope: auth.scope || "openid" };
  }
  return null;
}

/** The loggbok entries with seq in (afterSeq, afterSeq + limit], oldest first. */
export async function fetchLog(picture: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
  const query = new URLSearchParams({ afterSeq: String(afterSeq), limit: String(limit) });
  const response = await apiFetch(`${pictureUrl(picture)}/log?${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`log: ${response.status}`);
  const body = (await response.json()) as { entries?: LogEntry[] };
  return body.entries ?? [];
}

/** One command as the protocol's HTTP API takes it. */
export interface CommandRequest {
  picture: string;
  method: "POST" | "PUT" | "PATCH";
  path: string;
  body: unknown;
}

export function command(picture: string, method: CommandRequest["method"], path: string, body: unknown): CommandRequest {
  return { picture, method, path, body };
}

/**
 * Sends one command over HTTP. The page does not apply the answer itself: the
 * change comes back as a live delta like everyone else's, so there is one way in.
 * The Idempotency-Key makes a retry after a lost answer count once.
 */
export async function sendCommand(request: CommandRequest, idempotencyKey: string): Promise<CommandAccepted> {
  let response: Response;
  try {
    response = await apiFetch(`${pictureUrl(request.picture)}/${request.path}`, {
      method: request.method,
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, application/problem+json",
        "Idempotency-Key": idempotencyKey,
      },
      body: JSON.stringify(request.body),
    });
  } catch {
    throw new CommandRefused(null, {});
  }
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return json as CommandAccepted;
  const problem: ProblemDetails = json && typeof json === "object" ? (json as ProblemDetails) : { detail: text.slice(0, 500) || undefined };
  throw new CommandRefused(response.status, problem);
}

/** A fresh random key (crypto.randomUUID needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function pictureUrl(picture: string): string {
  return `/api/pictures/${encodeURIComponent(picture)}`;
}

/** Path segment for an entity id. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

function parseJson(text: string): unknown {
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}

/** One thing's loggbok entries, oldest first: a beslut's or an uppdrag's long texts are read from here when it is opened. */
export async function fetchEntityLog(picture: string, kind: string, id: string): Promise<LogEntry[]> {
  const query = new URLSearchParams({ entity: `${kind}/${id}`, limit: "100" });
  const response = await apiFetch(`${pictureUrl(picture)}/log?${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`log: ${response.status}`);
  const body = (await response.json()) as { entries?: LogEntry[] };
  return body.entries ?? [];
}

/** The follow-up of a picture's uppdrag per district and sector, computed on the server. */
export async function fetchFollowUp(picture: string): Promise<AssignmentFollowUpFigures> {
  const response = await apiFetch(`${pictureUrl(picture)}/assignments/follow-up`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`follow-up: ${response.status}`);
  return (await response.json()) as AssignmentFollowUpFigures;
}

/** The city's default task lists per kind of event (configuration, the same for every picture). */
export async function fetchTaskLists(): Promise<components["schemas"]["TaskListKind"][]> {
  const response = await apiFetch("/api/task-lists", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`task-lists: ${response.status}`);
  return (await response.json()) as components["schemas"]["TaskListKind"][];
}
