/**
 * A loss curve as a standalone SVG string (no DOM, no dependencies): the per-step metric as a
 * thin polyline, the per-epoch training means and validation values as thicker ones, with axes,
 * ticks, a legend and an optional title. Browser-safe; `writeLossCurveSvg` (svg-node.ts) saves it.
 */
import { formatNumber, type History } from "./fit.js";

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

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

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
 */
export function lossCurveSvg(history: History | readonly number[], opts: LossCurveOptions = {}): string {
  const fn = "lossCurveSvg";
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  if (!(Number.isFinite(width) && width >= 100 && Number.isFinite(height) && height >= 80))
    throw new RangeError(`${fn}: width and height must be at least 100 × 80 pixels, got ${width} × ${height}`);
  const metric = opts.metric ?? "loss";
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
    for (const r of h.steps) if (finite(r.metrics[metric])) stepPts.push([r.step, r.metrics[metric]!]);
    if (opts.epochs ?? true) {
      let lastStep = 0;
      for (const e of h.epochs) {
        lastStep += e.steps;
        if (finite(e.train[metric])) epochPts.push([lastStep, e.train[metric]!]);
        if (e.val && finite(e.val[metric])) valPts.push([lastStep, e.val[metric]!]);
      }
    }
  }
  const series: Series[] = [
    { cls: "steps", label: `${metric} (step)`, color: "#9ab8d8", width: 1, pts: stepPts },
    { cls: "epochs", label: `${metric} (epoch mean)`, color: "#1f5fa8", width: 2, pts: epochPts },
    { cls: "val", label: `val ${metric}`, color: "#d9622b", width: 2, pts: valPts },
  ].filter((s) => s.pts.length > 0);

  const left = 64;
  const right = 16;
  const top = opts.title !== undefined ? 36 : 16;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
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
  const tf = (v: number) => (logScale ? Math.log10(v) : v);
  let yLo = Math.min(...all.map(([, v]) => tf(v)));
  let yHi = Math.max(...all.map(([, v]) => tf(v)));
  if (yHi - yLo < 1e-12 * Math.max(1, Math.abs(yHi))) {
    const pad = logScale ? 0.5 : Math.max(Math.abs(yHi) * 0.1, 1e-3);
    yLo -= pad;
    yHi += pad;
  } else {
    const pad = (yHi - yLo) * 0.05;
    yLo -= pad;
    yHi += pad;
  }
  const xLo = 1;
  const xHi = Math.max(2, ...all.map(([s]) => s));
  const sx = (s: number) => left + ((s - xLo) / (xHi - xLo)) * plotW;
  const sy = (v: number) => top + (1 - (tf(v) - yLo) / (yHi - yLo)) * plotH;
  const r2 = (v: number) => v.toFixed(2);

  // Grid, axes and ticks.
  const yTicks = logScale
    ? (() => {
        const t: number[] = [];
        for (let p = Math.ceil(yLo); p <= Math.floor(yHi); p++) t.push(10 ** p);
        return t.length >= 2 ? t : niceTicks(10 ** yLo, 10 ** yHi).filter((v) => v > 0);
      })()
    : niceTicks(yLo, yHi);
  parts.push(`<g class="grid" stroke="#e5e5e5" stroke-width="1">`);
  for (const t of yTicks) parts.push(`<line x1="${left}" y1="${r2(sy(t))}" x2="${left + plotW}" y2="${r2(sy(t))}"/>`);
  parts.push(`</g>`);
  parts.push(
    `<g class="axes" stroke="#333" stroke-width="1"><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/><line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/></g>`,
  );
  parts.push(`<g class="y-ticks" text-anchor="end" fill="#333">`);
  for (const t of yTicks) parts.push(`<text x="${left - 6}" y="${r2(sy(t) + 4)}">${formatNumber(t)}</text>`);
  parts.push(`</g>`);
  parts.push(`<g class="x-ticks" text-anchor="middle" fill="#333">`);
  for (const t of niceTicks(xLo, xHi).filter((v) => Number.isInteger(v) && v >= xLo))
    parts.push(`<text x="${r2(sx(t))}" y="${top + plotH + 16}">${t}</text>`);
  parts.push(`</g>`);
  parts.push(
    `<text class="x-label" x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" fill="#333">step</text>`,
  );
  parts.push(
    `<text class="y-label" x="14" y="${top + plotH / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 14 ${top + plotH / 2})">${escapeXml(metric)}${logScale ? " (log)" : ""}</text>`,
  );

  for (const s of series) {
    const pts = s.pts.map(([x, v]) => `${r2(sx(x))},${r2(sy(v))}`).join(" ");
    parts.push(
      `<polyline class="${s.cls}" fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-linejoin="round" points="${pts}"/>`,
    );
  }
  // Legend (top right).
  parts.push(`<g class="legend">`);
  series.forEach((s, i) => {
    const y = top + 10 + i * 16;
    const x = left + plotW - 150;
    parts.push(
      `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${s.color}" stroke-width="${Math.max(2, s.width)}"/><text x="${x + 26}" y="${y + 4}" fill="#333">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push(`</g>`, `</svg>`);
  return parts.join("\n");
}
