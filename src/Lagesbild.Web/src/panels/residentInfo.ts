import { m } from "../i18n";
import type { ResidentInfo } from "../picture/protocol";
import { field, text, type FieldOptions } from "../ui/forms";

type Key = keyof ResidentInfo;

/**
 * How each of the texts residents are told is typed in. The keys are the contract's: a text
 * the server has and this lacks fails the compiler, and so does one the server does not have.
 * Its label and hint are in i18n (`residentInfo`).
 */
const inputs = {
  openingHours: {},
  directions: { multiline: true },
} as const satisfies Record<Key, FieldOptions>;

const keys = Object.keys(inputs) as Key[];

/** Label and text of each that is set, for a details view or the public view. */
export function residentInfoFacts(info: ResidentInfo | null | undefined): [string, string | null][] {
  return keys.map((key) => [m.residentInfo[key].label, info?.[key] ?? null]);
}

/** One input per text, filled with what the point has now. */
export function residentInfoFields(info: ResidentInfo | null): HTMLElement[] {
  return keys.map((key) => field(m.residentInfo[key].label, key, info?.[key] ?? "", { ...inputs[key], hint: m.residentInfo[key].hint }));
}

/**
 * The texts as a form gives them. A correction sends every text ("" clears one); a new point
 * sends only those filled in.
 */
export function residentInfoFrom(data: FormData, { correcting }: { correcting: boolean }): ResidentInfo {
  const info: Record<string, string> = {};
  for (const key of keys) {
    const value = text(data, key);
    if (correcting || value !== "") info[key] = value;
  }
  return info as ResidentInfo;
}

/** The label of a text, for the feed's summary of a change; undefined for other names. */
export function residentInfoLabel(name: string): string | undefined {
  return (keys as string[]).includes(name) ? m.residentInfo[name as Key].label.toLocaleLowerCase(m.locale) : undefined;
}
