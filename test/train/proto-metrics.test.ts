import { describe, it, expect } from "vitest";
import { np } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import {
  evaluateBatches,
  fit,
  formatTable,
  gridSearch,
  lossCurveSvg,
  randomSearch,
  readMetrics,
  type Metrics,
} from "../../src/train/index.js";

type Array = np.Array;

/** Written as a constant so that `m[PROTO]` reads an own key (`m.__proto__` would be the prototype). */
const PROTO = "__proto__";
const CTOR = "constructor";

/** Metrics named `__proto__` and `constructor` (a literal `{ __proto__: … }` would set the prototype instead). */
function awkwardMetrics(a: number, b: number, loss: number): Metrics {
  return { [PROTO]: a, constructor: b, loss } as unknown as Metrics;
}

const data = { x: np.arange(4).astype("float32").reshape([4, 1]) };

describe("metrics named __proto__ and constructor", () => {
  it("readMetrics keeps them as ordinary names", () => {
    const m = readMetrics(awkwardMetrics(1, np.array(2) as unknown as number, 3));
    expect(Object.keys(m)).toEqual(["__proto__", "constructor", "loss"]);
    expect(m[PROTO]).toBe(1);
    expect(m.constructor).toBe(2);
    expect(m.loss).toBe(3);
  });

  it("a missing name is undefined, not a property of Object.prototype", () => {
    const m = readMetrics({ loss: 1 });
    expect(m.constructor).toBeUndefined();
    expect(m.toString).toBeUndefined();
    expect(readMetrics(np.array(2) as unknown as Metrics).loss).toBe(2);
  });

  it("fit records them per step and per epoch, and early stopping can watch them", () => {
    let calls = 0;
    const r = fit({
      params: 0,
      optState: null,
      step: (p: number, s: null) => {
        calls++;
        return [p, s, awkwardMetrics(calls, 10 - calls, 0.5)] as const;
      },
      data,
      batchSize: 2,
      epochs: 3,
      shuffle: false,
      log: false,
      validate: () => awkwardMetrics(7, 8, 9),
      earlyStopping: { metric: "constructor", patience: 1, mode: "min" },
    });
    const step = r.history.steps[0]!.metrics;
    expect(Object.keys(step).sort()).toEqual(["__proto__", "constructor", "loss"]);
    expect(step[PROTO]).toBe(1);
    const epoch = r.history.epochs[0]!;
    expect(epoch.train[PROTO]).toBe(1.5); // mean of steps 1 and 2 (equal batch sizes)
    expect(epoch.train.constructor).toBe(8.5);
    expect(epoch.val?.[PROTO]).toBe(7);
    expect(epoch.val?.constructor).toBe(8);
    // The validation "constructor" never improves after epoch 1, so patience 1 stops at epoch 2.
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(1);
    expect(r.bestScore).toBe(8);
  });

  it("early stopping on a name that is only on Object.prototype is reported as missing", () => {
    expect(() =>
      fit({
        params: 0,
        optState: null,
        step: (p: number, s: null) => [p, s, { loss: 1 }] as const,
        data,
        batchSize: 2,
        epochs: 2,
        shuffle: false,
        log: false,
        earlyStopping: { metric: "toString", patience: 1 },
      }),
    ).toThrow(/earlyStopping.metric "toString" is not among the metrics: loss \(train\)/);
  });

  it("evaluateBatches and lossCurveSvg see them", () => {
    const means = evaluateBatches((b: { x: Array }) => awkwardMetrics(b.x.shape[0]!, 1, 2), data, 3);
    expect(Object.keys(means)).toEqual(["__proto__", "constructor", "loss"]);
    expect(means[PROTO]).toBeCloseTo((3 * 3 + 1 * 1) / 4);
    const r = fit({
      params: 0,
      optState: null,
      step: (p: number, s: null) => [p, s, awkwardMetrics(1, 2, 3)] as const,
      data,
      batchSize: 2,
      epochs: 1,
      shuffle: false,
      log: false,
    });
    const svg = lossCurveSvg(r.history, { metric: "__proto__" });
    expect(svg).toContain('class="steps"');
    expect(svg).not.toContain("no __proto__ values recorded");
  });
});

describe("hyperparameters named __proto__ and constructor", () => {
  it("gridSearch keeps them as own keys of each point", () => {
    const space = JSON.parse('{"__proto__": [1, 2], "constructor": [3]}') as Record<string, number[]>;
    const results = gridSearch(space, (hp) => (hp as Record<string, number>)[PROTO]!);
    expect(results.map((r) => Object.keys(r.params))).toEqual([
      ["__proto__", "constructor"],
      ["__proto__", "constructor"],
    ]);
    expect(results.map((r) => r.score)).toEqual([1, 2]);
    expect(formatTable(results)).toContain("__proto__");
  });

  it("randomSearch samples them", () => {
    const space = JSON.parse('{"__proto__": {"uniform": [0, 1]}, "constructor": {"int": [1, 3]}}');
    const results = randomSearch(space, 4, (hp) => (hp as Record<string, number>)[CTOR]!, {
      key: random.key(0),
    });
    for (const r of results) {
      const p = r.params as Record<string, number>;
      expect(Object.hasOwn(p, "__proto__")).toBe(true);
      expect(typeof p[CTOR]).toBe("number");
      expect(p[CTOR]).toBe(r.score);
    }
  });
});
