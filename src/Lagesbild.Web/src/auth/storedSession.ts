import type { Session } from "./session";

/** Where this tab keeps its session (sessionStorage: as long as the tab lives, never shared). */
export const sessionKey = "lagesbild.session";

/** This tab's stored session as it was saved, or null. */
export function readStoredSession(): Session | null {
  try {
    const stored = sessionStorage.getItem(sessionKey);
    const parsed = stored ? (JSON.parse(stored) as Session) : null;
    return parsed && typeof parsed.token === "string" && parsed.user ? parsed : null;
  } catch {
    return null;
  }
}
