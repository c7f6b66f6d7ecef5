import type { ConnectionState } from "./live/connection";
import type { PictureMap } from "./map/pictureMap";
import type { PointSymbol } from "./map/symbols";

/**
 * Hooks for the browser tests (kept small on purpose). Besides `window.lagesbild`,
 * the DOM carries `<body data-connection="…" data-last-seq="N">` and each point
 * list item `data-point-id` + `data-status`.
 */
export interface LagesbildTestHooks {
  /** Sequence number of the picture on screen: list and map are rendered up to it (0 before the first snapshot). */
  lastSeq(): number;
  connection(): ConnectionState;
  /** District areas drawn on the map. */
  areaCount(): number;
  /** The symbol a trygghetspunkt is drawn with, or null when it is not on the map. */
  pointSymbol(id: string): PointSymbol | null;
  /** Ids of the trygghetspunkter on the map, sorted. */
  pointIds(): string[];
}

declare global {
  interface Window { lagesbild: LagesbildTestHooks }
}

export function installTestHooks(shownSeq: () => number, connection: () => ConnectionState, map: PictureMap): void {
  window.lagesbild = {
    lastSeq: shownSeq,
    connection,
    areaCount: () => map.areaCount(),
    pointSymbol: (id) => {
      const symbol = map.pointSymbol(id);
      return symbol ? { ...symbol } : null;
    },
    pointIds: () => map.pointIds(),
  };
}

/** Mirrors the connection state and sequence number onto <body> for tests and CSS. */
export function reflectOnBody(state: ConnectionState, lastSeq: number): void {
  document.body.dataset["connection"] = state;
  document.body.dataset["lastSeq"] = String(lastSeq);
}
