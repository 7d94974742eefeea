/** The root trace: primitives bound outside any transform run eagerly on the arrays' backend. */
import type { Array } from "./array.js";
import { ShapedArray } from "./aval.js";
import { ConcreteArray } from "./concrete.js";
import type { DType, TypedArray } from "./dtype.js";
import { Trace, Tracer, setRootTrace } from "./trace.js";
import { UnexpectedTracerError } from "./errors.js";
import { config } from "./config.js";
import { checkNans } from "./debug-nans.js";
import { Program, Var, paramsCache, paramsKey } from "./program.js";
import { rulesFor } from "../lax/rules.js";
import type { PrimName, PrimParams } from "../lax/params.js";
import type { Backend } from "../../backends/backend.js";
import { cpuBackend } from "../../backends/cpu/index.js";

let defaultBackend: Backend<unknown> = cpuBackend as Backend<unknown>;

/** The backend new arrays are created on. */
export function getDefaultBackend(): Backend<unknown> {
  return defaultBackend;
}
export function setDefaultBackend(b: Backend<unknown>): void {
  defaultBackend = b;
}

/** Wraps a typed array (owned from now on: the caller must not write to it) as a concrete array. */
export function fromTypedArray(data: TypedArray, shape: readonly number[], dtype: DType, weakType = false): ConcreteArray {
  return new ConcreteArray(new ShapedArray(shape, dtype, weakType), defaultBackend, defaultBackend === (cpuBackend as Backend<unknown>) ? data : defaultBackend.upload(data, { shape, dtype }));
}

class EvalTrace extends Trace {
  constructor() {
    super(null, "eager evaluation");
  }
  processPrimitive<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[] {
    const n = args.length;
    const bufs = new globalThis.Array<unknown>(n);
    const avals = new globalThis.Array<ShapedArray>(n);
    let backend: Backend<unknown> | undefined;
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      if (!(a instanceof ConcreteArray)) {
        if (a instanceof Tracer) throw new UnexpectedTracerError(a.trace.transform);
        throw new TypeError(`${prim}: expected a graft array, got ${typeof a}`);
      }
      if (backend && a.backend !== backend)
        throw new Error(`${prim}: operands live on different backends (${backend.name} and ${a.backend.name})`);
      backend = a.backend;
      bufs[i] = a.buffer;
      avals[i] = a.aval;
    }
    backend ??= defaultBackend;
    if (prim === "jit_call") {
      const program = (params as PrimParams["jit_call"]).program;
      const outs = backend.compile(program).run(bufs);
      return program.outs.map((o, i) => new ConcreteArray(o.aval, backend!, outs[i]));
    }
    const rules = rulesFor(prim);
    if (rules.holdsPrograms) {
      const program = oneEquationProgram(prim, avals, params);
      const outs = backend.compile(program).run(bufs);
      return program.outs.map((o, i) => new ConcreteArray(o.aval, backend!, outs[i]));
    }
    const outAval = rules.abstractEval(avals, params)[0]!;
    const out = backend.executePrimitive(prim, params, bufs, avals, outAval);
    if (config.debugNans && backend.downloadSync) {
      const read = backend.downloadSync;
      checkNans(prim, bufs.map((b, i) => read(b, avals[i]!)), avals, read(out, outAval), outAval);
    }
    return [new ConcreteArray(outAval, backend, out)];
  }
}

const oneEqnCache = paramsCache<Program>();

/** A Program holding one equation (cached), so backends run control flow the way they run jit. */
function oneEquationProgram<P extends PrimName>(prim: P, avals: readonly ShapedArray[], params: PrimParams[P]): Program {
  const key = `${prim}|${paramsKey(params as Record<string, unknown>)}|${avals.map((a) => a.key).join(",")}`;
  return oneEqnCache(params as Record<string, unknown>, key, () => {
    const ins = avals.map((a) => new Var(a));
    const outs = rulesFor(prim).abstractEval(avals, params).map((a) => new Var(a));
    return new Program([], [], ins, [{ prim, inputs: ins, params: params as Record<string, unknown>, outputs: outs }], outs);
  });
}

export const evalTrace = new EvalTrace();
setRootTrace(evalTrace);
