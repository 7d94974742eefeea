/**
 * `Array`: graft's immutable n-dimensional array. Concrete arrays hold a backend buffer; tracers
 * (subclasses living in the transforms) stand for values while a function is being transformed.
 * The methods are sugar over the `numpy` namespace, so `x.add(y).tanh().sum(0)` chains.
 */
import { rowsOf } from "./rows.js";
import type { ShapedArray } from "./aval.js";
import type { DType, TypedArray } from "./dtype.js";
import type { IndexSpec, IndexUpdater } from "./index-types.js";

export type { AtGetOptions, AtUpdateOptions, IndexSpec, IndexUpdater, Slice } from "./index-types.js";

/** A value accepted wherever an array is: an Array or a JS number (weakly typed). */
export type ArrayOrScalar = Array | number | boolean;
type Axis = number | readonly number[] | null;
type KeepDims = { keepdims?: boolean };

type Unary = (x: Array) => Array;
type Binary = (x: Array, y: ArrayOrScalar) => Array;
type Reduction = (x: Array, axis?: Axis, opts?: KeepDims) => Array;

/**
 * The numpy functions the methods delegate to. The numpy layer provides them (`installArrayOps`,
 * called by every package entry point), so the core needs no import of the layers above it.
 */
export interface ArrayOps {
  tolist(x: Array): unknown;
  item(x: Array): number;
  add: Binary;
  subtract: Binary;
  multiply: Binary;
  divide: Binary;
  power: Binary;
  mod: Binary;
  maximum: Binary;
  minimum: Binary;
  negative: Unary;
  abs: Unary;
  sign: Unary;
  square: Unary;
  sqrt: Unary;
  reciprocal: Unary;
  exp: Unary;
  log: Unary;
  sin: Unary;
  cos: Unary;
  tanh: Unary;
  floor: Unary;
  ceil: Unary;
  round: Unary;
  clip(x: Array, lo: ArrayOrScalar | null, hi: ArrayOrScalar | null): Array;
  astype(x: Array, dtype: DType): Array;
  equal: Binary;
  notEqual: Binary;
  less: Binary;
  lessEqual: Binary;
  greater: Binary;
  greaterEqual: Binary;
  sum: Reduction;
  mean: Reduction;
  prod: Reduction;
  max: Reduction;
  min: Reduction;
  all: Reduction;
  any: Reduction;
  argmax(x: Array, axis?: number | null, opts?: KeepDims): Array;
  argmin(x: Array, axis?: number | null, opts?: KeepDims): Array;
  var_(x: Array, axis?: Axis, opts?: KeepDims & { ddof?: number }): Array;
  std(x: Array, axis?: Axis, opts?: KeepDims & { ddof?: number }): Array;
  cumsum(x: Array, axis?: number | null): Array;
  matmul(x: Array, y: Array): Array;
  dot(x: Array, y: Array): Array;
  reshape(x: Array, shape: readonly number[]): Array;
  transpose(x: Array, axes?: readonly number[]): Array;
  expandDims(x: Array, axis: number | readonly number[]): Array;
  squeeze(x: Array, axis?: number | readonly number[]): Array;
  broadcastTo(x: Array, shape: readonly number[]): Array;
  flip(x: Array, axis?: Axis): Array;
  getIndex(x: Array, index: readonly IndexSpec[]): Array;
  at(x: Array, ...index: IndexSpec[]): IndexUpdater;
  take(x: Array, indices: Array | readonly number[] | number, axis?: number): Array;
}

let ops: ArrayOps | undefined;

/** Installs the numpy functions behind the methods (idempotent; called by every entry point). */
export function installArrayOps(impl: ArrayOps): void {
  ops = impl;
}

function np(): ArrayOps {
  if (!ops)
    throw new Error(
      "graft: array methods are not installed. Import graft through its package entry ('graft-ad' or a sub-path such as 'graft-ad/random'), which installs them.",
    );
  return ops;
}

let brandCheck: (x: object) => boolean;

/**
 * True when `x` is an array graft created: a brand check on a private field, so a Proxy of an
 * array or an object made with `Object.create(Array.prototype)` is not taken for one (`instanceof`
 * would be fooled by both).
 */
