/** Optimizers as fp-ts State: running the State equals calling update; trainStep follows the SGD recursion. */
import { pipe } from "fp-ts/function";
import * as S from "fp-ts/State";
import { describe, expect, it } from "vitest";
import type { Array } from "../../src/core/array.js";
import * as fp from "../../src/fp/index.js";
import * as np from "../../src/numpy/index.js";
import * as optim from "../../src/optim/index.js";
import { tree } from "../../src/tree/index.js";

const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });
const values = (x: unknown): number[][] =>
  tree.leaves(x).map((leaf) => globalThis.Array.from((leaf as Array).dataSync(), Number));

describe("toState", () => {
  it("running the State over several steps equals calling update step by step (adam)", () => {
    const opt = optim.adam(0.05);
    const params = { w: f64([1, -2]), b: f64(0.5) };
    const gradsPerStep = [
      { w: f64([0.1, 0.2]), b: f64(-1) },
      { w: f64([-0.3, 0.4]), b: f64(0.25) },
      { w: f64([2, -0.5]), b: f64(0) },
    ];
    const [updates, finalState] = pipe(
      gradsPerStep,
      S.traverseArray((g) => fp.toState(opt)(g, params)),
    )(opt.init(params));

    let state = opt.init(params);
    const want: unknown[] = [];
    for (const g of gradsPerStep) {
      const [u, next] = opt.update(g, state, params);
      want.push(u);
      state = next;
    }
    expect(values(updates)).toEqual(values(want));
    expect(values(finalState)).toEqual(values(state));
  });

  it("sgd's update through the State is −lr·g (an independent check)", () => {
    const opt = optim.sgd(0.1);
    const [u] = fp.toState(opt)(f64([1, -3]))(opt.init(f64([0, 0])));
    const [a, b] = u.dataSync();
    expect(a).toBeCloseTo(-0.1, 12);
    expect(b).toBeCloseTo(0.3, 12);
  });
});

describe("trainStep", () => {
  it("n steps of SGD on ‖w‖² follow w ← (1 − 2·lr)·w, and the values are the losses before each step", () => {
    const lr = 0.1;
    const opt = optim.sgd(lr);
    const w0 = f64([1, -2]);
    const step = fp.trainStep(opt, (w: Array) => w.square().sum());
    const [losses, end] = S.traverseArray(() => step)([0, 1, 2])({ params: w0, optState: opt.init(w0) });
    const shrink = 1 - 2 * lr;
    [0, 1, 2].forEach((k) => expect(losses[k]!.item()).toBeCloseTo(5 * shrink ** (2 * k), 12));
    const [a, b] = end.params.dataSync();
    expect(a).toBeCloseTo(shrink ** 3, 12);
    expect(b).toBeCloseTo(-2 * shrink ** 3, 12);
  });

  it("does not touch the starting parameters", () => {
    const w0 = f64([1, 2]);
    const opt = optim.sgd(0.5);
    fp.trainStep(opt, (w: Array) => w.sum())({ params: w0, optState: opt.init(w0) });
    expect(values(w0)).toEqual([[1, 2]]);
  });
});
