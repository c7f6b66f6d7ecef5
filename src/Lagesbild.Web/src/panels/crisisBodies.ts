import { command, seg } from "../api/http";
import { m } from "../i18n";
import { activations, type Activation, type EntityRecord, type Person } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus, type Child } from "../ui/dom";
import { checkbox, commandForm, field, reasonField, selectField, text, withReason, type Action } from "../ui/forms";
import { freshness } from "../ui/freshness";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import { formatDateTime, fromLocalInput, toLocalInput } from "../ui/time";
import type { DetailView } from "./details";

type BodyRecord = EntityRecord<"CrisisBody">;
const path = (record: BodyRecord, what: string) => `crisis-bodies/${seg(record.id)}/${what}`;

const activationMark: Record<Activation, string> = { Inactive: "○", Standby: "◐", Activated: "●" };
const centralOrder = ["Board", "CentralCrisisManagement", "DutyOfficer"];

/** Krisledningsorganen: central first, then each district's local crisis management. */
export function crisisBodiesPanel(store: PictureStore): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("bodies", m.panels.bodies);
  const host = h("div");
  body.append(host);

  function render(): void {
    const all = store.all("CrisisBody");
    setCount(all.length);
    const central = all.filter((b) => b.state.kind !== "LocalCrisisManagement")
      .sort((a, b) => centralOrder.indexOf(a.state.kind) - centralOrder.indexOf(b.state.kind) || a.state.name.localeCompare(b.state.name, m.locale));
    const local = all.filter((b) => b.state.kind === "LocalCrisisManagement")
      .sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale));
    replaceKeepingFocus(host, all.length === 0 ? [h("p", null, m.panels.empty)] : [
      central.length > 0 ? h("div", { class: "group" }, h("h3", null, m.body.central), h("ul", { class: "rows" }, central.map(bodyItem))) : null,
      local.length > 0 ? h("div", { class: "group" }, h("h3", null, m.body.local), h("ul", { class: "rows" }, local.map(bodyItem))) : null,
    ]);
  }

  return { section, render };
}

function bodyItem(record: BodyRecord): HTMLLIElement {
  const { state } = record;
  return h("li", { class: "row", "data-body-id": record.id, "data-activation": state.activation },
    h("button", {
      type: "button",
      class: "row-button",
      "data-key": `CrisisBody/${record.id}`,
      "aria-current": isSelected("CrisisBody", record.id) ? "true" : false,
      onclick: () => select({ kind: "CrisisBody", id: record.id }, "list"),
    },
    h("span", { class: "badge", "data-level": state.activation, "aria-hidden": "true" }, activationMark[state.activation]),
    h("span", { class: "row-title" }, state.name),
    h("span", { class: "row-status" }, m.body.activations[state.activation])),
    state.activation !== "Inactive" || state.onDuty.length > 0 || state.nextMeeting ? facts(bodyFacts(record)) : null,
    h("p", { class: "row-meta" }, freshness(record)));
}

function bodyFacts(record: BodyRecord): [string, Child | Child[]][] {
  const { state } = record;
  return [
    [m.body.onDuty, state.onDuty.length === 0 ? m.body.nobodyOnDuty : h("ul", { class: "plain" }, state.onDuty.map(personItem))],
    [m.body.nextMeeting, state.nextMeeting ? m.body.meeting(formatDateTime(state.nextMeeting.at), state.nextMeeting.place) : m.body.noMeeting],
  ];
}

function personItem(person: Person): HTMLLIElement {
  return h("li", null, `${person.name}, ${person.role}`,
    person.phone ? [", ", h("a", { href: `tel:${person.phone.replace(/\s/g, "")}` }, person.phone)] : null);
}

export const crisisBodyDetails: DetailView<"CrisisBody"> = {
  kindLabel: m.body.kind,
  view(record) {
    return [
      facts([
        [m.body.kind, m.body.kinds[record.state.kind]],
        [m.body.activation, h("strong", null, m.body.activations[record.state.activation])],
        ...bodyFacts(record),
      ]),
      h("p", { class: "row-meta" }, freshness(record), ` – ${record.by}`),
    ];
  },
  actions(record, { store }) {
    const picture = store.picture;
    const { state } = record;
    const activationAction: Action = {
      command: "ChangeCrisisBodyActivation",
      label: m.body.changeActivation,
      build: (done, cancel) => commandForm({
        title: `${m.body.changeActivation}: ${state.name}`,
        fields: [
          selectField(m.body.activation, "activation", activations.map((a) => [a, m.body.activations[a]] as const), state.activation),
          reasonField(),
        ],
        request: (data) => command(picture, "PUT", path(record, "activation"), withReason({ activation: text(data, "activation") }, data)),
        done, cancel,
      }),
    };
    const onDutyAction: Action = {
      command: "SetCrisisBodyOnDuty",
      label: m.body.setOnDuty,
      build: (done, cancel) => commandForm({
        title: `${m.body.setOnDuty}: ${state.name}`,
        fields: [peopleEditor(state.onDuty), reasonField()],
        request: (data) => {
          const names = data.getAll("name").map(String);
          const roles = data.getAll("role").map(String);
          const phones = data.getAll("phone").map(String);
          const people = names
            .map((name, i) => ({ name: name.trim(), role: (roles[i] ?? "").trim(), phone: (phones[i] ?? "").trim() }))
            .filter((p) => p.name || p.role || p.phone);
          return command(picture, "PUT", path(record, "on-duty"), withReason({ people }, data));
        },
        done, cancel,
      }),
    };
    const meetingAction: Action = {
      command: "ScheduleCrisisBodyMeeting",
      label: m.body.scheduleMeeting,
      build: (done, cancel) => commandForm({
        title: `${m.body.scheduleMeeting}: ${state.name}`,
        fields: [
          field(m.body.meetingAt, "at", state.nextMeeting ? toLocalInput(state.nextMeeting.at) : "", { type: "datetime-local" }),
          field(m.body.place, "place", state.nextMeeting?.place),
          checkbox(m.body.clearMeeting, "clear", false),
          reasonField(),
        ],
        request: (data) => {
          const body = data.has("clear") || !text(data, "at")
            ? { at: null }
            : { at: fromLocalInput(text(data, "at")), place: text(data, "place") };
          return command(picture, "PUT", path(record, "next-meeting"), withReason(body, data));
        },
        done, cancel,
      }),
    };
    return [activationAction, onDutyAction, meetingAction];
  },
};

/** Rows of name, role and phone; one empty row is always there to add someone. */
function peopleEditor(people: Person[]): HTMLElement {
  const rows = h("ol", { class: "people" });
  const addRow = (person: Person | null) => {
    const row = h("li", null,
      h("fieldset", { class: "grid" },
        h("legend", null, m.body.person(rows.children.length + 1)),
        field(m.body.personName, "name", person?.name, { autocomplete: "name" }),
        field(m.body.role, "role", person?.role),
        field(m.body.phone, "phone", person?.phone, { type: "tel" }),
        h("button", { type: "button", class: "small", onclick: () => { row.remove(); renumber(); } }, m.body.removePerson)));
    rows.append(row);
    return row;
  };
  const renumber = () => {
    [...rows.querySelectorAll("legend")].forEach((legend, i) => { legend.textContent = m.body.person(i + 1); });
  };
  for (const person of people) addRow(person);
  if (people.length === 0) addRow(null);
  const add = h("button", { type: "button", class: "small" }, m.body.addPerson);
  add.addEventListener("click", () => addRow(null).querySelector("input")?.focus());
  return h("fieldset", null, h("legend", null, m.body.onDuty), rows, add);
}
