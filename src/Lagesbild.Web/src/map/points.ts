import Feature from "ol/Feature";
import Point from "ol/geom/Point";
import VectorLayer from "ol/layer/Vector";
import VectorSource from "ol/source/Vector";
import { fromLonLat } from "ol/proj";
import { Circle, Fill, Icon, Stroke, Style, Text } from "ol/style";
import type { EntityRecord } from "../picture/protocol";
import { pictureNow } from "../picture/clock";
import { staleAfter } from "../picture/rules";
import type { PictureStore } from "../picture/store";
import { isSelected } from "../ui/selection";
import { parseTime } from "../ui/time";
import { pointSymbol, pointSymbolCanvas, type PointSymbol } from "./symbols";

/** Whether the server's rules say a point needs attention (picture/attention.ts); none until asked. */
let needsAttention: (id: string) => boolean = () => false;

export function markAttentionBy(lookup: (id: string) => boolean): void {
  needsAttention = lookup;
}

/** Names show from this resolution (metres per pixel) down, i.e. when zoomed in. */
const labelResolution = 12;
const iconSize = 26;
/** Half a symbol's width in pixels: how far from a point's place the pointer is on its symbol. */
export const symbolRadiusPx = iconSize / 2;

/** Every trygghetspunkt as a symbol whose shape and colour show its status. */
export function safetyPointsLayer(): VectorLayer<VectorSource<Feature<Point>>> {
  return new VectorLayer({
    source: new VectorSource<Feature<Point>>(),
    zIndex: 3,
    declutter: true,
    properties: { name: "safety-points" },
    style: (feature, resolution) => pointStyle(feature as Feature<Point>, resolution),
  });
}

/**
 * Makes the layer's features match the store: one feature per SafetyPoint entity. A feature is
 * touched only where its place or look changed, so a call that finds nothing new redraws nothing.
 */
export function syncSafetyPoints(source: VectorSource<Feature<Point>>, store: PictureStore, now = pictureNow()): void {
  const seen = new Set<string>();
  for (const record of store.all("SafetyPoint")) {
    seen.add(record.id);
    syncSafetyPoint(source, record, now);
  }
  for (const feature of source.getFeatures()) {
    if (!seen.has(String(feature.getId()))) source.removeFeature(feature);
  }
}

/** The feature of an entity at a position, added to the layer the first time and moved there after. */
export function placeFeature(source: VectorSource<Feature<Point>>, id: string, position: { lon: number; lat: number }): Feature<Point> {
  const coordinate = fromLonLat([position.lon, position.lat]);
  let feature = source.getFeatureById(id);
  if (!feature) {
    feature = new Feature(new Point(coordinate));
    feature.setId(id);
    source.addFeature(feature);
  } else {
    // Setting the same place still marks the layer changed and redraws every symbol: move only what moved.
    const geometry = feature.getGeometry();
    const [x, y] = geometry?.getCoordinates() ?? [];
    if (x !== coordinate[0] || y !== coordinate[1]) geometry?.setCoordinates(coordinate);
  }
  return feature;
}

/** Makes one point's feature match its record: the one symbol a delta concerns. */
export function syncSafetyPoint(source: VectorSource<Feature<Point>>, record: EntityRecord<"SafetyPoint">, now = pictureNow()): void {
  placeFeature(source, record.id, record.state.position).setProperties(pointProperties(record, now));
}

function pointProperties(record: EntityRecord<"SafetyPoint">, now: number) {
  const limit = staleAfter(record);
  return {
    name: record.state.name,
    symbol: pointSymbol(record.state.status),
    stale: limit !== null && now - parseTime(record.at) > limit,
    attention: needsAttention(record.id),
  };
}

/** Whether a point is drawn with the attention mark, as the test hooks report it. */
export function drawnAttention(feature: Feature | null): boolean {
  return feature?.get("attention") === true;
}

/** The symbol a point is drawn with, as the test hooks report it. */
export function drawnSymbol(feature: Feature | null): PointSymbol | null {
  return (feature?.get("symbol") as PointSymbol | undefined) ?? null;
}

const iconCache = new Map<string, Style>();
// Rings are drawn around the symbol, so they take no part in decluttering.
const ring = (radius: number, stroke: Stroke) => new Style({ image: new Circle({ radius, stroke, declutterMode: "none" }) });
const staleRing = ring(16, new Stroke({ color: "#111827", width: 2, lineDash: [3, 3] }));
const attentionRing = ring(13, new Stroke({ color: "#dc2626", width: 4 }));
const selectedRing = [
  ring(18, new Stroke({ color: "#fff", width: 6 })),
  ring(18, new Stroke({ color: "#1d4ed8", width: 3 })),
];

/** The styles a point is drawn with, by what it shows: the same arrays each time, so drawing hundreds of points makes no garbage. */
const styleCache = new Map<string, Style[]>();

function pointStyle(feature: Feature<Point>, resolution: number): Style[] {
  const symbol = drawnSymbol(feature);
  if (!symbol) return [];
  const selected = isSelected("SafetyPoint", String(feature.getId()));
  const stale = feature.get("stale") === true;
  const attention = feature.get("attention") === true;
  const label = resolution <= labelResolution ? String(feature.get("name") ?? "") : null;
  const key = `${symbol.status}|${selected}|${stale}|${attention}|${label ?? ""}|${label !== null}`;
  let styles = styleCache.get(key);
  if (!styles) {
    styles = [];
    if (selected) styles.push(...selectedRing);
    if (stale) styles.push(staleRing);
    if (attention) styles.push(attentionRing);
    styles.push(iconStyle(symbol));
    if (label !== null) styles.push(labelStyle(label));
    styleCache.set(key, styles);
  }
  return styles;
}

const labelCache = new Map<string, Style>();
const labelFill = new Fill({ color: "#111827" });
const labelStroke = new Stroke({ color: "#fff", width: 4 });

/** A point's name under its symbol: one style per name, not one per feature and frame, so drawing hundreds makes no garbage. */
function labelStyle(name: string): Style {
  let style = labelCache.get(name);
  if (!style) {
    style = new Style({ text: new Text({ text: name, font: "600 12px system-ui, sans-serif", offsetY: 22, fill: labelFill, stroke: labelStroke }) });
    labelCache.set(name, style);
  }
  return style;
}

function iconStyle(symbol: PointSymbol): Style {
  let style = iconCache.get(symbol.status);
  if (!style) {
    style = new Style({
      image: new Icon({
        img: pointSymbolCanvas(symbol.status, iconSize, Math.max(1, devicePixelRatio)),
        width: iconSize,
        height: iconSize,
        // Symbols are never hidden by decluttering; labels give way to them instead.
        declutterMode: "obstacle",
      }),
      zIndex: 1,
    });
    iconCache.set(symbol.status, style);
  }
  return style;
}
