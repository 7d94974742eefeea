/**
 * Shared helpers of the optimizer tests. The modules are imported directly (not through
 * src/index.ts) so these tests only depend on the pieces they exercise.
 */
import { expect } from "vitest";
import * as np from "../../src/numpy/index.js";
import { Array } from "../../src/core/array.js";
import { tree } from "../../src/tree/index.js";

export { np, tree, Array };
export { jit } from "../../transforms/jit.js";
export { grad, valueAndGrad } from "../../transforms/grad.js";
export * as optim from "../../src/optim/index.js";

export type Arr = np.Array;
export type DT = "float32" | "float64";

/** An array's elements as JS numbers. */
export const flat = (x: Arr): number[] => globalThis.Array.from(x.dataSync(), Number);

/** Elementwise |got − want| ≤ tol·(1 + |want|). */
export function expectClose(x: Arr, want: readonly number[] | number, tol = 1e-6): void {
  const got = flat(x);
  const w = typeof want === "number" ? [want] : want;
  expect(got.length, "size").toBe(w.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - w[i]!), `index ${i}: got ${g}, want ${w[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i]!))),
  );
}

/** Two pytrees of arrays have the same structure, dtypes and (close) values. */
export function expectTreesClose(a: unknown, b: unknown, tol = 1e-6, what = "tree"): void {
  const [la, da] = tree.flatten(a);
  const [lb, db] = tree.flatten(b);
  expect(da.toString(), `${what}: structure`).toBe(db.toString());
  la.forEach((x, i) => {
    const y = lb[i];
    if (!(x instanceof Array) || !(y instanceof Array)) {
      expect(x, `${what}: leaf ${i}`).toEqual(y);
      return;
    }
    expect(x.dtype, `${what}: dtype of leaf ${i}`).toBe(y.dtype);
    expect([...x.shape], `${what}: shape of leaf ${i}`).toEqual([...y.shape]);
    const fx = flat(x);
    const fy = flat(y);
    fx.forEach((v, j) => {
      const w = fy[j]!;
      if (Number.isNaN(w)) expect(Number.isNaN(v), `${what}: leaf ${i}[${j}] NaN`).toBe(true);
      else
        expect(Math.abs(v - w), `${what}: leaf ${i}[${j}]: ${v} vs ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)));
    });
  });
}

/** A float array with the given dtype. */
export const arr = (v: Parameters<typeof np.array>[0], dtype: DT = "float64"): Arr => np.array(v, { dtype });

/** An exponentially decaying learning-rate schedule lr·rᵗ (traceable; t is the int32 step count). */
export const expDecay =
  (lr: number, r: number) =>
  (t: Arr | number): Arr =>
    np.multiply(lr, np.power(r, t));

/** Every float leaf of a state has dtype `dtype` (counts are int32, flags bool). */
export function expectStateDtype(state: unknown, dtype: DT): void {
  for (const [path, leaf] of tree.flattenWithPath(state)[0]) {
    expect(leaf, `state leaf ${path}`).toBeInstanceOf(Array);
    const a = leaf as Arr;
    if (a.dtype === "int32" || a.dtype === "bool") continue;
    expect(a.dtype, `dtype of state leaf ${path}`).toBe(dtype);
  }
}

/** |got − want| within `tol` relative to 1 + |want| (for JS-number results). */
export function closeNumber(got: number, want: number, tol = 1e-12): void {
  expect(Math.abs(got - want), `got ${got}, want ${want}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));
}
