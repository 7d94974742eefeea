/** Creating arrays from JS data and from shapes. */
import { Array } from "../core/array.js";
import { allocate, checkDType, type DType, type TypedArray } from "../core/dtype.js";
import { checkStaticShape, sizeOf } from "../core/shape.js";
import { fromTypedArray } from "../core/eval.js";
import { bind1 } from "../core/trace.js";
import { full as laxFull } from "../core/ops.js";
import { castTo } from "../core/convert.js";

export type NestedNumbers = number | boolean | readonly NestedNumbers[];
export interface DTypeOption {
  dtype?: DType;
}

const checkShape = (shape: readonly number[], op: string): number[] => checkStaticShape(op, shape);

function inferShape(data: NestedNumbers, op: string): number[] {
  const shape: number[] = [];
  let cur: NestedNumbers = data;
  while (globalThis.Array.isArray(cur)) {
    shape.push(cur.length);
    const first: NestedNumbers | undefined = (cur as readonly NestedNumbers[])[0];
    if (first === undefined) break; // an empty list: its size-0 axis is the last
    cur = first;
  }
  const check = (x: NestedNumbers, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof x !== "number" && typeof x !== "boolean")
        throw new TypeError(
          `${op}: ragged or invalid nested array: expected a number at ${path || "the top"}, found ${globalThis.Array.isArray(x) ? "a list" : typeof x}`,
        );
      return;
    }
    if (!globalThis.Array.isArray(x) || x.length !== shape[dim])
      throw new TypeError(
        `${op}: ragged nested array: ${path || "the top level"} has ${globalThis.Array.isArray(x) ? `length ${x.length}` : "a scalar"} but its siblings have length ${shape[dim]} (expected shape [${shape.join(", ")}])`,
      );
    (x as readonly NestedNumbers[]).forEach((y, i) => check(y, dim + 1, `${path}[${i}]`));
  };
  check(data, 0, "");
  return shape;
}

const dtypeOfTyped = (d: TypedArray): DType =>
  d instanceof Float64Array
    ? "float64"
    : d instanceof Int32Array
      ? "int32"
      : d instanceof Uint32Array
        ? "uint32"
        : d instanceof Uint8Array
          ? "bool"
          : "float32";

/**
 * An array from nested JS arrays, a number, or a typed array (copied). Numbers default to float32,
 * booleans to bool; `dtype` overrides. For a typed array, pass `shape` to reshape a flat buffer.
 *
 * @example
 * np.array([[1, 2], [3, 4]]);            // float32[2,2]
 * np.array([1, 2, 3], { dtype: "int32" });
 */
export function array(
  data: NestedNumbers | TypedArray | Array,
  opts: DTypeOption & { shape?: readonly number[] } = {},
): Array {
  const dtype = opts.dtype === undefined ? undefined : checkDType(opts.dtype, "array");
  if (data instanceof Array) return dtype ? castTo(data, dtype) : data;
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const shape = opts.shape ? checkShape(opts.shape, "array") : [src.length];
    if (sizeOf(shape) !== src.length)
      throw new Error(`array: shape [${shape.join(", ")}] does not match ${src.length} elements`);
    const dt = dtype ?? dtypeOfTyped(src);
    const buf = allocate(dt, src.length);
    buf.set(src);
    return fromTypedArray(buf, shape, dt);
  }
  const shape = inferShape(data, "array");
  const flat = globalThis.Array.isArray(data)
    ? ((data as readonly NestedNumbers[]).flat(Infinity as 1) as (number | boolean)[])
    : [data as number | boolean];
  const dt = dtype ?? (flat.length > 0 && flat.every((v) => typeof v === "boolean") ? "bool" : "float32");
  const buf = allocate(dt, flat.length);
  for (let i = 0; i < flat.length; i++) buf[i] = +flat[i]!;
  const out = fromTypedArray(buf, opts.shape ? checkShape(opts.shape, "array") : shape, dt);
  if (sizeOf(out.shape) !== flat.length)
    throw new Error(`array: shape [${opts.shape}] does not match ${flat.length} elements`);
  return out;
}

