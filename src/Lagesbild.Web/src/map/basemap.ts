import TileLayer from "ol/layer/Tile";
import TileWMS from "ol/source/TileWMS";
import XYZ from "ol/source/XYZ";
import type { Basemap } from "../picture/protocol";

/** The optional base map from /api/config: XYZ tiles or a WMS, drawn under everything else. */
export function basemapLayer(basemap: Basemap): TileLayer {
  const attributions = basemap.attribution ? [basemap.attribution] : undefined;
  const source = basemap.type === "wms"
    ? new TileWMS({ url: basemap.url, params: { LAYERS: basemap.layers ?? "", TILED: true }, attributions, crossOrigin: "anonymous" })
    : new XYZ({ url: basemap.url, attributions, crossOrigin: "anonymous" });
  return new TileLayer({ source, zIndex: 0, properties: { name: "basemap" } });
}
