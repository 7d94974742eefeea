/** Behaviour of the combinators: masked, multiTransform, applyIfFinite, multiSteps, injectHyperparams, chain. */
import { describe, expect, it } from "vitest";
import { Array, arr, expectClose, flat, jit, np, optim, tree, type Arr } from "./_util.js";

const O = optim;

/** A hyperparameter of an injectHyperparams state; fails clearly when the state lacks it. */
function hyperparam(state: { readonly hyperparams: Readonly<Record<string, Arr>> }, name: string): Arr {
  const v = state.hyperparams[name];
  if (v === undefined)
    throw new Error(`the state has no hyperparameter ${name} (it has ${Object.keys(state.hyperparams)})`);
  return v;
}
type P = { w: Arr; b: Arr; emb: { table: Arr } };
const params = (): P => ({
  w: arr([
    [1, 2],
    [3, 4],
  ]),
  b: arr([1, -1]),
  emb: { table: arr([5, 6, 7]) },
});
const grads = (): P => ({
  w: arr([
    [0.1, 0.2],
    [0.3, 0.4],
  ]),
  b: arr([2, -2]),
  emb: { table: arr([1, 1, 1]) },
});

describe("chain", () => {
  it("applies the links in order", () => {
    const opt = O.chain(O.scale(2), O.clip(1), O.scaleByLearningRate(0.5));
    const [u] = opt.update(arr([0.2, 3]), opt.init(arr([0, 0])));
    expectClose(u as Arr, [-0.2, -0.5]);
  });
});

describe("masked", () => {
  it("applies the inner transformation to masked-in leaves and passes the others through", () => {
    const opt = O.masked(O.sgd(0.1), { w: true, b: false, emb: { table: true } });
    const [u] = opt.update(grads(), opt.init(params()), params()) as [P, unknown];
    expectClose(u.w, [-0.01, -0.02, -0.03, -0.04]);
    expectClose(u.b, [2, -2]); // unchanged
    expectClose(u.emb.table, [-0.1, -0.1, -0.1]);
  });

  it("accepts a prefix mask and a function mask; the inner state only covers masked-in leaves", () => {
    const prefix = O.masked(O.sgd(0.1, { momentum: 0.9 }), { w: false, b: false, emb: true });
    const s = prefix.init(params());
    const trace = ((s.innerState as readonly unknown[])[0] as optim.TraceState).trace;
    expect(tree.leaves(trace)).toHaveLength(1);
    const [u1] = prefix.update(grads(), s, params()) as [P, unknown];
    expectClose(u1.emb.table, [-0.1, -0.1, -0.1]);
    expectClose(u1.w, flat(grads().w));

    const fn = O.masked(O.sgd(1), (p: unknown) => tree.map((x: Arr) => x.ndim === 2, p));
    const [u2] = fn.update(grads(), fn.init(params()), params()) as [P, unknown];
    expectClose(u2.w, [-0.1, -0.2, -0.3, -0.4]);
    expectClose(u2.b, [2, -2]);
  });

  it("adamw's mask limits the weight decay", () => {
    const p = params();
    const g = grads();
    const withMask = O.adamw(0.1, { weightDecay: 0.5, mask: { w: true, b: false, emb: false } });
    const [u] = withMask.update(g, withMask.init(p), p) as [P, unknown];
    expectClose(
      u.w,
      [1, 2, 3, 4].map((w) => -0.1 * (1 + 0.5 * w)),
      1e-6,
    );
    expectClose(u.b, [-0.1, 0.1], 1e-6);
  });
});

describe("multiTransform", () => {
  it("routes each label to its transformation", () => {
    const opt = O.multiTransform(
      { fast: O.sgd(1), slow: O.sgd(0.01), frozen: O.setToZero() },
      { w: "fast", b: "slow", emb: "frozen" },
    );
    const s = opt.init(params());
    expect(Object.keys(s.innerStates).sort()).toEqual(["fast", "frozen", "slow"]);
    const [u] = opt.update(grads(), s, params()) as [P, unknown];
    expectClose(u.w, [-0.1, -0.2, -0.3, -0.4]);
    expectClose(u.b, [-0.02, 0.02]);
    expectClose(u.emb.table, [0, 0, 0]);
  });

  it("takes labels from a function of the params", () => {
    const opt = O.multiTransform({ matrix: O.sgd(1), vector: O.sgd(0) }, (p: unknown) =>
      tree.map((x: Arr) => (x.ndim === 2 ? "matrix" : "vector"), p),
    );
    const [u] = opt.update(grads(), opt.init(params()), params()) as [P, unknown];
    expectClose(u.w, [-0.1, -0.2, -0.3, -0.4]);
    expectClose(u.b, [0, 0]);
  });

  it("a label without a transformation is an error naming it", () => {
    const opt = O.multiTransform({ a: O.sgd(1) }, { w: "a", b: "a", emb: "missing" });
    expect(() => opt.init(params())).toThrow(/label\(s\) "missing" have no transformation \(known: a\)/);
  });
});

