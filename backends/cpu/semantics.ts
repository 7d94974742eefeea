/**
 * The reference kernels as the code generators (wasm, webgpu) consult them: which (primitive, dtype) pairs the
 * reference accepts, and the truth tables of primitives on bool operands (derived by running the
 * reference on all inputs, at code-generation time, so bool arithmetic can never drift from it).
 */
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS } from "../../src/core/primitives.js";
import { type AnyKernel, kernelFor } from "./interpreter.js";
import type { ExprPrim } from "../plan/types.js";

type Params = Readonly<Record<string, unknown>>;
export type PrimKind = "unary" | "binary" | "compare" | "integer_pow" | "select" | "convert";

const has = (list: readonly string[], p: string): boolean => list.includes(p);

export function primKind(prim: ExprPrim): PrimKind {
  if (has(UNARY_PRIMS, prim)) return "unary";
  if (has(BINARY_PRIMS, prim)) return "binary";
  if (has(COMPARE_PRIMS, prim)) return "compare";
  return prim as "integer_pow" | "select" | "convert";
}

/** The reference kernel for an expression primitive (the CPU backend's own lookup). */
export const referenceKernel = (prim: ExprPrim): AnyKernel => kernelFor(prim);

const ARITY: Record<PrimKind, number> = { unary: 1, binary: 2, compare: 2, integer_pow: 1, select: 3, convert: 1 };

/**
 * The dtype the reference gives `prim` on these operand dtypes, or undefined when the operands do
 * not fit the primitive (count, shared dtypes, bool predicate, params).
 */
export function resultDtype(prim: ExprPrim, params: Params, args: readonly DType[]): DType | undefined {
  const kind = primKind(prim);
  if (args.length !== ARITY[kind]) return undefined;
  const [a, b, d] = args as [DType, DType?, DType?];
  switch (kind) {
    case "unary":
      return prim === "isfinite" ? "bool" : a;
    case "binary":
      return a === b ? a : undefined;
    case "compare":
      return a === b ? "bool" : undefined;
    case "integer_pow":
      return Number.isSafeInteger(params.y) ? a : undefined;
    case "select":
      return a === "bool" && b === d ? b : undefined;
    case "convert":
      return typeof params.dtype === "string" ? (params.dtype as DType) : undefined;
  }
}

/** Runs the reference on whole operand arrays; undefined when it rejects the dtypes. */
export function runReference(
  prim: ExprPrim,
  params: Params,
  inputs: readonly TypedArray[],
  dtypes: readonly DType[],
  out: DType,
): TypedArray | undefined {
  const n = inputs[0]?.length ?? 0;
  try {
    return referenceKernel(prim)(
      inputs,
      dtypes.map(() => [n]),
      dtypes,
      params,
      { shape: [n], dtype: out },
    );
  } catch {
    return undefined;
  }
}

/**
 * The truth table of an operation on bool operands with a bool result: entry Σ x_k·2^(n−1−k) is the
 * result for operands x (so binary tables read t[2a + b]). Undefined when the reference rejects
 * bool operands or gives a value other than 0 and 1 (e.g. neg → 255), which masks cannot hold.
 */
export function boolTable(prim: ExprPrim, params: Params, arity: number): number[] | undefined {
  const n = 2 ** arity;
  const inputs = Array.from({ length: arity }, (_, k) => {
    const x = allocate("bool", n);
    for (let i = 0; i < n; i++) x[i] = (i >> (arity - 1 - k)) & 1;
    return x;
  });
  const r = runReference(
    prim,
    params,
    inputs,
    inputs.map(() => "bool"),
    "bool",
  );
  if (r === undefined) return undefined;
  const t = [...r];
  return t.every((v) => v === 0 || v === 1) ? t : undefined;
}
