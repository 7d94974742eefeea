/** Loads test/fixtures/sorting.json (from scripts/gen-sorting-fixtures.py) and compares against it. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { np } from "../../src/index.js";

export interface Encoded {
  shape: number[];
  dtype: "float64" | "int32";
  data: (number | string)[];
}

const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };
const decodeValue = (v: number | string): number => (typeof v === "number" ? v : SPECIAL[v]!);

/** The fixture file, parsed once. */
export const FIXTURES = JSON.parse(
  readFileSync(new URL("../fixtures/sorting.json", import.meta.url), "utf8"),
) as Record<string, Record<string, unknown>[]>;

/** A graft array holding an encoded fixture array. */
export const decode = (e: Encoded): np.Array =>
  np.array(Float64Array.from(e.data, decodeValue), { shape: e.shape, dtype: e.dtype });

/**
 * Same shape and values: NaN matches NaN, and zeros must agree in sign (Object.is) where `tol` is 0;
 * otherwise |got - want| <= tol (1 + |want|).
 */
export function expectMatches(got: np.Array, want: Encoded, tol = 0, what = ""): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  const g = Array.from(got.dataSync(), Number);
  want.data.forEach((raw, i) => {
    const w = decodeValue(raw);
    const ok = Number.isNaN(w)
      ? Number.isNaN(g[i]!)
      : tol === 0
        ? Object.is(g[i], w)
        : Math.abs(g[i]! - w) <= tol * (1 + Math.abs(w));
    expect(ok, `${what} index ${i}: got ${g[i]}, want ${w}`).toBe(true);
  });
}
