/**
 * WGSL for `threefry2x32`: Threefry-2x32 with 20 rounds (Random123), bit for bit the reference
 * (backends/cpu/kernels/threefry.ts). WGSL u32 addition wraps modulo 2^32 and shifts by constants
 * below 32 are defined, so each step is the reference's `| 0` / `>>>` arithmetic exactly:
 * five groups of four rounds (x0 += x1; x1 = rotl(x1, r) ^ x0) with rotations [13, 15, 26, 6]
 * and [17, 29, 16, 24] alternating, the key schedule (k0, k1, k0 ^ k1 ^ 0x1BD11BDA) injected
 * before the first group and after each one (plus the group number on the second word).
 *
 * One invocation per element of the operands' shape S: it reads k0, k1, x0, x1 at that element
 * and writes the output words (y0, y1) to elements 2i and 2i + 1 of the uint32 [...S, 2] output.
 * Bindings (group 0): the operand buffers (read, in operand order, a buffer passed twice bound
 * once), then the output (read_write). Dispatch: flatDispatch over S (64 per workgroup).
 */
import type { PrimName } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel } from "../../../plan/types.js";
import { declareBindings } from "../elementwise.js";
import { flatModule } from "./indexing.js";
import { flatDispatch, type WgslKernel } from "../kernel.js";

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

/** `fn gx_threefry(k0, k1, x0, x1) -> vec2u`, its 20 rounds unrolled. */
function threefryFn(): string {
  const ks = ["ks0", "ks1", "ks2"];
  const lines = [
    "fn gx_threefry(ks0: u32, ks1: u32, x0: u32, x1: u32) -> vec2u {",
    "  let ks2 = ks0 ^ ks1 ^ 0x1bd11bdau;",
    "  var a = x0 + ks0;",
    "  var b = x1 + ks1;",
  ];
  for (let g = 0; g < 5; g++) {
    for (const r of ROTATIONS[g % 2]!) {
      lines.push("  a = a + b;");
      lines.push(`  b = ((b << ${r}u) | (b >> ${32 - r}u)) ^ a;`);
    }
    lines.push(`  a = a + ${ks[(g + 1) % 3]};`);
    lines.push(`  b = b + ${ks[(g + 2) % 3]} + ${g + 1}u;`);
  }
  lines.push("  return vec2u(a, b);", "}");
  return lines.join("\n");
}

/** The threefry2x32 kernel of `k` (`k.prim` must be "threefry2x32"). */
export function threefryShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel {
  if (k.prim !== "threefry2x32" || k.inputs.length !== 4 || k.outputs.length !== 1)
    throw new Error(`internal error: threefryShader given a ${k.prim} kernel with ${k.inputs.length} inputs`);
  const size = k.eqn.inputs[0]!.aval.size;
  for (const id of k.inputs) {
    const b = plan.buffers[id];
    if (b?.dtype !== "uint32" || b.size !== size)
      throw new Error(`internal error: threefry2x32 operand buffer ${id} does not hold ${size} uint32 elements`);
  }
  const out = plan.buffers[k.outputs[0]!];
  if (out?.dtype !== "uint32" || out.size !== 2 * size)
    throw new Error(`internal error: threefry2x32 output buffer ${k.outputs[0]} does not hold ${2 * size} uint32`);
  const { bindings, decls, slot } = declareBindings(plan, k.inputs, [out.id]);
  const [k0, k1, x0, x1] = k.inputs.map((id) => `b${slot.get(id)}[i]`);
  const y = `b${slot.get(out.id)}`;
  const body = `
let y = gx_threefry(${k0}, ${k1}, ${x0}, ${x1});
${y}[2u * i] = y.x;
${y}[2u * i + 1u] = y.y;`;
  const code = flatModule([threefryFn()], decls, size, body);
  return { code, bindings, workgroups: flatDispatch(size) };
}

export const SHADERS: Partial<Record<PrimName, (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel>> = {
  threefry2x32: threefryShader,
};
