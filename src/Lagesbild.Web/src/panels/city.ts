import { command } from "../api/http";
import { m } from "../i18n";
import { cityLevelStep } from "../map/symbols";
import { cityLevels, type CityLevel, type EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { commandForm, field, reasonField, selectField, text, withReason, type Action } from "../ui/forms";
import { freshness } from "../ui/freshness";
import { select } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import type { DetailView } from "./details";
import type { May } from "./permissions";

export const cityId = "stockholm";
const lastStep = cityLevels.length - 1;

/** The city's level in the eskaleringstrappa, as a banner at the top: who decided, when and why. */
export function cityBanner(store: PictureStore, may: May): { section: HTMLElement; render(): void } {
  const section = h("section", { class: "city-banner", "aria-labelledby": "city-heading", "data-level": "Normal" });

  function render(): void {
    const city = store.get("City", cityId) ?? store.all("City")[0];
    const level: CityLevel = city?.state.level ?? "Normal";
    section.dataset["level"] = level;
    replaceKeepingFocus(section, [
      h("h2", { id: "city-heading", class: "city-level" },
        h("span", { class: "city-name" }, `${city?.state.name ?? m.city.heading}: `),
        h("span", { class: "level-name" }, m.city.levels[level]),
        h("span", { class: "ladder", "aria-hidden": "true" }, ladder(level))),
      city ? h("p", { class: "city-decision" },
        city.state.decidedBy ? m.city.decided(city.state.decidedBy, city.state.decidedAt ? formatDateTime(city.state.decidedAt) : "") : null,
        reasonText(city.state.reason, city.state.reasonInternal) ? [city.state.decidedBy ? " – " : "", `${m.city.reason}: ${reasonText(city.state.reason, city.state.reasonInternal)}`] : null,
        " ", freshness(city)) : null,
      // Opens the details; for those who may not change the level, to read the decision.
      city ? h("button", { type: "button", class: "small", "data-key": "change-level", onclick: () => select({ kind: "City", id: city.id }, "list") },
        may({ command: "ChangeCityLevel", kind: "City", id: city.id, district: null }) ? m.city.show : m.city.change) : null,
    ]);
  }

  return { section, render };
}

/** A decision's reason as the state has it: an internal note is only in the loggbok, so say where it is. */
export function reasonText(reason: string | null, internal: boolean | undefined): string | null {
  return reason ?? (internal ? m.city.reasonInternal : null);
}

/** Five steps, the current one filled: position on the ladder without relying on colour. */
function ladder(level: CityLevel): string {
  const step = cityLevelStep[level];
  return Array.from({ length: lastStep + 1 }, (_, i) => (i <= step ? "■" : "□")).join("");
}

export const cityDetails: DetailView<"City"> = {
  kindLabel: m.feed.kinds.City,
  view(record: EntityRecord<"City">) {
    const { state } = record;
    return [
      facts([
        [m.city.level, h("strong", null, m.city.levels[state.level])],
        [m.city.decidedBy, state.decidedBy],
        [m.city.decidedAt, state.decidedAt ? formatDateTime(state.decidedAt) : null],
        [m.city.reason, reasonText(state.reason, state.reasonInternal)],
      ]),
      h("p", { class: "row-meta" }, freshness(record), ` – ${record.by}`),
    ];
  },
  actions(record, { store, may }) {
    const changeLevel: Action = {
      command: "ChangeCityLevel",
      label: m.city.change,
      build: (done, cancel) => {
        // TiB may set some levels only: the others are listed, disabled, with the reason under the list.
        const refusals = cityLevels.map((level) => may({ command: "ChangeCityLevel", kind: "City", id: record.id, district: null, level }));
        return commandForm({
          title: m.city.formTitle,
          fields: [
            selectField(m.city.level, "level", cityLevels.map((l, i) => [l, m.city.levels[l], refusals[i] !== null] as const), record.state.level,
              { hint: refusals.find((r) => r !== null) ?? null }),
            field(m.city.decidedBy, "decidedBy", record.state.decidedBy, { required: true }),
            reasonField(true),
          ],
          request: (data) => command(store.picture, "PUT", "city/level", withReason({
            level: text(data, "level"), decidedBy: text(data, "decidedBy"),
          }, data)),
          done, cancel,
        });
      },
    };
    return [changeLevel];
  },
};
