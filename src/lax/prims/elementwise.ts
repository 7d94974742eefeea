/** Elementwise primitives: unary math, binary arithmetic, comparisons, select, convert. */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { isFloat, isInt } from "../../core/dtype.js";
import { shapeEqual, shapeStr } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import { elementwiseBatch } from "../batch-helpers.js";
import { COMPARE_PRIMS, type BinaryPrim, type ComparePrim, type UnaryPrim } from "../../core/primitives.js";
import * as L from "../../core/ops.js";

/** Abstract evaluation of a one-operand primitive whose result is shaped and typed like its operand. */
const sameAval = ([a]: readonly [ShapedArray]): ShapedArray[] => [a];

function checkSame(prim: string, [a, ...rest]: readonly [ShapedArray, ...ShapedArray[]]): void {
  for (const b of rest)
    if (!shapeEqual(a.shape, b.shape) || a.dtype !== b.dtype)
      throw new Error(
        `${prim}: operands must share shape and dtype, got ${a.dtype}${shapeStr(a.shape)} and ${b.dtype}${shapeStr(b.shape)}`,
      );
}

/** Unary primitive whose derivative is `t * d(x, y)`; `null` derivative means a zero tangent. */
function defUnary(name: UnaryPrim, d: ((x: Array, y: Array) => Array) | null, outDtype?: "bool"): void {
  defPrimitive(name, {
    abstractEval: ([a]) => [outDtype ? new ShapedArray(a.shape, outDtype) : a],
    jvp: ([x], [t]) => {
      const y = L.unary(name, x);
      if (d === null || t instanceof Zero || !isFloat(x.dtype)) return [[y], [new Zero(y.aval)]];
      return [[y], [L.mul(t, d(x, y))]];
    },
    batch: elementwiseBatch(name),
  });
}

const c = (x: Array, v: number): Array => L.fullLike(x, v);
const BITWISE: ReadonlySet<BinaryPrim> = new Set(["xor", "shift_left", "shift_right_logical"]);

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerElementwise(): void {
  registerUnary();
  registerBinary();
  registerComparisons();
  registerOthers();
}

/** The unary math primitives, and neg. */
function registerUnary(): void {
  // JAX's rule: the slope is 1 at ±0 (x ≥ 0 selects +1), −1 below (and for NaN).
  defUnary("abs", (x) => L.select(L.binary("ge", x, L.fullLike(x, 0)), L.fullLike(x, 1), L.fullLike(x, -1)));
  for (const p of ["sign", "floor", "ceil", "round"] as const) defUnary(p, null);
  defUnary("exp", (_x, y) => y);
  defUnary("expm1", (_x, y) => L.add(y, c(y, 1)));
  defUnary("log", (x) => L.div(c(x, 1), x));
  defUnary("log1p", (x) => L.div(c(x, 1), L.add(x, c(x, 1))));
  defUnary("sqrt", (_x, y) => L.div(c(y, 0.5), y));
  defUnary("rsqrt", (x, y) => L.mul(L.div(y, x), c(x, -0.5)));
  defUnary("sin", (x) => L.cos(x));
  defUnary("cos", (x) => L.neg(L.sin(x)));
  defUnary("tan", (_x, y) => L.add(c(y, 1), L.mul(y, y)));
  defUnary("tanh", (_x, y) => L.sub(c(y, 1), L.mul(y, y)));
  defUnary("asin", (x) => L.rsqrt(L.sub(c(x, 1), L.mul(x, x))));
  defUnary("acos", (x) => L.neg(L.rsqrt(L.sub(c(x, 1), L.mul(x, x)))));
  defUnary("atan", (x) => L.div(c(x, 1), L.add(c(x, 1), L.mul(x, x))));
  defUnary("sinh", (x) => L.cosh(x));
  defUnary("cosh", (x) => L.sinh(x));
  defUnary("logistic", (_x, y) => L.mul(y, L.sub(c(y, 1), y)));
  defUnary("erf", (x) => L.mul(c(x, 2 / Math.sqrt(Math.PI)), L.exp(L.neg(L.mul(x, x)))));
  defUnary("not", null);
  defUnary("isfinite", null, "bool");

  defPrimitive("neg", {
    abstractEval: sameAval,
    jvp: ([x], [t]) => [[L.neg(x)], [t instanceof Zero ? t : L.neg(t)]],
    transpose: ([ct]) => [ct instanceof Zero ? ct : L.neg(ct)],
    batch: elementwiseBatch("neg"),
  });
}

type BinaryTranspose = (ct: Array, args: readonly [Array | LinearIn, Array | LinearIn]) => (Tangent | null)[];

