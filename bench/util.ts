/**
 * Benchmark helpers: a median-of-N timer built on `process.hrtime.bigint()`, and the row type the
 * benchmark files return.
 *
 * `timeIt(fn, { inner, samples, warmup })` runs `warmup` untimed batches, then `samples` timed
 * batches of `inner` back-to-back calls, and reports the median (and min/max) time per call in
 * nanoseconds. Batching amortises the timer's own cost for sub-microsecond operations.
 */

/** Per-call timing statistics, in nanoseconds. */
export interface Timing {
  medianNs: number;
  minNs: number;
  maxNs: number;
  /** Timed batches (the N in median-of-N). */
  samples: number;
  /** Calls per batch. */
  inner: number;
}

export interface TimeOptions {
  /** Calls per timed batch (default 1). */
  inner?: number;
  /** Timed batches (default 21). */
  samples?: number;
  /** Untimed batches run first, to let V8 optimise and caches fill (default 3). */
  warmup?: number;
}

/** Keeps results observable so V8 cannot drop the benchmarked work as dead code. */
let sinkCount = 0;
export function consume(v: unknown): void {
  if (v === sinkCount) sinkCount++;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median: no samples (timeIt needs samples >= 1)");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median time per call of `fn`, over `samples` batches of `inner` calls (see the file header). */
export function timeIt(fn: () => unknown, opts: TimeOptions = {}): Timing {
  const inner = opts.inner ?? 1;
  const samples = opts.samples ?? 21;
  const batch = (): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) consume(fn());
    return Number(process.hrtime.bigint() - t0) / inner;
  };
  for (let i = 0; i < (opts.warmup ?? 3); i++) batch();
  const per: number[] = [];
  for (let i = 0; i < samples; i++) per.push(batch());
  return { medianNs: median(per), minNs: Math.min(...per), maxNs: Math.max(...per), samples, inner };
}

/** Units a row can be reported in, with their size in nanoseconds. */
export const UNITS = { ns: 1, µs: 1e3, ms: 1e6 } as const;
export type Unit = keyof typeof UNITS;

/** One measured quantity: graft's timing, and TensorFlow.js's when it was measured. */
export interface Row {
  id: string;
  what: string;
  unit: Unit;
  graft: Timing;
  tfjs?: Timing;
}

/** A number in `unit`, with about 3 significant digits. */
export function fmt(ns: number, unit: Unit): string {
  const v = ns / UNITS[unit];
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A fixed-width text table of medians (and graft/tfjs ratios where both exist). */
export function formatTable(rows: readonly Row[]): string {
  const head = ["id", "measurement", "unit", "graft", "tfjs-cpu", "graft/tfjs", "N×inner"];
  const body = rows.map((r) => [
    r.id,
    r.what,
    r.unit,
    fmt(r.graft.medianNs, r.unit),
    r.tfjs ? fmt(r.tfjs.medianNs, r.unit) : "-",
    r.tfjs ? `${(r.graft.medianNs / r.tfjs.medianNs).toFixed(2)}×` : "-",
    `${r.graft.samples}×${r.graft.inner}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
