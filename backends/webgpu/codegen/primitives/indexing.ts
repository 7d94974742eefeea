/**
 * WGSL for the indexing primitives — `gather`, `scatter_add`, `dynamic_slice`,
 * `dynamic_update_slice` — with the reference's semantics (backends/cpu/kernels/indexing.ts),
 * bit for bit, for float32, int32, uint32 and bool (u32 0/1):
 * - gather and scatter_add clamp each index to [0, n − 1] (a negative index reads or hits 0);
 *   gathering from an empty axis gives zeros;
 * - the dynamic slices clamp each start into [0, dim − size], so the window always fits;
 * - scatter_add adds as the reference's `+` (expr.ts: float32 rounds once per update, ints wrap,
 *   bool is `or`), for each element in index order, starting from the operand: the reference's
 *   sequence of roundings exactly. No atomics, so results are reproducible run to run.
 *
 * Layouts: an operand of shape [..pre, n, ..post] around the gathered `axis` is read as
 * [pre, n, post]; indices (any shape, m elements) as a flat list; gather's output and
 * scatter_add's updates as [pre, m, post].
 *
 * Kernels, one dispatch each:
 * - gather: one invocation per output element (a clamped index read and one load).
 * - scatter_add: an invocation owns the rows [r0, r1) of one (p, q) column of the output: it
 *   copies them from the operand, then walks the m indices in order and adds the update of each one
 *   that lands in its rows (read–modify–write; nobody else touches those elements). The block
 *   height is chosen so that about SCATTER_LANES invocations run (height 1 — a register
 *   accumulator — when the output is small): O(m) index reads per invocation, O(size) copies in all.
 * - dynamic_slice: one invocation per output element; dynamic_update_slice: one per element of
 *   the operand, reading the update inside the window and the operand outside it. The int32
 *   start indices are scalar buffers read (and clamped) by every invocation.
 *
 * Bindings (group 0): each input buffer (read) in input order, a buffer passed twice bound once,
 * then the output (read_write). Every binding is referenced by the shader. Dispatch: flatDispatch
 * (64 per workgroup) over the invocations above.
 */
import type { DType } from "../../../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel } from "../../../plan/types.js";
import { declareBindings, flatIndexLines, indent, rowMajor, splitIndex } from "../elementwise.js";
import { emitWgslExpr, OPAQUE_ZERO } from "../expr.js";
import { flatDispatch, type WgslKernel, wgslType } from "../kernel.js";

/** About how many invocations a scatter_add runs (it splits each column into this many blocks at most). */
export const SCATTER_LANES = 32768;

