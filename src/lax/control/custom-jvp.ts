/**
 * `customJvp`: a function whose derivative is given by a user rule instead of by differentiating it.
 * Both the function and the rule are traced to Programs and one `custom_jvp_call` primitive holds
 * them: evaluation (and the backends) run the function's Program; the JVP rule evaluates the rule's
 * Program, so forward and reverse mode use the rule, and higher derivatives differentiate the rule.
 * The helpers shared with `customVjp` (closure handling, partial evaluation as a call) live here too.
 */
import type { Array } from "../../core/array.js";
import type { ShapedArray } from "../../core/aval.js";
import { Program, Var, type Atom } from "../../core/program.js";
import { LruCache } from "../../core/caches.js";
import { bind, bind1, Zero } from "../../core/trace.js";
import { evalProgram } from "../../interpreters/eval-program.js";
import { simplify } from "../../interpreters/passes.js";
import { partialEvalAsCall } from "../../interpreters/partial-eval.js";
import { batchProgram, closedProgram } from "../../interpreters/program-transforms.js";
import { defPrimitive } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { transposeJitCall } from "../prims/jit-call.js";
import { PyTreeDef, unflatten } from "../../tree/index.js";
import { checkSameSignature, traceFn, type TracedFn } from "../../interpreters/trace-fn.js";
import { checkArgsDefined, flattenArrays, frozen } from "../../interpreters/args.js";
import { JvpTracer } from "../../interpreters/jvp.js";
import { BatchTracer } from "../../interpreters/batching.js";

// ---------------------------------------------------------------------------------------------
// Helpers shared with custom-vjp.ts
// ---------------------------------------------------------------------------------------------

/** The name used in messages: `customJvp(f)` for a named function, else just `customJvp`. */
export const opName = (kind: string, fnName: string): string => (fnName ? `${kind}(${fnName})` : kind);

/**
 * A traced function, simplified, with the closed-over values its Program no longer reads dropped
 * (so a value used only by dead code is not treated as a closure).
 */
export function pruned(t: TracedFn): TracedFn {
  const p = simplify(t.program);
  const used = new Set<Atom>(p.outs);
  for (const e of p.eqns) for (const a of e.inputs) used.add(a);
  const ne = t.extras.length;
  const keep = p.inVars.map((v, i) => i >= ne || used.has(v));
  return {
    program: new Program(
      p.constVars,
      p.consts,
      p.inVars.filter((_, i) => keep[i]),
      p.eqns,
      p.outs,
    ),
    extras: t.extras.filter((_, i) => keep[i]),
    outDef: t.outDef,
  };
}

/** The distinct closed-over values of several traced functions (by identity), in first-seen order. */
export function unionExtras(fns: readonly TracedFn[]): Array[] {
  const all: Array[] = [];
  for (const f of fns) for (const e of f.extras) if (!all.includes(e)) all.push(e);
  return all;
}

/** `t`'s Program with inputs [...one slot per value of `union`, ...its own arguments] (unused slots are fresh). */
export function withUnionInputs(t: TracedFn, union: readonly Array[]): Program {
  const ne = t.extras.length;
  const own = t.program.inVars.slice(0, ne);
  const slots = union.map((u) => {
    const k = t.extras.indexOf(u);
    return k >= 0 ? own[k]! : new Var(u.aval); // k < ne: own is the slot of each of t's extras
  });
  const p = t.program;
  return new Program(p.constVars, p.consts, [...slots, ...p.inVars.slice(ne)], p.eqns, p.outs);
}

/** True if `x` carries a tangent of an enclosing forward/reverse-mode transform (possibly under vmap). */
function carriesTangent(x: Array): boolean {
  if (x instanceof JvpTracer) return !(x.tangent instanceof Zero) || carriesTangent(x.primal);
  if (x instanceof BatchTracer) return carriesTangent(x.val);
  return false;
}

