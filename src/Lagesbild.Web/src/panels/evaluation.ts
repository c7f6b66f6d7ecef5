// An exercise's evaluation (utvärdering): observations, objective ratings and improvement items, and the
// after-action report (utvärderingsrapport) as a print view and a PDF. Exercise control's and the evaluators'.
import { apiFetch, command, pictureUrl, type CommandRequest } from "../api/http";
import { m } from "../i18n";
import type { components } from "../picture/contract.gen";
import type { PictureStore } from "../picture/store";
import { append, facts, h, type Child } from "../ui/dom";
import { field, selectField, text, textOrNull } from "../ui/forms";
import { panel } from "../ui/panel";
import { formatDateTime } from "../ui/time";
import { formatScenario, sendFrom, timeSpanMs } from "./exercise";
import { exportButtons } from "./exports";
import type { DetailView } from "./details";
import type { May } from "./permissions";

type Schemas = components["schemas"];
type AfterActionExport = Schemas["AfterActionExport"];
type ObjectiveRating = Schemas["ObjectiveRating"];

/** The evaluation of an exercise picture (EvaluationRules.Id). */
const evaluationId = "utvardering";
const ratings: ObjectiveRating[] = ["WithoutChallenges", "SomeChallenges", "MajorChallenges", "UnableToPerform"];