function defBinary(
  name: BinaryPrim,
  jvp: (x: Array, y: Array, tx: Tangent, ty: Tangent, out: Array) => Tangent,
  transpose?: BinaryTranspose,
): void {
  defPrimitive(name, {
    ...(transpose && {
      transpose: ([ct]: readonly [Tangent], args: readonly [Array | LinearIn, Array | LinearIn]) => {
        if (ct instanceof Zero) return args.map((a) => (a instanceof LinearIn ? new Zero(a.aval) : null));
        return transpose(ct, args);
      },
    }),
    abstractEval: (avals) => {
      checkSame(name, avals);
      const [a, b] = avals;
      if (BITWISE.has(name) && !isInt(a.dtype) && !(name === "xor" && a.dtype === "bool"))
        throw new TypeError(`${name}: expected integer operands (int32 or uint32), got ${a.dtype}`);
      return [a.weakType && !b.weakType ? b : a];
    },
    jvp: ([x, y], [tx, ty]) => {
      const out = L.binary(name, x, y);
      if (!isFloat(out.dtype)) return [[out], [new Zero(out.aval)]];
      return [[out], [jvp(x, y, tx, ty, out)]];
    },
    batch: elementwiseBatch(name),
  });
}

// A cotangent for each linear input, null for the others.
const ctOr = (arg: Array | LinearIn, v: () => Tangent): Tangent | null => (arg instanceof LinearIn ? v() : null);
const scaleT = (t: Tangent, by: Array): Tangent => (t instanceof Zero ? t : L.mul(t, by));

/** The binary arithmetic, bitwise and logical primitives. */
function registerBinary(): void {
  defBinary(
    "add",
    (_x, _y, tx, ty) => L.addTangents(tx, ty),
    (ct, [a, b]) => [ctOr(a, () => ct), ctOr(b, () => ct)],
  );
  defBinary(
    "sub",
    (_x, _y, tx, ty) => L.addTangents(tx, ty instanceof Zero ? ty : L.neg(ty)),
    (ct, [a, b]) => [ctOr(a, () => ct), ctOr(b, () => L.neg(ct))],
  );
  defBinary(
    "mul",
    (x, y, tx, ty) => L.addTangents(scaleT(tx, y), scaleT(ty, x)),
    (ct, [a, b]) => {
      if (a instanceof LinearIn && b instanceof LinearIn)
        throw new Error("transpose: 'mul' is not linear when both operands are linear inputs");
      return [ctOr(a, () => L.mul(ct, b as Array)), ctOr(b, () => L.mul(a as Array, ct))];
    },
  );
  defBinary(
    "div",
    (_x, y, tx, ty, out) => {
      const a = tx instanceof Zero ? tx : L.div(tx, y);
      return L.addTangents(a, ty instanceof Zero ? ty : L.neg(L.div(L.mul(ty, out), y)));
    },
    (ct, [a, b]) => {
      if (b instanceof LinearIn) throw new Error("transpose: 'div' is not linear in its denominator");
      return [ctOr(a, () => L.div(ct, b as Array)), null];
    },
  );
  defBinary("rem", (x, y, tx, ty) => {
    if (ty instanceof Zero) return tx;
    const q = L.div(x, y);
    const trunc = L.mul(L.sign(q), L.unary("floor", L.unary("abs", q)));
    return L.addTangents(tx, L.neg(L.mul(ty, trunc)));
  });
  defBinary("pow", (x, y, tx, ty, out) => {
    const zero = c(x, 0);
    // d/dx = y x^(y-1), taken as 0 at x == y == 0 (so 0^0 has a finite derivative). Selecting only
    // there keeps d/dx's own dependence on y (d²/dxdy = 1/x at y = 0).
    const atOrigin = L.binary("and", L.eq(x, zero), L.eq(y, zero));
    const dx = tx instanceof Zero ? tx : L.mul(tx, L.select(atOrigin, zero, L.mul(y, L.pow(x, L.sub(y, c(y, 1))))));
    // d/dy = log(x) x^y, taken as 0 where x == 0.
    const safeLog = L.log(L.select(L.eq(x, zero), c(x, 1), x));
    const dy = ty instanceof Zero ? ty : L.mul(ty, L.mul(safeLog, out));
    return L.addTangents(dx, dy);
  });
  function minMaxJvp(pick: "gt" | "lt") {
    return (x: Array, y: Array, tx: Tangent, ty: Tangent): Tangent => {
      // Ties split the tangent evenly, which keeps max(x, x) = x differentiable with slope 1.
      const wx = L.add(L.convert(L.binary(pick, x, y), x.dtype), L.mul(L.convert(L.eq(x, y), x.dtype), c(x, 0.5)));
      return L.addTangents(scaleT(tx, wx), scaleT(ty, L.sub(c(x, 1), wx)));
    };
  }
  defBinary("max", minMaxJvp("gt"));
  defBinary("min", minMaxJvp("lt"));
  defBinary("atan2", (x, y, tx, ty) => {
    const denom = L.add(L.mul(x, x), L.mul(y, y));
    return L.addTangents(scaleT(tx, L.div(y, denom)), scaleT(ty, L.neg(L.div(x, denom))));
  });
  defBinary("and", () => {
    throw new Error("unreachable: 'and' has no float tangent");
  });
  defBinary("or", () => {
    throw new Error("unreachable: 'or' has no float tangent");
  });
  // Bitwise ops on integers (the outputs are never float, so the JVP is never reached).
  for (const name of ["xor", "shift_left", "shift_right_logical"] as const)
    defBinary(name, () => {
      throw new Error(`unreachable: '${name}' has no float tangent`);
    });
}

