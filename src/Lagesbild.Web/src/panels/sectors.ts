import { command, seg } from "../api/http";
import { m } from "../i18n";
import { sectorStatuses, type EntityRecord, type SectorStatus } from "../picture/protocol";
import type { OverdueReporter } from "../picture/attention";
import type { PictureStore } from "../picture/store";
import { append, facts, h, replaceKeepingFocus, type Child } from "../ui/dom";
import { checkbox, commandForm, field, reasonField, selectField, text, textOrNull, withReason, type Action } from "../ui/forms";
import { freshness } from "../ui/freshness";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import type { DetailView } from "./details";

type SectorRecord = EntityRecord<"Sector">;
const path = (record: SectorRecord, what: string) => `sectors/${seg(record.id)}/${what}`;

/** A mark beside the status text, so severity reads without colour. */
const statusMark: Record<SectorStatus, string> = { Normal: "●", Disturbed: "▲", SeriouslyDisturbed: "◆", Down: "✕" };

/** The beredskapssektorer and how each is doing; <code>reportLate</code> tells whether a sector is late with its lägesrapport. */
export function sectorsPanel(store: PictureStore, reportLate: (id: string) => boolean): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("sectors", m.panels.sectors);
  const list = h("ul", { class: "rows" });
  body.append(list);

  function render(): void {
    const sectors = store.all("Sector").sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale));
    setCount(sectors.length);
    replaceKeepingFocus(list, sectors.length === 0 ? [h("li", null, m.panels.empty)] : sectors.map((s) =>
      h("li", { class: "row", "data-sector-id": s.id, "data-status": s.state.status },
        h("button", {
          type: "button",
          class: "row-button",
          "data-key": `Sector/${s.id}`,
          "aria-current": isSelected("Sector", s.id) ? "true" : false,
          onclick: () => select({ kind: "Sector", id: s.id }, "list"),
        },
        sectorStatusBadge(s.state.status),
        h("span", { class: "row-title" }, s.state.name),
        h("span", { class: "row-status" }, m.sector.statuses[s.state.status])),
        reportLate(s.id) ? h("p", null, h("span", { class: "tag alert", "data-report-late": "" }, `⚑ ${m.report.mapMark}`)) : null,
        s.state.status !== "Normal" ? facts(sectorFacts(store, s)) : null,
        h("p", { class: "row-meta" }, freshness(s)))));
  }

  return { section, render };
}

/**
 * The reporters without an area on the map (sectors, crisis bodies) that are late with a lägesrapport, as a flag
 * over the map: the districts' flags are on their areas. Each name opens the reporter.
 */
export function lateReportsOnMap(host: HTMLElement, late: OverdueReporter[]): void {
  const withoutArea = late.filter((r) => r.kind !== "District").sort((a, b) => a.name.localeCompare(b.name, m.locale));
  host.replaceChildren();
  if (withoutArea.length === 0) return;
  append(host, [h("span", { class: "tag alert" }, `⚑ ${m.report.mapMark}:`), " ",
    ...withoutArea.flatMap((r): Child[] => [h("button", {
      type: "button", class: "link", "data-late-reporter": r.reporter,
      onclick: () => select(r.kind === "Sector" ? { kind: "Sector", id: r.id } : { kind: "CrisisBody", id: r.id }, "list"),
    }, r.name), " "])]);
}

export function sectorStatusBadge(status: SectorStatus): HTMLElement {
  return h("span", { class: "badge", "data-level": status, "aria-hidden": "true" }, statusMark[status]);
}

function sectorFacts(store: PictureStore, record: SectorRecord): [string, Child][] {
  const { state } = record;
  const affected = state.affectedDistricts.map((id) => store.get("District", id)?.state.name ?? id);
  return [
    [m.sector.affectedDistricts, affected.length > 0 ? affected.join(", ") : null],
    [m.sector.needs, state.needs],
    [m.sector.prognosis, state.prognosis],
  ];
}

export const sectorDetails: DetailView<"Sector"> = {
  kindLabel: m.sector.kind,
  view(record, { store }) {
    const { state } = record;
    return [
      facts([
        [m.sector.status, [sectorStatusBadge(state.status), " ", h("strong", null, m.sector.statuses[state.status])]],
        [m.sector.leadBody, state.leadBody ?? m.sector.noLead],
        ...sectorFacts(store, record),
      ]),
      h("p", { class: "row-meta" }, freshness(record), ` – ${record.by}`),
    ];
  },
  actions(record, { store }) {
    const picture = store.picture;
    const { state } = record;
    const districts = store.all("District").sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale));
    const bodies = store.all("CrisisBody").map((b) => b.state.name).sort((a, b) => a.localeCompare(b, m.locale));
    const statusAction: Action = {
      command: "ReportSectorStatus",
      label: m.sector.reportStatus,
      build: (done, cancel) => commandForm({
        title: `${m.sector.reportStatus}: ${state.name}`,
        fields: [
          selectField(m.sector.status, "status", sectorStatuses.map((s) => [s, m.sector.statuses[s]] as const), state.status),
          h("fieldset", { class: "grid" }, h("legend", null, m.sector.affectedDistricts),
            districts.map((d) => checkbox(d.state.name, "affectedDistricts", state.affectedDistricts.includes(d.id), d.id))),
          field(m.sector.needs, "needs", state.needs, { multiline: true }),
          field(m.sector.prognosis, "prognosis", state.prognosis, { multiline: true }),
          reasonField(),
        ],
        request: (data) => command(picture, "PUT", path(record, "status"), withReason({
          status: text(data, "status"),
          affectedDistricts: data.getAll("affectedDistricts").map(String),
          needs: textOrNull(data, "needs"),
          prognosis: textOrNull(data, "prognosis"),
        }, data)),
        done, cancel,
      }),
    };
    const leadAction: Action = {
      command: "SetSectorLead",
      label: m.sector.setLead,
      build: (done, cancel) => commandForm({
        title: `${m.sector.setLead}: ${state.name}`,
        fields: [
          field(m.sector.leadBody, "leadBody", state.leadBody, { required: true, list: "lead-bodies" }),
          h("datalist", { id: "lead-bodies" }, bodies.map((name) => h("option", { value: name }))),
          reasonField(),
        ],
        request: (data) => command(picture, "PUT", path(record, "lead"), withReason({ leadBody: text(data, "leadBody") }, data)),
        done, cancel,
      }),
    };
    return [statusAction, leadAction];
  },
};
