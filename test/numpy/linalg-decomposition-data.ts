/**
 * The "decompositions" part of test/fixtures/linalg.json (scripts/gen-linalg-fixtures.py): NumPy
 * values and jax.grad derivatives of sign-invariant objectives for qr, eigh, eigvalsh, svd, lstsq,
 * pinv, matrixRank, cond and the singular-value norms; plus helpers comparing factors up to sign.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { np, type Array } from "../../src/index.js";
import type { Encoded } from "./linalg-fixture-data.js";

export interface DecompositionCase {
  op: string;
  args: Encoded[];
  outs: Record<string, Encoded>;
  grads?: Encoded[];
  mode?: "reduced" | "complete" | "r";
  uplo?: "L" | "U";
  rcond?: number | null;
  hermitian?: boolean;
  ord?: number | string | null;
  axis?: number[] | null;
  keepdims?: boolean;
}

/** The fixture's decomposition cases by name. */
export const DECOMPOSITIONS = (
  JSON.parse(readFileSync(new URL("../fixtures/linalg.json", import.meta.url), "utf8")) as {
    decompositions: Record<string, DecompositionCase>;
  }
).decompositions;

type WeightKind = "w1" | "w2" | "w3";
const WEIGHT: Record<WeightKind, (k: number) => number> = {
  w1: (k) => Math.sin(k),
  w2: (k) => Math.cos(k),
  w3: (k) => Math.sin(2 * k),
};

/** The generator's weights (see wts() in the script): f(k + 1) over the flat index k, in x's dtype. */
export function weights(shape: readonly number[], kind: WeightKind, dtype: Array["dtype"] = "float64"): Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return np.array(
    Float64Array.from({ length: size }, (_, k) => WEIGHT[kind](k + 1)),
    { shape, dtype },
  );
}

/** Σ w ∘ x with the generator's weights of `kind`. */
export const weighted = (x: Array, kind: WeightKind): Array => np.sum(weights(x.shape, kind, x.dtype).mul(x));

/** Flat host copy of an encoded array (non-finite strings as numbers). */
const valuesOf = (e: Encoded): number[] =>
  e.data.map((v) => (typeof v === "number" ? v : v === "NaN" ? Number.NaN : v === "Infinity" ? Infinity : -Infinity));

/**
 * For a stack of matrices (shape [..., r, c], flat data), one sign per column (`axis` −1: a column
 * is a vector over rows) or per row (−2), each chosen so `data` agrees with `ref` (positive dot).
 */
function signsAgainst(shape: readonly number[], data: number[], ref: number[], axis: -1 | -2): number[] {
  const [r, c] = shape.slice(-2) as [number, number];
  const out = data.slice();
  for (let b = 0; b < data.length / (r * c || 1); b++) {
    const lines = axis === -1 ? c : r;
    const len = axis === -1 ? r : c;
    for (let l = 0; l < lines; l++) {
      const at = (t: number): number => b * r * c + (axis === -1 ? t * c + l : l * c + t);
      let dot = 0;
      for (let t = 0; t < len; t++) dot += data[at(t)]! * ref[at(t)]!;
      if (dot < 0) for (let t = 0; t < len; t++) out[at(t)] = -data[at(t)]!;
    }
  }
  return out;
}

/** D R for a stack of R [..., r, c]: each row i < min(r, c) times sign(R_ii) (other rows as they are). */
export function signNormalizedR(shape: readonly number[], data: number[]): number[] {
  const [r, c] = shape.slice(-2) as [number, number];
  const out = data.slice();
  for (let b = 0; b < data.length / (r * c || 1); b++)
    for (let i = 0; i < Math.min(r, c); i++)
      if (data[b * r * c + i * c + i]! < 0)
        for (let j = 0; j < c; j++) out[b * r * c + i * c + j] = -data[b * r * c + i * c + j]!;
  return out;
}

/** Same shape and |got − want| ≤ tol (1 + |want|) elementwise, on host numbers. */
export function expectNumbersClose(got: number[], want: number[], tol: number, what: string): void {
  expect(got.length, `${what}: size`).toBe(want.length);
  want.forEach((w, i) => {
    expect(Math.abs(got[i]! - w) <= tol * (1 + Math.abs(w)), `${what}: index ${i}: got ${got[i]}, want ${w}`).toBe(
      true,
    );
  });
}

/**
 * Expects `got` equal to `want` up to one sign per column (`axis` −1, for Q, U, eigenvectors) or
 * per row (−2, for Vh), each sign chosen to agree with `want`. Compared on host numbers, so it
 * works for arrays of any backend and dtype.
 */
export function expectUpToSign(got: Array, want: Encoded, axis: -1 | -2, tol: number, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const ref = valuesOf(want);
  expectNumbersClose(
    signsAgainst(want.shape, globalThis.Array.from(got.dataSync(), Number), ref, axis),
    ref,
    tol,
    what,
  );
}

/** D R of `got` against D R of `want` (R's rows share the signs of Q's columns). */
export function expectRUpToSign(got: Array, want: Encoded, tol: number, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = signNormalizedR(want.shape, globalThis.Array.from(got.dataSync(), Number));
  expectNumbersClose(g, signNormalizedR(want.shape, valuesOf(want)), tol, what);
}

/** max |x − y| over all entries (same shapes). */
export const maxAbsDiff = (x: Array, y: Array): number => np.max(np.abs(x.sub(y))).item();
