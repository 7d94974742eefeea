/**
 * The matmul shaders (backends/webgpu/codegen/matmul.ts), both variants, run on the test adapter
 * against a float64 host reference, on hand-built DotKernels shaped like the planner's (the views
 * below are what planProgram gives for np.matmul, transposes, x·xᵀ and a fused bias + relu; see
 * backends/plan/build.ts) plus offsets, negative and zero strides, and edge sizes.
 *
 * The bound, derived rather than tuned: A and B hold float32 values, so each product a·b is exact in
 * float64 and the reference C64 = Σ a·b carries at most γ(k, 2^-53)·S of error, S = Σ|a·b|. The
 * shader sums k float32 terms in some fixed order, each term and partial sum rounded once (or once
 * per fused multiply-add), which is the classic bound |C − Σ a·b| ≤ γ(k, 2^-24)·S with
 * γ(k, u) = k·u / (1 − k·u) ≈ k·2^-24. Hence |C − C64| ≤ (γ(k, 2^-24) + γ(k, 2^-53))·S.
 */
import { describe, expect, it } from "vitest";
import type { TypedArray } from "../../src/core/dtype.js";
import { UnsupportedDTypeError } from "../../src/core/errors.js";
import type { DotKernel, KernelPlan, PlanBuffer, View } from "../../backends/plan/types.js";
import type { WgslBinding } from "../../backends/webgpu/codegen/kernel.js";
import {
  extraBindingName,
  type MatmulEpilogue,
  matmulShader,
  matmulVariant,
} from "../../backends/webgpu/codegen/matmul.js";
import { testGpu } from "./gpu.js";
import { type HostBuffer, runKernel } from "./run-kernel.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const VARIANTS = ["registers", "tiled"] as const;
const U32 = 2 ** -24;
const U64 = 2 ** -53;
const gamma = (k: number, u: number): number => (k * u) / (1 - k * u);

/** Deterministic float32 values in [-2, 2). */
function fill(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 30 - 2;
  });
}

/**
 * How one operand is stored: transposed or not, where it starts, elements after it (the buffer's
 * size need not be a whole number of vec4s), rows reversed, batch broadcast.
 */
interface Layout {
  readonly transposed?: boolean;
  readonly offset?: number;
  readonly tail?: number;
  readonly reversed?: boolean;
  readonly broadcast?: boolean;
}

/**
 * The view of a [batch, rows, cols] operand stored as `layout` describes, and the buffer size it
 * needs. Transposed storage is [batch, cols, rows] (what np.transpose or a dot_general contracting
 * the first dimension gives); reversed negates the row stride from the last row (np.flip).
 */
function operand(
  batch: number,
  rows: number,
  cols: number,
  layout: Layout,
  buffer: number,
): { view: View; size: number } {
  const per = rows * cols;
  const [rs, cs] = layout.transposed ? [1, rows] : [cols, 1];
  const bs = layout.broadcast ? 0 : per;
  const off = layout.offset ?? 0;
  const size = off + (layout.broadcast ? 1 : batch) * per + (layout.tail ?? 0);
  if (!layout.reversed) return { view: { buffer, offset: off, strides: [bs, rs, cs] }, size };
  return { view: { buffer, offset: off + (rows - 1) * rs, strides: [bs, -rs, cs] }, size };
}

const planBuffer = (id: number, size: number, dtype: PlanBuffer["dtype"] = "float32"): PlanBuffer => ({
  id,
  dtype,
  size,
  role: "temp",
  offset: 0,
  def: -1,
  lastUse: 0,
});

interface Case {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a?: Layout;
  readonly b?: Layout;
  /** x·xᵀ: B is A's buffer read transposed (n = m). */
  readonly shared?: boolean;
}

interface Built {
  readonly k: DotKernel;
  readonly plan: KernelPlan;
  readonly data: Record<number, HostBuffer>;
}

