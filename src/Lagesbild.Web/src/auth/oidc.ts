import { m } from "../i18n";
import type { ClientAuth } from "../picture/protocol";
import { tokenExpiry, jwtClaims } from "./session";

/**
 * Sign-in at the city's identity provider: the OpenID Connect authorization code flow
 * with PKCE (RFC 7636), done by the page itself as a public client (no secret). The
 * provider sends the browser back to this page (`redirect_uri` = the page without its
 * query) with a code, which is exchanged at the token endpoint; the access token is then
 * the bearer token for the API and the hub.
 */
export type OidcProvider = Extract<ClientAuth, { mode: "oidc" }>;

export interface OidcTokens {
  accessToken: string;
  idToken: string | null;
  expires: string | null;
  /** For renewing without a new sign-in (the provider gives one for the offline_access scope). */
  refreshToken: string | null;
}

/** The provider would not renew (the refresh token is spent, revoked or expired): only a new sign-in helps. */
export class RenewalRefused extends Error {}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  revocation_endpoint?: string;
}

/** What the page remembers across the round trip to the provider. */
interface Pending { state: string; nonce: string; verifier: string; returnTo: string }

const pendingKey = "lagesbild.oidc-pending";

/** Sends the browser to the provider's sign-in. */
export async function beginOidcSignIn(provider: OidcProvider): Promise<void> {
  if (!crypto.subtle) throw new Error(m.signIn.needsHttps);
  const discovery = await discover(provider.authority);
  const pending: Pending = { state: randomString(), nonce: randomString(), verifier: randomString(48), returnTo: location.href };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: provider.clientId,
    redirect_uri: redirectUri(),
    scope: provider.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challenge(pending.verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

/** This page load is the provider sending the browser back (with a code or an error). */
export function isOidcCallback(): boolean {
  const params = new URLSearchParams(location.search);
  return (params.has("code") || params.has("error")) && params.has("state") && readPending() !== null;
}

/** Exchanges the code for tokens and puts the page's URL back as it was before sign-in. */
export async function completeOidcSignIn(provider: OidcProvider): Promise<OidcTokens> {
  const params = new URLSearchParams(location.search);
  const pending = readPending();
  sessionStorage.removeItem(pendingKey);
  // The code is single-use and must not stay in the address bar or the history.
  history.replaceState(null, "", pending?.returnTo ?? redirectUri());
  if (!pending || params.get("state") !== pending.state) throw new Error(m.signIn.notOurAnswer);
  const error = params.get("error");
  if (error) throw new Error(params.get("error_description") ?? error);

  const tokens = await tokenRequest(provider, {
    grant_type: "authorization_code",
    code: params.get("code") ?? "",
    redirect_uri: redirectUri(),
    client_id: provider.clientId,
    code_verifier: pending.verifier,
  });
  // The id token must answer this page's own request (a replayed one carries another nonce).
  if (tokens.idToken && jwtClaims(tokens.idToken)?.["nonce"] !== pending.nonce) throw new Error(m.signIn.notOurAnswer);
  return tokens;
}

/** New tokens for a refresh token, without the person (refresh_token grant). */
export async function renewOidcTokens(provider: OidcProvider, refreshToken: string): Promise<OidcTokens> {
  const tokens = await tokenRequest(provider, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: provider.clientId });
  // A provider that does not rotate refresh tokens answers without one: the old one stays good.
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/** Asks the provider to forget a refresh token (RFC 7009), where it offers that; best effort. */
export async function revokeAtProvider(provider: OidcProvider, refreshToken: string): Promise<void> {
  const discovery = await discover(provider.authority).catch(() => null);
  if (!discovery?.revocation_endpoint) return;
  await fetch(discovery.revocation_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: "refresh_token", client_id: provider.clientId }),
  }).catch(() => undefined);
}

async function tokenRequest(provider: OidcProvider, form: Record<string, string>): Promise<OidcTokens> {
  const discovery = await discover(provider.authority);
  const response = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(form),
  }).catch(() => { throw new Error(m.signIn.providerUnreachable); });
  const tokens = (await response.json().catch(() => ({}))) as {
    access_token?: string; id_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string;
  };
  if (!response.ok || !tokens.access_token) {
    const message = tokens.error_description ?? tokens.error ?? m.signIn.providerAnswered(response.status);
    throw response.status === 400 ? new RenewalRefused(message) : new Error(message);
  }
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token ?? null,
    refreshToken: tokens.refresh_token ?? null,
    expires: typeof tokens.expires_in === "number"
      ? new Date(Date.now() + tokens.expires_in * 1000).toISOString()
      : tokenExpiry(tokens.access_token),
  };
}

/** Where to send the browser to end the session at the provider too, or null if it offers no such thing. */
export async function endSessionUrl(provider: OidcProvider, idToken: string | null, returnTo: string): Promise<string | null> {
  const discovery = await discover(provider.authority).catch(() => null);
  if (!discovery?.end_session_endpoint) return null;
  const url = new URL(discovery.end_session_endpoint);
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("post_logout_redirect_uri", returnTo);
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  return url.toString();
}

/** The page itself, without query or fragment: register exactly this as the redirect URI. */
function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

let discovered: Promise<Discovery> | null = null;

/** The provider's discovery document, fetched once per page load (again after a failure). */
function discover(authority: string): Promise<Discovery> {
  discovered ??= fetchDiscovery(authority).catch((error: unknown) => {
    discovered = null;
    throw error;
  });
  return discovered;
}

async function fetchDiscovery(authority: string): Promise<Discovery> {
  const issuer = authority.replace(/\/+$/, "");
  // Unreachable (down, or not allowed by the server's connect-src): say so in words, not "Failed to fetch".
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { Accept: "application/json" } })
    .catch(() => { throw new Error(m.signIn.providerUnreachable); });
  if (!response.ok) throw new Error(m.signIn.providerAnswered(response.status));
  const discovery = (await response.json()) as Discovery;
  // The provider must name itself as configured, or the tokens it issues would be refused anyway.
  if (discovery.issuer.replace(/\/+$/, "") !== issuer) throw new Error(m.signIn.wrongIssuer(discovery.issuer));
  return discovery;
}

function readPending(): Pending | null {
  try {
    const stored = sessionStorage.getItem(pendingKey);
    return stored ? (JSON.parse(stored) as Pending) : null;
  } catch {
    return null;
  }
}

function randomString(bytes = 24): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challenge(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
