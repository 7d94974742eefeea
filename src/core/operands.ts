/**
 * How many operands each primitive takes and how many results it gives. The rule registry
 * (rules.ts) checks every rule call against this table, so the rules of fixed-arity primitives get
 * their operands as tuples and destructure them (`([x, y]) => ...`) with no missing entries.
 */
import {
  BINARY_PRIMS,
  COMPARE_PRIMS,
  REDUCE_PRIMS,
  UNARY_PRIMS,
  type BinaryPrim,
  type ComparePrim,
  type PrimName,
  type ReducePrim,
  type SubProgramPrim,
  type UnaryPrim,
} from "./primitives.js";

/** An exact operand count, at least one or two operands (`"1+"`, `"2+"`), or any number. */
export type OperandCount = 0 | 1 | 2 | 3 | 4 | "1+" | "2+" | "any";

type GroupedPrim = UnaryPrim | ReducePrim | BinaryPrim | ComparePrim;

/** Operand counts of the primitives outside the unary, reduction, binary and comparison groups. */
const COUNTS = {
  integer_pow: 1,
  select: 3,
  convert: 1,
  argmax: 1,
  argmin: 1,
  argsort: 1,
  cumsum: 1,
  dot_general: 2,
  conv_general_dilated: 2,
  broadcast_in_dim: 1,
  reshape: 1,
  transpose: 1,
  slice: 1,
  pad: 1,
  concatenate: "1+",
  rev: 1,
  iota: 0,
  gather: 2,
  scatter_add: 3,
  /** (operand, ...start indices) */
  dynamic_slice: "1+",
  /** (operand, update, ...start indices) */
  dynamic_update_slice: "2+",
  stop_gradient: 1,
  threefry2x32: 4,
  jit_call: "any",
  /** (index, ...operands) */
  cond: "1+",
  while: "any",
  scan: "any",
  custom_jvp_call: "any",
  custom_vjp_call: "any",
  custom_vjp_lin: "any",
  remat_call: "any",
} as const satisfies Record<Exclude<PrimName, GroupedPrim>, OperandCount>;

/** Calls and control flow (the primitives holding sub-programs): any number of results; every other primitive has one. */
const MULTI_RESULT: Record<SubProgramPrim, true> = {
  jit_call: true,
  cond: true,
  while: true,
  scan: true,
  custom_jvp_call: true,
  custom_vjp_call: true,
  custom_vjp_lin: true,
  remat_call: true,
};

const group = <P extends PrimName, C extends OperandCount>(prims: readonly P[], c: C): Record<P, C> =>
  Object.fromEntries(prims.map((p) => [p, c])) as Record<P, C>;

const ALL: Record<PrimName, OperandCount> = {
  ...group(UNARY_PRIMS, 1),
  ...group(REDUCE_PRIMS, 1),
  ...group(BINARY_PRIMS, 2),
  ...group(COMPARE_PRIMS, 2),
  ...COUNTS,
};

/** The operand count of primitive `P`, as a type. */
export type CountOf<P extends PrimName> = P extends UnaryPrim | ReducePrim
  ? 1
  : P extends BinaryPrim | ComparePrim
    ? 2
    : P extends keyof typeof COUNTS
      ? (typeof COUNTS)[P]
      : never;

type TupleOf<C extends OperandCount, T> = C extends 0
  ? readonly []
  : C extends 1
    ? readonly [T]
    : C extends 2
      ? readonly [T, T]
      : C extends 3
        ? readonly [T, T, T]
        : C extends 4
          ? readonly [T, T, T, T]
          : C extends "1+"
            ? readonly [T, ...T[]]
            : C extends "2+"
              ? readonly [T, T, ...T[]]
              : readonly T[];

/** One `T` per operand of `P`: a tuple for fixed-arity primitives, a list (with its required head) otherwise. */
export type Operands<P extends PrimName, T> = TupleOf<CountOf<P>, T>;

/** One `T` per result of `P`: a single one, except for calls and control flow. */
export type Results<P extends PrimName, T> = P extends SubProgramPrim ? readonly T[] : readonly [T];

export function operandCount(prim: PrimName): OperandCount {
  return ALL[prim];
}

/** True if `prim` has exactly one result (every primitive except calls and control flow). */
export function hasOneResult(prim: PrimName): boolean {
  return !(prim in MULTI_RESULT);
}

/** True if `n` operands fit the count `c`. */
export function fitsCount(c: OperandCount, n: number): boolean {
  switch (c) {
    case "any":
      return true;
    case "1+":
      return n >= 1;
    case "2+":
      return n >= 2;
    default:
      return n === c;
  }
}

/** `c` in words: "1 operand", "4 operands", "at least 2 operands". */
export function describeCount(c: OperandCount): string {
  if (c === "any") return "any number of operands";
  if (c === "1+") return "at least 1 operand";
  if (c === "2+") return "at least 2 operands";
  return `${c} operand${c === 1 ? "" : "s"}`;
}
