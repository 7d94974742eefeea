/**
 * Learning-rate schedules on Array steps: the same values from int32/float32/float64 Array steps
 * as from JS numbers, under `jit` with a traced step (one compile for every step) and `vmap`, and
 * every error path. The values themselves are checked in schedules.test.ts.
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
} from "../../src/optim/index.js";
import { closeNumber as close } from "./_util.js";
import type { Schedule } from "../../src/optim/types.js";

type Array = np.Array;

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
