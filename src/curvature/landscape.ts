/**
 * Loss-landscape slices (Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of
 * Neural Nets", NeurIPS 2018): the loss along a line θ + αd or over a plane θ + αd₁ + βd₂, with
 * `…Async` twins that read the losses with `await x.data()`. Directions: random-direction.ts.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { unflatten } from "../tree/index.js";
import { jit } from "../../transforms/jit.js";
import { paramLeaves } from "./flat.js";
import { readVectors, runAsync, runSync, type Reading } from "./host-read.js";
import type { LossFn } from "./hvp.js";
import { checkOptions } from "../core/options.js";

/** Options of `lossSlice1d`. */
export interface Slice1dOptions {
  /** The step sizes α (default 21 points from −1 to 1). */
  alphas?: ArrayLike<number>;
}

/** Options of `lossSlice2d`. */
export interface Slice2dOptions {
  /** The steps α along d₁ (default 21 points from −1 to 1). */
  alphas?: ArrayLike<number>;
  /** The steps β along d₂ (default: the same as `alphas`). */
  betas?: ArrayLike<number>;
}

const linspace = (a: number, b: number, n: number): number[] =>
  globalThis.Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

function checkSteps(xs: ArrayLike<number> | undefined, what: string, op: string, fallback: number[]): number[] {
  if (xs === undefined) return fallback;
  if (xs === null || typeof xs !== "object" || typeof xs.length !== "number")
    throw new TypeError(`${op}: ${what} must be a list of numbers`);
  const out = globalThis.Array.from(xs, Number);
  if (out.length === 0) throw new RangeError(`${op}: ${what} is empty`);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`${op}: ${what}[${i}] is ${xs[i]}; steps must be finite numbers`);
  });
  return out;
}

function checkDirection(params: unknown, d: unknown, what: string, op: string): void {
  const [p, pDef] = paramLeaves(params, op);
  const [dl, dDef] = paramLeaves(d, op, what);
  if (!pDef.equals(dDef))
    throw new Error(`${op}: ${what} must have the structure of params; got ${dDef} but params are ${pDef}`);
  // Same structure (checked above), so p[i] exists for every leaf of d.
  dl.forEach((x, i) => {
    if (x.shape.join() !== p[i]!.shape.join())
      throw new Error(`${op}: ${what} leaf ${i} has shape [${x.shape}] but its params leaf has shape [${p[i]!.shape}]`);
  });
}

/**
 * Moves every leaf of p by Σ cᵢ·dᵢ over the (direction, coefficient) pairs (coefficients as 0-d
 * float64 arrays, cast to each leaf's dtype). The directions have p's structure (checkDirection).
 */
function shift(p: unknown, moves: readonly (readonly [unknown, Array])[]): unknown {
  const [pl, def] = paramLeaves(p, "lossSlice");
  const dls = moves.map(([d, c]) => [paramLeaves(d, "lossSlice")[0], c] as const);
  return unflatten(
    def,
    pl.map((x, i) => dls.reduce((acc, [dl, c]) => acc.add(dl[i]!.astype(x.dtype).mul(c.astype(x.dtype))), x)),
  );
}

/** `f`'s value at one point: a number, or a 0-d array to read back (checked here, read later). */
function lossValue(v: unknown, op: string): Array | number {
  const a = v as Array;
  if (typeof v === "number") return v;
  if (a === null || typeof a !== "object" || typeof a.item !== "function" || a.ndim !== 0)
    throw new TypeError(
      `${op}: f must return a scalar (a 0-d array or a number)${a && typeof a === "object" && "shape" in a ? `, got shape [${a.shape}]` : ""}`,
    );
  return a;
}

/** The losses of a slice as numbers: every array among them is read in one request. */
function* readLosses(values: readonly (Array | number)[], op: string): Reading<number[]> {
  const arrays = values.filter((v): v is Array => typeof v !== "number");
  const read = yield* readVectors(arrays, op);
  let next = 0;
  // One vector per array, in order; each array is 0-d, so its vector has one entry.
  return values.map((v) => (typeof v === "number" ? v : read[next++]![0]!));
}

/**
 * The step coefficient (α or β) as a 0-d array: float64 when a params leaf is float64, else
 * float32 (the precision every leaf gets after the cast in `shift`, and the only float WebGPU has).
 */
function stepArray(x: number, dtypes: readonly string[]): Array {
  return np.array(x, { dtype: dtypes.includes("float64") ? "float64" : "float32" });
}

