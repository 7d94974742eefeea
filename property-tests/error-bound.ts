/**
 * The running first-order error bound of the differential suites (property-tests/backends.property.test.ts
 * for wasm, test/webgpu/differential.test.ts for WebGPU): how far a backend's result may be from the
 * reference backend's ("cpu"), per element, for a given Program and inputs.
 *
 * Along the reference run, equation by equation, each value gets a bound B on |backend − cpu|: the
 * bounds of the equation's operands propagated with its derivative at the reference values
 * (|∂out/∂in|·B_in), plus a local term from the backend's documented accuracy (u = 2^-24 in
 * float32, 2^-53 in float64; an ulp is the result's):
 *
 * - +, −, ×, ÷, √, neg, abs, max, min, select, fmod and view operations are correctly rounded (or
 *   exact) on every backend this serves: local term 0 on equal operands, and at most 1 ulp when the
 *   operands already differ (two correct roundings of nearby results).
 * - transcendentals (exp, log, tanh, logistic, erf, sin, pow, atan2, …), rsqrt and integer_pow:
 *   the backend's {@link UlpBound} (ulps of the reference result on equal operands), +1 ulp when
 *   the operands differ.
 * - reduce_sum / cumsum over m terms: the backend accumulates in the output dtype in a fixed order,
 *   which for any order is within (m−1)·u·Σ|x| of the exact sum; the reference accumulates in
 *   float64 and rounds once (½ ulp + (m−1)·2^-53·Σ|x|). Local term: (m−1)·(u + 2^-53)·Σ|x| + 1 ulp
 *   (float64: 2·(m−1)·2^-53·Σ|x| + 1 ulp). reduce_prod likewise, relative to |result|.
 *   reduce_max/min are exact and 1-Lipschitz.
 * - dot_general with contraction length k: k·(u + 2^-53)·(|A|·|B|) + 1 ulp elementwise (γ_k, the
 *   same argument; it also covers a fused multiply-add); conv_general_dilated likewise, with k the
 *   rhs's input features times its window size.
 * - discontinuities: a comparison may flip only where |x − y| ≤ B_x + B_y, and a select on such a
 *   predicate is charged |onTrue − onFalse|; floor/ceil/round/sign move by at most
 *   f(x + B) − f(x − B); an index computed from values that differ (argmax, argsort) gets no bound.
 * - gather/scatter/dynamic slices and calls (custom_jvp, jit, remat) propagate B structurally.
 *
 * The check ({@link compareWithinBound}) is |backend − cpu| ≤ 2·B + 4·(smallest subnormal): the
 * factor 2 covers what a first-order bound leaves out (O(B²) terms, derivatives taken at the
 * reference point rather than between the two runs). A value beyond it is a bug in the backend (or
 * in its documented bounds), not a tolerance to widen. The comparison takes the backend's results
 * as host arrays, so a backend that reads asynchronously (WebGPU) reads them first.
 */
import { type Array, type DType, devicePut, np, Program, withBackend } from "../src/index.js";
import { type Atom, type Eqn, Literal, type Var } from "../src/core/program.js";
import { bind1 } from "../src/core/trace.js";
import type { PrimParams } from "../src/core/primitives.js";

export type FloatDType = "float32" | "float64";

/**
 * A backend's accuracy: the ulps (of the reference result) by which its `prim` may differ from the
 * reference on bit-identical operands, for a `dtype` result. Asked for the transcendentals (the
 * keys of {@link TRANSCENDENTAL}, pow, atan2), rsqrt and integer_pow; everything else is taken to
 * be correctly rounded or exact. Throws for a primitive with no documented bound.
 */
export type UlpBound = (prim: string, dtype: FloatDType, params: Readonly<Record<string, unknown>>) => number;

const U64 = 2 ** -53;
const unitRoundoff = (d: DType): number => (d === "float32" ? 2 ** -24 : U64);
export const isFloat = (d: DType): d is FloatDType => d === "float32" || d === "float64";
export const SUBNORMAL: Record<FloatDType, number> = { float32: 2 ** -149, float64: 2 ** -1074 };
/** What a first-order bound leaves out (see the header). */
export const FIRST_ORDER_SLACK = 2;

