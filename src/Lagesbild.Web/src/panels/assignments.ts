import { command, fetchFollowUp, fetchTaskLists, newIdempotencyKey, seg } from "../api/http";
import { m } from "../i18n";
import type { CommandType } from "../picture/access";
import { attentionOf } from "../picture/assignments";
import { pictureNow } from "../picture/clock";
import { assigneeKinds, type AssignmentFollowUpFigures, type EntityRecord, type LogEntry } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { commandForm, field, reasonField, selectField, text, textOrNull, withReason, type Action, type Choice } from "../ui/forms";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import type { DetailView, PanelContext } from "./details";
import { entityText } from "./entityText";

type AssignmentRecord = EntityRecord<"Assignment">;

/** The task panel: open uppdrag first (overdue, then unacknowledged, then by deadline), finished ones after. */
export function assignmentsPanel(context: PanelContext): { section: HTMLElement; render(): void } {
  const { store, may } = context;
  const sendButton = h("button", { type: "button", class: "small", "data-command": "SendAssignment", "aria-expanded": "false" }, m.assignment.send);
  const listButton = h("button", { type: "button", class: "small", "data-command": "IssueTaskList", "aria-expanded": "false" }, m.assignment.taskList);
  const { section, body, setCount } = panel("assignments", m.assignment.panel, h("span", null, sendButton, " ", listButton));
  const refused = h("p", { class: "refused", id: "send-assignment-refused", hidden: true });
  const formHost = h("div", { class: "details-form" });
  const list = h("div", { class: "assignment-groups" });
  body.append(refused, formHost, list);

  sendButton.addEventListener("click", () => {
    if (formHost.childElementCount > 0) return closeForm();
    sendButton.setAttribute("aria-expanded", "true");
    formHost.replaceChildren(sendForm(store, (message) => closeForm(message), () => closeForm()));
    formHost.querySelector<HTMLElement>("input, textarea, select")?.focus();
  });

  listButton.addEventListener("click", () => {
    if (formHost.childElementCount > 0) return closeForm();
    listButton.setAttribute("aria-expanded", "true");
    void taskListForm(store, (message) => closeForm(message), () => closeForm()).then((form) => {
      formHost.replaceChildren(form);
      form.querySelector<HTMLElement>("select, input")?.focus();
    });
  });

  function closeForm(message = ""): void {
    formHost.replaceChildren(message ? h("p", { role: "status" }, message) : "");
    sendButton.setAttribute("aria-expanded", "false");
    listButton.setAttribute("aria-expanded", "false");
  }

  function render(): void {
    const why = may({ command: "SendAssignment", kind: "Assignment", id: "", district: null });
    sendButton.disabled = why !== null;
    refused.hidden = why === null;
    refused.textContent = why ?? "";
    if (why) sendButton.setAttribute("aria-describedby", refused.id);
    else sendButton.removeAttribute("aria-describedby");
    // Only central krisledning gives a task list; the server says so in its own words.
    const listWhy = may({ command: "IssueTaskList", kind: "Assignment", id: "", district: null });
    listButton.disabled = listWhy !== null;
    listButton.title = listWhy ?? "";
    const now = pictureNow();
    const rank = (t: AssignmentRecord) => {
      const attention = attentionOf(t.state, now);
      return attention === "overdue" ? 0 : attention === "unacknowledged" ? 1 : 2;
    };
    const all = store.all("Assignment");
    const open = all.filter((t) => ["Sent", "Received", "InProgress"].includes(t.state.status))
      .sort((a, b) => rank(a) - rank(b) || a.state.due.localeCompare(b.state.due));
    const finished = all.filter((t) => !open.includes(t)).sort((a, b) => b.seq - a.seq);
    setCount(all.length);
    replaceKeepingFocus(list, all.length === 0 ? [h("p", null, m.assignment.empty)] : [
      followUp(store, render),
      open.length ? h("div", { class: "group" }, h("h3", null, m.assignment.open), h("ul", { class: "rows" }, open.map((t) => taskItem(store, t, now)))) : null,
      finished.length ? h("div", { class: "group" }, h("h3", null, m.assignment.finished), h("ul", { class: "rows" }, finished.map((t) => taskItem(store, t, now)))) : null,
    ]);
  }

  return { section, render };
}

function receiverName(store: PictureStore, record: AssignmentRecord): string {
  const { kind, id } = record.state.to;
  const named = kind === "District" ? store.get("District", id ?? "")?.state.name
    : kind === "Sector" ? store.get("Sector", id ?? "")?.state.name
      : kind === "CrisisBody" ? store.get("CrisisBody", id ?? "")?.state.name : null;
  return named ?? id ?? "";
}

