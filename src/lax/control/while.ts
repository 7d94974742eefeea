/**
 * `whileLoop` and `fori`. A while loop's trip count is only known at run time, so it supports
 * forward mode and vmap but not reverse mode; `fori` with static bounds is a scan instead, which
 * reverse mode handles.
 */
import type { Array } from "../../core/array.js";
import { Var, type Eqn } from "../../core/program.js";
import { bind, bind1 } from "../../core/trace.js";
import { evalProgram } from "../../interpreters/eval-program.js";
import { batchProgram, closedProgram, jvpProgram, withInputs } from "../../interpreters/program-transforms.js";
import { defPrimitive, type BatchDim, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { unflatten } from "../../tree/index.js";
import { asArray, castTo } from "../../core/convert.js";
import { checkSameSignature, flattenOperands, traceFn } from "../../interpreters/trace-fn.js";
import { scan } from "./scan.js";
import { frozen } from "../../interpreters/args.js";
import { checkFunction } from "../../core/validate.js";

/**
 * Repeats `carry = bodyFn(carry)` while `condFn(carry)` is true; returns the final carry. The carry
 * must keep its structure, shapes and dtypes. Differentiable in forward mode (jvp) and batchable
 * (a batched predicate runs until every lane is done; finished lanes keep their values). For
 * reverse mode use `scan`, or `fori` with JS-number bounds.
 *
 * @example
 * // Newton's method for sqrt(2)
 * whileLoop((x: Array) => x.square().sub(2).abs().greater(1e-6), (x: Array) => x.sub(x.square().sub(2).div(x.mul(2))), np.array(1));
 */
export function whileLoop<C>(condFn: (carry: C) => Array | boolean, bodyFn: (carry: C) => C, init: C): C {
  checkFunction("whileLoop", condFn, "condFn");
  checkFunction("whileLoop", bodyFn, "bodyFn");
  // Traced functions take the carry as their one argument: flatten [init], keep init's own structure.
  const [carry0, argsDef] = flattenOperands([init], "whileLoop");
  const carryDef = argsDef.children[0]!; // argsDef is the structure of [init]: one child
  let carry = carry0;
  const traceBody = () =>
    traceFn(
      bodyFn as never,
      argsDef,
      carry.map((c) => c.aval),
      "whileLoop",
    );
  let body = traceBody();
  // A weakly typed init (a JS number) takes the dtype the body gives the carry.
  if (carry.some((c, i) => c.weakType && c.dtype !== body.program.outAvals[i]?.dtype)) {
    carry = carry.map((c, i) =>
      c.weakType && body.program.outAvals[i] ? castTo(c, body.program.outAvals[i].dtype) : c,
    );
    body = traceBody();
  }
  checkSameSignature(
    "whileLoop",
    ["the initial carry", "the carry the body returns"],
    [carryDef, carry.map((c) => c.aval)],
    [body.outDef, body.program.outAvals],
  );
  const condTraced = traceFn(
    ((c: C) => asArray(condFn(c), "whileLoop")) as never,
    argsDef,
    carry.map((c) => c.aval),
    "whileLoop",
  );
  const pred = condTraced.program.outAvals;
  if (pred.length !== 1 || pred[0]!.ndim !== 0 || pred[0]!.dtype !== "bool")
    throw new TypeError(`whileLoop: condFn must return a boolean scalar, got ${pred.map(String).join(", ")}`);
  const outs = bind("while", [...condTraced.extras, ...body.extras, ...carry], {
    cond: condTraced.program,
    body: body.program,
    condConsts: condTraced.extras.length,
    bodyConsts: body.extras.length,
  });
  return frozen(unflatten(carryDef, outs) as C);
}

/**
 * `for i in [lower, upper): carry = body(i, carry)`. With JS-number bounds it is a `scan` (so
 * reverse mode works); with traced bounds it is a `whileLoop`. `i` is an int32 scalar.
 *
 * @example fori(0, 5, (i: Array, acc: Array) => acc.add(i), np.array(0)) // 10
 */
export function fori<C>(lower: number | Array, upper: number | Array, body: (i: Array, carry: C) => C, init: C): C {
  checkFunction("fori", body, "body");
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper))
      throw new TypeError(`fori: bounds must be integers, got ${lower} and ${upper}`);
    const start = L.scalar(lower, "int32");
    const step = ([i, c]: [Array, C]): readonly [[Array, C], null] => [
      [L.add(i, L.scalar(1, "int32")), body(i, c)],
      null,
    ];
    const [[, out]] = scan(step, [start, init] as [Array, C], null, {
      length: Math.max(0, upper - lower),
    });
    return out;
  }
  const bound = (b: number | Array, which: string): Array => {
    const a = asArray(b, "fori");
    if (a.dtype !== "int32" && a.dtype !== "uint32")
      throw new TypeError(`fori: the ${which} bound must be an integer, got ${a.dtype}`);
    if (a.ndim !== 0)
      throw new TypeError(`fori: the ${which} bound must be a scalar, got shape [${a.shape.join(", ")}]`);
    return castTo(a, "int32");
  };
  const lo = bound(lower, "lower");
  const hi = bound(upper, "upper");
  const [, out] = whileLoop(
    ([i]: [Array, C]) => L.binary("lt", i, hi),
    ([i, c]: [Array, C]) => [L.add(i, L.scalar(1, "int32")), body(i, c)] as [Array, C],
    [lo, init] as [Array, C],
  );
  return out;
}

