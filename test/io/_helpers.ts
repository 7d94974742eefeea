/** Shared helpers of the io tests: fixtures written by Python, and comparisons read with `await x.data()`. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { Array } from "../../src/core/array.js";
import { defaultBackend } from "../../src/core/backend.js";
import * as np from "../../src/numpy/index.js";
import { tree } from "../../src/tree/index.js";

export { np, tree, Array };

const FIXTURES = new URL("../fixtures/io/", import.meta.url);

/** The bytes of a fixture written by scripts/io-fixtures.py. */
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

/** A tensor as expected.json describes it: its values as Python wrote them. */
export interface ExpectedTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly values: (number | boolean | string)[];
}

export const expected = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8")) as {
  tree: Record<string, ExpectedTensor>;
  npy: Record<string, ExpectedTensor>;
  metadata: Record<string, string>;
};

/** JSON cannot spell NaN, ±Infinity or -0: the generator writes them as strings. */
const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };
const decode = (v: number | boolean | string): number =>
  typeof v === "string" ? SPECIAL[v]! : typeof v === "boolean" ? Number(v) : v;

/** WebGPU has no float64: the float64 cases run on the other backends. */
export const hasFloat64 = defaultBackend().name !== "webgpu";

/** `x` has the dtype, shape and exact values (NaN, -0 included) that Python wrote. */
export async function expectTensor(x: unknown, want: ExpectedTensor, what: string): Promise<void> {
  expect(x, what).toBeInstanceOf(Array);
  const a = x as Array;
  expect(a.dtype, `${what}: dtype`).toBe(want.dtype);
  expect(a.shape, `${what}: shape`).toEqual(want.shape);
  const got = globalThis.Array.from(await a.data(), Number);
  expect(got, `${what}: values`).toEqual(want.values.map(decode));
}

/** Two pytrees of arrays have the same structure, and each pair of leaves the same dtype, shape and bits. */
export async function expectSameTree(got: unknown, want: unknown): Promise<void> {
  const [gl, gd] = tree.flatten(got);
  const [wl, wd] = tree.flatten(want);
  expect(gd.toString(), "structure").toBe(wd.toString());
  for (let i = 0; i < wl.length; i++) {
    const g = gl[i] as Array;
    const w = wl[i] as Array;
    expect(g, `leaf ${i}`).toBeInstanceOf(Array);
    expect([g.dtype, g.shape], `leaf ${i}: dtype and shape`).toEqual([w.dtype, w.shape]);
    expect(await g.data(), `leaf ${i}: values`).toEqual(await w.data());
  }
}

/** A copy of `bytes` with `edit` applied (fixtures and saved files are never changed in place). */
export function edited(bytes: Uint8Array, edit: (copy: Uint8Array, view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(copy, new DataView(copy.buffer));
  return copy;
}

/**
 * A safetensors file built by hand from a header object and data bytes, padded as the
 * specification says: for corrupt-file tests that need a well-formed frame around a bad header.
 */
export function safetensorsFile(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const padded = json.length + ((8 - ((8 + json.length) % 8)) % 8);
  const out = new Uint8Array(8 + padded + data.length).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}
