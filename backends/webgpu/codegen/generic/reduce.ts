/**
 * Shape-generic reductions, arg-reductions and cumulative sums (see common.ts), one shader per
 * (primitive, dtype, form), with the semantics and the accumulation order of the planned kernels
 * (codegen/reduce.ts, codegen/primitives/scans.ts), so an eager result equals the jitted one bit
 * for bit:
 * - reduceShader(op, dtype, form), p = [nOut, nRed, keptRank, redRank, keptExtents, keptStrides,
 *   redExtents, redStrides]: output o reads its elements at offset(o over the kept dimensions) +
 *   offset(r over the reduced ones), r in row-major order. The combiner is expr.ts's add, mul,
 *   max or min from the reference's identity. "loop": one invocation per output, r = 0, 1, …;
 *   "workgroup": one workgroup of REDUCE_WORKGROUP per output, invocation t taking r = t, t + 256,
 *   …, then a tree in workgroup memory (t + s into t, s = 128, …, 1) — reduce.ts's two orders.
 * - argShader(prim, dtype), p = [lines, n, post]: scans.ts's argmax/argmin along a line of n
 *   elements post apart (the first extreme; the first NaN wins; ±0 tie; float32 compared through
 *   an order-preserving key of the bits).
 * - cumsumShader(dtype), p = [lines, n, post, reverse]: scans.ts's running sum along a line, from
 *   the end when reverse ≠ 0, adding with the reference's + (float32 rounds each partial sum).
 */
import type { DType } from "../../../../src/core/dtype.js";
import type { ReduceOp } from "../../../plan/types.js";
import { indent } from "../elementwise.js";
import { emitWgslExpr, OPAQUE_ZERO } from "../expr.js";
import { IS_NAN } from "../expr/helpers.js";
import { wgslType } from "../kernel.js";
import { addFunction } from "../primitives/indexing.js";
import { ARG_KEY } from "../primitives/scans.js";
import { combineBody, identity, REDUCE_WORKGROUP, workgroupTreeCombine } from "../reduce.js";
import { declare, flatGenericModule, type GenericBinding, OFFSET_FN, PARAMS, memoShader } from "./common.js";

/** `fn reduce_combine(a, b, z) -> T`: expr.ts's combining operation (and the helpers it calls). */
function combineFunction(op: ReduceOp, dtype: DType): string[] {
  const type = wgslType(dtype, "a reduction");
  const e = emitWgslExpr(combineBody(op, dtype), {
    loadInput: (i) => (i === 0 ? "a" : "b"),
    index: () => {
      throw new Error("internal error: an index node in a reduction's combiner");
    },
    opaqueZero: "z",
  });
  return [
    ...e.helpers,
    `fn reduce_combine(a: ${type}, b: ${type}, z: u32) -> ${type} {`,
    indent(e.code),
    `  return ${e.values[2]};`,
    "}",
  ];
}

const io = (dtype: DType, out: DType = dtype): GenericBinding[] => [
  { name: "x", access: "read", type: wgslType(dtype) },
  { name: "out", access: "read_write", type: wgslType(out) },
  PARAMS,
];

/** Statements defining `base` (the kept part of output `o`'s offsets) and `rd` (where the reduced dims start in p). */
const KEPT = "let kr = p[2];\nlet rr = p[3];\nlet rd = 4u + 2u * kr;\nlet base = gp_offset(o, kr, 4u, 4u + kr);";

