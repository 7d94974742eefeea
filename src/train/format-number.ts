/** Number and duration formats of `fit`'s progress lines (also used by the SVG ticks and search tables). */

/**
 * A number for progress lines: 4 significant digits, exponent form when very small or large.
 * @example
 * formatNumber(3.14159); // "3.142"
 * formatNumber(0.000123456); // "1.235e-4"
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e6) return String(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(4)));
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s - 60 * m)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export const formatMetrics = (m: Readonly<Record<string, number>>, prefix = ""): string =>
  Object.entries(m)
    .map(([k, v]) => `${prefix}${k} ${formatNumber(v)}`)
    .join("  ");
