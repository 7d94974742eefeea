/**
 * The JAX convolution fixture (test/fixtures/conv.json, written by scripts/conv-fixtures.py) and
 * the convolution each case describes, shared by the reference/wasm tests and the WebGPU tests.
 */
import { readFileSync } from "node:fs";
import { type Array, lax } from "../../src/index.js";
import type { ConvDimensionNumbers, ConvPadding } from "../../src/lax/control/index.js";

export type Nested = number | Nested[];

/** One `lax.conv_general_dilated` call with JAX's output, a cotangent and the gradients it gives. */
export interface ConvCase {
  name: string;
  lhs: Nested;
  rhs: Nested;
  strides: number[];
  padding: ConvPadding;
  lhsDilation: number[] | null;
  rhsDilation: number[] | null;
  dimensionNumbers: [string, string, string] | null;
  featureGroupCount: number;
  batchGroupCount: number;
  out: Nested;
  outShape: number[];
  cotangent: Nested;
  gradLhs: Nested;
  gradRhs: Nested;
}

/** The whole fixture file (other sections are typed by the tests that read them). */
export const convFixture = JSON.parse(readFileSync(new URL("../fixtures/conv.json", import.meta.url), "utf8")) as {
  conv: ConvCase[];
} & Record<string, unknown>;

/** A nested list's numbers in row-major order. */
export const flatten = (v: Nested): number[] => (globalThis.Array.isArray(v) ? v.flatMap(flatten) : [v]);

/** The case's convolution as a function of its two operands. */
export const convOf =
  (c: ConvCase) =>
  (x: Array, w: Array): Array =>
    lax.convGeneralDilated(x, w, c.strides, c.padding, {
      ...(c.lhsDilation ? { lhsDilation: c.lhsDilation } : {}),
      ...(c.rhsDilation ? { rhsDilation: c.rhsDilation } : {}),
      ...(c.dimensionNumbers ? { dimensionNumbers: c.dimensionNumbers as ConvDimensionNumbers } : {}),
      featureGroupCount: c.featureGroupCount,
      batchGroupCount: c.batchGroupCount,
    });
