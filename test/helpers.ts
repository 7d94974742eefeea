/** Assertions shared by the unit tests. */
import { expect } from "vitest";
import { np } from "../src/index.js";

type Array = np.Array;

/** An array's elements as JS numbers. */
export const flat = (x: Array): number[] => Array.from(x.dataSync(), Number);

/** Elementwise |got - want| <= tol * (1 + |want|), with the failing index in the message. */
export function expectClose(x: Array, want: readonly number[] | number, tol = 1e-5): void {
  const got = flat(x);
  const w = typeof want === "number" ? [want] : want;
  expect(got.length, "size").toBe(w.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - w[i]!), `index ${i}: got ${g}, want ${w[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i]!))),
  );
}

/** A float64 array from JS numbers. */
export const f64 = (v: number[] | number): Array => np.array(v, { dtype: "float64" });
