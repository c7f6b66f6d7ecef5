import type Feature from "ol/Feature";
import GeoJSON from "ol/format/GeoJSON";
import MultiPolygon from "ol/geom/MultiPolygon";
import Point from "ol/geom/Point";
import Polygon from "ol/geom/Polygon";
import VectorLayer from "ol/layer/Vector";
import { fromLonLat } from "ol/proj";
import VectorSource from "ol/source/Vector";
import { Fill, Stroke, Style, Text } from "ol/style";
import { m } from "../i18n";
import { districtAttention } from "../picture/assignments";
import type { PictureStore } from "../picture/store";
import { isSelected } from "../ui/selection";
import { situationStyle, waterColor } from "./symbols";

/** Whether a district's lägesrapport is late, as the server judges it (picture/attention.ts). */
let reportOverdue: (district: string) => boolean = () => false;

export function markReportsOverdueBy(lookup: (district: string) => boolean): void {
  reportOverdue = lookup;
}

/** Whether the district's area was last drawn with the late-report flag. */
export function drawnReportOverdue(feature: Feature | null): boolean {
  return feature?.get("reportOverdue") === true;
}

const geojson = new GeoJSON({ dataProjection: "EPSG:4326", featureProjection: "EPSG:3857" });

/** The 11 stadsdelsområden, coloured and labelled by each district's situation. */
export function districtAreasLayer(store: PictureStore, overBasemap: () => boolean): VectorLayer<VectorSource> {
  const source = new VectorSource();
  return new VectorLayer({
    source,
    zIndex: 2,
    // Decluttered with the points' layer: a name that would overlap another is left out until zoomed in.
    declutter: true,
    properties: { name: "districts" },
    style: (feature, resolution) => areaStyle(store, source, feature as Feature, resolution, overBasemap()),
  });
}

/** Lakes and sea, so the city's shape reads without a base map. */
export function waterLayer(): VectorLayer<VectorSource> {
  return new VectorLayer({
    source: new VectorSource(),
    zIndex: 1,
    properties: { name: "water" },
    style: new Style({ fill: new Fill({ color: waterColor }) }),
  });
}

export async function loadGeoJson(layer: VectorLayer<VectorSource>, url: string): Promise<void> {
  // As an operator's index.html preloads it (public map data: no token, no headers of its own), so the preload's answer is the one used.
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const features = geojson.readFeatures(await response.json());
  for (const feature of features) {
    const id = feature.get("id");
    if (typeof id === "string" || typeof id === "number") feature.setId(String(id));
  }
  layer.getSource()?.addFeatures(features);
}

function areaStyle(store: PictureStore, source: VectorSource, feature: Feature, resolution: number, overBasemap: boolean): Style[] {
  const id = String(feature.getId() ?? "");
  const district = store.get("District", id);
  const situation = district?.state.situation ?? "Normal";
  const look = situationStyle[situation];
  const name = district?.state.name ?? String(feature.get("name") ?? id);
  const tasks = district ? districtAttention(store, id) : 0;
  const late = district !== undefined && reportOverdue(id);
  feature.set("reportOverdue", late, true);
  const styles = [
    new Style({
      // Over a base map the fill is thinner so streets stay readable.
      fill: new Fill({ color: overBasemap ? [...look.fill.slice(0, 3), look.fill[3] * 0.7] : look.fill }),
      stroke: new Stroke({ color: look.stroke, width: look.width }),
    }),
    new Style({
      geometry: labelPoint(feature, resolution, store, source),
      text: new Text({
        text: district ? [name, "600 13px system-ui, sans-serif", "\n", "", m.district.situations[situation], "12px system-ui, sans-serif",
          ...(tasks > 0 ? ["\n", "", m.assignment.mapMark(tasks), "600 12px system-ui, sans-serif"] : []),
          ...(late ? ["\n", "", m.report.mapMark, "600 12px system-ui, sans-serif"] : [])] : name,
        font: "600 13px system-ui, sans-serif",
        fill: new Fill({ color: "#111827" }),
        stroke: new Stroke({ color: "rgba(255, 255, 255, 0.95)", width: 4 }),
      }),
      zIndex: 1,
    }),
  ];
  // Uppdrag not acknowledged or past their deadline: a dashed orange edge, besides the label line.
  if (tasks > 0) {
    styles.push(new Style({ stroke: new Stroke({ color: "#c2410c", width: 3, lineDash: [4, 4] }) }));
  }
  // A lägesrapport late by the cadence or a begäran: a solid red inner edge, apart from the tasks' dashed one.
  if (late) {
    styles.push(new Style({ stroke: new Stroke({ color: "#b91c1c", width: 5 }) }));
  }
  if (isSelected("District", id)) {
    styles.push(new Style({ stroke: new Stroke({ color: "#1d4ed8", width: 4, lineDash: [8, 6] }) }));
  }
  return styles;
}

// Where a label may go, in pixels from the area's interior point: the first that keeps clear wins.
const labelOffsets = [[0, 0], [0, -36], [0, 36], [-56, 0], [56, 0], [-48, -32], [48, -32], [-48, 32], [48, 32]] as const;
/** How far (in pixels, across counted at half weight since labels are wide) a label keeps from a symbol and from another area's label spot. */
const symbolClearancePx = 34;
const labelClearancePx = 56;

/**
 * One label per area, inside its largest part (islands get none), moved off the
 * trygghetspunkt symbols and neighbouring labels when they sit where it would be.
 */
function labelPoint(feature: Feature, resolution: number, store: PictureStore, source: VectorSource): Point | undefined {
  const largest = largestPolygon(feature);
  if (!largest) return undefined;
  const [x = 0, y = 0] = interiorPoint(largest);
  const obstacles: [number, number, number][] = [
    ...store.all("SafetyPoint").map((p) => {
      const [px = 0, py = 0] = fromLonLat([p.state.position.lon, p.state.position.lat]);
      return [px, py, symbolClearancePx] as [number, number, number];
    }),
    ...source.getFeatures().filter((f) => f !== feature).flatMap((f) => {
      const other = largestPolygon(f);
      if (!other) return [];
      const [ox = 0, oy = 0] = interiorPoint(other);
      return [[ox, oy, labelClearancePx] as [number, number, number]];
    }),
  ];
  // 1 or more: clear of everything.
  const clearance = (cx: number, cy: number) =>
    Math.min(Infinity, ...obstacles.map(([ox, oy, need]) => Math.hypot((ox - cx) / 2, oy - cy) / resolution / need));
  let best: [number, number] = [x, y];
  let bestClearance = -1;
  for (const [dx, dy] of labelOffsets) {
    const cx = x + dx * resolution;
    const cy = y - dy * resolution;
    if (!largest.intersectsCoordinate([cx, cy])) continue;
    const value = clearance(cx, cy);
    if (value >= 1) return new Point([cx, cy]);
    if (value > bestClearance) [best, bestClearance] = [[cx, cy], value];
  }
  return new Point(best);
}

function interiorPoint(polygon: Polygon): number[] {
  return polygon.getInteriorPoint().getCoordinates();
}

function largestPolygon(feature: Feature): Polygon | undefined {
  const cached = feature.get("largestPolygon") as Polygon | undefined;
  if (cached) return cached;
  const geometry = feature.getGeometry();
  let largest: Polygon | undefined;
  if (geometry instanceof Polygon) largest = geometry;
  else if (geometry instanceof MultiPolygon) {
    for (const polygon of geometry.getPolygons()) {
      if (!largest || polygon.getArea() > largest.getArea()) largest = polygon;
    }
  }
  if (largest) feature.set("largestPolygon", largest, true);
  return largest;
}
