/**
 * Float32x4 math functions for generated WebAssembly modules: `new VectorMath(m).f32x4("tanh")`
 * adds (once per module) a function (v128) -> v128 computing Math.tanh lane-wise, to float32
 * accuracy. The functions use no imports and no memory, so they work in any module; their
 * constants are immutable v128 globals the VectorMath adds to the module (see ConstPool).
 *
 * Semantics are those of the reference backend: JavaScript's Math.* (or the reference erf and
 * logistic) evaluated in float64 and rounded to float32, within the ulp bounds of MATH_ULP_BOUNDS
 * (index.ts), with Math's special values: signed zeros, infinities, NaN, subnormal arguments and
 * results, and the float32 overflow thresholds.
 *
 * The hot functions of elementwise kernels (exp, expm1, log, log1p, tanh, logistic, erf) are pure
 * float32 polynomials (exp.ts, log.ts, erf.ts); the others are evaluated in float64 on the two
 * halves of the vector (f64.ts, trig.ts, atan.ts, pow.ts, hyperbolic.ts).
 */
import type { Code } from "../encoder/code.js";
import type { FuncBuilder, ModuleBuilder } from "../encoder/module.js";
import { V128, type ValType } from "../encoder/opcodes.js";
import { acos, asin, atan, atan2 } from "./atan.js";
import { Body, ConstPool, type Ex, type Helpers, withConstPool } from "./dsl.js";
import { erf } from "./erf.js";
import { exp, expm1, logistic, tanh } from "./exp.js";
import { cosh, sinh } from "./hyperbolic.js";
import { log, log1p } from "./log.js";
import { pow } from "./pow.js";
import { trig } from "./trig.js";

export type VectorMathFn =
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "tanh"
  | "logistic"
  | "sin"
  | "cos"
  | "tan"
  | "erf"
  | "sinh"
  | "cosh"
  | "atan"
  | "asin"
  | "acos"
  | "pow"
  | "atan2";

type Unary = (b: Body, x: Ex, h: Helpers) => Ex;
type Binary = (b: Body, x: Ex, y: Ex, h: Helpers) => Ex;

const UNARY: Record<Exclude<VectorMathFn, "pow" | "atan2">, Unary> = {
  exp,
  expm1,
  log,
  log1p,
  tanh,
  logistic,
  erf,
  sin: (b, x, h) => trig("sin", b, x, h),
  cos: (b, x, h) => trig("cos", b, x, h),
  tan: (b, x, h) => trig("tan", b, x, h),
  sinh,
  cosh,
  atan,
  asin,
  acos,
};

const BINARY: Record<"pow" | "atan2", Binary> = { pow, atan2 };

/** Every function VectorMath provides. */
export const VECTOR_MATH_FNS = [...Object.keys(UNARY), ...Object.keys(BINARY)] as readonly VectorMathFn[];

/** Whether `fn` takes two arguments (pow(x, y), atan2(y, x)). */
export function isBinary(fn: VectorMathFn): fn is "pow" | "atan2" {
  return fn === "pow" || fn === "atan2";
}

/** Adds float32x4 math functions to a module on demand (each defined once per module). */
export class VectorMath implements Helpers {
  private readonly defined = new Map<string, number>();
  private readonly pool: ConstPool;

  constructor(private readonly m: ModuleBuilder) {
    this.pool = new ConstPool(m);
  }

  /**
   * Index of a function (v128) -> v128 (pow and atan2: (v128, v128) -> v128, as pow(x, y) and
   * atan2(y, x)) computing fn lane-wise on f32x4.
   */
  f32x4(fn: VectorMathFn): number {
    return this.helper(`f32x4.${fn}`, isBinary(fn) ? [V128, V128] : [V128], [V128], (b) =>
      b.emit(this.kernel(fn, b, [b.get(0), b.get(1)])),
    );
  }

  /**
   * Emits fn inline in a function of this VectorMath's module being built (`f`, `c`): pops its
   * v128 argument(s) off the operand stack (x, or x then y) and pushes the result, as a call to
   * `f32x4(fn)` would, without the call, which V8 (Node 20) does not inline and which spills the
   * live vector registers: a fused tanh(0.5x + 1)·logistic(x) − x²/3 loop runs about 1.4 times
   * faster with both inlined. Helper functions and constants are still added to the module.
   */
  inline(fn: VectorMathFn, f: FuncBuilder, c: Code): void {
    const b = new Body(f, c);
    const y = isBinary(fn) ? f.local(V128) : -1;
    if (y >= 0) c.set(y);
    const x = f.local(V128);
    c.set(x);
    withConstPool(this.pool, () => b.emit(this.kernel(fn, b, [b.get(x), b.get(y)])));
  }

  /** @internal Module functions shared by the kernels (and the kernels themselves), built once. */
  helper(key: string, params: readonly ValType[], results: readonly ValType[], build: (b: Body) => void): number {
    const known = this.defined.get(key);
    if (known !== undefined) return known;
    const index = this.m.declare(params, results);
    // Cached before the body is built, so a body may ask for helpers (or for itself).
    this.defined.set(key, index);
    this.m.define(index, (f, c) => withConstPool(this.pool, () => build(new Body(f, c))));
    return index;
  }

  private kernel(fn: VectorMathFn, b: Body, [x, y]: readonly [Ex, Ex]): Ex {
    return isBinary(fn) ? BINARY[fn](b, x, y, this) : UNARY[fn](b, x, this);
  }
}
