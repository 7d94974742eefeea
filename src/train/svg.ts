/**
 * A loss curve as a standalone SVG string (no DOM, no dependencies): the per-step metric as a
 * thin polyline, the per-epoch training means and validation values as thicker ones, with axes,
 * ticks, a legend and an optional title. Browser-safe; `writeLossCurveSvg` (svg-node.ts) saves it.
 */
import type { History } from "./fit.js";
import { formatNumber } from "./format-number.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";

/** Options for {@link lossCurveSvg}. */
export interface LossCurveOptions {
  /** Pixel width (default 640) and height (default 360). */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** The metric to plot (default `"loss"`). */
  readonly metric?: string;
  /** A logarithmic y axis (all plotted values must be > 0). */
  readonly logScale?: boolean;
  /** Also draw the per-epoch training mean and validation curves (default true). */
  readonly epochs?: boolean;
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

/** Round tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

interface Series {
  readonly cls: string;
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly pts: readonly (readonly [number, number])[];
}

/**
 * The loss curve of a {@link History} (or a plain list of per-step values) as an SVG document.
 * The per-step curve is `<polyline class="steps">` with one point per recorded step that has the
 * metric (non-finite values are left out); `class="epochs"` and `class="val"` hold the per-epoch
 * training means and validation values, placed at each epoch's last step.
 *
 * @example
 * const svg = lossCurveSvg([1, 0.5, 0.25], { title: "loss", logScale: true }); // or a fit result's history
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"'); // true
 */
export function lossCurveSvg(history: History | readonly number[], opts: LossCurveOptions = {}): string {
  const fn = "lossCurveSvg";
  checkOptions(fn, opts, optionKeys<LossCurveOptions>()("width", "height", "title", "metric", "logScale", "epochs"));
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  if (!(Number.isFinite(width) && width >= 100 && Number.isFinite(height) && height >= 80))
    throw new RangeError(`${fn}: width and height must be at least 100 × 80 pixels, got ${width} × ${height}`);
  const metric = opts.metric ?? "loss";
  const series = curveSeries(fn, history, metric, opts.epochs ?? true);
  const top = opts.title !== undefined ? 36 : 16;
  const frame: Frame = { width, height, left: 64, top, plotW: width - 64 - 16, plotH: height - top - 40 };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(opts.title ?? `${metric} curve`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
  ];
  if (opts.title !== undefined)
    parts.push(
      `<text class="title" x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(opts.title)}</text>`,
    );

  const all = series.flatMap((s) => s.pts);
  if (all.length === 0) {
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">no ${escapeXml(metric)} values recorded</text>`,
      "</svg>",
    );
    return parts.join("\n");
  }
  const logScale = opts.logScale ?? false;
  if (logScale && all.some(([, v]) => v <= 0))
    throw new RangeError(`${fn}: logScale needs every plotted ${metric} value to be > 0`);
  const scale = plotScale(frame, all, logScale);
  parts.push(...axesSvg(frame, scale, metric));
  parts.push(...series.map((s) => polylineSvg(s, scale)));
  parts.push(...legendSvg(frame, series), `</svg>`);
  return parts.join("\n");
}

/** The per-step, per-epoch (training mean) and validation series that have points, in drawing order. */
function curveSeries(fn: string, history: History | readonly number[], metric: string, withEpochs: boolean): Series[] {
  const finite = (v: number | undefined): v is number => typeof v === "number" && Number.isFinite(v);
  const stepPts: [number, number][] = [];
  const epochPts: [number, number][] = [];
  const valPts: [number, number][] = [];
  if (globalThis.Array.isArray(history)) {
    (history as readonly number[]).forEach((v, i) => {
      if (finite(v)) stepPts.push([i + 1, v]);
    });
  } else {
    const h = history as History;
    if (!h || !globalThis.Array.isArray(h.steps) || !globalThis.Array.isArray(h.epochs))
      throw new TypeError(`${fn}: expected a fit History ({ steps, epochs }) or a list of numbers`);
    for (const r of h.steps) {
      const v = r.metrics[metric];
      if (finite(v)) stepPts.push([r.step, v]);
    }
    if (withEpochs) {
      let lastStep = 0;
      for (const e of h.epochs) {
        lastStep += e.steps;
        const train = e.train[metric];
        const val = e.val?.[metric];
        if (finite(train)) epochPts.push([lastStep, train]);
        if (finite(val)) valPts.push([lastStep, val]);
      }
    }
  }
  const series: Series[] = [
    { cls: "steps", label: `${metric} (step)`, color: "#9ab8d8", width: 1, pts: stepPts },
    { cls: "epochs", label: `${metric} (epoch mean)`, color: "#1f5fa8", width: 2, pts: epochPts },
    { cls: "val", label: `val ${metric}`, color: "#d9622b", width: 2, pts: valPts },
  ];
  return series.filter((s) => s.pts.length > 0);
}

