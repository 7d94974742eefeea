import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import { map } from "../../src/tree/index.js";
import { grad, valueAndGrad } from "../../transforms/grad.js";
import { jit } from "../../transforms/jit.js";
import { GradNormTracker, gradNorm } from "../../src/curvature/index.js";

type Array = np.Array;

const near = (got: number, want: number, tol = 1e-6) =>
  expect(Math.abs(got - want), `got ${got}, want ${want}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));

describe("gradNorm", () => {
  it("is the global L2 norm over all leaves", () => {
    const g = {
      w: np.array([
        [1, 2],
        [2, 0],
      ]),
      b: np.array([4]),
      layers: [np.array(2), 3],
    };
    near(gradNorm(g).item() as number, Math.sqrt(1 + 4 + 4 + 16 + 4 + 9));
    near(gradNorm(np.array([3, 4])).item() as number, 5);
    expect(gradNorm({}).item()).toBe(0);
    expect(gradNorm(np.zeros([3])).item()).toBe(0);
  });

  it("keeps float64 when any leaf is float64", () => {
    const n = gradNorm({ a: np.array([1e-30], { dtype: "float64" }), b: np.array([0], { dtype: "float32" }) });
    expect(n.dtype).toBe("float64");
    expect(n.item()).toBe(1e-30);
    expect(gradNorm({ a: np.ones([2]) }).dtype).toBe("float32");
  });

  it("is jittable and differentiable (0, not NaN, at zero)", () => {
    const f = jit((g: { a: Array; b: Array }) => gradNorm(g));
    near(f({ a: np.array([3]), b: np.array([4]) }).item() as number, 5);
    const dn = grad((g: { a: Array; b: Array }) => gradNorm(g));
    const d = dn({ a: np.array([3]), b: np.array([4]) });
    near(d.a.item() as number, 0.6);
    near(d.b.item() as number, 0.8);
    const z = dn({ a: np.zeros([2]), b: np.zeros([1]) });
    expect([...z.a.dataSync(), ...z.b.dataSync()]).toEqual([0, 0, 0]);
  });
});

describe("GradNormTracker", () => {
  it("records norms from a training loop and summarizes them", () => {
    // gradient descent on ½ Σ dᵢ xᵢ² with lr 0.1: every gradient component shrinks by (1 − 0.1 dᵢ)
    const dvec = np.array([1, 2, 4]);
    const loss = (p: { x: Array }) => p.x.square().mul(dvec).sum().div(2);
    let params = { x: np.array([1, 1, 1]) };
    const tracker = new GradNormTracker();
    for (let step = 0; step < 20; step++) {
      const [, g] = valueAndGrad(loss)(params);
      tracker.record(g);
      params = map((p: Array, gi: Array) => p.sub(gi.mul(0.1)), params, g);
    }
    const norms = tracker.norms;
    expect(norms).toHaveLength(20);
    near(norms[0]!, Math.sqrt(1 + 4 + 16));
    for (let i = 1; i < norms.length; i++) expect(norms[i]!).toBeLessThan(norms[i - 1]!);
    const s = tracker.summary();
    expect(s.count).toBe(20);
    near(s.max, norms[0]!);
    near(s.min, norms[19]!);
    near(s.last, norms[19]!);
    near(s.mean, norms.reduce((a, b) => a + b, 0) / 20);
    expect(s.ema).toBeGreaterThan(s.min);
    expect(s.nonFinite).toBe(0);
    expect(tracker.history.map((r) => r.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("accepts precomputed norms (from a jitted step) and explicit steps", () => {
    const step = jit((x: Array) => {
      const g = grad((y: Array) => y.square().sum())(x);
      return [x.sub(g.mul(0.25)), gradNorm(g)] as const;
    });
    const tracker = new GradNormTracker({ emaDecay: 0.5 });
    let x = np.array([3, 4]);
    for (let i = 0; i < 3; i++) {
      const [nx, n] = step(x);
      tracker.record(n, 10 * i);
      x = nx;
    }
    expect(tracker.norms.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([10, 5, 2.5]);
    expect(tracker.history.map((r) => r.step)).toEqual([0, 10, 20]);
    near(tracker.summary().ema, 0.5 * (0.5 * 10 + 0.5 * 5) + 0.5 * 2.5);
    tracker.record(7);
    expect(tracker.history.at(-1)).toEqual({ step: 21, norm: 7 });
  });

  it("per-leaf norms, bounded history, NaN counting, reset", () => {
    const tracker = new GradNormTracker({ perLeaf: true, maxHistory: 2 });
    tracker.record({ w: np.array([3, 4]), layers: [{ b: np.array([1]) }] });
    expect(tracker.history[0]!.leaves).toEqual({ ".layers[0].b": 1, ".w": 5 });
    tracker.record({ w: np.array([NaN, 0]), layers: [{ b: np.array([0]) }] });
    tracker.record({ w: np.array([0, 1]), layers: [{ b: np.array([0]) }] });
    expect(tracker.history).toHaveLength(2);
    const s = tracker.summary();
    expect(s.count).toBe(3);
    expect(s.nonFinite).toBe(1);
    near(s.max, Math.sqrt(26));
    near(s.min, 1);
    tracker.reset();
    expect(tracker.history).toHaveLength(0);
    expect(Number.isNaN(tracker.summary().mean)).toBe(true);
    expect(() => new GradNormTracker({ emaDecay: 1 })).toThrow(/emaDecay/);
    expect(() => new GradNormTracker({ maxHistory: 0 })).toThrow(/maxHistory/);
    expect(() => tracker.record({ a: "x" })).toThrow(/leaf 0 must be a graft array/);
  });
});
