import { apiFetch, pictureUrl } from "../api/http";
import { m } from "../i18n";
import type { components } from "../picture/contract.gen";
import type { PictureStore } from "../picture/store";
import { append, facts, h, replaceKeepingFocus, type Child } from "../ui/dom";
import { select } from "../ui/selection";
import { formatDateTime, fromLocalInput } from "../ui/time";

type MinutesExport = components["schemas"]["MinutesExport"];
type ResolutionHits = components["schemas"]["ResolutionHits"];

// The exports for the krisledningsmöte (made on the server, GET /exports/…), the page's print view
// of the meeting minutes, and the search of beslut and uppdrag (GET /resolutions/search).

/**
 * Fetches an export with the person's sign-in and hands it to the browser as a file: a plain link
 * would carry no bearer token.
 */
async function download(picture: string, path: string, status: HTMLElement): Promise<void> {
  status.textContent = m.exports.preparing;
  try {
    const response = await apiFetch(`${pictureUrl(picture)}/exports/${path}`);
    if (!response.ok) throw new Error(String(response.status));
    const named = /filename="?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: named ?? path.replace(/\//g, "-"), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = "";
  } catch {
    status.textContent = m.exports.failed;
  }
}

/** A row of small export buttons: label and the export's path under /exports/ (with its query). */
export function exportButtons(picture: () => string, items: [label: string, path: () => string][]): HTMLElement {
  const status = h("span", { role: "status", class: "export-status" });
  return h("p", { class: "exports no-print" }, `${m.exports.label} `,
    items.flatMap(([label, path]): Child[] => [h("button", {
      type: "button", class: "small", "data-export": label,
      onclick: () => void download(picture(), path(), status),
    }, label), " "]),
    status);
}

/** The minutes' time range as a query: the range fields' values, empty ends left open. */
function rangeQuery(from: HTMLInputElement, to: HTMLInputElement): string {
  const query = new URLSearchParams();
  if (from.value) query.set("from", fromLocalInput(from.value));
  if (to.value) query.set("to", fromLocalInput(to.value));
  const text = query.toString();
  return text ? `?${text}` : "";
}

/**
 * The beslutslogg's tools: meeting minutes (a print view, PDF and CSV, within an optional time
 * range) and the search. Rendered inside the decisions panel.
 */
