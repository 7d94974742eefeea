/**
 * Executes a Program on typed arrays. Compilation resolves every variable to a slot in a flat
 * environment and precomputes each equation's kernel inputs, so a run is one tight loop; each
 * intermediate is dropped after its last use, so memory stays bounded by the live set.
 */
import type { BufferInfo, Executable } from "../backend.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import { Literal, Var, type Program } from "../../src/core/program.js";
import { config } from "../../src/core/config.js";
import { ConcreteArray } from "../../src/core/concrete.js";
import { kernelFor, type AnyKernel } from "./index.js";
import { cpuHigherOrder, isHigherOrder } from "./control.js";
import { checkNans } from "../../src/core/debug-nans.js";
import type { PrimName } from "../../src/lax/params.js";

interface Step {
  prim: PrimName;
  params: unknown;
  /** Slot of each input. */
  ins: number[];
  inInfo: BufferInfo[];
  kernel?: AnyKernel;
  shapes: (readonly number[])[];
  dtypes: string[];
  outs: number[];
  outInfo: BufferInfo;
  /** Slots whose last use is this step. */
  free: number[];
  sub?: (ins: readonly TypedArray[]) => TypedArray[];
}

export function compileProgram(program: Program, compile: (p: Program) => Executable<TypedArray>): Executable<TypedArray> {
  const slots = new Map<Var, number>();
  const init: [number, TypedArray][] = [];
  const slotOf = (v: Var): number => {
    let s = slots.get(v);
    if (s === undefined) slots.set(v, (s = slots.size));
    return s;
  };
  program.constVars.forEach((v, i) => {
    const c = program.consts[i];
    if (!(c instanceof ConcreteArray)) throw new Error("cpu backend: Program constants must be concrete arrays");
    init.push([slotOf(v), c.readSync()]);
  });
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
    ...(isHigherOrder(e.prim)
      ? { sub: (cpuHigherOrder[e.prim] as (p: unknown, c: typeof compile) => Step["sub"])(e.params, compile) }
      : { kernel: kernelFor(e.prim) }),
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
    run(inputs: readonly TypedArray[]): TypedArray[] {
      if (inputs.length !== inSlots.length)
        throw new Error(`cpu backend: Program expects ${inSlots.length} inputs, got ${inputs.length}`);
      const env = new Array<TypedArray | undefined>(nSlots);
      for (const [s, b] of init) env[s] = b;
      for (let i = 0; i < inSlots.length; i++) env[inSlots[i]!] = inputs[i];
      const debug = config.debugNans;
      for (const st of steps) {
        const ins = new Array<TypedArray>(st.ins.length);
        for (let j = 0; j < ins.length; j++) ins[j] = env[st.ins[j]!]!;
        if (st.sub) {
          const outs = st.sub(ins);
          for (let j = 0; j < st.outs.length; j++) env[st.outs[j]!] = outs[j];
        } else {
          const out = st.kernel!(ins, st.shapes, st.dtypes, st.params, st.outInfo);
          if (debug) checkNans(st.prim, ins, st.inInfo, out, st.outInfo);
          env[st.outs[0]!] = out;
        }
        for (const s of st.free) env[s] = undefined;
      }
      return outSlots.map((s) => env[s]!);
    },
  };
}
