/** The root trace: primitives bound outside any transform run eagerly on the arrays' backend. */
import { type Array, describeValue, isArray } from "./array.js";
import { ShapedArray } from "./aval.js";
import { type ConcreteArray, backendOf, bufferOf, concreteArray, constantBuffers, isConcrete } from "./concrete.js";
import { checkAllocation, itemSize, type DType, type TypedArray } from "./dtype.js";
import { Trace, Tracer, setRootTrace } from "./trace.js";
import { UnexpectedTracerError } from "./errors.js";
import { config } from "./config.js";
import { checkNans } from "./debug-nans.js";
import { Program, Var, holdsPrograms, paramsCache, paramsKey } from "./program.js";
import { rulesFor } from "./rules.js";
import type { PrimName, PrimParams } from "./primitives.js";
import { defaultBackend, type Backend } from "./backend.js";
import { foreignArrayNote } from "./validate.js";

/** Wraps a typed array (owned from now on: the caller must not write to it) as a concrete array on the default backend. */
export function fromTypedArray(
  data: TypedArray,
  shape: readonly number[],
  dtype: DType,
  weakType = false,
): ConcreteArray {
  const backend = defaultBackend();
  const info = { shape, dtype };
  return concreteArray(
    new ShapedArray(shape, dtype, weakType),
    backend,
    backend.adopt ? backend.adopt(data, info) : backend.upload(data, info),
  );
}

/** Compiles `program` on `backend` (its constants bound as that backend's buffers) and runs it. */
export function runProgram(backend: Backend<unknown>, program: Program, inputs: readonly unknown[]): ConcreteArray[] {
  const outs = backend.compile(program, constantBuffers(program, backend)).run(inputs);
  return program.outs.map((o, i) => concreteArray(o.aval, backend, outs[i]));
}

const bytesOf = (a: ShapedArray): number => a.size * itemSize(a.dtype);
const maxOperandBytes = (avals: readonly ShapedArray[]): number => {
  let m = 0;
  for (const a of avals) m = Math.max(m, bytesOf(a));
  return m;
};

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
      if (!isConcrete(a)) {
        if (isArray(a) && a instanceof Tracer) throw new UnexpectedTracerError(a.trace.transform);
        throw new TypeError(`${prim}: expected a graft array, got ${describeValue(a)}${foreignArrayNote(a)}`);
      }
      const home = backendOf(a);
      if (backend && home !== backend)
        throw new Error(
          `${prim}: operands live on different backends (${backend.name} and ${home.name}); move one with devicePut(x, "${backend.name}")`,
        );
      backend = home;
      bufs[i] = bufferOf(a);
      avals[i] = a.aval;
    }
    backend ??= defaultBackend();
    const rules = rulesFor(prim);
    if (holdsPrograms(params as Record<string, unknown>)) {
      // A call-like primitive runs its callee; other holders run as a one-equation Program.
      const callee = rules.callee?.(params);
      return runProgram(backend, callee ?? oneEquationProgram(prim, avals, params), bufs);
    }
    // A primitive without sub-programs has exactly one result.
    const [outAval] = rules.abstractEval(avals, params);
    if (!outAval) throw new Error(`internal error: ${prim}'s abstract evaluation gave no result`);
    // Results no larger than an operand were within the limit already (most eager ops): skip the check.
    if (bytesOf(outAval) > maxOperandBytes(avals)) checkAllocation(prim, outAval.shape, outAval.dtype);
    const out = backend.executePrimitive(prim, params, bufs, avals, outAval);
    if (config.debugNans && backend.downloadSync) {
      const read = backend.downloadSync;
      checkNans(
        prim,
        bufs.map((b, i) => read(b, avals[i]!)),
        avals,
        read(out, outAval),
        outAval,
      );
    }
    return [concreteArray(outAval, backend, out)];
  }
}

const oneEqnCache = paramsCache<Program>();

/** A Program holding one equation (cached), so backends run control flow the way they run jit. */
function oneEquationProgram<P extends PrimName>(
  prim: P,
  avals: readonly ShapedArray[],
  params: PrimParams[P],
): Program {
  const key = `${prim}|${paramsKey(params as Record<string, unknown>)}|${avals.map((a) => a.key).join(",")}`;
  return oneEqnCache(params as Record<string, unknown>, key, () => {
    const ins = avals.map((a) => new Var(a));
    const outs = rulesFor(prim)
      .abstractEval(avals, params)
      .map((a) => new Var(a));
    return new Program(
      [],
      [],
      ins,
      [{ prim, inputs: ins, params: params as Record<string, unknown>, outputs: outs }],
      outs,
    );
  });
}

export const evalTrace = new EvalTrace();
setRootTrace(evalTrace);
