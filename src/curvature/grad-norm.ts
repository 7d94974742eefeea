/** Gradient-norm tracking: the global L2 norm of a gradient pytree and a small history for training loops. */
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { flatten, flattenWithPath } from "../tree/index.js";
import { checkOptions } from "../core/options.js";
import { readVectors, runAsync, runSync, type Reading } from "./host-read.js";

function leafArray(l: unknown, i: number, op: string): Array {
  if (l instanceof Array) return l;
  if (typeof l === "number") return np.array(l, { dtype: "float32" });
  throw new TypeError(
    `${op}: grads leaf ${i} must be a graft array or a number; found ${l === null ? "null" : typeof l}`,
  );
}

/**
 * The global L2 norm of a pytree of arrays, sqrt(Σ over leaves of Σ x²), as a 0-d array (float64
 * if any leaf is float64, else float32). Traceable (use it inside `jit`), and its derivative is 0
 * rather than NaN when every entry is 0. An empty pytree has norm 0.
 *
 * @example
 * gradNorm({ w: np.array([3, 0]), b: np.array([4]) }).item(); // 5
 */
export function gradNorm(grads: unknown): Array {
  const [leaves] = flatten(grads);
  if (leaves.length === 0) return np.array(0, { dtype: "float32" });
  const norms = leaves.map((l, i) => np.norm(leafArray(l, i, "gradNorm")));
  const [only, ...more] = norms;
  if (only !== undefined && more.length === 0) return only;
  const dtype = norms.some((x) => x.dtype === "float64") ? "float64" : "float32";
  return np.norm(np.stack(norms.map((x) => (x.dtype === dtype ? x : x.astype(dtype)))));
}

/** One recorded step of a `GradNormTracker`. */
export interface GradNormRecord {
  step: number;
  /** The global L2 norm. */
  norm: number;
  /** With `perLeaf`: each leaf's L2 norm by its pytree path (e.g. `.layers[0].w`). */
  leaves?: Record<string, number>;
}

/** Summary statistics over a tracker's history (finite norms only, except `nonFinite`). */
export interface GradNormSummary {
  count: number;
  last: number;
  min: number;
  max: number;
  mean: number;
  /** Exponential moving average (decay `emaDecay`). */
  ema: number;
  /** How many recorded norms were NaN or infinite. */
  nonFinite: number;
}

/** Options of `GradNormTracker`. */
export interface GradNormTrackerOptions {
  /** Also record each leaf's norm (default false). */
  perLeaf?: boolean;
  /** Decay of the moving average (default 0.9). */
  emaDecay?: number;
  /** Keep at most this many records, dropping the oldest (default: all). Summary statistics cover everything recorded. */
  maxHistory?: number;
}

/** Running statistics before any record. */
const emptyStats = () => ({
  count: 0,
  min: Infinity,
  max: -Infinity,
  sum: 0,
  finite: 0,
  nonFinite: 0,
  ema: NaN,
  last: NaN,
  step: -1,
});

/**
 * Records gradient norms from a training loop (on the host: each `record` reads one number back).
 * Useful to spot exploding gradients (norms jumping by orders of magnitude), vanishing ones
 * (norms shrinking towards 0 long before the loss is low) and NaNs.
 *
 * @example
 * const tracker = new GradNormTracker();
 * for (let step = 0; step < 100; step++) {
 *   const [loss, g] = valueAndGrad(lossFn)(params);
 *   tracker.record(g);             // or tracker.record(gradNorm(g)) with the norm computed inside jit
 *   params = tree.map((p: Array, gi: Array) => p.sub(gi.mul(lr)), params, g);
 * }
 * console.log(tracker.summary(), tracker.norms);
 */
export class GradNormTracker {
  private readonly records: GradNormRecord[] = [];
  private readonly perLeaf: boolean;
  private readonly decay: number;
  private readonly maxHistory: number;
  private stats = emptyStats();

