/**
 * Runs fused expressions (ExprNode[]) through the WGSL generator on the test device, and through
 * the reference kernels (backends/cpu) node by node, as the reference interpreter evaluates the
 * same equations: the oracle of the expression tests. Plus the comparisons they use (bitwise with
 * NaN = NaN, ulps of float32) and their input values.
 */
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import type { ExprNode } from "../../backends/plan/types.js";
import { runReference } from "../../backends/cpu/semantics.js";
import { emitWgslExpr, OPAQUE_ZERO } from "../../backends/webgpu/codegen/expr.js";
import { flatDispatch, flatIndex, wgslType } from "../../backends/webgpu/codegen/kernel.js";
import { type HostBuffer, runKernel } from "./run-kernel.js";

/**
 * Every node of `body` evaluated at n elements on the device: inputs come from `inputs` (one per
 * input index), an index node reads the element number. Returns each node's values.
 */
export async function runExpr(
  device: GPUDevice,
  body: readonly ExprNode[],
  inputs: readonly HostBuffer[],
  n: number,
): Promise<TypedArray[]> {
  const expr = emitWgslExpr(body, { loadInput: (i) => `in${i}[i]`, index: () => "i", opaqueZero: OPAQUE_ZERO });
  const decls = inputs.map(
    (h, k) => `@group(0) @binding(${k}) var<storage, read> in${k}: array<${wgslType(h.dtype)}>;`,
  );
  const out = inputs.length;
  // Every node's bits, node-major; the phony assignments keep unread inputs in the layout.
  const stores = body.map((node, j) => {
    const v = expr.values[j]!;
    return `out[${j * n}u + i] = ${node.dtype === "float32" || node.dtype === "int32" ? `bitcast<u32>(${v})` : v};`;
  });
  const code = [
    ...expr.helpers,
    ...decls,
    `@group(0) @binding(${out}) var<storage, read_write> out: array<u32>;`,
    "@compute @workgroup_size(64)",
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    flatIndex(n),
    ...inputs.map((_, k) => `_ = in${k}[0];`),
    expr.code,
    ...stores,
    "}",
  ].join("\n");
  const buffers: Record<number, HostBuffer> = {};
  inputs.forEach((h, k) => {
    buffers[k] = h;
  });
  buffers[out] = { dtype: "uint32", data: new Uint32Array(n * body.length) };
  const bindings = [
    ...inputs.map((_, k) => ({ buffer: k, access: "read" as const })),
    { buffer: out, access: "read_write" as const },
  ];
  const res = await runKernel(device, { code, bindings, workgroups: flatDispatch(n) }, buffers);
  const bits = res[out] as Uint32Array;
  return body.map((node, j) => fromBits(bits.subarray(j * n, (j + 1) * n), node.dtype));
}

function fromBits(bits: Uint32Array, dtype: DType): TypedArray {
  const copy = bits.slice();
  switch (dtype) {
    case "float32":
      return new Float32Array(copy.buffer);
    case "int32":
      return new Int32Array(copy.buffer);
    case "uint32":
      return copy;
    default:
      return Uint8Array.from(copy);
  }
}

