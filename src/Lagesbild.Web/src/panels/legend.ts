import { m } from "../i18n";
import { pointSymbolSvg, situationStyle, waterColor } from "../map/symbols";
import { warningColor } from "../map/warnings";
import { pointStatuses, situations } from "../picture/protocol";
import { h, svgIcon, swatch } from "../ui/dom";
import { panel } from "../ui/panel";

/** What the map's symbols and colours mean. */
export function legendPanel(): HTMLElement {
  const { section, body } = panel("legend", m.panels.legend);
  body.append(
    h("h3", null, m.legend.points),
    h("ul", { class: "legend" }, pointStatuses.map((status) =>
      h("li", null, svgIcon(pointSymbolSvg(status, 22)), m.point.statuses[status]))),
    h("h3", null, m.legend.areas),
    h("ul", { class: "legend" }, situations.map((situation) =>
      h("li", null, swatch(situationStyle[situation].swatch), m.district.situations[situation])),
    h("li", null, swatch(waterColor), m.legend.water)),
    h("h3", null, m.alert.warningAreas),
    h("ul", { class: "legend" }, h("li", { "data-legend": "warning-area" }, swatch(warningColor), m.alert.warningArea)),
    h("ul", { class: "legend" },
      h("li", null, h("span", { class: "ring stale", "aria-hidden": "true" }), m.legend.stale),
      h("li", null, h("span", { class: "ring selected", "aria-hidden": "true" }), m.legend.selected)),
  );
  return section;
}
