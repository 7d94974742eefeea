/**
 * `customVjp`: a function whose reverse-mode derivative is given by a user forward pass (which
 * saves residuals) and backward pass. The function, `fwd` and `bwd` are traced to Programs held by
 * one `custom_vjp_call` primitive. Its JVP rule runs `fwd` and emits `custom_vjp_lin`, a linear
 * primitive of the tangents whose transpose runs `bwd`; so reverse mode (linearize, then transpose)
 * uses `bwd`, while forward mode, which would have to evaluate `custom_vjp_lin` itself, is an error.
 */
import type { Array } from "../../core/array.js";
import type { ShapedArray } from "../../core/aval.js";
import { Program } from "../../core/program.js";
import { WeakCache } from "../../core/caches.js";
import { bind, Zero } from "../../core/trace.js";
import { forwardModeError } from "../../core/errors.js";
import { evalProgram } from "../../interpreters/eval-program.js";
import { batchProgram, closedProgram, withLeadingAxis } from "../../interpreters/program-transforms.js";
import { defPrimitive, LinearIn, type BatchDim } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { transposeJitCall } from "../prims/jit-call.js";
import { PyTreeDef, unflatten } from "../../tree/index.js";
import { checkSameSignature, traceFn, type TracedFn } from "../../interpreters/trace-fn.js";
import {
  checkClosure,
  checkOperands,
  matchWeakTypes,
  opName,
  pruned,
  stagingCache,
  unionExtras,
  withUnionInputs,
  type Traceable,
} from "./custom-jvp.js";
import { partialEvalAsCall } from "../../interpreters/partial-eval.js";
import { checkArgsDefined, flattenArrays, frozen } from "../../interpreters/args.js";
import type { GradOf } from "../../core/array.js";

/** What `bwd` returns: one cotangent per argument, shaped like it (`null` for a zero cotangent). */
export type Cotangents<A extends unknown[]> = { [K in keyof A]: GradOf<A[K]> | null };

/** A function with a custom VJP; call `defVjp` once before calling it. */
export interface CustomVjp<A extends unknown[], R> {
  (...args: A): R;
  /**
   * Sets the rule: `fwd(...args)` returns `[out, residuals]` (residuals: any pytree of arrays) and
   * `bwd(residuals, ct)` returns one cotangent per argument. Returns the function itself.
   */
  defVjp<Res>(fwd: (...args: A) => readonly [R, Res], bwd: (residuals: Res, ct: R) => Cotangents<A>): CustomVjp<A, R>;
}

interface StagedVjp {
  fun: Program;
  fwd: Program;
  bwd: Program;
  numResiduals: number;
  extras: Array[];
  outDef: PyTreeDef;
}

const describe = (x: unknown): string =>
  x === null
    ? "null"
    : x === undefined
      ? "undefined"
      : globalThis.Array.isArray(x)
        ? `a list of length ${x.length}`
        : typeof x === "object"
          ? `an object of class ${(x as object).constructor?.name ?? "?"}`
          : typeof x;

/**
 * Gives `f` a custom reverse-mode derivative (JAX's `custom_vjp`): `g = customVjp(f).defVjp(fwd, bwd)`
 * computes `f(...args)`, but reverse-mode transforms of `g` run `fwd` and `bwd` instead of
 * differentiating `f`.
 *
 * Rule math: for `y = f(x)`, reverse mode needs the vector-Jacobian product `x̄ = ȳ·∂f(x)`.
 * `fwd(...args)` returns `[y, residuals]` (any pytree of arrays: what the backward pass needs saved)
 * and `bwd(residuals, ȳ)` returns `x̄` as a list with one cotangent per argument, each shaped like
 * its argument (same structure, shapes and dtypes; `null` for a zero cotangent); it must be linear in
 * `ȳ`. Structures are checked when traced. grad, vjp and jacrev (and vmap / jit of them)
 * use `bwd`; grad of grad differentiates `bwd` (and `fwd`, which computes the residuals).
 * Forward mode (jvp, jacfwd, evaluating linearize's JVP) is an error, as in JAX: use `customJvp`
 * for a rule that works in both modes.
 *
 * - Arguments are pytrees of arrays (JS numbers become float32 scalars); `f`, `fwd` and `bwd` are
 *   traced once per argument signature.
 * - Traced values that `f`, `fwd` or `bwd` close over (from an enclosing jit or vmap) are allowed but
 *   are not differentiated: differentiating with respect to one is an error where it can be
 *   detected (pass such values as arguments instead).
 * - Calling the function itself inside `fwd` (for the primal output) runs plain `f`.
 *
 * @example
 * // identity whose gradient is clipped to [-1, 1]
 * const clipGradient = customVjp((x: Array) => x);
 * clipGradient.defVjp((x: Array) => [x, null], (_res: null, ct: Array) => [np.clip(ct, -1, 1)]);
 * grad((x: Array) => clipGradient(x).mul(10).sum())(np.array([1, 2])); // [1, 1] instead of [10, 10]
 */