/**
 * Closed-over traced values are operands of the custom call but are not differentiated (the custom
 * rule only covers the explicit arguments). Where we can see that such a value is being
 * differentiated, say so instead of silently returning a zero derivative for it.
 */
export function checkClosure(op: string, extras: readonly Array[], what: string): void {
  for (const e of extras)
    if (carriesTangent(e))
      throw new TypeError(
        `${op}: ${what} closes over a value that is being differentiated (${e.aval}); the custom rule only ` +
          `differentiates with respect to explicit arguments, so pass that value as an argument instead`,
      );
}

/** Throws unless the operands match the avals a custom call's primal Program expects. */
export function checkOperands(
  prim: string,
  name: string,
  expected: readonly ShapedArray[],
  got: readonly ShapedArray[],
): void {
  if (expected.length !== got.length)
    throw new TypeError(`${prim} (${name}): expected ${expected.length} operands, got ${got.length}`);
  expected.forEach((a, i) => {
    const o = got[i]!;
    if (a.dtype !== o.dtype || a.shape.join() !== o.shape.join())
      throw new TypeError(`${prim} (${name}): operand ${i} is ${o} but the function expects ${a}`);
  });
}

/** Converts outputs whose weak type differs from the expected avals (same dtype and shape already checked). */
export function matchWeakTypes(p: Program, outAvals: readonly ShapedArray[], from: number, transform: string): Program {
  const want = (i: number): ShapedArray | undefined => (i >= from ? outAvals[i - from] : undefined);
  if (p.outAvals.every((a, i) => a.weakType === (want(i)?.weakType ?? a.weakType))) return p;
  return closedProgram(
    (...xs) =>
      evalProgram(p, xs).map((o, i) => {
        const w = want(i);
        return w && o.aval.weakType !== w.weakType
          ? bind1("convert", [o], { dtype: w.dtype, weakType: w.weakType })
          : o;
      }),
    p.inAvals,
    transform,
  );
}

// ---------------------------------------------------------------------------------------------
// customJvp
// ---------------------------------------------------------------------------------------------

/** A function with a custom JVP rule; call `defJvp` once before calling it. */
export interface CustomJvp<A extends unknown[], R> {
  (...args: A): R;
  /**
   * Sets the rule: `rule(primals, tangents)` gets the argument list and a tangent of the same
   * structure and returns `[out, tangentOut]`, with `out` equal to `f(...primals)` and `tangentOut`
   * shaped like it. Returns the function itself.
   */
  defJvp(rule: (primals: A, tangents: A) => readonly [R, R]): CustomJvp<A, R>;
}

interface StagedJvp {
  fun: Program;
  jvp: Program;
  extras: Array[];
  outDef: PyTreeDef;
}

/**
 * Gives `f` a custom derivative rule (JAX's `custom_jvp`): `g = customJvp(f).defJvp(rule)` computes
 * `f(...args)`, but every transform that differentiates `g` uses `rule` instead of differentiating `f`.
 *
 * Rule math: for `y = f(x)`, `rule(primals, tangents)` returns `[y, ẏ]` with `ẏ = ∂f(x)·ẋ`, the
 * Jacobian-vector product. `primals` is the argument list and `tangents` a list of the same
 * structure; `[out, tangentOut]` must match `f`'s output in structure, shapes and dtypes (checked
 * when traced). Forward mode (jvp, jacfwd) evaluates the rule; reverse mode (grad, vjp, jacrev)
 * linearizes it and transposes its tangent half, so `ẏ` must be linear in the tangents; higher
 * derivatives (grad of grad, hessian) differentiate the rule itself. vmap and jit keep the call
 * (and the rule) as one `custom_jvp_call`.
 *
 * - Arguments are pytrees of arrays (JS numbers become float32 scalars); `f` and the rule are traced
 *   once per argument signature.
 * - Traced values that `f` or the rule close over (from an enclosing jit or vmap) are allowed but are
 *   not differentiated: differentiating with respect to one is an error where it can be detected
 *   (pass such values as arguments instead).
 * - Calling the function itself inside its rule (for the primal output) runs plain `f`.
 *
 * @example
 * // log(1 + e^x), with a derivative that stays finite where the naive formula's is NaN
 * const log1pexp = customJvp((x: Array) => np.maximum(x, 0).add(np.log1p(np.exp(x.abs().neg()))));
 * log1pexp.defJvp(([x], [t]) => [log1pexp(x), t.div(np.exp(x.neg()).add(1))]);
 * grad((x: Array) => log1pexp(x))(np.array(1e4)); // 1 (autodiff of log1p(exp(x)) gives NaN)
 */
