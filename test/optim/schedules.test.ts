/**
 * Learning-rate schedules: values at chosen steps against hand-computed numbers and the classic
 * formulas (step decay, exponential η₀e^{−kt}, 1/t decay η₀/(1+kt), η₀/(t+1)²). Array steps,
 * tracing and the error paths are in schedules-traced.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { np } from "../../src/index.js";
import {
  constantSchedule,
  cosineDecay,
  cyclic,
  exponentialDecay,
  inverseTimeDecay,
  joinSchedules,
  linearSchedule,
  oneCycle,
  piecewiseConstant,
  polynomialSchedule,
  stepDecay,
  triangularSchedule,
  warmupCosineDecay,
  type ScheduleFn,
} from "../../src/optim/index.js";
import { closeNumber as close } from "./_util.js";

type Array = np.Array;

/** Checks s(step) against want for every [step, want] pair (JS-number path). */
const table = (s: ScheduleFn, pairs: readonly (readonly [number, number])[], tol = 1e-12): void => {
  for (const [t, want] of pairs) {
    const got = s(t);
    expect(typeof got).toBe("number");
    close(got, want, tol);
  }
};

describe("schedule values (hand-computed)", () => {
  it("constantSchedule", () => {
    table(constantSchedule(0.1), [
      [0, 0.1],
      [1000, 0.1],
      [-3, 0.1],
    ]);
  });

  it("piecewiseConstant with boundaries and scales (the ImageNet ResNet schedule: ×0.1 at 30, 60, 90)", () => {
    const lr = piecewiseConstant(0.1, { 30: 0.1, 60: 0.1, 90: 0.1 });
    table(lr, [
      [0, 0.1],
      [29, 0.1],
      [30, 0.01],
      [59, 0.01],
      [60, 0.001],
      [89, 0.001],
      [90, 1e-4],
      [1000, 1e-4],
    ]);
    // Pairs in any order, as a list.
    table(
      piecewiseConstant(1, [
        [20, 0.5],
        [10, 0.1],
      ]),
      [
        [9, 1],
        [10, 0.1],
        [20, 0.05],
      ],
    );
    // No boundaries: constant.
    table(piecewiseConstant(2, {}), [
      [0, 2],
      [50, 2],
    ]);
  });

  it("piecewiseConstant with boundaries and values", () => {
    table(piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] }), [
      [-1, 1],
      [0, 1],
      [9, 1],
      [10, 0.5],
      [19, 0.5],
      [20, 0.1],
      [500, 0.1],
    ]);
  });

  it("stepDecay: halve every 10 steps, or ×0.1 at milestones", () => {
    table(stepDecay(0.1, { every: 10, factor: 0.5 }), [
      [0, 0.1],
      [9, 0.1],
      [10, 0.05],
      [19, 0.05],
      [25, 0.025],
      [40, 0.00625],
      [-5, 0.1],
    ]);
    table(stepDecay(0.1, { milestones: [30, 60, 90], factor: 0.1 }), [
      [29, 0.1],
      [30, 0.01],
      [60, 0.001],
      [95, 1e-4],
    ]);
  });

  it("exponentialDecay: continuous, staircase, delayed start, end value", () => {
    table(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5 }), [
      [0, 1],
      [5, Math.SQRT1_2],
      [10, 0.5],
      [20, 0.25],
      [-4, 1],
    ]);
    table(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, staircase: true }), [
      [9, 1],
      [15, 0.5],
      [29, 0.25],
    ]);
    table(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, transitionBegin: 5 }), [
      [0, 1],
      [5, 1],
      [15, 0.5],
      [25, 0.25],
    ]);
    table(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, endValue: 0.3 }), [
      [10, 0.5],
      [20, 0.3],
      [100, 0.3],
    ]);
    // decayRate > 1 grows, and endValue is then a ceiling.
    table(exponentialDecay(1, { transitionSteps: 1, decayRate: 2, endValue: 5 }), [
      [2, 4],
      [3, 5],
      [10, 5],
    ]);
  });

  it("exponentialDecay reproduces η₀·e^{−kt} and η₀·0.9^epoch", () => {
    const k = 0.2;
    const expo = exponentialDecay(0.1, { transitionSteps: 1, decayRate: Math.exp(-k) });
    for (const t of [0, 1, 7, 30]) close(expo(t), 0.1 * Math.exp(-k * t), 1e-12);
    const nine = exponentialDecay(0.5, { transitionSteps: 1, decayRate: 0.9 });
    for (const t of [0, 3, 12]) close(nine(t), 0.5 * 0.9 ** t, 1e-12);
  });

  it("inverseTimeDecay: 1/t decay η₀/(1+kt), η₀/(t+1) and η₀/(t+1)²", () => {
    const k = 0.1;
    const inv = inverseTimeDecay(0.1, { decayRate: k });
    for (const t of [0, 1, 10, 99]) close(inv(t), 0.1 / (1 + k * t));
    const linear = inverseTimeDecay(1, { decayRate: 1 });
    const quadratic = inverseTimeDecay(1, { decayRate: 1, power: 2 });
    for (const t of [0, 1, 3, 9]) {
      close(linear(t), 1 / (t + 1));
      close(quadratic(t), 1 / (t + 1) ** 2);
    }
    table(inverseTimeDecay(1, { decayRate: 1, decaySteps: 10 }), [
      [15, 0.4],
      [-5, 1],
    ]);
    table(inverseTimeDecay(1, { decayRate: 1, decaySteps: 10, staircase: true }), [
      [9, 1],
      [15, 0.5],
      [20, 1 / 3],
    ]);
  });

  it("polynomialSchedule and linearSchedule", () => {
    table(polynomialSchedule(1, 0, 2, 10), [
      [0, 1],
      [5, 0.25],
      [10, 0],
      [20, 0],
      [-3, 1],
    ]);
    table(polynomialSchedule(1, 0.5, 1, 10, 5), [
      [0, 1],
      [5, 1],
      [10, 0.75],
      [15, 0.5],
      [30, 0.5],
    ]);
    table(linearSchedule(0, 1, 100), [
      [0, 0],
      [25, 0.25],
      [100, 1],
      [150, 1],
    ]);
    table(linearSchedule(1, 0.1, 10, 5), [
      [0, 1],
      [10, 0.55],
      [15, 0.1],
      [100, 0.1],
    ]);
  });

  it("cosineDecay with alpha and exponent", () => {
    table(cosineDecay(1, 100), [
      [0, 1],
      [25, 0.5 * (1 + Math.cos(Math.PI / 4))],
      [50, 0.5],
      [100, 0],
      [200, 0],
      [-10, 1],
    ]);
    table(cosineDecay(2, 100, { alpha: 0.1 }), [
      [50, 2 * (0.9 * 0.5 + 0.1)],
      [100, 0.2],
    ]);
    table(cosineDecay(1, 100, { exponent: 2 }), [[50, 0.25]]);
  });

  it("warmupCosineDecay: linear warmup then half cosine (decaySteps includes the warmup)", () => {
    const lr = warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110 });
    table(lr, [
      [0, 0],
      [5, 0.5],
      [10, 1],
      [60, 0.5],
      [110, 0],
      [200, 0],
    ]);
    const withEnd = warmupCosineDecay({
      initValue: 0.1,
      peakValue: 1,
      warmupSteps: 10,
      decaySteps: 110,
      endValue: 0.1,
    });
    table(withEnd, [
      [0, 0.1],
      [5, 0.55],
      [60, 0.55],
      [110, 0.1],
      [500, 0.1],
    ]);
    // No warmup: a plain cosine decay from the peak.
    table(warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 0, decaySteps: 100 }), [
      [0, 1],
      [50, 0.5],
    ]);
  });

  it("triangularSchedule (cyclical learning rates) in its three modes", () => {
    const tri = triangularSchedule({ base: 0.001, max: 0.006, stepSize: 2000 });
    table(tri, [
      [0, 0.001],
      [1000, 0.0035],
      [2000, 0.006],
      [3000, 0.0035],
      [4000, 0.001],
      [6000, 0.006],
    ]);
    const tri2 = triangularSchedule({ base: 0.001, max: 0.006, stepSize: 2000, mode: "triangular2" });
    table(tri2, [
      [2000, 0.006],
      [6000, 0.0035],
      [10000, 0.00225],
    ]);
    const exp = triangularSchedule({ base: 0.001, max: 0.006, stepSize: 2000, mode: "exp_range", gamma: 0.9999 });
    table(exp, [
      [2000, 0.001 + 0.005 * 0.9999 ** 2000],
      [4000, 0.001],
    ]);
  });

  it("cyclic repeats a schedule (SGDR: cosine with warm restarts)", () => {
    const base = cosineDecay(0.1, 100);
    const sgdr = cyclic(base, 100);
    for (const t of [0, 30, 99]) {
      close(sgdr(t), base(t));
      close(sgdr(t + 100), base(t), 1e-9);
      close(sgdr(t + 300), base(t), 1e-9);
    }
  });

  it("oneCycle: Optax's cosine one-cycle (and the linear variant)", () => {
    const lr = oneCycle({ transitionSteps: 100, peakValue: 1 });
    // init = peak/25 = 0.04, final = init/1e4 = 4e-6, peak at ⌊0.3·100⌋ = 30.
    table(lr, [
      [0, 0.04],
      [15, 0.52],
      [30, 1],
      [65, 4e-6 + (1 - 4e-6) / 2],
      [100, 4e-6],
      [150, 4e-6],
      [-5, 0.04],
    ]);
    const lin = oneCycle({
      transitionSteps: 100,
      peakValue: 2,
      pctStart: 0.5,
      divFactor: 10,
      finalDivFactor: 100,
      anneal: "linear",
    });
    table(lin, [
      [0, 0.2],
      [25, 1.1],
      [50, 2],
      [75, 1.001],
      [100, 0.002],
    ]);
  });

  it("joinSchedules shifts each schedule's step to its boundary", () => {
    const lr = joinSchedules(
      [linearSchedule(0, 1, 5), exponentialDecay(1, { transitionSteps: 1, decayRate: 0.5 })],
      [5],
    );
    table(lr, [
      [0, 0],
      [2, 0.4],
      [4, 0.8],
      [5, 1],
      [6, 0.5],
      [8, 0.125],
    ]);
    const three = joinSchedules(
      [constantSchedule(1), constantSchedule(2), (t: Array | number) => (typeof t === "number" ? t : t.mul(1))],
      [10, 20],
    );
    table(three, [
      [9, 1],
      [10, 2],
      [19, 2],
      [20, 0],
      [25, 5],
    ]);
  });
});
