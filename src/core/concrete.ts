/**
 * Arrays with contents: a buffer on a backend. Immutable; nothing to free (buffers are garbage-collected).
 *
 * The buffer, the backend object and the abstract value are private (`#` fields): user code cannot
 * reach, replace or write them through the array, and instances are frozen. Internal code reads
 * them through the module functions {@link bufferOf}, {@link backendOf} and {@link readView}, which
 * are not part of the public `Array` type.
 */
import { Array } from "./array.js";
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtype.js";
import type { Backend } from "./backend.js";
import { formatArray, formatUnreadable } from "./format.js";
import type { Program } from "./program.js";

// Only this module constructs concrete arrays (through `concreteArray`): `new x.constructor(...)`
// from user code is rejected, so every concrete array holds a buffer a backend made.
const TOKEN = Symbol("graft.ConcreteArray");

let bufferImpl: (x: ConcreteArray) => unknown;
let backendImpl: (x: ConcreteArray) => Backend<unknown>;
let brandImpl: (x: object) => boolean;

export class ConcreteArray extends Array {
  readonly #aval: ShapedArray;
  readonly #backend: Backend<unknown>;
  readonly #buffer: unknown;

  static {
    bufferImpl = (x) => x.#buffer;
    backendImpl = (x) => x.#backend;
    brandImpl = (x) => #buffer in x;
  }

  /** Internal: use {@link concreteArray} (only graft creates concrete arrays). */
  constructor(token: symbol, aval: ShapedArray, backend: Backend<unknown>, buffer: unknown) {
    if (token !== TOKEN)
      throw new TypeError("graft arrays cannot be constructed directly; use np.array, np.zeros, np.asArray, …");
    super();
    this.#aval = aval;
    this.#backend = backend;
    this.#buffer = buffer;
    Object.freeze(this);
  }
  override get aval(): ShapedArray {
    return this.#aval;
  }
  /** The name of the backend holding the contents ("cpu"…). Move data with `devicePut(x, name)`. */
  override get backend(): string {
    return this.#backend.name;
  }
  override async data(): Promise<TypedArray> {
    return (await this.#backend.download(this.#buffer, this.#aval)).slice();
  }
  override dataSync(): TypedArray {
    return readView(this, "dataSync").slice();
  }
  override toString(): string {
    try {
      if (!this.#backend.downloadSync) return formatUnreadable(this.#aval, this.#backend.name);
      return formatArray(readView(this, "toString"), this.#aval);
    } catch (e) {
      // Printing never throws (console.log, template strings, error messages rely on it).
      return formatUnreadable(this.#aval, this.#backend.name, e);
    }
  }
  /** `JSON.stringify(x)` gives the nested lists of values. */
  toJSON(): unknown {
    return this.tolist();
  }
  /** `Number(x)`, `x + 1`, `x > 0` work on concrete size-1 arrays, like NumPy scalars. */
  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "string") return this.toString();
    if (this.#aval.size !== 1)
      throw new TypeError(
        `converting an array of shape [${this.#aval.shape.join(", ")}] to a number: only size-1 arrays convert`,
      );
    return readView(this, "Number(x)")[0]!;
  }
}

/** A concrete array holding `buffer`, a buffer of `backend` (owned by the array from now on). */
export function concreteArray(aval: ShapedArray, backend: Backend<unknown>, buffer: unknown): ConcreteArray {
  return new ConcreteArray(TOKEN, aval, backend, buffer);
}

/**
 * True for a concrete array graft created (a brand check on the private buffer field: proxies and
 * objects made with `Object.create(ConcreteArray.prototype)` are not concrete arrays).
 */
export function isConcrete(x: unknown): x is ConcreteArray {
  return typeof x === "object" && x !== null && brandImpl(x);
}

/** Internal: the backend's buffer behind `x` (never hand it to user code, never write to it). */
export function bufferOf(x: ConcreteArray): unknown {
  return bufferImpl(x);
}

/** Internal: the backend object holding `x`'s buffer (`x.backend` is only its name). */
export function backendOf(x: ConcreteArray): Backend<unknown> {
  return backendImpl(x);
}

/** True when `x`'s backend can read its contents synchronously (the CPU can; WebGPU cannot). */
export function canReadSync(x: ConcreteArray): boolean {
  return backendImpl(x).downloadSync !== undefined;
}

/**
 * Internal: the contents of `x` as the backend holds them, without a defensive copy (zero-copy on
 * the CPU). Never write to the result and never hand it to user code (`dataSync()` copies).
 * `op` names the caller in the error for backends that only read asynchronously.
 */
export function readView(x: ConcreteArray, op = "dataSync", instead?: string): TypedArray {
  const backend = backendImpl(x);
  const read = backend.downloadSync;
  if (!read)
    throw new Error(
      `${op}: the ${backend.name} backend cannot read synchronously; use 'await x.data()' ` +
        `(or 'await deviceGet(tree)' for a pytree). ${instead ?? SYNC_READ_ALTERNATIVE}`,
    );
  return read(bufferImpl(x), x.aval);
}

/** What to do instead of reading a value in JavaScript, on backends that read only asynchronously. */
const SYNC_READ_ALTERNATIVE =
  "To branch on a value inside a computation, keep it on the device: lax.cond, lax.whileLoop and np.where " +
  'decide there; functions whose output shape depends on values need a CPU backend (withBackend("wasm", …) ' +
  "on arrays from deviceGet).";

/**
 * A Program's constants as buffers of `backend`. A constant that lives on another backend is an
 * error naming the explicit transfer: backends never read another backend's data behind the user's back.
 */
export function constantBuffers<B>(program: Program, backend: Backend<B>): B[] {
  return program.consts.map((c, i) => {
    if (!isConcrete(c)) throw new TypeError(`${backend.name} backend: Program constant ${i} is not a concrete array`);
    const home = backendImpl(c);
    if (home !== (backend as Backend<unknown>))
      throw new Error(
        `${backend.name} backend: a constant of a jitted function (${c.aval}) lives on the '${home.name}' backend; ` +
          `move it first with devicePut(x, "${backend.name}"), or pass it as an argument`,
      );
    return bufferImpl(c) as B;
  });
}
