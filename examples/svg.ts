/**
 * A few hand-rolled SVG helpers for the examples: linear/log axes, panels with ticks, polylines
 * thinned to the pixel grid, contour lines by marching squares, and a legend. Plain strings, no
 * dependencies (graft's own `train.lossCurveSvg` covers the common single-curve case).
 *
 * @example
 * const p = panel({ x: 60, y: 30, width: 400, height: 300, xDomain: [1, 1000], yDomain: [1e-6, 10], xLog: true, yLog: true });
 * const svg = svgDocument(520, 380, [p.frame("loss"), p.polyline(points, "#1f77b4")]);
 */

/** Ten distinguishable colors (matplotlib's tab10). */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

const r2 = (v: number): string => (Math.round(v * 100) / 100).toString();

/** A standalone SVG document (white background, sans-serif text). */
export function svgDocument(width: number, height: number, body: readonly string[], title?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    ...(title !== undefined ? [`<title>${escapeXml(title)}</title>`] : []),
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    ...body,
    `</svg>`,
  ].join("\n");
}

/** Text at (x, y); `anchor` is SVG's text-anchor. */
export function text(
  x: number,
  y: number,
  s: string,
  opts: { anchor?: "start" | "middle" | "end"; size?: number; color?: string; bold?: boolean } = {},
): string {
  const attrs = [
    `x="${r2(x)}"`,
    `y="${r2(y)}"`,
    `text-anchor="${opts.anchor ?? "start"}"`,
    `fill="${opts.color ?? "#333"}"`,
  ];
  if (opts.size !== undefined) attrs.push(`font-size="${opts.size}"`);
  if (opts.bold) attrs.push(`font-weight="bold"`);
  return `<text ${attrs.join(" ")}>${escapeXml(s)}</text>`;
}

/** Round tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten in [lo, hi], thinned to at most `max` ticks. */
function logTicks(lo: number, hi: number, max = 8): number[] {
  const p0 = Math.ceil(Math.log10(lo) - 1e-9);
  const p1 = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((p1 - p0 + 1) / max));
  const out: number[] = [];
  for (let p = p0; p <= p1; p++) if ((p - p0) % every === 0) out.push(10 ** p);
  return out;
}

const tickLabel = (v: number, log: boolean): string => {
  if (log && v > 0) {
    const p = Math.round(Math.log10(v));
    return p >= 0 && p <= 4 ? String(10 ** p) : `1e${p}`;
  }
  return String(Number(v.toPrecision(6)));
};

/** Options of {@link panel}: the pixel rectangle and the data ranges shown in it. */
export interface PanelOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  xLog?: boolean;
  yLog?: boolean;
  /** An x axis in log10(1 + x), for counts that start at 0 (ticks at 0, 1, 10, 100, ...). */
  xLog1p?: boolean;
}

let clipIds = 0;

