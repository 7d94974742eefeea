/** Creating arrays from JS data and from shapes. */
import { checkOptions } from "../core/options.js";
import { Array, type ArrayOrScalar, isArray } from "../core/array.js";
import { allocate, castScalar, checkAllocation, checkDType, type DType, type TypedArray } from "../core/dtype.js";
import { checkStaticShape, sizeOf } from "../core/shape.js";
import { fromTypedArray } from "../core/eval.js";
import { bind1 } from "../core/trace.js";
import { full as laxFull } from "../core/ops.js";
import { asArray as coreAsArray, castTo } from "../core/convert.js";

const DTYPE_ONLY = ["dtype"] as const;

export type NestedNumbers = number | boolean | readonly NestedNumbers[];
export interface DTypeOption {
  dtype?: DType;
}

const checkShape = (shape: readonly number[], op: string): number[] => checkStaticShape(op, shape);

/** A short rendering of a JS list for messages, with holes shown as `<hole>`. */
function preview(list: readonly unknown[]): string {
  const n = Math.min(list.length, 8);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = list[i];
    items.push(
      !(i in list)
        ? "<hole>"
        : typeof v === "number" || typeof v === "boolean"
          ? String(v)
          : globalThis.Array.isArray(v)
            ? "[…]"
            : v === null
              ? "null"
              : typeof v,
    );
  }
  if (list.length > n) items.push("…");
  return `[${items.join(", ")}]`;
}

function inferShape(data: NestedNumbers, op: string): number[] {
  const shape: number[] = [];
  let cur: NestedNumbers = data;
  while (globalThis.Array.isArray(cur)) {
    shape.push(cur.length);
    const first: NestedNumbers | undefined = (cur as readonly NestedNumbers[])[0];
    if (first === undefined) break; // an empty list (or a hole, reported below): its axis is the last
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
    const list = x as readonly NestedNumbers[];
    for (let i = 0; i < list.length; i++) {
      // Holes (`[1, , 3]`) are skipped by forEach and flat(): reject them rather than shift the data.
      if (!(i in list))
        throw new TypeError(
          `${op}: element ${path}[${i}] of ${preview(list)} is a hole (sparse arrays are not allowed); fill it, e.g. Array.from(list, (v) => v ?? 0)`,
        );
      check(list[i]!, dim + 1, `${path}[${i}]`);
    }
  };
  check(data, 0, "");
  return shape;
}

/** The dtype a typed array's elements map to, or null when graft has no such dtype. */
const dtypeOfTyped = (d: ArrayBufferView): DType | null =>
  d instanceof Float32Array
    ? "float32"
    : d instanceof Float64Array
      ? "float64"
      : d instanceof Int32Array
        ? "int32"
        : d instanceof Uint32Array
          ? "uint32"
          : null;

/** Reads a typed array (any element type but BigInt) into a new buffer of `dtype` (bool: nonzero is true). */
function fromView(op: string, src: ArrayBufferView, opts: DTypeOption & { shape?: readonly number[] }): Array {
  const kind = src.constructor.name;
  if (src instanceof DataView)
    throw new TypeError(
      `${op}: got a DataView, which has no element type; pass a typed array over its bytes instead, e.g. new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4)`,
    );
  if (src instanceof BigInt64Array || src instanceof BigUint64Array)
    throw new TypeError(
      `${op}: got a ${kind}, but graft has no 64-bit integer dtypes; convert it first, e.g. Float64Array.from(x, Number) or Int32Array.from(x, Number)`,
    );
  const elems = src as TypedArray;
  const dt = opts.dtype ?? dtypeOfTyped(src);
  if (dt === null) {
    const name = kind
      .replace(/Array$/, "")
      .replace("Clamped", "")
      .toLowerCase();
    throw new TypeError(
      `${op}: got a ${kind}, but graft has no ${name} dtype; convert it first (e.g. Int32Array.from(x)), or pass { dtype } explicitly` +
        (src instanceof Uint8Array ? ` ({ dtype: "bool" } reads it as booleans: nonzero is true)` : ""),
    );
  }
  const shape = opts.shape ? checkShape(opts.shape, op) : [elems.length];
  if (sizeOf(shape) !== elems.length)
    throw new Error(
      `${op}: shape [${shape.join(", ")}] has ${sizeOf(shape)} elements but the ${kind} has ${elems.length}; pass a shape with that many elements`,
    );
  const buf = allocate(dt, elems.length, op, shape);
  if (dt === "bool") for (let i = 0; i < elems.length; i++) buf[i] = castScalar(elems[i]!, "bool");
  else buf.set(elems);
  return fromTypedArray(buf, shape, dt);
}

