/** Search plumbing: reading scores, k-fold cross-validated scoring, evaluating points and sorting results. */
import { Array as NDArray } from "../core/array.js";
import { takeRows, numExamples } from "./data.js";
import { kFold } from "./splits.js";
import type { KeyLike } from "./keys.js";
import type { CrossValidation, CvEval, PlainEval, SearchMode, SearchOptions, SearchResult } from "./search-types.js";

function scoreOf(v: unknown, fn: string): number {
  if (typeof v === "number") return v;
  if (v instanceof NDArray) {
    if (v.size !== 1)
      throw new TypeError(`${fn}: evaluate must return a scalar score, got an array of shape [${v.shape.join(", ")}]`);
    return Number(v.dataSync()[0]);
  }
  if (v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function")
    throw new TypeError(`${fn}: evaluate must be synchronous and return a number (it returned a Promise)`);
  throw new TypeError(
    `${fn}: evaluate must return a number (the validation score), got ${v === null ? "null" : typeof v}`,
  );
}

export function checkMode(mode: unknown, fn: string): SearchMode {
  const m = mode ?? "min";
  if (m !== "min" && m !== "max") throw new RangeError(`${fn}: mode must be "min" or "max", got ${String(m)}`);
  return m;
}

/** Best first; NaN scores last; ties keep evaluation order. */
export function sortResults<P>(results: SearchResult<P>[], mode: SearchMode): SearchResult<P>[] {
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

export interface Scorer<P> {
  score(hp: P): { score: number; scores?: number[] };
}

function isCv<D>(opts: object | undefined): opts is CrossValidation<D> {
  return opts !== undefined && "kFold" in opts && (opts as { kFold?: unknown }).kFold !== undefined;
}

export function makeScorer<P, D>(
  fn: string,
  evaluate: PlainEval<P> | CvEval<P, D>,
  opts: (SearchOptions & Partial<CrossValidation<D>>) | undefined,
  foldKey: KeyLike | undefined,
): Scorer<P> {
  if (typeof evaluate !== "function")
    throw new TypeError(
      `${fn}: evaluate must be a function (hparams${isCv(opts) ? ", trainData, valData, fold" : ""}) => score`,
    );
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

export function evaluateAll<P>(
  points: readonly P[],
  scorer: Scorer<P>,
  extra: Partial<SearchResult<P>> = {},
): SearchResult<P>[] {
  return points.map((params) => {
    const { score, scores } = scorer.score(params);
    return { ...extra, params, score, ...(scores ? { scores } : {}) };
  });
}
