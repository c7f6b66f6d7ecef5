// Resources and their begäran (issue 16, item 3): the point's request form, the requests panel and
// the details of a begäran and a resource. Which steps are offered is the server's (its rules'
// steps and the person's permissions); why a begäran is made is read from the loggbok when opened.
import { command, newIdempotencyKey, seg } from "../api/http";
import { m } from "../i18n";
import type { CommandType } from "../picture/access";
import type { EntityRecord, LogEntry } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus, type Child } from "../ui/dom";
import { commandForm, field, number, reasonField, selectField, text, withReason, type Action, type Choice } from "../ui/forms";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import type { DetailView, PanelContext } from "./details";
import { entityText } from "./entityText";

type RequestRecord = EntityRecord<"ResourceRequest">;
type ResourceRecord = EntityRecord<"Resource">;
type PointRecord = EntityRecord<"SafetyPoint">;
type ResourceKind = ResourceRecord["state"]["kind"];

const resourceKinds: readonly ResourceKind[] = ["Generator", "WaterTank", "FuelDelivery", "Staff", "FrgVolunteers", "SecurityGuards"];

/** Not yet declined, returned or withdrawn: the begäran still needs someone. */
const isOpen = (r: RequestRecord) => r.state.status !== "Declined" && r.state.status !== "Returned" && r.state.status !== "Withdrawn";

function statusTag(r: RequestRecord): HTMLElement {
  return h("span", { class: "row-status", "data-request-status": r.state.status }, m.resource.statuses[r.state.status]);
}

function requestRow(store: PictureStore, r: RequestRecord, withPoint: boolean): HTMLLIElement {
  const point = store.get("SafetyPoint", r.state.safetyPoint)?.state.name ?? r.state.safetyPoint;
  return h("li", { class: "row", "data-resource-request": r.id, "data-status": r.state.status },
    h("button", {
      type: "button", class: "row-button", "data-key": `ResourceRequest/${r.id}`,
      "aria-current": isSelected("ResourceRequest", r.id) ? "true" : false,
      onclick: () => select({ kind: "ResourceRequest", id: r.id }, "list"),
    }, h("span", { class: "row-title" }, withPoint ? `${r.state.name} – ${point}` : r.state.name), statusTag(r)),
    h("p", { class: "row-meta" }, `${m.resource.needBy} `, h("time", { datetime: r.state.needBy }, formatDateTime(r.state.needBy)),
      r.state.minutesToCommit != null ? ` · ${m.resource.committedAfter(Math.round(Number(r.state.minutesToCommit)))}` : null));
}

/** The requests panel: open begäran first (waiting ones on top), live as the picture changes. */
export function resourceRequestsPanel(context: PanelContext): { section: HTMLElement; render(): void } {
  const { store } = context;
  const { section, body, setCount } = panel("resource-requests", m.resource.panel);
  const list = h("div", { class: "resource-request-groups" });
  body.append(list);
  function render(): void {
    const all = store.all("ResourceRequest");
    const order = ["Requested", "Committed", "Delivered", "Released"];
    const open = all.filter(isOpen).sort((a, b) => order.indexOf(a.state.status) - order.indexOf(b.state.status) || a.state.needBy.localeCompare(b.state.needBy));
    const closed = all.filter((r) => !isOpen(r)).sort((a, b) => b.seq - a.seq).slice(0, 20);
    setCount(open.length);
    replaceKeepingFocus(list, all.length === 0 ? [h("p", null, m.resource.empty)] : [
      open.length ? h("div", { class: "group" }, h("h3", null, m.resource.open), h("ul", { class: "rows" }, open.map((r) => requestRow(store, r, true)))) : null,
      closed.length ? h("div", { class: "group" }, h("h3", null, m.resource.closed), h("ul", { class: "rows" }, closed.map((r) => requestRow(store, r, true)))) : null,
    ]);
  }
  return { section, render };
}

/** On a point's details: its open begäran and the resources delivered to it. */
export function pointResources(record: PointRecord, store: PictureStore): Child[] {
  const requests = store.all("ResourceRequest").filter((r) => r.state.safetyPoint === record.id && isOpen(r));
  const delivered = store.all("Resource").filter((r) => r.state.assignment?.safetyPoint === record.id && r.state.assignment.delivered);
  return [
    h("h3", null, m.resource.atPoint),
    requests.length || delivered.length
      ? h("ul", { class: "rows", "data-point-resources": record.id },
        requests.map((r) => requestRow(store, r, false)),
        delivered.map((r) => h("li", { class: "row", "data-delivered-resource": r.id }, `${r.state.name} – ${m.resource.deliveredHere}`)))
      : h("p", null, m.resource.noneAtPoint),
  ];
}

/** A district asks for a resource for this point: kind (or a named one), how many, by when and why. */
export function requestResourceAction(record: PointRecord, store: PictureStore): Action {
  return {
    command: "RequestResource",
    label: m.resource.request,
    build: (done, cancel) => {
      const soon = new Date(Date.now() + 3 * 3_600_000);
      const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      const kinds: Choice[] = resourceKinds.map((k) => [k, m.resource.kinds[k]]);
      // One key per form, not per attempt: the id of the begäran stays the same when it is sent again.
      const id = `rb-${newIdempotencyKey().replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 20)}`;
      return commandForm({
        title: `${m.resource.request}: ${record.state.name}`,
        submitLabel: m.resource.send,
        fields: [
          selectField(m.resource.kind, "resourceKind", kinds, "Generator"),
          field(m.resource.quantity, "quantity", 1, { type: "number", min: 1, max: 50, required: true }),
          field(m.resource.needBy, "needBy", local, { type: "datetime-local", required: true }),
          reasonField(true),
        ],
        request: (data) => command(store.picture, "POST", "resource-requests", withReason({
          id,
          safetyPoint: record.id,
          resourceKind: text(data, "resourceKind"),
          quantity: number(data, "quantity"),
          needBy: text(data, "needBy") ? new Date(text(data, "needBy")).toISOString() : null,
        }, data)),
        done, cancel,
      });
    },
  };
}

