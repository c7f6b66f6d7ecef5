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
import { pictureNow } from "../picture/clock";
import type { Situation } from "../picture/protocol";
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
    style: (feature, resolution) => areaStyle(store, feature as Feature, resolution, overBasemap()),
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

/** Each area's label keeps clear of the other areas' label spots, which never move: worked out once, when the areas are loaded. */
export function placeAreaLabels(layer: VectorLayer<VectorSource>): void {
  const all = layer.getSource()?.getFeatures() ?? [];
  const spots = new Map(all.flatMap((f) => {
    const largest = largestPolygon(f);
    return largest ? [[f, interiorPoint(largest) as [number, number]] as const] : [];
  }));
  for (const feature of all) feature.set("neighbourLabels", [...spots].filter(([f]) => f !== feature).map(([, spot]) => spot), true);
}

/**
 * Makes each area's feature carry what its style shows: the district's name and situation, its
 * uppdrag needing attention at `now` and its late lägesrapport. A feature whose marks did not change
 * is not touched, so the layer is redrawn only when an area's look changed.
 */
export function syncDistrictAreas(source: VectorSource, store: PictureStore, now = pictureNow()): void {
  for (const feature of source.getFeatures()) {
    const id = String(feature.getId() ?? "");
    const district = store.get("District", id);
    feature.setProperties({
      district: district !== undefined,
      label: district?.state.name ?? String(feature.get("name") ?? id),
      situation: district?.state.situation ?? "Normal",
      tasks: district ? districtAttention(store, id, now) : 0,
      reportOverdue: district !== undefined && reportOverdue(id),
    });
  }
}

function areaStyle(store: PictureStore, feature: Feature, resolution: number, overBasemap: boolean): Style[] {
  const id = String(feature.getId() ?? "");
  const situation = (feature.get("situation") ?? "Normal") as Situation;
  const look = situationStyle[situation];
  const name = String(feature.get("label") ?? feature.get("name") ?? id);
  const tasks = Number(feature.get("tasks") ?? 0);
  const late = drawnReportOverdue(feature);
  const styles = [
    new Style({
      // Over a base map the fill is thinner so streets stay readable.
      fill: new Fill({ color: overBasemap ? [...look.fill.slice(0, 3), look.fill[3] * 0.7] : look.fill }),
      stroke: new Stroke({ color: look.stroke, width: look.width }),
    }),
    new Style({
      geometry: labelPoint(feature, resolution, store),
      text: new Text({
        text: feature.get("district") === true ? [name, "600 13px system-ui, sans-serif", "\n", "", m.district.situations[situation], "12px system-ui, sans-serif",
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

/** Where the trygghetspunkt symbols stand (map coordinates), worked out once per picture version. */
let symbols: { seq: number; picture: string; at: [number, number][] } = { seq: -1, picture: "", at: [] };

function symbolPositions(store: PictureStore): [number, number][] {
  if (symbols.seq !== store.lastSeq || symbols.picture !== store.picture) {
    symbols = {
      seq: store.lastSeq,
      picture: store.picture,
      at: store.all("SafetyPoint").map((p) => fromLonLat([p.state.position.lon, p.state.position.lat]) as [number, number]),
    };
  }
  return symbols.at;
}

/** The farthest a label spot moves from the area's interior point, in pixels (the largest of labelOffsets). */
const furthestOffsetPx = Math.max(...labelOffsets.map(([dx, dy]) => Math.hypot(dx / 2, dy)));

/**
 * One label per area, inside its largest part (islands get none), moved off the
 * trygghetspunkt symbols and neighbouring labels when they sit where it would be.
 * Worked out again only when the resolution or the symbols' places changed: the style is asked
 * for whenever the layer is drawn anew, and with hundreds of points this search was most of it.
 */
function labelPoint(feature: Feature, resolution: number, store: PictureStore): Point | undefined {
  const largest = largestPolygon(feature);
  if (!largest) return undefined;
  const positions = symbolPositions(store);
  const cached = feature.get("labelPoint") as { resolution: number; positions: unknown; point: Point } | undefined;
  if (cached && cached.resolution === resolution && cached.positions === positions) return cached.point;
  const [x = 0, y = 0] = interiorPoint(largest);
  // Only what is near enough to matter for some spot: a clearance of 1 or more is clear anyway.
  const reach = (furthestOffsetPx + Math.max(symbolClearancePx, labelClearancePx)) * resolution;
  const near = ([ox, oy]: readonly number[]) => Math.hypot(((ox ?? 0) - x) / 2, (oy ?? 0) - y) < reach;
  const obstacles: [number, number, number][] = [
    ...positions.filter(near).map(([px, py]) => [px, py, symbolClearancePx] as [number, number, number]),
    ...(feature.get("neighbourLabels") as [number, number][] ?? []).filter(near).map(([ox, oy]) => [ox, oy, labelClearancePx] as [number, number, number]),
  ];
  // 1 or more: clear of everything.
  const clearance = (cx: number, cy: number) => {
    let least = Infinity;
    for (const [ox, oy, need] of obstacles) least = Math.min(least, Math.hypot((ox - cx) / 2, oy - cy) / resolution / need);
    return least;
  };
  let best: [number, number] = [x, y];
  let bestClearance = -1;
  let point: Point | undefined;
  for (const [dx, dy] of labelOffsets) {
    const cx = x + dx * resolution;
    const cy = y - dy * resolution;
    if (!largest.intersectsCoordinate([cx, cy])) continue;
    const value = clearance(cx, cy);
    if (value >= 1) {
      point = new Point([cx, cy]);
      break;
    }
    if (value > bestClearance) [best, bestClearance] = [[cx, cy], value];
  }
  point ??= new Point(best);
  feature.set("labelPoint", { resolution, positions, point }, true);
  return point;
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