export function resolutionTools(store: PictureStore, isExercise: boolean): HTMLElement {
  const from = h("input", { type: "datetime-local", name: "from", "aria-label": m.exports.fromTime });
  const to = h("input", { type: "datetime-local", name: "to", "aria-label": m.exports.toTime });
  const minutesHost = h("div", { class: "minutes", id: "minutes", hidden: true, "data-exercise-label": isExercise ? m.exercise : false });
  const minutesButton = h("button", { type: "button", class: "small", "aria-expanded": "false", "data-minutes-toggle": "" }, m.exports.minutesOpen);
  let open = false;
  minutesButton.addEventListener("click", () => {
    open = !open;
    minutesButton.setAttribute("aria-expanded", String(open));
    minutesHost.hidden = !open;
    document.body.classList.toggle("printing-minutes", open);
    if (open) void loadMinutes();
  });
  async function loadMinutes(): Promise<void> {
    minutesHost.textContent = m.exports.loading;
    try {
      const response = await apiFetch(`${pictureUrl(store.picture)}/exports/minutes.json${rangeQuery(from, to)}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const minutes = (await response.json()) as MinutesExport;
      minutesHost.replaceChildren();
      append(minutesHost, renderMinutes(minutes));
    } catch {
      minutesHost.textContent = m.exports.failed;
    }
  }
  const range = h("p", { class: "minutes-range no-print" }, h("label", null, `${m.exports.fromTime} `, from), " ", h("label", null, `${m.exports.toTime} `, to));
  const buttons = exportButtons(() => store.picture, [
    [m.exports.minutesPdf, () => `minutes.pdf${rangeQuery(from, to)}`],
    [m.exports.minutesCsv, () => `minutes.csv${rangeQuery(from, to)}`],
  ]);
  return h("div", { class: "resolution-tools" },
    h("details", { class: "minutes-tools no-print" }, h("summary", null, m.exports.minutes), range, h("p", null, minutesButton), buttons),
    minutesHost,
    searchBox(store));
}

function renderMinutes(export_: MinutesExport): (Child | Child[])[] {
  const { minutes } = export_;
  return [
    h("div", { class: "overview-head" },
      h("h3", null, m.exports.minutes),
      h("button", { type: "button", class: "small no-print", onclick: () => window.print() }, m.exports.print)),
    h("p", { class: "overview-built" }, m.exports.made(export_.pictureName, formatDateTime(export_.madeAt), export_.seq)),
    h("h4", null, `${m.resolution.panel} (${minutes.resolutions.length})`),
    minutes.resolutions.length === 0 ? h("p", null, m.exports.none) : null,
    minutes.resolutions.map((r) => h("article", { class: "minutes-item", "data-minutes-resolution": r.id },
      h("h5", null, `${r.title} (${m.resolution.kinds[r.kind]})`),
      facts([
        [m.resolution.decidedAt, `${formatDateTime(r.at)} – ${r.decidedBy} (${m.resolution.mandates[r.mandate]})`],
        [m.resolution.text, r.text ?? null],
        [m.resolution.corrects, r.corrects ?? null],
        [m.resolution.district, r.district ?? m.resolution.wholeCity],
        [m.resolution.affected, r.affected ?? null],
        [m.resolution.validUntil, r.validUntil ? formatDateTime(r.validUntil) : null],
        [m.resolution.communicatedTo, r.communicatedTo ?? null],
        [m.resolution.basis, m.resolution.basisPicture(r.basis.pictureSeq ?? 0)],
        [m.exports.note, r.note ?? null],
      ]))),
    h("h4", null, `${m.exports.assignments} (${minutes.assignments.length})`),
    minutes.assignments.length === 0 ? h("p", null, m.exports.none) : null,
    minutes.assignments.map((a) => h("article", { class: "minutes-item", "data-minutes-assignment": a.id },
      h("h5", null, `${a.title} (${m.assignment.statuses[a.status]})`),
      facts([
        [m.assignment.to, a.to.id ?? ""],
        [m.assignment.sentBy, `${a.sentBy}, ${formatDateTime(a.sentAt)}`],
        [m.assignment.due, formatDateTime(a.due)],
        [m.exports.note, a.note ?? null],
      ]),
      a.steps.length ? h("ul", null, a.steps.map((s) => h("li", null, `${formatDateTime(s.at)}: ${m.assignment.statuses[s.status]} (${s.by})${s.note ? ` – ${s.note}` : ""}`))) : null)),
  ];
}

/** Search by text, who, district and time range; a hit opens the beslut or uppdrag. */
function searchBox(store: PictureStore): HTMLElement {
  const text = h("input", { type: "search", name: "text", maxlength: 200, "aria-label": m.exports.searchText, placeholder: m.exports.searchText });
  const who = h("input", { type: "text", name: "who", maxlength: 200, "aria-label": m.exports.who, placeholder: m.exports.who });
  const district = h("select", { name: "district", "aria-label": m.resolution.district },
    h("option", { value: "" }, m.exports.anyDistrict),
    store.all("District").sort((a, b) => a.state.name.localeCompare(b.state.name, m.locale)).map((d) => h("option", { value: d.id }, d.state.name)));
  const from = h("input", { type: "datetime-local", name: "from", "aria-label": m.exports.fromTime });
  const to = h("input", { type: "datetime-local", name: "to", "aria-label": m.exports.toTime });
  const results = h("div", { class: "search-results", "aria-live": "polite" });
  const form = h("form", { class: "resolution-search no-print", role: "search" },
    text, " ", who, " ", district, " ", h("label", null, `${m.exports.fromTime} `, from), " ", h("label", null, `${m.exports.toTime} `, to), " ",
    h("button", { type: "submit", class: "small" }, m.exports.search));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ limit: "50" });
    if (text.value.trim()) query.set("text", text.value.trim());
    if (who.value.trim()) query.set("who", who.value.trim());
    if (district.value) query.set("district", district.value);
    if (from.value) query.set("from", fromLocalInput(from.value));
    if (to.value) query.set("to", fromLocalInput(to.value));
    void (async () => {
      const response = await apiFetch(`${pictureUrl(store.picture)}/resolutions/search?${query}`, { headers: { Accept: "application/json" } });
      const body = (await response.json()) as ResolutionHits & { errors?: Record<string, string[]>; detail?: string };
      if (!response.ok) {
        const why = Object.values(body.errors ?? {}).flat()[0] ?? body.detail ?? m.exports.failed;
        results.replaceChildren(h("p", { class: "refused", role: "alert" }, why));
        return;
      }
      replaceKeepingFocus(results, [
        h("p", { class: "row-meta" }, m.exports.found(body.total)),
        h("ul", { class: "rows" }, body.hits.map((hit): Child => h("li", { class: "row", "data-hit": hit.id },
          h("button", { type: "button", class: "row-button", "data-key": `${hit.kind}/${hit.id}`, onclick: () => select({ kind: hit.kind as "Resolution" | "Assignment", id: hit.id }, "list") },
            h("span", { class: "row-title" }, hit.title),
            h("span", { class: "row-status" }, hit.kind === "Resolution" ? m.resolution.kind : m.assignment.kind)),
          h("p", { class: "row-meta" }, `${formatDateTime(hit.at)} – ${hit.who}${hit.to ? ` → ${hit.to}` : ""}`)))),
      ]);
    })().catch(() => results.replaceChildren(h("p", { class: "refused" }, m.exports.failed)));
  });
  return h("details", { class: "search no-print" }, h("summary", null, m.exports.search), form, results);
}
