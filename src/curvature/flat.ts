/**
 * A pytree of parameters seen as one flat float64 vector on the host: the coordinates Lanczos and
 * power iteration work in. Leaves keep their own shapes and dtypes on the way back.
 */
import { Array, describeValue } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { isFloat } from "../core/dtype.js";
import * as np from "../numpy/index.js";
import { flatten, unflatten, type PyTreeDef } from "../tree/index.js";
import { readVectors, type Reading } from "./host-read.js";

/** The leaves of a parameter pytree as arrays: JS numbers become float32 scalars. */
export function paramLeaves(params: unknown, op: string, what = "params"): [Array[], PyTreeDef] {
  if (params === undefined) throw new TypeError(`${op}: ${what} is undefined; pass an array or a pytree of arrays`);
  const [leaves, def] = flatten(params);
  const arrays = leaves.map((l, i) => {
    if (l instanceof Array) return l;
    if (typeof l === "number") return np.array(l, { dtype: "float32" });
    throw new TypeError(`${op}: ${what} leaf ${i} must be a graft array or a number; found ${describeValue(l)}`);
  });
  return [arrays, def];
}

/** Flat float64 coordinates for a parameter pytree. */
export class FlatSpace<P = unknown> {
  readonly leaves: Array[];
  readonly def: PyTreeDef;
  readonly shapes: number[][];
  readonly dtypes: DType[];
  /** Total number of parameters. */
  readonly size: number;

  constructor(
    params: P,
    readonly op: string,
  ) {
    const [leaves, def] = paramLeaves(params, op);
    leaves.forEach((l, i) => {
      if (!isFloat(l.dtype))
        throw new TypeError(
          `${op}: params leaf ${i} has dtype ${l.dtype}; curvature needs float32/float64 parameters (convert with .astype("float32"))`,
        );
    });
    this.leaves = leaves;
    this.def = def;
    this.shapes = leaves.map((l) => [...l.shape]);
    this.dtypes = leaves.map((l) => l.dtype);
    this.size = leaves.reduce((n, l) => n + l.size, 0);
  }

  /** The parameters themselves (numbers turned into arrays), with the original structure. */
  get params(): P {
    return unflatten(this.def, this.leaves) as P;
  }

  /**
   * A pytree with this structure read back as one float64 vector (leaves in flatten order, each
   * row-major); every leaf is read in the same request.
   */
  *readVector(t: unknown, what = "tree"): Reading<Float64Array> {
    const [leaves, def] = paramLeaves(t, this.op, what);
    if (!def.equals(this.def))
      throw new Error(`${this.op}: ${what} must have the structure of params; got ${def} but params are ${this.def}`);
    leaves.forEach((l, i) => {
      // Same structure as params (checked above), so shapes[i] exists.
      if (l.shape.join() !== this.shapes[i]!.join())
        throw new Error(
          `${this.op}: ${what} leaf ${i} has shape [${l.shape}] but the params leaf has shape [${this.shapes[i]}]`,
        );
    });
    const parts = yield* readVectors(leaves, this.op);
    const out = new Float64Array(this.size);
    let offset = 0;
    parts.forEach((part) => {
      out.set(part, offset);
      offset += part.length;
    });
    return out;
  }

  /** A flat vector back as a pytree shaped like params (each leaf in its params leaf's dtype). */
  fromVector(v: ArrayLike<number>): P {
    if (v.length !== this.size)
      throw new RangeError(`${this.op}: vector has length ${v.length}, expected ${this.size}`);
    const src = v instanceof Float64Array ? v : Float64Array.from(v);
    let start = 0;
    const leaves = this.leaves.map((leaf) => {
      const piece = src.subarray(start, start + leaf.size);
      start += leaf.size;
      return np.array(piece, { shape: [...leaf.shape], dtype: leaf.dtype });
    });
    return unflatten(this.def, leaves) as P;
  }
}
