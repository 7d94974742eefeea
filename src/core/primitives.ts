/**
 * The primitive set: every op in graft's numpy, nn and random namespaces lowers to these.
 * Each entry maps a primitive's name to the static parameters it carries.
 *
 * Conventions shared by every backend (the CPU reference backend is the oracle):
 * - Elementwise binary primitives take operands of equal shape and dtype (the numpy layer
 *   broadcasts and promotes first). Comparisons return bool.
 * - Integer `div` truncates toward zero and `rem` takes the dividend's sign (C semantics);
 *   float `rem` is `fmod`. `round` rounds half to even. `sign(0) = 0`, `sign(NaN) = NaN`.
 * - `and`/`or` are logical for bool and bitwise for integers; `not` likewise.
 * - `gather`/`scatter_add` clamp indices to [0, n-1]; `dynamic_slice`/`dynamic_update_slice` clamp
 *   start indices so the window fits (XLA semantics).
 */
import type { DType } from "./dtype.js";
import type { Program } from "./program.js";
import type { ShapedArray } from "./aval.js";

type Empty = Record<string, never>;

export const UNARY_PRIMS = [
  "neg",
  "abs",
  "sign",
  "floor",
  "ceil",
  "round",
  "exp",
  "expm1",
  "log",
  "log1p",
  "sqrt",
  "rsqrt",
  "sin",
  "cos",
  "tan",
  "tanh",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "logistic",
  "erf",
  "not",
  "isfinite",
] as const;
export type UnaryPrim = (typeof UNARY_PRIMS)[number];

export const BINARY_PRIMS = [
  "add",
  "sub",
  "mul",
  "div",
  "rem",
  "pow",
  "max",
  "min",
  "atan2",
  "and",
  "or",
  // Bitwise, integer operands (xor also takes bool). Shifts by an amount outside [0, 32) give 0
  // (XLA semantics); shift_right_logical shifts in zeros for int32 too.
  "xor",
  "shift_left",
  "shift_right_logical",
] as const;
export type BinaryPrim = (typeof BINARY_PRIMS)[number];

export const COMPARE_PRIMS = ["eq", "ne", "lt", "le", "gt", "ge"] as const;
export type ComparePrim = (typeof COMPARE_PRIMS)[number];

export const REDUCE_PRIMS = ["reduce_sum", "reduce_max", "reduce_min", "reduce_prod"] as const;
export type ReducePrim = (typeof REDUCE_PRIMS)[number];

