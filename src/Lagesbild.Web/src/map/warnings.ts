import Feature from "ol/Feature";
import MultiPolygon from "ol/geom/MultiPolygon";
import VectorLayer from "ol/layer/Vector";
import { fromLonLat } from "ol/proj";
import VectorSource from "ol/source/Vector";
import { Fill, Stroke, Style, Text } from "ol/style";
import type { EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { isSelected } from "../ui/selection";

type AlertRecord = EntityRecord<"Alert">;

/** The legend's and the layer's colour for a warning area taken into the picture. */
export const warningColor = "rgba(234, 88, 12, 0.22)";
const warningEdge = "#c2410c";

/**
 * Whether the alert's area is part of the picture, as the server's triage left it (TriageRules.InPicture):
 * accepted, and not cancelled by its sender since.
 */
export function inPicture(state: AlertRecord["state"]): boolean {
  return state.cap !== null && state.cap !== undefined && state.triage?.outcome === "Accepted" && state.clearedAt === null;
}

/**
 * Warning areas: the CAP areas of alerts from outside that the TiB took into the picture (headline as label), and
 * the area of the alert chosen with "show on map" (drawn in the selection's blue, triaged or not). The snapshot
 * carries only the rings and the headline; the message's text is fetched when the alert is opened.
 */
export function warningAreasLayer(): VectorLayer<VectorSource> {
  return new VectorLayer({
    source: new VectorSource(),
    zIndex: 3,
    properties: { name: "warnings" },
    style: (feature) => warningStyle(feature as Feature),
  });
}

/** Brings the layer's features in line with the picture: one per shown alert, its rings as one multipolygon. */
export function syncWarningAreas(source: VectorSource, store: PictureStore): void {
  const shown = new Map<string, AlertRecord>();
  for (const record of store.all("Alert")) {
    if (record.state.cap && record.state.cap.areas.length > 0 && (inPicture(record.state) || isSelected("Alert", record.id))) shown.set(record.id, record);
  }
  for (const feature of source.getFeatures()) {
    const id = String(feature.getId());
    const record = shown.get(id);
    if (!record || feature.get("seq") !== record.seq || feature.get("selected") !== isSelected("Alert", id)) source.removeFeature(feature);
  }
  for (const [id, record] of shown) {
    if (source.getFeatureById(id)) continue;
    const rings = record.state.cap!.areas.map((ring) => [ring.map((p) => fromLonLat([p.lon, p.lat]))]);
    const feature = new Feature({ geometry: new MultiPolygon(rings) });
    feature.setId(id);
    feature.setProperties({
      seq: record.seq,
      headline: record.state.name,
      sender: record.state.source,
      accepted: inPicture(record.state),
      selected: isSelected("Alert", id),
    }, true);
    source.addFeature(feature);
  }
}

function warningStyle(feature: Feature): Style[] {
  const selected = feature.get("selected") === true;
  const accepted = feature.get("accepted") === true;
  const styles = [new Style({
    fill: new Fill({ color: selected && !accepted ? "rgba(29, 78, 216, 0.15)" : warningColor }),
    stroke: new Stroke({ color: accepted ? warningEdge : "#1d4ed8", width: 3, lineDash: accepted ? [10, 6] : undefined }),
    text: new Text({
      text: `${String(feature.get("headline") ?? "")}\n${String(feature.get("sender") ?? "")}`,
      font: "600 12px system-ui, sans-serif",
      fill: new Fill({ color: "#111827" }),
      stroke: new Stroke({ color: "rgba(255, 255, 255, 0.95)", width: 4 }),
      overflow: true,
    }),
  })];
  if (selected) styles.push(new Style({ stroke: new Stroke({ color: "#1d4ed8", width: 5, lineDash: [8, 6] }) }));
  return styles;
}
