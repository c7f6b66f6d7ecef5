import { command, seg } from "../api/http";
import { m } from "../i18n";
import { pointSymbolSvg } from "../map/symbols";
import { capabilities, capabilityStates, type Capability, type EntityRecord, type PointStatus, type SafetyPointState } from "../picture/protocol";
import { staleStatuses, type ConditionKind } from "../picture/attention";
import { nextPointStatuses } from "../picture/rules";
import { facts, h, keepInOrder, setText, svgIcon } from "../ui/dom";
import {
  checkbox, commandForm, field, number, numberOrNull, reasonField, selectField, text, textOrNull, withReason, type Action, type Choice,
} from "../ui/forms";
import { freshness, refreshFreshness } from "../ui/freshness";
import { formatClock } from "../ui/time";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import type { DetailView, PanelContext } from "./details";
import { residentInfoFacts, residentInfoFields, residentInfoFrom } from "./residentInfo";
import { conditionAction } from "./conditionForm";
import { pointResources, requestResourceAction } from "./resources";

type PointRecord = EntityRecord<"SafetyPoint">;
const path = (record: PointRecord, what = "") => `safety-points/${seg(record.id)}${what}`;

/**
 * The accessible list of every trygghetspunkt on the map, grouped by district. Each row is made once and then
 * patched where its point changed (a 60× replay changes several points a frame); rows and groups are kept as
 * elements and only moved when the order changes, so focus and the rest of the list stay as they are.
 */
export function safetyPointsPanel({ store, user, may }: PanelContext): { section: HTMLElement; rows: HTMLElement; render(): void; update(ids: Iterable<string>): boolean } {
  const refusedId = "register-refused";
  const registerButton = h("button", {
    type: "button", class: "small", "data-command": "RegisterSafetyPoint",
    onclick: () => select({ kind: "NewSafetyPoint" }, "list"),
  }, m.point.registerShort);
  const { section, body, setCount } = panel("points", m.panels.points, registerButton);
  const registerRefused = h("p", { class: "refused", id: refusedId, hidden: true });
  const list = h("div", { class: "point-groups" });
  const empty = h("p", null, m.panels.empty);
  body.append(registerRefused, list);

  const rows = new Map<string, PointRow>();
  const groups = new Map<string, DistrictGroup>();

  function render(): void {
    // Registering in one's own district (or anywhere, for those not bound to one).
    const refused = may({ command: "RegisterSafetyPoint", kind: "SafetyPoint", id: "", district: user.district });
    registerButton.disabled = refused !== null;
    if (refused) registerButton.setAttribute("aria-describedby", refusedId);
    else registerButton.removeAttribute("aria-describedby");
    registerRefused.hidden = refused === null;
    registerRefused.textContent = refused ?? "";

    const points = store.all("SafetyPoint");
    setCount(points.length);
    const byDistrict = new Map<string, PointRecord[]>();
    for (const point of points) {
      const group = byDistrict.get(point.state.district) ?? [];
      group.push(point);
      byDistrict.set(point.state.district, group);
    }
    const districtName = (id: string) => store.get("District", id)?.state.name ?? (id || m.panels.otherDistrict);
    // The operator's own district first: her points are the ones she reports on.
    const own = (id: string) => (id === user.district ? 0 : 1);
    const ordered = [...byDistrict.entries()].sort(([a], [b]) => own(a) - own(b) || districtName(a).localeCompare(districtName(b), m.locale));

    for (const id of rows.keys()) if (!store.get("SafetyPoint", id)) rows.delete(id);
    for (const district of groups.keys()) if (!byDistrict.has(district)) groups.delete(district);
    if (points.length === 0) {
      list.replaceChildren(empty);
      return;
    }
    keepInOrder(list, ordered.map(([district, group]) => {
      let shown = groups.get(district);
      if (!shown) groups.set(district, (shown = districtGroup()));
      setText(shown.heading, districtName(district));
      keepInOrder(shown.rows, group
        .sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale))
        .map((record) => {
          let row = rows.get(record.id);
          if (!row) rows.set(record.id, (row = new PointRow(record.id)));
          row.show(record);
          return row.item;
        }));
      return shown.element;
    }));
  }

  /**
   * Patches the rows of the points named, if each is where it was (same district and name, so the list's order
   * holds); false, changing nothing, when the whole list must be rendered instead.
   */
  function update(ids: Iterable<string>): boolean {
    const patches: [PointRow, PointRecord][] = [];
    for (const id of ids) {
      const record = store.get("SafetyPoint", id);
      const row = rows.get(id);
      if (!record || !row?.keepsPlaceFor(record)) return false;
      patches.push([row, record]);
    }
    for (const [row, record] of patches) row.show(record);
    return true;
  }

  return { section, rows: list, render, update };
}