/** The reference's value of every node (each operation run by the CPU backend's kernel). */
export function referenceExpr(body: readonly ExprNode[], inputs: readonly HostBuffer[], n: number): TypedArray[] {
  const vals: TypedArray[] = [];
  for (const node of body) {
    switch (node.kind) {
      case "input":
        vals.push(inputs[node.input]!.data);
        break;
      case "literal": {
        // As the reference stores it; a bool byte counts as true when nonzero (its only use).
        const a = allocate(node.dtype, n);
        a.fill(node.value);
        if (node.dtype === "bool") a.fill(a[0] !== 0 ? 1 : 0);
        vals.push(a);
        break;
      }
      case "index": {
        const a = allocate(node.dtype, n);
        for (let i = 0; i < n; i++) a[i] = node.dtype === "bool" ? Number(i !== 0) : i;
        vals.push(a);
        break;
      }
      case "op": {
        const args = node.args.map((a) => vals[a]!);
        const r = runReference(
          node.prim,
          node.params,
          args,
          node.args.map((a) => body[a]!.dtype),
          node.dtype,
        );
        if (!r) throw new Error(`the reference rejects ${node.prim}`);
        vals.push(r);
      }
    }
  }
  return vals;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export const bitsOf = (x: number): number => {
  f32[0] = x;
  return u32[0]!;
};
export const fromF32Bits = (b: number): number => {
  u32[0] = b >>> 0;
  return f32[0]!;
};

/** |got − ref| in float32 ulps of ref (subnormal ulp 2^-149); Infinity for a NaN, signed-zero or infinity mismatch. */
export function ulpError(got: number, ref: number): number {
  if (Number.isNaN(ref) || Number.isNaN(got)) return Number.isNaN(ref) && Number.isNaN(got) ? 0 : Infinity;
  if (got === ref) return Object.is(got, ref) ? 0 : Infinity;
  if (!Number.isFinite(ref) || !Number.isFinite(got)) return Infinity;
  const e = Math.max((bitsOf(ref) >>> 23) & 255, 1) - 127;
  return Math.abs(got - ref) / 2 ** (e - 23);
}

/** Equal as the reference stores them: bitwise, ±0 told apart, any NaN equal to any NaN. */
export const sameValue = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** First mismatch of two arrays under `ok`, as a message, or undefined. */
export function firstMismatch(
  got: TypedArray,
  want: TypedArray,
  ok: (g: number, w: number) => boolean,
  describe: (i: number) => string,
): string | undefined {
  let bad = 0;
  let first: string | undefined;
  for (let i = 0; i < want.length; i++) {
    if (ok(got[i]!, want[i]!)) continue;
    bad++;
    first ??= `${describe(i)}: got ${got[i]}, want ${want[i]}`;
  }
  return first === undefined ? undefined : `${bad} of ${want.length} differ; first ${first}`;
}

/** Deterministic 32-bit generator (xorshift). */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Edge values of each dtype (float32: signed zeros, ±1, ±∞, NaN, subnormals, extremes, halves). */
export const EDGES: Readonly<Record<"float32" | "int32" | "uint32" | "bool", readonly number[]>> = {
  float32: [
    0,
    -0,
    1,
    -1,
    Infinity,
    -Infinity,
    NaN,
    1e-45,
    -1e-45,
    1e-40,
    -3e-39,
    1.1754944e-38,
    3.4028235e38,
    -3.4028235e38,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    3,
    -7,
    0.1,
    1e-7,
    2147483648,
    -2147483648,
    2147483520,
    4294967296,
    4294967040,
    16777217,
    123456.75,
    -0.75,
    100,
  ],
  int32: [0, 1, -1, 2, -2, 3, 7, -7, 31, 32, 33, 100, -100, 2147483647, -2147483648, 65536, -65537, 12345678],
  uint32: [0, 1, 2, 3, 7, 31, 32, 33, 100, 4294967295, 2147483648, 2147483647, 65536, 4294967294, 12345678],
  bool: [0, 1],
};

/**
 * Operand columns for `arity` operands of `dtype`: every combination of the edge values, then
 * `extra` random values per operand (float32: random bit patterns half the time, else moderate
 * magnitudes; ints: random words).
 */
export function operands(dtype: keyof typeof EDGES, arity: number, extra: number, seed: number): TypedArray[] {
  const edges = EDGES[dtype];
  const combos = edges.length ** arity;
  const n = combos + extra;
  const cols = Array.from({ length: arity }, () => allocate(dtype, n));
  const r = random(seed);
  for (let i = 0; i < combos; i++) {
    let c = i;
    for (let k = 0; k < arity; k++) {
      cols[k]![i] = edges[c % edges.length]!;
      c = Math.floor(c / edges.length);
    }
  }
  for (let i = combos; i < n; i++)
    for (const col of cols) {
      const w = r();
      if (dtype === "float32") col[i] = w & 1 ? fromF32Bits(r()) : ((r() / 2 ** 32) * 2 - 1) * 2 ** ((w % 17) - 6);
      else if (dtype === "bool") col[i] = w & 1;
      else col[i] = dtype === "int32" ? w | 0 : w;
    }
  return cols;
}
