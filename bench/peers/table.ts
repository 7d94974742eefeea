/**
 * Plain-text tables for `npm run bench:peers` (run.ts): cells from the children's results, ratios
 * between libraries, and column alignment. Pure functions of the results; nothing is printed here.
 */
import type { LibraryResult, WorkloadResult } from "./harness.js";

type TimeKey = "medianMs" | "firstMs";

/** Milliseconds with about three significant digits. */
export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** A library's result for a workload, if it reported one. */
export const find = (lib: LibraryResult, id: string): WorkloadResult | undefined =>
  lib.results.find((r) => r.id === id);

/** A library's time for a workload, when it ran and passed its check. */
export function ms(lib: LibraryResult, id: string, key: TimeKey): number | undefined {
  const r = find(lib, id);
  return lib.available && r?.status === "ok" ? r[key] : undefined;
}

/** The table cell of a library's workload: a time, or why there is none. */
export function cell(lib: LibraryResult, id: string, key: TimeKey): string {
  if (!lib.available) return "n/a";
  const r = find(lib, id);
  if (!r) return "?";
  if (r.status === "unsupported") return "—";
  if (r.status !== "ok") return r.status;
  const v = r[key];
  return v === undefined ? "?" : fmtMs(v);
}

/** The fastest of `libs` on a workload, if any ran it. */
export function fastest(
  libs: readonly LibraryResult[],
  id: string,
  key: TimeKey,
): { lib: string; ms: number } | undefined {
  let best: { lib: string; ms: number } | undefined;
  for (const l of libs) {
    const t = ms(l, id, key);
    if (t !== undefined && (!best || t < best.ms)) best = { lib: l.library, ms: t };
  }
  return best;
}

/** `num ÷ den` as "0.42×" (and the denominator's name when given); `missing` when either is absent. */
export function ratio(num: number | undefined, den: { ms: number; lib?: string } | undefined, missing: string): string {
  if (num === undefined || !den) return missing;
  return `${(num / den.ms).toFixed(2)}×${den.lib ? ` (${den.lib})` : ""}`;
}

/** Columns padded to their widest cell: the first two left-aligned (id, workload), the rest right. */
export function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
