import type { User } from "./access";
import type { Snapshot } from "./protocol";
import type { PictureStore } from "./store";

/**
 * The last picture this device had, kept in localStorage: a repeat visit joins from it (the
 * server sends only what changed since), and with no network it is what the page can show,
 * with its age. It is kept for the person who saw it: another person signing in on the same
 * device starts from the server (what they may see can differ), and signing out removes it.
 */
export interface LastPicture {
  snapshot: Snapshot;
  /** When the picture was last known to be current (ISO). */
  savedAt: string;
}

interface Stored extends LastPicture {
  who: string;
}

const prefix = "lagesbild.picture.";
const saveEveryMs = 2000;

/** Where the last picture of `picture` is kept (localStorage). */
export const lastPictureKey = (picture: string) => prefix + picture;
const who = (user: User) => `${user.name}|${user.role}|${user.district ?? ""}|${user.sector ?? ""}`;

export function readLastPicture(picture: string, user: User): LastPicture | null {
  try {
    const stored = JSON.parse(localStorage.getItem(lastPictureKey(picture)) ?? "null") as Stored | null;
    return stored && stored.who === who(user) && stored.snapshot?.picture === picture ? stored : null;
  } catch {
    return null;
  }
}

/** Keeps the store's picture, at most every two seconds while it changes and when the page is left. */
export function keepLastPicture(store: PictureStore, user: User, isCurrent: () => boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!store.hasSnapshot) return;
    const stored: Stored = { who: who(user), snapshot: store.toSnapshot(), savedAt: new Date().toISOString() };
    try {
      localStorage.setItem(lastPictureKey(store.picture), JSON.stringify(stored));
    } catch { /* full or private mode: the next visit starts from the server */ }
  };
  store.onChange(() => {
    if (isCurrent()) timer ??= setTimeout(save, saveEveryMs);
  });
  addEventListener("pagehide", () => { if (isCurrent()) save(); });
}

/** Signing out: no picture stays behind on the device. */
export function forgetLastPictures(): void {
  try {
    for (const name of Object.keys(localStorage)) if (name.startsWith(prefix)) localStorage.removeItem(name);
  } catch { /* ignore */ }
}