interface DistrictGroup { element: HTMLElement; heading: HTMLElement; rows: HTMLElement }

function districtGroup(): DistrictGroup {
  const heading = h("h3");
  const rows = h("ul", { class: "rows" });
  return { element: h("div", { class: "group" }, heading, rows), heading, rows };
}

/** One point's row: made once, then each part set only when what it shows changed. */
class PointRow {
  readonly item: HTMLLIElement;
  private readonly button: HTMLButtonElement;
  private readonly icon = svgIcon("");
  private readonly title = h("span", { class: "row-title" });
  private readonly status = h("span", { class: "row-status" });
  private readonly visitors = document.createTextNode("");
  private readonly exampleTag = h("span", { class: "tag" }, m.point.example);
  private readonly fresh = h("span", { class: "fresh" });
  private shown: SafetyPointState | null = null;

  constructor(private readonly id: string) {
    this.button = h("button", {
      type: "button", class: "row-button", "data-key": `SafetyPoint/${id}`,
      onclick: () => select({ kind: "SafetyPoint", id }, "list"),
    }, this.icon, this.title, this.status);
    this.item = h("li", { class: "row", "data-point-id": id }, this.button, h("p", { class: "row-meta" }, this.visitors, this.fresh));
  }

  /** Whether the record leaves the row where it stands in the list (same district, same name). */
  keepsPlaceFor(record: PointRecord): boolean {
    return this.shown?.district === record.state.district && this.shown.name === record.state.name;
  }

  show(record: PointRecord): void {
    const { state } = record;
    const was = this.shown;
    if (state.status !== was?.status) {
      this.item.dataset["status"] = state.status;
      // The symbol is parsed only when the status changes: a point's visitors change far more often.
      this.icon.innerHTML = pointSymbolSvg(state.status, 22);
      this.status.textContent = m.point.statuses[state.status];
    }
    if (state.name !== was?.name) this.title.textContent = state.name;
    if (state.visitors !== was?.visitors || state.capacity !== was?.capacity) this.visitors.data = m.point.visitorsShort(state.visitors, state.capacity);
    if (state.example !== (was?.example ?? false)) {
      if (state.example) this.fresh.before(this.exampleTag);
      else this.exampleTag.remove();
    }
    refreshFreshness(this.fresh, record);
    const current = isSelected("SafetyPoint", this.id);
    if (current !== this.button.hasAttribute("aria-current")) {
      if (current) this.button.setAttribute("aria-current", "true");
      else this.button.removeAttribute("aria-current");
    }
    this.shown = state;
  }
}

export const safetyPointDetails: DetailView<"SafetyPoint"> = {
  kindLabel: m.point.kind,
  view(record, { store }) {
    const { state } = record;
    const { resources } = state;
    return [
      h("p", { class: "status-line" }, svgIcon(pointSymbolSvg(state.status, 28)), h("strong", null, m.point.statuses[state.status])),
      state.example ? h("p", { class: "example-note" }, h("span", { class: "tag" }, m.point.example), " ", m.point.exampleExplained) : null,
      facts([
        [m.point.limitations, state.limitations],
        [m.condition.referredTo, state.referredTo ?? null],
        [m.point.visitors, [
          m.point.visitorsOfCapacity(state.visitors, state.capacity), " ",
          h("meter", { min: 0, max: Math.max(state.capacity, 1), value: state.visitors, "aria-hidden": "true" }),
        ]],
        [m.point.address, state.address],
        ...residentInfoFacts(state.residentInfo),
        [m.point.district, store.get("District", state.district)?.state.name ?? state.district],
        [m.point.tier, m.point.tierValue(state.tier)],
      ]),
      h("h3", null, m.point.capabilities),
      capabilityList(state),
      h("h3", null, m.condition.title),
      conditionFacts(record),
      h("h3", null, m.point.resources),
      facts([
        [m.point.backupPower, resources.backupPower.available ? m.point.backupYes(resources.backupPower.fuelHours) : m.point.backupNo],
        [m.point.water, m.point.litres(resources.waterLitres)],
        [m.point.staff, String(resources.staff)],
        [m.point.frgVolunteers, String(resources.frgVolunteers)],
        [m.point.radios, String(resources.radios)],
      ]),
      ...pointResources(record, store),
      h("p", { class: "row-meta" }, freshness(record), ` – ${record.by}`),
    ];
  },
  actions(record, context) {
    return [
      statusAction(record, context.store.picture),
      visitorsAction(record, context.store.picture),
      resourcesAction(record, context.store.picture),
      capabilitiesAction(record, context.store.picture),
      detailsAction(record, context),
      conditionAction(record, context.store.picture),
      requestResourceAction(record, context.store),
    ];
  },
};

