/**
 * Reductions (backends/webgpu/codegen/reduce.ts) of real plans and hand-built kernels. max and
 * min do not depend on the order: they must equal the CPU backend's results bit for bit (NaN
 * anywhere gives NaN, +0 is the max of ±0). float32 sums and products round in float32 in the
 * kernel's documented order, so they must equal that order emulated here with Math.fround — and
 * stay within the float32 summation bound of the reference's float64 result. Integer and bool
 * reductions (hand-built: plans keep them as primitives today) wrap exactly as the reference's.
 */
import { describe, expect, it } from "vitest";
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import { type Array as GArray, np, withBackend } from "../../src/index.js";
import { kernelFor } from "../../backends/cpu/interpreter.js";
import type { KernelPlan, ReduceKernel, ReduceOp } from "../../backends/plan/types.js";
import {
  REDUCE_WORKGROUP,
  type ReduceShaderOptions,
  reduceShader,
  useWorkgroupReduce,
} from "../../backends/webgpu/codegen/reduce.js";
import { firstMismatch, random, sameValue } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { arr, bothWays } from "./plan-harness.js";
import { runKernel } from "./run-kernel.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Axes = number | number[] | null;
const REDUCERS: Record<ReduceOp, (x: GArray, axes: Axes) => GArray> = {
  sum: (x, a) => np.sum(x, a),
  prod: (x, a) => np.prod(x, a),
  max: (x, a) => np.max(x, a),
  min: (x, a) => np.min(x, a),
};

/**
 * The kernel's float32 result for values `v` (row-major over `shape`): per output (kept dims,
 * row-major), the reduced elements in row-major order, one after another, or — the workgroup
 * form — invocation t folding elements t, t + 256, …, then the tree s = 128, 64, …, 1.
 */
function emulate(v: TypedArray, shape: number[], axes: number[], op: "sum" | "prod", parallel: boolean): Float32Array {
  const f = op === "sum" ? (a: number, b: number) => Math.fround(a + b) : (a: number, b: number) => Math.fround(a * b);
  const start = op === "sum" ? 0 : 1;
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const count = (ds: number[]): number => ds.reduce((a, d) => a * shape[d]!, 1);
  const offsetOf = (flat: number, ds: number[]): number => {
    let off = 0;
    for (let k = ds.length - 1; k >= 0; k--) {
      const d = ds[k]!;
      off += (flat % shape[d]!) * strides[d]!;
      flat = Math.floor(flat / shape[d]!);
    }
    return off;
  };
  const nRed = count(axes);
  const out = new Float32Array(count(kept));
  for (let o = 0; o < out.length; o++) {
    const base = offsetOf(o, kept);
    const at = (r: number): number => v[base + offsetOf(r, axes)]!;
    if (!parallel) {
      let acc = start;
      for (let r = 0; r < nRed; r++) acc = f(acc, at(r));
      out[o] = acc;
      continue;
    }
    const part = Array.from({ length: REDUCE_WORKGROUP }, (_, t) => {
      let acc = start;
      for (let r = t; r < nRed; r += REDUCE_WORKGROUP) acc = f(acc, at(r));
      return acc;
    });
    for (let s = REDUCE_WORKGROUP / 2; s > 0; s >>= 1) for (let t = 0; t < s; t++) part[t] = f(part[t]!, part[t + s]!);
    out[o] = part[0]!;
  }
  return out;
}

/**
 * Reduces pro(x) along `axes` with every op on the device; max/min must equal the reference,
 * sum/prod the emulated order (and be near the reference). Returns whether the workgroup form ran.
 */
async function checkOps(
  x: GArray,
  pro: (x: GArray) => GArray,
  axes: Axes,
  ops: readonly ReduceOp[],
  options: ReduceShaderOptions = {},
): Promise<boolean[]> {
  if ("skip" in got) return [];
  const forms: boolean[] = [];
  const values = withBackend("cpu", () => pro(x).dataSync());
  const all = x.shape.map((_, d) => d);
  const ax = axes === null ? all : typeof axes === "number" ? [axes] : axes;
  for (const op of ops) {
    const { gpu, ref, plan } = await bothWays(got.device, (a) => REDUCERS[op](pro(a), axes), [x], options);
    const k = plan.kernels.find((kk): kk is ReduceKernel => kk.kind === "reduce");
    expect(k, `${op} planned as a reduce kernel`).toBeDefined();
    const parallel = useWorkgroupReduce(k!, options);
    forms.push(parallel);
    const want = op === "sum" || op === "prod" ? emulate(values, [...x.shape], ax, op, parallel) : ref[0]!;
    expect(firstMismatch(gpu[0]!, want, sameValue, (i) => `${op} output ${i}`)).toBeUndefined();
    if (op === "sum") {
      // The float32 running sum stays within n·2^-24·Σ|v| of the exact (reference) sum.
      const n = ax.reduce((a, d) => a * x.shape[d]!, 1);
      const absSum = emulate(values.map(Math.abs), [...x.shape], ax, "sum", false);
      gpu[0]!.forEach((g, i) => {
        const w = ref[0]![i]!;
        if (Number.isFinite(w)) expect(Math.abs(g - w)).toBeLessThanOrEqual(n * 2 ** -24 * absSum[i]! * 1.01);
      });
    }
  }
  return forms;
}

