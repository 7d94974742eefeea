/** Coarse-to-fine search: a sparse coarse stage, then fine rounds narrowed around the best results (log scale aware). */
import { splitKeys, type KeyLike } from "./keys.js";
import { checkMode, evaluateAll, makeScorer, sortResults, type Scorer } from "./search-scoring.js";
import { checkN, parseSpace, requireKey, sampleDims, type Dim } from "./search-space.js";
import type {
  CoarsePoint,
  CoarseSpace,
  CrossValidation,
  CrossValidationData,
  CvEval,
  Distribution,
  PlainEval,
  RandomSpace,
  Score,
  SearchOptions,
  SearchResult,
} from "./search-types.js";
import { checkOptions } from "../core/options.js";

/** Options for {@link coarseToFine}. */
export interface CoarseToFineOptions extends SearchOptions {
  /** Stage 1 budget: samples (random) or points per dimension (grid). */
  readonly coarse: number;
  /** Each fine round's budget: samples (random) or points per dimension (grid). */
  readonly fine: number;
  /** How many of the best results of a stage define the next stage's ranges (default max(2, 20% of the stage)). */
  readonly keepTop?: number;
  /** The PRNG key (or integer seed); required for `method: "random"` and for shuffled folds. */
  readonly key?: KeyLike;
  /** `"random"` (default) samples; `"grid"` takes evenly spaced points (log-spaced for log ranges). */
  readonly method?: "random" | "grid";
  /** The number of fine rounds (default 1): each narrows around the previous round's best results. */
  readonly rounds?: number;
}

/** The sorted table plus the space searched by each stage (`spaces[0]` coarse, then each fine round). */
export type CoarseToFineResults<P> = SearchResult<P>[] & { readonly spaces: readonly RandomSpace[] };

function dimToDist(d: Dim): Distribution {
  switch (d.kind) {
    case "uniform":
      return { uniform: [d.lo, d.hi] };
    case "logUniform":
      return { logUniform: [d.lo, d.hi] };
    case "int":
      return { int: [d.lo, d.hi] };
    case "choice":
      return { choice: d.values };
  }
}

const clean = (v: number): number => Number(v.toPrecision(12));

/** Evenly spaced values of a dimension (in log space for logUniform), endpoints included. */
function gridValues(d: Dim, m: number): unknown[] {
  if (d.kind === "choice") return [...d.values];
  if (d.kind === "int") {
    const count = Math.min(m, d.hi - d.lo + 1);
    if (count === 1) return [Math.round((d.lo + d.hi) / 2)];
    return [
      ...new Set(
        globalThis.Array.from({ length: count }, (_, i) => Math.round(d.lo + (i * (d.hi - d.lo)) / (count - 1))),
      ),
    ];
  }
  if (m === 1) return [d.kind === "logUniform" ? clean(Math.sqrt(d.lo * d.hi)) : (d.lo + d.hi) / 2];
  const t0 = d.kind === "logUniform" ? Math.log(d.lo) : d.lo;
  const t1 = d.kind === "logUniform" ? Math.log(d.hi) : d.hi;
  return globalThis.Array.from({ length: m }, (_, i) => {
    if (i === 0) return d.lo;
    if (i === m - 1) return d.hi;
    const t = t0 + (i * (t1 - t0)) / (m - 1);
    return clean(d.kind === "logUniform" ? Math.exp(t) : t);
  });
}

/** The next stage's dimension: the hull of the best values (in the sampling scale), padded, inside the current range. */
function narrow(d: Dim, best: readonly Record<string, unknown>[], budget: number, method: "random" | "grid"): Dim {
  if (d.kind === "choice") {
    const seen = new Set(best.map((p) => p[d.name]));
    return { ...d, values: d.values.filter((v) => seen.has(v)), hi: seen.size - 1 };
  }
  const isLog = d.kind === "logUniform";
  const tf = (v: number) => (isLog ? Math.log(v) : v);
  const inv = (t: number) => (isLog ? Math.exp(t) : t);
  const T0 = tf(d.lo);
  const T1 = tf(d.hi);
  const ts = best.map((p) => tf(p[d.name] as number));
  let lo = Math.min(...ts);
  let hi = Math.max(...ts);
  // The spacing of the stage just run: grids zoom into [min, max] of the best points (their hull);
  // random samples leave gaps around the best ones, so pad by half a cell; a single point gets a cell each side.
  const cell = (T1 - T0) / Math.max(1, method === "grid" ? budget - 1 : budget);
  const pad = hi - lo < cell * 1e-9 ? cell : method === "grid" ? 0 : cell / 2;
  lo = Math.max(T0, lo - pad);
  hi = Math.min(T1, hi + pad);
  if (d.kind === "int") {
    const ilo = Math.max(d.lo, Math.floor(lo));
    const ihi = Math.min(d.hi, Math.ceil(hi));
    return { ...d, lo: ilo, hi: ihi };
  }
  let nlo = lo === T0 ? d.lo : clean(inv(lo));
  let nhi = hi === T1 ? d.hi : clean(inv(hi));
  nlo = Math.max(d.lo, nlo);
  nhi = Math.min(d.hi, nhi);
  if (!(nlo < nhi)) {
    // Degenerate (all best values equal at a bound): keep a sliver of the range around it.
    const w = (T1 - T0) * 1e-6;
    nlo = Math.max(d.lo, inv(tf(nlo) - w));
    nhi = Math.min(d.hi, inv(tf(nhi) + w));
  }
  return { ...d, lo: nlo, hi: nhi };
}

