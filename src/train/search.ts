/**
 * Hyperparameter search: grid search, random search and the two-stage coarse-to-fine search on a
 * log scale, each scored on validation data (optionally k-fold cross-validated: every configuration
 * is trained on k-1 folds and validated on the remaining one, k times, and the scores averaged).
 * Results come back as a table sorted best first; `formatTable` prints it.
 *
 * Grid search scales exponentially with the number of hyperparameters and spends most of its
 * budget on unimportant ones; random search covers each dimension with every sample, so it finds
 * good values faster when only a few hyperparameters matter. Scale-like hyperparameters (learning
 * rates, weight decay) should be searched on a log scale (`logUniform`).
 */
import { Array as NDArray } from "../core/array.js";
import { kFold, takeRows, numExamples } from "./data.js";
import { formatNumber } from "./fit.js";
import { splitKeys, uniformHost, type KeyLike } from "./keys.js";

/** Whether lower (`"min"`, e.g. a loss; the default) or higher (`"max"`, e.g. accuracy) scores are better. */
export type SearchMode = "min" | "max";

/** A grid: each hyperparameter's candidate values. */
export type GridSpace = Readonly<Record<string, readonly unknown[]>>;
/** One grid point: a value for each hyperparameter. */
export type GridPoint<S extends GridSpace> = { -readonly [K in keyof S]: S[K][number] };

/** A distribution to sample one hyperparameter from. `int` is inclusive of both ends. */
export type Distribution =
  | { readonly uniform: readonly [number, number] }
  | { readonly logUniform: readonly [number, number] }
  | { readonly int: readonly [number, number] }
  | { readonly choice: readonly unknown[] };
/** A random-search space: one distribution per hyperparameter. */
export type RandomSpace = Readonly<Record<string, Distribution>>;
/** A sampled point: numbers, and the chosen value for `choice` dimensions. */
export type SampledPoint<S extends RandomSpace> = {
  -readonly [K in keyof S]: S[K] extends { readonly choice: readonly (infer V)[] } ? V : number;
};
/** A coarse-to-fine space: distributions, or `[lo, hi]` as shorthand for `{ logUniform: [lo, hi] }`. */
export type CoarseSpace = Readonly<Record<string, Distribution | readonly [number, number]>>;
export type CoarsePoint<S extends CoarseSpace> = {
  -readonly [K in keyof S]: S[K] extends { readonly choice: readonly (infer V)[] } ? V : number;
};

/** One evaluated configuration. */
export interface SearchResult<P> {
  readonly params: P;
  /** The validation score (the mean over folds with cross-validation). */
  readonly score: number;
  /** The per-fold scores (cross-validation only). */
  readonly scores?: readonly number[];
  /** Coarse-to-fine only: the stage that evaluated it. */
  readonly stage?: "coarse" | "fine";
  /** Coarse-to-fine only: 0 for the coarse stage, 1, 2, ... for the fine rounds. */
  readonly round?: number;
}

/** A score: a number or a size-1 array (read back). Promises are not accepted. */
export type Score = number | NDArray;

/** Options shared by the searches. */
export interface SearchOptions {
  readonly mode?: SearchMode;
}

/**
 * k-fold cross-validation inside a search: `data` is split into `kFold` folds once (shuffled with
 * `key` when given) and the same folds score every configuration.
 */
export interface CrossValidation<D> {
  readonly kFold: number;
  readonly data: D;
  /** Shuffles the examples before cutting folds (random search and coarse-to-fine also sample with it). */
  readonly key?: KeyLike;
  /** Shuffle before cutting folds (default: true when a key is given). */
  readonly shuffle?: boolean;
}

/** Cross-validation settings for searches whose `key` option is shared with sampling. */
export interface CrossValidationData<D> {
  readonly kFold: number;
  readonly data: D;
  readonly shuffle?: boolean;
}

type PlainEval<P> = (hp: P) => Score;
type CvEval<P, D> = (hp: P, train: D, val: D, fold: number) => Score;

