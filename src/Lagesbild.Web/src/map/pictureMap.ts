import OlMap from "ol/Map";
import View from "ol/View";
import { defaults as defaultControls } from "ol/control/defaults";
import { isEmpty } from "ol/extent";
import { fromLonLat, toLonLat } from "ol/proj";
import type Feature from "ol/Feature";
import type Point from "ol/geom/Point";
import { m } from "../i18n";
import type { ClientConfig, Position } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { select, type Selection } from "../ui/selection";
import { districtAreasLayer, drawnReportOverdue, loadGeoJson, placeAreaLabels, syncDistrictAreas, waterLayer } from "./areas";
import { drawnAttention, drawnSymbol, safetyPointsLayer, symbolRadiusPx, syncSafetyPoint, syncSafetyPoints } from "./points";
import { resourcesLayer, syncResources } from "./resources";
import type { PointSymbol } from "./symbols";
import { syncWarningAreas, warningAreasLayer } from "./warnings";

const stockholm = fromLonLat([18.05, 59.33]);
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
/** How near a click must be to a symbol, in pixels, to pick it. */
const hitTolerancePx = 6;

/** The map: optional base map, water, district areas, warning areas from outside, tracked resources and trygghetspunkter. */
export class PictureMap {
  readonly map: OlMap;
  private readonly areas;
  private readonly water;
  private readonly points;
  private readonly resources;
  private readonly warnings;
  private pick: ((position: Position | null) => void) | null = null;
  private hasBasemap = false;