/** The image size and the plot area inside it (left/top margins, width and height), in pixels. */
interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly plotW: number;
  readonly plotH: number;
}

/** Data → pixel maps for both axes, the padded y range (log10 units on a log axis) and the x range. */
interface PlotScale {
  readonly logScale: boolean;
  readonly yLo: number;
  readonly yHi: number;
  readonly xLo: number;
  readonly xHi: number;
  sx(step: number): number;
  sy(value: number): number;
}

function plotScale(frame: Frame, all: readonly (readonly [number, number])[], logScale: boolean): PlotScale {
  const tf = (v: number) => (logScale ? Math.log10(v) : v);
  let yLo = Math.min(...all.map(([, v]) => tf(v)));
  let yHi = Math.max(...all.map(([, v]) => tf(v)));
  // A flat curve gets a band around its value; otherwise 5% of the range on each side.
  const pad =
    yHi - yLo < 1e-12 * Math.max(1, Math.abs(yHi))
      ? logScale
        ? 0.5
        : Math.max(Math.abs(yHi) * 0.1, 1e-3)
      : (yHi - yLo) * 0.05;
  yLo -= pad;
  yHi += pad;
  const xLo = 1;
  const xHi = Math.max(2, ...all.map(([s]) => s));
  return {
    logScale,
    yLo,
    yHi,
    xLo,
    xHi,
    sx: (s) => frame.left + ((s - xLo) / (xHi - xLo)) * frame.plotW,
    sy: (v) => frame.top + (1 - (tf(v) - yLo) / (yHi - yLo)) * frame.plotH,
  };
}

const r2 = (v: number) => v.toFixed(2);

/** The y tick values: the powers of ten in range on a log axis (round values when fewer than two). */
function yTickValues({ logScale, yLo, yHi }: PlotScale): number[] {
  if (!logScale) return niceTicks(yLo, yHi);
  const t: number[] = [];
  for (let p = Math.ceil(yLo); p <= Math.floor(yHi); p++) t.push(10 ** p);
  return t.length >= 2 ? t : niceTicks(10 ** yLo, 10 ** yHi).filter((v) => v > 0);
}

/** Grid lines, axes, tick labels and axis labels. */
function axesSvg(frame: Frame, scale: PlotScale, metric: string): string[] {
  const { height, left, top, plotW, plotH } = frame;
  const { sx, sy } = scale;
  const yTicks = yTickValues(scale);
  const parts: string[] = [`<g class="grid" stroke="#e5e5e5" stroke-width="1">`];
  for (const t of yTicks) parts.push(`<line x1="${left}" y1="${r2(sy(t))}" x2="${left + plotW}" y2="${r2(sy(t))}"/>`);
  parts.push(`</g>`);
  parts.push(
    `<g class="axes" stroke="#333" stroke-width="1"><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/><line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/></g>`,
  );
  parts.push(`<g class="y-ticks" text-anchor="end" fill="#333">`);
  for (const t of yTicks) parts.push(`<text x="${left - 6}" y="${r2(sy(t) + 4)}">${formatNumber(t)}</text>`);
  parts.push(`</g>`);
  parts.push(`<g class="x-ticks" text-anchor="middle" fill="#333">`);
  for (const t of niceTicks(scale.xLo, scale.xHi).filter((v) => Number.isInteger(v) && v >= scale.xLo))
    parts.push(`<text x="${r2(sx(t))}" y="${top + plotH + 16}">${t}</text>`);
  parts.push(`</g>`);
  parts.push(
    `<text class="x-label" x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" fill="#333">step</text>`,
  );
  parts.push(
    `<text class="y-label" x="14" y="${top + plotH / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 14 ${top + plotH / 2})">${escapeXml(metric)}${scale.logScale ? " (log)" : ""}</text>`,
  );
  return parts;
}

function polylineSvg(s: Series, { sx, sy }: PlotScale): string {
  const pts = s.pts.map(([x, v]) => `${r2(sx(x))},${r2(sy(v))}`).join(" ");
  return `<polyline class="${s.cls}" fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-linejoin="round" points="${pts}"/>`;
}

/** The legend, top right: one line sample and label per series. */
function legendSvg({ left, top, plotW }: Frame, series: readonly Series[]): string[] {
  const parts = [`<g class="legend">`];
  series.forEach((s, i) => {
    const y = top + 10 + i * 16;
    const x = left + plotW - 150;
    parts.push(
      `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${s.color}" stroke-width="${Math.max(2, s.width)}"/><text x="${x + 26}" y="${y + 4}" fill="#333">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push(`</g>`);
  return parts;
}