export function customVjp<A extends unknown[], R>(f: (...args: A) => R): CustomVjp<A, R> {
  if (typeof f !== "function")
    throw new TypeError(`customVjp: expected a function, got ${f === null ? "null" : typeof f}`);
  const op = opName("customVjp", f.name);
  const name = f.name || "customVjp";
  let rule: VjpRule | undefined;
  const stages = stagingCache<StagedVjp>();

  const g = (...args: A): R => {
    if (!rule)
      throw new Error(`${op}: no VJP rule defined; call .defVjp(fwd, bwd) on the customVjp function before calling it`);
    checkArgsDefined(args, op);
    const [leaves, inDef] = flattenArrays(args, op, "arguments");
    const r = rule;
    const staged = stages.get(leaves, inDef, () => stageVjp(op, f as Traceable, r, leaves, inDef, args.length));
    if (!staged) return f(...args);
    const { fun, fwd, bwd, numResiduals } = staged;
    const outs = bind("custom_vjp_call", [...staged.extras, ...leaves], { fun, fwd, bwd, numResiduals, name });
    return frozen(unflatten(staged.outDef, outs) as R);
  };
  const defVjp = <Res>(
    fwd: (...args: A) => readonly [R, Res],
    bwd: (residuals: Res, ct: R) => Cotangents<A>,
  ): CustomVjp<A, R> => {
    if (typeof fwd !== "function" || typeof bwd !== "function")
      throw new TypeError(
        `${op}: defVjp expects two functions: fwd(...args) => [out, residuals] and bwd(residuals, ct) => cotangents`,
      );
    rule = { fwd: fwd as Traceable, bwd: bwd as (res: unknown, ct: unknown) => unknown };
    stages.clear();
    return g as CustomVjp<A, R>;
  };
  Object.defineProperty(g, "defVjp", { value: defVjp });
  Object.defineProperty(g, "name", { value: name });
  return g as CustomVjp<A, R>;
}

interface VjpRule {
  fwd: Traceable;
  bwd: (res: unknown, ct: unknown) => unknown;
}

/** Traces the function, fwd and bwd for one argument signature, checks them, and builds the call's Programs. */
function stageVjp(
  op: string,
  f: Traceable,
  rule: VjpRule,
  leaves: readonly Array[],
  inDef: PyTreeDef,
  nargs: number,
): StagedVjp {
  const avals = leaves.map((l) => l.aval);
  const { funT, fwdT, resDef, resAvals } = traceFunAndFwd(op, f, rule.fwd, inDef, avals);
  const bwd = checkedBwd(op, rule.bwd, inDef, avals, nargs);
  const bwdT = pruned(
    traceFn(bwd as Traceable, PyTreeDef.array([resDef, funT.outDef]), [...resAvals, ...funT.program.outAvals], op),
  );
  checkSameSignature(op, ["the arguments", "bwd's cotangents"], [inDef, avals], [bwdT.outDef, bwdT.program.outAvals]);
  checkClosure(op, funT.extras, "the function");
  checkClosure(op, fwdT.extras, "fwd");
  checkClosure(op, bwdT.extras, "bwd");
  return assembleVjp(funT, fwdT, bwdT, resAvals.length);
}

/**
 * Traces the function and fwd, checking that fwd returns `[out, residuals]` with `out` matching the
 * function's output; returns the residuals' structure and avals.
 */