  constructor(target: HTMLElement, private readonly store: PictureStore) {
    this.areas = districtAreasLayer(store, () => this.hasBasemap);
    this.water = waterLayer();
    this.points = safetyPointsLayer();
    this.resources = resourcesLayer();
    this.warnings = warningAreasLayer();
    this.map = new OlMap({
      target,
      layers: [this.water, this.areas, this.warnings, this.resources, this.points],
      view: new View({ center: stockholm, zoom: 11, maxZoom: 19 }),
      controls: defaultControls({
        zoomOptions: { zoomInTipLabel: m.map.zoomIn, zoomOutTipLabel: m.map.zoomOut },
        attributionOptions: { collapsible: true, tipLabel: m.map.attribution },
        rotate: false,
      }),
    });
    this.map.on("singleclick", (event) => this.clicked(event.pixel, event.coordinate));
    // The cursor says what a click would pick. Asked once a frame at most and never while the map moves:
    // a hit test draws the layers under the pointer, and with hundreds of points one took longer than a frame.
    let hover: number | undefined;
    let pointer: { coordinate: number[] } | null = null;
    this.map.on("pointermove", (event) => {
      if (event.dragging || (event.originalEvent as PointerEvent).pointerType === "touch") return;
      pointer = { coordinate: event.coordinate };
      hover ??= requestAnimationFrame(() => {
        hover = undefined;
        const view = this.map.getView();
        if (!pointer || view.getAnimating() || view.getInteracting()) return;
        target.style.cursor = this.pick ? "crosshair" : this.clickable(pointer.coordinate) ? "pointer" : "";
      });
    });
    target.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.pick) this.finishPick(null);
    });
  }

  /** Adds the base map from /api/config under everything else (none by default: works offline). */
  useConfig(config: ClientConfig): void {
    const basemap = config.basemap;
    if (!basemap) return;
    // The tile code is fetched only where a base map is configured: the city's own map needs none.
    void import("./basemap").then(({ basemapLayer }) => {
      this.hasBasemap = true;
      this.map.getLayers().insertAt(0, basemapLayer(basemap));
      this.areas.changed();
    });
  }

  /**
   * Loads areas and water and frames the city, or `ownDistrict` (a district operator's) when
   * given; resolves with the names of what failed to load.
   */
  async loadAreas(ownDistrict: string | null = null): Promise<string[]> {
    const failed: string[] = [];
    // The water is backdrop: the city is framed as soon as its districts are there (on a weak link the
    // water is asked for only once the page is drawn, index.html does not name it).
    const water = loadGeoJson(this.water, "/maps/water.geojson").catch(() => failed.push(m.map.water));
    await loadGeoJson(this.areas, "/maps/districts.geojson").catch(() => failed.push(m.map.areas));
    placeAreaLabels(this.areas);
    const source = this.areas.getSource();
    const extent = (ownDistrict ? source?.getFeatureById(ownDistrict)?.getGeometry()?.getExtent() : undefined) ?? source?.getExtent();
    if (extent && !isEmpty(extent)) this.map.getView().fit(extent, { padding: [20, 20, 20, 20] });
    await water;
    return failed;
  }

  /** Redraws everything: after a snapshot, or when the selection changed (every layer draws it). */
  refresh(): void {
    this.refreshMarks();
    this.refreshResources();
    this.refreshWarnings();
    this.points.changed();
    this.areas.changed();
  }

  /**
   * Brings the points' and areas' marks up to the picture and its clock: status, staleness, attention,
   * uppdrag and late reports. Only a feature whose look changed is touched, so the layers are redrawn
   * only then; the clock's tick and the server's judgements call this, not a redraw of the whole map.
   */
  refreshMarks(): void {
    const points = this.points.getSource();
    if (points) syncSafetyPoints(points, this.store);
    this.refreshAreas();
  }

  /** Brings the areas' names, situations and marks up to the picture (a district or an uppdrag changed). */
  refreshAreas(): void {
    const areas = this.areas.getSource();
    if (areas) syncDistrictAreas(areas, this.store);
  }

  /** Redraws the warning areas after an alert changed (taken in, updated or cancelled by its sender). */
  refreshWarnings(): void {
    const source = this.warnings.getSource();
    if (source) syncWarningAreas(source, this.store);
    this.warnings.changed();
  }

  /** The alerts whose areas are drawn, with their label and whether taken into the picture or only shown. */
  warningAreas(): { id: string; headline: string; sender: string; accepted: boolean; selected: boolean }[] {
    return (this.warnings.getSource()?.getFeatures() ?? []).map((f) => ({
      id: String(f.getId()), headline: String(f.get("headline")), sender: String(f.get("sender")),
      accepted: f.get("accepted") === true, selected: f.get("selected") === true,
    })).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Redraws the resources after a resource (or a point it stands at) changed. */
  refreshResources(): void {
    const source = this.resources.getSource();
    if (source) syncResources(source, this.store);
    this.resources.changed();
  }

  /** Where a resource is drawn (WGS 84) and its name there, or null when it is not on the map. */
  resourceOnMap(id: string): { lon: number; lat: number; label: string } | null {
    const feature = typeof id === "string" ? this.resources.getSource()?.getFeatureById(id) : null;
    const coordinate = feature?.getGeometry()?.getCoordinates();
    if (!feature || !coordinate) return null;
    const [lon = 0, lat = 0] = toLonLat(coordinate);
    return { lon: round6(lon), lat: round6(lat), label: String(feature.get("label") ?? "") };
  }

  /** Redraws the named points after deltas: their symbols only. */
  refreshPoints(ids: Iterable<string>): void {
    const source = this.points.getSource();
    if (!source) return;
    for (const id of ids) {
      const record = this.store.get("SafetyPoint", id);
      if (record) syncSafetyPoint(source, record);
    }
  }

  /** Brings a selection chosen outside the map into view. */
  show(selection: Selection): void {
    const view = this.map.getView();
    const duration = reducedMotion.matches ? 0 : 400;
    if (selection.kind === "SafetyPoint") {
      const point = this.points.getSource()?.getFeatureById(selection.id)?.getGeometry();
      if (point) view.animate({ center: point.getCoordinates(), zoom: Math.max(view.getZoom() ?? 11, 13), duration });
    } else if (selection.kind === "Resource") {
      const resource = this.resources.getSource()?.getFeatureById(selection.id)?.getGeometry();
      if (resource) view.animate({ center: resource.getCoordinates(), zoom: Math.max(view.getZoom() ?? 11, 13), duration });
    } else if (selection.kind === "Alert") {
      // Drawn highlighted once the selection has been rendered; its rings are in the record already.
      this.refreshWarnings();
      const area = this.warnings.getSource()?.getFeatureById(selection.id)?.getGeometry();
      if (area) view.fit(area.getExtent(), { padding: [40, 40, 40, 40], duration, maxZoom: 15 });
    } else if (selection.kind === "District") {
      const area = this.areas.getSource()?.getFeatureById(selection.id)?.getGeometry();
      if (area) view.fit(area.getExtent(), { padding: [30, 30, 30, 30], duration, maxZoom: 14 });
    }
  }

  /** Waits for the next click on the map and returns its position (null when cancelled with Esc). */
  pickPosition(): Promise<Position | null> {
    this.finishPick(null);
    this.map.getTargetElement()?.focus();
    return new Promise((resolve) => { this.pick = resolve; });
  }

  areaCount(): number {
    return this.areas.getSource()?.getFeatures().length ?? 0;
  }

  pointIds(): string[] {
    return (this.points.getSource()?.getFeatures() ?? []).map((f) => String(f.getId())).sort();
  }

  pointAttention(id: string): boolean {
    return typeof id === "string" && drawnAttention(this.points.getSource()?.getFeatureById(id) ?? null);
  }

  /** Whether a district's area is drawn with the late-report flag. */
  areaReportOverdue(id: string): boolean {
    return typeof id === "string" && drawnReportOverdue(this.areas.getSource()?.getFeatureById(id) ?? null);
  }

  pointSymbol(id: string): PointSymbol | null {
    if (typeof id !== "string") return null;
    return drawnSymbol(this.points.getSource()?.getFeatureById(id) ?? null);
  }

  private finishPick(position: Position | null): void {
    const resolve = this.pick;
    this.pick = null;
    const target = this.map.getTargetElement();
    if (target) target.style.cursor = "";
    resolve?.(position);
  }

  /**
   * Whether a click here would pick something, for the cursor: tested on the features' places and areas, not on
   * the drawn pixels as a click is (a pixel test draws every layer under the pointer: with hundreds of points,
   * longer than a frame). A symbol counts within its half-width and the click's tolerance of its place.
   */
  private clickable(coordinate: number[]): boolean {
    const reach = (symbolRadiusPx + hitTolerancePx) * (this.map.getView().getResolution() ?? 1);
    const [x = 0, y = 0] = coordinate;
    const around = [x - reach, y - reach, x + reach, y + reach];
    return (this.points.getSource()?.getFeaturesInExtent(around).length ?? 0) > 0
      || (this.resources.getSource()?.getFeaturesInExtent(around).length ?? 0) > 0
      || (this.warnings.getSource()?.getFeaturesAtCoordinate(coordinate).length ?? 0) > 0
      || (this.areas.getSource()?.getFeaturesAtCoordinate(coordinate).length ?? 0) > 0;
  }

  private clicked(pixel: number[], coordinate: number[]): void {
    if (this.pick) {
      const [lon = 0, lat = 0] = toLonLat(coordinate);
      this.finishPick({ lon: round6(lon), lat: round6(lat) });
      return;
    }
    const hitPoint = this.map.forEachFeatureAtPixel(pixel, (f) => f as Feature<Point>, { layerFilter: (l) => l === this.points, hitTolerance: hitTolerancePx });
    if (hitPoint) {
      select({ kind: "SafetyPoint", id: String(hitPoint.getId()) }, "map");
      return;
    }
    const hitResource = this.map.forEachFeatureAtPixel(pixel, (f) => f, { layerFilter: (l) => l === this.resources, hitTolerance: 4 });
    if (hitResource) {
      select({ kind: "Resource", id: String(hitResource.getId()) }, "map");
      return;
    }
    const hitWarning = this.map.forEachFeatureAtPixel(pixel, (f) => f, { layerFilter: (l) => l === this.warnings });
    if (hitWarning) {
      select({ kind: "Alert", id: String(hitWarning.getId()) }, "map");
      return;
    }
    const hitArea = this.map.forEachFeatureAtPixel(pixel, (f) => f, { layerFilter: (l) => l === this.areas });
    if (hitArea) select({ kind: "District", id: String(hitArea.getId()) }, "map");
  }
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