/** The comparisons: bool results, zero tangents. */
function registerComparisons(): void {
  for (const name of COMPARE_PRIMS as readonly ComparePrim[]) {
    defPrimitive(name, {
      abstractEval: (avals) => {
        checkSame(name, avals);
        return [new ShapedArray(avals[0].shape, "bool")];
      },
      jvp: ([x, y]) => {
        const out = L.binary(name, x, y);
        return [[out], [new Zero(out.aval)]];
      },
      batch: elementwiseBatch(name),
    });
  }
}

/** integer_pow, select, convert and stop_gradient. */
function registerOthers(): void {
  defPrimitive("integer_pow", {
    abstractEval: sameAval,
    jvp: ([x], [t], { y }) => {
      const out = L.integerPow(x, y);
      if (t instanceof Zero || !isFloat(x.dtype)) return [[out], [new Zero(out.aval)]];
      const d = y === 0 ? c(x, 0) : y === 1 ? c(x, 1) : L.mul(c(x, y), L.integerPow(x, y - 1));
      return [[out], [L.mul(t, d)]];
    },
    batch: elementwiseBatch("integer_pow"),
  });

  defPrimitive("select", {
    abstractEval: (avals) => {
      const [p, a, b] = avals;
      if (p.dtype !== "bool") throw new Error(`select: predicate must be bool, got ${p.dtype}`);
      checkSame("select", [a, b]);
      if (!shapeEqual(p.shape, a.shape))
        throw new Error(`select: predicate shape ${shapeStr(p.shape)} differs from ${shapeStr(a.shape)}`);
      return [a.weakType && !b.weakType ? b : a];
    },
    jvp: ([p, a, b], [, ta, tb]) => {
      const out = L.select(p, a, b);
      if (ta instanceof Zero && tb instanceof Zero) return [[out], [new Zero(out.aval)]];
      return [[out], [L.select(p, L.instantiate(ta), L.instantiate(tb))]];
    },
    transpose: ([ct], [p, a, b]) => {
      if (p instanceof LinearIn) throw new Error("transpose: 'select' is not linear in its predicate");
      if (ct instanceof Zero) return [null, a instanceof LinearIn ? ct : null, b instanceof LinearIn ? ct : null];
      const z = L.zerosOf(ct.aval);
      return [
        null,
        a instanceof LinearIn ? L.select(p, ct, z) : null,
        b instanceof LinearIn ? L.select(p, z, ct) : null,
      ];
    },
    batch: elementwiseBatch("select"),
  });

  defPrimitive("convert", {
    abstractEval: ([a], { dtype, weakType }) => [new ShapedArray(a.shape, dtype, weakType ?? false)],
    jvp: ([x], [t], params) => {
      const out = bind1("convert", [x], params);
      if (t instanceof Zero || !isFloat(params.dtype) || !isFloat(x.dtype)) return [[out], [new Zero(out.aval)]];
      return [[out], [bind1("convert", [t], params)]];
    },
    transpose: ([ct], [x]) => [ct instanceof Zero ? new Zero(x.aval) : bind1("convert", [ct], { dtype: x.aval.dtype })],
    batch: elementwiseBatch("convert"),
  });

  defPrimitive("stop_gradient", {
    abstractEval: sameAval,
    jvp: ([x]) => {
      const out = bind1("stop_gradient", [x], {});
      return [[out], [new Zero(out.aval)]];
    },
    batch: (args, dims) => [[bind1("stop_gradient", args, {})], [dims[0]]],
  });
}
