/** Search spaces: grid enumeration (`gridPoints`), distribution parsing and sampling (`sampleSpace`). */
import { splitKeys, uniformHost, type KeyLike } from "./keys.js";
import type { GridPoint, GridSpace, RandomSpace, SampledPoint } from "./search-types.js";

/**
 * All combinations of the grid's values (the last hyperparameter varies fastest).
 * @example
 * gridPoints({ a: [1, 2], b: ["x", "y"] });
 * // [{ a: 1, b: "x" }, { a: 1, b: "y" }, { a: 2, b: "x" }, { a: 2, b: "y" }]
 */
export function gridPoints<S extends GridSpace>(space: S): GridPoint<S>[] {
  const fn = "gridPoints";
  if (space === null || typeof space !== "object")
    throw new TypeError(`${fn}: the space must be an object of value lists`);
  const names = Object.keys(space);
  if (names.length === 0) throw new RangeError(`${fn}: the space has no hyperparameters`);
  const lists = names.map((k) => {
    const vs = space[k];
    if (!globalThis.Array.isArray(vs)) throw new TypeError(`${fn}: "${k}" must be a list of candidate values`);
    if (vs.length === 0) throw new RangeError(`${fn}: "${k}" has no candidate values`);
    return [k, vs] as const;
  });
  let points: Record<string, unknown>[] = [{}];
  for (const [k, vs] of lists) points = points.flatMap((p) => vs.map((v) => ({ ...p, [k]: v })));
  return points as GridPoint<S>[];
}

export interface Dim {
  readonly name: string;
  readonly kind: "uniform" | "logUniform" | "int" | "choice";
  readonly lo: number;
  readonly hi: number;
  readonly values: readonly unknown[];
}

function parseDim(fn: string, name: string, d: unknown, tupleIsLog: boolean): Dim {
  const bad = (msg: string) => new RangeError(`${fn}: "${name}": ${msg}`);
  const range = (r: unknown, what: string): [number, number] => {
    if (
      !globalThis.Array.isArray(r) ||
      r.length !== 2 ||
      typeof r[0] !== "number" ||
      typeof r[1] !== "number" ||
      !Number.isFinite(r[0]) ||
      !Number.isFinite(r[1])
    )
      throw bad(`${what} needs [lo, hi] with finite numbers, got ${JSON.stringify(r)}`);
    return [r[0], r[1]];
  };
  if (tupleIsLog && globalThis.Array.isArray(d)) return parseDim(fn, name, { logUniform: d }, false);
  if (d === null || typeof d !== "object" || globalThis.Array.isArray(d))
    throw new TypeError(
      `${fn}: "${name}" must be { uniform: [lo, hi] }, { logUniform: [lo, hi] }, { int: [lo, hi] } or { choice: [...] }${tupleIsLog ? " (or [lo, hi] for a log-uniform range)" : ""}`,
    );
  const keys = Object.keys(d);
  if (keys.length !== 1)
    throw new TypeError(
      `${fn}: "${name}" must have exactly one of uniform, logUniform, int, choice; got {${keys.join(", ")}}`,
    );
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
    if (!globalThis.Array.isArray(o.choice) || o.choice.length === 0)
      throw bad(`choice needs a non-empty list of values`);
    return { name, kind: "choice", lo: 0, hi: o.choice.length - 1, values: o.choice };
  }
  throw new TypeError(
    `${fn}: "${name}" has an unknown distribution {${keys.join(", ")}}; use uniform, logUniform, int or choice`,
  );
}

export function parseSpace(fn: string, space: unknown, tupleIsLog: boolean): Dim[] {
  if (space === null || typeof space !== "object" || globalThis.Array.isArray(space))
    throw new TypeError(`${fn}: the space must be an object of distributions`);
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

export function sampleDims(fn: string, dims: readonly Dim[], n: number, key: KeyLike): Record<string, unknown>[] {
  // One PRNG stream per dimension: us[i] holds the n uniforms of dims[i].
  const us = splitKeys(key, dims.length, fn).map((k) => uniformHost(k, n, fn));
  return globalThis.Array.from({ length: n }, (_, j) =>
    Object.fromEntries(dims.map((d, i) => [d.name, fromUnit(d, us[i]![j]!)])),
  );
}

export function checkN(fn: string, name: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
    throw new RangeError(`${fn}: ${name} must be an integer >= 1, got ${String(n)}`);
  return n;
}

export function requireKey(fn: string, key: KeyLike | undefined): KeyLike {
  if (key === undefined || key === null)
    throw new TypeError(`${fn}: a PRNG key is required ({ key: random.key(seed) } or an integer seed)`);
  return key;
}

/**
 * `n` independent samples from a random-search space, one PRNG stream per hyperparameter.
 * `uniform: [lo, hi]` is uniform on [lo, hi); `logUniform: [lo, hi]` is uniform in log space
 * (as many samples in [1e-4, 1e-3] as in [1e-3, 1e-2]); `int: [lo, hi]` is uniform over the
 * integers lo..hi inclusive; `choice` picks one of the values uniformly.
 *
 * @example
 * sampleSpace({ lr: { logUniform: [1e-4, 1e-1] }, hidden: { choice: [32, 64, 128] } }, 2, random.key(2));
 * // [{ lr: 0.008107..., hidden: 128 }, { lr: 0.008481..., hidden: 64 }]
 */
export function sampleSpace<S extends RandomSpace>(space: S, n: number, key: KeyLike): SampledPoint<S>[] {
  const fn = "sampleSpace";
  return sampleDims(fn, parseSpace(fn, space, false), checkN(fn, "n", n), requireKey(fn, key)) as SampledPoint<S>[];
}
