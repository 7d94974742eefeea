/**
 * A small random expression generator: smooth, bounded compositions of graft ops over n inputs of
 * one shape. Reductions keep their axes (keepdims), so every sub-result broadcasts against the
 * inputs. Expressions print as readable code in fast-check counterexamples.
 */
import fc from "fast-check";
import { nn, np, type Array } from "../src/index.js";

const UNARY = {
  sin: np.sin,
  cos: np.cos,
  tanh: np.tanh,
  arctan: np.arctan,
  sigmoid: nn.sigmoid,
  erf: np.erf,
  half: (x: Array) => x.mul(0.5),
  neg: np.negative,
  expTanh: (x: Array) => np.exp(np.tanh(x)),
  sqrt1p2: (x: Array) => np.sqrt(np.add(np.square(x), 1)),
  log1pSq: (x: Array) => np.log1p(np.square(x)),
  sinSq: (x: Array) => np.square(np.sin(x)),
} satisfies Record<string, (x: Array) => Array>;

const BINARY = {
  add: np.add,
  sub: np.subtract,
  mul: np.multiply,
  safeDiv: (x: Array, y: Array) => np.divide(x, np.add(np.square(y), 1)),
  // The exponent stays in (0.25, 1.25) so compositions stay in pow's smooth, well-scaled region.
  powPos: (x: Array, y: Array) => np.power(np.add(np.square(x), 0.5), np.add(np.multiply(np.tanh(y), 0.5), 0.75)),
  hypotish: (x: Array, y: Array) => np.sqrt(np.add(np.add(np.square(x), np.square(y)), 0.25)),
} satisfies Record<string, (x: Array, y: Array) => Array>;

const REDUCE = {
  sum: (x: Array, axis: number) => np.sum(x, axis, { keepdims: true }),
  mean: (x: Array, axis: number) => np.mean(x, axis, { keepdims: true }),
  logsumexp: (x: Array, axis: number) => np.logsumexp(x, axis, { keepdims: true }),
  softmax: (x: Array, axis: number) => nn.softmax(x, axis),
} satisfies Record<string, (x: Array, axis: number) => Array>;

export type UnaryName = keyof typeof UNARY;
export type BinaryName = keyof typeof BINARY;
export type ReduceName = keyof typeof REDUCE;

/** An expression node; `toString` prints it as code. */
export abstract class Expr {
  abstract eval(xs: readonly Array[]): Array;
  abstract toString(): string;
}
class Var extends Expr {
  constructor(readonly i: number) {
    super();
  }
  eval(xs: readonly Array[]): Array {
    return xs[this.i]!;
  }
  toString(): string {
    return `x${this.i}`;
  }
}
class Const extends Expr {
  constructor(readonly v: number) {
    super();
  }
  eval(xs: readonly Array[]): Array {
    return np.fullLike(xs[0]!, this.v);
  }
  toString(): string {
    return String(this.v);
  }
}
class Unary extends Expr {
  constructor(
    readonly op: UnaryName,
    readonly a: Expr,
  ) {
    super();
  }
  eval(xs: readonly Array[]): Array {
    return UNARY[this.op](this.a.eval(xs));
  }
  toString(): string {
    return `${this.op}(${this.a})`;
  }
}
class Binary extends Expr {
  constructor(
    readonly op: BinaryName,
    readonly a: Expr,
    readonly b: Expr,
  ) {
    super();
  }
  eval(xs: readonly Array[]): Array {
    return BINARY[this.op](this.a.eval(xs), this.b.eval(xs));
  }
  toString(): string {
    return `${this.op}(${this.a}, ${this.b})`;
  }
}
class Reduce extends Expr {
  constructor(
    readonly op: ReduceName,
    readonly axis: number,
    readonly a: Expr,
  ) {
    super();
  }
  eval(xs: readonly Array[]): Array {
    const a = this.a.eval(xs);
    return a.ndim === 0 ? a : REDUCE[this.op](a, this.axis % a.ndim);
  }
  toString(): string {
    return `${this.op}(${this.a}, axis=${this.axis})`;
  }
}

/** Expressions over `nInputs` variables (at least one variable always appears). */
export function arbExpr(nInputs = 1, maxDepth = 4): fc.Arbitrary<Expr> {
  const variable = fc.integer({ min: 0, max: nInputs - 1 }).map((i): Expr => new Var(i));
  const leaf = fc.oneof(
    { weight: 4, arbitrary: variable },
    { weight: 1, arbitrary: fc.constantFrom(-1.5, 0.5, 2).map((v): Expr => new Const(v)) },
  );
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { maxDepth, depthSize: "medium", depthIdentifier: "expr", withCrossShrink: true },
      leaf,
      fc
        .tuple(fc.constantFrom(...(Object.keys(UNARY) as UnaryName[])), tie("expr"))
        .map(([op, a]): Expr => new Unary(op, a)),
      fc
        .tuple(fc.constantFrom(...(Object.keys(BINARY) as BinaryName[])), tie("expr"), tie("expr"))
        .map(([op, a, b]): Expr => new Binary(op, a, b)),
      fc
        .tuple(fc.constantFrom(...(Object.keys(REDUCE) as ReduceName[])), fc.integer({ min: 0, max: 1 }), tie("expr"))
        .map(([op, ax, a]): Expr => new Reduce(op, ax, a)),
    ),
  }));
  // Adding x0 * 0.25 makes every expression depend on an input (so batching/grad are not trivial).
  return fc.tuple(expr, variable).map(([e, v]) => new Binary("add", e, new Unary("half", new Unary("half", v))));
}

/** The expression as a function of its inputs. */
export const exprFn =
  (e: Expr) =>
  (...xs: Array[]): Array =>
    e.eval(xs);
