/**
 * Builds fused expressions while the planner walks a Program: a pending value is an expression
 * over views of materialized buffers, and consuming it inlines its nodes into the consumer's.
 */
import type { DType } from "../../src/core/dtype.js";
import type { ExprNode, ExprPrim, View } from "./types.js";

/** A value the planner has not materialized yet: an expression over its own shape. */
export interface Pending {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly inputs: readonly View[];
  readonly nodes: readonly ExprNode[];
  /** Operations (not loads or literals) in `nodes`: the cost of recomputing it per element. */
  readonly ops: number;
  /** True when a node reads the iteration index (iota): such expressions do not move through views. */
  readonly hasIndex: boolean;
  /**
   * Set when input 0 is the product of a pending matrix multiplication (its epilogue is being
   * built): the buffer id the product will be written to.
   */
  readonly dot?: number;
}

const viewKey = (v: View): string => `${v.buffer}@${v.offset}:${v.strides.join(",")}`;

export class ExprBuilder {
  readonly inputs: View[] = [];
  readonly nodes: ExprNode[] = [];
  ops = 0;
  hasIndex = false;
  dot: number | undefined;
  private readonly inputIds = new Map<string, number>();
  private readonly inputNodes = new Map<number, number>();

  private push(n: ExprNode): number {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  /** The node reading `view` (one input per distinct view). */
  input(view: View, dtype: DType): number {
    const key = viewKey(view);
    let i = this.inputIds.get(key);
    if (i === undefined) {
      i = this.inputs.length;
      this.inputs.push(view);
      this.inputIds.set(key, i);
    }
    let node = this.inputNodes.get(i);
    if (node === undefined) {
      node = this.push({ kind: "input", input: i, dtype });
      this.inputNodes.set(i, node);
    }
    return node;
  }

  literal(value: number, dtype: DType): number {
    return this.push({ kind: "literal", value, dtype });
  }

  index(dim: number, dtype: DType): number {
    this.hasIndex = true;
    return this.push({ kind: "index", dim, dtype });
  }

  op(prim: ExprPrim, args: readonly number[], params: Readonly<Record<string, unknown>>, dtype: DType): number {
    this.ops++;
    return this.push({ kind: "op", prim, args, params, dtype });
  }

  /** Copies a pending expression's nodes in; returns the node holding its value. */
  inline(p: Pending): number {
    if (p.dot !== undefined) {
      if (this.dot !== undefined && this.dot !== p.dot)
        throw new Error("internal error: two matrix products inlined into one epilogue");
      this.dot = p.dot;
    }
    const map = new Array<number>(p.nodes.length);
    p.nodes.forEach((n, i) => {
      switch (n.kind) {
        case "input":
          map[i] = this.input(p.inputs[n.input]!, n.dtype);
          break;
        case "literal":
          map[i] = this.literal(n.value, n.dtype);
          break;
        case "index":
          map[i] = this.index(n.dim, n.dtype);
          break;
        case "op":
          map[i] = this.op(
            n.prim,
            n.args.map((a) => map[a]!),
            n.params,
            n.dtype,
          );
          break;
      }
    });
    this.hasIndex ||= p.hasIndex;
    return map[p.nodes.length - 1]!;
  }

  /** The expression built so far, its last node being the value. */
  done(shape: readonly number[], dtype: DType): Pending {
    return {
      shape,
      dtype,
      inputs: this.inputs,
      nodes: this.nodes,
      ops: this.ops,
      hasIndex: this.hasIndex,
      ...(this.dot === undefined ? {} : { dot: this.dot }),
    };
  }
}

/** A pending expression with each input view replaced (for view operations applied to it). */
export function mapInputs(p: Pending, shape: readonly number[], f: (v: View) => View | undefined): Pending | undefined {
  const inputs: View[] = [];
  for (const v of p.inputs) {
    const w = f(v);
    if (!w) return undefined;
    inputs.push(w);
  }
  return { ...p, shape, inputs };
}
