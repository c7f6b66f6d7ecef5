import { m } from "../i18n";
import type { EntityKind, LogEntry } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { h, replaceKeepingFocus } from "../ui/dom";
import { panel } from "../ui/panel";
import { residentInfoLabel } from "./residentInfo";
import { formatClock, formatDateTime } from "../ui/time";

const shown = 100;
const announceEveryMs = 1500;

/**
 * The loggbok: the latest entries, newest first. New live entries are also read
 * out through a polite live region, bundled so a burst does not flood a screen reader.
 */
export function feedPanel(store: PictureStore): { section: HTMLElement; render(): void; announce(entry: LogEntry): void } {
  const { section, body } = panel("feed", m.panels.feed);
  const list = h("ol", { class: "feed", reversed: true });
  const liveRegion = h("div", { class: "visually-hidden", role: "log", "aria-live": "polite", "aria-atomic": "false" });
  body.append(list, liveRegion);

  let pending: LogEntry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  // An entry never changes: its item is made once and kept until it falls off the end. The list is walked
  // alongside the entries (both newest first), so new ones go in at their place and old ones leave at the end;
  // nothing shown is rebuilt or moved (a 60× replay adds some twenty entries a frame).
  let shownItems: { entry: LogEntry; item: HTMLLIElement }[] = [];
  const empty = h("li", { class: "empty" }, m.feed.empty);

  function render(): void {
    const entries = store.latestEntries();
    const count = Math.min(shown, entries.length);
    if (count === 0) {
      shownItems = [];
      replaceKeepingFocus(list, [empty]);
      return;
    }
    empty.remove();
    const next: typeof shownItems = [];
    // New items go in together, one insertion per run of them.
    let made = document.createDocumentFragment();
    const insertMade = (before: Element | null) => {
      if (made.firstChild) list.insertBefore(made, before);
      made = document.createDocumentFragment();
    };
    let i = 0;
    for (const entry of entries.slice(0, count)) {
      // Shown entries newer than this one, or another entry at its number (a picture started over), go.
      for (let at = shownItems[i]; at && (at.entry.seq > entry.seq || (at.entry.seq === entry.seq && at.entry.id !== entry.id)); at = shownItems[++i]) {
        at.item.remove();
      }
      const at = shownItems[i];
      if (at?.entry.id === entry.id) {
        insertMade(at.item);
        next.push(at);
        i++;
      } else {
        const item = entryItem(entry);
        made.append(item);
        next.push({ entry, item });
      }
    }
    for (; i < shownItems.length; i++) shownItems[i]!.item.remove();
    insertMade(null);
    shownItems = next;
  }

  function announce(entry: LogEntry): void {
    pending.push(entry);
    timer ??= setTimeout(() => {
      const text = pending.length === 1 && pending[0] ? m.feed.announceOne(headline(pending[0])) : m.feed.announceMany(pending.length);
      pending = [];
      timer = undefined;
      liveRegion.append(h("p", null, text));
      while (liveRegion.childElementCount > 5) liveRegion.firstElementChild?.remove();
    }, announceEveryMs);
  }

  return { section, render, announce };
}

function entryItem(entry: LogEntry): HTMLLIElement {
  const summary = describeChange(entry);
  return h("li", { class: "entry", "data-seq": entry.seq, "data-kind": entry.entity.kind },
    h("p", { class: "entry-head" },
      h("time", { datetime: entry.at, title: formatDateTime(entry.at) }, formatClock(entry.at)),
      " ",
      h("span", { class: "who" }, m.feed.by(entry.actor.name, entry.actor.role))),
    h("p", { class: "what" }, h("strong", null, headline(entry)), summary ? ` – ${summary}` : null),
    entry.reason ? h("p", { class: "why" },
      entry.internal ? [h("span", { class: "tag internal" }, m.feed.internal), " "] : null,
      `${m.feed.reason}: ${entry.reason}`) : null);
}

function headline(entry: LogEntry): string {
  // The city's name says what it is; everything else gets its kind in front.
  return entry.entity.kind === "City" ? entry.state.name : `${m.feed.kinds[entry.entity.kind]} ${entry.state.name}`;
}

/** "Vilande → Aktiveras, begränsningar: –" from the entry's change, in the page's language. */
export function describeChange(entry: LogEntry): string {
  const { from, to, ...rest } = entry.change ?? {};
  const kind = entry.entity.kind;
  const parts: string[] = [];
  if (to !== undefined) {
    const key = transitionKey(kind, entry.type);
    parts.push(`${formatValue(kind, key, from)} → ${formatValue(kind, key, to)}`);
  }
  for (const [key, value] of Object.entries(rest)) {
    // A report's parts are read when it is opened, not in the feed.
    if (key !== "reason" && key !== "contents" && value !== null && value !== "") parts.push(`${m.feed.fields[key] ?? key}: ${formatValue(kind, key, value)}`);
  }
  return parts.length > 0 ? parts.join(", ") : humanize(entry.type);
}

/** Which of the entity's fields a from/to change moves. */
function transitionKey(kind: EntityKind, type: string): string {
  switch (kind) {
    case "SafetyPoint": case "Sector": return "status";
    case "City": return "level";
    case "CrisisBody": return "activation";
    case "District": return type.includes("LocalLevel") ? "localLevel" : "situation";
    case "Assignment": case "Resolution": return "status";
    case "SituationReport": case "ReportRequest": return "status";
    case "DutyRoster": return "to";
    case "Resource": case "ResourceRequest": return "status";
    case "Alert": return "wave";
    case "Exercise": return "clock";
    case "Message": return "readBy";
    case "Evaluation": return "observations";
  }
}

function formatValue(kind: EntityKind, key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "boolean") return value ? m.feed.yes : m.feed.no;
  if (typeof value === "string") return enumLabel(kind, key, value) ?? (looksLikeTime(value) ? formatDateTime(value) : value);
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map((v) => formatValue(kind, key, v)).join(", ") || "–";
  if (typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (typeof object["name"] === "string") return object["name"];
    if (key === "capabilities") {
      return Object.entries(object)
        .map(([c, s]) => `${capabilityName(c)}: ${m.point.capabilityStates[s as keyof typeof m.point.capabilityStates] ?? String(s)}`)
        .join(", ");
    }
    return Object.entries(object)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${m.feed.fields[k] ?? residentInfoLabel(k) ?? k} ${formatValue(kind, k, v)}`).join(", ");
  }
  return String(value);
}

function enumLabel(kind: EntityKind, key: string, value: string): string | undefined {
  const dictionaries: Record<string, Record<string, string>> = {
    "SafetyPoint/status": m.point.statuses,
    "Sector/status": m.sector.statuses,
    "District/situation": m.district.situations,
    "District/level": m.district.localLevels,
    "District/localLevel": m.district.localLevels,
    "City/level": m.city.levels,
    "CrisisBody/activation": m.body.activations,
    "Assignment/status": m.assignment.statuses,
  };
  return dictionaries[`${kind}/${key}`]?.[value] ?? (key === "capabilities" ? capabilityName(value) : undefined);
}

function capabilityName(value: string): string {
  return m.point.capabilityNames[value as keyof typeof m.point.capabilityNames] ?? value;
}

function looksLikeTime(value: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value);
}

/** "SafetyPointStatusChanged" → "Safety point status changed", when a change carries no fields. */
function humanize(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