export function customJvp<A extends unknown[], R>(f: (...args: A) => R): CustomJvp<A, R> {
  if (typeof f !== "function")
    throw new TypeError(`customJvp: expected a function, got ${f === null ? "null" : typeof f}`);
  const op = opName("customJvp", f.name);
  const name = f.name || "customJvp";
  let rule: ((primals: A, tangents: A) => unknown) | undefined;
  const stages = stagingCache<StagedJvp>();

  const g = (...args: A): R => {
    if (!rule)
      throw new Error(`${op}: no JVP rule defined; call .defJvp(rule) on the customJvp function before calling it`);
    checkArgsDefined(args, op);
    const [leaves, inDef] = flattenArrays(args, op, "arguments");
    const r = rule;
    const staged = stages.get(leaves, inDef, () => stageJvp(op, f as Traceable, r as Traceable, leaves, inDef));
    if (!staged) return f(...args);
    const outs = bind("custom_jvp_call", [...staged.extras, ...leaves], { fun: staged.fun, jvp: staged.jvp, name });
    return frozen(unflatten(staged.outDef, outs) as R);
  };
  const defJvp = (r: (primals: A, tangents: A) => readonly [R, R]): CustomJvp<A, R> => {
    if (typeof r !== "function")
      throw new TypeError(`${op}: defJvp expects a function (primals, tangents) => [out, tangentOut]`);
    rule = r;
    stages.clear();
    return g as CustomJvp<A, R>;
  };
  Object.defineProperty(g, "defJvp", { value: defJvp });
  Object.defineProperty(g, "name", { value: name });
  return g as CustomJvp<A, R>;
}

export type Traceable = (...args: never[]) => unknown;

/** Traces the function and its JVP rule for one argument signature, checks them, and builds the call's Programs. */
function stageJvp(op: string, f: Traceable, rule: Traceable, leaves: readonly Array[], inDef: PyTreeDef): StagedJvp {
  const avals = leaves.map((l) => l.aval);
  const funT = pruned(traceFn(f, inDef, avals, op));
  const ruleT = pruned(traceFn(rule, PyTreeDef.array([inDef, inDef]), [...avals, ...avals], op));
  checkRuleOutput(op, funT, ruleT);
  checkClosure(op, funT.extras, "the function");
  checkClosure(op, ruleT.extras, "the JVP rule");
  return assembleJvp(funT, ruleT, leaves.length);
}

/** Throws unless the rule returns `[primalOut, tangentOut]`, both shaped like the function's output. */
function checkRuleOutput(op: string, funT: TracedFn, ruleT: TracedFn): void {
  const rd = ruleT.outDef;
  if (rd.kind !== "array" || rd.children.length !== 2)
    throw new TypeError(
      `${op}: the JVP rule must return [primalOut, tangentOut]; it returned a value of structure ${rd}`,
    );
  const ruleAvals = ruleT.program.outAvals;
  const funSig: [PyTreeDef, readonly ShapedArray[]] = [funT.outDef, funT.program.outAvals];
  // rd has exactly two children (checked above).
  checkSameSignature(op, ["the function's output", "the JVP rule's primal output"], funSig, [
    rd.children[0]!,
    ruleAvals.slice(0, rd.children[0]!.numLeaves),
  ]);
  checkSameSignature(op, ["the function's output", "the JVP rule's tangent output"], funSig, [
    rd.children[1]!,
    ruleAvals.slice(funT.program.outs.length),
  ]);
}

