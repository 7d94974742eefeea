/**
 * Reads test/fixtures/jax-differential.json (written by scripts/jax-differential.py from real JAX
 * and Optax runs) and compares graft's results with it: dtype, shape, weak type and values.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { np, type DType } from "../../src/index.js";

/** A fixture value: a number, a non-finite number as a string ("nan", "inf", "-inf"), or a bool. */
export type RawValue = number | string | boolean;
/** An array in the fixture: dtype, shape and row-major values (`weak` when JAX's result is weakly typed). */
export interface ArraySpec {
  readonly dt: DType;
  readonly shape: readonly number[];
  readonly v: readonly RawValue[];
  readonly weak?: boolean;
}
/** A Python scalar argument: weakly typed in JAX, a JS number in graft. */
export interface ScalarSpec {
  readonly py: number | boolean;
}
/** JAX's result: one array, or a list (tuples, pytrees in sorted-key order). */
export type OutSpec = ArraySpec | readonly OutSpec[];
/** Static parameters of a case, JSON as the generator wrote them. */
export type Kw = Readonly<Record<string, unknown>>;
/** One case of the differential suite. */
export interface DiffCase {
  readonly id: string;
  readonly cat: string;
  readonly op: string;
  readonly args: readonly (ArraySpec | ScalarSpec)[];
  readonly kw: Kw;
  /** Computed with JAX_ENABLE_X64 (float64 involved): these run in their own describe block. */
  readonly x64?: boolean;
  readonly out?: OutSpec;
  /** JAX raised: its error type and first line. */
  readonly error?: string;
}

interface Fixture {
  readonly jax: string;
  readonly optax: string;
  readonly cases: readonly DiffCase[];
}

export const FIXTURE: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/jax-differential.json", import.meta.url), "utf8"),
) as Fixture;

const SPECIAL: Readonly<Record<string, number>> = { nan: Number.NaN, inf: Infinity, "-inf": -Infinity };

/** A fixture value as a JS number (bools as 0/1). */
export const toNumber = (v: RawValue): number =>
  typeof v === "string" ? SPECIAL[v]! : typeof v === "boolean" ? Number(v) : v;

/** A case argument as graft sees it: an array, or a JS number for a Python scalar. */
export type Arg = np.Array | number;

/** Builds an argument exactly as the generator wrote it. */
export function toArg(spec: ArraySpec | ScalarSpec): Arg {
  if ("py" in spec) return Number(spec.py);
  return np.array(spec.v.map(toNumber), { shape: [...spec.shape], dtype: spec.dt });
}

/** What a case implementation returns: an array, or a list of them (matching an OutSpec list). */
export type Out = np.Array | readonly Out[];

/** How close a float result must be (integers, bools and bits are always compared exactly). */
export interface Tolerance {
  /** Allowed error in units in the last place of each expected value. */
  readonly ulps: number;
  /** Allowed error in ulps of the largest expected magnitude in the array (cancellation near 0). */
  readonly scaleUlps: number;
}

/** The spacing of floats at |x| for a dtype (subnormals use the smallest normal's spacing). */
export function ulp(x: number, dtype: DType): number {
  const [bits, minExp] = dtype === "float64" ? [52, -1022] : [23, -126];
  const e = Math.max(Math.floor(Math.log2(Math.abs(x) || Number.MIN_VALUE)), minExp);
  return 2 ** (e - bits);
}

/** Asserts graft's result matches JAX's: dtype, shape, weak type (when `checkWeak`) and values. */
export function expectMatches(got: Out, want: OutSpec, tol: Tolerance, checkWeak: boolean, path = "out"): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got), `${path}: want a list of ${want.length}`).toBe(true);
    const list = got as readonly Out[];
    expect(list.length, `${path}: length`).toBe(want.length);
    want.forEach((w: OutSpec, i: number) => expectMatches(list[i]!, w, tol, checkWeak, `${path}[${i}]`));
    return;
  }
  const spec = want as ArraySpec;
  expect(got instanceof np.Array, `${path}: want an array`).toBe(true);
  const x = got as np.Array;
  expect(x.dtype, `${path}: dtype`).toBe(spec.dt);
  expect(x.shape, `${path}: shape`).toEqual(spec.shape);
  if (checkWeak) expect(x.weakType, `${path}: weak type`).toBe(spec.weak ?? false);
  const values = Array.from(x.dataSync() as ArrayLike<number | bigint>, Number);
  const wants = spec.v.map(toNumber);
  const isFloat = spec.dt === "float32" || spec.dt === "float64";
  const fround = spec.dt === "float32" ? Math.fround : (v: number) => v;
  const scale = Math.max(0, ...wants.filter(Number.isFinite).map(Math.abs));
  const exact = tol.ulps === 0 && tol.scaleUlps === 0;
  // XLA on CPU flushes subnormal results to zero (graft keeps IEEE subnormals), and its algebraic
  // simplifier rewrites some products as selects, which loses the sign of zero (convert(bool)·x
  // gives +0 for false·(−0.75)): values below the smallest normal compare equal, whatever their sign.
  const minNormal = spec.dt === "float64" ? 2 ** -1022 : 2 ** -126;
  const bad: string[] = [];
  wants.forEach((w0, i) => {
    const w = fround(w0);
    const g = values[i]!;
    if (isFloat && Math.abs(w) < minNormal && Math.abs(g) < minNormal) return; // flushed to zero, or ±0
    if (!isFloat || !Number.isFinite(w) || exact) {
      if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) bad.push(`[${i}] got ${g}, want ${w}`);
      return;
    }
    const allowed = tol.ulps * ulp(w, spec.dt) + tol.scaleUlps * ulp(scale, spec.dt);
    if (!(Math.abs(g - w) <= allowed)) bad.push(`[${i}] got ${g}, want ${w} (allowed ±${allowed.toExponential(2)})`);
  });
  expect(bad.join("; "), `${path}: ${bad.length} of ${wants.length} values differ`).toBe("");
}
