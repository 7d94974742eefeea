/**
 * Eager primitives on the WebGPU backend's shape-generic shaders (backends/webgpu/eager-generic.ts):
 * views and copies, reductions, arg-reductions, cumsum, dot_general and indexing, each against the
 * reference backend ("cpu") over 0-d to rank-6 shapes, float32/int32/uint32/bool and empty arrays.
 *
 * Exactness: data movement, integer and bool arithmetic, max/min and arg-reductions must equal the
 * reference bit for bit. float32 sums, products and matrix products round in float32 where the
 * reference accumulates in float64, so they are checked (a) bit for bit on small-integer data,
 * where every partial result is exact in both; (b) bit for bit against the jitted function on
 * the same device, whose planned kernels accumulate in the same documented order; and (c) for
 * matrix products of random data, within the float32 summation bound |C − C64| ≤
 * (γ(k, 2^-24) + γ(k, 2^-53))·Σ|a·b| (test/webgpu/matmul.test.ts derives it).
 *
 * Each test runs its first case, then every other case, and asserts that those compiled no
 * pipeline (webGpuStats().pipelines): a new shape reuses the shader of its primitive and dtype.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../src/core/primitives.js";
import { bind1 } from "../../src/core/trace.js";
import { type Array as GArray, closeWebGpu, initWebGpu, jit, nn, np, withBackend } from "../../src/index.js";
import { webGpuStats } from "../../backends/webgpu/index.js";
import { EDGES, firstMismatch, random, sameValue } from "./expr-harness.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const DTYPES = ["float32", "int32", "uint32", "bool"] as const;
type Dt = (typeof DTYPES)[number];

/**
 * Host data for one operand: "any" mixes each dtype's edge values (NaN, ±0, ±∞, extremes) with
 * random words; "small" holds integers in [−3, 3] ([0, 6] for uint32), whose float32 sums of up to
 * 2^22 terms are exact; "unit" holds ±1 with a ±2 or ±0.5 every 97 elements and a zero every 1009
 * (float32: any product of up to 12000 of them is an exact power of two within range).
 */
interface Operand {
  readonly shape: number[];
  readonly dtype: DType;
  readonly data: TypedArray;
}

function operand(shape: number[], dtype: Dt, seed: number, kind: "any" | "small" | "unit" = "any"): Operand {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = random(seed);
  const data = allocate(dtype, n);
  const edges = EDGES[dtype];
  for (let i = 0; i < n; i++) {
    const w = r();
    if (kind === "unit") {
      const m = i % 97 === 40 ? (w & 2 ? 2 : 0.5) : i % 1009 === 500 ? 0 : 1;
      data[i] = w & 1 ? -m : m;
    } else if (kind === "small") data[i] = dtype === "bool" ? w & 1 : (w % 7) - (dtype === "uint32" ? 0 : 3);
    else if (i % 5 === 2) data[i] = edges[w % edges.length]!;
    else if (dtype === "float32") data[i] = ((r() / 2 ** 32) * 2 - 1) * 2 ** ((w % 17) - 8);
    else if (dtype === "bool") data[i] = w & 1;
    else data[i] = dtype === "int32" ? w | 0 : w;
  }
  return { shape, dtype, data };
}

const int32 = (shape: number[], values: number[]): Operand => ({
  shape,
  dtype: "int32",
  data: Int32Array.from(values),
});

const arrayOn = (backend: "cpu" | "webgpu", x: Operand): GArray =>
  withBackend(backend, () => np.array(x.data, { shape: x.shape, dtype: x.dtype }));

/** One eager application of a primitive. */
interface Case {
  readonly prim: PrimName;
  readonly params: Readonly<Record<string, unknown>>;
  readonly args: readonly Operand[];
}

const run = (backend: "cpu" | "webgpu", c: Case): GArray =>
  withBackend(backend, () =>
    bind1(
      c.prim,
      c.args.map((a) => arrayOn(backend, a)),
      c.params as PrimParams[PrimName],
    ),
  );

const label = (c: Case): string =>
  `${c.prim} ${JSON.stringify(c.params)} on ${c.args.map((a) => `${a.dtype}[${a.shape}]`).join(", ")}`;