/**
 * The staged call: operands are `[...closed-over values, ...args]`. The jvp Program takes a tangent
 * for every operand; those of the closed-over values are ignored (zero).
 */
function assembleJvp(funT: TracedFn, ruleT: TracedFn, nx: number): StagedJvp {
  const extras = unionExtras([funT, ruleT]);
  const fun = withUnionInputs(funT, extras);
  const r = withUnionInputs(ruleT, extras);
  const ne = extras.length;
  const extraTangents = extras.map((e) => new Var(e.aval));
  const jvpRaw = new Program(
    r.constVars,
    r.consts,
    [...r.inVars.slice(0, ne + nx), ...extraTangents, ...r.inVars.slice(ne + nx)],
    r.eqns,
    r.outs,
  );
  const nOut = funT.program.outs.length;
  const jvp = matchWeakTypes(matchWeakTypes(jvpRaw, fun.outAvals, 0, "customJvp"), fun.outAvals, nOut, "customJvp");
  return { fun, jvp, extras, outDef: funT.outDef };
}

/**
 * Stages a custom function once per argument signature, keeping the `config.cacheSize` most
 * recently used signatures (emptied by `clearCaches()`). A call made while its own signature is
 * being staged (the rule calling the function itself) gets `null`: the caller runs the plain
 * function, whose derivative (if ever needed) comes from differentiating it.
 */
export function stagingCache<S extends { extras: readonly Array[] }>(): {
  get(leaves: readonly Array[], inDef: PyTreeDef, stage: () => S): S | null;
  clear(): void;
  /** How many signatures are cached. */
  readonly size: number;
} {
  const cache = new LruCache<S>();
  const inProgress = new Set<string>();
  return {
    get(leaves, inDef, stage) {
      const key = `${inDef.key}/${leaves.map((l) => l.aval.key).join(";")}`;
      if (inProgress.has(key)) return null;
      let staged = cache.get(key);
      if (!staged) {
        inProgress.add(key);
        try {
          staged = stage();
        } finally {
          inProgress.delete(key);
        }
        // Programs that read closed-over tracers are only valid for this call.
        if (staged.extras.length === 0) cache.set(key, staged);
      }
      return staged;
    },
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}

type JvpParams = PrimParams["custom_jvp_call"];

/** Registers `custom_jvp_call`'s rules (called once, by `registerAllPrimitives`). */
export function registerCustomJvp(): void {
  defPrimitive("custom_jvp_call", {
    callee: ({ fun }) => fun,
    abstractEval: (avals, { fun, name }) => {
      checkOperands("custom_jvp_call", name, fun.inAvals, avals);
      return fun.outAvals;
    },
    // The user's rule, evaluated at the current trace: under reverse mode its primal half runs now
    // and its tangent half is staged; differentiating it again gives higher derivatives.
    jvp: (primals, tangents, { fun, jvp }: JvpParams) => {
      const n = fun.outs.length;
      const outs = evalProgram(jvp, [...primals, ...tangents.map(L.instantiate)]);
      return [outs.slice(0, n), outs.slice(n)];
    },
    batch: (args, dims, { fun, jvp, name }: JvpParams, axisSize) => {
      const front = batchAxesToFront(args, dims);
      const outs = bind("custom_jvp_call", front, {
        fun: batchProgram(fun, dims, axisSize),
        jvp: batchProgram(jvp, [...dims, ...dims], axisSize),
        name,
      });
      return [outs, outs.map(() => 0)];
    },
    partialEvalEqn: (e, mask) => {
      const { fun, name } = e.params as JvpParams;
      return partialEvalAsCall(e, mask, fun, name);
    },
    transpose: (cts, args, { fun, name }: JvpParams) => transposeJitCall({ program: fun, name }, args, cts),
  });
}
