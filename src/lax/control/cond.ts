/**
 * `cond` and `switchCase`: branch on a traced value. Both branches are traced to Programs and one
 * `cond` primitive chooses at run time, so the choice stays inside jit, grad and vmap.
 */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { Literal, Program, Var, type Eqn } from "../../core/program.js";
import { bind } from "../../core/trace.js";
import { partialEvalProgram } from "../../interpreters/partial-eval.js";
import { batchProgram, jvpProgram, transposeProgram, withInputs } from "../../interpreters/program-transforms.js";
import { defPrimitive, LinearIn, type BatchDim, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { spreadByMask } from "../../interpreters/masks.js";
import { unflatten } from "../../tree/index.js";
import { asArray, castTo } from "../../core/convert.js";
import { checkSameSignature, flattenOperands, traceFn, unifyExtras } from "../../interpreters/trace-fn.js";
import { frozen } from "../../interpreters/args.js";
import { checkFunction } from "../../core/validate.js";

type Branch<A extends unknown[], R> = (...operands: A) => R;

/**
 * Runs `branches[index]` on the operands, with `index` clamped to the valid range. Every branch
 * must return the same structure, shapes and dtypes.
 *
 * @example
 * const f = (i: Array, x: Array) => switchCase(i, [(v) => v.sin(), (v) => v.cos(), (v) => v.neg()], x);
 * f(np.array(1, { dtype: "int32" }), np.array(0)); // cos(0) = 1
 */
export function switchCase<A extends unknown[], R>(
  index: Array | number,
  branches: readonly Branch<A, R>[],
  ...operands: A
): R {
  if (!globalThis.Array.isArray(branches) || branches.length === 0)
    throw new TypeError("switch: branches must be a non-empty list of functions");
  branches.forEach((b, k) => checkFunction("switch", b, `branch ${k}`));
  let idx = asArray(index, "switch");
  if (idx.ndim !== 0) throw new TypeError(`switch: the index must be a scalar, got shape [${idx.shape.join(", ")}]`);
  if (idx.dtype !== "int32") {
    if (idx.dtype === "float32" || idx.dtype === "float64")
      throw new TypeError(`switch: the index must be an integer, got ${idx.dtype}`);
    // Clamp before the cast so a large uint32 index selects the last branch instead of wrapping negative.
    if (idx.dtype === "uint32") idx = L.binary("min", idx, L.fullLike(idx, branches.length - 1));
    idx = castTo(idx, "int32");
  }
  return condImpl("switch", idx, branches, operands, (k) => `branch ${k}`);
}

/**
 * `trueFn(...operands)` if `pred` is true, else `falseFn(...operands)`, with `pred` a boolean scalar
 * that may be traced. Under `vmap` with a batched predicate both branches run and results are selected.
 *
 * @example
 * const relu = (x: Array) => cond(x.greater(0), (v: Array) => v, (v: Array) => v.mul(0), x);
 */
export function cond<A extends unknown[], R>(
  pred: Array | boolean,
  trueFn: Branch<A, R>,
  falseFn: Branch<A, R>,
  ...operands: A
): R {
  checkFunction("cond", trueFn, "trueFn");
  checkFunction("cond", falseFn, "falseFn");
  const p = asArray(pred, "cond");
  if (p.ndim !== 0)
    throw new TypeError(
      `cond: the predicate must be a scalar, got ${p.dtype}[${p.shape.join(", ")}]; for an elementwise choice use np.where`,
    );
  const idx = castTo(p.dtype === "bool" ? p : L.binary("ne", p, L.fullLike(p, 0)), "int32");
  return condImpl("cond", idx, [falseFn, trueFn], operands, (k) => (k === 0 ? "the false branch" : "the true branch"));
}

function condImpl<A extends unknown[], R>(
  op: string,
  idx: Array,
  branches: readonly Branch<A, R>[],
  operands: unknown[],
  branchName: (k: number) => string,
): R {
  const [ops, inDef] = flattenOperands(operands, op);
  const traced = branches.map((b) =>
    traceFn(
      b,
      inDef,
      ops.map((o) => o.aval),
      op,
    ),
  );
  const first = firstBranch(traced);
  traced.forEach((t, k) => {
    if (k > 0)
      checkSameSignature(
        op,
        [branchName(0), branchName(k)],
        [first.outDef, first.program.outAvals],
        [t.outDef, t.program.outAvals],
      );
  });
  const { programs, extras } = unifyExtras(traced);
  const outs = bind("cond", [idx, ...extras, ...ops], { branches: programs });
  return frozen(unflatten(first.outDef, outs) as R);
}

/** The first branch's entry of a per-branch list: a cond has at least one branch (switchCase rejects none). */
function firstBranch<T>(perBranch: readonly T[]): T {
  const first = perBranch[0];
  if (first === undefined) throw new Error("internal error: cond without branches");
  return first;
}

/** Zeros of an aval as an equation (for branches that do not produce some residual). */
function zerosEqn(aval: ShapedArray): { eqn: Eqn; out: Var } {
  const out = new Var(aval);
  const lit = new Literal(0, new ShapedArray([], aval.dtype));
  return {
    out,
    eqn: {
      prim: "broadcast_in_dim",
      inputs: [lit],
      params: { shape: [...aval.shape], broadcastDimensions: [] },
      outputs: [out],
    },
  };
}

/** Partial evaluation: both branches split alike; residuals of all branches travel together. */
function condPartialEval(e: Eqn, mask: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null {
  if (mask[0]) return null;
  const { branches } = e.params as PrimParams["cond"];
  const [index, ...ins] = e.inputs;
  if (!index) throw new Error("internal error: cond equation without an index");
  const opsMask = mask.slice(1);
  const first = branches.map((b) => partialEvalProgram(b, opsMask));
  const union = firstBranch(first).outUnknown.map((_, i) => first.some((s) => s.outUnknown[i]));
  const splits = first.map((s, k) =>
    s.outUnknown.every((u, i) => u === union[i]) ? s : partialEvalProgram(branches[k]!, opsMask, union),
  );
  const resAvals = splits.map((s) => s.known.outAvals.slice(s.known.outs.length - s.numResiduals));
  const nKnownOut = union.filter((u) => !u).length;
  const known = splits.map((s, k) => {
    const eqns = [...s.known.eqns];
    const resOuts = resAvals.flatMap((avals, j) =>
      avals.map((a, r) => {
        // Every split has the union's known outputs, then its own residuals (r of them at least).
        if (j === k) return s.known.outs[nKnownOut + r]!;
        const z = zerosEqn(a);
        eqns.push(z.eqn);
        return z.out;
      }),
    );
    return new Program(s.known.constVars, s.known.consts, s.known.inVars, eqns, [
      ...s.known.outs.slice(0, nKnownOut),
      ...resOuts,
    ]);
  });
  const unknown = splits.map((s, k) => {
    const own = s.unknown.inVars.slice(0, s.numResiduals);
    const rest = s.unknown.inVars.slice(s.numResiduals);
    const resVars = resAvals.flatMap((avals, j) => (j === k ? own : avals.map((a) => new Var(a))));
    return withInputs(s.unknown, [...resVars, ...rest]);
  });
  const residuals = resAvals.flat().map((a) => new Var(a));
  return {
    known: [
      {
        prim: "cond",
        inputs: [index, ...ins.filter((_, i) => !opsMask[i])],
        params: { branches: known },
        outputs: [...e.outputs.filter((_, i) => !union[i]), ...residuals],
      },
    ],
    unknown: [
      {
        prim: "cond",
        inputs: [index, ...residuals, ...ins.filter((_, i) => opsMask[i])],
        params: { branches: unknown },
        outputs: e.outputs.filter((_, i) => union[i]),
      },
    ],
  };
}

function condBatch(
  [idx, ...ops]: readonly [Array, ...Array[]],
  [idxDim, ...opDims]: readonly [BatchDim, ...BatchDim[]],
  { branches }: PrimParams["cond"],
  n: number,
): [Array[], BatchDim[]] {
  const front = batchAxesToFront(ops, opDims);
  const batched = branches.map((b) => batchProgram(b, opDims, n));
  if (idxDim === null) {
    const outs = bind("cond", [idx, ...front], { branches: batched });
    return [outs, outs.map(() => 0)];
  }
  // A batched index: every branch runs on the whole batch, then each lane selects its branch's result.
  const results = batched.map((p) => bind("jit_call", front, { program: p, name: "cond branch" }));
  const lanes = L.moveAxis(idx, idxDim, 0);
  // results is not empty (firstBranch checks), and every branch has the same outputs (their
  // signatures were checked when traced), so each index below is in range.
  const outs = firstBranch(results).map((_, j) => {
    let out = results[results.length - 1]![j]!;
    for (let k = results.length - 2; k >= 0; k--) {
      const r = results[k]![j]!;
      const take = L.broadcastInDim(
        k === 0 ? L.binary("le", lanes, L.fullLike(lanes, 0)) : L.eq(lanes, L.fullLike(lanes, k)),
        r.shape,
        [0],
      );
      out = L.select(take, r, out);
    }
    return out;
  });
  return [outs, outs.map(() => 0)];
}

function condTranspose(
  cts: readonly Tangent[],
  [idx, ...ops]: readonly [Array | LinearIn, ...(Array | LinearIn)[]],
  { branches }: PrimParams["cond"],
): (Tangent | null)[] {
  if (idx instanceof LinearIn) throw new Error("transpose: cond is not linear in its index");
  const linMask = ops.map((a) => a instanceof LinearIn);
  const ctArrays = cts.map(L.instantiate);
  const bwd = branches.map((b) =>
    transposeProgram(
      b,
      linMask,
      ctArrays.map((c) => c.aval),
    ),
  );
  const outs = bind("cond", [idx, ...ops.filter((a): a is Array => !(a instanceof LinearIn)), ...ctArrays], {
    branches: bwd,
  });
  return [null, ...spreadByMask(linMask, outs, () => null)];
}

/** Registers `cond`'s rules (called once, by `registerAllPrimitives`). */
export function registerCond(): void {
  defPrimitive("cond", {
    abstractEval: (avals, { branches }) => {
      const [idx, ...ops] = avals;
      if (idx.dtype !== "int32" || idx.ndim !== 0)
        throw new TypeError(`cond: the index must be an int32 scalar, got ${idx}`);
      for (const b of branches)
        b.inAvals.forEach((a, i) => {
          const o = ops[i];
          if (!o || a.dtype !== o.dtype || a.shape.join() !== o.shape.join())
            throw new TypeError(`cond: operand ${i} is ${o ?? "missing"} but a branch expects ${a}`);
        });
      return firstBranch(branches).outAvals;
    },
    jvp: ([idx, ...ops], [, ...ts], { branches }) => {
      const n = firstBranch(branches).outs.length;
      const outs = bind("cond", [idx, ...ops, ...ts.map(L.instantiate)], { branches: branches.map(jvpProgram) });
      return [outs.slice(0, n), outs.slice(n)];
    },
    batch: condBatch,
    partialEvalEqn: condPartialEval,
    transpose: condTranspose,
  });
}
