import { m } from "../i18n";
import { h, setText, type Child } from "./dom";

export interface Panel {
  section: HTMLElement;
  body: HTMLElement;
  setCount(count: number | null): void;
}

/**
 * A collapsible panel: a landmark section whose heading is a disclosure button.
 * `extra` (e.g. a "register" button) sits beside the heading.
 */
export function panel(id: string, title: string, extra: Child = null): Panel {
  const bodyId = `${id}-body`;
  const count = h("span", { class: "count" });
  const toggle = h("button", { type: "button", class: "panel-toggle", "aria-expanded": "true", "aria-controls": bodyId },
    h("span", { class: "chevron", "aria-hidden": "true" }), title, " ", count);
  const body = h("div", { class: "panel-body", id: bodyId });
  const headingId = `${id}-heading`;
  const section = h("section", { class: "panel", id, "aria-labelledby": headingId },
    h("div", { class: "panel-head" }, h("h2", { id: headingId }, toggle), extra),
    body);
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    body.hidden = !open;
  });
  return {
    section,
    body,
    setCount: (n) => setText(count, n === null ? "" : m.panels.count(n)),
  };
}