  constructor(opts: GradNormTrackerOptions = {}) {
    checkOptions("GradNormTracker", opts, [
      "perLeaf",
      "emaDecay",
      "maxHistory",
    ] satisfies (keyof GradNormTrackerOptions)[]);
    this.perLeaf = opts.perLeaf ?? false;
    this.decay = opts.emaDecay ?? 0.9;
    this.maxHistory = opts.maxHistory ?? Infinity;
    if (!(this.decay >= 0 && this.decay < 1))
      throw new RangeError(`GradNormTracker: emaDecay must be in [0, 1), got ${this.decay}`);
    if (!(this.maxHistory >= 1))
      throw new RangeError(`GradNormTracker: maxHistory must be at least 1, got ${this.maxHistory}`);
  }

  /**
   * Records a step: `grads` is a gradient pytree (its global norm is computed here) or an
   * already-computed norm (a 0-d array, e.g. `gradNorm(g)` returned from a jitted step, or a
   * number). `step` defaults to the previous step + 1. Returns the norm.
   */
  record(grads: unknown, step?: number): number {
    return runSync(this.recordRun(grads, step, "GradNormTracker.record"), "GradNormTracker.recordAsync");
  }

  /**
   * {@link GradNormTracker.record} for backends that read asynchronously (WebGPU): the same record,
   * with the norms read by `await x.data()`. Await each call before the next (or pass `step`):
   * the default step is taken when the read completes.
   *
   * @example
   * const tracker = new GradNormTracker();
   * const norm = await tracker.recordAsync(gradsOnGpu); // also appended to tracker.history
   */
  recordAsync(grads: unknown, step?: number): Promise<number> {
    return runAsync(this.recordRun(grads, step, "GradNormTracker.recordAsync"));
  }

  /** One record: the norms are computed on the gradients' backend, read back, then added to the history. */
  private *recordRun(grads: unknown, step: number | undefined, op: string): Reading<number> {
    if (step !== undefined && step !== null && !Number.isFinite(step))
      throw new TypeError(`${op}: step must be a finite number, got ${step}`);
    let norm: number;
    let leaves: Record<string, number> | undefined;
    if (typeof grads === "number") norm = Math.abs(grads);
    else if (grads instanceof Array && grads.ndim === 0 && !this.perLeaf) {
      const [v] = yield* readVectors([grads], op);
      norm = Math.abs(v![0]!);
    } else {
      const total = gradNorm(grads);
      const named = this.perLeaf
        ? flattenWithPath(grads)[0].map(([path, l]) => [path || ".", np.norm(leafArray(l, 0, op))] as const)
        : [];
      const [v, ...perLeaf] = yield* readVectors([total, ...named.map(([, x]) => x)], op);
      norm = v![0]!;
      if (this.perLeaf) {
        const byPath: Record<string, number> = {};
        // One vector per requested norm, in the order of `named`.
        named.forEach(([path], i) => (byPath[path] = perLeaf[i]![0]!));
        leaves = byPath;
      }
    }
    this.add(norm, leaves, step ?? this.stats.step + 1);
    return norm;
  }

  private add(norm: number, leaves: Record<string, number> | undefined, s: number): void {
    const rec: GradNormRecord = leaves ? { step: s, norm, leaves } : { step: s, norm };
    this.records.push(rec);
    if (this.records.length > this.maxHistory) this.records.shift();
    const st = this.stats;
    st.count++;
    st.step = s;
    st.last = norm;
    if (Number.isFinite(norm)) {
      st.finite++;
      st.min = Math.min(st.min, norm);
      st.max = Math.max(st.max, norm);
      st.sum += norm;
      st.ema = Number.isNaN(st.ema) ? norm : this.decay * st.ema + (1 - this.decay) * norm;
    } else st.nonFinite++;
  }

  /** The recorded steps (the most recent `maxHistory`). */
  get history(): readonly GradNormRecord[] {
    return this.records;
  }

  /** The recorded global norms, oldest first. */
  get norms(): number[] {
    return this.records.map((r) => r.norm);
  }

  /** Statistics over every recorded step (NaN fields while nothing finite was recorded). */
  summary(): GradNormSummary {
    const st = this.stats;
    const any = st.finite > 0;
    return {
      count: st.count,
      last: st.last,
      min: any ? st.min : NaN,
      max: any ? st.max : NaN,
      mean: any ? st.sum / st.finite : NaN,
      ema: st.ema,
      nonFinite: st.nonFinite,
    };
  }

  /** Forgets everything recorded. */
  reset(): void {
    this.records.length = 0;
    this.stats = emptyStats();
  }
}