const ALL: readonly ReduceOp[] = ["sum", "prod", "max", "min"];
/** Values near 1, so products neither overflow nor underflow. */
const nearOne = (a: GArray) => a.mul(0.01).add(1);
const square = (a: GArray) => a.mul(a).sub(1);

describe.skipIf(skip !== undefined)(`WGSL reductions${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("inner, outer, middle, several and all axes, every op, with fused prologues", async () => {
    const a = arr([33, 50], 1);
    const b = arr([7, 9, 11], 2);
    for (const [x, axes] of [
      [a, 1],
      [a, 0],
      [b, 1],
      [b, [0, 2]],
      [b, null],
    ] as [GArray, Axes][]) {
      expect(await checkOps(x, square, axes, ["sum", "max", "min"])).toEqual([false, false, false]);
      await checkOps(x, nearOne, axes, ["prod"]);
    }
  });

  it("the workgroup form: a full sum of 2^20, long rows, long columns, many long rows; and the same looping", async () => {
    const cases: [GArray, Axes][] = [
      [arr([1 << 20], 3), null],
      [arr([8, 5000], 4), 1],
      [arr([5000, 8], 5), 0],
      [arr([300, 2000], 6), 1],
    ];
    for (const [x, axes] of cases) {
      expect(await checkOps(x, square, axes, ["sum", "max"])).toEqual([true, true]);
      await checkOps(x, nearOne, axes, ["prod"]);
    }
    // Forced to one invocation per output: the other order, the same semantics.
    expect(await checkOps(cases[0]![0], square, null, ["sum", "min"], { parallel: false })).toEqual([false, false]);
    expect(await checkOps(cases[2]![0], square, 0, ["sum"], { parallel: false })).toEqual([false]);
    // A software adapter keeps the workgroup form for a handful of outputs only.
    expect(await checkOps(cases[0]![0], square, null, ["sum"], { fallbackAdapter: true })).toEqual([true]);
    expect(await checkOps(cases[1]![0], square, 1, ["sum"], { fallbackAdapter: true })).toEqual([false]);
  });

  it("max and min: NaN anywhere wins, +0 is the max and −0 the min of ±0; a sum of −0s is +0", async () => {
    const r = random(7);
    const n = 3000;
    const data = Float32Array.from({ length: 4 * n }, () => (r() % 5) - 2);
    for (let i = 0; i < 4 * n; i += 97) data[i] = -0;
    data[5] = Number.NaN; // row 0, early
    data[n + n - 1] = Number.NaN; // row 1, last
    data.fill(0, 2 * n, 3 * n); // row 2: zeros of both signs
    for (let i = 2 * n; i < 3 * n; i += 2) data[i] = -0;
    data.fill(-0, 3 * n, 4 * n); // row 3: all −0
    const x = withBackend("cpu", () => np.array(data, { shape: [4, n] }));
    await checkOps(x, (a) => a, 1, ALL);
    await checkOps(x, (a) => a, 1, ALL, { parallel: false });
    await checkOps(x.get(":, :40"), (a) => a, 1, ALL);
  });

  it("empty reductions give the identity; empty outputs run nothing", async () => {
    // numpy refuses max/min over an empty axis: the hand-built kernels below cover theirs.
    await checkOps(arr([3, 0], 8), (a) => a, 1, ["sum", "prod"]);
    await checkOps(arr([0, 4], 9), (a) => a, 1, ["sum", "prod"]);
  });

  it("a transcendental prologue stays within the float32 summation bound of the reference", async () => {
    await checkOps(arr([40, 700], 10), (a) => a, 1, ["sum"]);
    if ("skip" in got) return;
    const x = arr([40, 3000], 11);
    const { gpu, ref } = await bothWays(got.device, (a) => np.sum(np.exp(a), 1), [x]);
    const n = 3000;
    gpu[0]!.forEach((g, i) => {
      // Terms are positive: |Σ fl − Σ| <= (n·2^-24 + 2^-23)·Σ (exp within 1 ulp).
      expect(Math.abs(g - ref[0]![i]!)).toBeLessThanOrEqual((n * 2 ** -24 + 2 ** -23) * ref[0]![i]!);
    });
  });

  for (const dtype of ["int32", "uint32", "bool", "float32"] as const) {
    const what = dtype === "float32" ? "max and min" : "wrapping sums and products, max, min";
    it(`${dtype} (hand-built): ${what} as the reference's, both forms, empty axes too`, async () => {
      if ("skip" in got) return;
      const r = random(dtype.length);
      for (const [shape, axes] of [
        [
          [6, 7, 5],
          [0, 2],
        ],
        [[3, 4000], [1]],
        [[3, 0], [1]],
      ] as [number[], number[]][]) {
        const size = shape.reduce((a, b) => a * b, 1);
        const data = allocate(dtype, size);
        const edges = [2147483647, -2147483648, -1, 0, 1, 3, 4294967295];
        for (let i = 0; i < size; i++) data[i] = dtype === "bool" ? r() & 1 : i % 11 === 0 ? edges[i % 7]! : r();
        if (dtype === "float32") for (let i = 0; i < size; i += 13) data[i] = i % 2 ? -0 : 0;
        // float32 sums and products depend on the order: the plan tests above check those.
        for (const op of dtype === "float32" ? (["max", "min"] as const) : ALL) {
          const k: ReduceKernel = {
            kind: "reduce",
            op,
            shape,
            axes,
            inputs: [
              { buffer: 0, offset: 0, strides: shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1)) },
            ],
            body: [{ kind: "input", input: 0, dtype }],
            dtype,
            output: 1,
          };
          const outShape = shape.filter((_, d) => !axes.includes(d));
          const nOut = outShape.reduce((a, b) => a * b, 1);
          const plan: KernelPlan = {
            buffers: [
              { id: 0, dtype, size, role: "input", offset: 0, index: 0, def: -1, lastUse: 0 },
              { id: 1, dtype, size: nOut, role: "output", offset: 0, def: 0, lastUse: 0 },
            ],
            kernels: [k],
            outputs: [{ buffer: 1 }],
            arenaBytes: 0,
          };
          const want = kernelFor(`reduce_${op}`)([data], [shape], [dtype], { axes }, { shape: outShape, dtype });
          // Each form once (the workgroup one only where it applies).
          for (const parallel of useWorkgroupReduce(k) ? [true, false] : [false]) {
            const w = reduceShader(k, plan, { parallel });
            const out = await runKernel(got.device, w, {
              0: { dtype, data },
              1: { dtype, data: allocate(dtype, nOut) },
            });
            const label = `${op} over ${axes} of [${shape}] (${parallel ? "workgroup" : "loop"})`;
            expect(firstMismatch(out[1]!, want, sameValue, (i) => `${label} output ${i}`)).toBeUndefined();
          }
        }
      }
    });
  }

  it("binds the prologue's buffers, then the output; a float64 reduction is refused", () => {
    const k: ReduceKernel = {
      kind: "reduce",
      op: "sum",
      shape: [4, 4],
      axes: [1],
      inputs: [
        { buffer: 2, offset: 0, strides: [4, 1] },
        { buffer: 2, offset: 0, strides: [1, 4] },
      ],
      body: [
        { kind: "input", input: 0, dtype: "float32" },
        { kind: "input", input: 1, dtype: "float32" },
        { kind: "op", prim: "sub", args: [0, 1], params: {}, dtype: "float32" },
      ],
      dtype: "float32",
      output: 0,
    };
    const buf = (id: number, dtype: DType, size: number) =>
      ({ id, dtype, size, role: "temp", offset: 0, def: -1, lastUse: -1 }) as const;
    const plan: KernelPlan = {
      buffers: [buf(0, "float32", 4), buf(1, "float32", 1), buf(2, "float32", 16)],
      kernels: [k],
      outputs: [],
      arenaBytes: 0,
    };
    expect(reduceShader(k, plan).bindings).toEqual([
      { buffer: 2, access: "read" },
      { buffer: 0, access: "read_write" },
    ]);
    const f64: KernelPlan = { ...plan, buffers: [buf(0, "float64", 4), buf(1, "float32", 1), buf(2, "float64", 16)] };
    const k64: ReduceKernel = { ...k, dtype: "float64", body: [{ kind: "input", input: 0, dtype: "float64" }] };
    expect(() => reduceShader(k64, f64)).toThrow(/float64/);
  });

  it("index nodes in a prologue (hand-built: plans materialize them) see the original dimensions", async () => {
    if ("skip" in got) return;
    // Σ_j (i·10 + j) over j < 5 for each i < 3, int32: 50·i + 10.
    const k: ReduceKernel = {
      kind: "reduce",
      op: "sum",
      shape: [3, 5],
      axes: [1],
      inputs: [],
      body: [
        { kind: "index", dim: 0, dtype: "int32" },
        { kind: "literal", value: 10, dtype: "int32" },
        { kind: "op", prim: "mul", args: [0, 1], params: {}, dtype: "int32" },
        { kind: "index", dim: 1, dtype: "int32" },
        { kind: "op", prim: "add", args: [2, 3], params: {}, dtype: "int32" },
      ],
      dtype: "int32",
      output: 0,
    };
    const plan: KernelPlan = {
      buffers: [{ id: 0, dtype: "int32", size: 3, role: "output", offset: 0, def: 0, lastUse: 0 }],
      kernels: [k],
      outputs: [{ buffer: 0 }],
      arenaBytes: 0,
    };
    const out = await runKernel(got.device, reduceShader(k, plan), { 0: { dtype: "int32", data: new Int32Array(3) } });
    expect(Array.from(out[0]!)).toEqual([10, 60, 110]);
  });
});
