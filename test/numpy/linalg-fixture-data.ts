/** Loads test/fixtures/linalg.json (from scripts/gen-linalg-fixtures.py: NumPy/SciPy values, jax.grad derivatives). */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { np } from "../../src/index.js";

export interface Encoded {
  shape: number[];
  data: (number | string)[];
}

export interface LinalgCase {
  op: string;
  args: Encoded[];
  out: Encoded;
  out2?: Encoded;
  grads?: Encoded[];
  opts?: Record<string, boolean>;
  n?: number;
  ord?: number | string | null;
  axis?: number | number[] | null;
  keepdims?: boolean;
}

const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity };
const decodeValue = (v: number | string): number => (typeof v === "number" ? v : SPECIAL[v]!);

/** The fixture's cases by name, parsed once. */
export const CASES = (
  JSON.parse(readFileSync(new URL("../fixtures/linalg.json", import.meta.url), "utf8")) as {
    cases: Record<string, LinalgCase>;
  }
).cases;

/** A graft array holding an encoded fixture array. */
export const decode = (e: Encoded, dtype: "float32" | "float64" = "float64"): np.Array =>
  np.array(Float64Array.from(e.data, decodeValue), { shape: e.shape, dtype });

/** The generator's output weights: sin(k + 1) for the k-th flat element (see weights() in the script). */
export const weightsFor = (shape: readonly number[]): np.Array => {
  const size = shape.reduce((a, b) => a * b, 1);
  return np.array(
    Float64Array.from({ length: size }, (_, k) => Math.sin(k + 1)),
    { shape, dtype: "float64" },
  );
};

/** Same shape, and |got − want| ≤ tol (1 + |want|) elementwise (infinities and NaN must match exactly). */
export function expectMatches(got: np.Array, want: Encoded, tol: number, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = Array.from(got.dataSync(), Number);
  want.data.forEach((raw, i) => {
    const w = decodeValue(raw);
    const ok = Number.isFinite(w) ? Math.abs(g[i]! - w) <= tol * (1 + Math.abs(w)) : Object.is(g[i], w);
    expect(ok, `${what}: index ${i}: got ${g[i]}, want ${w}`).toBe(true);
  });
}