type WhileParams = PrimParams["while"];

function whileJvp(primals: readonly Array[], tangents: readonly Tangent[], p: WhileParams): [Array[], Tangent[]] {
  const { cond, body, condConsts: ncc, bodyConsts: nbc } = p;
  const nk = body.outs.length;
  const jb = jvpProgram(body); // [bc, k, bcT, kT] → [kOut, kOutT]
  const v = jb.inVars;
  const jbody = withInputs(jb, [
    ...v.slice(0, nbc),
    ...v.slice(nbc + nk, 2 * nbc + nk),
    ...v.slice(nbc, nbc + nk),
    ...v.slice(2 * nbc + nk),
  ]);
  const jcond = withInputs(cond, [...cond.inVars, ...body.outAvals.map((a) => new Var(a))]);
  const t = tangents.map(L.instantiate);
  const outs = bind(
    "while",
    [
      ...primals.slice(0, ncc),
      ...primals.slice(ncc, ncc + nbc),
      ...t.slice(ncc, ncc + nbc),
      ...primals.slice(ncc + nbc),
      ...t.slice(ncc + nbc),
    ],
    {
      cond: jcond,
      body: jbody,
      condConsts: ncc,
      bodyConsts: 2 * nbc,
    },
  );
  return [outs.slice(0, nk), outs.slice(nk)];
}

/** The one output of a loop's condition Program (whileLoop checks that it has exactly one). */
function predicate(outs: readonly Array[]): Array {
  const [p] = outs;
  if (!p) throw new Error("internal error: a while loop's condition returned nothing");
  return p;
}

/** Batching: all lanes step together until every predicate is false; finished lanes keep their carry. */
function whileBatch(
  args: readonly Array[],
  dims: readonly BatchDim[],
  p: WhileParams,
  n: number,
): [Array[], BatchDim[]] {
  const { cond, body, condConsts: ncc, bodyConsts: nbc } = p;
  const front = args.map((a, i) => {
    const d = dims[i]!;
    if (i >= ncc + nbc && d === null)
      return L.broadcastInDim(
        a,
        [n, ...a.shape],
        a.shape.map((_, k) => k + 1),
      );
    return d === null ? a : L.moveAxis(a, d, 0);
  });
  const fdims: BatchDim[] = front.map((_, i) => (i >= ncc + nbc || dims[i] !== null ? 0 : null));
  const cc = front.slice(0, ncc);
  const bc = front.slice(ncc, ncc + nbc);
  const carry = front.slice(ncc + nbc);
  const ccDims = fdims.slice(0, ncc);
  const carryDims = carry.map(() => 0);
  const condB = batchProgram(cond, [...ccDims, ...carryDims], n);
  const bodyB = batchProgram(body, [...fdims.slice(ncc, ncc + nbc), ...carryDims], n);
  const avals = [...cc, ...carry].map((a) => a.aval);
  const anyCond = closedProgram(
    (...v) => [bind1("reduce_max", [predicate(evalProgram(condB, v))], { axes: [0] })],
    avals,
    "vmap",
  );
  const stepBody = closedProgram(
    (...v) => {
      const c = v.slice(0, ncc);
      const b = v.slice(ncc, ncc + nbc);
      const k = v.slice(ncc + nbc);
      const live = predicate(evalProgram(condB, [...c, ...k]));
      const next = evalProgram(bodyB, [...b, ...k]);
      // The body returns one value per carry (the while's abstractEval checks).
      return next.map((x, i) => L.select(L.broadcastInDim(live, x.shape, [0]), x, k[i]!));
    },
    [...cc, ...bc, ...carry].map((a) => a.aval),
    "vmap",
  );
  const outs = bind("while", [...cc, ...cc, ...bc, ...carry], {
    cond: anyCond,
    body: stepBody,
    condConsts: ncc,
    bodyConsts: ncc + nbc,
  });
  return [outs, outs.map(() => 0)];
}

function whilePartialEval(_e: Eqn, _mask: readonly boolean[]): never {
  throw new Error(
    "whileLoop: reverse-mode differentiation (grad, vjp, linearize, jacrev) of a while loop is not supported, because its trip count is only known at run time. " +
      "Use scan, or fori with JS-number bounds (a scan underneath), which reverse mode supports; forward mode (jvp, jacfwd) works on whileLoop.",
  );
}

/** Registers `while`'s rules (called once, by `registerAllPrimitives`). */
export function registerWhile(): void {
  defPrimitive("while", {
    abstractEval: (avals, { body, condConsts, bodyConsts }) => {
      const carry = avals.slice(condConsts + bodyConsts);
      body.outAvals.forEach((a, i) => {
        const c = carry[i];
        if (!c || c.dtype !== a.dtype || c.shape.join() !== a.shape.join())
          throw new TypeError(`while: carry ${i} is ${c ?? "missing"} but the body returns ${a}`);
      });
      return body.outAvals;
    },
    jvp: whileJvp,
    batch: whileBatch,
    partialEvalEqn: whilePartialEval,
  });
}
