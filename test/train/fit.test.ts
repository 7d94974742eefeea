import { describe, it, expect } from "vitest";
import { np, jit, valueAndGrad, tree } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { adam, applyUpdates } from "../../src/optim/index.js";
import { evaluateBatches, fit, readMetrics, type Metrics } from "../../src/train/index.js";

type Array = np.Array;

/** The scripted value for a 1-based epoch; fails clearly when fit passes an epoch outside the script. */
function scripted(values: readonly number[], epoch: number): number {
  const v = values[epoch - 1];
  if (v === undefined) throw new Error(`no scripted value for epoch ${epoch} (${values.length} scripted)`);
  return v;
}

/** A named metric of a record; fails clearly when the record lacks it. */
function metric(m: Readonly<Record<string, number>>, name: string): number {
  const v = m[name];
  if (v === undefined) throw new Error(`no metric ${name} (the record has ${Object.keys(m).join(", ") || "none"})`);
  return v;
}
interface Params {
  w: Array;
  b: Array;
}
interface Batch {
  x: Array;
  y: Array;
}

/** y = 3x - 1 on 40 points in [-1, 1]. */
function regressionData(n = 40): Batch {
  const x = np.linspace(-1, 1, n).reshape([n, 1]);
  return { x, y: x.mul(3).sub(1) };
}
const init = (): Params => ({ w: np.zeros([1, 1]), b: np.zeros([1]) });
const mse = (p: Params, b: Batch): Array => np.matmul(b.x, p.w).add(p.b).sub(b.y).square().mean();

/** Plain gradient descent; the optimizer state counts steps (exercises a non-trivial state). */
const sgdStep = jit((p: Params, count: Array, b: Batch) => {
  const [l, g] = valueAndGrad(mse)(p, b);
  const next = tree.map((pi: Array, gi: Array) => pi.sub(gi.mul(0.2)), p, g) as Params;
  return [next, count.add(1), { loss: l }] as const;
});