/** The generic reduction shader of `op` on `dtype` in the given form (see the file comment). */
export function reduceShader(op: ReduceOp, dtype: DType, form: "loop" | "workgroup"): string {
  return memoShader(`reduce|${op}|${dtype}|${form}`, () => {
    const type = wgslType(dtype, "a reduction");
    const top = [...combineFunction(op, dtype), OFFSET_FN];
    const start = `let rz = ${OPAQUE_ZERO};\n${KEPT}\nvar acc: ${type} = ${identity(op, dtype)};`;
    const step = "acc = reduce_combine(acc, x[base + gp_offset(r, rr, rd, rd + rr)], rz);";
    if (form === "loop") {
      const body = [
        "let o = i;",
        start,
        // One reduced stride (the common case once dimensions merge): no division per element.
        "if (rr == 1u) {",
        "  let s = p[rd + 1u];",
        "  for (var r = 0u; r < p[1]; r++) { acc = reduce_combine(acc, x[base + r * s], rz); }",
        "} else {",
        `  for (var r = 0u; r < p[1]; r++) { ${step} }`,
        "}",
        "out[o] = acc;",
      ].join("\n");
      return flatGenericModule(top, io(dtype), "p[0]", body);
    }
    const w = REDUCE_WORKGROUP;
    return [
      ...top,
      declare(io(dtype)),
      `var<workgroup> part: array<${type}, ${w}>;`,
      `@compute @workgroup_size(${w})`,
      "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32,",
      "        @builtin(num_workgroups) nwg: vec3u) {",
      // Workgroups past the last output run with nothing to reduce and store nothing, rather than
      // returning: the barriers below then stay in uniform control flow whatever p holds.
      "  let o = wid.y * nwg.x + wid.x;",
      "  let live = o < p[0];",
      indent(start),
      "  let nRed = select(0u, p[1], live);",
      `  for (var r = t; r < nRed; r += ${w}u) { ${step} }`,
      ...workgroupTreeCombine(w),
      "  if (t == 0u && live) { out[o] = part[0]; }",
      "}",
      "",
    ].join("\n");
  });
}

/** Statement defining `var at`: the first element of line i of [pre, n, post] (p[1] = n, p[2] = post). */
const LINE_START = "let n = p[1];\nlet post = p[2];\nvar at = i / post * n * post + i % post;";

/** The generic argmax/argmin shader on `dtype` (int32 output). */
export function argShader(prim: "argmax" | "argmin", dtype: DType): string {
  return memoShader(`${prim}|${dtype}`, () => {
    const type = wgslType(dtype, prim);
    const better = prim === "argmax" ? "v > best" : "v < best";
    const float = dtype === "float32";
    const read = float
      ? ["  let f = x[at + t * post];", "  if (gx_isnan(f)) { bi = t; break; }", "  let v = gx_argkey(f);"]
      : [`  let v: ${type} = x[at + t * post];`];
    const loop = ["for (var t = 1u; t < n; t++) {", ...read, `  if (${better}) { best = v; bi = t; }`, "}"];
    const body = [
      LINE_START,
      "var bi = 0u;",
      ...(float
        ? [
            "let first = x[at];",
            "var best = gx_argkey(first);",
            "if (!gx_isnan(first)) {",
            indent(loop.join("\n")),
            "}",
          ]
        : [`var best: ${type} = x[at];`, ...loop]),
      "out[i] = i32(bi);",
    ].join("\n");
    const top = float ? [IS_NAN.code, ARG_KEY] : [];
    return flatGenericModule(top, io(dtype, "int32"), "p[0]", body);
  });
}

/** The generic cumsum shader on `dtype`. */
export function cumsumShader(dtype: DType): string {
  return memoShader(`cumsum|${dtype}`, () => {
    const type = wgslType(dtype, "cumsum");
    // The reference starts from 0 (so −0 + 0 gives +0); a laundered zero keeps the first addition.
    const zero = dtype === "float32" ? "bitcast<f32>(rz)" : `${type}(0)`;
    const body = [
      `let rz = ${OPAQUE_ZERO};`,
      LINE_START,
      "let reverse = p[3] != 0u;",
      "if (reverse) { at += (n - 1u) * post; }",
      `var acc: ${type} = ${zero};`,
      "for (var t = 0u; t < n; t++) {",
      "  acc = cumsum_add(acc, x[at], rz);",
      "  out[at] = acc;",
      "  at = select(at + post, at - post, reverse);",
      "}",
    ].join("\n");
    return flatGenericModule(addFunction("cumsum_add", dtype), io(dtype), "p[0]", body);
  });
}
