import { m } from "../i18n";
import type { AttentionReason, AttentionWatch } from "../picture/attention";
import { h } from "../ui/dom";
import { panel } from "../ui/panel";
import { select } from "../ui/selection";

/** The points that need attention and why; choosing one shows it on the map. */
export function attentionPanel(watch: AttentionWatch): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("attention", m.attention.title);
  function render(): void {
    const points = watch.all();
    setCount(points.length);
    body.replaceChildren(points.length === 0
      ? h("p", { class: "empty" }, m.attention.none)
      : h("ul", { class: "attention-list" }, points.map((point) =>
        h("li", { "data-attention-point": point.id },
          h("button", { type: "button", class: "link", onclick: () => select({ kind: "SafetyPoint", id: point.id }, "list") }, point.name),
          h("ul", null, point.reasons.map((reason) => h("li", { "data-rule": reason.rule }, describe(reason))))))));
  }
  render();
  return { section, render };
}

export function describe(reason: AttentionReason): string {
  const value = Number(reason.value ?? 0);
  const threshold = Number(reason.threshold ?? 0);
  const text = m.attention.rules[reason.rule](value, threshold, reason.status ? m.attention.statuses[reason.status] : "");
  return reason.rule === "FuelLow" && reason.fuelRank != null ? `${text} ${m.attention.fuelRank(Number(reason.fuelRank))}` : text;
}
