import type { CityLevel, PointStatus, Situation } from "../picture/protocol";

/**
 * One symbol per trygghetspunkt status. Shape AND colour both carry the status,
 * so it reads without colour vision too; the same SVG is drawn on the map, in the
 * legend and in the list.
 */
export type SymbolShape = "small-circle" | "triangle" | "circle-check" | "diamond" | "inverted-triangle" | "cross";

export interface PointSymbol { shape: SymbolShape; color: string; status: PointStatus }

const symbolFor: Record<PointStatus, { shape: SymbolShape; color: string }> = {
  Inactive: { shape: "small-circle", color: "#6b7280" },
  Activating: { shape: "triangle", color: "#d97706" },
  Open: { shape: "circle-check", color: "#15803d" },
  Limited: { shape: "diamond", color: "#ea580c" },
  Closing: { shape: "inverted-triangle", color: "#6d28d9" },
  Closed: { shape: "cross", color: "#1f2937" },
};

const symbols = new Map<PointStatus, PointSymbol>();

export function pointSymbol(status: PointStatus): PointSymbol {
  // One object per status: a feature given the symbol it has is not changed, so the map is not redrawn for it.
  let symbol = symbols.get(status);
  if (!symbol) symbols.set(status, (symbol = { ...symbolFor[status], status }));
  return symbol;
}


const outline = "#111827";

/** Each shape's outline on a 24×24 grid; the same paths are drawn as SVG (legend, lists) and on the map's canvas. */
const shapePath: Record<SymbolShape, string> = {
  "small-circle": "M12 7a5 5 0 1 0 0.001 0Z",
  "triangle": "M12 2.5 21.5 20H2.5Z",
  "circle-check": "M12 2.8a9.2 9.2 0 1 0 0.001 0Z",
  "diamond": "M12 1.8 22.2 12 12 22.2 1.8 12Z",
  "inverted-triangle": "M2.5 4H21.5L12 21.5Z",
  "cross": "M4.2 7.6 7.6 4.2 12 8.6 16.4 4.2 19.8 7.6 15.4 12 19.8 16.4 16.4 19.8 12 15.4 7.6 19.8 4.2 16.4 8.6 12Z",
};
const checkMark = "M7.4 12.4l3.1 3.1 6.1-6.6";

// Each outline is drawn twice: a white halo first, so the symbol stands out on any base map.
function shapeSvg(shape: SymbolShape, color: string): string {
  const d = shapePath[shape];
  return `<path d="${d}" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/>` +
    `<path d="${d}" fill="${color}" stroke="${outline}" stroke-width="1.3" stroke-linejoin="round"/>` +
    (shape === "circle-check"
      ? `<path d="${checkMark}" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>`
      : "");
}

export function pointSymbolSvg(status: PointStatus, size = 24): string {
  const { shape, color } = symbolFor[status];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">${shapeSvg(shape, color)}</svg>`;
}

/**
 * The same symbol drawn on a canvas of `size` CSS pixels at `ratio` device pixels each, for the map: an
 * SVG image is rasterised again whenever it is drawn scaled, which with hundreds of points was most of a
 * frame while the map moved; a canvas of the screen's own resolution is copied as it is.
 */
export function pointSymbolCanvas(status: PointStatus, size: number, ratio: number): HTMLCanvasElement {
  const { shape, color } = symbolFor[status];
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = Math.ceil(size * ratio);
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  context.scale((size * ratio) / 24, (size * ratio) / 24);
  context.lineJoin = "round";
  const body = new Path2D(shapePath[shape]);
  context.strokeStyle = "#fff";
  context.lineWidth = 4;
  context.stroke(body);
  context.fillStyle = color;
  context.fill(body);
  context.strokeStyle = outline;
  context.lineWidth = 1.3;
  context.stroke(body);
  if (shape === "circle-check") {
    context.strokeStyle = "#fff";
    context.lineWidth = 2.6;
    context.lineCap = "round";
    context.stroke(new Path2D(checkMark));
  }
  return canvas;
}

/** Fill and outline of a district area by its situation; the label always names the situation too. */
export const situationStyle: Record<Situation, { fill: [number, number, number, number]; stroke: string; width: number; swatch: string }> = {
  Normal: { fill: [148, 163, 184, 0.16], stroke: "#475569", width: 1.2, swatch: "#e2e8f0" },
  Strained: { fill: [250, 204, 21, 0.38], stroke: "#a16207", width: 2, swatch: "#fde047" },
  Serious: { fill: [249, 115, 22, 0.42], stroke: "#c2410c", width: 2.5, swatch: "#fb923c" },
  Critical: { fill: [220, 38, 38, 0.45], stroke: "#991b1b", width: 3.5, swatch: "#ef4444" },
};

export const waterColor = "#c7ddf5";

/** The escalation level's step on the ladder, shown beside its name (never colour alone). */
export const cityLevelStep: Record<CityLevel, number> = {
  Normal: 0, SocietalDisturbance: 1, ExtraordinaryEvent: 2, HeightenedAlert: 3, HighestAlert: 4,
};