function scoreOf(v: unknown, fn: string): number {
  if (typeof v === "number") return v;
  if (v instanceof NDArray) {
    if (v.size !== 1) throw new TypeError(`${fn}: evaluate must return a scalar score, got an array of shape [${v.shape.join(", ")}]`);
    return Number(v.dataSync()[0]);
  }
  if (v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function")
    throw new TypeError(`${fn}: evaluate must be synchronous and return a number (it returned a Promise)`);
  throw new TypeError(`${fn}: evaluate must return a number (the validation score), got ${v === null ? "null" : typeof v}`);
}

function checkMode(mode: unknown, fn: string): SearchMode {
  const m = mode ?? "min";
  if (m !== "min" && m !== "max") throw new RangeError(`${fn}: mode must be "min" or "max", got ${String(m)}`);
  return m;
}

/** Best first; NaN scores last; ties keep evaluation order. */
function sortResults<P>(results: SearchResult<P>[], mode: SearchMode): SearchResult<P>[] {
  const key = (r: SearchResult<P>) => (Number.isNaN(r.score) ? Infinity : mode === "min" ? r.score : -r.score);
  return results
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => {
      const ka = key(a);
      const kb = key(b);
      if (Number.isNaN(a.score) !== Number.isNaN(b.score)) return Number.isNaN(a.score) ? 1 : -1;
      return ka < kb ? -1 : ka > kb ? 1 : i - j;
    })
    .map(([r]) => r);
}

interface Scorer<P> {
  score(hp: P): { score: number; scores?: number[] };
}

function isCv<D>(opts: object | undefined): opts is CrossValidation<D> {
  return opts !== undefined && "kFold" in opts && (opts as { kFold?: unknown }).kFold !== undefined;
}

function makeScorer<P, D>(fn: string, evaluate: PlainEval<P> | CvEval<P, D>, opts: (SearchOptions & Partial<CrossValidation<D>>) | undefined, foldKey: KeyLike | undefined): Scorer<P> {
  if (typeof evaluate !== "function") throw new TypeError(`${fn}: evaluate must be a function (hparams${isCv(opts) ? ", trainData, valData, fold" : ""}) => score`);
  if (!isCv<D>(opts)) return { score: (hp) => ({ score: scoreOf((evaluate as PlainEval<P>)(hp), fn) }) };
  const k = opts.kFold;
  if (opts.data === undefined) throw new TypeError(`${fn}: kFold needs the data to split ({ kFold, data, key })`);
  const n = numExamples(opts.data);
  const folds = kFold(n, k, { key: foldKey ?? null, ...(opts.shuffle !== undefined ? { shuffle: opts.shuffle } : {}) });
  const foldData = folds.map(([tr, va]) => [takeRows(opts.data as D, tr), takeRows(opts.data as D, va)] as const);
  return {
    score: (hp) => {
      const scores = foldData.map(([tr, va], i) => scoreOf((evaluate as CvEval<P, D>)(hp, tr, va, i), fn));
      return { score: scores.reduce((a, b) => a + b, 0) / scores.length, scores };
    },
  };
}

function evaluateAll<P>(points: readonly P[], scorer: Scorer<P>, extra: Partial<SearchResult<P>> = {}): SearchResult<P>[] {
  return points.map((params) => {
    const { score, scores } = scorer.score(params);
    return { ...extra, params, score, ...(scores ? { scores } : {}) };
  });
}

/** All combinations of the grid's values (the last hyperparameter varies fastest). */
export function gridPoints<S extends GridSpace>(space: S): GridPoint<S>[] {
  const fn = "gridPoints";
  if (space === null || typeof space !== "object") throw new TypeError(`${fn}: the space must be an object of value lists`);
  const names = Object.keys(space);
  if (names.length === 0) throw new RangeError(`${fn}: the space has no hyperparameters`);
  for (const k of names) {
    const vs = space[k];
    if (!globalThis.Array.isArray(vs)) throw new TypeError(`${fn}: "${k}" must be a list of candidate values`);
    if (vs.length === 0) throw new RangeError(`${fn}: "${k}" has no candidate values`);
  }
  let points: Record<string, unknown>[] = [{}];
  for (const k of names) points = points.flatMap((p) => space[k]!.map((v) => ({ ...p, [k]: v })));
  return points as GridPoint<S>[];
}

/**
 * Evaluates every combination of the grid and returns the table sorted by score (best first).
 * With `{ kFold, data, key }`, `evaluate(hparams, trainData, valData, fold)` runs once per fold and
 * the scores are averaged.
 *
 * @example gridSearch({ lr: [1e-3, 1e-2, 1e-1], hidden: [32, 64] }, ({ lr, hidden }) => valLoss(lr, hidden))
 */
