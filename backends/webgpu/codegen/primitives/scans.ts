/**
 * WGSL for the scan and arg-reduction primitives — `cumsum`, `argmax`, `argmin` — and for the
 * reductions the planner leaves as primitive kernels (`reduce_sum`, `reduce_max`, `reduce_min`,
 * `reduce_prod` of int32, uint32 and bool: backends/plan/build.ts fuses float ones into reduce
 * kernels), with the reference's semantics (backends/cpu/kernels/reduce.ts):
 * - argmax/argmin: the first index of the max/min along `axis`; a NaN counts as the extreme, so
 *   the first NaN wins; ±0 compare equal (the first one wins). int32 result. float32 values
 *   compare as integer keys of their bits (no float comparison: WGSL may assume NaN absent, a
 *   device may flush subnormals), so subnormals order as values.
 * - cumsum: the inclusive running sum along `axis` from the start (from the end when `reverse`),
 *   one invocation per line, in the reference's order. The addition is the reference's `+`
 *   (expr.ts): int32/uint32 wrap and bool is a running `or`, bit for bit the reference; float32
 *   rounds every partial sum to float32 where the reference keeps a float64 running sum and rounds
 *   each output once. So output k of a line (1-based, terms x_1…x_k; the first addition, to 0,
 *   is exact) is within γ(k−1, 2^-24)·Σ|x_i| of the exact prefix sum S_k (recursive summation),
 *   and the reference's within (1 + 2^-24)·γ(k−1, 2^-53)·Σ|x_i| + 2^-24·|S_k| of it
 *   (γ(n, u) = n·u/(1 − n·u); one more 2^-150 where the result is subnormal): the two differ by
 *   at most the sum of these. When every partial sum is a float32 the results are identical.
 *   Special values behave as in float64 (NaN and ±∞ propagate, a running sum of −0 terms is +0)
 *   except where a float32 partial sum overflows that float64 would not (|partial| > 3.4e38: ±∞
 *   here, where the reference can come back into range).
 * - integer and bool reductions: codegen/reduce.ts's reduceShader on the identity prologue over
 *   the input's shape (wrapping sums and products, bool or/and, max/min), bit for bit.
 *
 * cumsum and argmax/argmin run one invocation per line ((pre, post) position of the input viewed
 * as [pre, n, post]; adjacent invocations read adjacent elements when post > 1), sequential along
 * the line: deterministic, and the order the reference adds in, but a single very long line runs
 * on one invocation.
 *
 * Bindings (group 0): the input (read), then the output (read_write). Dispatch: flatDispatch over
 * the lines (64 per workgroup); reductions as reduceShader decides.
 */
import type { PrimName, PrimParams } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel, ReduceKernel, ReduceOp } from "../../../plan/types.js";
import { declareBindings, rowMajor } from "../elementwise.js";
import { IS_NAN } from "../expr/helpers.js";
import { OPAQUE_ZERO } from "../expr.js";
import { flatDispatch, type WgslKernel, wgslType } from "../kernel.js";
import { type ReduceShaderOptions, reduceShader } from "../reduce.js";
import { addFunction, around, checkKernel, flatModule } from "./indexing.js";

type Shader = (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel;

/** The normalized axis of a one-axis primitive over `rank` dimensions. */
function axisOf(prim: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(Number.isInteger(a) && a >= 0 && a < rank))
    throw new Error(`internal error: ${prim} axis ${axis} of rank ${rank}`);
  return a;
}

/**
 * The WGSL statement `let base = …;` for line `i` of [pre, n, post]: the flat index of its first
 * element (its last when `reverse`); the line's elements are `post` apart.
 */
function line(n: number, post: number, reverse: boolean): string {
  // With no lines (post = 0) the code is dead, but it still must not divide by a constant 0.
  const p = post <= 1 ? "i" : `i / ${post}u`;
  const q = post <= 1 ? "" : ` + i % ${post}u`;
  const start = `${p} * ${n * post}u${q}`;
  return `let base = ${start}${reverse && n > 1 ? ` + ${(n - 1) * post}u` : ""};`;
}

function cumsumShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  checkKernel(k, plan, "cumsum", 1);
  const { dtype, shape } = k.eqn.inputs[0]!.aval;
  const type = wgslType(dtype, "cumsum");
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
  const [x, out] = [`b${slot.get(k.inputs[0]!)}`, `b${slot.get(k.outputs[0]!)}`];
  if (shape.length === 0) {
    // A scalar is its own running sum: the reference copies it (−0 stays −0).
    return { code: flatModule([], decls, 1, `${out}[0] = ${x}[0];`), bindings, workgroups: flatDispatch(1) };
  }
  const { axis, reverse } = k.eqn.params as PrimParams["cumsum"];
  const [pre, n, post] = around(shape, axisOf("cumsum", axis, shape.length));
  const lines = n === 0 ? 0 : pre * post;
  const step = reverse ? "-" : "+";
  // The reference starts from 0 (so −0 + 0 gives +0); a laundered float zero keeps the compiler
  // from dropping the first addition.
  const zero = dtype === "float32" ? "bitcast<f32>(rz)" : `${type}(0)`;
  const body = [
    `let rz = ${OPAQUE_ZERO};`,
    line(n, post, reverse),
    `var acc: ${type} = ${zero};`,
    `for (var t = 0u; t < ${n}u; t++) {`,
    `  let at = base ${step} ${post === 1 ? "t" : `t * ${post}u`};`,
    `  acc = cumsum_add(acc, ${x}[at], rz);`,
    `  ${out}[at] = acc;`,
    "}",
  ].join("\n");
  return {
    code: flatModule(addFunction("cumsum_add", dtype), decls, lines, body),
    bindings,
    workgroups: flatDispatch(lines),
  };
}

