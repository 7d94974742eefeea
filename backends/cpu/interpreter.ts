/**
 * Executes a Program on typed arrays. Compilation resolves every variable to a slot in a flat
 * environment and precomputes each equation's kernel inputs, so a run is one tight loop; each
 * intermediate is dropped after its last use, so memory stays bounded by the live set.
 */
import type { Backend, BufferInfo, Executable } from "../../src/core/backend.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import { type Literal, Var, holdsPrograms, type Program } from "../../src/core/program.js";
import { config } from "../../src/core/config.js";
import { checkNans } from "../../src/core/debug-nans.js";
import type { PrimName } from "../../src/core/primitives.js";
import { cpuKernels } from "./kernels/index.js";
import { subProgramRunner } from "./control.js";

export type CpuBuffer = TypedArray;

export type AnyKernel = (
  inputs: readonly TypedArray[],
  inShapes: readonly (readonly number[])[],
  inDtypes: readonly string[],
  params: unknown,
  out: BufferInfo,
) => TypedArray;

/** The kernel for a primitive (looked up once per Program equation, or per eager call). */
export function kernelFor(prim: PrimName): AnyKernel {
  const k = (cpuKernels as unknown as Record<string, AnyKernel | undefined>)[prim];
  if (!k) throw new Error(`cpu backend: no kernel for primitive '${prim}'`);
  return k;
}

interface StepBase {
  prim: PrimName;
  params: unknown;
  /** Slot of each input. */
  ins: number[];
  inInfo: BufferInfo[];
  shapes: (readonly number[])[];
  dtypes: string[];
  outs: number[];
  outInfo: BufferInfo;
  /** Slots whose last use is this step. */
  free: number[];
}

/** An equation: a kernel call, or (for primitives holding sub-programs) a runner of them. */
type Step = StepBase &
  ({ kernel: AnyKernel; sub?: undefined } | { sub: (ins: readonly TypedArray[]) => TypedArray[]; kernel?: undefined });

/** Compiles `program` with `consts` bound to its constant variables; sub-programs compile through `backend`. */
export function compileProgram(
  program: Program,
  consts: readonly CpuBuffer[],
  backend: Backend<CpuBuffer>,
): Executable<CpuBuffer> {
  const slots = new Map<Var, number>();
  const init: [number, TypedArray][] = [];
  const slotOf = (v: Var): number => {
    let s = slots.get(v);
    if (s === undefined) slots.set(v, (s = slots.size));
    return s;
  };
  if (consts.length !== program.constVars.length)
    throw new Error(`cpu backend: Program has ${program.constVars.length} constants, got ${consts.length} buffers`);
  program.constVars.forEach((v, i) => init.push([slotOf(v), consts[i]!]));
  const inSlots = program.inVars.map(slotOf);
  const atomSlot = (a: Var | Literal): number => {
    if (a instanceof Var) return slotOf(a);
    const b = allocate(a.aval.dtype, 1);
    b[0] = a.value;
    const s = slots.size;
    slots.set(new Var(a.aval), s);
    init.push([s, b]);
    return s;
  };
  const steps: Step[] = program.eqns.map((e) => ({
    prim: e.prim,
    params: e.params,
    ins: e.inputs.map(atomSlot),
    inInfo: e.inputs.map((a) => a.aval),
    shapes: e.inputs.map((a) => a.aval.shape),
    dtypes: e.inputs.map((a) => a.aval.dtype),
    outs: e.outputs.map(slotOf),
    outInfo: e.outputs[0]?.aval ?? { shape: [], dtype: "float32" },
    free: [],
    ...(holdsPrograms(e.params) ? { sub: subProgramRunner(e.prim, e.params, backend) } : { kernel: kernelFor(e.prim) }),
  }));
  const outSlots = program.outs.map(atomSlot);
  // Liveness: free a slot after its last reader, unless it is an output or a constant.
  const keep = new Set<number>([...outSlots, ...init.map(([s]) => s)]);
  const lastUse = new Map<number, number>();
  steps.forEach((st, i) => st.ins.forEach((s) => lastUse.set(s, i)));
  for (const [s, i] of lastUse) if (!keep.has(s)) steps[i]!.free.push(s);
  const nSlots = slots.size;

  return {
    program,
    asText: () => `reference interpreter: one kernel call per equation\n${program}`,
    run(inputs: readonly TypedArray[]): TypedArray[] {
      if (inputs.length !== inSlots.length)
        throw new Error(`cpu backend: Program expects ${inSlots.length} inputs, got ${inputs.length}`);
      const env = new Array<TypedArray | undefined>(nSlots);
      for (const [s, b] of init) env[s] = b;
      for (let i = 0; i < inSlots.length; i++) env[inSlots[i]!] = inputs[i];
      const debug = config.debugNans;
      // The loops' indices are in range of their lists; a slot read is set, as compilation orders
      // the steps and frees a slot only after its last reader (outputs and constants never).
      for (const st of steps) {
        const ins = new Array<TypedArray>(st.ins.length);
        for (let j = 0; j < ins.length; j++) ins[j] = env[st.ins[j]!]!;
        if (st.sub) {
          const outs = st.sub(ins);
          for (let j = 0; j < st.outs.length; j++) env[st.outs[j]!] = outs[j];
        } else {
          const out = st.kernel(ins, st.shapes, st.dtypes, st.params, st.outInfo);
          if (debug) checkNans(st.prim, ins, st.inInfo, out, st.outInfo);
          env[st.outs[0]!] = out;
        }
        for (const s of st.free) env[s] = undefined;
      }
      return outSlots.map((s) => env[s]!);
    },
  };
}
