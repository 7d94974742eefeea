/**
 * Learning-rate schedules: values at chosen steps against hand-computed numbers and the course
 * notes' formulas (step decay, exponential η₀e^{−kt}, 1/t decay η₀/(1+kt), η₀/(t+1)²), the same
 * values from int32/float32/float64 Array steps and under `jit` with a traced step (one compile for
 * every step), `vmap`, and every error path.
 */
import { describe, expect, it } from "vitest";
import { jit, np, vmap } from "../../src/index.js";
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
} from "../../src/optim/schedules.js";
import type { Schedule } from "../../src/optim/types.js";

type Array = np.Array;

const close = (got: number, want: number, tol = 1e-12): void => {
  expect(Math.abs(got - want), `got ${got}, want ${want}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));
};
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

  it("piecewiseConstant with boundaries and scales (the notes' ResNet schedule: ×0.1 at 30, 60, 90)", () => {
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

  it("exponentialDecay reproduces the notes' η₀·e^{−kt} and η₀·0.9^epoch", () => {
    const k = 0.2;
    const expo = exponentialDecay(0.1, { transitionSteps: 1, decayRate: Math.exp(-k) });
    for (const t of [0, 1, 7, 30]) close(expo(t), 0.1 * Math.exp(-k * t), 1e-12);
    const nine = exponentialDecay(0.5, { transitionSteps: 1, decayRate: 0.9 });
    for (const t of [0, 3, 12]) close(nine(t), 0.5 * 0.9 ** t, 1e-12);
  });

  it("inverseTimeDecay: the notes' 1/t decay η₀/(1+kt), η₀/(t+1) and η₀/(t+1)²", () => {
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

// Every schedule, for the Array-step and jit tests.
const all: [string, ScheduleFn][] = [
  ["constant", constantSchedule(0.3)],
  ["piecewise scales", piecewiseConstant(0.1, { 30: 0.1, 60: 0.1 })],
  ["piecewise values", piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] })],
  ["step every", stepDecay(0.1, { every: 10, factor: 0.5 })],
  ["step milestones", stepDecay(0.1, { milestones: [30, 60], factor: 0.1 })],
  ["exponential", exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, transitionBegin: 3, endValue: 0.05 })],
  ["exponential staircase", exponentialDecay(1, { transitionSteps: 7, decayRate: 0.8, staircase: true })],
  ["inverse time", inverseTimeDecay(0.1, { decayRate: 0.5, decaySteps: 4, power: 2 })],
  ["polynomial", polynomialSchedule(1, 0.01, 2, 50, 5)],
  ["linear", linearSchedule(0, 1, 40)],
  ["cosine", cosineDecay(1, 60, { alpha: 0.1 })],
  ["warmup cosine", warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 70, endValue: 0.01 })],
  ["triangular2", triangularSchedule({ base: 0.1, max: 1, stepSize: 8, mode: "triangular2" })],
  ["cyclic", cyclic(cosineDecay(1, 25), 25)],
  ["one cycle", oneCycle({ transitionSteps: 80, peakValue: 1 })],
  ["join", joinSchedules([linearSchedule(0, 1, 5), cosineDecay(1, 50)], [5])],
];
const steps = [0, 1, 2, 3, 5, 7, 9, 10, 11, 19, 20, 24, 25, 29, 30, 31, 45, 59, 60, 61, 70, 79, 80, 100, 1000];

describe("Array steps and tracing", () => {
  it("int32 and float32 steps give float32 arrays, float64 steps float64, with the JS-number values", () => {
    for (const [name, s] of all) {
      const want = steps.map((t) => s(t));
      for (const dtype of ["int32", "float32", "float64", "uint32"] as const) {
        const out = s(np.array(steps, { dtype }));
        expect(out.dtype, `${name} ${dtype}`).toBe(dtype === "float64" ? "float64" : "float32");
        expect(out.shape).toEqual([steps.length]);
        const got = Array.from(out.dataSync());
        got.forEach((g, i) => close(g, want[i]!, dtype === "float64" ? 1e-12 : 2e-6));
      }
      // A scalar step gives a scalar array.
      const scalar = s(np.array(11, { dtype: "int32" }));
      expect(scalar.shape).toEqual([]);
      close(Number(scalar.item()), s(11), 2e-6);
    }
  });

  it("works under jit with a traced step: one compile serves every step", () => {
    for (const [name, s] of all) {
      const f = jit((t: Array) => s(t));
      for (const t of steps) close(Number(f(np.array(t, { dtype: "int32" })).item()), s(t), 2e-6);
      expect(f.cacheSize, name).toBe(1);
      // The program holds no host reads: the same compiled function also runs on float64 steps.
      const f64 = jit((t: Array) => s(t))(np.array(steps, { dtype: "float64" }));
      Array.from(f64.dataSync()).forEach((g, i) => close(g, s(steps[i]!), 1e-12));
    }
  });

  it("works under vmap and inside a jitted training-style step", () => {
    const lr = warmupCosineDecay({ initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 110 });
    const batched = vmap((t: Array) => lr(t))(np.array([0, 5, 60, 110], { dtype: "int32" }));
    Array.from(batched.dataSync()).forEach((g, i) => close(g, [0, 0.05, 0.05, 0][i]!, 1e-6));
    // The step counter is state: lr(count) scales an update, count += 1.
    const step = jit((w: Array, count: Array) => [w.sub(lr(count).mul(w)), count.add(1)] as const);
    let w = np.array([1, 2]);
    let count = np.array(0, { dtype: "int32" });
    let want = [1, 2];
    for (let i = 0; i < 15; i++) {
      [w, count] = step(w, count);
      want = want.map((x) => x - lr(i) * x);
    }
    Array.from(w.dataSync()).forEach((g, i) => close(g, want[i]!, 1e-5));
    expect(step.cacheSize).toBe(1);
  });

  it("a schedule is assignable to the Schedule type and user schedules compose", () => {
    const s: Schedule = cosineDecay(1, 10);
    const user: Schedule = (t) => (typeof t === "number" ? 1 / (t + 1) : np.reciprocal(t.add(1)));
    const joined = joinSchedules([s, user], [10]);
    close(joined(12), 1 / 3);
    close(Number(jit((t: Array) => joined(t))(np.array(12, { dtype: "int32" })).item()), 1 / 3, 1e-6);
  });
});

describe("errors", () => {
  it("rejects bad hyperparameters with RangeError", () => {
    const bad: [string, () => unknown][] = [
      ["constant NaN", () => constantSchedule(NaN)],
      ["negative scale", () => piecewiseConstant(1, { 10: -0.5 })],
      ["values length", () => piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5] })],
      ["unsorted boundaries", () => piecewiseConstant({ boundaries: [20, 10], values: [1, 0.5, 0.1] })],
      [
        "duplicate boundaries",
        () =>
          piecewiseConstant(1, [
            [10, 0.5],
            [10, 0.1],
          ]),
      ],
      ["every 0", () => stepDecay(1, { every: 0, factor: 0.5 })],
      ["negative factor", () => stepDecay(1, { every: 10, factor: -0.5 })],
      ["milestones order", () => stepDecay(1, { milestones: [60, 30], factor: 0.1 })],
      ["transitionSteps 0", () => exponentialDecay(1, { transitionSteps: 0, decayRate: 0.5 })],
      ["decayRate 0", () => exponentialDecay(1, { transitionSteps: 10, decayRate: 0 })],
      ["negative begin", () => exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, transitionBegin: -1 })],
      ["inverse negative rate", () => inverseTimeDecay(1, { decayRate: -1 })],
      ["inverse decaySteps 0", () => inverseTimeDecay(1, { decayRate: 1, decaySteps: 0 })],
      ["polynomial steps 0", () => polynomialSchedule(1, 0, 1, 0)],
      ["polynomial power 0", () => polynomialSchedule(1, 0, 0, 10)],
      ["linear steps -1", () => linearSchedule(1, 0, -1)],
      ["cosine steps 0", () => cosineDecay(1, 0)],
      ["cosine Infinity", () => cosineDecay(Infinity, 10)],
      ["warmup >= decay", () => warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 10 })],
      ["triangular stepSize", () => triangularSchedule({ base: 0, max: 1, stepSize: 0 })],
      ["triangular mode", () => triangularSchedule({ base: 0, max: 1, stepSize: 5, mode: "sawtooth" as "triangular" })],
      ["triangular gamma", () => triangularSchedule({ base: 0, max: 1, stepSize: 5, mode: "exp_range", gamma: 1.5 })],
      ["cyclic period", () => cyclic(constantSchedule(1), 0)],
      ["oneCycle pctStart 1", () => oneCycle({ transitionSteps: 100, peakValue: 1, pctStart: 1 })],
      ["oneCycle steps 0", () => oneCycle({ transitionSteps: 0, peakValue: 1 })],
      ["oneCycle too short", () => oneCycle({ transitionSteps: 2, peakValue: 1 })],
      ["oneCycle divFactor", () => oneCycle({ transitionSteps: 100, peakValue: 1, divFactor: 0 })],
      ["join boundaries count", () => joinSchedules([constantSchedule(1), constantSchedule(2)], [])],
      [
        "join boundaries order",
        () => joinSchedules([constantSchedule(1), constantSchedule(2), constantSchedule(3)], [20, 10]),
      ],
    ];
    for (const [name, f] of bad) expect(f, name).toThrow(RangeError);
  });

  it("rejects wrong argument types with TypeError, naming the schedule", () => {
    expect(() => joinSchedules([], [])).toThrow(TypeError);
    expect(() => joinSchedules([constantSchedule(1), 3 as unknown as Schedule], [5])).toThrow(
      /schedules\[1\] must be a function/,
    );
    expect(() => cyclic(null as unknown as Schedule, 10)).toThrow(TypeError);
    expect(() => stepDecay(1, null as unknown as { every: number; factor: number })).toThrow(TypeError);
    expect(() => (cosineDecay(1, 10) as (s: unknown) => unknown)("3")).toThrow(
      /cosineDecay: the step must be a graft Array or a JS number/,
    );
    expect(() => cosineDecay(1, 10)(NaN)).toThrow(/NaN/);
    expect(() => constantSchedule("1" as unknown as number)).toThrow(/value must be a finite number/);
  });
});
