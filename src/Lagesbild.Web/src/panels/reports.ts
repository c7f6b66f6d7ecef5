import { apiFetch, command, newIdempotencyKey, pictureUrl, seg } from "../api/http";
import { m } from "../i18n";
import { lateToRequest } from "../picture/attention";
import type { components } from "../picture/contract.gen";
import type { EntityRecord, LogEntry } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus, type Child } from "../ui/dom";
import { commandForm, field, text, textOrNull, withReason, reasonField, type FormDone } from "../ui/forms";
import { panel } from "../ui/panel";
import { select } from "../ui/selection";
import { formatDateTime, fromLocalInput, toLocalInput } from "../ui/time";
import type { DetailView, PanelContext } from "./details";
import { entityText } from "./entityText";
import { exportButtons } from "./exports";

type Overview = components["schemas"]["SituationOverviewModel"];

/** How often an open samlad lägesbild and the begäran list are brought up to date when nothing changes (ages, overdue flags). */
const overviewEveryMs = 10_000;
/** Names of the page's performance measures around the samlad lägesbild, read by the benchmark. */
export const overviewRenderMeasure = "lagesbild:overview-render";
export const overviewLoadMeasure = "lagesbild:overview-load";
type RequestRecord = EntityRecord<"ReportRequest">;
type ReportContents = components["schemas"]["ReportContents"];

/** The report's parts as the form and the view show them: the wire name's last part (server errors point at it) and the label. */
const parts: [name: keyof typeof m.report.parts, required: boolean, multiline: boolean][] = [
  ["what", true, false], ["where", true, false], ["when", true, false], ["source", false, false],
  ["now", true, true], ["shortTerm", false, true], ["longTerm", false, true], ["affected", false, true],
  ["actions", true, true], ["resourcesAndNeeds", false, true], ["actors", false, true], ["forecast", true, true],
  ["decisionsOrCoordination", false, true],
];

function contentsOf(data: FormData): ReportContents {
  const t = (name: string) => textOrNull(data, name);
  return {
    event: { what: t("what"), where: t("where"), when: t("when"), source: t("source") },
    consequences: { now: t("now"), shortTerm: t("shortTerm"), longTerm: t("longTerm"), affected: t("affected") },
    actions: t("actions"), resourcesAndNeeds: t("resourcesAndNeeds"), actors: t("actors"), forecast: t("forecast"),
    decisionsOrCoordination: t("decisionsOrCoordination"),
  };
}

function partValue(contents: ReportContents | undefined, name: string): string | null | undefined {
  if (!contents) return null;
  const event = contents.event as Record<string, string | null | undefined> | null | undefined;
  const consequences = contents.consequences as Record<string, string | null | undefined> | null | undefined;
  return event?.[name] ?? consequences?.[name] ?? (contents as Record<string, unknown>)[name] as string | null | undefined;
}

/** The name of a reporter's desk: its district's, sector's or crisis body's name. */
export function reporterName(store: PictureStore, stream: string): string {
  const [, kind, id] = /^(district|sector|body)-(.+)$/.exec(stream) ?? [];
  if (!kind || !id) return stream;
  const named = kind === "district" ? store.get("District", id)?.state.name
    : kind === "sector" ? store.get("Sector", id)?.state.name : store.get("CrisisBody", id)?.state.name;
  return named ?? id;
}

function reportForm(store: PictureStore, stream: string, request: string | null, done: FormDone, cancel: () => void,
  correcting?: { number: number; contents?: ReportContents }): HTMLFormElement {
  const reporter = reporterName(store, stream);
  return commandForm({
    title: correcting ? m.report.correctTitle(reporter, correcting.number) : m.report.writeTitle(reporter),
    fields: [
      correcting ? field(m.report.why, "why", "", { required: true }) : null,
      ...parts.map(([name, required, multiline]) => field(m.report.parts[name], name, partValue(correcting?.contents, name) ?? "", { required, multiline })),
      reasonField(),
    ],
    request: (data) => correcting
      ? command(store.picture, "POST", `reports/${seg(stream)}/corrections`, withReason({ number: correcting.number, why: text(data, "why"), contents: contentsOf(data) }, data))
      : command(store.picture, "POST", `reports/${seg(stream)}`, withReason({ contents: contentsOf(data), request }, data)),
    done, cancel,
  });
}