const steps: { command: CommandType; path: string; label: string; reason: "required" | "optional" }[] = [
  { command: "CommitResource", path: "commit", label: m.resource.commit, reason: "optional" },
  { command: "DeclineResourceRequest", path: "decline", label: m.resource.decline, reason: "required" },
  { command: "DeliverResource", path: "deliver", label: m.resource.deliver, reason: "optional" },
  { command: "ReleaseResource", path: "release", label: m.resource.release, reason: "optional" },
  { command: "ReturnResource", path: "return", label: m.resource.return, reason: "optional" },
  { command: "WithdrawResourceRequest", path: "withdraw", label: m.resource.withdraw, reason: "required" },
];

/** The steps the server's rules allow from a status (its permissions answer carries them). */
let requestSteps: Record<string, string[]> = {};
export function setResourceRequestSteps(table: Record<string, string[]> | undefined): void {
  requestSteps = table ?? {};
}

export const resourceRequestDetails: DetailView<"ResourceRequest"> = {
  kindLabel: m.resource.requestKind,
  view(record, { store }) {
    const { state } = record;
    const point = store.get("SafetyPoint", state.safetyPoint)?.state.name ?? state.safetyPoint;
    return [
      facts([
        [m.resource.status, h("strong", { "data-request-status": state.status }, m.resource.statuses[state.status])],
        [m.resource.point, point],
        [m.resource.needBy, formatDateTime(state.needBy)],
        [m.resource.requestedBy, `${state.requestedBy.name}, ${formatDateTime(state.requestedAt)}`],
        [m.resource.committed, state.resources.length
          ? state.resources.map((id) => store.get("Resource", id)?.state.name ?? id).join(", ") : null],
        [m.resource.timeToCommit, state.minutesToCommit != null ? m.resource.minutes(Math.round(Number(state.minutesToCommit))) : null],
      ]),
      entityText(store.picture, "ResourceRequest", record.id, record.seq, m.resource.loading, m.resource.loadFailed, reasons),
    ];
  },
  actions(record, { store }) {
    const allowed = Object.entries(requestSteps).filter(([, from]) => from.includes(record.state.status)).map(([step]) => step);
    return steps.filter((step) => allowed.includes(step.command)).map((step): Action => ({
      command: step.command,
      label: step.label,
      build: (done, cancel) => commandForm({
        title: `${step.label}: ${record.state.name}`,
        submitLabel: step.label,
        fields: [
          step.command === "CommitResource" ? commitChoice(record, store) : null,
          step.reason === "required" ? field(m.resource.why, "reason", "", { required: true, multiline: true }) : reasonField(),
        ],
        request: (data) => command(store.picture, "POST", `resource-requests/${seg(record.id)}/${step.path}`,
          withReason(step.command === "CommitResource" ? { resources: data.getAll("resources").map(String) } : {}, data)),
        done, cancel,
      }),
    }));
  },
};

/** Central chooses among the resources of the kind asked for; those busy elsewhere are shown, not offered. */
function commitChoice(record: RequestRecord, store: PictureStore): HTMLElement {
  const candidates = store.all("Resource").filter((r) => r.state.kind === record.state.kind).sort((a, b) => a.id.localeCompare(b.id));
  const free = candidates.filter((r) => !r.state.assignment);
  const first = free.find((r) => r.id === record.state.named) ?? free[0];
  return h("fieldset", null, h("legend", null, m.resource.choose(record.state.quantity)),
    candidates.length === 0 ? h("p", null, m.resource.noneOfKind) : candidates.map((r) => {
      const id = `commit-${record.id}-${r.id}`;
      const busy = r.state.assignment ? m.resource.busy(r.state.assignment.safetyPoint) : null;
      return h("div", { class: "field check" },
        h("input", { type: "checkbox", name: "resources", id, value: r.id, disabled: busy !== null, checked: r === first }),
        h("label", { for: id }, `${r.state.name} (${r.state.depot.name})`, busy ? h("span", { class: "hint" }, ` – ${busy}`) : null));
    }));
}

/** Why the begäran was made and what was said at each step, from its loggbok entries. */
function reasons(entries: LogEntry[]): Node[] {
  return [facts(entries.filter((e) => e.reason).map((e): [string, string] => [`${formatDateTime(e.at)} ${e.actor.name}`, e.reason ?? ""]))];
}

export const resourceDetails: DetailView<"Resource"> = {
  kindLabel: m.resource.kindLabel,
  view(record, { store }) {
    const { state } = record;
    const use = state.assignment;
    return [
      facts([
        [m.resource.kind, m.resource.kinds[state.kind]],
        [m.resource.depot, state.depot.name],
        [m.resource.where, use
          ? `${use.delivered ? m.resource.deliveredTo : m.resource.onItsWay} ${store.get("SafetyPoint", use.safetyPoint)?.state.name ?? use.safetyPoint}`
          : m.resource.atDepot],
      ]),
    ];
  },
  actions: () => [],
};
