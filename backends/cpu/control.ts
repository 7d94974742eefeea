/**
 * How the CPU interpreter runs primitives that hold sub-programs: each entry turns the equation's
 * params into a function of input buffers, compiling sub-programs once. Loop bodies receive
 * zero-copy views of the scanned inputs (kernels never write their inputs).
 */
import type { Backend, Executable } from "../../src/core/backend.js";
import { constantBuffers } from "../../src/core/concrete.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import type { Program } from "../../src/core/program.js";
import type { PrimName, PrimParams, SubProgramPrim } from "../../src/core/primitives.js";
import { forwardModeError } from "../../src/core/errors.js";

type Compile = (p: Program) => Executable<TypedArray>;
type Runner = (ins: readonly TypedArray[]) => TypedArray[];
type RunnerFactory<P extends SubProgramPrim> = (params: PrimParams[P], compile: Compile) => Runner;

const runProgram = (p: Program, compile: Compile): Runner => {
  const exe = compile(p);
  return (ins) => exe.run(ins);
};

const scan: RunnerFactory<"scan"> = ({ body, numConsts, numCarry, length, reverse }, compile) => {
  const exe = compile(body);
  const yAvals = body.outAvals.slice(numCarry);
  const ySizes = yAvals.map((a) => a.size);
  return (ins) => {
    const consts = ins.slice(0, numConsts);
    let carry = ins.slice(numConsts, numConsts + numCarry);
    const xs = ins.slice(numConsts + numCarry);
    const xSizes = xs.map((x) => x.length / Math.max(length, 1));
    const ys = yAvals.map((a, k) => allocate(a.dtype, ySizes[k]! * length));
    for (let step = 0; step < length; step++) {
      const i = reverse ? length - 1 - step : step;
      const xi = xs.map((x, k) => x.subarray(i * xSizes[k]!, (i + 1) * xSizes[k]!));
      const outs = exe.run([...consts, ...carry, ...xi]);
      carry = outs.slice(0, numCarry);
      for (let k = 0; k < ys.length; k++) ys[k]!.set(outs[numCarry + k]!, i * ySizes[k]!);
    }
    return [...carry, ...ys];
  };
};

const whileLoop: RunnerFactory<"while"> = ({ cond, body, condConsts, bodyConsts }, compile) => {
  const c = compile(cond);
  const b = compile(body);
  return (ins) => {
    const cc = ins.slice(0, condConsts);
    const bc = ins.slice(condConsts, condConsts + bodyConsts);
    let carry = ins.slice(condConsts + bodyConsts);
    // The condition has one output, a bool scalar (whileLoop checks): its buffer has one element.
    while (c.run([...cc, ...carry])[0]![0]) carry = b.run([...bc, ...carry]);
    return carry;
  };
};

const cond: RunnerFactory<"cond"> = ({ branches }, compile) => {
  const exes = branches.map(compile);
  if (exes.length === 0) throw new Error("internal error: cond without branches");
  return (ins) => {
    // ins[0] is the int32 scalar index (cond's first operand); clamping keeps i in range of exes.
    const i = Math.min(Math.max(ins[0]![0]!, 0), exes.length - 1);
    return exes[i]!.run(ins.slice(1));
  };
};

/** One runner per primitive that holds sub-programs (`SubProgramPrim`, derived from the parameter types). */
export const cpuSubProgramRunners: { [P in SubProgramPrim]: RunnerFactory<P> } = {
  jit_call: ({ program }, compile) => runProgram(program, compile),
  remat_call: ({ program }, compile) => runProgram(program, compile),
  custom_jvp_call: ({ fun }, compile) => runProgram(fun, compile),
  custom_vjp_call: ({ fun }, compile) => runProgram(fun, compile),
  custom_vjp_lin:
    ({ name }) =>
    () => {
      throw forwardModeError(name);
    },
  cond,
  while: whileLoop,
  scan,
};

/** The runner of an equation whose params hold sub-programs; they compile (once) through `backend`. */
export function subProgramRunner(prim: PrimName, params: unknown, backend: Backend<TypedArray>): Runner {
  const factory = (cpuSubProgramRunners as Partial<Record<PrimName, RunnerFactory<SubProgramPrim>>>)[prim];
  if (!factory) throw new Error(`cpu backend: no runner for primitive '${prim}', whose params hold sub-programs`);
  const compile: Compile = (p) => backend.compile(p, constantBuffers(p, backend));
  return factory(params as PrimParams[SubProgramPrim], compile);
}