describe("fit", () => {
  it("decreases the loss of a tiny linear regression and records per-step and per-epoch metrics", () => {
    const data = regressionData();
    const r = fit({
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 16,
      epochs: 15,
      key: random.key(0),
      log: false,
    });
    expect(r.epochs).toBe(15);
    expect(r.steps).toBe(15 * 3);
    expect(r.history.steps.length).toBe(45);
    expect(r.history.epochs.length).toBe(15);
    expect(Number(r.optState.item())).toBe(45);
    expect(r.stoppedEarly).toBe(false);
    const losses = r.history.epochs.map((e) => metric(e.train, "loss"));
    expect(losses[14]).toBeLessThan(losses[0]! * 0.05);
    expect(Number(mse(r.params, data).item())).toBeLessThan(0.05);
    expect(Number(r.params.w.item())).toBeCloseTo(3, 0);
    // Step records: global 1-based steps, epochs, batch sizes 16, 16, 8 each epoch.
    expect(r.history.steps.slice(0, 4).map((s) => [s.step, s.epoch, s.size])).toEqual([
      [1, 1, 16],
      [2, 1, 16],
      [3, 1, 8],
      [4, 2, 16],
    ]);
    // Epoch means weight each step by its batch size.
    const e1 = r.history.steps.slice(0, 3);
    const want = e1.reduce((a, s) => a + metric(s.metrics, "loss") * s.size, 0) / 40;
    expect(r.history.epochs[0]!.train.loss).toBeCloseTo(want, 6);
    expect(r.history.epochs[0]!.steps).toBe(3);
    expect(r.history.epochs[14]!.elapsedMs).toBeGreaterThanOrEqual(r.history.epochs[0]!.elapsedMs);
  });

  it("reshuffles every epoch and uses every example once per epoch", () => {
    const n = 12;
    const data = { i: np.arange(n) };
    const seen: number[][] = [];
    const step = (p: number, s: number, b: { i: Array }) => {
      seen.push(Array.from(b.i.dataSync(), Number));
      return [p, s, 0] as const;
    };
    fit({ params: 0, optState: 0, step, data, batchSize: 5, epochs: 3, key: 42, log: false });
    const perEpoch = [0, 1, 2].map((e) => seen.slice(3 * e, 3 * e + 3).flat());
    for (const o of perEpoch) expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(new Set(perEpoch.map((o) => JSON.stringify(o))).size).toBe(3);
  });

  it("trains with an optax-style optimizer (adam) and dropLast", () => {
    const data = regressionData(32);
    const opt = adam(0.1);
    const step = jit((p: Params, s: ReturnType<typeof opt.init>, b: Batch) => {
      const [l, g] = valueAndGrad(mse)(p, b);
      const [u, s2] = opt.update(g, s, p);
      return [applyUpdates(p, u), s2, l] as const;
    });
    const p0 = init();
    const r = fit({
      params: p0,
      optState: opt.init(p0),
      step,
      data,
      batchSize: 10,
      dropLast: true,
      epochs: 30,
      key: random.key(1),
      log: false,
    });
    expect(r.history.steps.every((s) => s.size === 10)).toBe(true);
    expect(r.steps).toBe(90);
    expect(metric(r.history.epochs[29]!.train, "loss")).toBeLessThan(metric(r.history.epochs[0]!.train, "loss") * 0.1);
  });

  it("early stopping stops after `patience` epochs without improvement and restores the best params", () => {
    const data = regressionData(20);
    const vals = [5, 4, 3, 3.5, 3.2, 3.1, 1, 0.5];
    const paramsAt: Params[] = [];
    const r = fit({
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 10,
      epochs: 8,
      key: 0,
      validate: (_p, epoch) => ({ loss: scripted(vals, epoch), other: 1 }),
      earlyStopping: { metric: "loss", patience: 3 },
      onEpochEnd: ({ params }) => void paramsAt.push(params),
      log: false,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs).toBe(6);
    expect(r.bestEpoch).toBe(3);
    expect(r.bestScore).toBe(3);
    expect(r.params).toBe(paramsAt[2]);
    expect(r.lastParams).toBe(paramsAt[5]);
    expect(r.params).not.toBe(r.lastParams);
    expect(r.history.epochs.map((e) => e.val?.loss)).toEqual([5, 4, 3, 3.5, 3.2, 3.1]);
    expect(r.steps).toBe(12);
  });

  it("early stopping: mode max, minDelta, restoreBest false, patience 0, train metrics", () => {
    const data = regressionData(20);
    const base = {
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 10,
      epochs: 10,
      key: 0,
      log: false,
    } as const;
    const acc = [0.5, 0.7, 0.6, 0.65, 0.9];
    const r1 = fit({
      ...base,
      validate: (_p, e) => ({ acc: scripted(acc, e) }),
      earlyStopping: { metric: "acc", patience: 2, mode: "max" },
    });
    expect([r1.epochs, r1.bestEpoch, r1.bestScore]).toEqual([4, 2, 0.7]);
    // minDelta: 0.71 is not better than 0.7 by 0.05.
    const acc2 = [0.5, 0.7, 0.71, 0.72, 0.9];
    const r2 = fit({
      ...base,
      validate: (_p, e) => ({ acc: scripted(acc2, e) }),
      earlyStopping: { metric: "acc", patience: 2, mode: "max", minDelta: 0.05 },
    });
    expect([r2.epochs, r2.bestEpoch]).toEqual([4, 2]);
    const r3 = fit({
      ...base,
      validate: (_p, e) => scripted([3, 2, 2.5], e),
      earlyStopping: { metric: "loss", patience: 0, restoreBest: false },
    });
    expect([r3.epochs, r3.bestEpoch, r3.stoppedEarly]).toEqual([3, 2, true]);
    expect(r3.params).toBe(r3.lastParams);
    // Without validate the metric comes from the train epoch means (the loss keeps falling here).
    const r4 = fit({ ...base, earlyStopping: { metric: "loss", patience: 2 } });
    expect([r4.epochs, r4.stoppedEarly, r4.bestEpoch]).toEqual([10, false, 10]);
  });

  it("prints rate-limited progress lines: epoch, step, loss, elapsed time", () => {
    const data = regressionData(20);
    const lines: string[] = [];
    fit({
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 8,
      epochs: 2,
      key: 0,
      log: (l) => lines.push(l),
      logEvery: 0,
      validate: (p) => ({ loss: mse(p, data) }),
    });
    // 3 steps + 1 epoch line per epoch, then the summary.
    expect(lines.length).toBe(2 * 4 + 1);
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}step 1\/3 \(1\/6\) {2}loss \S+ {2}\d+\.\ds$/);
    expect(lines[3]).toMatch(/^epoch 1\/2 {2}loss \S+ {2}val_loss \S+ {2}\d+\.\ds$/);
    expect(lines[8]).toMatch(/^done: 2 epochs, 6 steps in \d+\.\ds$/);
    // The default rate limit (1 s) keeps a fast run silent.
    const quiet: string[] = [];
    fit({
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 8,
      epochs: 2,
      key: 0,
      log: (l) => quiet.push(l),
    });
    expect(quiet).toEqual([]);
    // An early stop is reported in the summary.
    const es: string[] = [];
    fit({
      params: 0,
      optState: 0,
      step: (p: number, s: number) => [p, s, 1] as const,
      data,
      batchSize: 20,
      epochs: 5,
      key: 0,
      log: (l) => es.push(l),
      logEvery: 0,
      earlyStopping: { metric: "loss", patience: 1 },
    });
    expect(es[es.length - 1]).toMatch(
      /early stop at epoch 2: loss did not improve for 1 epoch \(best 1 at epoch 1\); restored the parameters of epoch 1/,
    );
  });

  it("errors: bad options, a step that does not return a triple, unknown early-stopping metric", () => {
    const data = regressionData(10);
    const base = {
      params: init(),
      optState: np.array(0, { dtype: "int32" }),
      step: sgdStep,
      data,
      batchSize: 5,
      epochs: 2,
      key: 0,
      log: false,
    } as const;
    expect(() => fit({ ...base, epochs: 0 })).toThrow(/epochs must be an integer >= 1/);
    expect(() => fit({ ...base, batchSize: 11 })).toThrow(/batch size 11 is larger than the data \(10 examples\)/);
    expect(() => fit({ ...base, key: null })).toThrow(/needs a key/);
    expect(() => fit({ ...base, earlyStopping: { metric: "loss", patience: -1 } })).toThrow(
      /patience must be an integer >= 0/,
    );
    expect(() => fit({ ...base, earlyStopping: { metric: "acc", patience: 1 } })).toThrow(
      /"acc" is not among the metrics: loss \(train\)/,
    );
    const bad = (() => [1, 2]) as unknown as (p: Params, s: Array, b: Batch) => readonly [Params, Array, Metrics];
    expect(() => fit({ ...base, step: bad })).toThrow(/must return \[params, optState, metrics\]/);
    const vec = (p: Params, s: Array) => [p, s, { loss: np.zeros([2]) }] as const;
    expect(() => fit({ ...base, step: vec })).toThrow(/metric "loss" must be a scalar/);
  });
});

describe("evaluateBatches and readMetrics", () => {
  it("weights batch metrics by batch size", () => {
    const data = { v: np.arange(10) };
    // Mean of v over the data (4.5), computed in batches of 4, 4, 2.
    const m = evaluateBatches((b) => ({ mean: b.v.mean(), n: b.v.shape[0]! }), data, 4);
    expect(m.mean).toBeCloseTo(4.5);
    expect(evaluateBatches((b) => b.v.mean(), data, 100).loss).toBeCloseTo(4.5);
    expect(readMetrics(np.array(2))).toEqual({ loss: 2 });
    expect(readMetrics({ a: 1, b: np.array([3]) })).toEqual({ a: 1, b: 3 });
  });
});
