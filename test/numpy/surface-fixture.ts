/** Loads test/fixtures/numpy-surface.json (written by scripts/numpy-surface-fixtures.py) and compares against it. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { np, type DType } from "../../src/index.js";

/** A fixture value: a number, a non-finite number as a string, a bool, or nested lists of them. */
export type Raw = number | string | boolean | null | Raw[];
/** One fixture case: named values. */
export type FxCase = Record<string, Raw>;
// biome-ignore lint/suspicious/noExplicitAny: the fixture is untyped JSON, read field by field in the tests.
export const FX: any = JSON.parse(readFileSync(new URL("../fixtures/numpy-surface.json", import.meta.url), "utf8"));

const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, "-inf": -Infinity };
const num = (v: Raw): number => (typeof v === "string" ? SPECIAL[v]! : Number(v));

/** The nested JSON values as a flat list of numbers and a shape. */
export function decode(v: Raw): { data: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: Raw = v;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as Raw;
    if (probe === undefined) break;
  }
  const data = (Array.isArray(v) ? ((v as unknown[]).flat(Number.POSITIVE_INFINITY) as Raw[]) : [v]).map(num);
  return { data, shape };
}

/** A graft array from fixture values. */
export function fxArray(v: Raw, dtype: DType = "float64"): np.Array {
  const { data, shape } = decode(v);
  return np.array(data, { shape, dtype });
}

/**
 * Elementwise |got − want| <= atol + rtol·|want| with NaN and ±∞ required to match exactly, and
 * the shape checked too.
 */
export function expectFx(x: np.Array, want: Raw, rtol = 1e-12, atol = 0): void {
  const { data, shape } = decode(want);
  expect(x.shape, "shape").toEqual(shape);
  const got = Array.from(x.dataSync(), Number);
  got.forEach((g, i) => {
    const e = data[i]!;
    if (Number.isNaN(e)) expect(g, `index ${i}: want NaN`).toBeNaN();
    else if (!Number.isFinite(e)) expect(g, `index ${i}`).toBe(e);
    else expect(Math.abs(g - e), `index ${i}: got ${g}, want ${e}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e));
  });
}

/** A list of cases paired with their positions, for it.each titles. */
export const indexed = (list: FxCase[]): [number, FxCase][] => list.map((c, i) => [i, c]);