export interface PrimParams extends Record<UnaryPrim, Empty>, Record<BinaryPrim, Empty>, Record<ComparePrim, Empty> {
  /** x ** n for a static integer n (better derivatives and numerics than `pow`). */
  integer_pow: { y: number };
  /** (pred: bool, onTrue, onFalse), all the same shape; onTrue/onFalse share a dtype. */
  select: Empty;
  /** Changes dtype; `weakType` keeps a JS-number-derived value weakly typed. */
  convert: { dtype: DType; weakType?: boolean };
  /** Reduces over `axes` (sorted, unique), removing them. */
  reduce_sum: { axes: number[] };
  reduce_max: { axes: number[] };
  reduce_min: { axes: number[] };
  reduce_prod: { axes: number[] };
  /** Index (int32) of the first max/min along `axis`, removing it. NaN counts as the max/min. */
  argmax: { axis: number };
  argmin: { axis: number };
  /** Stable ascending argsort along `axis` (int32 indices; NaN sorts last), O(n log n). */
  argsort: { axis: number };
  /** Inclusive cumulative sum along `axis`; from the end when `reverse`. */
  cumsum: { axis: number; reverse: boolean };
  /**
   * Generalized contraction: output dims are batch dims, then lhs free dims, then rhs free dims
   * (each group in operand order). Both operands share a dtype.
   */
  dot_general: { contracting: [number[], number[]]; batch: [number[], number[]] };
  /**
   * (lhs [N, C, ...spatial], rhs [O, I, ...window]) → [N / batchGroupCount, O, ...spatial out]
   * (XLA's ConvGeneralDilated in a fixed layout; lax.convGeneralDilated transposes other layouts
   * to it). lhs is dilated by `lhsDilation` (zeros between elements), padded by `padding` [lo, hi]
   * per spatial dim (negative pads crop), then correlated with rhs dilated by `rhsDilation`, at
   * `windowStrides`. C = I * featureGroupCount: output feature o reads input features of group
   * floor(o / (O / featureGroupCount)). With batchGroupCount G, lhs batch splits into G contiguous
   * groups and output feature o reads group floor(o / (O / G)). Both operands share a dtype.
   */
  conv_general_dilated: {
    windowStrides: number[];
    padding: [number, number][];
    lhsDilation: number[];
    rhsDilation: number[];
    featureGroupCount: number;
    batchGroupCount: number;
  };
  /** Operand dim i maps to output dim broadcastDimensions[i] (increasing); its size is 1 or equal. */
  broadcast_in_dim: { shape: number[]; broadcastDimensions: number[] };
  reshape: { shape: number[] };
  transpose: { permutation: number[] };
  /** Static strided slice: start inclusive, limit exclusive, strides >= 1. */
  slice: { start: number[]; limit: number[]; strides: number[] };
  /** Pads with `value`: lo/hi >= 0 elements at each end, `interior` between elements. */
  pad: { lo: number[]; hi: number[]; interior: number[]; value: number };
  concatenate: { axis: number };
  /** Reverses the order of elements along `axes`. */
  rev: { axes: number[] };
  /** No operands: the index along `dimension` broadcast to `shape`. */
  iota: { shape: number[]; dimension: number; dtype: DType };
  /** (operand, indices:int32) → operand.shape[:axis] + indices.shape + operand.shape[axis+1:]. */
  gather: { axis: number };
  /** (operand, indices:int32, updates shaped like the gather output) → operand with updates added. */
  scatter_add: { axis: number };
  /** (operand, ...startIndices: int32 scalars) → window of `sizes`. */
  dynamic_slice: { sizes: number[] };
  /** (operand, update, ...startIndices: int32 scalars) → operand with the window replaced. */
  dynamic_update_slice: Empty;
  /** Identity whose derivative is zero. */
  stop_gradient: Empty;
  /**
   * Threefry-2x32 (20 rounds, Random123) applied elementwise: (k0, k1, x0, x1), uint32 of one
   * shape S (the caller broadcasts) → uint32 [...S, 2] holding the output words (y0, y1) of
   * key (k0, k1) and counter (x0, x1) interleaved along the last axis. Not differentiable.
   */
  threefry2x32: Empty;
  /** Runs a staged sub-program (what `jit` binds). */
  jit_call: { program: Program; name: string };
  /** (index: int32 scalar, ...operands): runs branches[clamp(index)] on the operands. */
  cond: { branches: Program[] };
  /**
   * (...condConsts, ...bodyConsts, ...carry): while cond(condConsts, carry) is true,
   * carry = body(bodyConsts, carry). Outputs the final carry.
   */
  while: { cond: Program; body: Program; condConsts: number; bodyConsts: number };
  /**
   * (...consts, ...carry, ...xs): body(consts, carry, x_i) → [carry, y_i] for i over the leading
   * axis of xs (from the end when `reverse`). Outputs [...final carry, ...stacked ys].
   */
  scan: { body: Program; numConsts: number; numCarry: number; length: number; reverse: boolean };
  /** (...args): evaluates `fun`; its JVP is `jvp` ([...primals, ...tangents] → [...outs, ...tangent outs]). */
  custom_jvp_call: { fun: Program; jvp: Program; name: string };
  /**
   * (...args): evaluates `fun`; reverse mode runs `fwd` (args → [...outs, ...residuals]) and
   * `bwd` ([...residuals, ...output cotangents] → argument cotangents).
   */
  custom_vjp_call: { fun: Program; fwd: Program; bwd: Program; numResiduals: number; name: string };
  /** (...residuals, ...tangents): the linear map a customVjp function contributes; only its transpose (bwd) runs. */
  custom_vjp_lin: { bwd: Program; numResiduals: number; outAvals: ShapedArray[]; name: string };
  /** (...args): evaluates `program`; reverse mode recomputes its intermediates instead of storing them. */
  remat_call: { program: Program; name: string };
}

export type PrimName = keyof PrimParams;

type ProgramKeys<T> = {
  [K in keyof T]-?: [T[K]] extends [never] ? never : T[K] extends Program | readonly Program[] ? K : never;
}[keyof T];

/**
 * Primitives whose params hold sub-programs (control flow, calls, custom rules), derived from the
 * parameter types above: backends run these through their Programs, not through a kernel. At run
 * time, `holdsPrograms(params)` (core/program.ts) is the same test.
 */
export type SubProgramPrim = { [P in PrimName]: [ProgramKeys<PrimParams[P]>] extends [never] ? never : P }[PrimName];

/** Primitives computed by a kernel (every primitive that holds no sub-program). */
export type KernelPrim = Exclude<PrimName, SubProgramPrim>;

/** The primitives that are neither unary, binary, comparison nor reduction primitives. */
const OTHER_PRIMS = [
  "integer_pow",
  "select",
  "convert",
  "argmax",
  "argmin",
  "argsort",
  "cumsum",
  "dot_general",
  "conv_general_dilated",
  "broadcast_in_dim",
  "reshape",
  "transpose",
  "slice",
  "pad",
  "concatenate",
  "rev",
  "iota",
  "gather",
  "scatter_add",
  "dynamic_slice",
  "dynamic_update_slice",
  "stop_gradient",
  "threefry2x32",
  "jit_call",
  "cond",
  "while",
  "scan",
  "custom_jvp_call",
  "custom_vjp_call",
  "custom_vjp_lin",
  "remat_call",
] as const satisfies readonly PrimName[];

const ALL = [...UNARY_PRIMS, ...BINARY_PRIMS, ...COMPARE_PRIMS, ...REDUCE_PRIMS, ...OTHER_PRIMS] as const;

/** Every primitive's name, for tests and tools that walk the primitive set. */
export const PRIMITIVE_NAMES: readonly PrimName[] = ALL;

/** The primitives `PRIMITIVE_NAMES` misses: `never` (a type-level test checks it). */
export type UnlistedPrimitive = Exclude<PrimName, (typeof ALL)[number]>;