describe("applyIfFinite", () => {
  const p = () => ({ x: arr([1, 2]) });
  const good = () => ({ x: arr([1, 1]) });
  const bad = () => ({ x: arr([NaN, 1]) });

  for (const mode of ["eager", "jit"] as const) {
    it(`skips non-finite steps and counts them (${mode})`, () => {
      const opt = O.applyIfFinite(O.sgd(0.1, { momentum: 0.9 }), 2);
      const update = mode === "jit" ? jit(opt.update) : opt.update;
      let s = opt.init(p());
      let u: unknown;
      [u, s] = update(good(), s, p());
      expectClose((u as { x: Arr }).x, [-0.1, -0.1]);
      const innerAfterGood = s.innerState;
      // A NaN gradient: zero update, inner state kept, counters up.
      [u, s] = update(bad(), s, p());
      expectClose((u as { x: Arr }).x, [0, 0]);
      expect(s.lastFinite.item()).toBe(0);
      expect(s.notfiniteCount.item()).toBe(1);
      expect(s.totalNotfinite.item()).toBe(1);
      expect(tree.leaves(s.innerState).map((l) => (l as Arr).tolist())).toEqual(
        tree.leaves(innerAfterGood).map((l) => (l as Arr).tolist()),
      );
      // Inf too.
      [u, s] = update({ x: arr([1, Infinity]) }, s, p());
      expectClose((u as { x: Arr }).x, [0, 0]);
      expect(s.notfiniteCount.item()).toBe(2);
      // A finite step resets the consecutive count (not the total); momentum continues from the kept state.
      [u, s] = update(good(), s, p());
      expectClose((u as { x: Arr }).x, [-0.19, -0.19]);
      expect(s.notfiniteCount.item()).toBe(0);
      expect(s.totalNotfinite.item()).toBe(2);
      expect(s.lastFinite.item()).toBe(1);
    });
  }

  it("applies the update after more than maxConsecutiveErrors non-finite steps", () => {
    const opt = O.applyIfFinite(O.sgd(0.1), 1);
    let s = opt.init(p());
    let u: unknown;
    [u, s] = opt.update(bad(), s, p());
    expect(flat((u as { x: Arr }).x)).toEqual([0, 0]);
    [u, s] = opt.update(bad(), s, p());
    expect(Number.isNaN(flat((u as { x: Arr }).x)[0]!)).toBe(true);
    expect(s.notfiniteCount.item()).toBe(2);
  });
});

describe("multiSteps", () => {
  for (const mode of ["eager", "jit"] as const) {
    it(`emits the mean of k gradients every k-th call (${mode})`, () => {
      const opt = O.multiSteps(O.sgd(1, { momentum: 0.5 }), 3);
      const update = mode === "jit" ? jit(opt.update) : opt.update;
      const p = arr([0, 0]);
      let s = opt.init(p);
      const seq = [
        [1, 2],
        [2, 4],
        [3, 9],
        [6, 0],
        [0, 0],
        [0, 3],
      ];
      const out: number[][] = [];
      for (const g of seq) {
        let u: unknown;
        [u, s] = update(arr(g), s, p);
        out.push(flat(u as Arr));
      }
      // Means: [2, 5] then [2, 1]; momentum: t₁ = [2, 5], t₂ = [2, 1] + 0.5·[2, 5] = [3, 3.5].
      expect(out).toEqual([
        [0, 0],
        [0, 0],
        [-2, -5],
        [0, 0],
        [0, 0],
        [-3, -3.5],
      ]);
      expect(s.gradientStep.item()).toBe(2);
      expect(s.miniStep.item()).toBe(0);
      expect(O.multiStepsHasUpdated(s).item()).toBe(1);
    });
  }

  it("keeps the inner state between emitted steps", () => {
    const opt = O.multiSteps(O.adam(0.1), 2);
    const p = arr([0]);
    let s = opt.init(p);
    [, s] = opt.update(arr([1]), s, p);
    expect(((s.innerState as readonly unknown[])[0] as optim.AdamState).count.item()).toBe(0);
    expect(O.multiStepsHasUpdated(s).item()).toBe(0);
    [, s] = opt.update(arr([1]), s, p);
    expect(((s.innerState as readonly unknown[])[0] as optim.AdamState).count.item()).toBe(1);
  });
});