function taskItem(store: PictureStore, record: AssignmentRecord, now: number): HTMLLIElement {
  const { state } = record;
  const attention = attentionOf(state, now);
  return h("li", { class: "row", "data-assignment-id": record.id, "data-status": state.status, "data-attention": attention ?? false },
    h("button", {
      type: "button", class: "row-button", "data-key": `Assignment/${record.id}`,
      "aria-current": isSelected("Assignment", record.id) ? "true" : false,
      onclick: () => select({ kind: "Assignment", id: record.id }, "list"),
    },
    h("span", { class: "row-title" }, state.name),
    h("span", { class: "row-status" }, m.assignment.statuses[state.status])),
    h("p", { class: "row-meta" },
      attention ? [h("span", { class: `tag ${attention === "overdue" ? "alert" : "warn"}` }, m.assignment[attention]), " "] : null,
      `${m.assignment.to} ${receiverName(store, record)}, ${m.assignment.due.toLowerCase()} `,
      h("time", { datetime: state.due }, formatDateTime(state.due))));
}

/** Whether the follow-up table is open: kept across renders, which rebuild the panel. */
let followUpOpen = false;
/** The server's figures (AssignmentFollowUp), fetched while the table is open and again when the picture has moved on. */
let figures: { picture: string; answer: AssignmentFollowUpFigures } | null = null;
let fetching = false;
/** The page's sequence number when they were last asked for: asked again only once the picture has moved past it. */
let askedAt = { picture: "", seq: -1 };

/** Follow-up per district and sector: open, overdue, unacknowledged, and the median minutes to acknowledge and to finish. */
function followUp(store: PictureStore, rerender: () => void): HTMLElement {
  const current = figures?.picture === store.picture ? figures.answer : null;
  const asked = askedAt.picture === store.picture ? askedAt.seq : -1;
  if (followUpOpen && !fetching && store.lastSeq > asked && (current === null || current.seq < store.lastSeq)) {
    fetching = true;
    const picture = store.picture;
    askedAt = { picture, seq: store.lastSeq };
    fetchFollowUp(picture)
      .then((answer) => { figures = { picture, answer }; })
      .catch(() => undefined)
      .finally(() => { fetching = false; rerender(); });
  }
  const name = (kind: string, id: string) =>
    (kind === "District" ? store.get("District", id)?.state.name : store.get("Sector", id)?.state.name) ?? id;
  const minutes = (value: number | null | undefined) => (value === null || value === undefined ? "–" : m.assignment.minutes(Math.round(value)));
  const rows = (current?.rows ?? []).map((row) => h("tr", { "data-follow-up": `${row.kind}/${row.id}` },
    h("th", { scope: "row" }, name(row.kind, row.id)),
    h("td", null, row.open),
    h("td", null, row.overdue),
    h("td", null, row.unacknowledged),
    h("td", null, minutes(row.medianMinutesToAcknowledge)),
    h("td", null, minutes(row.medianMinutesToFinish))));
  return h("details", {
    class: "follow-up", open: followUpOpen,
    ontoggle: (event) => {
      const open = (event.target as HTMLDetailsElement).open;
      if (open === followUpOpen) return;
      followUpOpen = open;
      // Opened again: ask afresh, as time alone may have made tasks overdue.
      if (open) askedAt = { picture: "", seq: -1 };
      rerender();
    },
  },
  h("summary", null, m.assignment.followUp),
  h("table", null,
    h("thead", null, h("tr", null, m.assignment.followUpColumns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, rows)));
}

/** The people the picture names (on duty in a crisis body), offered by the name the page shows them by. */
function peopleOnDuty(store: PictureStore): string[] {
  return [...new Set(store.all("CrisisBody").flatMap((body) => body.state.onDuty.map((person) => person.name)))].sort();
}

function sendForm(store: PictureStore, done: (message: string) => void, cancel: () => void): HTMLFormElement {
  const due = new Date(Date.now() + 2 * 3600_000);
  const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  return commandForm({
    title: m.assignment.formTitle,
    fields: [
      field(m.assignment.title, "title", "", { required: true }),
      field(m.assignment.instructions, "instructions", "", { multiline: true }),
      selectField(m.assignment.toKind, "toKind", assigneeKinds.map((k): Choice => [k, m.assignment.toKinds[k]]), "District"),
      field(m.assignment.toId, "toId", "", { required: true, hint: m.assignment.toIdHint, list: "assignment-receivers" }),
      h("datalist", { id: "assignment-receivers" },
        [...store.all("District"), ...store.all("Sector"), ...store.all("CrisisBody")].map((e) => h("option", { value: e.id }, e.state.name)),
        peopleOnDuty(store).map((name) => h("option", { value: name }, m.assignment.toKinds.Person))),
      field(m.assignment.due, "due", local, { type: "datetime-local", required: true }),
      field(m.assignment.reportBack, "reportBack", ""),
      reasonField(),
    ],
    request: (data) => {
      const dueText = text(data, "due");
      return command(store.picture, "POST", "assignments", withReason({
        id: `u-${newIdempotencyKey().replace(/-/g, "").slice(0, 20)}`,
        title: text(data, "title"),
        instructions: textOrNull(data, "instructions"),
        to: { kind: text(data, "toKind"), id: text(data, "toId") },
        due: dueText ? new Date(dueText).toISOString() : null,
        reportBack: textOrNull(data, "reportBack"),
      }, data));
    },
    done, cancel,
  });
}

/**
 * Gives an event kind's default task list (the city's configuration, GET /api/task-lists) to the districts chosen.
 * The list's id is fixed when the form opens and commandForm keeps its Idempotency-Key while the outcome is unknown,
 * so sending again after a list was cut off gives only the uppdrag still missing.
 */
async function taskListForm(store: PictureStore, done: (message: string) => void, cancel: () => void): Promise<HTMLFormElement> {
  const kinds = await fetchTaskLists();
  const id = `lista-${newIdempotencyKey().replace(/-/g, "").slice(0, 12)}`;
  const districts = store.all("District").sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale));
  return commandForm({
    title: m.assignment.taskListTitle,
    fields: [
      selectField(m.assignment.eventKind, "eventKind", kinds.map((k): Choice => [k.id, `${k.name} (${m.assignment.taskCount(k.tasks.length)})`]), kinds[0]?.id ?? null),
      h("fieldset", { class: "recipients" },
        h("legend", null, m.assignment.affectedDistricts),
        districts.map((d) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "districts", value: d.id }), ` ${d.state.name}`))),
      reasonField(),
    ],
    request: (data) => command(store.picture, "POST", "task-lists", withReason({
      id,
      eventKind: text(data, "eventKind"),
      districts: data.getAll("districts").map(String),
    }, data)),
    done, cancel,
  });
}

