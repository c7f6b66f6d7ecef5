import { command, newIdempotencyKey } from "../api/http";
import { m } from "../i18n";
import { mandates, resolutionKinds, type EntityRecord, type LogEntry } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { commandForm, field, reasonField, selectField, text, textOrNull, withReason, type Action, type Choice } from "../ui/forms";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import type { DetailView, PanelContext } from "./details";
import { entityText } from "./entityText";
import { resolutionTools } from "./exports";
import type { May } from "./permissions";

type ResolutionRecord = EntityRecord<"Resolution">;

/** The beslutslogg: newest first, each with its mandate and who decided; a correction names the beslut it corrects. */
export function resolutionsPanel(context: PanelContext, isExercise: boolean): { section: HTMLElement; render(): void } {
  const { store, may } = context;
  const recordButton = h("button", { type: "button", class: "small", "data-command": "RecordResolution", "aria-expanded": "false" }, m.resolution.record);
  const { section, body, setCount } = panel("resolutions", m.resolution.panel, recordButton);
  const refused = h("p", { class: "refused", id: "record-resolution-refused", hidden: true });
  const formHost = h("div", { class: "details-form" });
  const list = h("ul", { class: "rows" });
  body.append(refused, formHost, resolutionTools(store, isExercise), list);

  recordButton.addEventListener("click", () => {
    if (formHost.childElementCount > 0) return closeForm();
    recordButton.setAttribute("aria-expanded", "true");
    formHost.replaceChildren(resolutionForm(store, may, null, (message) => closeForm(message), () => closeForm()));
    formHost.querySelector<HTMLElement>("input, textarea, select")?.focus();
  });

  function closeForm(message = ""): void {
    formHost.replaceChildren(message ? h("p", { role: "status" }, message) : "");
    recordButton.setAttribute("aria-expanded", "false");
  }

  function render(): void {
    const why = may({ command: "RecordResolution", kind: "Resolution", id: "", district: null });
    recordButton.disabled = why !== null;
    refused.hidden = why === null;
    refused.textContent = why ?? "";
    if (why) recordButton.setAttribute("aria-describedby", refused.id);
    else recordButton.removeAttribute("aria-describedby");
    const all = store.all("Resolution").sort((a, b) => b.seq - a.seq);
    setCount(all.length);
    const correctedBy = correctionsOf(store);
    replaceKeepingFocus(list, all.length === 0 ? [h("li", null, m.resolution.empty)] : all.map((r) => resolutionItem(r, correctedBy.get(r.id))));
  }

  return { section, render };
}

function correctionsOf(store: PictureStore): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of store.all("Resolution")) {
    if (r.state.corrects) map.set(r.state.corrects, [...(map.get(r.state.corrects) ?? []), r.id]);
  }
  return map;
}

function resolutionItem(record: ResolutionRecord, correctedBy: string[] | undefined): HTMLLIElement {
  const { state } = record;
  return h("li", { class: "row", "data-resolution-id": record.id },
    h("button", {
      type: "button", class: "row-button", "data-key": `Resolution/${record.id}`,
      "aria-current": isSelected("Resolution", record.id) ? "true" : false,
      onclick: () => select({ kind: "Resolution", id: record.id }, "list"),
    },
    h("span", { class: "row-title" }, state.name),
    h("span", { class: "row-status" }, m.resolution.kinds[state.resolutionKind])),
    h("p", { class: "row-meta" },
      h("time", { datetime: state.decidedAt }, formatDateTime(state.decidedAt)),
      ` – ${state.decidedBy} (${m.resolution.mandates[state.mandate]})`,
      state.escalation ? [" ", h("span", { class: "tag" }, m.resolution.escalation)] : null,
      correctedBy ? [" ", h("span", { class: "tag warn" }, `${m.resolution.correctedBy} ${correctedBy.join(", ")}`)] : null));
}

