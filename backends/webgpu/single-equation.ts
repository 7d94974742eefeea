/**
 * An eager operation as a one-equation Program, so eager operations and jitted functions share one
 * path to WGSL (the plan and its generators). The key names everything the shader depends on;
 * shapes are in it, so each new shape compiles once. Only what the shape-generic shaders do not
 * cover comes here (eager.ts, eager-generic.ts): argsort, threefry2x32, bool iota, elementwise
 * operations WGSL cannot match, dynamic slices of ranks past the device's bindings.
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { ShapedArray } from "../../src/core/aval.js";
import type { PrimName, PrimParams } from "../../src/core/primitives.js";
import { paramsKey, Program, Var } from "../../src/core/program.js";

export function singleEquationProgram<P extends PrimName>(
  prim: P,
  params: PrimParams[P],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): { program: Program; key: string } {
  const ins = inInfo.map((i) => new Var(new ShapedArray(i.shape, i.dtype)));
  const outVar = new Var(new ShapedArray(out.shape, out.dtype));
  const eqn = { prim, inputs: ins, params: params as Readonly<Record<string, unknown>>, outputs: [outVar] };
  const sig = (i: BufferInfo): string => `${i.dtype}[${i.shape.join(",")}]`;
  const key = `${prim}|${paramsKey(params as Readonly<Record<string, unknown>>)}|${inInfo.map(sig).join(";")}|${sig(out)}`;
  return { program: new Program([], [], ins, [eqn], [outVar]), key };
}