/** The kernel, its plan (buffers 0 = A, 1 = B unless shared, 2 = C, 3… = extras) and host data. */
function build(c: Case, seed: number, extras: readonly HostBuffer[] = []): Built {
  const a = operand(c.batch, c.m, c.k, c.a ?? {}, 0);
  const b = c.shared
    ? {
        view: {
          buffer: 0,
          offset: a.view.offset,
          strides: [a.view.strides[0]!, a.view.strides[2]!, a.view.strides[1]!],
        },
        size: 0,
      }
    : operand(c.batch, c.k, c.n, c.b ?? {}, 1);
  const out = c.batch * c.m * c.n;
  const k: DotKernel = {
    kind: "dot",
    dtype: "float32",
    batch: c.batch,
    m: c.m,
    n: c.n,
    k: c.k,
    lhs: a.view,
    rhs: b.view,
    output: 2,
  };
  const buffers = [planBuffer(0, a.size), planBuffer(1, b.size), planBuffer(2, out)];
  extras.forEach((e, j) => buffers.push(planBuffer(3 + j, e.data.length, e.dtype)));
  const data: Record<number, HostBuffer> = {
    0: { dtype: "float32", data: fill(Math.max(a.size, 1), seed) },
    1: { dtype: "float32", data: fill(Math.max(b.size, 1), seed + 1) },
    // NaN: an element the shader forgot to write fails every comparison.
    2: { dtype: "float32", data: new Float32Array(Math.max(out, 1)).fill(Number.NaN) },
  };
  extras.forEach((e, j) => {
    data[3 + j] = e;
  });
  return { k, plan: { buffers, kernels: [k], outputs: [{ buffer: 2 }], arenaBytes: 0 }, data };
}

/** Reads element (b, i, j) of a view over a host buffer. */
const at = (data: TypedArray, v: View, b: number, i: number, j: number): number =>
  data[v.offset + b * v.strides[0]! + i * v.strides[1]! + j * v.strides[2]!] as number;

/** C64 and S = Σ|a·b| for every output, in float64, row-major [batch·m, n]. */
function reference({ k, data }: Built): { exact: Float64Array; scale: Float64Array } {
  const exact = new Float64Array(k.batch * k.m * k.n);
  const scale = new Float64Array(exact.length);
  const A = data[k.lhs.buffer]!.data;
  const B = data[k.rhs.buffer]!.data;
  for (let b = 0; b < k.batch; b++)
    for (let i = 0; i < k.m; i++)
      for (let j = 0; j < k.n; j++) {
        let s = 0;
        let abs = 0;
        for (let t = 0; t < k.k; t++) {
          const p = at(A, k.lhs, b, i, t) * at(B, k.rhs, b, t, j);
          s += p;
          abs += Math.abs(p);
        }
        exact[(b * k.m + i) * k.n + j] = s;
        scale[(b * k.m + i) * k.n + j] = abs;
      }
  return { exact, scale };
}

/** The first output (if any) farther from the reference than `bound` allows, as a message. */
function firstMiss(got: TypedArray, want: Float64Array, bound: (i: number) => number, n: number): string | undefined {
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs((got[i] as number) - want[i]!);
    if (!(e <= bound(i)))
      return `C[row ${Math.floor(i / n)}, col ${i % n}] = ${got[i]}, float64 ${want[i]}, error ${e} > bound ${bound(i)}`;
  }
  return undefined;
}

async function run(device: GPUDevice, built: Built, variant: (typeof VARIANTS)[number]): Promise<TypedArray> {
  const kernel = matmulShader(built.k, built.plan, { variant });
  return (await runKernel(device, kernel, built.data))[2]!;
}