/**
 * An array from nested JS arrays, a number, or a typed array (copied). Numbers default to float32,
 * booleans to bool; `dtype` overrides. For a typed array, pass `shape` to reshape a flat buffer.
 *
 * Typed arrays keep their element type when graft has it (Float32Array → float32, Float64Array →
 * float64, Int32Array → int32, Uint32Array → uint32). Other element types need an explicit
 * `dtype`: graft has no uint8, int8, int16 or uint16 dtype, so a Uint8Array (or Int16Array…)
 * without `dtype` is an error rather than a silent reinterpretation; convert it
 * (`Int32Array.from(u8)`) or pass `{ dtype: "bool" }` (or another dtype) to convert its values.
 * BigInt64Array/BigUint64Array and DataView are not accepted.
 *
 * With `dtype: "bool"`, every nonzero value is stored as true (1), so `sum` counts trues.
 * Sparse JS arrays (`[1, , 3]`) are rejected.
 *
 * @example
 * np.array([[1, 2], [3, 4]]);            // float32[2,2]
 * np.array([1, 2, 3], { dtype: "int32" });
 * np.array(new Uint8Array([0, 5]), { dtype: "bool" }); // [false, true]
 */
export function array(
  data: NestedNumbers | TypedArray | Array,
  opts: DTypeOption & { shape?: readonly number[] } = {},
): Array {
  checkOptions("array", opts, ["dtype", "shape"]);
  const dtype = opts.dtype === undefined ? undefined : checkDType(opts.dtype, "array");
  if (isArray(data)) return dtype ? castTo(data, dtype) : data;
  if (ArrayBuffer.isView(data)) return fromView("array", data, { ...opts, dtype });
  if (data instanceof Array)
    throw new TypeError(
      "array: got an object that claims to be a graft array but was not created by graft (a Proxy, or made with Object.create); pass the array itself",
    );
  const shape = inferShape(data, "array");
  const flat = globalThis.Array.isArray(data)
    ? ((data as readonly NestedNumbers[]).flat(Infinity as 1) as (number | boolean)[])
    : [data as number | boolean];
  const dt = dtype ?? (flat.length > 0 && flat.every((v) => typeof v === "boolean") ? "bool" : "float32");
  const outShape = opts.shape ? checkShape(opts.shape, "array") : shape;
  if (sizeOf(outShape) !== flat.length)
    throw new Error(
      `array: shape [${outShape.join(", ")}] has ${sizeOf(outShape)} elements but the data has ${flat.length}; pass a shape with that many elements`,
    );
  const buf = allocate(dt, flat.length, "array", outShape);
  if (dt === "bool") for (let i = 0; i < flat.length; i++) buf[i] = castScalar(+flat[i]!, "bool");
  else for (let i = 0; i < flat.length; i++) buf[i] = +flat[i]!;
  return fromTypedArray(buf, outShape, dt);
}

/**
 * `x` as an array: graft arrays are returned as they are; JS numbers become weakly typed scalars
 * (integers int32, others float32) and booleans bool scalars. Lists and typed arrays are not
 * converted here (they would be copied): use `np.array(data)`. `op` names the caller in errors.
 *
 * @example np.asArray(2).dtype // "int32"
 */
export function asArray(x: ArrayOrScalar, op = "asArray"): Array {
  return coreAsArray(x, op);
}

