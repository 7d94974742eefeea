/** `formatTable`: a plain-text table of hyperparameter search results. */
import { formatNumber } from "./format-number.js";
import type { SearchResult } from "./search-types.js";
import { checkOptions } from "../core/options.js";

function cell(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Options for {@link formatTable}. */
export interface FormatTableOptions {
  /** Show at most this many rows (default all). */
  readonly maxRows?: number;
}

/**
 * A plain-text table of search results: rank, each hyperparameter, the score, and (when present)
 * the fold spread (± standard deviation over folds) and the stage.
 *
 * @example
 * formatTable(gridSearch({ lr: [0.1, 0.01] }, ({ lr }) => Math.abs(Math.log10(lr) + 2)));
 * // #  lr    score
 * // -  ----  -----
 * // 1  0.01      0
 * // 2  0.1       1
 */
export function formatTable<P>(results: readonly SearchResult<P>[], opts: FormatTableOptions = {}): string {
  if (!globalThis.Array.isArray(results as unknown))
    throw new TypeError("formatTable: expected the list returned by a search");
  checkOptions("formatTable", opts, ["maxRows"]);
  const rows = opts.maxRows !== undefined ? results.slice(0, Math.max(0, opts.maxRows)) : results;
  const names: string[] = [];
  for (const r of rows) for (const k of Object.keys((r.params ?? {}) as object)) if (!names.includes(k)) names.push(k);
  const hasFolds = rows.some((r) => r.scores !== undefined);
  const hasStage = rows.some((r) => r.stage !== undefined);
  const header = ["#", ...names, "score", ...(hasFolds ? ["± folds"] : []), ...(hasStage ? ["stage"] : [])];
  const body = rows.map((r, i) => {
    const p = (r.params ?? {}) as Record<string, unknown>;
    let spread = "";
    if (r.scores && r.scores.length > 0) {
      const m = r.scores.reduce((a, b) => a + b, 0) / r.scores.length;
      spread = formatNumber(Math.sqrt(r.scores.reduce((a, b) => a + (b - m) ** 2, 0) / r.scores.length));
    }
    return [
      String(i + 1),
      ...names.map((k) => cell(p[k])),
      formatNumber(r.score),
      ...(hasFolds ? [spread] : []),
      ...(hasStage ? [r.stage ?? ""] : []),
    ];
  });
  // Every row has the header's columns, so row[c] and widths[c] exist.
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((s, c) => (c === 0 || c > names.length ? s.padStart(widths[c]!) : s.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of body) out.push(line(row));
  if (rows.length < results.length) out.push(`(${results.length - rows.length} more)`);
  return out.join("\n");
}