/** The spacing of `dtype`'s floats at |v| (its ulp); Infinity for a non-finite v. */
export function ulpOf(v: number, dtype: DType): number {
  const a = Math.abs(v);
  if (!Number.isFinite(a)) return Number.POSITIVE_INFINITY;
  const [p, emin] = dtype === "float32" ? [24, -126] : [53, -1022];
  if (a < 2 ** emin) return 2 ** (emin - p + 1);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  return 2 ** (e - p + 1);
}

/** A value of the reference run with its bound: |backend − cpu| ≤ bound; for bools, 1 where they may differ. */
export interface Bounded {
  value: Array;
  bound: Float64Array;
}

type Deriv = (x: number, r: number) => number;
/** |f'| of the math-library functions (local error: the backend's UlpBound). */
export const TRANSCENDENTAL: Readonly<Record<string, Deriv>> = {
  exp: (_x, r) => Math.abs(r),
  expm1: (_x, r) => Math.abs(r + 1),
  log: (x) => 1 / Math.abs(x),
  log1p: (x) => 1 / Math.abs(1 + x),
  sin: (x) => Math.abs(Math.cos(x)),
  cos: (x) => Math.abs(Math.sin(x)),
  tan: (_x, r) => 1 + r * r,
  tanh: (_x, r) => Math.abs(1 - r * r),
  atan: (x) => 1 / (1 + x * x),
  asin: (x) => 1 / Math.sqrt(Math.max(0, 1 - x * x)),
  acos: (x) => 1 / Math.sqrt(Math.max(0, 1 - x * x)),
  sinh: (x) => Math.cosh(x),
  cosh: (x) => Math.abs(Math.sinh(x)),
  logistic: (_x, r) => Math.abs(r * (1 - r)),
  erf: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x),
};
/** |f'| of the correctly rounded (or exact) unary primitives; rsqrt's local error is the backend's UlpBound. */
export const ROUNDED_UNARY: Readonly<Record<string, Deriv>> = {
  neg: () => 1,
  abs: () => 1,
  sqrt: (_x, r) => 1 / (2 * Math.abs(r)),
  rsqrt: (x, r) => Math.abs(r / (2 * x)),
  stop_gradient: () => 1,
};
/** Unary primitives of ROUNDED_UNARY that a backend may compute with more than one rounding. */
const MAYBE_ROUNDED_TWICE = new Set(["rsqrt"]);
/** Primitives that only move elements: their bound is the same primitive applied to the bound. */
export const STRUCTURAL: ReadonlySet<string> = new Set([
  "broadcast_in_dim",
  "reshape",
  "transpose",
  "slice",
  "rev",
  "concatenate",
  "pad",
  "gather",
  "dynamic_slice",
  "dynamic_update_slice",
]);
/** Monotone step functions: over [x − B, x + B] they move by at most f(x + B) − f(x − B). */
export const MONOTONE: Readonly<Record<string, (v: number) => number>> = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: (v) => {
    const f = Math.floor(v);
    return v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
  },
  sign: Math.sign,
};

const hostF64 = (x: Array): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);
const cpuF64 = (data: Float64Array, shape: readonly number[]): Array =>
  np.array(data, { shape: [...shape], dtype: "float64" });

/**
 * Runs `program` on cpu equation by equation and returns its outputs with their bounds for a
 * backend of accuracy `ulps` (inputs are exact: both backends get the same bits).
 */
export function errorBound(program: Program, inputs: readonly Array[], ulps: UlpBound): Bounded[] {
  const exact = (value: Array): Bounded => ({ value, bound: new Float64Array(value.size) });
  return withBackend("cpu", () =>
    boundProgram(
      program,
      inputs.map((x) => exact(devicePut(x, "cpu"))),
      ulps,
    ),
  );
}

/** Calls whose sub-program is what runs (on both backends) when no transform is applied. */
const CALLS: Readonly<Record<string, string>> = {
  jit_call: "program",
  remat_call: "program",
  custom_jvp_call: "fun",
  custom_vjp_call: "fun",
};