/** An array of `value` with the given shape. @example np.full([2, 3], 7) */
export function full(shape: readonly number[], value: number | boolean, opts: DTypeOption = {}): Array {
  return fullNamed("full", shape, value, opts);
}
function fullNamed(op: string, shape: readonly number[], value: number | boolean, opts: DTypeOption): Array {
  checkOptions(op, opts, DTYPE_ONLY);
  if (typeof value !== "number" && typeof value !== "boolean")
    throw new TypeError(`${op}: the fill value must be a number or boolean, got ${typeof value}`);
  const dtype = checkDType(opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32"), op);
  const s = checkShape(shape, op);
  checkAllocation(op, s, dtype);
  return laxFull({ shape: s, dtype }, +value);
}
/** Zeros of the given shape (float32 unless `dtype`). @example np.zeros([2, 2]) */
export const zeros = (shape: readonly number[], opts: DTypeOption = {}): Array => fullNamed("zeros", shape, 0, opts);
/** Ones of the given shape. @example np.ones([2]) // array([1., 1.]) */
export const ones = (shape: readonly number[], opts: DTypeOption = {}): Array => fullNamed("ones", shape, 1, opts);
/**
 * `full` with `x`'s shape and (by default) dtype.
 * @example np.fullLike(np.array([1, 2], { dtype: "int32" }), 7) // array([7, 7])
 */
export const fullLike = (x: Array, value: number | boolean, opts: DTypeOption = {}): Array => {
  checkOptions("fullLike", opts, DTYPE_ONLY);
  return full(x.shape, value, { dtype: opts.dtype ?? x.dtype });
};
/** Zeros with `x`'s shape and (by default) dtype. @example np.zerosLike(np.array([[1, 2]])) // array([[0., 0.]]) */
export const zerosLike = (x: Array, opts: DTypeOption = {}): Array => fullLike(x, 0, opts);
/**
 * Ones with `x`'s shape and (by default) dtype.
 * @example np.onesLike(np.array([1, 2], { dtype: "int32" })) // array([1, 1])
 */
export const onesLike = (x: Array, opts: DTypeOption = {}): Array => fullLike(x, 1, opts);

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop, step?)`.
 * Float32 unless `dtype` (use int32 for indices).
 *
 * @example
 * np.arange(3); // array([0., 1., 2.])
 * np.arange(1, 2, 0.25); // array([1.  , 1.25, 1.5 , 1.75])
 * np.arange(3, { dtype: "int32" }); // array([0, 1, 2])
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
  checkOptions("arange", opts, DTYPE_ONLY);
  const dtype = checkDType(opts.dtype ?? "float32", "arange");
  const buf = allocate(dtype, n, "arange", [n]);
  for (let i = 0; i < n; i++) buf[i] = dtype === "bool" ? castScalar(start + i * step, "bool") : start + i * step;
  return fromTypedArray(buf, [n], dtype);
}

/**
 * `num` evenly spaced values from start to stop (inclusive unless `endpoint: false`).
 * @example
 * np.linspace(0, 1, 5); // array([0.  , 0.25, 0.5 , 0.75, 1.  ])
 * np.linspace(0, 1, 4, { endpoint: false }); // array([0.  , 0.25, 0.5 , 0.75])
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: DTypeOption & { endpoint?: boolean } = {},
): Array {
  if (!Number.isInteger(num) || num < 0)
    throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  checkOptions("linspace", opts, ["dtype", "endpoint"]);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const dtype = checkDType(opts.dtype ?? "float32", "linspace");
  const buf = allocate(dtype, num, "linspace", [num]);
  for (let i = 0; i < num; i++) {
    const v = endpoint && i === num - 1 && num > 1 ? stop : start + i * step;
    buf[i] = dtype === "bool" ? castScalar(v, "bool") : v;
  }
  return fromTypedArray(buf, [num], dtype);
}

/** The n×m identity (ones on diagonal k). @example np.eye(3) */
export function eye(n: number, m = n, opts: DTypeOption & { k?: number } = {}): Array {
  checkOptions("eye", opts, ["dtype", "k"]);
  const dtype = checkDType(opts.dtype ?? "float32", "eye");
  const k = opts.k ?? 0;
  checkShape([n, m], "eye");
  const buf = allocate(dtype, n * m, "eye", [n, m]);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) buf[i * m + i + k] = 1;
  return fromTypedArray(buf, [n, m], dtype);
}

/**
 * The index along `dimension` broadcast to `shape` (a traceable iota).
 * @example np.iota([2, 3], 1).tolist() // [[0, 1, 2], [0, 1, 2]]
 */
export function iota(shape: readonly number[], dimension: number, opts: DTypeOption = {}): Array {
  const s = checkShape(shape, "iota");
  checkOptions("iota", opts, DTYPE_ONLY);
  const dtype = opts.dtype ?? "int32";
  checkAllocation("iota", s, dtype);
  return bind1("iota", [], { shape: s, dimension, dtype });
}