/** A rectangular plot area mapping data coordinates to pixels, with helpers that draw into it. */
export function panel(o: PanelOptions) {
  const tx = (v: number) => (o.xLog1p ? Math.log10(1 + v) : o.xLog ? Math.log10(v) : v);
  const ty = (v: number) => (o.yLog ? Math.log10(v) : v);
  const [x0, x1] = [tx(o.xDomain[0]), tx(o.xDomain[1])];
  const [y0, y1] = [ty(o.yDomain[0]), ty(o.yDomain[1])];
  /** Pixel coordinates of a data point (clamped far outside the panel so they stay finite). */
  const px = (x: number, y: number): [number, number] => {
    const X = o.x + ((tx(x) - x0) / (x1 - x0)) * o.width;
    const Y = o.y + (1 - (ty(y) - y0) / (y1 - y0)) * o.height;
    const clamp = (v: number, lo: number, span: number) => Math.min(lo + 10 * span, Math.max(lo - 9 * span, v));
    return [clamp(X, o.x, o.width), clamp(Y, o.y, o.height)];
  };
  const clipId = `clip${clipIds++}`;
  const clip = `<clipPath id="${clipId}"><rect x="${o.x}" y="${o.y}" width="${o.width}" height="${o.height}"/></clipPath>`;

  /** Axes, grid, ticks, axis labels and a title. */
  const frame = (opts: { title?: string; xLabel?: string; yLabel?: string } = {}): string => {
    const parts: string[] = [clip, `<g class="grid" stroke="#ececec" stroke-width="1">`];
    const xt = o.xLog1p
      ? [0, ...logTicks(1, o.xDomain[1])]
      : o.xLog
        ? logTicks(o.xDomain[0], o.xDomain[1])
        : niceTicks(o.xDomain[0], o.xDomain[1]);
    const yt = o.yLog ? logTicks(o.yDomain[0], o.yDomain[1]) : niceTicks(o.yDomain[0], o.yDomain[1]);
    for (const t of xt)
      parts.push(
        `<line x1="${r2(px(t, o.yDomain[0])[0])}" y1="${o.y}" x2="${r2(px(t, o.yDomain[0])[0])}" y2="${o.y + o.height}"/>`,
      );
    for (const t of yt)
      parts.push(
        `<line x1="${o.x}" y1="${r2(px(o.xDomain[0], t)[1])}" x2="${o.x + o.width}" y2="${r2(px(o.xDomain[0], t)[1])}"/>`,
      );
    parts.push(
      `</g>`,
      `<rect x="${o.x}" y="${o.y}" width="${o.width}" height="${o.height}" fill="none" stroke="#333"/>`,
    );
    for (const t of xt)
      parts.push(
        text(px(t, o.yDomain[0])[0], o.y + o.height + 14, tickLabel(t, (o.xLog ?? false) || (o.xLog1p ?? false)), {
          anchor: "middle",
        }),
      );
    for (const t of yt)
      parts.push(text(o.x - 5, px(o.xDomain[0], t)[1] + 4, tickLabel(t, o.yLog ?? false), { anchor: "end" }));
    if (opts.title)
      parts.push(text(o.x + o.width / 2, o.y - 8, opts.title, { anchor: "middle", size: 13, bold: true }));
    if (opts.xLabel) parts.push(text(o.x + o.width / 2, o.y + o.height + 30, opts.xLabel, { anchor: "middle" }));
    if (opts.yLabel) {
      const cx = o.x - 42;
      const cy = o.y + o.height / 2;
      parts.push(
        `<text x="${cx}" y="${cy}" text-anchor="middle" fill="#333" transform="rotate(-90 ${cx} ${cy})">${escapeXml(opts.yLabel)}</text>`,
      );
    }
    return parts.join("\n");
  };

  /**
   * A polyline through data points, clipped to the panel. Points closer than `minPixels` to the
   * previously kept one are dropped (the last point is always kept), so a 20 000-step trajectory
   * costs only as many points as it has visible detail. Non-finite points end the line.
   */
  const polyline = (
    points: readonly (readonly [number, number])[],
    color: string,
    opts: { width?: number; minPixels?: number; opacity?: number } = {},
  ): string => {
    const minPx = opts.minPixels ?? 0.75;
    const kept: [number, number][] = [];
    for (let i = 0; i < points.length; i++) {
      const [x, y] = points[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y) || (o.xLog && x <= 0) || (o.xLog1p && x < 0) || (o.yLog && y <= 0))
        break;
      const p = px(x, y);
      const last = kept[kept.length - 1];
      if (last === undefined || i === points.length - 1 || Math.hypot(p[0] - last[0], p[1] - last[1]) >= minPx)
        kept.push(p);
    }
    const pts = kept.map(([a, b]) => `${r2(a)},${r2(b)}`).join(" ");
    return `<polyline clip-path="url(#${clipId})" fill="none" stroke="${color}" stroke-width="${opts.width ?? 1.5}" stroke-linejoin="round"${opts.opacity !== undefined ? ` stroke-opacity="${opts.opacity}"` : ""} points="${pts}"/>`;
  };

  /** A small marker at a data point: a filled circle, or a cross with `shape: "cross"`. */
  const marker = (x: number, y: number, color: string, shape: "circle" | "cross" = "circle", size = 4): string => {
    const [a, b] = px(x, y);
    if (shape === "circle")
      return `<circle cx="${r2(a)}" cy="${r2(b)}" r="${size}" fill="${color}" stroke="white" stroke-width="1"/>`;
    return `<path d="M${r2(a - size)},${r2(b - size)}L${r2(a + size)},${r2(b + size)}M${r2(a - size)},${r2(b + size)}L${r2(a + size)},${r2(b - size)}" stroke="${color}" stroke-width="2.5"/>`;
  };

  /** Contour lines of a grid of values (see {@link contourSegments}) as one path per level. */
  const contours = (grid: Grid, levels: readonly number[], color = "#b8b8b8"): string => {
    const parts: string[] = [
      `<g class="contours" fill="none" stroke="${color}" stroke-width="0.8" clip-path="url(#${clipId})">`,
    ];
    for (const level of levels) {
      const d = contourSegments(grid, level)
        .map(([[xa, ya], [xb, yb]]) => {
          const [a, b] = px(xa, ya);
          const [c, e] = px(xb, yb);
          return `M${r2(a)},${r2(b)}L${r2(c)},${r2(e)}`;
        })
        .join("");
      if (d) parts.push(`<path d="${d}"/>`);
    }
    parts.push(`</g>`);
    return parts.join("\n");
  };

  return { ...o, px, frame, polyline, marker, contours, clipId };
}