function requestForm(store: PictureStore, streams: string[], done: FormDone, cancel: () => void): HTMLFormElement {
  const deadline = toLocalInput(new Date(Date.now() + 2 * 3_600_000).toISOString());
  return commandForm({
    title: m.report.askTitle,
    fields: [
      field(m.report.title, "title", "", { required: true }),
      h("fieldset", { class: "recipients" },
        h("legend", null, m.report.recipients),
        streams.map((stream) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "recipients", value: stream }), ` ${reporterName(store, stream)}`))),
      field(m.report.deadline, "deadline", deadline, { type: "datetime-local", required: true }),
      field(m.report.questions, "questions", "", { multiline: true }),
      reasonField(),
    ],
    request: (data) => command(store.picture, "POST", "report-requests", withReason({
      id: `r-${newIdempotencyKey().replace(/-/g, "").slice(0, 20)}`,
      title: text(data, "title"),
      recipients: data.getAll("recipients").map(String),
      deadline: text(data, "deadline") ? fromLocalInput(text(data, "deadline")) : null,
      questions: text(data, "questions").split("\n").map((q) => q.trim()).filter(Boolean),
    }, data)),
    done, cancel,
  });
}

/** A recipient's status: late is the server's judgement (ReportingOverdue), as on the map; the rest is what the begäran records. */
function statusOf(recipient: RequestRecord["state"]["recipients"][number], request: string): keyof typeof m.report.statuses {
  return recipient.answeredAt ? "Answered" : lateToRequest(recipient.reporter, request) ? "Overdue" : recipient.readAt ? "Read" : "Sent";
}

/**
 * The lägesrapporter panel: begäran to the person's desks (answered from here), the begäran they
 * follow with the answer rate, and the samlad lägesbild, built on the server and printable.
 */