export function gridSearch<S extends GridSpace, D>(
  space: S,
  evaluate: (hp: GridPoint<S>, train: D, val: D, fold: number) => Score,
  opts: SearchOptions & CrossValidation<D>,
): SearchResult<GridPoint<S>>[];
export function gridSearch<S extends GridSpace>(space: S, evaluate: (hp: GridPoint<S>) => Score, opts?: SearchOptions): SearchResult<GridPoint<S>>[];
export function gridSearch<S extends GridSpace, D>(
  space: S,
  evaluate: PlainEval<GridPoint<S>> | CvEval<GridPoint<S>, D>,
  opts?: SearchOptions & Partial<CrossValidation<D>>,
): SearchResult<GridPoint<S>>[] {
  const fn = "gridSearch";
  const mode = checkMode(opts?.mode, fn);
  const points = gridPoints(space);
  const scorer = makeScorer(fn, evaluate, opts, opts?.key);
  return sortResults(evaluateAll(points, scorer), mode);
}

// ---------------------------------------------------------------------------------------------
// Sampling

interface Dim {
  readonly name: string;
  readonly kind: "uniform" | "logUniform" | "int" | "choice";
  readonly lo: number;
  readonly hi: number;
  readonly values: readonly unknown[];
}

function parseDim(fn: string, name: string, d: unknown, tupleIsLog: boolean): Dim {
  const bad = (msg: string) => new RangeError(`${fn}: "${name}": ${msg}`);
  const range = (r: unknown, what: string): [number, number] => {
    if (!globalThis.Array.isArray(r) || r.length !== 2 || typeof r[0] !== "number" || typeof r[1] !== "number" || !Number.isFinite(r[0]) || !Number.isFinite(r[1]))
      throw bad(`${what} needs [lo, hi] with finite numbers, got ${JSON.stringify(r)}`);
    return [r[0], r[1]];
  };
  if (tupleIsLog && globalThis.Array.isArray(d)) return parseDim(fn, name, { logUniform: d }, false);
  if (d === null || typeof d !== "object" || globalThis.Array.isArray(d))
    throw new TypeError(`${fn}: "${name}" must be { uniform: [lo, hi] }, { logUniform: [lo, hi] }, { int: [lo, hi] } or { choice: [...] }${tupleIsLog ? " (or [lo, hi] for a log-uniform range)" : ""}`);
  const keys = Object.keys(d);
  if (keys.length !== 1) throw new TypeError(`${fn}: "${name}" must have exactly one of uniform, logUniform, int, choice; got {${keys.join(", ")}}`);
  const o = d as Record<string, unknown>;
  if ("uniform" in o) {
    const [lo, hi] = range(o.uniform, "uniform");
    if (!(lo < hi)) throw bad(`uniform needs lo < hi, got [${lo}, ${hi}]`);
    return { name, kind: "uniform", lo, hi, values: [] };
  }
  if ("logUniform" in o) {
    const [lo, hi] = range(o.logUniform, "logUniform");
    if (!(lo > 0)) throw bad(`logUniform needs lo > 0 (it samples log(x) uniformly), got [${lo}, ${hi}]`);
    if (!(lo < hi)) throw bad(`logUniform needs lo < hi, got [${lo}, ${hi}]`);
    return { name, kind: "logUniform", lo, hi, values: [] };
  }
  if ("int" in o) {
    const [lo, hi] = range(o.int, "int");
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw bad(`int needs integer bounds, got [${lo}, ${hi}]`);
    if (!(lo <= hi)) throw bad(`int needs lo <= hi, got [${lo}, ${hi}]`);
    return { name, kind: "int", lo, hi, values: [] };
  }
  if ("choice" in o) {
    if (!globalThis.Array.isArray(o.choice) || o.choice.length === 0) throw bad(`choice needs a non-empty list of values`);
    return { name, kind: "choice", lo: 0, hi: o.choice.length - 1, values: o.choice };
  }
  throw new TypeError(`${fn}: "${name}" has an unknown distribution {${keys.join(", ")}}; use uniform, logUniform, int or choice`);
}

