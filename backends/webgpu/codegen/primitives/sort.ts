/**
 * WGSL for `argsort`: a stable ascending argsort along one axis with the reference's order
 * (backends/cpu/kernels/sort.ts): keys compare as numbers, −0 equals +0, NaN (of either sign)
 * sorts after everything else and NaNs tie with each other, ties keep their positions.
 *
 * Design: a rank sort, one invocation per element. Element j of a line of n counts the elements
 * that must precede it — those with a smaller key, and those with an equal key at a position
 * before j — which is its position in the sorted line, and stores j there. The ranks of a line
 * are a permutation (keys are totally ordered, ties broken by position), so every output element
 * is written exactly once and no synchronization is needed. It costs O(n) reads per element, so
 * O(n²) per line (n·size in all): fully parallel and cheap for the short to moderate lines
 * graft sorts (shuffles, permutations), but quadratic for very long ones.
 *
 * Keys: every dtype is read as u32 bits and mapped to a u32 whose unsigned order is the
 * reference's order, so only integer comparisons run (WGSL may assume float values are never NaN,
 * so float comparisons cannot be trusted with NaN; bits are also safe from subnormal flushing):
 * - float32: −0 becomes +0; any NaN becomes 0xffffffff (above +∞'s key 0xff800000); otherwise a
 *   negative value's bits are inverted and a positive value's sign bit is set;
 * - int32: the sign bit flipped (two's complement order becomes unsigned order);
 * - uint32 and bool (stored as u32 0/1): the bits themselves.
 *
 * Bindings (group 0): the input (read, declared array<u32>), then the int32 output (read_write).
 * Dispatch: flatDispatch over the elements (64 per workgroup).
 */
import type { DType } from "../../../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel } from "../../../plan/types.js";
import { flatModule } from "./indexing.js";
import { flatDispatch, type WgslKernel, wgslType } from "../kernel.js";

/** A WGSL function `gx_sortkey(b: u32) -> u32`: the order-preserving key of a value's bits. */
function sortKeyFn(dtype: DType): string {
  wgslType(dtype, "argsort");
  switch (dtype) {
    case "float32":
      return `fn gx_sortkey(b0: u32) -> u32 {
  // NaN of either sign: last, all equal.
  if ((b0 & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  // -0 equals +0.
  let b = select(b0, 0u, b0 == 0x80000000u);
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}`;
    case "int32":
      return "fn gx_sortkey(b: u32) -> u32 { return b ^ 0x80000000u; }";
    default:
      return "fn gx_sortkey(b: u32) -> u32 { return b; }";
  }
}

/** The argsort kernel of `k` (`k.prim` must be "argsort"). */
export function argsortShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  if (k.prim !== "argsort" || k.inputs.length !== 1 || k.outputs.length !== 1)
    throw new Error(`internal error: argsortShader given a ${k.prim} kernel with ${k.inputs.length} inputs`);
  const shape = k.eqn.inputs[0]!.aval.shape;
  const dtype = k.eqn.inputs[0]!.aval.dtype;
  let { axis } = k.eqn.params as PrimParams["argsort"];
  if (axis < 0) axis += shape.length;
  if (!(axis >= 0 && axis < shape.length))
    throw new Error(`internal error: argsort axis ${axis} for shape [${shape.join(", ")}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  const src = plan.buffers[k.inputs[0]!];
  const dst = plan.buffers[k.outputs[0]!];
  if (!src || src.dtype !== dtype || src.size !== size)
    throw new Error(`internal error: argsort input buffer ${k.inputs[0]} does not hold ${dtype}[${shape.join(", ")}]`);
  if (dst?.dtype !== "int32" || dst.size !== size)
    throw new Error(`internal error: argsort output buffer ${k.outputs[0]} does not hold int32[${shape.join(", ")}]`);
  if (src.id === dst.id) throw new Error(`internal error: argsort reads and writes plan buffer ${src.id}`);
  // An empty array runs no invocation; its (dead) code still must not divide by a constant 0.
  const n = size === 0 ? 1 : shape[axis]!;
  const inner = size === 0 ? 1 : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  // i = (outer·n + j)·inner + r: j is i's position in its line, `base` the line's first element.
  // max(n, 1): WGSL rejects a constant division by zero even where an empty sort never runs it.
  const j = inner === 1 ? `i % ${Math.max(n, 1)}u` : `(i / ${inner}u) % ${Math.max(n, 1)}u`;
  const at = (e: string): string => (inner === 1 ? `base + ${e}` : `base + ${e} * ${inner}u`);
  const body = `
let j = ${j};
let base = i - ${inner === 1 ? "j" : `j * ${inner}u`};
let key = gx_sortkey(b0[i]);
var rank = 0u;
// Before j, equal keys precede j too (stability); after j, only smaller ones do.
for (var e = 0u; e < j; e++) {
  rank += select(0u, 1u, gx_sortkey(b0[${at("e")}]) <= key);
}
for (var e = j + 1u; e < ${n}u; e++) {
  rank += select(0u, 1u, gx_sortkey(b0[${at("e")}]) < key);
}
b1[${at("rank")}] = i32(j);`;
  const code = flatModule(
    [sortKeyFn(dtype)],
    [
      "@group(0) @binding(0) var<storage, read> b0: array<u32>;",
      "@group(0) @binding(1) var<storage, read_write> b1: array<i32>;",
    ].join("\n"),
    size,
    body,
  );
  return {
    code,
    bindings: [
      { buffer: src.id, access: "read" },
      { buffer: dst.id, access: "read_write" },
    ],
    workgroups: flatDispatch(size),
  };
}

export const SHADERS: Partial<Record<PrimName, (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel>> = {
  argsort: argsortShader,
};
