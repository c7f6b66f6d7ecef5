import { command, seg } from "../api/http";
import { m } from "../i18n";
import { situationStyle } from "../map/symbols";
import { localLevels, situations, type EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { districtAttention } from "../picture/assignments";
import { facts, h, replaceKeepingFocus, swatch } from "../ui/dom";
import { commandForm, field, reasonField, selectField, text, withReason, type Action } from "../ui/forms";
import { freshness } from "../ui/freshness";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import type { DetailView } from "./details";
import { reasonText } from "./city";

type DistrictRecord = EntityRecord<"District">;
const path = (record: DistrictRecord, what: string) => `districts/${seg(record.id)}/${what}`;

/** The accessible list of the district areas on the map, with their situation. */
export function districtsPanel(store: PictureStore): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("districts", m.panels.districts);
  const list = h("ul", { class: "rows" });
  body.append(list);

  function render(): void {
    const districts = store.all("District").sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale));
    setCount(districts.length);
    replaceKeepingFocus(list, districts.length === 0 ? [h("li", null, m.panels.empty)] : districts.map((d) => districtItem(store, d)));
  }

  return { section, render };
}

function districtItem(store: PictureStore, record: DistrictRecord): HTMLLIElement {
  const { state } = record;
  const points = store.all("SafetyPoint").filter((p) => p.state.district === record.id);
  const open = points.filter((p) => p.state.status === "Open" || p.state.status === "Limited").length;
  const tasks = districtAttention(store, record.id);
  return h("li", { class: "row", "data-district-id": record.id, "data-situation": state.situation, "data-task-attention": tasks },
    h("button", {
      type: "button",
      class: "row-button",
      "data-key": `District/${record.id}`,
      "aria-current": isSelected("District", record.id) ? "true" : false,
      onclick: () => select({ kind: "District", id: record.id }, "list"),
    },
    swatch(situationStyle[state.situation].swatch),
    h("span", { class: "row-title" }, state.name),
    h("span", { class: "row-status" }, m.district.situations[state.situation])),
    h("p", { class: "row-meta" },
      state.localLevel !== "Normal" ? h("span", { class: "tag warn" }, m.district.localLevels[state.localLevel]) : null,
      tasks > 0 ? h("span", { class: "tag alert" }, m.assignment.mapMark(tasks)) : null,
      points.length > 0 ? h("span", null, `${m.district.points}: ${m.district.pointsSummary(open, points.length)}`) : null,
      freshness(record)));
}

export const districtDetails: DetailView<"District"> = {
  kindLabel: m.district.kind,
  view(record, { store }) {
    const { state } = record;
    const contact = state.dutyContact;
    const points = store.all("SafetyPoint").filter((p) => p.state.district === record.id);
    return [
      facts([
        [m.district.situation, h("strong", null, m.district.situations[state.situation])],
        [m.district.localLevel, m.district.localLevels[state.localLevel]],
        [m.city.reason, reasonText(state.localLevelReason, state.localLevelReasonInternal)],
        [m.district.dutyContact, contact
          ? [`${contact.name}, ${contact.function}, `, h("a", { href: `tel:${contact.phone.replace(/\s/g, "")}` }, contact.phone)]
          : m.district.noDutyContact],
        [m.district.points, points.length === 0 ? "–" : h("ul", { class: "plain" }, points.map((p) =>
          h("li", null, h("button", { type: "button", class: "link", "data-key": `SafetyPoint/${p.id}`, onclick: () => select({ kind: "SafetyPoint", id: p.id }, "list") },
            `${p.state.name} (${m.point.statuses[p.state.status]})`))))],
      ]),
      h("p", { class: "row-meta" }, freshness(record), ` – ${record.by}`),
    ];
  },
  actions(record, { store }) {
    const picture = store.picture;
    const { state } = record;
    const situationAction: Action = {
      command: "SetDistrictSituation",
      label: m.district.setSituation,
      build: (done, cancel) => commandForm({
        title: `${m.district.setSituation}: ${state.name}`,
        fields: [
          selectField(m.district.situation, "situation", situations.map((s) => [s, m.district.situations[s]] as const), state.situation),
          reasonField(),
        ],
        request: (data) => command(picture, "PUT", path(record, "situation"), withReason({ situation: text(data, "situation") }, data)),
        done, cancel,
      }),
    };
    const localLevelAction: Action = {
      command: "ChangeDistrictLocalLevel",
      label: m.district.setLocalLevel,
      build: (done, cancel) => commandForm({
        title: `${m.district.setLocalLevel}: ${state.name}`,
        fields: [
          selectField(m.district.localLevel, "level", localLevels.map((l) => [l, m.district.localLevels[l]] as const), state.localLevel),
          reasonField(true),
        ],
        request: (data) => command(picture, "PUT", path(record, "local-level"), withReason({ level: text(data, "level") }, data)),
        done, cancel,
      }),
    };
    const contactAction: Action = {
      command: "SetDistrictDutyContact",
      label: m.district.setDutyContact,
      build: (done, cancel) => commandForm({
        title: `${m.district.setDutyContact}: ${state.name}`,
        fields: [
          field(m.district.contactName, "name", state.dutyContact?.name, { required: true, autocomplete: "name" }),
          field(m.district.phone, "phone", state.dutyContact?.phone, { required: true, type: "tel", autocomplete: "tel" }),
          field(m.district.function, "function", state.dutyContact?.function, { required: true }),
          reasonField(),
        ],
        request: (data) => command(picture, "PUT", path(record, "duty-contact"), withReason({
          name: text(data, "name"), phone: text(data, "phone"), function: text(data, "function"),
        }, data)),
        done, cancel,
      }),
    };
    return [situationAction, localLevelAction, contactAction];
  },
};
