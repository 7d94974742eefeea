/** Test data shared by the Hessian eigenvalue tests: known spectra, quadratics, and float64 comparisons. */
import { expect } from "vitest";
import * as np from "../../src/numpy/index.js";

type Array = np.Array;

/** Deterministic host Gaussians for test data (mulberry32 + Box–Muller). */
export class NormalStream {
  private state: number;
  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }
  private uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
  normals(n: number): Float64Array {
    return Float64Array.from({ length: n }, () => this.normal());
  }
}

export const f64 = (v: number[] | number[][]): Array => np.array(v, { dtype: "float64" });
export const flat = (x: Array): number[] => Array.from(x.dataSync(), Number);
export const close = (got: readonly number[], want: readonly number[], tol = 1e-8): void => {
  expect(got.length, `got [${got}], want [${want}]`).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!), `index ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(want[i]!)),
    ),
  );
};
export const desc = (xs: number[]) => [...xs].sort((a, b) => b - a);

/** A random orthogonal n×n matrix (rows orthonormal), by Gram–Schmidt on Gaussian rows. */
export function randomOrthogonal(n: number, seed: number): number[][] {
  const s = new NormalStream(seed);
  const rows: number[][] = [];
  while (rows.length < n) {
    const v = Array.from(s.normals(n));
    for (let pass = 0; pass < 2; pass++)
      for (const q of rows) {
        const c = q.reduce((acc, x, i) => acc + x * v[i]!, 0);
        q.forEach((x, i) => (v[i] = v[i]! - c * x));
      }
    const nv = Math.hypot(...v);
    rows.push(v.map((x) => x / nv));
  }
  return rows;
}

/** QᵀΛQ for a random orthogonal Q. */
export function withSpectrum(lambdas: number[], seed: number): number[][] {
  const Q = randomOrthogonal(lambdas.length, seed);
  const n = lambdas.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => lambdas.reduce((s, l, k) => s + Q[k]![i]! * l * Q[k]![j]!, 0)),
  );
}

/** ½ xᵀAx (+ a linear term, which does not change the Hessian) in float64. */
export function quadratic(A: number[][]) {
  const Am = f64(A);
  const b = f64(A.map((_, i) => i - 1));
  return (x: Array): Array => x.mul(np.matmul(Am, x)).sum().div(2).add(b.mul(x).sum());
}
export const point = (n: number): Array => f64(Array.from({ length: n }, (_, i) => Math.cos(i)));

export const METHODS = ["lanczos", "power"] as const;