const CASES: [string, Case][] = [
  ["1×1×1", { batch: 1, m: 1, n: 1, k: 1 }],
  ["a dot product: 1×37 · 37×1", { batch: 1, m: 1, n: 1, k: 37 }],
  ["an outer product: 9×1 · 1×11", { batch: 1, m: 9, n: 11, k: 1 }],
  ["a matrix–vector product", { batch: 1, m: 70, n: 1, k: 33 }],
  ["k = 0 (zeros)", { batch: 2, m: 3, n: 4, k: 0 }],
  ["batch 3 of 5×7 · 7×4 (np.matmul on [3,5,7], [3,7,4])", { batch: 3, m: 5, n: 4, k: 7 }],
  ["65×130 · 130×97 (no size a multiple of a block)", { batch: 1, m: 65, n: 97, k: 130 }],
  ["130×33 · 33×70: tiles over both edges", { batch: 1, m: 130, n: 70, k: 33 }],
  ["Aᵀ·B (A stored k×m)", { batch: 1, m: 21, n: 19, k: 18, a: { transposed: true } }],
  ["A·Bᵀ (B stored n×k)", { batch: 1, m: 21, n: 19, k: 18, b: { transposed: true } }],
  [
    "batch 3 of Aᵀ·Bᵀ at offsets 5 and 3",
    { batch: 3, m: 33, n: 70, k: 20, a: { transposed: true, offset: 5 }, b: { transposed: true, offset: 3 } },
  ],
  ["x·xᵀ: A and B one buffer (k = 8)", { batch: 1, m: 5, n: 5, k: 8, shared: true }],
  ["x·xᵀ: A and B one buffer (k = 7, batch 2)", { batch: 2, m: 9, n: 9, k: 7, shared: true }],
  ["A rows reversed (negative stride)", { batch: 2, m: 11, n: 13, k: 6, a: { reversed: true, offset: 2 } }],
  ["B broadcast over the batch (stride 0)", { batch: 3, m: 6, n: 10, k: 9, b: { broadcast: true } }],
  // Aligned: the registers variant reads vec4s (along k of A, along n of B) ...
  ["aligned 64³, batch 3, offsets 4 and 8", { batch: 3, m: 64, n: 64, k: 64, a: { offset: 4 }, b: { offset: 8 } }],
  // ... along m of a transposed A and along k of a transposed B ...
  [
    "aligned Aᵀ·Bᵀ, 20×12 · 12×24",
    { batch: 2, m: 20, n: 24, k: 12, a: { transposed: true, tail: 3 }, b: { transposed: true, tail: 1 } },
  ],
  // ... and not when an offset breaks the alignment.
  ["64³ at offset 1 (scalar reads)", { batch: 1, m: 64, n: 64, k: 64, a: { offset: 1 }, b: { offset: 1 } }],
];

describe.skipIf(skip !== undefined)(`WebGPU matmul shaders${skip ? ` (skipped: ${skip})` : ""}`, () => {
  for (const variant of VARIANTS)
    it(`${variant}: every shape and layout within (γ(k, 2^-24) + γ(k, 2^-53))·Σ|a·b| of float64`, async () => {
      if ("skip" in got) return;
      for (const [i, [name, c]] of CASES.entries()) {
        const built = build(c, 11 + 2 * i);
        const { exact, scale } = reference(built);
        const C = await run(got.device, built, variant);
        const bound = (j: number): number => (gamma(c.k, U32) + gamma(c.k, U64)) * scale[j]!;
        expect(firstMiss(C, exact, bound, c.n), `${variant}, ${name}`).toBeUndefined();
      }
    });

  it("both variants: the same bits from run to run", async () => {
    if ("skip" in got) return;
    const built = build({ batch: 2, m: 37, n: 45, k: 91, b: { transposed: true } }, 5);
    for (const variant of VARIANTS) {
      const first = await run(got.device, built, variant);
      const second = await run(got.device, built, variant);
      expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer)), variant).toBe(true);
    }
  });

  it("tiled: more than 65535 tiles (4·2^20 + 5 rows) spill onto the dispatch's y", async () => {
    if ("skip" in got) return;
    const m = 65536 * 64 + 5;
    const built = build({ batch: 1, m, n: 1, k: 1 }, 3);
    const kernel = matmulShader(built.k, built.plan, { variant: "tiled" });
    expect(kernel.workgroups).toEqual([65535, 2, 1]);
    const C = (await runKernel(got.device, kernel, built.data))[2]!;
    // k = 1: each output is one product, rounded once to float32.
    const { exact } = reference(built);
    expect(firstMiss(C, exact.map(Math.fround), () => 0, 1)).toBeUndefined();
  });

  /**
   * A fused epilogue through the hook: relu(p + bias[col]), except rows whose mask is 0 store -1.
   * The bias is float32 and the mask int32, bound after C as extra bindings 0 and 1. One more
   * rounding (the add, u·|p + bias|) joins the product's bound; max and select are exact.
   */
  const epilogue: MatmulEpilogue = (p, row, col) => ({
    code: `let mm_t = max(${p} + ${extraBindingName(0)}[${col}], 0.0);`,
    value: `select(mm_t, -1.0, ${extraBindingName(1)}[${row}] == 0)`,
    helpers: new Set(),
  });
  for (const variant of VARIANTS)
    it(`${variant}: the epilogue hook (bias by column, mask by row over batch·m rows)`, async () => {
      if ("skip" in got) return;
      for (const c of [
        { batch: 2, m: 13, n: 10, k: 17 },
        { batch: 1, m: 16, n: 8, k: 8 },
        { batch: 2, m: 3, n: 5, k: 0 },
      ]) {
        const rows = c.batch * c.m;
        const bias: HostBuffer = { dtype: "float32", data: fill(c.n, 99) };
        const mask: HostBuffer = { dtype: "int32", data: Int32Array.from({ length: rows }, (_, r) => r % 3) };
        const built = build(c, 7, [bias, mask]);
        const extraBindings: WgslBinding[] = [
          { buffer: 3, access: "read" },
          { buffer: 4, access: "read" },
        ];
        const kernel = matmulShader(built.k, built.plan, { variant, extraBindings }, epilogue);
        expect(kernel.bindings).toEqual([
          { buffer: 0, access: "read" },
          { buffer: 1, access: "read" },
          { buffer: 2, access: "read_write" },
          ...extraBindings,
        ]);
        const C = (await runKernel(got.device, kernel, built.data))[2]!;
        const { exact, scale } = reference(built);
        const want = exact.map((p, i) =>
          mask.data[Math.floor(i / c.n)] === 0 ? -1 : Math.max(p + (bias.data[i % c.n] as number), 0),
        );
        const bound = (i: number): number => {
          const product = (gamma(c.k, U32) + gamma(c.k, U64)) * scale[i]!;
          return product + U32 * (Math.abs(exact[i]! + (bias.data[i % c.n] as number)) + product);
        };
        expect(firstMiss(C, want, bound, c.n), `${variant} ${JSON.stringify(c)}`).toBeUndefined();
      }
    });
});

