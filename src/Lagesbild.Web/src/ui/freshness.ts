import { m } from "../i18n";
import { pictureNow } from "../picture/clock";
import { staleAfter } from "../picture/rules";
import type { AnyEntityRecord } from "../picture/protocol";
import { formatAgo, formatDateTime, parseTime } from "./time";
import { h } from "./dom";

const tickMs = 5000;

/** "uppdaterad för 3 min sedan" for a record, by the picture's clock; re-rendered by the ticker, marked when stale. */
export function freshness(record: AnyEntityRecord): HTMLElement {
  const element = h("span", { class: "fresh" });
  refreshFreshness(element, record);
  return element;
}

/**
 * Brings a text made by `freshness` to a newer record of the same thing, touching only what differs: a row kept
 * in its list follows each change without being made again.
 */
export function refreshFreshness(element: HTMLElement, record: AnyEntityRecord): void {
  const limit = staleAfter(record);
  const staleAfterText = limit === null ? undefined : String(limit);
  if (element.dataset["freshAt"] !== record.at) {
    element.dataset["freshAt"] = record.at;
    element.title = `${formatDateTime(record.at)} – ${record.by}`;
  }
  if (element.dataset["staleAfter"] !== staleAfterText) {
    if (staleAfterText === undefined) delete element.dataset["staleAfter"];
    else element.dataset["staleAfter"] = staleAfterText;
  }
  render(element);
}

/** "för 3 min sedan" for any moment, by the wall clock (the connection's last contact); re-rendered by the ticker. */
export function agoText(at: Date): HTMLElement {
  const element = h("span", { class: "ago", "data-fresh-at": at.toISOString(), "data-format": "ago" });
  render(element);
  return element;
}

/**
 * Re-renders the freshness texts every few seconds, then calls `onTick` with how much later
 * than planned the tick came: a lot means the page was frozen or the machine slept, and the
 * page should show its age and catch up.
 */
export function startFreshnessTicker(onTick: (lateMs: number) => void): void {
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    const late = Math.max(0, now - last - tickMs);
    last = now;
    renderAll();
    onTick(late);
  }, tickMs);
}

/** Brings every freshness text up to its clock; one whose words and mark are the same is not touched, so nothing is laid out again for it. */
export function renderAll(): void {
  for (const element of document.querySelectorAll<HTMLElement>("[data-fresh-at]")) render(element);
}

function render(element: HTMLElement): void {
  const at = parseTime(element.dataset["freshAt"] ?? "");
  if (Number.isNaN(at)) return;
  if (element.dataset["format"] === "ago") {
    show(element, formatAgo(Date.now() - at));
    return;
  }
  const age = pictureNow() - at;
  const ago = formatAgo(age);
  const limit = Number(element.dataset["staleAfter"]);
  const stale = String(limit > 0 && age > limit);
  if (element.dataset["stale"] !== stale) element.dataset["stale"] = stale;
  show(element, stale === "true" ? `${m.freshness.updated(ago)} – ${m.freshness.stale}` : m.freshness.updated(ago));
}

function show(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
