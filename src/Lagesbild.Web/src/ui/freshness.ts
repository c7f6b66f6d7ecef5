import { m } from "../i18n";
import { staleAfter } from "../picture/rules";
import type { AnyEntityRecord } from "../picture/protocol";
import { formatAgo, formatDateTime, parseTime } from "./time";
import { h } from "./dom";

const tickMs = 5000;

/** "uppdaterad för 3 min sedan" for a record; re-rendered by the ticker, marked when stale. */
export function freshness(record: AnyEntityRecord): HTMLElement {
  const limit = staleAfter(record);
  const element = h("span", {
    class: "fresh",
    "data-fresh-at": record.at,
    "data-stale-after": limit ?? false,
    title: `${formatDateTime(record.at)} – ${record.by}`,
  });
  render(element, Date.now());
  return element;
}

/** "för 3 min sedan" for any moment; re-rendered by the ticker. */
export function agoText(at: Date): HTMLElement {
  const element = h("span", { class: "ago", "data-fresh-at": at.toISOString(), "data-format": "ago" });
  render(element, Date.now());
  return element;
}

/**
 * Re-renders every freshness text every few seconds, then calls `onTick` with how
 * much later than planned the tick came: a lot means the page was frozen or the
 * machine slept, and the page should show its age and catch up.
 */
export function startFreshnessTicker(onTick: (lateMs: number) => void): void {
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    const late = Math.max(0, now - last - tickMs);
    last = now;
    renderAll(now);
    onTick(late);
  }, tickMs);
}

export function renderAll(now = Date.now()): void {
  for (const element of document.querySelectorAll<HTMLElement>("[data-fresh-at]")) render(element, now);
}

function render(element: HTMLElement, now: number): void {
  const at = parseTime(element.dataset["freshAt"] ?? "");
  if (Number.isNaN(at)) return;
  const age = now - at;
  const ago = formatAgo(age);
  if (element.dataset["format"] === "ago") {
    element.textContent = ago;
    return;
  }
  const limit = Number(element.dataset["staleAfter"]);
  const stale = limit > 0 && age > limit;
  element.dataset["stale"] = String(stale);
  element.textContent = stale ? `${m.freshness.updated(ago)} – ${m.freshness.stale}` : m.freshness.updated(ago);
}