describe("matmul shader generation (no device)", () => {
  const square = build({ batch: 1, m: 4, n: 4, k: 4 }, 1);

  it("binds A once when B is the same buffer (x·xᵀ), C next, extras after", () => {
    const built = build({ batch: 1, m: 4, n: 4, k: 4, shared: true }, 1);
    const extraBindings: WgslBinding[] = [{ buffer: 1, access: "read" }];
    for (const variant of VARIANTS) {
      const kernel = matmulShader(built.k, built.plan, { variant, extraBindings });
      expect(kernel.bindings).toEqual([
        { buffer: 0, access: "read" },
        { buffer: 2, access: "read_write" },
        { buffer: 1, access: "read" },
      ]);
      expect(kernel.code).toContain(`@binding(2) var<storage, read> ${extraBindingName(0)}: array<f32>;`);
    }
  });

  it("registers: vec4 reads exactly where the layout is aligned", () => {
    const vec4 = (name: string): boolean => {
      const c = CASES.find(([n]) => n.startsWith(name))![1];
      const built = build(c, 1);
      return matmulShader(built.k, built.plan, { variant: "registers" }).code.includes("array<vec4f>");
    };
    expect(vec4("aligned 64³")).toBe(true);
    expect(vec4("aligned Aᵀ·Bᵀ")).toBe(true);
    expect(vec4("x·xᵀ: A and B one buffer (k = 8)")).toBe(true);
    expect(vec4("x·xᵀ: A and B one buffer (k = 7")).toBe(false);
    expect(vec4("64³ at offset 1")).toBe(false);
  });

  it("refuses every dtype but float32", () => {
    for (const dtype of ["float64", "int32"] as const)
      expect(() => matmulShader({ ...square.k, dtype }, square.plan, { variant: "tiled" })).toThrow(
        UnsupportedDTypeError,
      );
  });

  it("matmulVariant: registers on software adapters, tiled on hardware", () => {
    expect(matmulVariant({ isFallbackAdapter: true })).toBe("registers");
    expect(matmulVariant({ description: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" })).toBe("registers");
    expect(matmulVariant({ architecture: "swiftshader" })).toBe("registers");
    expect(
      matmulVariant({ isFallbackAdapter: false, description: "NVIDIA GeForce RTX 4090", architecture: "ada" }),
    ).toBe("tiled");
    expect(matmulVariant({})).toBe("tiled");
  });
});