function traceFunAndFwd(
  op: string,
  f: Traceable,
  fwd: Traceable,
  inDef: PyTreeDef,
  avals: readonly ShapedArray[],
): { funT: TracedFn; fwdT: TracedFn; resDef: PyTreeDef; resAvals: ShapedArray[] } {
  const funT = pruned(traceFn(f, inDef, avals, op));
  const fwdT = pruned(traceFn(fwd, inDef, avals, op));
  const fd = fwdT.outDef;
  if (fd.kind !== "array" || fd.children.length !== 2)
    throw new TypeError(`${op}: fwd must return [out, residuals]; it returned a value of structure ${fd}`);
  const fwdAvals = fwdT.program.outAvals;
  // fd has exactly two children (checked above): the primal output's and the residuals' structures.
  checkSameSignature(
    op,
    ["the function's output", "fwd's primal output"],
    [funT.outDef, funT.program.outAvals],
    [fd.children[0]!, fwdAvals.slice(0, fd.children[0]!.numLeaves)],
  );
  return { funT, fwdT, resDef: fd.children[1]!, resAvals: fwdAvals.slice(funT.program.outs.length) };
}

/**
 * The user's bwd, checked: it must return one cotangent per argument; a `null` cotangent becomes
 * zeros shaped like its argument.
 */
function checkedBwd(
  op: string,
  bwd: VjpRule["bwd"],
  inDef: PyTreeDef,
  avals: readonly ShapedArray[],
  nargs: number,
): (res: unknown, ct: unknown) => unknown[] {
  // Each argument's structure and avals (inDef is the structure of the argument list).
  const argDefs = inDef.children;
  const argAvals: ShapedArray[][] = [];
  let k = 0;
  for (const d of argDefs) {
    argAvals.push(avals.slice(k, k + d.numLeaves));
    k += d.numLeaves;
  }
  return (res, ct) => {
    const cts = bwd(res, ct);
    if (!globalThis.Array.isArray(cts) || cts.length !== nargs)
      throw new TypeError(
        `${op}: bwd must return a list with one cotangent per argument (${nargs}); it returned ${describe(cts)}`,
      );
    // i < nargs = argDefs.length = argAvals.length.
    return cts.map((c: unknown, i) =>
      c === null && argDefs[i]!.numLeaves > 0 ? unflatten(argDefs[i]!, argAvals[i]!.map(L.zerosOf)) : c,
    );
  };
}

/**
 * The staged call: every Program takes `[...closed-over values, ...args]`. Values bwd closes over are
 * passed through fwd as extra residuals, since bwd runs later, where only residuals and cotangents
 * are at hand.
 */
function assembleVjp(funT: TracedFn, fwdT: TracedFn, bwdT: TracedFn, nRes: number): StagedVjp {
  const extras = unionExtras([funT, fwdT, bwdT]);
  const fun = withUnionInputs(funT, extras);
  const fw = withUnionInputs(fwdT, extras);
  const eb = bwdT.extras;
  const fwd = matchWeakTypes(
    new Program(fw.constVars, fw.consts, fw.inVars, fw.eqns, [
      ...fw.outs,
      // bwd's extras are among the union `extras`, whose slots lead fw's inputs.
      ...eb.map((e) => fw.inVars[extras.indexOf(e)]!),
    ]),
    funT.program.outAvals,
    0,
    "customVjp",
  );
  const b = bwdT.program;
  const nb = eb.length;
  const bwd = new Program(
    b.constVars,
    b.consts,
    [...b.inVars.slice(nb, nb + nRes), ...b.inVars.slice(0, nb), ...b.inVars.slice(nb + nRes)],
    b.eqns,
    b.outs,
  );
  return { fun, fwd, bwd, numResiduals: nRes + nb, extras, outDef: funT.outDef };
}

// Batched backward passes, cached per bwd Program and batching pattern.
const bwdBatchCache = new WeakCache<Program, Map<string, Program>>();

/**
 * `bwd` batched with its inputs' batch axes at `inDims` (null: unbatched), every output batched at 0,
 * except cotangents of unbatched linear inputs (`linDims[i] === null`), which are summed over the batch.
 */
function batchedBwd(bwd: Program, inDims: readonly BatchDim[], linDims: readonly BatchDim[], n: number): Program {
  const key = `${inDims.map((d) => (d === null ? "n" : "b")).join("")}|${linDims.map((d) => (d === null ? "n" : "b")).join("")}/${n}`;
  let byKey = bwdBatchCache.get(bwd);
  if (!byKey) bwdBatchCache.set(bwd, (byKey = new Map()));
  let p = byKey.get(key);
  if (!p) {
    const batched = batchProgram(bwd, inDims, n);
    p = closedProgram(
      (...xs) => evalProgram(batched, xs).map((c, i) => (linDims[i] === null ? L.reduceSum(c, [0]) : c)),
      batched.inAvals,
      "vmap",
    );
    byKey.set(key, p);
  }
  return p;
}