export function isArray(x: unknown): x is Array {
  return typeof x === "object" && x !== null && brandCheck(x);
}

/**
 * How to describe `x` in an error message: its type, or its class for objects, plus a hint for
 * objects that only pretend to be graft arrays.
 */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x === "function") return "a function";
  if (typeof x === "string") return `string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  if (typeof x !== "object") return `${typeof x} ${String(x)}`;
  if (isArray(x)) return `an array ${x.aval}`;
  if (x instanceof Array)
    return "an object that claims to be a graft array but was not created by graft (a Proxy, or made with Object.create)";
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  if (globalThis.Array.isArray(x)) return "a JS array";
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `an object of class ${name}` : "an object";
}

export abstract class Array {
  // The brand behind `isArray` (private fields do not pass through proxies or prototypes).
  readonly #brand = true;
  static {
    brandCheck = (x) => #brand in x;
  }

  abstract readonly aval: ShapedArray;
  /**
   * The name of the backend that holds (or, for a traced value, will compute) the contents: a
   * read-only string such as "cpu". A traced value reports the default backend's name, the backend
   * `jit` compiles for; `devicePut(x, name)` moves concrete arrays between backends.
   */
  abstract readonly backend: string;

  get shape(): readonly number[] {
    return this.aval.shape;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return this.aval.size;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  /** True when the value came from a JS number and defers to other operands' dtypes. */
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /** Reads the contents back, on any backend. */
  abstract data(): Promise<TypedArray>;
  /** Reads the contents synchronously (CPU backend); throws inside a transform. */
  abstract dataSync(): TypedArray;
  /** Nested JS arrays of numbers (booleans for bool arrays). */
  tolist(): unknown {
    return np().tolist(this);
  }
  /** The single element of a size-1 array as a JS number (bool arrays give 1 or 0; `tolist()` gives booleans). */
  item(): number {
    return np().item(this);
  }
  abstract toString(): string;
  /** Node's console.log shows the NumPy-like text. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // arithmetic
  add(y: ArrayOrScalar): Array {
    return np().add(this, y);
  }
  sub(y: ArrayOrScalar): Array {
    return np().subtract(this, y);
  }
  mul(y: ArrayOrScalar): Array {
    return np().multiply(this, y);
  }
  div(y: ArrayOrScalar): Array {
    return np().divide(this, y);
  }
  pow(y: ArrayOrScalar): Array {
    return np().power(this, y);
  }
  mod(y: ArrayOrScalar): Array {
    return np().mod(this, y);
  }
  maximum(y: ArrayOrScalar): Array {
    return np().maximum(this, y);
  }
  minimum(y: ArrayOrScalar): Array {
    return np().minimum(this, y);
  }
  neg(): Array {
    return np().negative(this);
  }
  abs(): Array {
    return np().abs(this);
  }
  sign(): Array {
    return np().sign(this);
  }
  square(): Array {
    return np().square(this);
  }
  sqrt(): Array {
    return np().sqrt(this);
  }
  reciprocal(): Array {
    return np().reciprocal(this);
  }
  exp(): Array {
    return np().exp(this);
  }
  log(): Array {
    return np().log(this);
  }
  sin(): Array {
    return np().sin(this);
  }
  cos(): Array {
    return np().cos(this);
  }
  tanh(): Array {
    return np().tanh(this);
  }
  clip(lo: ArrayOrScalar | null, hi: ArrayOrScalar | null): Array {
    return np().clip(this, lo, hi);
  }
  floor(): Array {
    return np().floor(this);
  }
  ceil(): Array {
    return np().ceil(this);
  }
  round(): Array {
    return np().round(this);
  }
  astype(dtype: DType): Array {
    return np().astype(this, dtype);
  }

  // comparison and logic
  equal(y: ArrayOrScalar): Array {
    return np().equal(this, y);
  }
  notEqual(y: ArrayOrScalar): Array {
    return np().notEqual(this, y);
  }
  less(y: ArrayOrScalar): Array {
    return np().less(this, y);
  }
  lessEqual(y: ArrayOrScalar): Array {
    return np().lessEqual(this, y);
  }
  greater(y: ArrayOrScalar): Array {
    return np().greater(this, y);
  }
  greaterEqual(y: ArrayOrScalar): Array {
    return np().greaterEqual(this, y);
  }

  // reductions
  sum(axis?: Axis, opts?: KeepDims): Array {
    return np().sum(this, axis, opts);
  }
  mean(axis?: Axis, opts?: KeepDims): Array {
    return np().mean(this, axis, opts);
  }
  prod(axis?: Axis, opts?: KeepDims): Array {
    return np().prod(this, axis, opts);
  }
  max(axis?: Axis, opts?: KeepDims): Array {
    return np().max(this, axis, opts);
  }
  min(axis?: Axis, opts?: KeepDims): Array {
    return np().min(this, axis, opts);
  }
  argmax(axis?: number | null, opts?: KeepDims): Array {
    return np().argmax(this, axis, opts);
  }
  argmin(axis?: number | null, opts?: KeepDims): Array {
    return np().argmin(this, axis, opts);
  }
  var(axis?: Axis, opts?: { keepdims?: boolean; ddof?: number }): Array {
    return np().var_(this, axis, opts);
  }
  std(axis?: Axis, opts?: { keepdims?: boolean; ddof?: number }): Array {
    return np().std(this, axis, opts);
  }
  cumsum(axis?: number | null): Array {
    return np().cumsum(this, axis);
  }
  all(axis?: Axis, opts?: KeepDims): Array {
    return np().all(this, axis, opts);
  }
  any(axis?: Axis, opts?: KeepDims): Array {
    return np().any(this, axis, opts);
  }

  // linear algebra
  matmul(y: Array): Array {
    return np().matmul(this, y);
  }
  dot(y: Array): Array {
    return np().dot(this, y);
  }

  // shape
  reshape(...shape: number[] | [readonly number[]]): Array {
    const s = (shape.length === 1 && typeof shape[0] !== "number" ? shape[0] : shape) as readonly number[];
    return np().reshape(this, s);
  }
  transpose(axes?: readonly number[]): Array {
    return np().transpose(this, axes);
  }
  /** The transpose (all axes reversed), like NumPy's `x.T`. */
  get T(): Array {
    return np().transpose(this);
  }
  expandDims(axis: number | readonly number[]): Array {
    return np().expandDims(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Array {
    return np().squeeze(this, axis);
  }
  broadcastTo(shape: readonly number[]): Array {
    return np().broadcastTo(this, shape);
  }
  flatten(): Array {
    return np().reshape(this, [-1]);
  }
  flip(axis?: Axis): Array {
    return np().flip(this, axis);
  }

  // indexing
  /** NumPy-style basic and advanced indexing: `x.get(0, slice(1, 3), null)` or `x.get("0, 1:3, None")`. */
  get(...index: IndexSpec[]): Array {
    return np().getIndex(this, index);
  }
  /** Pure indexed updates: `x.at(0, slice(1, 3)).set(v)` returns a new array. */
  at(...index: IndexSpec[]): IndexUpdater {
    return np().at(this, ...index);
  }
  /** Elements at `indices` along `axis` (see `np.take`); a scalar index drops the axis. */
  take(indices: Array | readonly number[] | number, axis?: number): Array {
    return np().take(this, indices, axis);
  }

  /**
   * Iterates over the leading axis (static length, so under tracing too), as NumPy and JAX arrays
   * do; a 0-d array is not iterable, so equality checkers compare it as a plain object.
   * @example const [a, b] = np.array([[1, 2], [3, 4]]); // a: [1, 2], b: [3, 4]
   */
  get [Symbol.iterator](): () => Iterator<Array> {
    return (this.ndim === 0 ? undefined : rowsOf) as () => Iterator<Array>;
  }
}

/**
 * The type of a gradient (cotangent) of a value of type `T`: the same pytree, with an array in place
 * of every array or number.
 */
export type GradOf<T> = T extends Array | number
  ? Array
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: GradOf<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: GradOf<T[K]> }
      : T;