/** The unsigned order of a non-NaN float32's key is the value order, with −0 = +0. */
export const ARG_KEY = `fn gx_argkey(x: f32) -> u32 {
  let b0 = bitcast<u32>(x);
  let b = select(b0, 0u, b0 == 0x80000000u);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}`;

function argShader(prim: "argmax" | "argmin"): Shader {
  return (k, plan) => {
    checkKernel(k, plan, prim, 1);
    const { dtype, shape } = k.eqn.inputs[0]!.aval;
    const type = wgslType(dtype, prim);
    const { axis } = k.eqn.params as PrimParams["argmax"];
    const [pre, n, post] = around(shape, axisOf(prim, axis, shape.length));
    const lines = pre * post;
    // The reference throws here too (numpy's argmax refuses an empty axis before that).
    if (n === 0 && lines > 0) throw new RangeError(`${prim}: axis ${axis} is empty`);
    const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
    const [x, out] = [`b${slot.get(k.inputs[0]!)}`, `b${slot.get(k.outputs[0]!)}`];
    const at = post === 1 ? "base + t" : `base + t * ${post}u`;
    const float = dtype === "float32";
    // float32 values compare through an order-preserving u32 key of their bits, as integers: no
    // float comparison (which WGSL may assume NaN-free, and a device may flush subnormals in),
    // and −0 and +0 share a key (a tie). NaN is tested on the bits too; the first one is the answer.
    const better = prim === "argmax" ? "v > best" : "v < best";
    const read = float
      ? [`  let f = ${x}[${at}];`, "  if (gx_isnan(f)) { bi = t; break; }", "  let v = gx_argkey(f);"]
      : [`  let v: ${type} = ${x}[${at}];`];
    const loop = [`for (var t = 1u; t < ${n}u; t++) {`, ...read, `  if (${better}) { best = v; bi = t; }`, "}"];
    const body = [
      line(Math.max(n, 1), post, false),
      "var bi = 0u;",
      ...(float
        ? [
            `let first = ${x}[base];`,
            "var best = gx_argkey(first);",
            "if (!gx_isnan(first)) {",
            ...loop.map((l) => `  ${l}`),
            "}",
          ]
        : [`var best: ${type} = ${x}[base];`, ...loop]),
      `${out}[i] = i32(bi);`,
    ].join("\n");
    const top = float ? [IS_NAN.code, ARG_KEY] : [];
    return { code: flatModule(top, decls, lines, body), bindings, workgroups: flatDispatch(lines) };
  };
}

/** The reduce kernel of a reduction primitive: its input, read contiguously, reduced along its axes. */
export function reduceKernelOf(k: PrimitiveKernel): ReduceKernel {
  const op = k.prim.startsWith("reduce_") ? (k.prim.slice("reduce_".length) as ReduceOp) : undefined;
  if (op === undefined || !["sum", "max", "min", "prod"].includes(op))
    throw new Error(`internal error: reduceKernelOf given a ${k.prim} kernel`);
  const { dtype, shape } = k.eqn.inputs[0]!.aval;
  const { axes } = k.eqn.params as PrimParams["reduce_sum"];
  const norm = [...new Set(axes.map((a) => axisOf(k.prim, a, shape.length)))].sort((a, b) => a - b);
  return {
    kind: "reduce",
    op,
    shape,
    axes: norm,
    inputs: [{ buffer: k.inputs[0]!, offset: 0, strides: rowMajor(shape) }],
    body: [{ kind: "input", input: 0, dtype }],
    dtype,
    output: k.outputs[0]!,
  };
}

/** A reduction primitive (integer or bool, as the planner leaves them; float32 works too) as reduceShader. */
export function reductionShader(k: PrimitiveKernel, plan: KernelPlan, options: ReduceShaderOptions = {}): WgslKernel {
  checkKernel(k, plan, k.prim, 1);
  if (k.eqn.outputs[0]!.aval.dtype !== k.eqn.inputs[0]!.aval.dtype)
    throw new Error(`internal error: ${k.prim} changes the dtype`);
  return reduceShader(reduceKernelOf(k), plan, options);
}

export const SHADERS: Partial<Record<PrimName, Shader>> = {
  cumsum: cumsumShader,
  argmax: argShader("argmax"),
  argmin: argShader("argmin"),
  reduce_sum: reductionShader,
  reduce_max: reductionShader,
  reduce_min: reductionShader,
  reduce_prod: reductionShader,
};