/** Each status as last reported, by whom and when; one the server calls stale says so. */
function conditionFacts(record: PointRecord): HTMLElement {
  const { condition, visitors, capacity } = record.state;
  const stale = staleStatuses(record.id);
  const c = m.condition;
  const onOff = (up: boolean | null | undefined) => (up ? c.up : c.down);
  const values: Record<ConditionKind, string | null> = {
    Power: condition.power ? c.power[condition.power.source ?? "None"] + (condition.power.fuelHours != null ? ` – ${c.fuel(Number(condition.power.fuelHours))}` : "") : null,
    Heat: condition.heat ? `${condition.heat.indoorCelsius} °C` : null,
    Water: condition.water ? c.water[condition.water.source ?? "None"] + (condition.water.litres != null ? ` – ${m.point.litres(Number(condition.water.litres))}` : "") : null,
    Communications: condition.communications
      ? `${c.phone} ${onOff(condition.communications.phone)}, ${c.internet} ${onOff(condition.communications.internet)}, Rakel ${onOff(condition.communications.rakel)}` : null,
    Capacity: `${m.point.visitorsOfCapacity(visitors, capacity)}${condition.overnightPlaces != null ? `, ${c.overnight(Number(condition.overnightPlaces))}` : ""}`,
    Accessibility: condition.accessibility
      ? `${c.stepFree} ${condition.accessibility.stepFree ? c.yes : c.no}, ${c.accessibleToilet} ${condition.accessibility.accessibleToilet ? c.yes : c.no}` : null,
    Staffing: condition.staffing ? c.staffing(Number(condition.staffing.staff), Number(condition.staffing.frgVolunteers)) : null,
  };
  const kinds = Object.keys(values) as ConditionKind[];
  return facts(kinds.map((kind): [string, HTMLElement] => {
    const reported = condition.reported?.[kind];
    return [m.attention.statuses[kind], h("span", { "data-condition": kind, "data-stale": stale.includes(kind) },
      values[kind] ?? c.notReported,
      reported ? h("span", { class: "row-meta" }, ` (${reported.by} ${formatClock(reported.at)})`) : null,
      stale.includes(kind) ? h("strong", { class: "stale-note" }, ` ${c.stale}`) : null)];
  }));
}

const capabilityMark = { Available: "✓", Limited: "!", Unavailable: "✕" } as const;

function capabilityList(state: SafetyPointState): HTMLElement {
  const offered = capabilities.filter((c) => state.capabilities[c] !== undefined);
  if (offered.length === 0) return h("p", null, m.point.noCapabilities);
  return h("ul", { class: "capabilities" }, offered.map((capability) => {
    const capabilityState = state.capabilities[capability] ?? "Unavailable";
    return h("li", { "data-state": capabilityState },
      h("span", { class: "mark", "aria-hidden": "true" }, capabilityMark[capabilityState]),
      `${m.point.capabilityNames[capability]}: `,
      h("strong", null, m.point.capabilityStates[capabilityState]));
  }));
}

