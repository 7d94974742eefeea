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
   * The pending values this expression inlined, and the node holding each: a value read twice
   * within one fused expression is computed once (see ExprBuilder.inline).
   */
  readonly parts?: ReadonlyMap<Pending, number>;
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
  private readonly inlined = new Map<Pending, number>();
  /** Structural sharing: an operation, literal or index already in the expression is reused. */
  private readonly byKey = new Map<string, number>();

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

  private shared(key: string, make: () => ExprNode): number {
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.push(make());
      this.byKey.set(key, i);
    }
    return i;
  }

  literal(value: number, dtype: DType): number {
    return this.shared(`l:${Object.is(value, -0) ? "-0" : value}:${dtype}`, () => ({ kind: "literal", value, dtype }));
  }

  index(dim: number, dtype: DType): number {
    this.hasIndex = true;
    return this.shared(`i:${dim}:${dtype}`, () => ({ kind: "index", dim, dtype }));
  }

  op(prim: ExprPrim, args: readonly number[], params: Readonly<Record<string, unknown>>, dtype: DType): number {
    const key = `o:${prim}:${args.join(",")}:${JSON.stringify(params)}:${dtype}`;
    const before = this.nodes.length;
    const i = this.shared(key, () => ({ kind: "op", prim, args, params, dtype }));
    if (this.nodes.length > before) this.ops++;
    return i;
  }

  /**
   * Copies a pending expression's nodes in; returns the node holding its value. A pending value
   * already inlined (directly or inside another) is not copied again.
   */
  inline(p: Pending): number {
    const seen = this.inlined.get(p);
    if (seen !== undefined) return seen;
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
    const root = map[p.nodes.length - 1]!;
    this.inlined.set(p, root);
    if (p.parts) for (const [sub, node] of p.parts) this.inlined.set(sub, map[node]!);
    return root;
  }

  /**
   * The expression built so far, its last node being the value. `root`, when given, must be that
   * last node (sharing never returns an earlier node for the final operation: its arguments are
   * the operands' roots, which no earlier node reads together).
   */
  done(shape: readonly number[], dtype: DType, root?: number): Pending {
    if (root !== undefined && root !== this.nodes.length - 1)
      throw new Error("internal error: a fused expression's value is not its last node");
    return {
      shape,
      dtype,
      inputs: this.inputs,
      nodes: this.nodes,
      ops: this.ops,
      hasIndex: this.hasIndex,
      parts: this.inlined,
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
  // Nodes now read other views: what was inlined is no longer the same value.
  const { parts: _dropped, ...rest } = p;
  return { ...rest, shape, inputs };
}

/** The epilogue convention: input 0 is the product. Reorders a pending epilogue's inputs so. */
export function productFirst(p: Pending, product: number): Pending {
  const at = p.inputs.findIndex((v) => v.buffer === product);
  if (at <= 0) return p;
  const order = [at, ...p.inputs.map((_, i) => i).filter((i) => i !== at)];
  const newIndex = new Array<number>(order.length);
  order.forEach((old, i) => {
    newIndex[old] = i;
  });
  return {
    ...p,
    inputs: order.map((i) => p.inputs[i]!),
    nodes: p.nodes.map((n) => (n.kind === "input" ? { ...n, input: newIndex[n.input]! } : n)),
  };
}