function parseSpace(fn: string, space: unknown, tupleIsLog: boolean): Dim[] {
  if (space === null || typeof space !== "object" || globalThis.Array.isArray(space)) throw new TypeError(`${fn}: the space must be an object of distributions`);
  const names = Object.keys(space);
  if (names.length === 0) throw new RangeError(`${fn}: the space has no hyperparameters`);
  return names.map((k) => parseDim(fn, k, (space as Record<string, unknown>)[k], tupleIsLog));
}

/** Maps u in [0, 1) to a value of the dimension. */
function fromUnit(d: Dim, u: number): unknown {
  switch (d.kind) {
    case "uniform":
      return Math.min(d.hi, Math.max(d.lo, d.lo + u * (d.hi - d.lo)));
    case "logUniform":
      return Math.min(d.hi, Math.max(d.lo, Math.exp(Math.log(d.lo) + u * (Math.log(d.hi) - Math.log(d.lo)))));
    case "int":
      return Math.min(d.hi, d.lo + Math.floor(u * (d.hi - d.lo + 1)));
    case "choice":
      return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))];
  }
}

function sampleDims(fn: string, dims: readonly Dim[], n: number, key: KeyLike): Record<string, unknown>[] {
  const keys = splitKeys(key, dims.length, fn);
  const us = dims.map((_, i) => uniformHost(keys[i]!, n, fn));
  return globalThis.Array.from({ length: n }, (_, j) => Object.fromEntries(dims.map((d, i) => [d.name, fromUnit(d, us[i]![j]!)])));
}