/** The eager WebGPU result of `c` must equal the reference's bit for bit. */
async function expectReference(c: Case): Promise<void> {
  const want = run("cpu", c);
  const have = run("webgpu", c);
  expect(have.shape, label(c)).toEqual(want.shape);
  expect(have.dtype, label(c)).toBe(want.dtype);
  const msg = firstMismatch(await have.data(), want.dataSync(), sameValue, (i) => `${label(c)} [${i}]`);
  expect(msg).toBeUndefined();
}

/** The eager WebGPU result of `c` must equal the jitted one on the same device bit for bit. */
async function expectJitted(c: Case): Promise<void> {
  const eager = run("webgpu", c);
  const args = c.args.map((a) => arrayOn("webgpu", a));
  const jitted = withBackend("webgpu", () =>
    jit((...xs: GArray[]) => bind1(c.prim, xs, c.params as PrimParams[PrimName]))(...args),
  );
  const msg = firstMismatch(await eager.data(), await jitted.data(), sameValue, (i) => `${label(c)} [${i}]`);
  expect(msg).toBeUndefined();
}

/**
 * Runs `check` on every case; together they may compile at most `most` pipelines — the generic
 * shaders they need (one per primitive kind and dtype), however many shapes the cases have. A
 * per-shape compilation would take one per case.
 */
async function sweep(cases: readonly Case[], check: (c: Case) => Promise<void>, most: number): Promise<void> {
  const before = webGpuStats().pipelines;
  for (const c of cases) await check(c);
  expect(webGpuStats().pipelines - before, `pipelines compiled by ${cases.length} cases`).toBeLessThanOrEqual(most);
  expect(cases.length).toBeGreaterThan(2 * most);
}

/** The cases `make` gives for each dtype, in one list. */
const perDtype = (dtypes: readonly Dt[], make: (dt: Dt, seed: number) => Case[]): Case[] =>
  dtypes.flatMap((dt, k) => make(dt, 100 * k + 1));

const FILL: Record<Dt, number> = { float32: -1.5, int32: -7, uint32: 7, bool: 1 };

