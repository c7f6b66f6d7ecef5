import Feature from "ol/Feature";
import Point from "ol/geom/Point";
import VectorLayer from "ol/layer/Vector";
import VectorSource from "ol/source/Vector";
import { Fill, Icon, Stroke, Style, Text } from "ol/style";
import { m } from "../i18n";
import type { EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import { isSelected } from "../ui/selection";
import { placeFeature } from "./points";

type ResourceRecord = EntityRecord<"Resource">;
type ResourceKind = ResourceRecord["state"]["kind"];

/** Names show from this resolution (metres per pixel) down, as the points' do. */
const labelResolution = 12;
const iconSize = 22;
/** Up and to the right of where it stands, so a resource delivered to a point is seen beside the point's symbol, not under it. */
const displacement: [number, number] = [14, 12];

/**
 * One letter per kind on a square, so a resource never reads as a trygghetspunkt (those are round,
 * triangles and diamonds) and the kind reads without colour vision; the letters are the Swedish words'.
 */
const glyph: Record<ResourceKind, { letter: string; color: string }> = {
  Generator: { letter: "R", color: "#1e3a8a" },
  WaterTank: { letter: "V", color: "#0e7490" },
  FuelDelivery: { letter: "B", color: "#92400e" },
  Staff: { letter: "P", color: "#374151" },
  FrgVolunteers: { letter: "F", color: "#166534" },
  SecurityGuards: { letter: "O", color: "#581c87" },
};

export function resourceSymbolSvg(kind: ResourceKind, size = iconSize): string {
  const { letter, color } = glyph[kind];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">` +
    `<rect x="2" y="2" width="20" height="20" rx="3" fill="${color}" stroke="#fff" stroke-width="3"/>` +
    `<rect x="2" y="2" width="20" height="20" rx="3" fill="none" stroke="#111827" stroke-width="1"/>` +
    `<text x="12" y="16.5" text-anchor="middle" font-family="system-ui, sans-serif" font-size="13" font-weight="700" fill="#fff">${letter}</text></svg>`;
}

/** Where a resource is, in words: at its depot, on its way to a point, or delivered there. */
export function resourceWhere(record: ResourceRecord, store: PictureStore): string {
  const use = record.state.assignment;
  if (!use) return m.resource.atDepotNamed(record.state.depot.name ?? "");
  const point = store.get("SafetyPoint", use.safetyPoint)?.state.name ?? use.safetyPoint;
  return `${use.delivered ? m.resource.deliveredTo : m.resource.onItsWay} ${point}`;
}

/** Its name on the map and in the map's list: what it is and where. */
export function resourceLabel(record: ResourceRecord, store: PictureStore): string {
  return m.resource.onMap(record.state.name, m.resource.kinds[record.state.kind], resourceWhere(record, store));
}

/** Every tracked resource as a square at the position the server gives it: its depot, or the point it was delivered to. */
export function resourcesLayer(): VectorLayer<VectorSource<Feature<Point>>> {
  return new VectorLayer({
    source: new VectorSource<Feature<Point>>(),
    // Under the points: a point's status and attention mark matter more than what stands beside it.
    zIndex: 2,
    properties: { name: "resources" },
    style: (feature, resolution) => resourceStyle(feature as Feature<Point>, resolution),
  });
}

/** Makes the layer's features match the store: one feature per Resource entity. */
export function syncResources(source: VectorSource<Feature<Point>>, store: PictureStore): void {
  const seen = new Set<string>();
  for (const record of store.all("Resource")) {
    seen.add(record.id);
    placeFeature(source, record.id, record.state.position).setProperties({ kind: record.state.kind, label: resourceLabel(record, store), name: record.state.name });
  }
  for (const feature of source.getFeatures()) {
    if (!seen.has(String(feature.getId()))) source.removeFeature(feature);
  }
}

const iconCache = new Map<ResourceKind, Style>();
const selectedOutline = new Style({
  image: new Icon({
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect x="2" y="2" width="28" height="28" rx="5" fill="none" stroke="#1d4ed8" stroke-width="3"/></svg>')}`,
    width: 32, height: 32, declutterMode: "none", displacement,
  }),
});

function resourceStyle(feature: Feature<Point>, resolution: number): Style[] {
  const kind = feature.get("kind") as ResourceKind | undefined;
  if (!kind) return [];
  let icon = iconCache.get(kind);
  if (!icon) {
    icon = new Style({
      image: new Icon({ src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(resourceSymbolSvg(kind))}`, width: iconSize, height: iconSize, displacement }),
    });
    iconCache.set(kind, icon);
  }
  const styles = isSelected("Resource", String(feature.getId())) ? [selectedOutline, icon] : [icon];
  if (resolution <= labelResolution) {
    styles.push(new Style({
      text: new Text({
        text: String(feature.get("name") ?? ""),
        font: "12px system-ui, sans-serif",
        offsetX: displacement[0],
        offsetY: -displacement[1] - 18,
        fill: new Fill({ color: "#1f2937" }),
        stroke: new Stroke({ color: "#fff", width: 4 }),
      }),
    }));
  }
  return styles;
}

/**
 * What the resource symbols show, as a list a screen reader reads with the map (the canvas itself says
 * nothing): each resource's name, kind and where it is.
 */
export function resourceMapList(store: PictureStore): { element: HTMLElement; render(): void } {
  const element = document.createElement("ul");
  element.className = "visually-hidden";
  element.id = "map-resources";
  element.setAttribute("aria-label", m.resource.mapList);
  return {
    element,
    render() {
      element.replaceChildren(...store.all("Resource").sort((a, b) => a.id.localeCompare(b.id)).map((record) => {
        const item = document.createElement("li");
        item.dataset["mapResource"] = record.id;
        item.textContent = resourceLabel(record, store);
        return item;
      }));
    },
  };
}