/** The bounds of `program`'s outputs given its inputs' (run under the cpu backend). */
export function boundProgram(program: Program, inputs: readonly Bounded[], ulps: UlpBound): Bounded[] {
  const env = new Map<Var, Bounded>();
  const exact = (value: Array): Bounded => ({ value, bound: new Float64Array(value.size) });
  const read = (a: Atom): Bounded => {
    if (a instanceof Literal) return exact(np.full([...a.aval.shape], a.value, { dtype: a.aval.dtype }));
    const v = env.get(a);
    if (!v) throw new Error("errorBound: a variable is read before its definition");
    return v;
  };
  program.constVars.forEach((v, i) => env.set(v, exact(devicePut(program.consts[i]!, "cpu"))));
  program.inVars.forEach((v, i) => env.set(v, inputs[i]!));
  for (const e of program.eqns) {
    const ins = e.inputs.map(read);
    const call = CALLS[e.prim];
    const sub = call === undefined ? undefined : e.params[call];
    const outs =
      e.prim === "scan"
        ? boundScan(e, ins, ulps)
        : sub instanceof Program
          ? boundProgram(sub, ins, ulps)
          : [boundEqn(e, ins, ulps)];
    if (outs.length !== e.outputs.length)
      throw new Error(`errorBound: '${e.prim}' gave ${outs.length} outputs, expected ${e.outputs.length}`);
    e.outputs.forEach((v, k) => env.set(v, outs[k]!));
  }
  return program.outs.map(read);
}

/**
 * A scan's bounds: its body's, step by step, as if unrolled (both backends run the same steps in
 * the same order; only each step's roundings differ). Inputs are [...consts, ...carry, ...xs];
 * outputs [...final carry, ...stacked ys].
 */
function boundScan(e: Eqn, ins: readonly Bounded[], ulps: UlpBound): Bounded[] {
  const p = e.params as PrimParams["scan"];
  const consts = ins.slice(0, p.numConsts);
  let carry = ins.slice(p.numConsts, p.numConsts + p.numCarry);
  const xs = ins.slice(p.numConsts + p.numCarry);
  const row = (b: Bounded, t: number): Bounded => {
    const size = b.value.size / b.value.shape[0]!;
    return { value: b.value.get(t), bound: b.bound.slice(t * size, (t + 1) * size) };
  };
  const ys: Bounded[][] = [];
  for (let step = 0; step < p.length; step++) {
    const t = p.reverse ? p.length - 1 - step : step;
    const outs = boundProgram(p.body, [...consts, ...carry, ...xs.map((x) => row(x, t))], ulps);
    carry = outs.slice(0, p.numCarry);
    ys[t] = outs.slice(p.numCarry);
  }
  const stacked = e.outputs.slice(p.numCarry).map((v, k): Bounded => {
    if (p.length === 0)
      return { value: np.zeros([...v.aval.shape], { dtype: v.aval.dtype }), bound: new Float64Array(0) };
    const parts = ys.map((y) => y[k]!);
    const bound = new Float64Array(parts.reduce((n, b) => n + b.bound.length, 0));
    parts.reduce((at, b) => (bound.set(b.bound, at), at + b.bound.length), 0);
    return { value: np.stack(parts.map((b) => b.value)), bound };
  });
  return [...carry, ...stacked];
}

