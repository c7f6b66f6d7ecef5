import { takeEarlySignIn, type SignInAnswer } from "../boot/handover";
import { m } from "../i18n";
import type { User } from "../picture/access";
import type { ClientAuth, ClientConfig, DevToken, DevUser, ProblemDetails } from "../picture/protocol";
import { beginOidcSignIn, completeOidcSignIn, endSessionUrl, isOidcCallback, RenewalRefused, renewOidcTokens, revokeAtProvider, type OidcProvider } from "./oidc";
import { clearSession, expiryMarginMs, hasExpired, saveSession, session, sessionExpired, signInUrl, signOutLocally, type Session } from "./session";

/** How this server signs people in; "unavailable" when it could not be told (server unreachable or misconfigured). */
export type SignInMode = ClientAuth | { mode: "unavailable" };

export async function signInMode(config: ClientConfig): Promise<SignInMode> {
  if (config.auth) return config.auth;
  // A server that does not say in /api/config has the development sign-in if it answers.
  try {
    const response = await fetch("/api/dev/users", { headers: { Accept: "application/json" } });
    if (response.ok) return { mode: "development" };
  } catch { /* unreachable: below */ }
  return { mode: "unavailable" };
}

/**
 * On page load: the session to go on with — the provider's answer to a sign-in, the demo
 * user named by `?user=`, or this tab's stored session if the server still accepts it.
 * Null: show the sign-in screen. Throws (with a message to show) when a sign-in failed.
 */
export async function resumeSession(mode: SignInMode): Promise<Session | null> {
  const resumed = await resumeOrSignIn(mode);
  if (resumed && mode.mode === "oidc") keepRenewed(mode);
  return resumed;
}

async function resumeOrSignIn(mode: SignInMode): Promise<Session | null> {
  if (mode.mode === "oidc" && isOidcCallback()) {
    const tokens = await completeOidcSignIn(mode);
    return establish({
      token: tokens.accessToken, expires: tokens.expires, idToken: tokens.idToken, refreshToken: tokens.refreshToken, title: null, devUser: null,
    });
  }
  const wanted = mode.mode === "development" ? new URLSearchParams(location.search).get("user") : null;
  const stored = session();
  if (stored && !hasExpired(stored) && (!wanted || stored.devUser === wanted)) {
    // Asked beside the picture's loading, not before it (one round trip less on a weak link); a token
    // withdrawn meanwhile is refused there too. Unreachable (null): go on with what the tab knows.
    void whoAmI(stored.token).then((me) => {
      if (me === "unauthorized") sessionExpired();
      else if (me && session()) saveSession({ ...stored, user: me });
    });
    return stored;
  }
  clearSession();
  return wanted ? signInAsDevUser(wanted) : null;
}

export async function devUsers(): Promise<DevUser[]> {
  const response = await fetch("/api/dev/users", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(m.signIn.serverAnswered(response.status));
  return (await response.json()) as DevUser[];
}

/** The development sign-in: a token for a named demo user. */
export async function signInAsDevUser(id: string): Promise<Session> {
  // The page's boot script may have asked already (boot/handover.ts); unreachable then: ask again.
  const answer = (await takeEarlySignIn(id)) ?? await askDevSignIn(id);
  if (!answer.ok) {
    const problem = answer.body as ProblemDetails;
    throw new Error(problem.detail ?? problem.title ?? m.signIn.serverAnswered(answer.status));
  }
  const { token, user, expires } = answer.body as DevToken;
  const signedIn: Session = {
    token, expires, title: user.title, devUser: user.id, idToken: null, refreshToken: null,
    user: { name: user.name, role: user.role, district: user.district, sector: user.sector },
  };
  saveSession(signedIn);
  return signedIn;
}

async function askDevSignIn(id: string): Promise<SignInAnswer> {
  const response = await fetch("/api/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
    body: JSON.stringify({ user: id }),
  });
  return { ok: response.ok, status: response.status, body: (await response.json().catch(() => ({}))) as SignInAnswer["body"] };
}

export async function beginSignIn(mode: SignInMode): Promise<void> {
  if (mode.mode === "oidc") await beginOidcSignIn(mode);
}

/**
 * Signs out: the server stops accepting the token on every node (so a copy of it is worth
 * nothing), the tab forgets it, the provider ends its session when it offers that; then the
 * sign-in screen. An unreachable server does not keep anyone signed in here.
 */
export async function signOut(mode: SignInMode): Promise<void> {
  const ending = session();
  clearTimeout(renewal);
  // First, so that the live connection the server closes now does not take the page to "expired".
  signOutLocally();
  if (ending) {
    await fetch("/api/sign-out", { method: "POST", headers: { Authorization: `Bearer ${ending.token}` } }).catch(() => undefined);
    // Else the refresh token would renew the session that was just ended.
    if (mode.mode === "oidc" && ending.refreshToken) await revokeAtProvider(mode, ending.refreshToken);
  }
  const home = signInUrl();
  const atProvider = mode.mode === "oidc" ? await endSessionUrl(mode, ending?.idToken ?? null, home) : null;
  location.assign(atProvider ?? home);
}

/** Renew this long before the token runs out: past the page's own margin, with time to try again. */
const renewAheadMs = expiryMarginMs + 15_000;
const renewRetryMs = 10_000;
let renewal: ReturnType<typeof setTimeout> | undefined;

/**
 * Renews the access token with the refresh token before it runs out, so the picture stays live
 * without a new sign-in. The live connection and the API read the current token each time, so
 * nothing else changes. A provider that refuses leaves the token to run out: the page then says
 * the sign-in has ended, as without a refresh token.
 */
function keepRenewed(provider: OidcProvider): void {
  clearTimeout(renewal);
  const current = session();
  if (!current?.refreshToken || !current.expires) return;
  const due = Date.parse(current.expires) - renewAheadMs - Date.now();
  renewal = setTimeout(() => void renew(provider, current.refreshToken!), Math.max(due, 1_000));
}

async function renew(provider: OidcProvider, refreshToken: string): Promise<void> {
  try {
    const tokens = await renewOidcTokens(provider, refreshToken);
    const current = session();
    if (!current) return;
    saveSession({ ...current, token: tokens.accessToken, expires: tokens.expires, refreshToken: tokens.refreshToken, idToken: tokens.idToken ?? current.idToken });
    keepRenewed(provider);
  } catch (error) {
    if (error instanceof RenewalRefused) return;
    // The provider is unreachable for now: try again while the token still holds.
    const current = session();
    if (current && !hasExpired(current)) renewal = setTimeout(() => void renew(provider, refreshToken), renewRetryMs);
  }
}

async function establish(partial: Omit<Session, "user">): Promise<Session> {
  const me = await whoAmI(partial.token);
  if (me === "unauthorized") throw new Error(m.signIn.tokenRefused);
  if (me === null) throw new Error(m.signIn.serverUnreachable);
  const signedIn: Session = { ...partial, user: me };
  saveSession(signedIn);
  return signedIn;
}

/** `GET /api/me` with a token: who the server takes it for; "unauthorized" on 401, null when unreachable. */
async function whoAmI(token: string): Promise<User | "unauthorized" | null> {
  try {
    const response = await fetch("/api/me", { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
    if (response.status === 401) return "unauthorized";
    if (!response.ok) return null;
    const me = (await response.json()) as User;
    return { name: me.name, role: me.role, district: me.district ?? null, sector: me.sector ?? null };
  } catch {
    return null;
  }
}
