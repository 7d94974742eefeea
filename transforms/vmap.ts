/** `vmap`: vectorizing map. The batch interpreter carries each value with the position of its batch axis. */
import type { Array } from "../src/core/array.js";
import { ShapedArray } from "../src/core/aval.js";
import { Trace, Tracer, bind, currentTrace, withTrace } from "../src/core/trace.js";
import { requireRule, type BatchDim } from "../src/lax/rules.js";
import type { PrimName, PrimParams } from "../src/lax/params.js";
import { broadcastInDim, moveAxis } from "../src/lax/ops.js";
import { broadcastPrefix, unflatten, type PyTreeDef } from "../src/tree/index.js";
import { flattenArrays, flatFn, frozen } from "./args.js";

export class BatchTracer extends Tracer {
  readonly aval: ShapedArray;
  constructor(
    readonly trace: BatchTrace,
    readonly val: Array,
    readonly bdim: number,
  ) {
    super();
    const a = val.aval;
    this.aval = new ShapedArray(a.shape.filter((_, i) => i !== bdim), a.dtype, a.weakType);
  }
}

export class BatchTrace extends Trace {
  constructor(
    parent: Trace,
    transform: string,
    readonly axisSize: number,
  ) {
    super(parent, transform);
  }
  unpack(x: Array): [Array, BatchDim] {
    if (x instanceof BatchTracer && this.owns(x)) return [x.val, x.bdim];
    if (x instanceof Tracer) this.owns(x);
    return [x, null];
  }
  processPrimitive<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[] {
    const vals: Array[] = [];
    const dims: BatchDim[] = [];
    for (const a of args) {
      const [v, d] = this.unpack(a);
      vals.push(v);
      dims.push(d);
    }
    const parent = this.parent!;
    if (dims.every((d) => d === null)) return withTrace(parent, () => bind(prim, vals, params));
    const rule = requireRule(prim, "batch", this.transform);
    const [outs, outDims] = withTrace(parent, () => rule(vals, dims, params, this.axisSize));
    return outs.map((o, i) => {
      const d = outDims[i]!;
      return d === null ? o : new BatchTracer(this, o, d);
    });
  }
}

/** Moves (or broadcasts) a value's batch axis to `to`. */
export function placeBatchAxis(x: Array, d: BatchDim, to: number, axisSize: number): Array {
  if (d === null) {
    const shape = [...x.shape];
    shape.splice(to, 0, axisSize);
    return broadcastInDim(x, shape, x.shape.map((_, i) => (i < to ? i : i + 1)));
  }
  return moveAxis(x, d, to);
}

/** vmap on flat lists; `outAxes[i] === null` requires output i not to depend on the batch. */
export function vmapFlat(
  f: (...xs: Array[]) => readonly Array[],
  args: readonly Array[],
  inDims: readonly BatchDim[],
  axisSize: number,
  outAxes: (i: number) => number | null,
  transform = "vmap",
): Array[] {
  const trace = new BatchTrace(currentTrace(), transform, axisSize);
  try {
    const ins = args.map((a, i) => (inDims[i] === null ? a : new BatchTracer(trace, a, inDims[i]!)));
    const outs = withTrace(trace, () => f(...ins));
    return outs.map((o, i) => {
      const [v, d] = trace.unpack(o);
      const oa = outAxes(i);
      if (oa === null) {
        if (d !== null) throw new Error(`${transform}: output ${i} depends on the mapped axis but its outAxes entry is null`);
        return v;
      }
      const nd = v.ndim + (d === null ? 1 : 0);
      if (oa < -nd || oa >= nd) throw new RangeError(`${transform}: outAxes ${oa} is out of range for output ${i} of rank ${nd - 1}`);
      return placeBatchAxis(v, d, oa < 0 ? oa + nd : oa, axisSize);
    });
  } finally {
    trace.valid = false;
  }
}

export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [k: string]: AxisSpec };

export interface VmapOptions {
  /** Which axis of each argument to map over: a pytree prefix of the arguments tuple (`null` = not mapped). Default 0. */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output: a pytree prefix of the output. Default 0. */
  outAxes?: AxisSpec;
  /** The batch size, required only when no argument is mapped. */
  axisSize?: number;
}

const isAxisLeaf = (x: unknown): boolean => x === null || typeof x === "number";

/**
 * Vectorizes `f` over a leading (or chosen) axis of its arguments, as if it were applied to each
 * slice and the results stacked — but in one batched computation.
 *
 * @example
 * const dots = vmap((a: Array, b: Array) => np.dot(a, b));
 * dots(np.ones([8, 3]), np.ones([8, 3])); // shape [8]
 */
export function vmap<A extends unknown[], R>(f: (...args: A) => R, opts: VmapOptions = {}): (...args: A) => R {
  // `null` is meaningful (unmapped), so only `undefined` takes the default.
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxesSpec = opts.outAxes === undefined ? 0 : opts.outAxes;
  return (...args: A): R => {
    const [flat, inDef] = flattenArrays(args, "vmap", "arguments", "asArray");
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length)
      throw new Error(`vmap: inAxes has ${inAxes.length} entries but the function was called with ${args.length} argument(s); give one entry per argument (or a single number for all)`);
    const prefix = typeof inAxes === "number" || inAxes === null ? args.map(() => inAxes) : inAxes;
    const axes = broadcastPrefix(prefix, args, isAxisLeaf) as (number | null)[];
    let size: number | undefined = opts.axisSize;
    let sizeFrom = "";
    const dims = flat.map((x, i) => {
      const ax = axes[i];
      if (ax === null || ax === undefined) return null;
      if (!Number.isInteger(ax) || ax < -x.ndim || ax >= x.ndim)
        throw new RangeError(`vmap: inAxes ${ax} is out of range for argument leaf ${i} of shape [${x.shape.join(", ")}] (rank ${x.ndim})`);
      const d = ax < 0 ? ax + x.ndim : ax;
      const n = x.shape[d]!;
      if (size === undefined) {
        size = n;
        sizeFrom = `leaf ${i} (shape [${x.shape.join(", ")}], axis ${d})`;
      } else if (n !== size)
        throw new Error(`vmap: inconsistent sizes for the mapped axis: ${sizeFrom || "axisSize"} gives ${size}, but leaf ${i} (shape [${x.shape.join(", ")}], axis ${d}) gives ${n}`);
      return d;
    });
    if (size === undefined) throw new Error("vmap: no argument is mapped (all inAxes are null); pass axisSize to say how many copies to make");
    const out: { def?: PyTreeDef } = {};
    let outSpecs: (number | null)[] | undefined;
    const outs = vmapFlat(flatFn(f, inDef, "vmap", out), flat, dims, size, (i) => {
      outSpecs ??= broadcastPrefix(outAxesSpec, unflatten(out.def!, out.def!.numLeaves ? globalThis.Array(out.def!.numLeaves).fill(0) : []), isAxisLeaf) as (number | null)[];
      return outSpecs[i] ?? null;
    });
    return frozen(unflatten(out.def!, outs) as R);
  };
}
