/**
 * The batching interpreter (vmap's): each value carries the position of its batch axis, and every
 * primitive's batching rule moves or broadcasts axes so one batched computation stands for many.
 */
import type { Array } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { NestedTrace, type Trace, Tracer, bind, currentTrace, withTrace } from "../core/trace.js";
import { requireRule, type BatchDim } from "../core/rules.js";
import type { PrimName, PrimParams } from "../core/primitives.js";
import { broadcastInDim, moveAxis } from "../core/ops.js";

export class BatchTracer extends Tracer {
  readonly aval: ShapedArray;
  constructor(
    readonly trace: BatchTrace,
    readonly val: Array,
    readonly bdim: number,
  ) {
    super();
    const a = val.aval;
    this.aval = new ShapedArray(
      a.shape.filter((_, i) => i !== bdim),
      a.dtype,
      a.weakType,
    );
    Object.freeze(this);
  }
}

export class BatchTrace extends NestedTrace {
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
    const parent = this.parent;
    if (dims.every((d) => d === null)) return withTrace(parent, () => bind(prim, vals, params));
    const rule = requireRule(prim, "batch", this.transform);
    const [outs, outDims] = withTrace(parent, () => rule(vals, dims, params, this.axisSize));
    if (outDims.length !== outs.length)
      throw new Error(
        `internal error: ${prim}'s batching rule gave ${outDims.length} batch dims for ${outs.length} results`,
      );
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
    return broadcastInDim(
      x,
      shape,
      x.shape.map((_, i) => (i < to ? i : i + 1)),
    );
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
  if (inDims.length !== args.length)
    throw new Error(`internal error: ${transform}: ${inDims.length} batch dims for ${args.length} arguments`);
  const trace = new BatchTrace(currentTrace(), transform, axisSize);
  try {
    const ins = args.map((a, i) => {
      const d = inDims[i]!; // i < args.length = inDims.length
      return d === null ? a : new BatchTracer(trace, a, d);
    });
    const outs = withTrace(trace, () => f(...ins));
    return outs.map((o, i) => {
      const [v, d] = trace.unpack(o);
      const oa = outAxes(i);
      if (oa === null) {
        if (d !== null)
          throw new Error(`${transform}: output ${i} depends on the mapped axis but its outAxes entry is null`);
        return v;
      }
      const nd = v.ndim + (d === null ? 1 : 0);
      if (oa < -nd || oa >= nd)
        throw new RangeError(
          `${transform}: outAxes ${oa} is out of range for output ${i} of rank ${nd - 1} (valid: ${-nd} to ${nd - 1})`,
        );
      return placeBatchAxis(v, d, oa < 0 ? oa + nd : oa, axisSize);
    });
  } finally {
    trace.valid = false;
  }
}