export function reportsPanel(context: PanelContext, streams: () => string[], isExercise: boolean): {
  section: HTMLElement;
  /** Brings the begäran list up to date (rebuilt only when what it shows changed) and the open samlad lägesbild. */
  render(): void;
  /** The picture moved on: the open samlad lägesbild asks the server again; the list stays as it is. */
  followPicture(): void;
} {
  const { store, may } = context;
  const askButton = h("button", { type: "button", class: "small", "data-command": "RequestSituationReport" }, m.report.ask);
  const writeButton = h("button", { type: "button", class: "small", "data-command": "SubmitSituationReport" }, m.report.write);
  const { section, body, setCount } = panel("reports", m.report.panel, h("span", null, askButton, " ", writeButton));
  const formHost = h("div", { class: "details-form" });
  const list = h("div", { class: "report-groups" });
  const overviewButton = h("button", { type: "button", class: "small", "aria-expanded": "false", "data-overview-toggle": "" }, m.report.overviewOpen);
  const overviewHost = h("div", { class: "overview", id: "overview", hidden: true, "data-exercise-label": isExercise ? m.exercise : false });
  const exports = exportButtons(() => store.picture, [
    [m.exports.overviewPdf, () => "overview.pdf"], [m.exports.reportsCsv, () => "reports.csv"], [m.exports.reportsJson, () => "reports.json"],
  ]);
  body.append(formHost, list, h("p", null, overviewButton), exports, overviewHost);

  function openForm(form: HTMLFormElement): void {
    formHost.replaceChildren(form);
    form.querySelector<HTMLElement>("input, textarea")?.focus();
  }
  const close = (message = "") => formHost.replaceChildren(message ? h("p", { role: "status" }, message) : "");

  askButton.addEventListener("click", () => {
    const all = [...store.all("District").map((d) => `district-${d.id}`), ...store.all("Sector").map((s) => `sector-${s.id}`),
      ...store.all("CrisisBody").map((b) => `body-${b.id}`)];
    openForm(requestForm(store, all, close, close));
  });
  writeButton.addEventListener("click", () => {
    const stream = streams()[0];
    if (stream) openForm(reportForm(store, stream, null, close, close));
  });

  let overviewOpen = false;
  let fetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** "Sedan senaste orienteringen": the time chosen, else the last stabsorientering once the server has named it. */
  const since: SinceChoice = { at: null, chosen: false };
  const overviewContent = h("div", { class: "overview-content" });
  // Kept across refreshes, so a time being typed in is not lost when the picture changes.
  const sinceControl = sinceSection(store, (at) => {
    since.at = at;
    since.chosen = true;
    refreshOverview();
  });
  overviewButton.addEventListener("click", () => {
    overviewOpen = !overviewOpen;
    overviewButton.setAttribute("aria-expanded", String(overviewOpen));
    overviewHost.hidden = !overviewOpen;
    document.body.classList.toggle("printing-overview", overviewOpen);
    if (overviewOpen) {
      overviewHost.textContent = m.report.overviewLoading;
      refreshOverview();
    }
  });

  // A report falls overdue with no change to announce it: the open view asks again now and then too
  // (the list's late marks are the server's judgement, which tells the page when they change).
  setInterval(() => refreshOverview(), overviewEveryMs);
  /** What the list showed when last built: built again only when this changes. */
  let shown = "";

  /** Asks the server again shortly: a burst of deltas makes one request, and the view stays within a second of the picture. */
  function refreshOverview(): void {
    if (!overviewOpen) return;
    fetchTimer ??= setTimeout(() => {
      fetchTimer = undefined;
      const asked = performance.now();
      void loadOverview(store.picture, since.at).then((overview) => {
        const arrived = performance.now();
        // The first answer names the last stabsorientering: ask again for what changed since then.
        if (since.at === null && overview.lastBriefing) {
          since.at = overview.lastBriefing;
          refreshOverview();
        }
        if (overviewOpen) {
          if (!overviewHost.contains(sinceControl.section)) overviewHost.replaceChildren(overviewContent, sinceControl.section);
          overviewContent.replaceChildren(...renderOverview(store, overview));
          sinceControl.render(overview, since);
          // The benchmark reads these (Lagesbild.Bench, overview-page): building the view, and from asking to a laid-out view.
          void overviewHost.offsetHeight;
          performance.measure(overviewRenderMeasure, { start: arrived, end: performance.now() });
          performance.measure(overviewLoadMeasure, { start: asked, end: performance.now() });
        }
      }).catch(() => { overviewHost.textContent = m.report.overviewFailed; });
    }, 200);
  }

  function render(): void {
    const askWhy = may({ command: "RequestSituationReport", kind: "ReportRequest", id: "", district: null });
    askButton.disabled = askWhy !== null;
    askButton.title = askWhy ?? "";
    const mine = streams();
    writeButton.hidden = mine.length === 0;
    const requests = store.all("ReportRequest").sort((a, b) => b.seq - a.seq);
    const toMe = requests.filter((r) => r.state.recipients.some((x) => mine.includes(x.reporter) && !x.answeredAt));
    const followed = requests.filter((r) => !toMe.includes(r) && askWhy === null);
    setCount(toMe.length);
    refreshOverview();
    const showing = JSON.stringify([mine, askWhy, requests.map((r) => [r.id, r.seq,
      r.state.recipients.map((x) => [reporterName(store, x.reporter), statusOf(x, r.id)])])]);
    if (showing === shown) return;
    shown = showing;
    replaceKeepingFocus(list, requests.length === 0 ? [h("p", null, m.report.noRequests)] : [
      toMe.length ? h("div", { class: "group" }, h("h3", null, m.report.toMe), h("ul", { class: "rows" }, toMe.map((r) => {
        const recipient = r.state.recipients.find((x) => mine.includes(x.reporter) && !x.answeredAt)!;
        const status = statusOf(recipient, r.id);
        return h("li", { class: "row", "data-request-id": r.id, "data-status": status },
          h("button", { type: "button", class: "row-button", onclick: () => select({ kind: "ReportRequest", id: r.id }, "list") },
            h("span", { class: "row-title" }, r.state.name),
            h("span", { class: "row-status" }, m.report.statuses[status])),
          h("p", { class: "row-meta" }, `${m.report.deadline} `, h("time", { datetime: r.state.deadline }, formatDateTime(r.state.deadline)),
            r.state.remindedAt ? [" · ", h("span", { class: "tag warn" }, m.report.reminded)] : null, " ",
            h("button", {
              type: "button", class: "small", "data-answer": r.id,
              onclick: () => {
                if (!recipient.readAt) void markRead(store.picture, r.id);
                openForm(reportForm(store, recipient.reporter, r.id, close, close));
              },
            }, m.report.answer)));
      }))) : null,
      followed.length ? h("div", { class: "group" }, h("h3", null, m.report.asked), h("ul", { class: "rows" }, followed.map((r) => {
        const answered = r.state.recipients.filter((x) => x.answeredAt).length;
        return h("li", { class: "row", "data-request-id": r.id, "data-answered": `${answered}/${r.state.recipients.length}` },
          h("button", { type: "button", class: "row-button", onclick: () => select({ kind: "ReportRequest", id: r.id }, "list") },
            h("span", { class: "row-title" }, r.state.name),
            h("span", { class: "row-status", "data-answer-rate": "" }, m.report.answerRate(answered, r.state.recipients.length))),
          h("p", { class: "row-meta" }, r.state.recipients.map((x) => {
            const status = statusOf(x, r.id);
            return h("span", { class: `tag ${status === "Overdue" ? "alert" : status === "Answered" ? "ok" : "warn"}`, "data-recipient": x.reporter, "data-status": status },
              `${reporterName(store, x.reporter)}: ${m.report.statuses[status]}`);
          })));
      }))) : null,
    ]);
  }

  return { section, render, followPicture: refreshOverview };
}

