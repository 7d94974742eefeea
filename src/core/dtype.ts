import { config } from "./config.js";

/** The element types graft arrays can hold. float32 is the default. */
export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Uint8ArrayConstructor;

const CONSTRUCTORS: Record<DType, TypedArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
};

/**
 * A zero-filled typed array for `size` elements of `dtype`. Requests above
 * `config.maxAllocationBytes` are a RangeError naming `op` (and `shape`, when given) instead of
 * V8's "Invalid typed array length" or an out-of-memory abort.
 */
export function allocate(dtype: DType, size: number, op = "allocate", shape?: readonly number[]): TypedArray {
  checkAllocation(op, shape ?? [size], dtype);
  return new CONSTRUCTORS[dtype](size);
}

const fmtBytes = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toPrecision(3)} GB` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} MB` : `${n} bytes`;

/**
 * Throws a RangeError when an array of `shape` and `dtype` would take more than
 * `config.maxAllocationBytes`; the message names `op`, the shape, the size, the limit and how to
 * raise it. Called before anything is allocated from a user-given shape.
 */
export function checkAllocation(op: string, shape: readonly number[], dtype: DType): void {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i]!;
  const bytes = size * itemSize(dtype);
  const limit = config.maxAllocationBytes;
  if (!(bytes <= limit))
    throw new RangeError(
      `${op}: an array of shape [${shape.join(", ")}] and dtype ${dtype} needs ${bytes} bytes (${fmtBytes(bytes)}), ` +
        `more than the allocation limit of ${limit} bytes (${fmtBytes(limit)}); ` +
        `if you mean it, raise the limit with config.update({ maxAllocationBytes })`,
    );
}

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Validates a user-supplied dtype name, with an error that lists the valid ones. */
export function checkDType(x: unknown, op: string): DType {
  if (isDType(x)) return x;
  throw new TypeError(`${op}: unknown dtype ${JSON.stringify(x)}; expected one of ${DTYPES.join(", ")}`);
}

export const isFloat = (d: DType): boolean => d === "float32" || d === "float64";
export const isInt = (d: DType): boolean => d === "int32" || d === "uint32";
export const itemSize = (d: DType): number => (d === "float64" ? 8 : d === "bool" ? 1 : 4);

/** Rounds a JS number to what `dtype` stores (used for scalars and folding). */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case "float64":
      return x;
    case "float32":
      return Math.fround(x);
    case "int32":
      return Number.isFinite(x) ? Math.trunc(x) | 0 : 0;
    case "uint32":
      return Number.isFinite(x) ? Math.trunc(x) >>> 0 : 0;
    case "bool":
      return x !== 0 && !Number.isNaN(x) ? 1 : 0;
  }
}

// JAX's promotion lattice (x64 disabled for the int types: int32 ∨ uint32 = int32).
const RANK: Record<DType, number> = { bool: 0, uint32: 1, int32: 1, float32: 2, float64: 3 };
const kind = (d: DType): number => (d === "bool" ? 0 : isInt(d) ? 1 : 2);

/**
 * Result dtype of a binary op, following JAX: a weakly typed operand (a JS number)
 * defers to the other operand's dtype within its kind, so `float32 * 2` stays float32.
 */
export function promoteTypes(a: DType, aWeak: boolean, b: DType, bWeak: boolean): { dtype: DType; weakType: boolean } {
  if (a === b) return { dtype: a, weakType: aWeak && bWeak };
  if (aWeak && bWeak) return kind(a) >= kind(b) ? { dtype: a, weakType: true } : { dtype: b, weakType: true };
  if (aWeak || bWeak) {
    const [w, s] = aWeak ? [a, b] : [b, a];
    // A weak value of a higher kind lifts the strong one to that kind's default, still weak.
    if (kind(w) > kind(s)) return { dtype: w === "float64" || w === "float32" ? "float32" : "int32", weakType: true };
    return { dtype: s, weakType: false };
  }
  if (kind(a) !== kind(b)) return { dtype: RANK[a] > RANK[b] ? a : b, weakType: false };
  if (isInt(a) && isInt(b)) return { dtype: "int32", weakType: false };
  return { dtype: RANK[a] > RANK[b] ? a : b, weakType: false };
}
