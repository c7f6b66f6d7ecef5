import { apiFetch, command, pictureUrl, seg } from "../api/http";
import { m } from "../i18n";
import type { DutyNowAnswer, EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { commandForm, field, reasonField, text, textOrNull, withReason, type Action } from "../ui/forms";
import { panel } from "../ui/panel";
import { isSelected, select } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import type { DetailView } from "./details";

type DutyRosterRecord = EntityRecord<"DutyRoster">;

/** How often the page asks again who is on duty, since shifts change with the clock and not only with a delta. */
const refreshMs = 60_000;

/**
 * Who holds each duty now and next, and whether office hours are over. The answer is the
 * server's (GET …/duty/now): the page keeps no copy of the shift or holiday rules.
 */
export function dutyPanel(store: PictureStore): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("duty", m.duty.panel);
  const office = h("p", { class: "duty-office", "data-duty-office": "" });
  const list = h("ul", { class: "rows" });
  body.append(office, list);
  let answer: DutyNowAnswer | null = null;
  let asking = false;
  let askedAtSeq = -1;

  async function ask(): Promise<void> {
    if (asking) return;
    asking = true;
    askedAtSeq = store.lastSeq;
    try {
      const response = await apiFetch(`${pictureUrl(store.picture)}/duty/now`, { headers: { Accept: "application/json" } });
      answer = response.ok ? (await response.json()) as DutyNowAnswer : null;
    } catch {
      answer = null;
    } finally {
      asking = false;
    }
    show();
  }

  function show(): void {
    const rosters = store.all("DutyRoster").sort((a, b) => a.id.localeCompare(b.id));
    setCount(rosters.length);
    office.textContent = answer === null ? m.duty.failed
      : [answer.officeOpen ? m.duty.officeOpen : m.duty.officeClosed, answer.holiday ? m.duty.holiday(answer.holiday) : ""].join(" ").trim();
    replaceKeepingFocus(list, rosters.length === 0 ? [h("li", null, m.duty.empty)] : rosters.map((r) => {
      const duty = answer?.duties.find((d) => d.roster === r.id);
      const now = duty?.now;
      return h("li", { class: "row", "data-roster-id": r.id, "data-in-force": duty?.inForce ?? false },
        h("button", {
          type: "button", class: "row-button", "data-key": `DutyRoster/${r.id}`,
          "aria-current": isSelected("DutyRoster", r.id) ? "true" : false,
          onclick: () => select({ kind: "DutyRoster", id: r.id }, "list"),
        },
        h("span", { class: "row-title" }, r.state.name),
        h("span", { class: "row-status", "data-on-duty": now?.person ?? "" }, now ? m.duty.until(now.person, formatDateTime(now.to)) : m.duty.nobody)),
        now?.phone ? h("p", { class: "row-meta" }, h("a", { href: `tel:${now.phone.replace(/[^+\d]/g, "")}` }, now.phone)) : null,
        duty?.next ? h("p", { class: "row-meta" }, `${m.duty.next}: ${m.duty.from(duty.next.person, formatDateTime(duty.next.from))}`) : null);
    }));
  }

  setInterval(() => void ask(), refreshMs);

  /** A delta to a roster (or a first render) asks the server again; other renders show what is known. */
  function render(): void {
    if (store.lastSeq !== askedAtSeq) void ask();
    else show();
  }

  return { section, render };
}

export const dutyRosterDetails: DetailView<"DutyRoster"> = {
  kindLabel: m.duty.kind,
  view(record) {
    return [
      h("h3", null, m.duty.shifts),
      h("ul", { class: "rows" }, record.state.shifts.map((s) =>
        h("li", { class: "row" }, facts([
          [`${formatDateTime(s.from)} – ${formatDateTime(s.to)}`, s.person],
          [m.duty.phone, s.phone ?? null],
        ])))),
    ];
  },
  actions(record, { store }) {
    const handOver: Action = {
      command: "HandOverDuty",
      label: m.duty.handOver,
      build: (done, cancel) => commandForm({
        title: `${m.duty.handOver}: ${record.state.name}`,
        fields: [
          field(m.duty.handOverTo, "to", "", { required: true }),
          field(m.duty.phone, "phone", "", { autocomplete: "tel" }),
          reasonField(),
        ],
        request: (data) => command(store.picture, "POST", `duty-rosters/${seg(record.id)}/hand-over`,
          withReason({ to: text(data, "to"), phone: textOrNull(data, "phone") }, data)),
        done, cancel,
      }),
    };
    return [handOver];
  },
};