describe.skipIf(skip !== undefined)(`eager generic WebGPU shaders${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if ("skip" in got) return;
    await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  it("broadcast_in_dim, transpose, slice, rev and reshape equal the reference for every dtype and rank 0–6", async () => {
    const cases = perDtype(DTYPES, (dt, s) => {
      const x = (shape: number[], k = 0) => operand(shape, dt, s + k);
      return [
        { prim: "broadcast_in_dim", params: { shape: [3, 2], broadcastDimensions: [1] }, args: [x([2])] },
        { prim: "broadcast_in_dim", params: { shape: [3, 2], broadcastDimensions: [] }, args: [x([])] },
        { prim: "broadcast_in_dim", params: { shape: [3, 4], broadcastDimensions: [0, 1] }, args: [x([3, 1])] },
        {
          prim: "broadcast_in_dim",
          params: { shape: [2, 3, 4, 5, 1, 2], broadcastDimensions: [0, 1, 3, 5] },
          args: [x([1, 3, 1, 2], 1)],
        },
        { prim: "broadcast_in_dim", params: { shape: [2, 0], broadcastDimensions: [1] }, args: [x([0])] },
        { prim: "transpose", params: { permutation: [1, 0] }, args: [x([5, 3])] },
        { prim: "transpose", params: { permutation: [2, 0, 1] }, args: [x([2, 3, 4])] },
        { prim: "transpose", params: { permutation: [] }, args: [x([])] },
        { prim: "transpose", params: { permutation: [5, 3, 1, 0, 2, 4] }, args: [x([2, 1, 3, 2, 2, 3], 2)] },
        { prim: "transpose", params: { permutation: [1, 0] }, args: [x([0, 3])] },
        { prim: "slice", params: { start: [1], limit: [10], strides: [3] }, args: [x([11])] },
        { prim: "slice", params: { start: [1, 0], limit: [4, 5], strides: [2, 2] }, args: [x([4, 5])] },
        { prim: "slice", params: { start: [0, 1, 2], limit: [3, 3, 5], strides: [1, 1, 1] }, args: [x([3, 4, 5])] },
        { prim: "slice", params: { start: [2], limit: [2], strides: [1] }, args: [x([5])] },
        { prim: "slice", params: { start: [], limit: [], strides: [] }, args: [x([])] },
        { prim: "rev", params: { axes: [0] }, args: [x([7])] },
        { prim: "rev", params: { axes: [0, 2] }, args: [x([2, 3, 4])] },
        { prim: "rev", params: { axes: [1, 4, 5] }, args: [x([2, 3, 1, 2, 2, 3], 3)] },
        { prim: "rev", params: { axes: [] }, args: [x([])] },
        { prim: "rev", params: { axes: [0] }, args: [x([0, 2])] },
        { prim: "reshape", params: { shape: [3, 4] }, args: [x([2, 6])] },
        { prim: "reshape", params: { shape: [1] }, args: [x([])] },
        { prim: "reshape", params: { shape: [3, 0] }, args: [x([0, 3])] },
      ];
    });
    // One strided copy serves them all (reshape moves nothing).
    await sweep(cases, expectReference, 1);
  });

  it("pad (lo, hi, interior, the fill value as the dtype stores it) and concatenate equal the reference", async () => {
    const cases = perDtype(DTYPES, (dt, s) => {
      const x = (shape: number[], k = 0) => operand(shape, dt, s + k);
      const value = FILL[dt];
      return [
        { prim: "pad", params: { lo: [1], hi: [2], interior: [1], value }, args: [x([3])] },
        { prim: "pad", params: { lo: [], hi: [], interior: [], value }, args: [x([])] },
        { prim: "pad", params: { lo: [0, 2], hi: [1, 0], interior: [2, 0], value }, args: [x([2, 3])] },
        { prim: "pad", params: { lo: [2], hi: [1], interior: [3], value }, args: [x([0])] },
        { prim: "pad", params: { lo: [0, 0], hi: [0, 0], interior: [0, 0], value: 0 }, args: [x([2, 2])] },
        {
          prim: "pad",
          params: { lo: [1, 0, 0, 2, 0, 1], hi: [0, 1, 0, 0, 2, 0], interior: [1, 0, 2, 0, 1, 0], value },
          args: [x([2, 1, 3, 2, 2, 1], 1)],
        },
        { prim: "concatenate", params: { axis: 1 }, args: [x([2, 3]), x([2, 1], 1), x([2, 0], 2)] },
        { prim: "concatenate", params: { axis: 0 }, args: [x([3]), x([4], 1)] },
        { prim: "concatenate", params: { axis: 0 }, args: [x([1, 2, 3]), x([2, 2, 3], 1)] },
        { prim: "concatenate", params: { axis: 2 }, args: [x([2, 2, 1, 2]), x([2, 2, 3, 2], 1), x([2, 2, 2, 2], 2)] },
        { prim: "concatenate", params: { axis: 0 }, args: [x([0, 2]), x([0, 2], 1)] },
      ];
    });
    // The strided copy and a fill.
    await sweep(cases, expectReference, 2);
  });

  it("iota equals the reference in float32, int32 and uint32", async () => {
    const numeric = ["float32", "int32", "uint32"] as const;
    const cases = numeric.flatMap((dtype): Case[] => [
      { prim: "iota", params: { shape: [5], dimension: 0, dtype }, args: [] },
      { prim: "iota", params: { shape: [3, 4], dimension: 1, dtype }, args: [] },
      { prim: "iota", params: { shape: [2, 3, 4], dimension: 0, dtype }, args: [] },
      { prim: "iota", params: { shape: [2, 1, 3, 1, 2, 2], dimension: 4, dtype }, args: [] },
      { prim: "iota", params: { shape: [0, 3], dimension: 1, dtype }, args: [] },
    ]);
    await sweep(cases, expectReference, numeric.length);
  });

  it("integer, bool, max and min reductions over any axes equal the reference bit for bit (loop and workgroup forms)", async () => {
    const cases: { shape: number[]; axes: number[] }[] = [
      { shape: [], axes: [] },
      { shape: [7], axes: [0] },
      { shape: [3, 4], axes: [0] },
      { shape: [3, 4], axes: [1] },
      { shape: [3, 4], axes: [0, 1] },
      { shape: [2, 3, 4], axes: [1] },
      { shape: [2, 3, 4], axes: [0, 2] },
      { shape: [2, 3, 4], axes: [0, 1, 2] },
      { shape: [2, 1, 2, 3, 1, 2], axes: [0, 3, 5] },
      { shape: [2, 1, 2, 3, 1, 2], axes: [1, 2] },
      { shape: [0, 3], axes: [0] },
      { shape: [0, 3], axes: [1] },
      // Few outputs of many elements: the workgroup form on every adapter.
      { shape: [3, 5000], axes: [1] },
      { shape: [8192], axes: [0] },
    ];
    for (const prim of ["reduce_max", "reduce_min", "reduce_sum", "reduce_prod"] as const)
      for (const dtype of DTYPES) {
        if (dtype === "float32" && (prim === "reduce_sum" || prim === "reduce_prod")) continue;
        const all = cases.map(
          ({ shape, axes }, k): Case => ({ prim, params: { axes }, args: [operand(shape, dtype, k + 7)] }),
        );
        // The loop and the workgroup form.
        await sweep(all, expectReference, 2);
      }
  });

  it("float32 sums and products equal the reference on exact data and the jitted kernels' order bit for bit", async () => {
    const shapes: { shape: number[]; axes: number[] }[] = [
      { shape: [], axes: [] },
      { shape: [9], axes: [0] },
      { shape: [3, 4], axes: [1] },
      { shape: [3, 4], axes: [0] },
      { shape: [2, 3, 4], axes: [0, 2] },
      { shape: [2, 1, 2, 3, 1, 2], axes: [0, 3, 5] },
      { shape: [0, 3], axes: [0] },
      { shape: [3, 5000], axes: [1] },
      { shape: [2, 4096], axes: [0, 1] },
    ];
    for (const prim of ["reduce_sum", "reduce_prod"] as const) {
      const kind = prim === "reduce_sum" ? "small" : "unit";
      const exact = shapes.map(
        ({ shape, axes }, k): Case => ({ prim, params: { axes }, args: [operand(shape, "float32", k, kind)] }),
      );
      await sweep(exact, expectReference, 2);
      const random = shapes.map(
        ({ shape, axes }, k): Case => ({ prim, params: { axes }, args: [operand(shape, "float32", k + 50)] }),
      );
      for (const c of random) await expectJitted(c);
    }
  });

  it("argmax, argmin and cumsum equal the reference (first extreme, NaN wins; wrapping and `or` running sums)", async () => {
    const args = perDtype(DTYPES, (dtype, seed) => {
      const x = (shape: number[], k = 0) => [operand(shape, dtype, seed + k)];
      return (["argmax", "argmin"] as const).flatMap((prim): Case[] => [
        { prim, params: { axis: 0 }, args: x([9]) },
        { prim, params: { axis: 1 }, args: x([3, 5]) },
        { prim, params: { axis: 0 }, args: x([4, 3, 2], 1) },
        { prim, params: { axis: 2 }, args: x([2, 1, 6, 2, 1, 2], 2) },
        { prim, params: { axis: 0 }, args: x([3, 0]) },
      ]);
    });
    await sweep(args, expectReference, 2 * DTYPES.length);
    const sums = perDtype(DTYPES, (dtype, seed): Case[] => {
      // float32 on small integers: every running sum is exact.
      const x = (shape: number[], k = 0) => [operand(shape, dtype, seed + k, dtype === "float32" ? "small" : "any")];
      return [
        { prim: "cumsum", params: { axis: 0, reverse: false }, args: x([9]) },
        { prim: "cumsum", params: { axis: 1, reverse: true }, args: x([3, 5], 1) },
        { prim: "cumsum", params: { axis: 0, reverse: false }, args: x([4, 3, 2], 2) },
        { prim: "cumsum", params: { axis: 3, reverse: true }, args: x([2, 1, 2, 4, 1, 2], 3) },
        { prim: "cumsum", params: { axis: 1, reverse: false }, args: x([2, 0]) },
      ];
    });
    await sweep(sums, expectReference, DTYPES.length);
    // float32 running sums of mixed magnitudes: the jitted kernel's order.
    for (const reverse of [false, true])
      await expectJitted({ prim: "cumsum", params: { axis: 1, reverse }, args: [operand([3, 200], "float32", 9)] });
    const empty: Case = { prim: "argmax", params: { axis: 1 }, args: [operand([2, 0], "float32", 1)] };
    expect(() => run("webgpu", empty)).toThrow(/argmax: axis 1 is empty/);
  });

  /** A dot_general of operands of shapes `lhs` and `rhs`, contracting lc with rc and batching lb with rb. */
  const dot = (lhs: number[], rhs: number[], lc: number[], rc: number[], lb: number[] = [], rb: number[] = []) => ({
    lhs,
    rhs,
    params: { contracting: [lc, rc], batch: [lb, rb] } as PrimParams["dot_general"],
  });
  const DOTS = [
    dot([3, 4], [4, 5], [1], [0]),
    dot([4], [4], [0], [0]),
    dot([2, 3, 4], [2, 4, 5], [2], [1], [0], [0]),
    dot([4, 3], [5, 4], [0], [1]),
    dot([2, 3, 4, 5], [4, 5, 6], [2, 3], [0, 1]),
    // rhs contracting dims out of memory order, lhs free dims split by the contracting one: copies first.
    dot([3, 4, 2], [2, 4], [1, 2], [1, 0]),
    dot([3, 2, 4], [2, 5], [1], [0]),
    dot([2, 5, 3], [5, 2, 4], [0], [1], [1], [0]),
    dot([3, 0], [0, 2], [1], [0]),
    dot([0, 3], [3, 2], [1], [0]),
    dot([37, 29], [29, 41], [1], [0]),
  ];

  it("dot_general equals the reference: batch and contracting dims in any order, every dtype, k = 0, empty", async () => {
    const cases = perDtype(DTYPES, (dtype, seed) => {
      // float32 on small integers: every product and partial sum is exact.
      const kind = dtype === "float32" ? "small" : "any";
      return DOTS.map(
        ({ lhs, rhs, params }, k): Case => ({
          prim: "dot_general",
          params,
          args: [operand(lhs, dtype, seed + 2 * k, kind), operand(rhs, dtype, seed + 2 * k + 1, kind)],
        }),
      );
    });
    // One matmul per dtype, and the copy that reorders operands.
    await sweep(cases, expectReference, DTYPES.length + 1);
    // One operand twice (x·xᵀ binds one buffer to both reads).
    const x = arrayOn("webgpu", operand([5, 6], "float32", 3, "small"));
    const xx = withBackend("webgpu", () => bind1("dot_general", [x, x], { contracting: [[1], [1]], batch: [[], []] }));
    const h = withBackend("cpu", () => np.array(operand([5, 6], "float32", 3, "small").data, { shape: [5, 6] }));
    const want = withBackend("cpu", () => bind1("dot_general", [h, h], { contracting: [[1], [1]], batch: [[], []] }));
    expect(Array.from(await xx.data())).toEqual(Array.from(want.dataSync()));
  });

  it("float32 dot_general of random data stays within the float32 summation bound of the reference", async () => {
    const gamma = (k: number, u: number): number => (k * u) / (1 - k * u);
    // Finite values of mixed magnitudes and signs (edge values would make the bound infinite).
    const finite = (shape: number[], seed: number): Operand => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 7.1 + seed) * 2 ** ((i * seed) % 9));
      return { shape, dtype: "float32", data };
    };
    let inexact = 0;
    for (const [k, { lhs, rhs, params }] of DOTS.entries()) {
      const [a, b] = [finite(lhs, k + 1), finite(rhs, k + 2)];
      const c: Case = { prim: "dot_general", params, args: [a, b] };
      const want = run("cpu", c).dataSync();
      const have = await run("webgpu", c).data();
      const abs = (o: Operand): Operand => ({ ...o, data: Float32Array.from(o.data, Math.abs) });
      // Σ|a·b| as the reference computes it (rounded once to float32: 2^-22 more bounds the exact sum).
      const s = run("cpu", { ...c, args: [abs(a), abs(b)] }).dataSync();
      const terms = params.contracting[0].reduce((acc, d) => acc * lhs[d]!, 1);
      const scale = (gamma(terms, 2 ** -24) + gamma(terms, 2 ** -53)) * (1 + 2 ** -22);
      have.forEach((g, i) => {
        expect(Math.abs(g - want[i]!), `${label(c)} [${i}]`).toBeLessThanOrEqual(scale * s[i]!);
        if (g !== want[i]) inexact++;
      });
    }
    // Random sums do round differently from float64 somewhere: the check sees both sides.
    expect(inexact).toBeGreaterThan(0);
  });

  it("gather, scatter_add, dynamic_slice and dynamic_update_slice equal the reference (clamped indices)", async () => {
    const cases = perDtype(DTYPES, (dt, s) => {
      const x = (shape: number[], k = 0) => operand(shape, dt, s + k);
      const idx = int32([6], [4, -1, 9, 0, 2, 2]);
      return [
        { prim: "gather", params: { axis: 0 }, args: [x([5, 3]), idx] },
        { prim: "gather", params: { axis: 1 }, args: [x([2, 5, 2]), int32([2, 2], [1, 7, -3, 4])] },
        { prim: "gather", params: { axis: 0 }, args: [x([0, 3]), int32([2], [0, 1])] },
        { prim: "gather", params: { axis: 0 }, args: [x([6]), int32([], [3])] },
        { prim: "gather", params: { axis: 2 }, args: [x([2, 1, 4, 2, 1, 3], 1), idx] },
        { prim: "scatter_add", params: { axis: 0 }, args: [x([5, 3]), idx, x([6, 3], 1)] },
        { prim: "scatter_add", params: { axis: 1 }, args: [x([2, 5, 2]), int32([3], [1, 1, 7]), x([2, 3, 2], 2)] },
        // Over SCATTER_LANES elements: each invocation owns several rows.
        { prim: "scatter_add", params: { axis: 0 }, args: [x([40000]), idx, x([6], 3)] },
        { prim: "scatter_add", params: { axis: 0 }, args: [x([0, 2]), int32([1], [0]), x([1, 2])] },
        {
          prim: "dynamic_slice",
          params: { sizes: [3, 4] },
          args: [x([5, 6]), int32([], [3]), int32([], [-2])],
        },
        { prim: "dynamic_slice", params: { sizes: [] }, args: [x([])] },
        {
          prim: "dynamic_slice",
          params: { sizes: [1, 2, 2] },
          args: [x([2, 3, 4]), int32([], [1]), int32([], [9]), int32([], [1])],
        },
        {
          prim: "dynamic_update_slice",
          params: {},
          args: [x([5, 6]), x([2, 3], 1), int32([], [4]), int32([], [1])],
        },
        {
          prim: "dynamic_update_slice",
          params: {},
          args: [x([3, 2, 4]), x([1, 2, 0], 1), int32([], [1]), int32([], [0]), int32([], [2])],
        },
      ];
    });
    // gather (every dtype), scatter_add per dtype, the dynamic slices per rank (0, 2, 3; 2, 3).
    await sweep(cases, expectReference, 1 + DTYPES.length + 3 + 2);
  });

  it("empty elementwise results need no pipeline, not even a primitive's first", async () => {
    const before = webGpuStats().pipelines;
    const [sum, angle] = withBackend("webgpu", () => {
      const x = np.zeros([0, 3]);
      return [x.add(x), np.arctan2(x, x)];
    });
    expect(sum!.shape).toEqual([0, 3]);
    expect((await angle!.data()).length).toBe(0);
    expect(webGpuStats().pipelines).toBe(before);
  });

  it("an eager MLP forward at three batch sizes compiles pipelines only for the first", async () => {
    const w1 = operand([8, 16], "float32", 1);
    const b1 = operand([16], "float32", 2);
    const w2 = operand([16, 3], "float32", 3);
    const forward = (batch: number): GArray =>
      withBackend("webgpu", () => {
        const x = arrayOn("webgpu", operand([batch, 8], "float32", batch, "small"));
        const h = np.tanh(np.matmul(x, arrayOn("webgpu", w1)).add(arrayOn("webgpu", b1)));
        const logits = np.matmul(h, arrayOn("webgpu", w2));
        return np.mean(nn.logSoftmax(logits, -1).mul(-1), 0);
      });
    await forward(1).data();
    const before = webGpuStats().pipelines;
    for (const batch of [7, 33, 128]) await forward(batch).data();
    expect(webGpuStats().pipelines).toBe(before);
  });
});