type Shader = (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** (pre, n, post) extents of `shape` around `axis`. */
export function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** Checks the kernel's arity and buffers (dtype, size) against its equation. */
export function checkKernel(k: PrimitiveKernel, plan: KernelPlan, prim: PrimName, nInputs?: number): void {
  if (k.prim !== prim || k.eqn.prim !== prim)
    throw new Error(`internal error: the ${prim} generator was given a ${k.prim} kernel`);
  const ins = k.eqn.inputs;
  const outs = k.eqn.outputs;
  if ((nInputs !== undefined && ins.length !== nInputs) || k.inputs.length !== ins.length)
    throw new Error(`internal error: ${prim} with ${k.inputs.length} input buffers for ${ins.length} operands`);
  if (k.outputs.length !== 1 || outs.length !== 1)
    throw new Error(`internal error: ${prim} with ${k.outputs.length} output buffers`);
  const check = (id: number, aval: { dtype: DType; size: number }, what: string): void => {
    const b = plan.buffers[id];
    if (!b || b.dtype !== aval.dtype || b.size !== aval.size)
      throw new Error(`internal error: ${prim} ${what} buffer ${id} does not hold ${aval.size} ${aval.dtype}`);
  };
  ins.forEach((a, i) => check(k.inputs[i]!, a.aval, `input ${i}`));
  check(k.outputs[0]!, outs[0]!.aval, "output");
  if (k.inputs.includes(k.outputs[0]!))
    throw new Error(`internal error: ${prim} reads and writes plan buffer ${k.outputs[0]}`);
}

/**
 * `fn <name>(a: T, b: T, z: u32) -> T`: the reference's a + b for `dtype`, from expr.ts (float32
 * rounds once and is laundered through the opaque zero `z`; ints wrap; bool is `or`): the lines of
 * the helper definitions it calls, then the function's.
 */
export function addFunction(name: string, dtype: DType): string[] {
  const t = wgslType(dtype);
  const e = emitWgslExpr(
    [
      { kind: "input", input: 0, dtype },
      { kind: "input", input: 1, dtype },
      { kind: "op", prim: "add", args: [0, 1], params: {}, dtype },
    ],
    {
      loadInput: (i) => (i === 0 ? "a" : "b"),
      index: () => {
        throw new Error("internal error: an index node in an addition");
      },
      opaqueZero: "z",
    },
    "s",
  );
  return [
    ...e.helpers,
    `fn ${name}(a: ${t}, b: ${t}, z: u32) -> ${t} {`,
    indent(e.code),
    `  return ${e.values[2]};`,
    "}",
  ];
}

/** The module: helper functions, declarations, and `main` running `body` for each i < n. */
export function flatModule(top: readonly string[], decls: string, n: number, body: string): string {
  return [
    ...top,
    decls,
    "@compute @workgroup_size(64)",
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    indent(flatIndexLines(n)),
    indent(body),
    "}",
  ]
    .filter((l) => l !== "")
    .join("\n")
    .concat("\n");
}

/** `let <names[k]>` per dimension of `shape` from the flat index `flat` (sizes 0 read as 1: dead code must not divide by 0). */
const split = (flat: string, shape: readonly number[], names: readonly string[]): string =>
  splitIndex(
    flat,
    shape.map((s) => Math.max(s, 1)),
    names,
  );

/** `a * s` as WGSL, skipping a unit factor. */
const times = (a: string, s: number): string => (s === 1 ? a : `${a} * ${s}u`);

/** Σ terms as WGSL (`0u` when none). */
const sum = (terms: readonly string[]): string => (terms.length === 0 ? "0u" : terms.join(" + "));

/** A u32 WGSL expression: the int32 index `v` clamped to [0, hi] (hi >= 0). */
const clampIndex = (v: string, hi: number): string => `u32(clamp(${v}, 0i, ${hi}i))`;

function gatherShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  checkKernel(k, plan, "gather", 2);
  const { axis } = k.eqn.params as PrimParams["gather"];
  const shape = k.eqn.inputs[0]!.aval.shape;
  const [pre, len, post] = around(shape, axis);
  const m = k.eqn.inputs[1]!.aval.size;
  const n = pre * m * post;
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
  const [x, ind] = k.inputs.map((id) => `b${slot.get(id)}`);
  const out = `b${slot.get(k.outputs[0]!)}`;
  const type = wgslType(k.eqn.outputs[0]!.aval.dtype);
  let body: string;
  if (len === 0) {
    // Nothing to gather from: zeros (the operand is empty, the indices are read for the layout).
    body = `_ = &${x};\n_ = &${ind};\n${out}[i] = ${type}(0);`;
  } else {
    // Source element (p, c, q) of the operand.
    const row = pre === 1 ? "c" : `p * ${len}u + c`;
    const src = post === 1 ? row : `(${row}) * ${post}u + q`;
    body = [
      split("i", [pre, m, post], ["p", "j", "q"]),
      `let c = ${clampIndex(`${ind}[j]`, len - 1)};`,
      `${out}[i] = ${x}[${src}];`,
    ].join("\n");
  }
  return { code: flatModule([], decls, n, body), bindings, workgroups: flatDispatch(n) };
}

function scatterAddShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  checkKernel(k, plan, "scatter_add", 3);
  const { axis } = k.eqn.params as PrimParams["scatter_add"];
  const dtype = k.eqn.outputs[0]!.aval.dtype;
  const shape = k.eqn.inputs[0]!.aval.shape;
  const [pre, len, post] = around(shape, axis);
  const m = k.eqn.inputs[1]!.aval.size;
  const size = pre * len * post;
  // Rows per invocation, and blocks per column.
  const height = Math.min(Math.max(len, 1), Math.max(1, Math.ceil(size / SCATTER_LANES)));
  const blocks = Math.max(1, Math.ceil(len / height));
  const n = size === 0 ? 0 : pre * blocks * post;
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
  const [x, ind, upd] = k.inputs.map((id) => `b${slot.get(id)}`);
  const out = `b${slot.get(k.outputs[0]!)}`;
  const type = wgslType(dtype);
  const hi = Math.max(len - 1, 0);
  const lines = [
    split("i", [pre, blocks, post], ["p", "blk", "q"]),
    `let rz = ${OPAQUE_ZERO};`,
    // Element (p, r, q) is at base + r·post; update (p, j, q) at ubase + j·post.
    `let base = ${sum([times("p", len * post), "q"])};`,
    `let ubase = ${sum([times("p", m * post), "q"])};`,
  ];
  const update = `${upd}[ubase + ${times("j", post)}]`;
  if (height === 1) {
    lines.push(
      `let at = base + ${times("blk", post)};`,
      `var acc: ${type} = ${x}[at];`,
      `for (var j = 0u; j < ${m}u; j++) {`,
      `  if (${clampIndex(`${ind}[j]`, hi)} == blk) { acc = scatter_add(acc, ${update}, rz); }`,
      "}",
      `${out}[at] = acc;`,
    );
  } else {
    lines.push(
      `let r0 = ${times("blk", height)};`,
      `let r1 = min(r0 + ${height}u, ${len}u);`,
      "for (var r = r0; r < r1; r++) {",
      `  let at = base + ${times("r", post)};`,
      `  ${out}[at] = ${x}[at];`,
      "}",
      `for (var j = 0u; j < ${m}u; j++) {`,
      `  let c = ${clampIndex(`${ind}[j]`, hi)};`,
      "  if (c >= r0 && c < r1) {",
      `    let at = base + ${times("c", post)};`,
      `    ${out}[at] = scatter_add(${out}[at], ${update}, rz);`,
      "  }",
      "}",
    );
  }
  return {
    code: flatModule(addFunction("scatter_add", dtype), decls, n, lines.join("\n")),
    bindings,
    workgroups: flatDispatch(n),
  };
}

