/** Arrays with contents: a buffer on a backend. Immutable; nothing to free (buffers are garbage-collected). */
import { Array } from "./array.js";
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtype.js";
import type { Backend } from "./backend.js";
import { formatArray } from "./format.js";
import type { Program } from "./program.js";

export class ConcreteArray extends Array {
  constructor(
    readonly aval: ShapedArray,
    readonly backend: Backend<unknown>,
    readonly buffer: unknown,
  ) {
    super();
  }
  override async data(): Promise<TypedArray> {
    return (await this.backend.download(this.buffer, this.aval)).slice();
  }
  override dataSync(): TypedArray {
    return this.readSync().slice();
  }
  /** The backend's own buffer contents, without a defensive copy: internal use only, never mutate. */
  readSync(): TypedArray {
    const read = this.backend.downloadSync;
    if (!read)
      throw new Error(`dataSync: the ${this.backend.name} backend cannot read synchronously; use 'await x.data()'`);
    return read(this.buffer, this.aval);
  }
  override toString(): string {
    return formatArray(this.readSync(), this.aval);
  }
  /** `JSON.stringify(x)` gives the nested lists of values. */
  toJSON(): unknown {
    return this.tolist();
  }
  /** `Number(x)`, `x + 1`, `x > 0` work on concrete size-1 arrays, like NumPy scalars. */
  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "string") return this.toString();
    if (this.aval.size !== 1)
      throw new TypeError(
        `converting an array of shape [${this.aval.shape.join(", ")}] to a number: only size-1 arrays convert`,
      );
    return this.readSync()[0]!;
  }
}

export function isConcrete(x: unknown): x is ConcreteArray {
  return x instanceof ConcreteArray;
}

/**
 * A Program's constants as buffers of `backend`. A constant that lives on another backend is an
 * error naming the explicit transfer: backends never read another backend's data behind the user's back.
 */
export function constantBuffers<B>(program: Program, backend: Backend<B>): B[] {
  return program.consts.map((c, i) => {
    if (!(c instanceof ConcreteArray))
      throw new TypeError(`${backend.name} backend: Program constant ${i} is not a concrete array`);
    if (c.backend !== (backend as Backend<unknown>))
      throw new Error(
        `${backend.name} backend: a constant of a jitted function (${c.aval}) lives on the '${c.backend.name}' backend; ` +
          `move it first with devicePut(x, "${backend.name}"), or pass it as an argument`,
      );
    return c.buffer as B;
  });
}