function statusAction(record: PointRecord, picture: string): Action {
  const from = record.state.status;
  const label = (to: PointStatus) => (from === "Activating" && to === "Inactive" ? m.point.cancelActivation : m.point.statuses[to]);
  return {
    command: "ChangeSafetyPointStatus",
    label: m.point.changeStatus,
    build: (done, cancel) => {
      // The next statuses are the server's (its permissions answer); when there is only one, it is chosen already.
      const next = nextPointStatuses(from);
      const choices = next.map((to) => {
        const id = `status-${record.id}-${to}`;
        return h("div", { class: "field check" },
          h("input", { type: "radio", name: "status", id, value: to, required: true, checked: next.length === 1 }),
          h("label", { for: id }, svgIcon(pointSymbolSvg(to, 18)), label(to)));
      });
      return commandForm({
        title: `${m.point.changeStatus}: ${m.point.statuses[from]} →`,
        fields: [
          h("fieldset", null, h("legend", null, m.point.newStatus), choices),
          field(m.point.limitations, "limitations", record.state.limitations, { multiline: true }),
          // Visitors inside are referred somewhere before the point closes; the server says when it is needed.
          record.state.visitors > 0 ? field(m.condition.referredTo, "referredTo", record.state.referredTo ?? null) : null,
          reasonField(),
        ],
        request: (data) => command(picture, "POST", path(record, "/status"), withReason({
          status: text(data, "status"),
          limitations: textOrNull(data, "limitations"),
          ...(record.state.visitors > 0 ? { referredTo: textOrNull(data, "referredTo") } : {}),
        }, data)),
        done, cancel,
      });
    },
  };
}

function visitorsAction(record: PointRecord, picture: string): Action {
  return {
    command: "ReportSafetyPointVisitors",
    label: m.point.reportVisitors,
    build: (done, cancel) => commandForm({
      title: m.point.visitorsTitle(record.state.capacity),
      fields: [
        field(m.point.visitors, "visitors", record.state.visitors, { type: "number", min: 0, required: true }),
        reasonField(),
      ],
      request: (data) => command(picture, "PUT", path(record, "/visitors"), withReason({ visitors: number(data, "visitors") }, data)),
      done, cancel,
    }),
  };
}

function resourcesAction(record: PointRecord, picture: string): Action {
  const r = record.state.resources;
  return {
    command: "ReportSafetyPointResources",
    label: m.point.reportResources,
    build: (done, cancel) => commandForm({
      title: m.point.reportResources,
      fields: [
        checkbox(m.point.backupAvailable, "available", r.backupPower.available),
        field(m.point.fuelHours, "fuelHours", r.backupPower.fuelHours, { type: "number", min: 0, max: 168, step: "any" }),
        field(m.point.waterLitres, "waterLitres", r.waterLitres, { type: "number", min: 0, required: true }),
        field(m.point.staff, "staff", r.staff, { type: "number", min: 0, required: true }),
        field(m.point.frgVolunteers, "frgVolunteers", r.frgVolunteers, { type: "number", min: 0, required: true }),
        field(m.point.radios, "radios", r.radios, { type: "number", min: 0, required: true }),
        reasonField(),
      ],
      request: (data) => command(picture, "PUT", path(record, "/resources"), withReason({
        backupPower: { available: data.has("available"), fuelHours: numberOrNull(data, "fuelHours") ?? 0 },
        waterLitres: number(data, "waterLitres"),
        staff: number(data, "staff"),
        frgVolunteers: number(data, "frgVolunteers"),
        radios: number(data, "radios"),
      }, data)),
      done, cancel,
    }),
  };
}

function capabilitiesAction(record: PointRecord, picture: string): Action {
  const choices = capabilityStates.map((s) => [s, m.point.capabilityStates[s]] as const);
  return {
    command: "SetSafetyPointCapabilities",
    label: m.point.setCapabilities,
    build: (done, cancel) => commandForm({
      title: m.point.setCapabilities,
      fields: [
        h("fieldset", { class: "grid" }, h("legend", null, m.point.capabilities),
          capabilities.map((c) => selectField(m.point.capabilityNames[c], c, [["", m.point.notOffered], ...choices], record.state.capabilities[c] ?? "", { required: false }))),
        reasonField(),
      ],
      request: (data) => {
        const set: Partial<Record<Capability, string>> = {};
        for (const c of capabilities) if (text(data, c)) set[c] = text(data, c);
        return command(picture, "PUT", path(record, "/capabilities"), withReason({ capabilities: set }, data));
      },
      done, cancel,
    }),
  };
}