/** A new beslut, or (given `corrects`) a correction or revocation of one; tied to the picture as the person sees it now. */
function resolutionForm(store: PictureStore, may: May, corrects: ResolutionRecord | null, done: (message: string) => void, cancel: () => void): HTMLFormElement {
  const seq = store.lastSeq;
  // The server says, per mandate and per district (or the whole city), whether this person may decide.
  const refusedFor = (mandate: string, district: string | null) => may({ command: "RecordResolution", kind: "Resolution", id: "", district, mandate });
  const allDistricts = store.all("District");
  let hint: string | null = null;
  const choices = mandates.map((mandate): Choice => {
    const refused = refusedFor(mandate, null);
    const somewhere = refused === null || allDistricts.some((d) => refusedFor(mandate, d.id) === null);
    if (!somewhere) hint ??= refused;
    return [mandate, m.resolution.mandates[mandate], !somewhere];
  });
  const own = choices.find(([, , disabled]) => !disabled)?.[0] ?? null;
  const districts = allDistricts
    .map((d): Choice => [d.id, d.state.name, own !== null && refusedFor(own, d.id) !== null])
    .sort((a, b) => a[1].localeCompare(b[1], m.locale));
  const wholeCity: Choice = ["", m.resolution.wholeCity, own !== null && refusedFor(own, null) !== null];
  const firstDistrict = corrects?.state.district ?? (wholeCity[2] ? districts.find(([, , disabled]) => !disabled)?.[0] ?? "" : "");
  return commandForm({
    title: corrects ? `${m.resolution.correctTitle}: ${corrects.state.name}` : m.resolution.formTitle,
    fields: [
      corrects ? selectField(m.resolution.kinds.Decision, "resolutionKind",
        resolutionKinds.filter((k) => k !== "Decision").map((k): Choice => [k, m.resolution.kinds[k]]), "Correction") : null,
      field(m.resolution.title, "title", corrects?.state.name ?? "", { required: true }),
      field(m.resolution.text, "text", "", { required: true, multiline: true }),
      selectField(m.resolution.mandate, "mandate", choices, own, { hint }),
      field(m.resolution.decidedBy, "decidedBy", "", { required: true, autocomplete: "name" }),
      selectField(m.resolution.district, "district", [wholeCity, ...districts], firstDistrict, { required: false }),
      field(m.resolution.scope, "scope", "", { multiline: true }),
      field(m.resolution.affected, "affected", ""),
      field(m.resolution.validUntil, "validUntil", "", { type: "datetime-local" }),
      field(m.resolution.communicatedTo, "communicatedTo", ""),
      field(m.resolution.basisEntries, "entries", "", { hint: m.resolution.basisHint(seq) }),
      reasonField(),
    ],
    request: (data) => {
      const entries = text(data, "entries").split(/[\s,;]+/).filter(Boolean).map(Number);
      const validUntil = text(data, "validUntil");
      return command(store.picture, "POST", "resolutions", withReason({
        id: `b-${newIdempotencyKey().replace(/-/g, "").slice(0, 20)}`,
        title: text(data, "title"),
        text: text(data, "text"),
        mandate: textOrNull(data, "mandate"),
        decidedBy: text(data, "decidedBy"),
        basis: { pictureSeq: seq, entries: entries.length > 0 ? entries : null },
        district: textOrNull(data, "district"),
        scope: textOrNull(data, "scope"),
        affected: textOrNull(data, "affected"),
        validUntil: validUntil ? new Date(validUntil).toISOString() : null,
        communicatedTo: textOrNull(data, "communicatedTo"),
        resolutionKind: corrects ? text(data, "resolutionKind") : "Decision",
        corrects: corrects?.id ?? null,
      }, data));
    },
    done, cancel,
  });
}

export const resolutionDetails: DetailView<"Resolution"> = {
  kindLabel: m.resolution.kind,
  view(record, { store }) {
    const { state } = record;
    return [
      facts([
        [m.resolution.kinds.Decision, m.resolution.kinds[state.resolutionKind]],
        [m.resolution.decidedBy, `${state.decidedBy} (${m.resolution.mandates[state.mandate]})`],
        [m.resolution.decidedAt, formatDateTime(state.decidedAt)],
        [m.resolution.corrects, state.corrects ? h("button", { type: "button", class: "link", onclick: () => select({ kind: "Resolution", id: state.corrects! }, "list") }, state.corrects) : null],
        [m.resolution.validUntil, state.validUntil ? formatDateTime(state.validUntil) : null],
        [m.resolution.district, state.district ? store.get("District", state.district)?.state.name ?? state.district : m.resolution.wholeCity],
      ]),
      entityText(store.picture, "Resolution", record.id, record.seq, m.resolution.loading, m.resolution.loadFailed, (entries) => recorded(entries, state.pictureSeq)),
    ];
  },
  actions(record, { store, may }) {
    const correct: Action = {
      command: "RecordResolution",
      label: m.resolution.correct,
      build: (done, cancel) => resolutionForm(store, may, record, done, cancel),
    };
    return [correct];
  },
};

/** The beslut in full, from its one loggbok entry. */
function recorded(entries: LogEntry[], pictureSeq: number): Node[] {
  const change = (entries.find((e) => e.type === "ResolutionRecorded")?.change ?? {}) as Record<string, unknown>;
  const basis = (change["basis"] ?? {}) as { entries?: number[] | null; reports?: string[] | null };
  const str = (key: string) => (typeof change[key] === "string" ? (change[key] as string) : null);
  return [
    str("text") ? h("p", { class: "resolution-text" }, str("text")) : h("span"),
    facts([
      [m.resolution.scope, str("scope")],
      [m.resolution.affected, str("affected")],
      [m.resolution.communicatedTo, str("communicatedTo")],
      [m.resolution.basis, [
        m.resolution.basisPicture(pictureSeq),
        basis.entries?.length ? `, ${m.resolution.entries(basis.entries.join(", "))}` : "",
        basis.reports?.length ? `, ${m.resolution.reports(basis.reports.join(", "))}` : "",
      ]],
    ]),
  ];
}
