/**
 * WGSL for `conv_general_dilated` in its fixed layout (lhs [N, C, ...], rhs [O, I, ...], out
 * [N / batchGroups, O, ...]), with the reference's semantics (backends/cpu/kernels/conv.ts).
 *
 * Design: one invocation per output element. It decodes its (batch, feature, position), then
 * loops over the group's input features and the window; each window offset maps to a position in
 * the dilated, padded input, which is read only when it lands on a real element (not padding or
 * a dilation hole). Shapes and params are constants of the module, so the loops have static
 * bounds. float32 accumulates in f32 (the reference in float64, so results agree to float32
 * rounding of the sum); int32 and uint32 wrap as the reference's stores do.
 *
 * Bindings (group 0): lhs (read), rhs (read), out (read_write). Dispatch: flatDispatch over the
 * output elements (64 per workgroup).
 */
import type { PrimName, PrimParams } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel } from "../../../plan/types.js";
import { splitIndex } from "../elementwise.js";
import { flatDispatch, type WgslKernel, wgslType } from "../kernel.js";
import { flatModule } from "./indexing.js";

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The conv_general_dilated kernel of `k`. */
export function convShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  if (k.prim !== "conv_general_dilated" || k.inputs.length !== 2 || k.outputs.length !== 1)
    throw new Error(`internal error: convShader given a ${k.prim} kernel with ${k.inputs.length} inputs`);
  const p = k.eqn.params as PrimParams["conv_general_dilated"];
  const [lShape, rShape] = [k.eqn.inputs[0]!.aval.shape, k.eqn.inputs[1]!.aval.shape];
  const oShape = k.eqn.outputs[0]!.aval.shape;
  const t = wgslType(k.eqn.inputs[0]!.aval.dtype, "conv_general_dilated");
  for (const [id, size] of [
    [k.inputs[0]!, prod(lShape)],
    [k.inputs[1]!, prod(rShape)],
    [k.outputs[0]!, prod(oShape)],
  ] as const)
    if (plan.buffers[id]?.size !== size)
      throw new Error(`internal error: conv_general_dilated buffer ${id} does not hold ${size} elements`);
  const C = lShape[1]!;
  const [O, I] = [rShape[0]!, rShape[1]!];
  const inSp = lShape.slice(2);
  const winSp = rShape.slice(2);
  const outSp = oShape.slice(2);
  const outN = oShape[0]!;
  const size = prod(oShape);
  const [fg, bg] = [p.featureGroupCount, p.batchGroupCount];
  const oPerGroup = Math.max(1, O / Math.max(fg, bg));
  const ns = inSp.length;
  const names = ["n", "o", ...outSp.map((_, d) => `q${d}`)];
  // Row-major strides of the input's and the window's spatial dims.
  const inStride = inSp.map((_, d) => prod(inSp.slice(d + 1)));
  const winStride = winSp.map((_, d) => prod(winSp.slice(d + 1)));
  const lines: string[] = [
    splitIndex("i", oShape, names),
    `let g = o / ${Math.max(oPerGroup, 1)}u;`,
    `let ln = ${bg > 1 ? `g * ${outN}u + n` : "n"};`,
    `let cb = ${fg > 1 ? `g * ${I}u` : "0u"};`,
    `var acc: ${t} = ${t}(0);`,
    `for (var ci = 0u; ci < ${I}u; ci++) {`,
    `let lb = ((ln * ${C}u + cb + ci) * ${prod(inSp)}u);`,
    `let rb = ((o * ${I}u + ci) * ${prod(winSp)}u);`,
  ];
  for (let d = 0; d < ns; d++) {
    const [lo] = p.padding[d]!;
    const [s, ld, rd] = [p.windowStrides[d]!, p.lhsDilation[d]!, p.rhsDilation[d]!];
    lines.push(
      `for (var k${d} = 0u; k${d} < ${winSp[d]!}u; k${d}++) {`,
      `let p${d} = i32(q${d} * ${s}u + k${d} * ${rd}u) - (${lo});`,
      `if (p${d} < 0 || p${d} % ${ld} != 0 || p${d} / ${ld} >= ${inSp[d]!}) { continue; }`,
      `let x${d} = u32(p${d} / ${ld});`,
    );
  }
  const lIdx = ["lb", ...inSp.map((_, d) => `x${d} * ${inStride[d]!}u`)].join(" + ");
  const rIdx = ["rb", ...winSp.map((_, d) => `k${d} * ${winStride[d]!}u`)].join(" + ");
  lines.push(`acc += b0[${lIdx}] * b1[${rIdx}];`, "}".repeat(ns + 1), "b2[i] = acc;");
  const code = flatModule(
    [],
    [
      `@group(0) @binding(0) var<storage, read> b0: array<${t}>;`,
      `@group(0) @binding(1) var<storage, read> b1: array<${t}>;`,
      `@group(0) @binding(2) var<storage, read_write> b2: array<${t}>;`,
    ].join("\n"),
    size,
    lines.join("\n"),
  );
  return {
    code,
    bindings: [
      { buffer: k.inputs[0]!, access: "read" },
      { buffer: k.inputs[1]!, access: "read" },
      { buffer: k.outputs[0]!, access: "read_write" },
    ],
    workgroups: flatDispatch(size),
  };
}

export const SHADERS: Partial<Record<PrimName, (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel>> = {
  conv_general_dilated: convShader,
};
