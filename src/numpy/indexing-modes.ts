/**
 * JAX's out-of-range index modes for gathers (`take`, `takeAlongAxis`): "fill" (the default:
 * negatives in [-n, 0) wrap once, anything else reads `fillValue`), "clip" (clamped into [0, n-1],
 * negatives included) and "wrap" (taken modulo n).
 */
import { type Array, describeValue, isArray } from "../core/array.js";
import { type DType, isInt } from "../core/dtype.js";
import { fromTypedArray } from "../core/eval.js";
import * as L from "../core/ops.js";
import { castTo, broadcastArray } from "../core/convert.js";
import { IndexError } from "./indices.js";

/** How a gather treats indices outside [0, n): JAX's `mode` argument of `take` / `take_along_axis`. */
export type GatherMode = "fill" | "clip" | "wrap";

/**
 * Internal mode: "clip" clamps raw indices (JAX's `take`: -1 reads element 0); "wrapClip" first
 * wraps negatives in [-n, 0) once, then clamps (JAX's `take_along_axis` in clip mode).
 */
export type IndexMode = GatherMode | "wrapClip";

/** Options of `take` / `takeAlongAxis` (JAX's `mode` and `fill_value`). */
export interface TakeOptions {
  /** Out-of-range indices: "fill" (default, as JAX), "clip" or "wrap". */
  mode?: GatherMode;
  /**
   * The value read at out-of-range indices in "fill" mode; default NaN for floats, the dtype's
   * minimum for int32, its maximum for uint32 and true for bool (JAX's defaults).
   */
  fillValue?: number;
}

const MODES: readonly string[] = ["fill", "clip", "wrap"];

/** Validates the options and returns the mode (default "fill"); `modes` lists the ones `op` accepts. */
export function gatherMode(op: string, opts: TakeOptions | undefined, modes: readonly string[] = MODES): GatherMode {
  if (opts === undefined) return "fill";
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`${op}: options must be an object such as { mode: "clip" }, got ${describeValue(opts)}`);
  for (const key of Object.keys(opts))
    if (key !== "mode" && key !== "fillValue")
      throw new TypeError(`${op}: unknown option "${key}"; expected mode or fillValue`);
  const mode = opts.mode ?? "fill";
  if (!modes.includes(mode))
    throw new TypeError(
      `${op}: mode must be ${modes.map((m) => `"${m}"`).join(" or ")}, got ${describeValue(mode)}${mode === "wrap" ? " (as JAX's take_along_axis, which has no wrap mode)" : ""}`,
    );
  if (opts.fillValue !== undefined && typeof opts.fillValue !== "number")
    throw new TypeError(`${op}: fillValue must be a number, got ${describeValue(opts.fillValue)}`);
  if (opts.fillValue !== undefined && mode !== "fill")
    throw new TypeError(`${op}: fillValue only applies to mode "fill", got mode "${mode}"`);
  return mode;
}

/** JAX's fill for out-of-range reads: NaN for floats, int32's minimum, uint32's maximum, true for bool. */
export function defaultFill(dtype: DType): number {
  if (dtype === "int32") return -2147483648;
  if (dtype === "uint32") return 4294967295;
  if (dtype === "bool") return 1;
  return Number.NaN;
}

/**
 * In-range int32 indices for a gather along an axis of size `n`, and (fill mode only, when some
 * index may be out of range) `valid`: a bool array of the indices' shape, true where the read is
 * real. Static lists are resolved here; traced indices get the equivalent elementwise ops.
 */
export function modeIndices(
  op: string,
  indices: Array | readonly number[],
  n: number,
  mode: IndexMode,
): { idx: Array; valid: Array | null } {
  if (!isArray(indices)) return staticModeIndices(op, indices, n, mode);
  if (!isInt(indices.dtype))
    throw new TypeError(`${op}: indices must be int32 or uint32, got ${indices.dtype}; cast with x.astype("int32")`);
  if (n === 0 && mode !== "fill" && indices.size > 0)
    throw new IndexError(`${op}: cannot index an axis of size 0 with mode "${mode}"`);
  const top = Math.max(n - 1, 0);
  if (indices.dtype === "uint32") {
    // Unsigned: no negatives; compare before the cast so values >= 2^31 stay out of range.
    const c = (v: number) => L.fullLike(indices, v);
    if (mode === "wrap") return { idx: castTo(L.binary("rem", indices, c(n)), "int32"), valid: null };
    const idx = castTo(L.binary("min", indices, c(top)), "int32");
    return { idx, valid: mode === "fill" ? L.binary("lt", indices, c(n)) : null };
  }
  const i = castTo(indices, "int32");
  const c = (v: number) => L.fullLike(i, v);
  const clamp = (v: Array) => L.binary("min", L.binary("max", v, c(0)), c(top));
  if (mode === "clip") return { idx: clamp(i), valid: null };
  if (mode === "wrap") {
    const r = L.binary("rem", i, c(n));
    return { idx: L.select(L.binary("lt", r, c(0)), L.add(r, c(n)), r), valid: null };
  }
  const wrapped = L.select(L.binary("lt", i, c(0)), L.add(i, c(n)), i);
  if (mode === "wrapClip") return { idx: clamp(wrapped), valid: null };
  const valid = L.binary("and", L.binary("ge", wrapped, c(0)), L.binary("lt", wrapped, c(n)));
  return { idx: clamp(wrapped), valid };
}

function staticModeIndices(
  op: string,
  list: readonly number[],
  n: number,
  mode: IndexMode,
): { idx: Array; valid: Array | null } {
  if (!globalThis.Array.isArray(list))
    throw new TypeError(
      `${op}: indices must be an int32/uint32 array or a list of integers, got ${describeValue(list)}`,
    );
  const idx = new Int32Array(list.length),
    valid = new Uint8Array(list.length);
  for (let j = 0; j < list.length; j++) {
    const v: unknown = list[j];
    if (!(j in list) || typeof v !== "number" || !Number.isInteger(v))
      throw new TypeError(
        `${op}: index lists must hold integers, got ${j in list ? describeValue(v) : "a hole"} at position ${j}`,
      );
    if (n === 0 && mode !== "fill") throw new IndexError(`${op}: cannot index an axis of size 0 with mode "${mode}"`);
    const once = v < 0 ? v + n : v;
    const w = mode === "wrap" ? ((v % n) + n) % n : mode === "clip" ? Math.min(Math.max(v, 0), n - 1) : once;
    valid[j] = mode === "wrapClip" || (w >= 0 && w < n) ? 1 : 0;
    idx[j] = Math.min(Math.max(w, 0), Math.max(n - 1, 0));
  }
  const shape = [list.length];
  const allValid = valid.every((b) => b === 1);
  return { idx: fromTypedArray(idx, shape, "int32"), valid: allValid ? null : fromTypedArray(valid, shape, "bool") };
}

/**
 * `out` with the fill wherever `valid` is false; `valid` is laid out along out's axes `dims`
 * (default: numpy broadcasting). The select also gives out-of-range reads a zero cotangent.
 */
export function applyFill(out: Array, valid: Array | null, fillValue: number | undefined, dims?: number[]): Array {
  if (!valid) return out;
  const fill = L.full(out.aval, fillValue ?? defaultFill(out.dtype));
  const v = dims ? L.broadcastInDim(valid, out.shape, dims) : broadcastArray(valid, out.shape);
  return L.select(v, out, fill);
}