describe("injectHyperparams", () => {
  const factory = (h: { learningRate: Arr; momentum: Arr }) => O.sgd(h.learningRate, { momentum: h.momentum });

  it("stores the hyperparameters as arrays and lets a new state change them between steps", () => {
    const opt = O.injectHyperparams(factory)({ learningRate: 0.1, momentum: 0 });
    const p = arr([0]);
    let s = opt.init(p);
    expect(s.hyperparams.learningRate).toBeInstanceOf(Array);
    expect(hyperparam(s, "learningRate").item()).toBeCloseTo(0.1, 7);
    const update = jit(opt.update);
    let u: unknown;
    [u, s] = update(arr([1]), s, p);
    expectClose(u as Arr, [-0.1]);
    s = O.setHyperparams(s, { learningRate: 0.01 });
    [u, s] = update(arr([1]), s, p);
    expectClose(u as Arr, [-0.01]);
    expect(update.cacheSize, "no re-trace after changing a hyperparameter").toBe(1);
    expect(s.count.item()).toBe(2);
  });

  it("evaluates schedules at the step count and records the value used", () => {
    const opt = O.injectHyperparams(factory)({ learningRate: (t) => np.multiply(0.1, np.power(0.5, t)), momentum: 0 });
    const p = arr([0]);
    let s = opt.init(p);
    const lrs: number[] = [];
    const ups: number[] = [];
    for (let i = 0; i < 3; i++) {
      let u: unknown;
      [u, s] = opt.update(arr([1]), s, p);
      ups.push(flat(u as Arr)[0]!);
      lrs.push(hyperparam(s, "learningRate").item() as number);
    }
    expectClose(arr(lrs), [0.1, 0.05, 0.025]);
    expectClose(arr(ups), [-0.1, -0.05, -0.025]);
  });

  it("validates the initial hyperparameters with the inner optimizer's name", () => {
    expect(() => O.injectHyperparams(factory)({ learningRate: -1, momentum: 0 })).toThrow(
      /sgd: learningRate must be a finite number >= 0, got -1/,
    );
    expect(() => O.injectHyperparams(factory)({ learningRate: 0.1, momentum: 2 })).toThrow(/sgd: momentum/);
  });

  it("setHyperparams rejects unknown names and leaves the old state alone", () => {
    const opt = O.injectHyperparams(factory)({ learningRate: 0.1, momentum: 0.9 });
    const s = opt.init(arr([0]));
    expect(() => O.setHyperparams(s, { lr: 0.1 })).toThrow(
      /unknown hyperparameter "lr" \(known: learningRate, momentum\)/,
    );
    const s2 = O.setHyperparams(s, { momentum: 0.5 });
    expect(hyperparam(s, "momentum").item()).toBeCloseTo(0.9, 6);
    expect(hyperparam(s2, "momentum").item()).toBeCloseTo(0.5, 6);
    expect(Object.isFrozen(s2) && Object.isFrozen(s2.hyperparams)).toBe(true);
  });

  it("setHyperparams validates values as construction does", () => {
    const opt = O.injectHyperparams(factory)({ learningRate: 0.1, momentum: 0.9 });
    const s = opt.init(arr([0]));
    for (const bad of [NaN, -5, Infinity, -Infinity])
      expect(() => O.setHyperparams(s, { learningRate: bad }), String(bad)).toThrow(
        new RegExp(`^setHyperparams: learningRate must be a finite number >= 0, got ${String(bad)}$`),
      );
    expect(() => O.setHyperparams(s, { learningRate: NaN })).toThrow(RangeError);
    expect(() => O.setHyperparams(s, { momentum: 1.5 })).toThrow(
      /^setHyperparams: momentum must be a finite number in \[0, 1\], got 1.5$/,
    );
    expect(() => O.setHyperparams(s, { learningRate: arr([0.1, 0.2]) })).toThrow(
      /^setHyperparams: learningRate must be a number or a scalar array, got an array of shape \[2\]$/,
    );
    expect(() => O.setHyperparams(s, { learningRate: (() => 0.1) as unknown as number })).toThrow(/not a function/);
    expect(() => O.setHyperparams(s, { learningRate: "0.1" as unknown as number })).toThrow(
      /^setHyperparams: learningRate must be a finite number >= 0, got string$/,
    );
    // Valid values (0 included) and scalar arrays are accepted.
    expect(hyperparam(O.setHyperparams(s, { learningRate: 0, momentum: 1 }), "learningRate").item()).toBe(0);
    expect(hyperparam(O.setHyperparams(s, { learningRate: arr(0.5) }), "learningRate").item()).toBe(0.5);
    expect(() => O.setHyperparams(O.sgd(0.1).init(arr([0])) as never, { learningRate: 0.1 })).toThrow(
      /^setHyperparams: the state does not come from an injectHyperparams optimizer's init/,
    );
  });

  it("known names are checked by range, other names for finiteness, at construction and in setHyperparams", () => {
    const adamOpt = O.injectHyperparams((h: { learningRate: Arr; b1: Arr; eps: Arr; weightDecay: Arr }) =>
      O.adamw(h.learningRate, { b1: h.b1, eps: h.eps, weightDecay: h.weightDecay }),
    )({ learningRate: 1e-3, b1: 0.9, eps: 1e-8, weightDecay: 1e-4 });
    const s = adamOpt.init(arr([0]));
    expect(() => O.setHyperparams(s, { b1: 1 })).toThrow(
      /^setHyperparams: b1 must be a finite number in \[0, 1\), got 1$/,
    );
    expect(() => O.setHyperparams(s, { eps: -1e-8 })).toThrow(/^setHyperparams: eps must be a finite number >= 0/);
    expect(() => O.setHyperparams(s, { weightDecay: -1 })).toThrow(
      /^setHyperparams: weightDecay must be a finite number >= 0/,
    );

    const custom = O.injectHyperparams((h: { factor: Arr; maxNorm: Arr }) =>
      O.chain(O.clipByGlobalNorm(h.maxNorm), O.scale(h.factor)),
    );
    const c = custom({ factor: -2, maxNorm: 1 });
    const cs = c.init(arr([0]));
    expect(hyperparam(O.setHyperparams(cs, { factor: -3 }), "factor").item()).toBe(-3); // any finite number
    expect(() => O.setHyperparams(cs, { factor: NaN })).toThrow(
      /^setHyperparams: factor must be a finite number, got NaN$/,
    );
    expect(() => O.setHyperparams(cs, { maxNorm: 0 })).toThrow(/^setHyperparams: maxNorm must be a number > 0, got 0$/);
    // The factory sees arrays (it cannot check their values), so a custom factory is checked by name too.
    const loose = O.injectHyperparams((h: { learningRate: Arr }) => O.chain(O.scale(h.learningRate)));
    expect(() => loose({ learningRate: -1 })).toThrow(
      /^injectHyperparams: learningRate must be a finite number >= 0, got -1$/,
    );
    expect(() => loose({ learningRate: () => -0.5 })).toThrow(/^injectHyperparams: learningRate .* got -0.5$/); // a schedule, at step 0
  });
});

