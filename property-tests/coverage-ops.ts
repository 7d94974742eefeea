/**
 * Gradient-table entries for the primitives ops.ts does not reach: control flow, calls, custom
 * rules, the index-valued ops (argmax/argmin/argsort) and the comparisons and logical ops that only
 * steer a differentiable choice. grads.property.test.ts checks them with `checkGrads`;
 * test/core/primitive-coverage.test.ts traces them (with ops.ts) to find which primitives the
 * gradient table exercises.
 */
import { checkpoint, cond, customVjp, jit, np, scan, switchCase, whileLoop, type Array } from "../src/index.js";
import { sortByKeys } from "../src/random/special.js";
import type { GradCheckMode } from "../src/testing/index.js";
import { awayFrom0, DISTINCT, POSITIVE, REAL, type Domain } from "./helpers.js";
import type { UnarySpec } from "./ops.js";

export interface CoverageSpec extends UnarySpec {
  /** The modes `checkGrads` checks (default both). */
  modes?: readonly GradCheckMode[];
}

/** Values kept ≥ 0.2 away from ±1. */
const AWAY_FROM_1: Domain = { min: -3, max: 3, post: (v) => (Math.abs(Math.abs(v) - 1) < 0.2 ? v + 0.5 : v) };
/** Negative values, at most -0.2. */
const NEGATIVE: Domain = { min: -4, max: -0.2 };

// sin with a hand-written (correct) reverse rule: custom_vjp_call, and custom_vjp_lin under it.
const vjpSin = customVjp((x: Array) => x.sin());
vjpSin.defVjp(
  (x: Array) => [vjpSin(x), x.cos()],
  (cosx: Array, ct: Array) => [ct.mul(cosx)],
);

const jittedPoly = jit((x: Array) => x.mul(x).mul(0.5).add(x.sin()));
const remattedLayer = checkpoint((x: Array) => x.mul(1.3).add(0.1).tanh().mul(x));
const i32 = (v: number): Array => np.array(v, { dtype: "int32" });

type WhileCarry = [Array, Array];

/** Single-input entries (inputs of any small shape, like ops.ts's unary specs). */
export const COVERAGE: CoverageSpec[] = [
  { name: "jit(x²/2 + sin x)", f: (x) => jittedPoly(x), dom: REAL },
  { name: "checkpoint(tanh layer)", f: (x) => remattedLayer(remattedLayer(x)), dom: REAL },
  // customVjp only defines reverse mode (forward mode through it raises, as in JAX).
  { name: "customVjp(sin) (rev)", f: (x) => vjpSin(x).mul(x), dom: REAL, modes: ["rev"] },
  {
    name: "cond(sum x > 0) (true branch)",
    f: (x) =>
      cond(
        x.sum().greater(0),
        (v: Array) => v.sin().mul(v),
        (v: Array) => v.exp(),
        x,
      ),
    dom: POSITIVE,
  },
  {
    name: "cond(sum x > 0) (false branch)",
    f: (x) =>
      cond(
        x.sum().greater(0),
        (v: Array) => v.sin().mul(v),
        (v: Array) => v.exp().mul(v.cos()),
        x,
      ),
    dom: NEGATIVE,
  },
  {
    name: "switchCase(1, [sin, x³, tanh])",
    f: (x) =>
      switchCase(i32(1), [(v: Array) => v.sin(), (v: Array) => v.mul(v).mul(v), (v: Array) => v.tanh()], x.mul(0.7)),
    dom: REAL,
  },
  {
    name: "scan: tanh RNN over the leading axis",
    f: (x) => {
      const [h, ys] = scan(
        (c: Array, xi: Array) => {
          const hn = c.mul(0.8).add(xi).tanh();
          return [hn, hn.mul(xi)] as const;
        },
        x.get(0).mul(0.5),
        x,
      );
      return np.concatenate([h.reshape([-1]), ys.reshape([-1])], 0);
    },
    dom: REAL,
    minRank: 1,
  },
  {
    name: "scan (reverse), closing over x",
    f: (x) =>
      scan((c: Array, t: Array) => [c.mul(x.cos()).add(t), c.sum()] as const, x, np.array([0.5, -1, 2]), {
        reverse: true,
      })[0],
    dom: REAL,
  },
  // No reverse mode through whileLoop (JAX has none either): forward mode only.
  {
    name: "whileLoop: 3 steps of c ← sin(1.5 c) (fwd)",
    f: (x) =>
      whileLoop(
        ([i]: WhileCarry) => i.less(3),
        ([i, c]: WhileCarry): WhileCarry => [i.add(1), c.mul(1.5).sin()],
        [i32(0), x] as WhileCarry,
      )[1],
    dom: REAL,
    modes: ["fwd"],
  },
  // Index-valued primitives inside differentiable functions (the derivative flows through the gather).
  {
    name: "takeAlongAxis(x, argmax(x, -1))",
    f: (x) => np.takeAlongAxis(x, np.expandDims(np.argmax(x, -1), -1), -1),
    dom: DISTINCT,
    minRank: 1,
  },
  {
    name: "takeAlongAxis(x, argmin(x, 0))",
    f: (x) => np.takeAlongAxis(x, np.expandDims(np.argmin(x, 0), 0), 0).mul(x.sum()),
    dom: DISTINCT,
    minRank: 1,
  },
  { name: "sort(x, -1) (argsort + gather)", f: (x) => sortByKeys(x, x, x.ndim - 1), dom: DISTINCT, minRank: 1 },
  // Comparisons and logical ops steering a differentiable choice.
  { name: "where(x <= 0, x², sin x)", f: (x) => np.where(np.lessEqual(x, 0), x.square(), x.sin()), dom: awayFrom0() },
  {
    name: "where(x == max x, x, x²)",
    f: (x) => np.where(np.equal(x, np.max(x, -1, { keepdims: true })), x, x.square()),
    dom: DISTINCT,
    minRank: 1,
  },
  {
    name: "where(x < -1 or x > 1, x, x³)",
    f: (x) => np.where(np.logicalOr(x.less(-1), x.greater(1)), x, x.mul(x).mul(x)),
    dom: AWAY_FROM_1,
  },
  {
    name: "where(not x > 0, exp x, x)",
    f: (x) => np.where(np.logicalNot(x.greater(0)), x.exp(), x),
    dom: awayFrom0(),
  },
];
