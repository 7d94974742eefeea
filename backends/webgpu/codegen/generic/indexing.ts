/**
 * Shape-generic indexing shaders (see common.ts) with codegen/primitives/indexing.ts's semantics
 * and order, bit for bit the reference's (backends/cpu/kernels/indexing.ts):
 * - GATHER_SHADER, p = [n, len, post, m]: out[(pre, j, q)] = x[(pre, clamp(ind[j], 0, len − 1), q)]
 *   (zeros when len = 0), words moved unchanged, so one pipeline for every dtype;
 * - scatterAddShader(dtype), p = [n, len, post, m, height, blocks]: an invocation owns the rows
 *   [blk·height, +height) of one (pre, q) column: it copies them from the operand, then adds, in
 *   index order, each update whose clamped index lands in them (the reference's `+`);
 * - dynamicSliceShader(rank) and dynamicUpdateSliceShader(rank): one per rank, because each start
 *   index is a scalar buffer of its own (its binding is baked in); the starts are clamped so that
 *   the window fits. dynamic_slice, p = [n, hi×rank, sizes×rank, strides×rank] (hi = extent −
 *   size); dynamic_update_slice, p = [n, hi×rank, sizes×rank, extents×rank, updateStrides×rank].
 * Indices are int32; every other operand is read as the words it is stored as.
 */
import type { DType } from "../../../../src/core/dtype.js";
import { OPAQUE_ZERO } from "../expr.js";
import { wgslType } from "../kernel.js";
import { addFunction } from "../primitives/indexing.js";
import { flatGenericModule, type GenericBinding, PARAMS, memoShader } from "./common.js";

const read = (name: string, type = "u32"): GenericBinding => ({ name, access: "read", type });
const write = (name: string, type = "u32"): GenericBinding => ({ name, access: "read_write", type });

export const GATHER_SHADER = flatGenericModule(
  [],
  [read("x"), read("ind", "i32"), write("out"), PARAMS],
  "p[0]",
  `let len = p[1];
let post = p[2];
let m = p[3];
if (len == 0u) { out[i] = 0u; return; }
let q = i % post;
let j = i / post % m;
let c = u32(clamp(ind[j], 0i, i32(len - 1u)));
out[i] = x[(i / (post * m) * len + c) * post + q];`,
);

/** The generic scatter_add shader for `dtype`. */
export function scatterAddShader(dtype: DType): string {
  return memoShader(`scatter_add|${dtype}`, () => {
    const t = wgslType(dtype, "scatter_add");
    const body = `let rz = ${OPAQUE_ZERO};
let len = p[1];
let post = p[2];
let m = p[3];
let height = p[4];
let blocks = p[5];
let q = i % post;
let blk = i / post % blocks;
let pre = i / (post * blocks);
let base = pre * len * post + q;
let ubase = pre * m * post + q;
let hi = i32(len - 1u);
if (height == 1u) {
  let at = base + blk * post;
  var acc: ${t} = x[at];
  for (var j = 0u; j < m; j++) {
    if (u32(clamp(ind[j], 0i, hi)) == blk) { acc = scatter_add(acc, upd[ubase + j * post], rz); }
  }
  out[at] = acc;
} else {
  let r0 = blk * height;
  let r1 = min(r0 + height, len);
  for (var r = r0; r < r1; r++) {
    let at = base + r * post;
    out[at] = x[at];
  }
  for (var j = 0u; j < m; j++) {
    let c = u32(clamp(ind[j], 0i, hi));
    if (c >= r0 && c < r1) {
      let at = base + c * post;
      out[at] = scatter_add(out[at], upd[ubase + j * post], rz);
    }
  }
}`;
    return flatGenericModule(
      addFunction("scatter_add", dtype),
      [read("x", t), read("ind", "i32"), read("upd", t), write("out", t), PARAMS],
      "p[0]",
      body,
    );
  });
}

/** `let s<d>`: start buffer d's index clamped into [0, p[1 + d]] (the window then fits). */
const starts = (rank: number): string[] =>
  Array.from({ length: rank }, (_, d) => `let s${d} = u32(clamp(st${d}[0], 0i, i32(p[${1 + d}])));`);

const startBindings = (rank: number): GenericBinding[] => Array.from({ length: rank }, (_, d) => read(`st${d}`, "i32"));

/** The generic dynamic_slice shader for operands of rank `rank`. */
export function dynamicSliceShader(rank: number): string {
  return memoShader(`dynamic_slice|${rank}`, () => {
    const lines = [...starts(rank), "var q = i;", "var at = 0u;"];
    for (let d = rank - 1; d >= 0; d--)
      lines.push(`{ let size = p[${1 + rank + d}]; at += (q % size + s${d}) * p[${1 + 2 * rank + d}]; q /= size; }`);
    lines.push("out[i] = x[at];");
    return flatGenericModule([], [read("x"), ...startBindings(rank), write("out"), PARAMS], "p[0]", lines.join("\n"));
  });
}

/** The generic dynamic_update_slice shader for operands of rank `rank`. */
export function dynamicUpdateSliceShader(rank: number): string {
  return memoShader(`dynamic_update_slice|${rank}`, () => {
    // w = index − start wraps to a huge u32 below the window: one unsigned test per dimension.
    const lines = [...starts(rank), "var q = i;", "var inside = true;", "var at = 0u;"];
    for (let d = rank - 1; d >= 0; d--)
      lines.push(
        `{ let n = p[${1 + 2 * rank + d}]; let w = q % n - s${d}; q /= n; ` +
          `inside = inside && w < p[${1 + rank + d}]; at += w * p[${1 + 3 * rank + d}]; }`,
      );
    lines.push("if (inside) { out[i] = u[at]; } else { out[i] = x[i]; }");
    return flatGenericModule(
      [],
      [read("x"), read("u"), ...startBindings(rank), write("out"), PARAMS],
      "p[0]",
      lines.join("\n"),
    );
  });
}