describe("extra is passed on by every combinator", () => {
  // A transformation that records the extra it receives.
  const seen: unknown[] = [];
  const spy: optim.GradientTransformation<Record<string, never>> = {
    init: () => ({}),
    update: (u, s, _p, extra) => {
      seen.push(extra?.value);
      return [u, s];
    },
  };
  const p = { w: arr([1, 2]) };
  const cases: [string, optim.GradientTransformation<unknown>][] = [
    ["chain", O.chain(spy)],
    ["named", O.named("spy", spy)],
    ["masked", O.masked(spy, { w: true })],
    ["multiTransform", O.multiTransform({ a: spy }, { w: "a" })],
    ["injectHyperparams", O.injectHyperparams((_h: { lr: Arr }) => spy)({ lr: 0.1 })],
    ["applyIfFinite", O.applyIfFinite(spy, 1)],
    ["multiSteps", O.multiSteps(spy, 1)],
  ];
  it.each(cases)("%s", (_name, t) => {
    seen.length = 0;
    t.update(p, t.init(p), p, { value: 42 });
    expect(seen).toEqual([42]);
  });

  it("so reduceOnPlateau works inside named and masked, with null params", () => {
    const opt = O.named("plateau", O.masked(O.reduceOnPlateau({ factor: 0.5, patience: 1 }), { w: true }));
    let s = opt.init(p);
    let u: unknown = p;
    for (let i = 0; i < 2; i++) [u, s] = opt.update(p, s, null, { value: 1 });
    expectClose((u as typeof p).w, [0.5, 1]);
  });
});