function checkN(fn: string, name: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: ${name} must be an integer >= 1, got ${String(n)}`);
  return n;
}

function requireKey(fn: string, key: KeyLike | undefined): KeyLike {
  if (key === undefined || key === null) throw new TypeError(`${fn}: a PRNG key is required ({ key: random.key(seed) } or an integer seed)`);
  return key;
}

/**
 * `n` independent samples from a random-search space, one PRNG stream per hyperparameter.
 * `uniform: [lo, hi]` is uniform on [lo, hi); `logUniform: [lo, hi]` is uniform in log space
 * (as many samples in [1e-4, 1e-3] as in [1e-3, 1e-2]); `int: [lo, hi]` is uniform over the
 * integers lo..hi inclusive; `choice` picks one of the values uniformly.
 */
export function sampleSpace<S extends RandomSpace>(space: S, n: number, key: KeyLike): SampledPoint<S>[] {
  const fn = "sampleSpace";
  return sampleDims(fn, parseSpace(fn, space, false), checkN(fn, "n", n), requireKey(fn, key)) as SampledPoint<S>[];
}

/** Options for {@link randomSearch}. */
export interface RandomSearchOptions extends SearchOptions {
  /** The PRNG key (or integer seed) for sampling (and for shuffling the folds with `kFold`). */
  readonly key: KeyLike;
}

/**
 * Random search: evaluates `n` configurations sampled from `space` (see {@link sampleSpace}) and
 * returns the table sorted by score (best first). With `{ kFold, data }` every configuration is
 * cross-validated on the same folds.
 *
 * @example randomSearch({ lr: { logUniform: [1e-5, 1e-1] }, hidden: { choice: [32, 64, 128] } }, 20, evaluate, { key: 0 })
 */
export function randomSearch<S extends RandomSpace, D>(
  space: S,
  n: number,
  evaluate: (hp: SampledPoint<S>, train: D, val: D, fold: number) => Score,
  opts: RandomSearchOptions & CrossValidationData<D>,
): SearchResult<SampledPoint<S>>[];
export function randomSearch<S extends RandomSpace>(space: S, n: number, evaluate: (hp: SampledPoint<S>) => Score, opts: RandomSearchOptions): SearchResult<SampledPoint<S>>[];
export function randomSearch<S extends RandomSpace, D>(
  space: S,
  n: number,
  evaluate: PlainEval<SampledPoint<S>> | CvEval<SampledPoint<S>, D>,
  opts: RandomSearchOptions & Partial<CrossValidation<D>>,
): SearchResult<SampledPoint<S>>[] {
  const fn = "randomSearch";
  const mode = checkMode(opts?.mode, fn);
  const dims = parseSpace(fn, space, false);
  checkN(fn, "n", n);
  const [sampleKey, foldKey] = splitKeys(requireKey(fn, opts?.key), 2, fn);
  const points = sampleDims(fn, dims, n, sampleKey!) as SampledPoint<S>[];
  const scorer = makeScorer(fn, evaluate, opts, opts.shuffle === false ? undefined : foldKey);
  return sortResults(evaluateAll(points, scorer), mode);
}

// ---------------------------------------------------------------------------------------------
// Coarse to fine

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
    return [...new Set(globalThis.Array.from({ length: count }, (_, i) => Math.round(d.lo + (i * (d.hi - d.lo)) / (count - 1))))];
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
  // The spacing of the stage just run: grids keep the best points' hull (the notes' recipe); random
  // samples leave gaps around the best ones, so pad by half a cell; a single point gets a cell each side.
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

function stagePoints(fn: string, dims: readonly Dim[], budget: number, method: "random" | "grid", key: KeyLike | undefined): Record<string, unknown>[] {
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
 */
export function coarseToFine<S extends CoarseSpace, D>(
  space: S,
  evaluate: (hp: CoarsePoint<S>, train: D, val: D, fold: number) => Score,
  opts: CoarseToFineOptions & CrossValidationData<D>,
): CoarseToFineResults<CoarsePoint<S>>;
export function coarseToFine<S extends CoarseSpace>(space: S, evaluate: (hp: CoarsePoint<S>) => Score, opts: CoarseToFineOptions): CoarseToFineResults<CoarsePoint<S>>;
export function coarseToFine<S extends CoarseSpace, D>(
  space: S,
  evaluate: PlainEval<CoarsePoint<S>> | CvEval<CoarsePoint<S>, D>,
  opts: CoarseToFineOptions & Partial<CrossValidation<D>>,
): CoarseToFineResults<CoarsePoint<S>> {
  const fn = "coarseToFine";
  if (opts === undefined || opts === null || typeof opts !== "object") throw new TypeError(`${fn}: options { coarse, fine, key } are required`);
  const mode = checkMode(opts.mode, fn);
  const method = opts.method ?? "random";
  if (method !== "random" && method !== "grid") throw new RangeError(`${fn}: method must be "random" or "grid", got ${String(method)}`);
  const coarse = checkN(fn, "coarse", opts.coarse);
  const fine = checkN(fn, "fine", opts.fine);
  const rounds = checkN(fn, "rounds", opts.rounds ?? 1);
  if (opts.keepTop !== undefined) checkN(fn, "keepTop", opts.keepTop);
  let dims = parseSpace(fn, space, true);
  if (method === "random") requireKey(fn, opts.key);
  const stageKeys = opts.key !== undefined && opts.key !== null ? splitKeys(opts.key, rounds + 2, fn) : null;
  const scorer = makeScorer(fn, evaluate, opts, stageKeys && opts.shuffle !== false ? stageKeys[rounds + 1] : undefined) as Scorer<Record<string, unknown>>;

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
    if (finite.length === 0) throw new RangeError(`${fn}: every score of the ${round === 0 ? "coarse stage" : `fine round ${round}`} is NaN or infinite; nothing to narrow around`);
    const keep = Math.min(finite.length, opts.keepTop ?? Math.max(2, Math.ceil(0.2 * results.length)));
    const top = finite.slice(0, keep).map((r) => r.params);
    dims = dims.map((d) => narrow(d, top, budget, method));
    budget = fine;
  }
  const sorted = sortResults(all, mode) as SearchResult<CoarsePoint<S>>[];
  return Object.assign(sorted, { spaces: Object.freeze(spaces) });
}

// ---------------------------------------------------------------------------------------------
// Printing

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
 */
export function formatTable<P>(results: readonly SearchResult<P>[], opts: FormatTableOptions = {}): string {
  if (!globalThis.Array.isArray(results as unknown)) throw new TypeError("formatTable: expected the list returned by a search");
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
    return [String(i + 1), ...names.map((k) => cell(p[k])), formatNumber(r.score), ...(hasFolds ? [spread] : []), ...(hasStage ? [r.stage ?? ""] : [])];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((s, c) => (c === 0 || c > names.length ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of body) out.push(line(row));
  if (rows.length < results.length) out.push(`(${results.length - rows.length} more)`);
  return out.join("\n");
}
