/** Shared batching helpers for the primitives' vmap rules. */
import type { Array } from "../core/array.js";
import { bind, bind1 } from "../core/trace.js";
import type { PrimName, PrimParams } from "../core/primitives.js";
import type { BatchDim } from "../core/rules.js";
import { broadcastInDim, moveAxis, reshape } from "../core/ops.js";

/** Puts the batch dimension first, broadcasting an unbatched value to the batch size. */
export function batchToFront(x: Array, d: BatchDim, axisSize: number): Array {
  if (d === null)
    return broadcastInDim(
      x,
      [axisSize, ...x.shape],
      x.shape.map((_, i) => i + 1),
    );
  return moveAxis(x, d, 0);
}

/** Moves each batched operand's batch axis to the front; unbatched operands stay as they are. */
export function batchAxesToFront(args: readonly Array[], dims: readonly BatchDim[]): Array[] {
  if (dims.length !== args.length)
    throw new Error(`internal error: ${dims.length} batch dims for ${args.length} operands`);
  return args.map((a, i) => {
    const d = dims[i]!; // i < args.length = dims.length
    return d === null ? a : moveAxis(a, d, 0);
  });
}

/**
 * A batch dim that must be batched: the operand's when the rule's other operands are unbatched (a
 * batching rule only runs when some operand is batched).
 */
export function batched(d: BatchDim, prim: string): number {
  if (d === null) throw new Error(`internal error: ${prim}'s batching rule ran with no batched operand`);
  return d;
}

/** Batching for primitives that act elementwise on equal-shaped operands. */
export function elementwiseBatch<P extends PrimName>(prim: P) {
  return (
    args: readonly Array[],
    dims: readonly BatchDim[],
    params: PrimParams[P],
    axisSize: number,
  ): [Array[], BatchDim[]] => {
    const first = batched(dims.find((d) => d !== null) ?? null, prim);
    if (dims.every((d) => d === first)) return [bind(prim, args, params), [first]];
    // dims has one entry per operand (checked before any batching rule runs).
    return [
      bind(
        prim,
        args.map((a, i) => batchToFront(a, dims[i]!, axisSize)),
        params,
      ),
      [0],
    ];
  };
}

/**
 * Correct for any primitive, if slow: applies it to each batch element and stacks the results.
 * Used where a vectorized rule would be intricate (for example batched start indices).
 */
export function loopBatch<P extends PrimName>(prim: P) {
  return (
    args: readonly Array[],
    dims: readonly BatchDim[],
    params: PrimParams[P],
    axisSize: number,
  ): [Array[], BatchDim[]] => {
    const perItem: Array[][] = [];
    for (let i = 0; i < axisSize; i++) {
      const xs = args.map((a, j) => {
        const d = dims[j]!; // one entry per operand (checked before any batching rule runs)
        if (d === null) return a;
        const front = moveAxis(a, d, 0);
        const start = front.shape.map((_, k) => (k === 0 ? i : 0));
        const limit = front.shape.map((n, k) => (k === 0 ? i + 1 : n));
        const sl = bind1("slice", [front], { start, limit, strides: front.shape.map(() => 1) });
        return reshape(sl, front.shape.slice(1));
      });
      perItem.push(bind(prim, xs, params));
    }
    const nOut = perItem[0]?.length ?? 0;
    const outs: Array[] = [];
    for (let k = 0; k < nOut; k++) {
      // Every item is the same primitive on the same params, so each has nOut results.
      const parts = perItem.map((o) => reshape(o[k]!, [1, ...o[k]!.shape]));
      outs.push(parts.length === 1 ? parts[0]! : bind1("concatenate", parts, { axis: 0 }));
    }
    return [outs, outs.map(() => 0)];
  };
}
