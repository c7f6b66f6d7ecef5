import type { ConnectionState } from "./live/connection";
import type { PictureMap } from "./map/pictureMap";
import type { PointSymbol } from "./map/symbols";
import type { User } from "./picture/access";

/**
 * Hooks for the browser tests (kept small on purpose). Besides `window.lagesbild`,
 * the DOM carries `<body data-view="sign-in|operators|public" data-connection="…"
 * data-last-seq="N">`, each point list item `data-point-id` + `data-status`, and
 * each change's button and form `data-command` (a button the signed-in person may
 * not use is `disabled`).
 */
export interface LagesbildTestHooks {
  /** Sequence number of the picture on screen: list and map are rendered up to it (0 before the first snapshot). */
  lastSeq(): number;
  connection(): ConnectionState;
  /** District areas drawn on the map. */
  areaCount(): number;
  /** The symbol a trygghetspunkt is drawn with, or null when it is not on the map. */
  pointSymbol(id: string): PointSymbol | null;
  /** Whether a trygghetspunkt carries the attention mark on the map. */
  pointAttention(id: string): boolean;
  /** Whether a district's area carries the flag of a late lägesrapport on the map. */
  areaReportOverdue(district: string): boolean;
  /** Ids of the trygghetspunkter on the map, sorted. */
  pointIds(): string[];
  /** Where a tracked resource is drawn on the operators' map (WGS 84, 6 decimals) and its Swedish label, or null. */
  resourceOnMap(id: string): { lon: number; lat: number; label: string } | null;
  /** The signed-in person, or null on the sign-in screen and the anonymous public view. */
  user(): User | null;
  /** The map's view: its centre (map units) and resolution (metres per pixel); null without a map. */
  mapView(): { center: number[]; resolution: number } | null;
  /** The warning areas drawn (alerts from outside taken into the picture, and the one shown on the map), by alert id. */
  warningAreas(): { id: string; headline: string; sender: string; accepted: boolean; selected: boolean }[];
}

/** The operators' picture, as the hooks read it. */
export interface PictureView {
  shownSeq(): number;
  connection(): ConnectionState;
  map: PictureMap;
}

declare global {
  interface Window { lagesbild: LagesbildTestHooks }
}

export type PageView = "sign-in" | "operators" | "public";

/** Installs the hooks for the page shown; without a picture (sign-in, public view) they report an empty, unconnected map. */
export function installTestHooks(view: PageView, user: User | null, picture: PictureView | null = null): void {
  document.body.dataset["view"] = view;
  window.lagesbild = {
    lastSeq: () => picture?.shownSeq() ?? 0,
    connection: () => picture?.connection() ?? "disconnected",
    areaCount: () => picture?.map.areaCount() ?? 0,
    pointSymbol: (id) => {
      const symbol = picture?.map.pointSymbol(id);
      return symbol ? { ...symbol } : null;
    },
    pointAttention: (id) => picture?.map.pointAttention(id) ?? false,
    areaReportOverdue: (district) => picture?.map.areaReportOverdue(district) ?? false,
    pointIds: () => picture?.map.pointIds() ?? [],
    resourceOnMap: (id) => picture?.map.resourceOnMap(id) ?? null,
    mapView: () => {
      const view = picture?.map.map.getView();
      const center = view?.getCenter();
      const resolution = view?.getResolution();
      return center && resolution !== undefined ? { center: [...center], resolution } : null;
    },
    warningAreas: () => picture?.map.warningAreas() ?? [],
    user: () => (user ? { name: user.name, role: user.role, district: user.district, sector: user.sector } : null),
  };
}

/** Mirrors the connection state and sequence number onto <body> for tests and CSS. */
export function reflectOnBody(state: ConnectionState, lastSeq: number): void {
  // Every frame of a replay calls this: an attribute set to the value it holds still counts as a mutation.
  const { dataset } = document.body;
  if (dataset["connection"] !== state) dataset["connection"] = state;
  if (dataset["lastSeq"] !== String(lastSeq)) dataset["lastSeq"] = String(lastSeq);
}
