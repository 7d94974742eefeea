/**
 * Gradient checks (orders 1 and 2, forward and reverse, float64) for every differentiable op on
 * random inputs inside its smooth domain, plus random compositions.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { grad, nn, np, type Array } from "../src/index.js";
import { arbBroadcastableShapes, checkGrads, type CheckGradsOptions } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn } from "./helpers.js";
import { BINARY, ins, PRODUCTS, UNARY_ALL } from "./ops.js";
import { COVERAGE } from "./coverage-ops.js";
import { arbExpr, exprFn } from "./exprs.js";

/** float64, eps 1e-5: truncation ~2e-11·f''' and roundoff ~1e-11·|f|, far inside 1e-6 relative. */
const TIGHT: CheckGradsOptions = { order: 2, eps: 1e-5, atol: 1e-6, rtol: 1e-6 };
const RUNS = 10;

describe("checkGrads: unary ops (orders 1-2, fwd + rev)", () => {
  for (const spec of UNARY_ALL) {
    it(spec.name, () => {
      const shape = { minRank: spec.minRank ?? 0, minDim: spec.minDim ?? 1, maxRank: 2, maxDim: 3 };
      assertProperty(
        fc.property(arbIn(spec.dom, shape), (x) => checkGrads(spec.f, [x], TIGHT)),
        RUNS,
      );
    });
  }
});

describe("checkGrads: control flow, calls, custom rules, index-valued and predicate ops (orders 1-2)", () => {
  for (const spec of COVERAGE) {
    it(spec.name, () => {
      const shape = { minRank: spec.minRank ?? 0, minDim: spec.minDim ?? 1, maxRank: 2, maxDim: 3 };
      const opts: CheckGradsOptions = spec.modes ? { ...TIGHT, modes: spec.modes } : TIGHT;
      assertProperty(
        fc.property(arbIn(spec.dom, shape), (x) => checkGrads(spec.f, [x], opts)),
        RUNS,
      );
    });
  }
});

describe("checkGrads: binary ops with broadcasting (orders 1-2)", () => {
  for (const spec of BINARY) {
    it(spec.name, () => {
      const args = arbBroadcastableShapes(2, { maxRank: 2, maxDim: 3 }).chain(([sx, sy]) =>
        fc.tuple(arbIn(spec.x, sx!), arbIn(spec.y, sy!)),
      );
      assertProperty(
        fc.property(args, ([x, y]) => checkGrads(spec.f, [x, y], TIGHT)),
        RUNS,
      );
    });
  }
});

describe("checkGrads: products (orders 1-2)", () => {
  for (const spec of PRODUCTS) {
    it(spec.name, () => {
      assertProperty(
        fc.property(spec.args, ([x, y]) => checkGrads(spec.f, [x!, y!], TIGHT)),
        RUNS,
      );
    });
  }
});

describe("checkGrads: random compositions", () => {
  const shape = fc.constantFrom<number[]>([3], [2, 3], [2, 2]);
  it("f(x0, x1) built from random smooth ops (order 2)", () => {
    const args = fc.tuple(
      arbExpr(2),
      shape.chain((s) => ins(s, s)),
    );
    assertProperty(
      fc.property(args, ([e, [x0, x1]]) => checkGrads(exprFn(e), [x0!, x1!], { ...TIGHT, rtol: 1e-5 })),
      60,
    );
  });
  it("pytree arguments and outputs", () => {
    const args = fc.tuple(arbExpr(2), ins([2], [3, 2], [2, 2]));
    const f = (e: ReturnType<typeof exprFn>) => (p: { w: Array; b: Array }, x: Array) => {
      const h = np.tanh(np.matmul(x, p.w).add(p.b));
      return { h, s: [e(h, h.mul(0.5)).sum()] };
    };
    assertProperty(
      fc.property(args, ([e, [b, x, w]]) => checkGrads(f(exprFn(e)), [{ w: w!, b: b! }, x!], { ...TIGHT, rtol: 1e-5 })),
      20,
    );
  });
});

describe("regressions", () => {
  it("softplus second derivative at x = 0 (was 0 instead of 0.25 before softplus became smooth)", () => {
    checkGrads(nn.softplus, [np.array([0], { dtype: "float64" })], TIGHT);
  });
  // softplus once clamped with minimum(x, 30), whose tie at exactly 30 halved the slope.
  it("softplus derivative at x = 30", () => {
    const g = grad((x: Array) => nn.softplus(x).sum())(np.array([30], { dtype: "float64" }));
    expect(g.item()).toBeCloseTo(1, 9);
  });
  // pow's JVP once selected a constant d/dx wherever y == 0, which cut its dependence on y.
  it("power: mixed second derivative at y = 0", () => {
    const x = np.array(0.2, { dtype: "float64" });
    const d2 = grad((y: Array) => grad((xx: Array) => np.power(xx, y))(x))(np.array(0, { dtype: "float64" }));
    expect(d2.item()).toBeCloseTo(5, 6);
    checkGrads(np.power, [x, np.array(0, { dtype: "float64" })], TIGHT);
  });
});