type VjpParams = PrimParams["custom_vjp_call"];
type LinParams = PrimParams["custom_vjp_lin"];

/** Registers `custom_vjp_call`'s and `custom_vjp_lin`'s rules (called once, by `registerAllPrimitives`). */
export function registerCustomVjp(): void {
  registerCustomVjpCall();
  registerCustomVjpLin();
}

/** `custom_vjp_call`: evaluates `fun`; its JVP runs fwd now and leaves the tangent map to custom_vjp_lin. */
function registerCustomVjpCall(): void {
  defPrimitive("custom_vjp_call", {
    callee: ({ fun }) => fun,
    abstractEval: (avals, { fun, name }) => {
      checkOperands("custom_vjp_call", name, fun.inAvals, avals);
      return fun.outAvals;
    },
    // fwd runs now (its primal outputs and residuals); the tangent map is custom_vjp_lin, whose
    // transpose is bwd. Closed-over operands (leading, not covered by bwd) get no tangent.
    jvp: (primals, tangents, { fun, fwd, bwd, numResiduals, name }: VjpParams) => {
      const n = fun.outs.length;
      const ne = fun.inVars.length - bwd.outs.length;
      const r = evalProgram(fwd, primals);
      const outs = r.slice(0, n);
      const res = r.slice(n);
      const tx = tangents.slice(ne);
      if (tx.every((t): boolean => t instanceof Zero)) return [outs, outs.map((o) => new Zero(o.aval))];
      const tOuts = bind("custom_vjp_lin", [...res, ...tx.map(L.instantiate)], {
        bwd,
        numResiduals,
        outAvals: fun.outAvals,
        name,
      });
      return [outs, tOuts];
    },
    batch: (args, dims, { fun, fwd, bwd, numResiduals, name }: VjpParams, axisSize) => {
      const ne = fun.inVars.length - bwd.outs.length;
      const front = batchAxesToFront(args, dims);
      const outs = bind("custom_vjp_call", front, {
        fun: batchProgram(fun, dims, axisSize),
        fwd: batchProgram(fwd, dims, axisSize),
        // Residuals and output cotangents all carry the batch axis first.
        bwd: batchedBwd(
          bwd,
          bwd.inVars.map(() => 0),
          dims.slice(ne),
          axisSize,
        ),
        numResiduals,
        name,
      });
      return [outs, outs.map(() => 0)];
    },
    partialEvalEqn: (e, mask) => {
      const { fun, name } = e.params as VjpParams;
      return partialEvalAsCall(e, mask, fun, name);
    },
    transpose: (cts, args, { fun, name }: VjpParams) => transposeJitCall({ program: fun, name }, args, cts),
  });
}

/** `custom_vjp_lin`: the linear map a customVjp function contributes; only its transpose (bwd) runs. */
function registerCustomVjpLin(): void {
  defPrimitive("custom_vjp_lin", {
    abstractEval: (avals, { bwd, numResiduals, outAvals, name }) => {
      const expected = [...bwd.inAvals.slice(0, numResiduals), ...bwd.outAvals];
      checkOperands("custom_vjp_lin", name, expected, avals);
      return outAvals;
    },
    jvp: (_primals, _tangents, { name }: LinParams) => {
      throw forwardModeError(name);
    },
    // Cotangents of the tangent inputs are bwd(residuals, cts); the residuals are not linear.
    transpose: (cts, args, { bwd, numResiduals, name }: LinParams) => {
      const res = args.slice(0, numResiduals);
      const known = res.filter((a): a is Array => !(a instanceof LinearIn));
      if (known.length !== res.length)
        throw new Error(`${name}: internal error: transposing custom_vjp_lin with respect to its residuals`);
      const ctIn = evalProgram(bwd, [...known, ...cts.map(L.instantiate)]);
      return [...res.map(() => null), ...ctIn];
    },
    batch: (args, dims, { bwd, numResiduals, outAvals, name }: LinParams, axisSize) => {
      const front = batchAxesToFront(args, dims);
      const resDims = dims.slice(0, numResiduals).map((d) => (d === null ? null : 0));
      const outs = bind("custom_vjp_lin", front, {
        bwd: batchedBwd(bwd, [...resDims, ...outAvals.map(() => 0)], dims.slice(numResiduals), axisSize),
        numResiduals,
        outAvals: outAvals.map((a) => withLeadingAxis(a, axisSize)),
        name,
      });
      return [outs, outs.map(() => 0)];
    },
  });
}