function stagePoints(
  fn: string,
  dims: readonly Dim[],
  budget: number,
  method: "random" | "grid",
  key: KeyLike | undefined,
): Record<string, unknown>[] {
  if (method === "random") return sampleDims(fn, dims, budget, requireKey(fn, key));
  let pts: Record<string, unknown>[] = [{}];
  for (const d of dims) {
    const vs = gridValues(d, budget);
    pts = pts.flatMap((p) => vs.map((v) => ({ ...p, [d.name]: v })));
  }
  return pts;
}

/**
 * Coarse-to-fine search. Stage 1 (coarse) samples the whole space sparsely — on a log scale for
 * `logUniform` dimensions (and `[lo, hi]` shorthand); each fine round then narrows every range to
 * the span of the `keepTop` best results of the previous stage (padded by half a sample spacing
 * for random sampling) and samples it more densely. Returns every evaluated configuration, sorted
 * by score, tagged with its `stage`/`round`, plus the `spaces` each stage searched.
 *
 * With `method: "grid"` and one hyperparameter this is exactly the classic recipe: e.g.
 * `{ lr: [1e-5, 1e-1] }`, coarse 5 → 1e-5, 1e-4, 1e-3, 1e-2, 1e-1; the best two (say 1e-3 and
 * 1e-4) → fine range [1e-4, 1e-3], searched with `fine` log-spaced points.
 *
 * @example
 * const results = coarseToFine({ lr: [1e-5, 1e-1] }, ({ lr }) => Math.abs(Math.log10(lr / 3e-4)), {
 *   coarse: 5, fine: 5, method: "grid",
 * }); // results.spaces[1]: { lr: { logUniform: [0.0001, 0.001] } }
 * results[0]?.params; // { lr: 0.000316227766017 } (found in the fine round)
 */
export function coarseToFine<S extends CoarseSpace, D>(
  space: S,
  evaluate: (hp: CoarsePoint<S>, train: D, val: D, fold: number) => Score,
  opts: CoarseToFineOptions & CrossValidationData<D>,
): CoarseToFineResults<CoarsePoint<S>>;
export function coarseToFine<S extends CoarseSpace>(
  space: S,
  evaluate: (hp: CoarsePoint<S>) => Score,
  opts: CoarseToFineOptions,
): CoarseToFineResults<CoarsePoint<S>>;
export function coarseToFine<S extends CoarseSpace, D>(
  space: S,
  evaluate: PlainEval<CoarsePoint<S>> | CvEval<CoarsePoint<S>, D>,
  opts: CoarseToFineOptions & Partial<CrossValidation<D>>,
): CoarseToFineResults<CoarsePoint<S>> {
  const fn = "coarseToFine";
  if (opts === undefined || opts === null || typeof opts !== "object")
    throw new TypeError(`${fn}: options { coarse, fine, key } are required`);
  checkOptions(fn, opts, [
    "mode",
    "coarse",
    "fine",
    "keepTop",
    "key",
    "method",
    "rounds",
    "kFold",
    "data",
    "shuffle",
  ] satisfies (keyof (CoarseToFineOptions & CrossValidation<unknown>))[]);
  const mode = checkMode(opts.mode, fn);
  const method = opts.method ?? "random";
  if (method !== "random" && method !== "grid")
    throw new RangeError(`${fn}: method must be "random" or "grid", got ${String(method)}`);
  const coarse = checkN(fn, "coarse", opts.coarse);
  const fine = checkN(fn, "fine", opts.fine);
  const rounds = checkN(fn, "rounds", opts.rounds ?? 1);
  if (opts.keepTop !== undefined) checkN(fn, "keepTop", opts.keepTop);
  let dims = parseSpace(fn, space, true);
  if (method === "random") requireKey(fn, opts.key);
  const stageKeys = opts.key !== undefined && opts.key !== null ? splitKeys(opts.key, rounds + 2, fn) : null;
  const scorer = makeScorer(
    fn,
    evaluate,
    opts,
    stageKeys && opts.shuffle !== false ? stageKeys[rounds + 1] : undefined,
  ) as Scorer<Record<string, unknown>>;

  const spaces: RandomSpace[] = [];
  const all: SearchResult<Record<string, unknown>>[] = [];
  let budget = coarse;
  for (let round = 0; round <= rounds; round++) {
    spaces.push(Object.fromEntries(dims.map((d) => [d.name, dimToDist(d)])));
    const pts = stagePoints(fn, dims, budget, method, stageKeys ? stageKeys[round] : undefined);
    const results = sortResults(evaluateAll(pts, scorer, { stage: round === 0 ? "coarse" : "fine", round }), mode);
    all.push(...results);
    if (round === rounds) break;
    const finite = results.filter((r) => Number.isFinite(r.score));
    if (finite.length === 0)
      throw new RangeError(
        `${fn}: every score of the ${round === 0 ? "coarse stage" : `fine round ${round}`} is NaN or infinite; nothing to narrow around`,
      );
    const keep = Math.min(finite.length, opts.keepTop ?? Math.max(2, Math.ceil(0.2 * results.length)));
    const top = finite.slice(0, keep).map((r) => r.params);
    dims = dims.map((d) => narrow(d, top, budget, method));
    budget = fine;
  }
  const sorted = sortResults(all, mode) as SearchResult<CoarsePoint<S>>[];
  return Object.assign(sorted, { spaces: Object.freeze(spaces) });
}