function detailsAction(record: PointRecord, { map, store }: PanelContext): Action {
  const picture = store.picture;
  const s = record.state;
  return {
    command: "UpdateSafetyPointDetails",
    label: m.point.editDetails,
    build: (done, cancel) => commandForm({
      title: m.point.editDetails,
      fields: [
        field(m.point.name, "name", s.name, { required: true }),
        field(m.point.address, "address", s.address, { required: true }),
        positionFields(s.position.lon, s.position.lat, map),
        selectField(m.point.tier, "tier", [["1", "1"], ["2", "2"], ["3", "3"]], String(s.tier)),
        field(m.point.capacity, "capacity", s.capacity, { type: "number", min: 0, required: true }),
        ...residentInfoFields(s.residentInfo),
        reasonField(),
      ],
      request: (data) => command(picture, "PATCH", path(record), withReason({
        name: text(data, "name"),
        address: text(data, "address"),
        position: { lon: number(data, "lon"), lat: number(data, "lat") },
        tier: number(data, "tier"),
        capacity: number(data, "capacity"),
        residentInfo: residentInfoFrom(data, { correcting: true }),
      }, data)),
      done, cancel,
    }),
  };
}

/** The form to register a new trygghetspunkt (POST safety-points). */
export function registerAction({ store, map, user, may }: PanelContext): Action {
  return {
    command: "RegisterSafetyPoint",
    label: m.point.register,
    build: (done, cancel) => {
      // Districts one may not register in are listed but cannot be chosen; the reason is shown under the list.
      let hint: string | null = null;
      const districts = store.all("District")
        .map((d): Choice => {
          const refused = may({ command: "RegisterSafetyPoint", kind: "SafetyPoint", id: "", district: d.id });
          hint ??= refused;
          return [d.id, d.state.name, refused !== null];
        })
        .sort((a, b) => a[1].localeCompare(b[1], m.locale));
      const own = districts.some(([id, , disabled]) => id === user.district && !disabled) ? user.district : null;
      return commandForm({
        title: m.point.register,
        fields: [
          field(m.point.id, "id", "", { required: true }),
          selectField(m.point.district, "district", districts, own, { hint }),
          field(m.point.name, "name", "", { required: true }),
          field(m.point.address, "address", "", { required: true }),
          positionFields(null, null, map),
          selectField(m.point.tier, "tier", [["1", "1"], ["2", "2"], ["3", "3"]], "1"),
          field(m.point.capacity, "capacity", "", { type: "number", min: 0, required: true }),
          ...residentInfoFields(null),
          h("fieldset", { class: "grid" }, h("legend", null, m.point.capabilitiesOffered),
            capabilities.map((c) => checkbox(m.point.capabilityNames[c], "capabilities", false, c))),
          checkbox(m.point.backupAvailable, "backupPower", false),
          checkbox(`${m.point.example} – ${m.point.exampleExplained}`, "example", false),
          reasonField(),
        ],
        request: (data) => command(store.picture, "POST", "safety-points", withReason({
          id: text(data, "id"),
          district: text(data, "district"),
          name: text(data, "name"),
          address: text(data, "address"),
          position: { lon: number(data, "lon"), lat: number(data, "lat") },
          tier: number(data, "tier"),
          capacity: number(data, "capacity"),
          residentInfo: residentInfoFrom(data, { correcting: false }),
          capabilities: data.getAll("capabilities").map(String),
          backupPower: data.has("backupPower"),
          example: data.has("example"),
        }, data)),
        done, cancel,
      });
    },
  };
}

/** Longitude and latitude, typed or picked with a click on the map. */
function positionFields(lon: number | null, lat: number | null, map: PanelContext["map"]): HTMLElement {
  const lonField = field(m.point.longitude, "lon", lon, { type: "number", step: "any", min: -180, max: 180, required: true });
  const latField = field(m.point.latitude, "lat", lat, { type: "number", step: "any", min: -90, max: 90, required: true });
  const hint = h("p", { class: "hint", role: "status" });
  const pick = h("button", { type: "button", class: "small" }, m.point.pickOnMap);
  pick.addEventListener("click", () => {
    hint.textContent = m.map.pickHint;
    void map.pickPosition().then((position) => {
      hint.textContent = "";
      if (position) {
        lonField.querySelector("input")!.value = String(position.lon);
        latField.querySelector("input")!.value = String(position.lat);
      }
      pick.focus();
    });
  });
  return h("fieldset", { class: "grid" }, h("legend", null, m.point.position), lonField, latField, h("div", null, pick, hint));
}