/** The bound of one equation's output given its operands' (run under the cpu backend). */
export function boundEqn(e: Eqn, ins: readonly Bounded[], ulps: UlpBound): Bounded {
  const prim = e.prim;
  const value = bind1(
    prim,
    ins.map((v) => v.value),
    e.params as never,
  );
  const dtype = value.dtype;
  const r = hostF64(value);
  const xs = ins.map((v) => hostF64(v.value));
  const bs = ins.map((v) => v.bound);
  const [x = r, y = r] = xs;
  const zero = new Float64Array(r.length);
  const [bx = zero, by = zero] = bs;
  const ulp = (i: number): number => ulpOf(r[i]!, dtype);
  const anyIn = (i: number): boolean => bs.some((b) => b[i]! > 0);
  // One correct rounding of results computed from operands that may differ: at most 1 ulp apart.
  const flip = (i: number): number => (isFloat(dtype) && anyIn(i) ? ulp(i) : 0);
  const times = (d: number, b: number): number => (b > 0 ? d * b : 0);
  // The backend's documented local error of `p` (in ulps of this result).
  const localUlps = (p: string): number => {
    // (An integer result: the reference's own formula on both backends, or a refused Program.)
    return isFloat(dtype) ? ulps(p, dtype, e.params) : 0;
  };
  const done = (f: (i: number) => number): Bounded => {
    const bound = new Float64Array(r.length);
    for (let i = 0; i < r.length; i++) {
      const v = f(i);
      bound[i] = Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
    }
    return { value, bound };
  };
  // The same primitive over float64 stand-ins (bounds, magnitudes) of its float operands; integer
  // operands (indices) are passed as they are. Params optionally changed.
  const same = (args: readonly Float64Array[], params: Readonly<Record<string, unknown>> = e.params): Float64Array =>
    hostF64(
      bind1(
        prim,
        args.map((a, k) => (isFloat(ins[k]!.value.dtype) ? cpuF64(a, ins[k]!.value.shape) : ins[k]!.value)),
        params as never,
      ),
    );
  // An integer operand (an index) that may differ between the backends: no bound.
  const intMayDiffer = ins.some((v) => !isFloat(v.value.dtype) && v.bound.some((b) => b > 0));

  const tr = TRANSCENDENTAL[prim];
  if (tr) {
    const t = localUlps(prim);
    return done((i) => times(tr(x[i]!, r[i]!), bx[i]!) + t * ulp(i) + flip(i));
  }
  const ru = ROUNDED_UNARY[prim];
  if (ru) {
    const t = MAYBE_ROUNDED_TWICE.has(prim) ? localUlps(prim) : 0;
    return done((i) => times(ru(x[i]!, r[i]!), bx[i]!) + (t > 0 ? t * ulp(i) : 0) + flip(i));
  }
  if (STRUCTURAL.has(prim)) {
    if (intMayDiffer) return done(() => Number.POSITIVE_INFINITY);
    return { value, bound: same(bs, prim === "pad" ? { ...e.params, value: 0 } : e.params) };
  }
  const mono = MONOTONE[prim];
  if (mono) return done((i) => (bx[i]! > 0 ? mono(x[i]! + bx[i]!) - mono(x[i]! - bx[i]!) : 0));
  if (ins.length === 0) return done(() => 0); // iota
  switch (prim) {
    case "add":
    case "sub":
      return done((i) => bx[i]! + by[i]! + flip(i));
    case "mul":
      return done((i) => Math.abs(y[i]!) * bx[i]! + Math.abs(x[i]!) * by[i]! + bx[i]! * by[i]! + flip(i));
    case "div":
      return done((i) => (bx[i]! + times(Math.abs(r[i]!), by[i]!)) / Math.abs(y[i]!) + flip(i));
    case "max":
    case "min":
      return done((i) => Math.max(bx[i]!, by[i]!));
    case "atan2": {
      // atan2(y = x[i], x = y[i]): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²).
      const t = localUlps("atan2");
      return done((i) => {
        const r2 = x[i]! ** 2 + y[i]! ** 2;
        return times(Math.abs(y[i]!) / r2, bx[i]!) + times(Math.abs(x[i]!) / r2, by[i]!) + t * ulp(i) + flip(i);
      });
    }
    case "rem":
      // fmod is exact on both backends: x − q·y with q = trunc(x/y), constant while x/y keeps its
      // integer part (otherwise r jumps by |y|).
      return done((i) => {
        if (!anyIn(i)) return 0;
        const lo = (Math.abs(x[i]!) - bx[i]!) / (Math.abs(y[i]!) + by[i]!);
        const hi = (Math.abs(x[i]!) + bx[i]!) / Math.max(0, Math.abs(y[i]!) - by[i]!);
        if (Math.trunc(lo) !== Math.trunc(hi)) return Number.POSITIVE_INFINITY;
        return bx[i]! + Math.abs(Math.trunc(x[i]! / y[i]!)) * by[i]! + flip(i);
      });
    case "pow": {
      const t = localUlps("pow");
      return done(
        (i) =>
          times(Math.abs(y[i]! * x[i]! ** (y[i]! - 1)), bx[i]!) +
          times(Math.abs(r[i]! * Math.log(x[i]!)), by[i]!) +
          t * ulp(i) +
          flip(i),
      );
    }
    case "integer_pow": {
      const k = (e.params as PrimParams["integer_pow"]).y;
      const local = isFloat(dtype) ? localUlps("integer_pow") : 0;
      return done((i) => times(Math.abs(k * x[i]! ** (k - 1)), bx[i]!) + local * ulp(i) + flip(i));
    }
    case "eq":
    case "ne":
    case "lt":
    case "le":
    case "gt":
    case "ge":
      return done((i) => (bx[i]! + by[i]! > 0 && Math.abs(x[i]! - y[i]!) <= bx[i]! + by[i]! ? 1 : 0));
    case "and":
    case "or":
    case "xor":
    case "not":
      return done((i) => (anyIn(i) ? 1 : 0));
    case "isfinite":
      return done((i) => (Number.isFinite(bx[i]!) ? 0 : 1));
    case "select": {
      const [p = r, a = r, b = r] = xs;
      const [bp = zero, ba = zero, bb = zero] = bs;
      return done((i) => (bp[i]! > 0 ? Math.max(ba[i]!, bb[i]!) + Math.abs(a[i]! - b[i]!) : p[i] ? ba[i]! : bb[i]!));
    }
    case "convert": {
      // Bounds on integers and bools are bounds on the difference of their values (1: the bools may differ).
      const from = ins[0]!.value.dtype;
      if (isFloat(dtype)) return done((i) => bx[i]! + flip(i));
      if (dtype === "bool") return done((i) => (bx[i]! > 0 && Math.abs(x[i]!) <= bx[i]! ? 1 : 0));
      if (isFloat(from)) return done((i) => (bx[i]! > 0 ? bx[i]! + 1 : 0));
      return done((i) => bx[i]!);
    }
    case "reduce_max":
    case "reduce_min":
      return { value, bound: same([bx]) };
    case "argmax":
    case "argmin":
    case "argsort":
      // Indices: equal when the operands are; otherwise they may differ (ties, near-ties) by any amount.
      return done(() => (bx.some((b) => b > 0) ? Number.POSITIVE_INFINITY : 0));
    case "scatter_add": {
      // The reference kernel on both backends: the same additions, so only propagated differences
      // and one rounding flip per addition into an element.
      if (intMayDiffer) return done(() => Number.POSITIVE_INFINITY);
      const [, , bu = zero] = bs;
      const propagated = same([bx, zero, bu]);
      const count = same([zero, zero, new Float64Array(bu.length).fill(1)]);
      return done((i) => propagated[i]! + (propagated[i]! > 0 ? (count[i]! + 1) * ulp(i) : 0));
    }
    case "reduce_prod": {
      // Products of m factors: relative error ≤ (m − 1)·(u + 2^-53) either way; propagated
      // |r|·Σ B_i/|x_i| (first order; the domains keep factors away from 0).
      const shape = ins[0]!.value.shape;
      const m = (e.params as PrimParams["reduce_prod"]).axes.reduce((a, k) => a * shape[k]!, 1);
      const c = dtype === "float32" ? unitRoundoff(dtype) + U64 : 2 * U64;
      const rel = hostF64(
        bind1(
          "reduce_sum",
          [
            cpuF64(
              bx.map((b, i) => (b > 0 ? b / Math.abs(x[i]!) : 0)),
              shape,
            ),
          ],
          e.params as never,
        ),
      );
      return done((i) => Math.abs(r[i]!) * rel[i]! + (m > 1 ? (m - 1) * c * Math.abs(r[i]!) + ulp(i) : 0));
    }
    case "reduce_sum":
    case "cumsum": {
      const shape = ins[0]!.value.shape;
      const m =
        prim === "cumsum"
          ? shape[(e.params as PrimParams["cumsum"]).axis]!
          : (e.params as PrimParams["reduce_sum"]).axes.reduce((a, k) => a * shape[k]!, 1);
      const c = dtype === "float32" ? unitRoundoff(dtype) + U64 : 2 * U64;
      const propagated = same([bx]);
      const magnitude = same([x.map(Math.abs)]);
      return done((i) => propagated[i]! + (m > 1 ? (m - 1) * c * magnitude[i]! + ulp(i) : 0));
    }
    case "dot_general": {
      const p = e.params as PrimParams["dot_general"];
      const k = p.contracting[0].reduce((a, d) => a * ins[0]!.value.shape[d]!, 1);
      const c = dtype === "float32" ? unitRoundoff(dtype) + U64 : 2 * U64;
      const [ax, ay] = [x.map(Math.abs), y.map(Math.abs)];
      const t1 = same([ax, by]);
      const t2 = same([bx, ay]);
      const t3 = same([bx, by]);
      const magnitude = same([ax, ay]);
      return done((i) => t1[i]! + t2[i]! + t3[i]! + k * c * magnitude[i]! + ulp(i));
    }
    case "conv_general_dilated": {
      // dot_general's argument: each output sums at most k = I·prod(window) products (γ_k).
      const k = ins[1]!.value.shape.slice(1).reduce((a, b) => a * b, 1);
      const c = dtype === "float32" ? unitRoundoff(dtype) + U64 : 2 * U64;
      const [ax, ay] = [x.map(Math.abs), y.map(Math.abs)];
      const [t1, t2, t3] = [same([ax, by]), same([bx, ay]), same([bx, by])];
      const magnitude = same([ax, ay]);
      return done((i) => t1[i]! + t2[i]! + t3[i]! + k * c * magnitude[i]! + ulp(i));
    }
  }
  throw new Error(`errorBound: no rule for primitive '${prim}' (add one, from the backend's documented accuracy)`);
}