async function markRead(picture: string, id: string): Promise<void> {
  try {
    await apiFetch(`${pictureUrl(picture)}/report-requests/${seg(id)}/read`, {
      method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": newIdempotencyKey() }, body: "{}",
    });
  } catch {
    // Read or not, the answer is what counts; the status follows the next time it is opened.
  }
}

async function loadOverview(picture: string, since: string | null): Promise<Overview> {
  const query = since ? `?since=${encodeURIComponent(since)}` : "";
  const response = await apiFetch(`${pictureUrl(picture)}/overview${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  return (await response.json()) as Overview;
}

/** A statement's source: its loggbok entry, opened in the loggbok. */
function source(picture: string, seq: number | null | undefined): Child {
  return seq ? h("a", { class: "source", href: `${pictureUrl(picture)}/log?afterSeq=${seq - 1}&limit=1`, "data-source": seq }, m.report.source(seq)) : null;
}

function renderOverview(store: PictureStore, overview: Overview): Node[] {
  const p = store.picture;
  const byStatus = Object.entries(overview.points.byStatus ?? {}).filter(([, n]) => n > 0).map(([status, n]) => `${status}: ${n}`).join(", ");
  return [
    h("div", { class: "overview-head" },
      h("h3", null, m.report.overview),
      h("button", { type: "button", class: "small no-print", onclick: () => window.print() }, m.report.overviewPrint)),
    h("p", { class: "overview-built" }, m.report.built(formatDateTime(overview.builtAt), overview.seq)),
    facts([
      [m.report.level, [overview.city.level, " ", source(p, overview.city.source), " – ", m.report.cadence(overview.city.cadenceHours)]],
      [m.report.nextBriefing, overview.nextBriefing ? [formatDateTime(overview.nextBriefing), " ", source(p, overview.nextBriefingSource)] : "–"],
      [m.report.points, [m.report.inOperation(overview.points.inOperation, overview.points.visitors, overview.points.capacity), ` (${byStatus}); `,
        m.report.backup(overview.points.onBackupPower), ": ",
        ...overview.points.backupPower.flatMap((pt): Child[] => [`${pt.name} – ${m.report.fuel(pt.fuelHours)} `, source(p, pt.source), "; "])]],
      [m.report.sectors, overview.sectors.filter((s) => s.status !== "Normal").flatMap((s): Child[] => [`${s.name}: ${s.status} `, source(p, s.source), "; "])],
      [m.report.bodies, overview.crisisBodies.filter((b) => b.activation !== "Inactive").flatMap((b): Child[] => [`${b.name}: ${b.activation} `, source(p, b.source), "; "])],
      [m.report.history, overview.city.history.flatMap((step): Child[] => [`${formatDateTime(step.at)} ${step.from} → ${step.to} (${step.decidedBy}) `, source(p, step.source), "; "])],
    ]),
    h("h4", null, m.report.latest),
    h("table", { class: "overview-reports" },
      h("thead", null, h("tr", null, m.report.columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, overview.reports.map((r) => h("tr", { "data-reporter": r.reporter, "data-overdue": r.overdue ? "true" : false },
        h("th", { scope: "row" }, r.number
          ? h("button", { type: "button", class: "link", "data-open-report": r.reporter, onclick: () => select({ kind: "SituationReport", id: r.reporter }, "list") }, r.name)
          : r.name),
        h("td", null, r.number ? [m.report.number(r.number, r.version ?? 1), ": ", r.headline ?? ""] : m.report.never),
        h("td", null, r.ageMinutes == null ? "–" : m.report.minutes(r.ageMinutes)),
        h("td", null, r.dueAt ? formatDateTime(r.dueAt) : "–", r.overdue ? [" ", h("span", { class: "tag alert" }, m.report.overdue)] : null),
        h("td", null, source(p, r.source)))))),
  ];
}

interface SinceChoice { at: string | null; chosen: boolean }
type Change = components["schemas"]["OverviewChange"];

/**
 * "Sedan senaste orienteringen": a time (the last stabsorientering unless another is chosen) and what
 * changed since, grouped by district and sector as the server grouped it; each change links to its entry.
 */
function sinceSection(store: PictureStore, choose: (at: string) => void): { section: HTMLElement; render(overview: Overview, since: SinceChoice): void } {
  const p = store.picture;
  const input = h("input", { type: "datetime-local", name: "since" });
  const form = h("form", { class: "since-form no-print", "data-since-form": "" },
    h("label", null, `${m.report.sinceAt} `, input), " ",
    h("button", { type: "submit", class: "small" }, m.report.sinceShow));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value) choose(fromLocalInput(input.value));
  });
  const heading = h("h4", null, m.report.since);
  const changesHost = h("div", { class: "since-changes-host" });
  const section = h("section", { class: "since", "data-since": "" }, heading, form, changesHost);

  const list = (items: Change[]) => h("ul", { class: "since-changes" }, items.map((c) =>
    h("li", { "data-change-seq": c.seq }, `${formatDateTime(c.at)} ${c.type} ${c.entity} (${c.by}) `, source(p, c.seq))));
  const group = (title: string, key: string, items: Change[]) =>
    h("section", { class: "since-group", "data-since-group": key }, h("h5", null, title), list(items));

  function render(overview: Overview, since: SinceChoice): void {
    const changes = overview.since;
    section.dataset["since"] = changes?.from ?? "";
    if (since.at && document.activeElement !== input && !since.chosen) input.value = toLocalInput(since.at);
    const from = changes ? formatDateTime(changes.from) : null;
    heading.textContent = !from ? m.report.since
      : `${m.report.since} – ${since.chosen ? `${from} (${m.report.sinceChosen})` : m.report.sinceDefault(from)}`;
    const districts = Object.entries(changes?.districts ?? {});
    const sectors = Object.entries(changes?.sectors ?? {});
    const city = changes?.city ?? [];
    changesHost.replaceChildren(...(!changes ? []
      : districts.length + sectors.length + city.length === 0 ? [h("p", { class: "empty" }, m.report.noChanges)]
        : [
          ...districts.map(([id, items]) => group(store.get("District", id)?.state.name ?? id, `district-${id}`, items)),
          ...sectors.map(([id, items]) => group(store.get("Sector", id)?.state.name ?? id, `sector-${id}`, items)),
          ...(city.length ? [group(m.report.city, "city", city)] : []),
          ...(changes.truncated ? [h("p", { class: "empty" }, m.report.sinceTruncated)] : []),
        ]));
  }

  return { section, render };
}

export const reportDetails: DetailView<"SituationReport"> = {
  kindLabel: m.report.kind,
  view(record, { store }) {
    const { state } = record;
    return [h("div", { class: "report-print", "data-exercise-label": store.picture !== "live" ? m.exercise : false },
      h("h3", { class: "print-only" }, `${m.report.kind}: ${reporterName(store, record.id)}`),
      facts([
        [m.report.kind, reporterName(store, record.id)],
        [m.report.number(state.number, state.version), state.name],
        [m.report.sentAt, formatDateTime(state.sentAt)],
        [m.report.sentBy, state.sentBy],
        state.correctedAt ? [m.report.corrected, `${formatDateTime(state.correctedAt)}: ${state.correctionWhy ?? ""}`] : null,
      ].filter((row): row is [string, string] => row !== null)),
      exportButtons(() => store.picture, [[m.exports.reportPdf, () => `reports/${seg(record.id)}.pdf`]]),
      h("p", { class: "no-print" }, h("button", { type: "button", class: "small", "data-report-print": record.id, onclick: printReport }, m.report.print)),
      h("h3", null, m.report.versions),
      entityText(store.picture, "SituationReport", record.id, record.seq, m.report.loading, m.report.loadFailed, (entries) => versions(entries)))];
  },
  actions(record, { store }) {
    return [{
      command: "CorrectSituationReport",
      label: m.report.correct,
      build: (done, cancel) => reportForm(store, record.id, null, done, cancel, { number: record.state.number }),
    }];
  },
};

/**
 * Prints the open report alone (its details, every version) until the browser says printing is over; the
 * samlad lägesbild or the minutes, if open (each claims the printout too), take it back afterwards.
 */
function printReport(): void {
  const others = ["printing-overview", "printing-minutes"].filter((c) => document.body.classList.contains(c));
  document.body.classList.remove(...others);
  document.body.classList.add("printing-report");
  window.addEventListener("afterprint", () => {
    document.body.classList.remove("printing-report");
    document.body.classList.add(...others);
  }, { once: true });
  window.print();
}

/** Every version of every report in the stream, newest first: a correction never hides what it corrected. */
function versions(entries: LogEntry[]): Node[] {
  return entries.slice().reverse().map((entry) => {
    const change = entry.change as { number?: number; version?: number; why?: string; contents?: ReportContents } | null;
    return h("article", { class: "report-version", "data-seq": entry.seq },
      h("h4", null, m.report.number(change?.number ?? 0, change?.version ?? 1), " – ", formatDateTime(entry.at), ", ", entry.actor.name),
      change?.why ? h("p", null, `${m.report.why}: ${change.why}`) : null,
      h("dl", null, parts.flatMap(([name]) => {
        const value = partValue(change?.contents, name);
        return value ? [h("dt", null, m.report.parts[name]), h("dd", null, value)] : [];
      })));
  });
}

export const requestDetails: DetailView<"ReportRequest"> = {
  kindLabel: m.report.requestKind,
  view(record, { store }) {
    const { state } = record;
    return [
      facts([
        [m.report.title, state.name],
        [m.report.deadline, formatDateTime(state.deadline)],
        [m.report.recipients, state.recipients.map((x) => `${reporterName(store, x.reporter)}: ${m.report.statuses[statusOf(x, record.id)]}`).join(", ")],
      ]),
      entityText(store.picture, "ReportRequest", record.id, record.seq, m.report.loading, m.report.loadFailed, (entries) => {
        const questions = (entries[0]?.change as { questions?: string[] } | null)?.questions ?? [];
        return questions.length ? [h("ul", null, questions.map((q) => h("li", null, q)))] : [];
      }),
    ];
  },
  actions() {
    return [];
  },
};