/** A duration as the report writes it (AfterActionReports.Duration): `7 min 30 s`, `1 h 05 min`. */
export function formatDuration(span: string | null | undefined): string {
  if (span == null) return "–";
  const seconds = Math.floor(timeSpanMs(span) / 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return seconds >= 3600
    ? `${Math.floor(seconds / 3600)} h ${pad(Math.floor(seconds / 60) % 60)} min`
    : `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
}

const scenario = (span: string | null | undefined): string => (span == null ? "–" : formatScenario(timeSpanMs(span)));

/**
 * The evaluation panel: shown to those the server lets evaluate (exercise control and evaluators), never to
 * the participants. Each form is one command; the report is fetched when opened, and printed alone.
 */
export function evaluationPanel(store: PictureStore, may: May): { section: HTMLElement; render(): void } {
  const { section, body } = panel("evaluation", m.evaluation.panel);
  section.hidden = true;
  const status = h("p", { class: "command-status", role: "status", "data-evaluation-status": "" });
  const send = (path: string, payload: unknown): void => sendFrom(status, command(store.picture, "POST", `evaluation/${path}`, payload) as CommandRequest);

  const observation = form(m.evaluation.observation, [
    field(m.evaluation.observationText, "text", "", { required: true, multiline: true }),
    field(m.evaluation.inject, "inject", "", { list: "evaluation-injects" }),
    field(m.evaluation.objective, "objective", "", { list: "evaluation-objectives" }),
  ], m.evaluation.note, (data) => send("observations", { text: text(data, "text"), inject: textOrNull(data, "inject"), objective: textOrNull(data, "objective") }));
  const rating = form(m.evaluation.rating, [
    field(m.evaluation.objective, "objective", "", { required: true, list: "evaluation-objectives" }),
    selectField(m.evaluation.rating, "rating", ratings.map((r) => [r, m.evaluation.ratings[r]] as const), null),
    field(m.evaluation.comment, "comment", "", { multiline: true }),
  ], m.evaluation.rate, (data) => send("ratings", { objective: text(data, "objective"), rating: text(data, "rating"), comment: textOrNull(data, "comment") }));
  const improvement = form(m.evaluation.improvement, [
    field(m.evaluation.what, "what", "", { required: true, multiline: true }),
    field(m.evaluation.owner, "owner", "", { required: true }),
  ], m.evaluation.record, (data) => send("improvements", { what: text(data, "what"), owner: text(data, "owner") }));

  const reportHost = h("div", { class: "after-action", id: "after-action", hidden: true, "data-exercise-label": m.exercise });
  const reportButton = h("button", { type: "button", class: "small", "aria-expanded": "false", "data-after-action-toggle": "" }, m.evaluation.reportOpen);
  let open = false;
  reportButton.addEventListener("click", () => {
    open = !open;
    reportButton.setAttribute("aria-expanded", String(open));
    reportHost.hidden = !open;
    document.body.classList.toggle("printing-after-action", open);
    if (open) void load();
  });
  // The scenario is exercise control's alone; the report names the objectives and inspel an evaluator chooses from.
  const objectives = h("datalist", { id: "evaluation-objectives" });
  const injects = h("datalist", { id: "evaluation-injects" });
  async function fetchReport(): Promise<AfterActionExport> {
    const response = await apiFetch(`${pictureUrl(store.picture)}/exports/after-action.json`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const report = (await response.json()) as AfterActionExport;
    objectives.replaceChildren(...report.report.objectives.map((o) => h("option", { value: o.objective })));
    injects.replaceChildren(...report.report.injects.map((i) => h("option", { value: i.inject }, `${i.inject} → ${i.to}`)));
    return report;
  }
  async function load(): Promise<void> {
    reportHost.textContent = m.evaluation.loading;
    try {
      const report = await fetchReport();
      reportHost.replaceChildren();
      append(reportHost, renderReport(report));
    } catch {
      reportHost.textContent = m.evaluation.loadFailed;
    }
  }
  let choicesAsked = false;

  body.append(
    h("div", { class: "no-print" }, objectives, injects, observation, rating, improvement, status,
      h("p", null, reportButton, " "),
      exportButtons(() => store.picture, [[m.evaluation.reportPdf, () => "after-action.pdf"]])),
    reportHost);

  function render(): void {
    section.hidden = may({ command: "NoteObservation", kind: "Evaluation", id: evaluationId, district: null }) !== null;
    if (!section.hidden && !choicesAsked) {
      choicesAsked = true;
      fetchReport().catch(() => { choicesAsked = false; });
    }
  }
  return { section, render };
}

function form(title: string, fields: HTMLElement[], submit: string, onSubmit: (data: FormData) => void): HTMLFormElement {
  const element = h("form", { class: "command-form evaluation-form" },
    h("h3", null, title), fields, h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary" }, submit)));
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(new FormData(element));
  });
  return element;
}

function renderReport(export_: AfterActionExport): (Child | Child[])[] {
  const { report } = export_;
  return [
    h("div", { class: "overview-head" },
      h("h3", null, report.preliminary ? `${m.evaluation.report} (${m.evaluation.preliminary})` : m.evaluation.report),
      h("button", { type: "button", class: "small no-print", onclick: () => window.print() }, m.exports.print)),
    h("p", { class: "overview-built" }, m.exports.made(export_.pictureName, formatDateTime(export_.madeAt), export_.seq)),
    report.preliminary ? h("p", { class: "preliminary", "data-preliminary": "" }, m.evaluation.preliminaryNote) : null,
    h("h4", null, m.evaluation.responses),
    h("table", { class: "after-action-injects" },
      h("thead", null, h("tr", null, [m.evaluation.injectColumn, m.evaluation.expected, m.evaluation.delivered, m.evaluation.firstResponse, m.evaluation.responseTime]
        .map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", null, report.injects.map((row) => h("tr", { "data-inject-response": row.inject },
        h("th", { scope: "row" }, `${row.inject} → ${row.to}`),
        h("td", null, row.expectedAction ?? "–"),
        h("td", null, row.skipped ? m.evaluation.skipped : row.deliveredAt ? `${formatDateTime(row.deliveredAt)} (${scenario(row.deliveredAtScenario)})` : m.evaluation.notDelivered),
        h("td", null, row.respondedAt ? `${row.respondedBy ?? ""}, ${formatDateTime(row.respondedAt)} (${scenario(row.respondedAtScenario)})` : row.deliveredAt && row.expected ? m.evaluation.noResponse : "–"),
        h("td", { "data-response-time": "" }, row.timeToResponse ? m.evaluation.took(formatDuration(row.timeToResponse), formatDuration(row.scenarioTimeToResponse)) : "–"))))),
    h("h4", null, m.evaluation.timeline),
    h("ol", { class: "after-action-timeline" }, report.timeline.map((item) =>
      h("li", null, `${scenario(item.scenarioAt)} (${formatDateTime(item.at)}) ${item.by}: ${item.what}`))),
    h("h4", null, `${m.evaluation.decisions} (${report.decisions.length})`),
    h("ul", null, report.decisions.map((d) => h("li", null, `${scenario(d.scenarioAt)} ${d.title} – ${d.decidedBy}`))),
    h("h4", null, `${m.evaluation.overdue} (${report.overdueReports.length})`),
    h("ul", null, report.overdueReports.map((late) => h("li", null, late.name))),
    h("h4", null, m.evaluation.objectives),
    report.objectives.map((o) => h("article", { class: "minutes-item", "data-objective": o.objective },
      h("h5", null, `${o.objective}: ${o.rating ? m.evaluation.ratings[o.rating] : m.evaluation.unrated}`),
      facts([
        [m.evaluation.injects, o.injects.join(", ") || "–"],
        [m.evaluation.comment, o.comment ?? "–"],
        [m.evaluation.ratedBy, o.ratedBy ? `${o.ratedBy}, ${formatDateTime(o.ratedAt ?? "")}` : "–"],
      ]))),
    h("h4", null, `${m.evaluation.improvements} (${report.improvements.length})`),
    h("ul", null, report.improvements.map((i) => h("li", null, `${i.what} – ${m.evaluation.owner}: ${i.owner}`))),
    h("h4", null, `${m.evaluation.observations} (${report.observations.length})`),
    h("ul", null, report.observations.map((o) => h("li", null,
      `${scenario(o.scenarioAt)} ${o.by}${o.inject || o.objective ? ` (${[o.inject, o.objective].filter(Boolean).join(", ")})` : ""}: ${o.text}`))),
  ];
}

/** The evaluation in the details panel (from the feed): only how many; its texts are in the report, for exercise control and evaluators. */
export const evaluationDetails: DetailView<"Evaluation"> = {
  kindLabel: m.evaluation.panel,
  view: (record) => [facts([[m.evaluation.panel, m.evaluation.counts(record.state.observations, record.state.ratings, record.state.improvements)]])],
  actions: () => [],
};
