/**
 * A compiled Program on the WebAssembly backend: its kernel plan, the module computing it, and a
 * run that pushes a frame of linear memory, copies inputs and constants in, runs the steps and
 * copies the outputs out. With `debugNans`, each step's float outputs are checked; on a NaN the
 * Program re-runs op by op on the reference backend, which names the primitive (as JAX re-runs
 * un-jitted).
 */
import type { Backend, Executable } from "../../../src/core/backend.js";
import { config } from "../../../src/core/config.js";
import { allocate, checkAllocation, type DType, itemSize, type TypedArray } from "../../../src/core/dtype.js";
import type { Program } from "../../../src/core/program.js";
import type { KernelPlan } from "../../plan/types.js";
import type { CompiledPlan } from "./compile.js";
import type { LinearMemory } from "./memory.js";

export function makeExecutable(
  program: Program,
  plan: KernelPlan,
  compiled: CompiledPlan,
  consts: readonly TypedArray[],
  mem: LinearMemory,
  reference: () => Backend<TypedArray>,
): Executable<TypedArray> {
  const ins = plan.buffers.filter((b) => b.role === "input");
  const cs = plan.buffers.filter((b) => b.role === "const");
  const nInputs = program.inVars.length;
  // The allocation limit applies to every array a run creates, as on the reference backend.
  let largest = plan.buffers[0];
  for (const b of plan.buffers)
    if ((b.role === "temp" || b.role === "output") && b.lastUse >= 0 && (!largest || bytes(b) > bytes(largest)))
      largest = b;
  return {
    program,
    run(inputs: readonly TypedArray[]): TypedArray[] {
      if (inputs.length !== nInputs)
        throw new Error(`wasm backend: Program expects ${nInputs} inputs, got ${inputs.length}`);
      if (largest && bytes(largest) > config.maxAllocationBytes) {
        const k = plan.kernels[largest.def];
        checkAllocation(k ? (k.kind === "primitive" ? k.prim : k.kind) : "jit", [largest.size], largest.dtype);
      }
      const base = mem.push(plan.arenaBytes, "jit");
      try {
        for (const b of ins) if (b.lastUse >= 0) mem.write(base + b.offset, inputs[b.index!]!, b.dtype);
        for (const b of cs) if (b.lastUse >= 0) mem.write(base + b.offset, consts[b.index!]!, b.dtype);
        const debug = config.debugNans;
        for (let i = 0; i < compiled.steps.length; i++) {
          compiled.steps[i]!(base);
          if (debug && stepMadeNan(plan, compiled, i, mem, base)) {
            reference().compile(program, consts).run(inputs);
            throw new Error(
              `debugNans: kernel ${i} of a jitted function produced a NaN on the wasm backend (the reference backend did not); ` +
                `see jit(f).lower(...).compile().asText()`,
            );
          }
        }
        return plan.outputs.map((o) => {
          if (!("buffer" in o)) {
            const t = allocate(o.dtype, 1);
            t[0] = o.literal;
            return t;
          }
          const b = plan.buffers[o.buffer]!;
          if (b.role === "input") return inputs[b.index!]!;
          if (b.role === "const") return consts[b.index!]!;
          return mem.read(base + b.offset, b.dtype, b.size);
        });
      } finally {
        mem.pop(base);
      }
    },
  };
}

const bytes = (b: { size: number; dtype: DType }): number => b.size * itemSize(b.dtype);

function stepMadeNan(plan: KernelPlan, compiled: CompiledPlan, i: number, mem: LinearMemory, base: number): boolean {
  for (const id of compiled.writes[i]!) {
    const b = plan.buffers[id]!;
    if (b.dtype !== "float32" && b.dtype !== "float64") continue;
    const v = mem.view(b.dtype, base + b.offset, b.size);
    for (let j = 0; j < v.length; j++) if (v[j] !== v[j]) return true;
  }
  return false;
}