/** A backend's output read to the host (dataSync, or `await x.data()` on an asynchronous backend). */
export interface HostArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** What a comparison saw: elements compared, how many differed, and the largest |backend − cpu| / B. */
export interface BoundStats {
  elements: number;
  differing: number;
  /** Over the elements that differ with B > 0 (0 when none). */
  maxRatio: number;
}

export interface CompareContext {
  /** The compared backend's name, for messages. */
  readonly backend: string;
  /** The case, for messages. */
  readonly what: string;
  /** Printed with a failure. */
  readonly program: Program;
}

/**
 * Throws unless each of the backend's outputs `got` is within FIRST_ORDER_SLACK·B + 4·(smallest
 * subnormal) of the reference's jitted output `want` (NaN equals NaN), B from {@link errorBound}.
 * The bound's own reference run must reproduce `want` exactly (it runs the same kernels).
 */
export function compareWithinBound(
  got: readonly HostArray[],
  want: readonly Array[],
  bounds: readonly Bounded[],
  { backend, what, program }: CompareContext,
): BoundStats {
  if (got.length !== want.length || bounds.length !== want.length)
    throw new Error(`${what}: ${got.length} ${backend} outputs, ${want.length} cpu outputs, ${bounds.length} bounds`);
  const stats: BoundStats = { elements: 0, differing: 0, maxRatio: 0 };
  want.forEach((w, o) => {
    const gw = got[o]!;
    if (gw.dtype !== w.dtype || gw.shape.join() !== w.shape.join())
      throw new Error(`${what}: output ${o} is ${gw.dtype}[${gw.shape}] on ${backend}, ${w.dtype}[${w.shape}] on cpu`);
    const dtype = w.dtype;
    const gd = gw.data;
    const wd = w.dataSync();
    const ref = bounds[o]!.value.dataSync();
    const bd = bounds[o]!.bound;
    if (gd.length !== wd.length) throw new Error(`${what}: output ${o} has ${gd.length} elements on ${backend}`);
    stats.elements += wd.length;
    for (let i = 0; i < wd.length; i++) {
      const a = gd[i]!;
      const b = wd[i]!;
      if (!Object.is(ref[i], b) && !(Number.isNaN(ref[i]!) && Number.isNaN(b)))
        throw new Error(`${what}: the cpu jit gave ${b} at element ${i}, its op-by-op run ${ref[i]}`);
      if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
      const diff = Math.abs(a - b);
      // Non-float outputs must be equal.
      const allowed = isFloat(dtype) ? FIRST_ORDER_SLACK * bd[i]! + 4 * SUBNORMAL[dtype] : Number.NaN;
      if (!(diff <= allowed))
        throw new Error(
          `${what}: output ${o} element ${i}: ${backend} ${a}, cpu ${b}, |diff| ${diff.toExponential(3)} > ` +
            `${FIRST_ORDER_SLACK}·B = ${allowed.toExponential(3)} (B = ${bd[i]!.toExponential(3)}, ` +
            `${(diff / ulpOf(b, dtype)).toFixed(1)} ulp)\nProgram:\n${program}`,
        );
      stats.differing++;
      if (bd[i]! > 0) stats.maxRatio = Math.max(stats.maxRatio, diff / bd[i]!);
    }
  });
  return stats;
}