/** An array of `value` with the given shape. @example np.full([2, 3], 7) */
export function full(shape: readonly number[], value: number | boolean, opts: DTypeOption = {}): Array {
  return fullNamed("full", shape, value, opts);
}
function fullNamed(op: string, shape: readonly number[], value: number | boolean, opts: DTypeOption): Array {
  if (typeof value !== "number" && typeof value !== "boolean")
    throw new TypeError(`${op}: the fill value must be a number or boolean, got ${typeof value}`);
  const dtype = checkDType(opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32"), op);
  return laxFull({ shape: checkShape(shape, op), dtype }, +value);
}
/** Zeros of the given shape (float32 unless `dtype`). @example np.zeros([2, 2]) */
export const zeros = (shape: readonly number[], opts: DTypeOption = {}): Array => fullNamed("zeros", shape, 0, opts);
/** Ones of the given shape. */
export const ones = (shape: readonly number[], opts: DTypeOption = {}): Array => fullNamed("ones", shape, 1, opts);
/** `full` with `x`'s shape and (by default) dtype. */
export const fullLike = (x: Array, value: number | boolean, opts: DTypeOption = {}): Array =>
  full(x.shape, value, { dtype: opts.dtype ?? x.dtype });
export const zerosLike = (x: Array, opts: DTypeOption = {}): Array => fullLike(x, 0, opts);
export const onesLike = (x: Array, opts: DTypeOption = {}): Array => fullLike(x, 1, opts);

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop, step?)`.
 * Float32 unless `dtype` (use int32 for indices).
 */
export function arange(stop: number, opts?: DTypeOption): Array;
export function arange(start: number, stop?: number, step?: number, opts?: DTypeOption): Array;
export function arange(start: number, stopOrOpts?: number | DTypeOption, step = 1, opts: DTypeOption = {}): Array {
  let stop: number | undefined;
  if (typeof stopOrOpts === "object" && stopOrOpts !== null) opts = stopOrOpts;
  else stop = stopOrOpts;
  if (stop === undefined) [start, stop] = [0, start];
  for (const [k, v] of [
    ["start", start],
    ["stop", stop],
  ] as const)
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new RangeError(`arange: ${k} must be a finite number, got ${String(v)}`);
  if (step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = checkDType(opts.dtype ?? "float32", "arange");
  const buf = allocate(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = start + i * step;
  return fromTypedArray(buf, [n], dtype);
}

/** `num` evenly spaced values from start to stop (inclusive unless `endpoint: false`). */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: DTypeOption & { endpoint?: boolean } = {},
): Array {
  if (!Number.isInteger(num) || num < 0)
    throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const dtype = checkDType(opts.dtype ?? "float32", "linspace");
  const buf = allocate(dtype, num);
  for (let i = 0; i < num; i++) buf[i] = endpoint && i === num - 1 && num > 1 ? stop : start + i * step;
  return fromTypedArray(buf, [num], dtype);
}

/** The n×m identity (ones on diagonal k). @example np.eye(3) */
export function eye(n: number, m = n, opts: DTypeOption & { k?: number } = {}): Array {
  const dtype = checkDType(opts.dtype ?? "float32", "eye");
  const k = opts.k ?? 0;
  checkShape([n, m], "eye");
  const buf = allocate(dtype, n * m);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) buf[i * m + i + k] = 1;
  return fromTypedArray(buf, [n, m], dtype);
}

/** The index along `dimension` broadcast to `shape` (a traceable iota). */
export function iota(shape: readonly number[], dimension: number, opts: DTypeOption = {}): Array {
  return bind1("iota", [], { shape: checkShape(shape, "iota"), dimension, dtype: opts.dtype ?? "int32" });
}
