import type { User } from "../picture/access";
import { forgetLastPictures } from "../picture/lastPicture";
import { parseTime } from "../ui/time";
import { readStoredSession, sessionKey } from "./storedSession";

/**
 * The signed-in session: the bearer token every request and the hub carry, and who it
 * belongs to. Kept in sessionStorage, so it lives as long as the tab and is never shared
 * with another tab or left behind when the browser closes.
 */
export interface Session {
  token: string;
  /** When the token runs out (ISO), if known. */
  expires: string | null;
  user: User;
  /** How the header describes the person, e.g. "Farsta stadsdelsförvaltning" (demo users have one). */
  title: string | null;
  /** The demo user signed in as (development sign-in), so `?user=` can tell it is already done. */
  devUser: string | null;
  /** OpenID Connect: the id token, to end the session at the provider on sign-out. */
  idToken: string | null;
  /** OpenID Connect: renews the token before it runs out, without a new sign-in. */
  refreshToken: string | null;
}

const noticeKey = "lagesbild.signed-out";
/** A token this close to running out is treated as gone: a request sent with it could arrive too late. */
export const expiryMarginMs = 30_000;

let current: Session | null = readStoredSession();
let leaving = false;

export function session(): Session | null {
  return current;
}

export function saveSession(next: Session): void {
  current = next;
  try { sessionStorage.setItem(sessionKey, JSON.stringify(next)); } catch { /* private mode: this page keeps it */ }
}

export function clearSession(): void {
  current = null;
  try { sessionStorage.removeItem(sessionKey); } catch { /* ignore */ }
}

/** The token to send, or null when there is none or it has run out. */
export function bearerToken(): string | null {
  return current && !hasExpired(current) ? current.token : null;
}

export function hasExpired(s: Session, now = Date.now()): boolean {
  return s.expires !== null && parseTime(s.expires) - expiryMarginMs <= now;
}

/**
 * The server answered 401 (or the token ran out): forget the session and go back to the
 * sign-in screen, which says why. The URL loses `?user=`, so a demo link does not sign
 * straight in again in a loop; it keeps the picture and language.
 */
export function sessionExpired(): void {
  if (leaving) return;
  leaving = true;
  clearSession();
  try { sessionStorage.setItem(noticeKey, "expired"); } catch { /* ignore */ }
  location.replace(signInUrl());
}

/**
 * Signs out here (the provider's own sign-out, if any, is the caller's next step, and leaves the
 * page): from now on a refused request or live connection does not send the page elsewhere first.
 */
export function signOutLocally(): void {
  leaving = true;
  clearSession();
  forgetLastPictures();
  try { sessionStorage.setItem(noticeKey, "signed-out"); } catch { /* ignore */ }
}

/** Why the last session ended, once: "expired", "signed-out" or null. */
export function takeSignedOutNotice(): "expired" | "signed-out" | null {
  let notice: string | null = null;
  try {
    notice = sessionStorage.getItem(noticeKey);
    sessionStorage.removeItem(noticeKey);
  } catch { /* ignore */ }
  return notice === "expired" || notice === "signed-out" ? notice : null;
}

/** This page without sign-in parameters (`user`, and an OpenID Connect answer's `code`, `state`, …). */
export function signInUrl(): string {
  const url = new URL(location.href);
  for (const name of ["user", "view", "code", "state", "session_state", "iss", "error", "error_description"]) url.searchParams.delete(name);
  return url.toString();
}

/** The claims of a JWT, unverified (the server verifies; the page only reads `exp` and `nonce`). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** When a JWT runs out, from its `exp` claim (ISO), or null when it has none (an opaque token). */
export function tokenExpiry(token: string): string | null {
  const exp = jwtClaims(token)?.["exp"];
  return typeof exp === "number" ? new Date(exp * 1000).toISOString() : null;
}