function* slice1dRun<P>(
  f: LossFn<P>,
  params: P,
  direction: P,
  opts: Slice1dOptions,
  op: string,
): Reading<{ alphas: number[]; values: number[] }> {
  checkOptions(op, opts, ["alphas"]);
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  checkDirection(params, direction, "direction", op);
  const alphas = checkSteps(opts.alphas, "alphas", op, linspace(-1, 1, 21));
  const dtypes = paramLeaves(params, op)[0].map((l) => l.dtype);
  const at = jit((p: P, d: P, a: Array) => f(shift(p, [[d, a]]) as P));
  const losses = alphas.map((a) => lossValue(at(params, direction, stepArray(a, dtypes)), op));
  return { alphas, values: yield* readLosses(losses, op) };
}

/**
 * The loss along a line through `params`: `values[i] = f(θ + alphas[i]·d)`. The shifted loss is
 * compiled once (α is a traced argument), so long sweeps are cheap.
 *
 * @example
 * const d = randomDirection(0, params);
 * const { alphas, values } = lossSlice1d((p) => loss(p, x, y), params, d, { alphas: [-1, 0, 1] });
 */
export function lossSlice1d<P>(
  f: LossFn<P>,
  params: P,
  direction: P,
  opts: Slice1dOptions = {},
): { alphas: number[]; values: number[] } {
  return runSync(slice1dRun(f, params, direction, opts, "lossSlice1d"), "lossSlice1dAsync");
}

/**
 * {@link lossSlice1d} for backends that read asynchronously (WebGPU): the same options and result,
 * with the losses read by `await x.data()` (all of them at once, after the sweep).
 *
 * @example
 * const d = randomDirection(0, params);
 * const { values } = await lossSlice1dAsync((p) => loss(p, x, y), params, d, { alphas: [-1, 0, 1] });
 */
export function lossSlice1dAsync<P>(
  f: LossFn<P>,
  params: P,
  direction: P,
  opts: Slice1dOptions = {},
): Promise<{ alphas: number[]; values: number[] }> {
  return runAsync(slice1dRun(f, params, direction, opts, "lossSlice1dAsync"));
}

function* slice2dRun<P>(
  f: LossFn<P>,
  params: P,
  d1: P,
  d2: P,
  opts: Slice2dOptions,
  op: string,
): Reading<{ alphas: number[]; betas: number[]; values: number[][] }> {
  checkOptions(op, opts, ["alphas", "betas"]);
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  checkDirection(params, d1, "d1", op);
  checkDirection(params, d2, "d2", op);
  const alphas = checkSteps(opts.alphas, "alphas", op, linspace(-1, 1, 21));
  const betas = checkSteps(opts.betas, "betas", op, alphas);
  const dtypes = paramLeaves(params, op)[0].map((l) => l.dtype);
  const at = jit((p: P, u: P, v: P, a: Array, b: Array) =>
    f(
      shift(p, [
        [u, a],
        [v, b],
      ]) as P,
    ),
  );
  const losses = alphas.flatMap((a) => {
    const aa = stepArray(a, dtypes);
    return betas.map((b) => lossValue(at(params, d1, d2, aa, stepArray(b, dtypes)), op));
  });
  const flatValues = yield* readLosses(losses, op);
  return { alphas, betas, values: alphas.map((_, i) => flatValues.slice(i * betas.length, (i + 1) * betas.length)) };
}

/**
 * The loss over a plane through `params`: `values[i][j] = f(θ + alphas[i]·d1 + betas[j]·d2)`
 * (rows follow `alphas`, columns `betas`). Compiled once, like `lossSlice1d`.
 *
 * @example
 * const [d1, d2] = [randomDirection(1, params), randomDirection(2, params)];
 * const { values } = lossSlice2d(f, params, d1, d2, { alphas: [-1, 0, 1], betas: [-1, 0, 1] }); // 3×3
 */
export function lossSlice2d<P>(
  f: LossFn<P>,
  params: P,
  d1: P,
  d2: P,
  opts: Slice2dOptions = {},
): { alphas: number[]; betas: number[]; values: number[][] } {
  return runSync(slice2dRun(f, params, d1, d2, opts, "lossSlice2d"), "lossSlice2dAsync");
}

/**
 * {@link lossSlice2d} for backends that read asynchronously (WebGPU): the same options and result,
 * with the losses read by `await x.data()` (all of them at once, after the sweep).
 *
 * @example
 * const [d1, d2] = [randomDirection(1, params), randomDirection(2, params)];
 * const { values } = await lossSlice2dAsync(f, params, d1, d2, { alphas: [-1, 0, 1] }); // 3×3
 */
export function lossSlice2dAsync<P>(
  f: LossFn<P>,
  params: P,
  d1: P,
  d2: P,
  opts: Slice2dOptions = {},
): Promise<{ alphas: number[]; betas: number[]; values: number[][] }> {
  return runAsync(slice2dRun(f, params, d1, d2, opts, "lossSlice2dAsync"));
}