/** Values of f on a regular grid: `values[j * nx + i]` = f(xs[i], ys[j]). */
export interface Grid {
  xs: readonly number[];
  ys: readonly number[];
  values: ArrayLike<number>;
}

/**
 * The segments of the contour line `f = level` over a grid, by marching squares: each cell's
 * corners are classified above/below the level and the crossing points on its edges are found by
 * linear interpolation. Saddle cells (two opposite corners above) are split by the cell's mean.
 */
export function contourSegments(grid: Grid, level: number): [[number, number], [number, number]][] {
  const { xs, ys, values } = grid;
  const nx = xs.length;
  const v = (i: number, j: number) => values[j * nx + i]!;
  const segs: [[number, number], [number, number]][] = [];
  const lerp = (a: number, b: number, fa: number, fb: number) => a + ((level - fa) / (fb - fa)) * (b - a);
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const f00 = v(i, j),
        f10 = v(i + 1, j),
        f11 = v(i + 1, j + 1),
        f01 = v(i, j + 1);
      const code = (f00 > level ? 1 : 0) | (f10 > level ? 2 : 0) | (f11 > level ? 4 : 0) | (f01 > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const [x0, x1, y0, y1] = [xs[i]!, xs[i + 1]!, ys[j]!, ys[j + 1]!];
      // Crossing points on the bottom, right, top and left edges.
      const B: [number, number] = [lerp(x0, x1, f00, f10), y0];
      const R: [number, number] = [x1, lerp(y0, y1, f10, f11)];
      const T: [number, number] = [lerp(x0, x1, f01, f11), y1];
      const L: [number, number] = [x0, lerp(y0, y1, f00, f01)];
      const centerAbove = (f00 + f10 + f11 + f01) / 4 > level;
      switch (code) {
        case 1:
        case 14:
          segs.push([L, B]);
          break;
        case 2:
        case 13:
          segs.push([B, R]);
          break;
        case 3:
        case 12:
          segs.push([L, R]);
          break;
        case 4:
        case 11:
          segs.push([R, T]);
          break;
        case 6:
        case 9:
          segs.push([B, T]);
          break;
        case 7:
        case 8:
          segs.push([L, T]);
          break;
        case 5:
          if (centerAbove) segs.push([L, T], [B, R]);
          else segs.push([L, B], [R, T]);
          break;
        case 10:
          if (centerAbove) segs.push([L, B], [R, T]);
          else segs.push([L, T], [B, R]);
          break;
      }
    }
  }
  return segs;
}

/** A legend box: one colored line and label per entry, in rows starting at (x, y). */
export function legend(
  x: number,
  y: number,
  entries: readonly { label: string; color: string }[],
  opts: { columns?: number; columnWidth?: number; rowHeight?: number } = {},
): string {
  const columns = opts.columns ?? 1;
  const cw = opts.columnWidth ?? 130;
  const rh = opts.rowHeight ?? 16;
  const parts = [`<g class="legend">`];
  entries.forEach((e, k) => {
    const cx = x + (k % columns) * cw;
    const cy = y + Math.floor(k / columns) * rh;
    parts.push(
      `<line x1="${cx}" y1="${cy}" x2="${cx + 22}" y2="${cy}" stroke="${e.color}" stroke-width="3"/>`,
      text(cx + 28, cy + 4, e.label),
    );
  });
  parts.push(`</g>`);
  return parts.join("\n");
}