const steps: { command: CommandType; path: string; label: string; reason: "required" | "optional" | "none" }[] = [
  { command: "AcknowledgeAssignment", path: "acknowledge", label: m.assignment.acknowledge, reason: "none" },
  { command: "StartAssignment", path: "start", label: m.assignment.start, reason: "none" },
  { command: "CompleteAssignment", path: "complete", label: m.assignment.complete, reason: "optional" },
  { command: "DeclineAssignment", path: "decline", label: m.assignment.decline, reason: "required" },
  { command: "CancelAssignment", path: "cancel", label: m.assignment.cancel, reason: "optional" },
];

export const assignmentDetails: DetailView<"Assignment"> = {
  kindLabel: m.assignment.kind,
  view(record, { store }) {
    const { state } = record;
    const attention = attentionOf(state);
    return [
      facts([
        [m.assignment.status, [h("strong", null, m.assignment.statuses[state.status]), attention ? " " : null,
          attention ? h("span", { class: `tag ${attention === "overdue" ? "alert" : "warn"}` }, m.assignment[attention]) : null]],
        [m.assignment.to, `${m.assignment.toKinds[state.to.kind ?? "District"]}: ${receiverName(store, record)}`],
        [m.assignment.sentBy, `${state.sentBy.name}, ${formatDateTime(state.sentAt)}`],
        [m.assignment.due, formatDateTime(state.due)],
      ]),
      entityText(store.picture, "Assignment", record.id, record.seq, m.assignment.loading, m.assignment.loadFailed, sentText),
    ];
  },
  actions(record, { store, stepsFrom }) {
    // Only the steps the server's rules allow from this status; who may take them, the permissions say.
    const allowed = stepsFrom(record.state.status);
    return steps.filter((step) => allowed.includes(step.command)).map((step): Action => ({
      command: step.command,
      label: step.label,
      build: (done, cancel) => commandForm({
        title: m.assignment.stepTitle(step.label, record.state.name),
        submitLabel: step.label,
        fields: [step.reason === "none" ? null
          : step.reason === "required" ? field(m.assignment.whyNot, "reason", "", { required: true, multiline: true })
            : field(m.assignment.report, "reason", "", { multiline: true })],
        request: (data) => command(store.picture, "POST", `assignments/${seg(record.id)}/${step.path}`, withReason({}, data)),
        done, cancel,
      }),
    }));
  },
};

/** The uppdrag as it was sent, from its first loggbok entry. */
function sentText(entries: LogEntry[]): Node[] {
  const change = (entries.find((e) => e.type === "AssignmentSent")?.change ?? {}) as Record<string, unknown>;
  const str = (key: string) => (typeof change[key] === "string" ? (change[key] as string) : null);
  const steps = entries.filter((e) => e.type === "AssignmentStepped" && e.reason);
  return [
    str("instructions") ? h("p", { class: "resolution-text" }, str("instructions")) : h("span"),
    facts([
      [m.assignment.reportBack, str("reportBack")],
      ...steps.map((e): [string, string] => [`${formatDateTime(e.at)} ${e.actor.name}`, e.reason ?? ""]),
    ]),
  ];
}