/** `let s<d>` per dimension: start buffer d's value clamped so a window of `sizes` fits in `shape`. */
function starts(bufs: readonly string[], shape: readonly number[], sizes: readonly number[]): string {
  return shape.map((s, d) => `let s${d} = ${clampIndex(`${bufs[d]}[0]`, Math.max(0, s - sizes[d]!))};`).join("\n");
}

function dynamicSliceShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  const shape = k.eqn.inputs[0]!.aval.shape;
  checkKernel(k, plan, "dynamic_slice", shape.length + 1);
  const { sizes } = k.eqn.params as PrimParams["dynamic_slice"];
  if (sizes.length !== shape.length || sizes.some((s, d) => !(s >= 0 && s <= shape[d]!)))
    throw new Error(`internal error: dynamic_slice sizes [${sizes}] for shape [${shape}]`);
  const n = sizeOf(sizes);
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
  const [x, ...s] = k.inputs.map((id) => `b${slot.get(id)}`);
  const out = `b${slot.get(k.outputs[0]!)}`;
  const strides = rowMajor(shape);
  const names = shape.map((_, d) => `o${d}`);
  const body = [
    starts(s, shape, sizes),
    split("i", sizes, names),
    `${out}[i] = ${x}[${sum(shape.map((_, d) => times(`(o${d} + s${d})`, strides[d]!)))}];`,
  ].join("\n");
  return { code: flatModule([], decls, n, body), bindings, workgroups: flatDispatch(n) };
}

function dynamicUpdateSliceShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  const shape = k.eqn.inputs[0]!.aval.shape;
  checkKernel(k, plan, "dynamic_update_slice", shape.length + 2);
  const sizes = k.eqn.inputs[1]!.aval.shape;
  if (sizes.length !== shape.length || sizes.some((s, d) => !(s >= 0 && s <= shape[d]!)))
    throw new Error(`internal error: dynamic_update_slice update [${sizes}] for shape [${shape}]`);
  const n = sizeOf(shape);
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, k.outputs);
  const [x, u, ...s] = k.inputs.map((id) => `b${slot.get(id)}`);
  const out = `b${slot.get(k.outputs[0]!)}`;
  const ustrides = rowMajor(sizes);
  // w<d> = d<d> − s<d> wraps to a huge u32 below the window, so one unsigned test per dimension.
  const body = [
    starts(s, shape, sizes),
    split(
      "i",
      shape,
      shape.map((_, d) => `d${d}`),
    ),
    ...shape.map((_, d) => `let w${d} = d${d} - s${d};`),
    `if (${shape.map((_, d) => `w${d} < ${sizes[d]}u`).join(" && ") || "true"}) {`,
    `  ${out}[i] = ${u}[${sum(shape.map((_, d) => times(`w${d}`, ustrides[d]!)))}];`,
    "} else {",
    `  ${out}[i] = ${x}[i];`,
    "}",
  ].join("\n");
  return { code: flatModule([], decls, n, body), bindings, workgroups: flatDispatch(n) };
}

export const SHADERS: Partial<Record<PrimName, Shader>> = {
  gather: gatherShader,
  scatter_add: scatterAddShader,
  dynamic_slice: dynamicSliceShader,
  dynamic_update_slice: dynamicUpdateSliceShader,
};
