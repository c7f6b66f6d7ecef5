import { m } from "../i18n";
import type { AttentionReason, AttentionWatch, OverdueReporter } from "../picture/attention";
import type { PictureStore } from "../picture/store";
import { h } from "../ui/dom";
import { panel } from "../ui/panel";
import { select } from "../ui/selection";
import { formatDateTime } from "../ui/time";

/** The points that need attention and why, and the districts and sectors late with a lägesrapport; choosing one shows it. */
export function attentionPanel(watch: AttentionWatch, store: PictureStore): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("attention", m.attention.title);
  function render(): void {
    const points = watch.all();
    const late = watch.overdueReports();
    setCount(points.length + late.length);
    body.replaceChildren(
      points.length === 0
        ? h("p", { class: "empty" }, m.attention.none)
        : h("ul", { class: "attention-list" }, points.map((point) =>
          h("li", { "data-attention-point": point.id },
            h("button", { type: "button", class: "link", onclick: () => select({ kind: "SafetyPoint", id: point.id }, "list") }, point.name),
            h("ul", null, point.reasons.map((reason) => h("li", { "data-rule": reason.rule }, describe(reason))))))),
      ...(late.length === 0 ? [] : [
        h("h3", null, m.report.late),
        h("ul", { class: "attention-list" }, late.map((reporter) => lateReport(store, reporter)))]));
  }
  render();
  return { section, render };
}

function lateReport(store: PictureStore, reporter: OverdueReporter): HTMLElement {
  const open = () => select(reporter.kind === "District" ? { kind: "District", id: reporter.id } : { kind: "Sector", id: reporter.id }, "list");
  return h("li", { "data-overdue-reporter": reporter.reporter },
    h("button", { type: "button", class: "link", onclick: open }, reporter.name),
    h("ul", null,
      reporter.dueAt ? h("li", { "data-late": "cadence" }, m.report.lateByCadence(formatDateTime(reporter.dueAt))) : null,
      reporter.requests.map((id) => h("li", { "data-late": "request", "data-request-id": id }, m.report.lateToRequest(store.get("ReportRequest", id)?.state.name ?? id)))));
}

export function describe(reason: AttentionReason): string {
  const value = Number(reason.value ?? 0);
  const threshold = Number(reason.threshold ?? 0);
  const text = m.attention.rules[reason.rule](value, threshold, reason.status ? m.attention.statuses[reason.status] : "");
  return reason.rule === "FuelLow" && reason.fuelRank != null ? `${text} ${m.attention.fuelRank(Number(reason.fuelRank))}` : text;
}
