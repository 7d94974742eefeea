/**
 * `scan`: a loop with a carry that stacks per-step outputs, as one primitive whose body is a
 * Program. Reverse mode does not unroll it: the forward scan also emits the residuals each step
 * needs, and the backward pass is itself a scan (in the opposite direction) over them.
 */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { Var, type Atom, type Eqn, type Program } from "../../core/program.js";
import { bind } from "../../core/trace.js";
import { partialEvalProgram } from "../../interpreters/partial-eval.js";
import { backwardPass } from "../../interpreters/transpose.js";
import {
  batchProgram,
  closedProgram,
  jvpProgram,
  withInputs,
  withLeadingAxis,
} from "../../interpreters/program-transforms.js";
import { defPrimitive, LinearIn, type BatchDim, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { mergeByMask, spreadByMask } from "../../interpreters/masks.js";
import { flatten, unflatten } from "../../tree/index.js";
import { castTo } from "../../core/convert.js";
import { checkSameSignature, flattenOperands, traceFn } from "../../interpreters/trace-fn.js";
import { frozen } from "../../interpreters/args.js";
import { checkFunction } from "../../core/validate.js";
import { checkOptions } from "../../core/options.js";

type ScanParams = PrimParams["scan"];

export interface ScanOptions {
  /** Number of steps; required when `xs` is null, else it must equal xs's leading axis. */
  length?: number;
  /** Iterate from the last element of xs to the first (ys stay aligned with xs). */
  reverse?: boolean;
}

/**
 * Loops `f: (carry, x) => [carry, y]` over the leading axis of `xs` (a pytree, or null with
 * `length`), threading the carry and stacking the `y`s: returns `[finalCarry, ys]`. The carry must
 * keep its structure, shapes and dtypes.
 *
 * @example
 * // cumulative sum
 * const [total, partials] = scan((c: Array, x: Array) => [c.add(x), c.add(x)], np.array(0), np.arange(5));
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X | null,
  opts: ScanOptions = {},
): [C, Y] {
  checkFunction("scan", f);
  checkOptions("scan", opts, ["length", "reverse"]);
  if (opts.reverse !== undefined && typeof opts.reverse !== "boolean")
    throw new TypeError(`scan: reverse must be a boolean, got ${typeof opts.reverse}`);
  const [carry0, carryDef] = flattenOperands(init, "scan");
  const [xsLeaves, xsDef] = flattenOperands(xs ?? null, "scan");
  let length = opts.length;
  for (const [i, x] of xsLeaves.entries()) {
    if (x.ndim === 0)
      throw new TypeError(`scan: xs leaf ${i} is a scalar; every xs leaf needs a leading axis to scan over`);
    if (length === undefined) length = x.shape[0]!;
    else if (x.shape[0] !== length)
      throw new Error(
        `scan: xs leaf ${i} has ${x.shape[0]} steps along its leading axis, but ${opts.length !== undefined ? "length" : "xs leaf 0"} says ${length}`,
      );
  }
  if (length === undefined)
    throw new TypeError("scan: pass xs with a leading axis, or the number of steps as { length }");
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`scan: length must be a non-negative integer, got ${length}`);
  const [, pairDef] = flatten([
    carryDef.numLeaves ? unflatten(carryDef, carry0) : init,
    xsDef.numLeaves ? unflatten(xsDef, xsLeaves) : xs,
  ]);
  const call = (c: C, x: X) => {
    const out = f(c, x);
    if (!globalThis.Array.isArray(out) || out.length !== 2)
      throw new TypeError("scan: the body must return [carry, y]");
    return out;
  };
  let carry = carry0;
  const traceBody = () =>
    traceFn(
      call as never,
      pairDef,
      [...carry.map((c) => c.aval), ...xsLeaves.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType))],
      "scan",
    );
  let traced = traceBody();
  let outCarry = traced.program.outAvals.slice(0, carry.length);
  // A weakly typed init (a JS number) takes the dtype the body gives the carry, as in JAX.
  // (outCarry may be shorter than carry when the body returns the wrong structure: checkSameSignature reports that.)
  if (carry.some((c, i) => c.weakType && c.dtype !== outCarry[i]?.dtype)) {
    carry = carry.map((c, i) => {
      const want = outCarry[i];
      return c.weakType && want ? castTo(c, want.dtype) : c;
    });
    traced = traceBody();
    outCarry = traced.program.outAvals.slice(0, carry.length);
  }
  const outDef = traced.outDef;
  if (outDef.children.length !== 2) throw new TypeError("scan: the body must return [carry, y]");
  checkSameSignature(
    "scan",
    ["the initial carry", "the carry the body returns"],
    [carryDef, carry.map((c) => c.aval)],
    [outDef.children[0]!, outCarry],
  );
  const outs = bind("scan", [...traced.extras, ...carry, ...xsLeaves], {
    body: traced.program,
    numConsts: traced.extras.length,
    numCarry: carry.length,
    length,
    reverse: opts.reverse ?? false,
  });
  return frozen([
    unflatten(carryDef, outs.slice(0, carry.length)) as C,
    unflatten(outDef.children[1]!, outs.slice(carry.length)) as Y,
  ]);
}

/**
 * Applies `f` to each slice of `xs` along its leading axis and stacks the results (a scan without a carry).
 *
 * @example map((row: Array) => row.sum(), np.ones([3, 4])) // shape [3]
 */
export function map<X, Y>(f: (x: X) => Y, xs: X): Y {
  checkFunction("map", f);
  return scan((c: null, x: X) => [c, f(x)] as const, null, xs)[1];
}

/** `xs` permuted by `idx`, a permutation of its indices. */
const reorder = <T>(xs: readonly T[], idx: readonly number[]): T[] => idx.map((i) => xs[i]!);
const range = (a: number, b: number): number[] => globalThis.Array.from({ length: b - a }, (_, i) => a + i);

function scanJvp(primals: readonly Array[], tangents: readonly Tangent[], p: ScanParams): [Array[], Tangent[]] {
  const { body, numConsts: nc, numCarry: nk } = p;
  const ny = body.outs.length - nk;
  const jb = jvpProgram(body); // [c, k, x, cT, kT, xT] → [kOut, y, kOutT, yT]
  const n = body.inVars.length;
  const inOrder = [
    ...range(0, nc),
    ...range(n, n + nc),
    ...range(nc, nc + nk),
    ...range(n + nc, n + nc + nk),
    ...range(nc + nk, n),
    ...range(n + nc + nk, 2 * n),
  ];
  const m = body.outs.length;
  const outOrder = [...range(0, nk), ...range(m, m + nk), ...range(nk, m), ...range(m + nk, 2 * m)];
  const jbody = withInputs(jb, reorder(jb.inVars, inOrder), reorder(jb.outs, outOrder));
  const t = tangents.map(L.instantiate);
  const args = [
    ...primals.slice(0, nc),
    ...t.slice(0, nc),
    ...primals.slice(nc, nc + nk),
    ...t.slice(nc, nc + nk),
    ...primals.slice(nc + nk),
    ...t.slice(nc + nk),
  ];
  const outs = bind("scan", args, { ...p, body: jbody, numConsts: 2 * nc, numCarry: 2 * nk });
  return [
    [...outs.slice(0, nk), ...outs.slice(2 * nk, 2 * nk + ny)],
    [...outs.slice(nk, 2 * nk), ...outs.slice(2 * nk + ny)],
  ];
}

function scanBatch(args: readonly Array[], dims: readonly BatchDim[], p: ScanParams, n: number): [Array[], BatchDim[]] {
  const { body, numConsts: nc, numCarry: nk } = p;
  const consts = batchAxesToFront(args.slice(0, nc), dims.slice(0, nc));
  // The carry is batched throughout (a batched body would batch it after one step anyway).
  const carry = args.slice(nc, nc + nk).map((a, i) => {
    const d = dims[nc + i]!;
    return d === null
      ? L.broadcastInDim(
          a,
          [n, ...a.shape],
          a.shape.map((_, k) => k + 1),
        )
      : L.moveAxis(a, d, 0);
  });
  const xs = args.slice(nc + nk).map((a, i) => {
    const d = dims[nc + nk + i]!;
    return d === null ? a : L.moveAxis(a, d, 1);
  });
  const bodyDims: BatchDim[] = [
    ...dims.slice(0, nc).map((d) => (d === null ? null : 0)),
    ...carry.map(() => 0),
    ...dims.slice(nc + nk).map((d) => (d === null ? null : 0)),
  ];
  const outs = bind("scan", [...consts, ...carry, ...xs], { ...p, body: batchProgram(body, bodyDims, n) });
  return [outs, outs.map((_, i) => (i < nk ? 0 : 1))];
}

/** Partial evaluation: a known scan that also stacks residuals, and an unknown scan that reads them. */
function scanPartialEval(e: Eqn, mask: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null {
  const p = e.params as ScanParams;
  const { body, numConsts: nc, numCarry: nk, length } = p;
  const cU = mask.slice(0, nc);
  let kU = mask.slice(nc, nc + nk);
  const xU = mask.slice(nc + nk);
  // Fixed point: a carry is unknown if it starts unknown or the body makes it unknown.
  for (;;) {
    const pe = partialEvalProgram(body, [...cU, ...kU, ...xU]);
    const next = kU.map((u, i) => u || pe.outUnknown[i]!);
    if (next.every((u, i) => u === kU[i])) break;
    kU = next;
  }
  const inU = [...cU, ...kU, ...xU];
  const pe = partialEvalProgram(body, inU, [...kU, ...body.outs.slice(nk).map(() => false)]);
  const knownConstVars = new Set(body.inVars.slice(0, nc).filter((_, i) => !cU[i]));
  const resAtoms = pe.known.outs.slice(pe.known.outs.length - pe.numResiduals);
  const resVars = pe.unknown.inVars.slice(0, pe.numResiduals);
  const invariant = resAtoms.map((a) => a instanceof Var && knownConstVars.has(a));
  const nKnownOut = pe.known.outs.length - pe.numResiduals;
  const knownBody = withInputs(pe.known, pe.known.inVars, [
    ...pe.known.outs.slice(0, nKnownOut),
    ...resAtoms.filter((_, i) => !invariant[i]),
  ]);
  const kUOut = pe.outUnknown.slice(0, nk);
  const knownCarryOuts = e.outputs.slice(0, nk).filter((_, i) => !kUOut[i]);
  const knownYs = e.outputs.slice(nk).filter((_, i) => !pe.outUnknown[nk + i]);
  const stacked = resAtoms.filter((_, i) => !invariant[i]).map((a) => new Var(withLeadingAxis(a.aval, length)));
  const ins = e.inputs;
  const known: Eqn = {
    prim: "scan",
    inputs: ins
      .filter((_, i) => !inU[i] && i < nc)
      .concat(
        ins.filter((_, i) => !inU[i] && i >= nc && i < nc + nk),
        ins.filter((_, i) => !inU[i] && i >= nc + nk),
      ),
    params: { ...p, body: knownBody, numConsts: cU.filter((u) => !u).length, numCarry: kU.filter((u) => !u).length },
    outputs: [...knownCarryOuts, ...knownYs, ...stacked],
  };
  // The outer atom for an invariant residual is the scan's own input at that const position.
  // (An invariant residual is one of the body's known const inputs, so its index is below nc.)
  const invariantOuter: Atom[] = resAtoms.flatMap((a, i) =>
    invariant[i] ? [ins[body.inVars.indexOf(a as Var)]!] : [],
  );
  const unknownIns = pe.unknown.inVars.slice(pe.numResiduals);
  const nUC = cU.filter(Boolean).length;
  const nUK = kU.filter(Boolean).length;
  const unknownBody = withInputs(pe.unknown, [
    ...resVars.filter((_, i) => invariant[i]),
    ...unknownIns.slice(0, nUC),
    ...unknownIns.slice(nUC, nUC + nUK),
    ...resVars.filter((_, i) => !invariant[i]),
    ...unknownIns.slice(nUC + nUK),
  ]);
  const unknown: Eqn = {
    prim: "scan",
    inputs: [
      ...invariantOuter,
      ...ins.filter((_, i) => i < nc && inU[i]),
      ...ins.filter((_, i) => i >= nc && i < nc + nk && inU[i]),
      ...stacked,
      ...ins.filter((_, i) => i >= nc + nk && inU[i]),
    ],
    params: { ...p, body: unknownBody, numConsts: invariantOuter.length + nUC, numCarry: nUK },
    outputs: [
      ...e.outputs.slice(0, nk).filter((_, i) => kUOut[i]),
      ...e.outputs.slice(nk).filter((_, i) => pe.outUnknown[nk + i]),
    ],
  };
  return { known: [known], unknown: [unknown] };
}

/** A scan body's linear structure, as its transpose needs it. */
interface ScanLinearity {
  body: Program;
  nc: number;
  nk: number;
  constLin: readonly boolean[];
  xsLin: readonly boolean[];
  linConstAvals: readonly ShapedArray[];
  linXAvals: readonly ShapedArray[];
  carryAvals: readonly ShapedArray[];
  /** How many consts are not linear (residuals). */
  nRC: number;
}

/**
 * One step of the transposed scan. Its carry accumulates the linear consts' cotangents and carries
 * the carry's; it reads [...residual consts, ...const accumulators, ...carry cotangents, ...residual
 * xs, ...y cotangents] and returns [...const accumulators, ...carry cotangents, ...linear xs' cotangents].
 */
function backwardStep(s: ScanLinearity): (...v: Array[]) => Array[] {
  const { body, nc, nk, constLin, xsLin, linConstAvals, linXAvals, carryAvals, nRC } = s;
  const nLC = linConstAvals.length;
  const nRX = xsLin.filter((lin) => !lin).length;
  const linear = (avals: readonly ShapedArray[]) => avals.map((a) => new LinearIn(a));
  const zeroIfNull = (r: Tangent | null, aval: ShapedArray): Array => L.instantiate(r ?? L.zerosOf(aval));
  return (...v) => {
    const rc = v.slice(0, nRC);
    const acc = v.slice(nRC, nRC + nLC);
    const ck = v.slice(nRC + nLC, nRC + nLC + nk);
    const rx = v.slice(nRC + nLC + nk, nRC + nLC + nk + nRX);
    const cy = v.slice(nRC + nLC + nk + nRX);
    const bodyArgs = [
      ...mergeByMask(constLin, linear(linConstAvals), rc),
      ...linear(carryAvals),
      ...mergeByMask(xsLin, linear(linXAvals), rx),
    ];
    // One cotangent (or null) per body input; the linear ones pair up with their avals.
    const res = backwardPass(body, bodyArgs, [...ck, ...cy]);
    const constCts = res
      .slice(0, nc)
      .filter((_, i) => constLin[i])
      .map((r, i) => L.add(acc[i]!, zeroIfNull(r, linConstAvals[i]!)));
    const carryCts = res.slice(nc, nc + nk).map((r, i) => zeroIfNull(r, carryAvals[i]!));
    const xCts = res
      .slice(nc + nk)
      .filter((_, i) => xsLin[i])
      .map((r, i) => zeroIfNull(r, linXAvals[i]!));
    return [...constCts, ...carryCts, ...xCts];
  };
}

/** Transpose: a scan in the opposite direction over the residuals, carrying cotangents. */
function scanTranspose(
  cts: readonly Tangent[],
  args: readonly (Array | LinearIn)[],
  p: ScanParams,
): (Tangent | null)[] {
  const { body, numConsts: nc, numCarry: nk, length, reverse } = p;
  const consts = args.slice(0, nc);
  const xs = args.slice(nc + nk);
  const constLin = consts.map((a) => a instanceof LinearIn);
  const xsLin = xs.map((a) => a instanceof LinearIn);
  const resConsts = consts.filter((a): a is Array => !(a instanceof LinearIn));
  const resXs = xs.filter((a): a is Array => !(a instanceof LinearIn));
  const linConstAvals = body.inVars
    .slice(0, nc)
    .filter((_, i) => constLin[i])
    .map((v) => v.aval);
  const linXAvals = body.inVars
    .slice(nc + nk)
    .filter((_, i) => xsLin[i])
    .map((v) => v.aval);
  const carryAvals = body.inVars.slice(nc, nc + nk).map((v) => v.aval);
  const yAvals = body.outAvals.slice(nk);
  const ctCarry = cts.slice(0, nk).map(L.instantiate);
  const ctYs = cts.slice(nk).map(L.instantiate);
  const nRC = resConsts.length;
  const nLC = linConstAvals.length;
  const bwd = closedProgram(
    backwardStep({ body, nc, nk, constLin, xsLin, linConstAvals, linXAvals, carryAvals, nRC }),
    [
      ...resConsts.map((a) => a.aval),
      ...linConstAvals,
      ...carryAvals,
      ...resXs.map((a) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType)),
      ...yAvals,
    ],
    "grad",
  );
  const outs = bind("scan", [...resConsts, ...linConstAvals.map((a) => L.zerosOf(a)), ...ctCarry, ...resXs, ...ctYs], {
    body: bwd,
    numConsts: nRC,
    numCarry: nLC + nk,
    length,
    reverse: !reverse,
  });
  // outs: the bwd body's carry (nLC const cotangents, then nk carry cotangents), then one stacked
  // cotangent per linear xs.
  const carryCts = outs.slice(nLC, nLC + nk);
  return [
    ...spreadByMask(constLin, outs.slice(0, nLC), () => null),
    ...args.slice(nc, nc + nk).map((a, i) => (a instanceof LinearIn ? carryCts[i]! : null)),
    ...spreadByMask(xsLin, outs.slice(nLC + nk), () => null),
  ];
}

/** Registers `scan`'s rules (called once, by `registerAllPrimitives`). */
export function registerScan(): void {
  defPrimitive("scan", {
    abstractEval: (avals, { body, numConsts: nc, numCarry: nk, length }) => {
      body.inAvals.forEach((a, i) => {
        const o = avals[i];
        const want = i >= nc + nk ? withLeadingAxis(a, length) : a;
        if (!o || o.dtype !== want.dtype || o.shape.join() !== want.shape.join())
          throw new TypeError(`scan: operand ${i} is ${o ?? "missing"} but the body expects ${want}`);
      });
      return [...body.outAvals.slice(0, nk), ...body.outAvals.slice(nk).map((a) => withLeadingAxis(a, length))];
    },
    jvp: scanJvp,
    batch: scanBatch,
    partialEvalEqn: scanPartialEval,
    transpose: scanTranspose,
  });
}
