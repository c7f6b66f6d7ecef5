import { sv, type Messages } from "./sv";

// Swedish is in the page's script; English is fetched only by someone who chose it, so a phone
// on a weak link does not carry a second catalogue it will not show.
const catalogues: Record<string, () => Promise<Messages>> = {
  sv: () => Promise.resolve(sv),
  en: () => import("./en").then(({ en }) => en),
};
export const languages = Object.keys(catalogues);
const storageKey = "lagesbild.lang";

/** The language: `?lang=` in the URL, else the last one chosen, else Swedish. */
export const lang: string = pickLanguage();

/** All texts for the chosen language. Switching language reloads the page. */
export const m: Messages = await (catalogues[lang] ?? catalogues["sv"]!)();

export function chooseLanguage(next: string): void {
  try { localStorage.setItem(storageKey, next); } catch { /* private mode: the URL still carries it */ }
  const url = new URL(location.href);
  url.searchParams.set("lang", next);
  location.assign(url);
}

function pickLanguage(): string {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl && fromUrl in catalogues) return fromUrl;
  let stored: string | null = null;
  try { stored = localStorage.getItem(storageKey); } catch { /* ignore */ }
  return stored && stored in catalogues ? stored : "sv";
}
