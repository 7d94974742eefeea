/**
 * fitAsync: the same loop as fit with every metric read awaited — identical histories, results
 * and early stopping on a synchronous backend; the errors of its options carry its own name; a
 * metric on a backend that only reads asynchronously sends fit's users to fitAsync.
 */
import { describe, expect, it } from "vitest";
import { jit, np, tree, valueAndGrad } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { fit, fitAsync, readMetrics, readMetricsAsync } from "../../src/train/index.js";

type Array = np.Array;
interface Params {
  w: Array;
  b: Array;
}
interface Batch {
  x: Array;
  y: Array;
}

const data = (): Batch => {
  const x = np.linspace(-1, 1, 40).reshape([40, 1]);
  return { x, y: x.mul(3).sub(1) };
};
const mse = (p: Params, b: Batch): Array => np.matmul(b.x, p.w).add(p.b).sub(b.y).square().mean();
const step = jit((p: Params, count: Array, b: Batch) => {
  const [l, g] = valueAndGrad(mse)(p, b);
  return [tree.map((pi: Array, gi: Array) => pi.sub(gi.mul(0.2)), p, g) as Params, count.add(1), { loss: l }] as const;
});

const options = (validate = false) => {
  const d = data();
  return {
    params: { w: np.zeros([1, 1]), b: np.zeros([1]) },
    optState: np.array(0, { dtype: "int32" }),
    step,
    data: d,
    batchSize: 16,
    epochs: 12,
    key: random.key(3),
    log: false as const,
    ...(validate
      ? {
          validate: (p: Params) => ({ val_loss: mse(p, d) }),
          earlyStopping: { metric: "val_loss", patience: 2, minDelta: 1e-3 },
        }
      : {}),
  };
};

describe("fitAsync", () => {
  it("gives fit's history and parameters, step by step", async () => {
    const sync = fit(options());
    const async_ = await fitAsync(options());
    expect(async_.steps).toBe(sync.steps);
    expect(async_.history.steps).toEqual(sync.history.steps);
    expect(async_.history.epochs.map((e) => e.train)).toEqual(sync.history.epochs.map((e) => e.train));
    expect(Array.from(async_.params.w.dataSync())).toEqual(Array.from(sync.params.w.dataSync()));
    expect(sync.history.steps.at(-1)!.metrics.loss!).toBeLessThan(sync.history.steps[0]!.metrics.loss!);
  });

  it("validates and stops early exactly as fit does", async () => {
    const sync = fit(options(true));
    const async_ = await fitAsync(options(true));
    expect(sync.stoppedEarly).toBe(true);
    expect(async_.stoppedEarly).toBe(true);
    expect(async_.bestEpoch).toBe(sync.bestEpoch);
    expect(async_.history.epochs.map((e) => e.val)).toEqual(sync.history.epochs.map((e) => e.val));
  });

  it("names itself in option errors", async () => {
    await expect(fitAsync({ ...options(), epochs: 0 })).rejects.toThrow(/^fitAsync: epochs must be an integer >= 1/);
  });

  it("readMetricsAsync reads what readMetrics reads, with the same checks", async () => {
    const m = { loss: np.array(0.5), acc: 0.75, n: np.array(3, { dtype: "int32" }) };
    expect(await readMetricsAsync(m)).toEqual(readMetrics(m));
    await expect(readMetricsAsync({ bad: np.ones([2]) })).rejects.toThrow(/metric "bad" must be a scalar/);
  });
});
