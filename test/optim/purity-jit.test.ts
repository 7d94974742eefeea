/**
 * Purity and tracing: states are deep-frozen and never mutated, `update` is a pure function, and
 * `jit(opt.update)` gives the same updates and states as the eager `update`, step after step,
 * for every optimizer and combinator.
 */
import { describe, expect, it } from "vitest";
import { Array, arr, expDecay, expectTreesClose, jit, np, optim, tree, type Arr } from "./_util.js";

const O = optim;
type GT = optim.GradientTransformation;

/** Every optimizer (several configurations) and every combinator. */
const optimizers: Record<string, () => GT> = {
  sgd: () => O.sgd(0.1),
  "sgd momentum": () => O.sgd(0.1, { momentum: 0.9 }),
  "sgd nesterov, schedule": () => O.sgd(expDecay(0.1, 0.9), { momentum: 0.9, nesterov: true }),
  adagrad: () => O.adagrad(0.1),
  adadelta: () => O.adadelta(1, { weightDecay: 0.01 }),
  rmsprop: () => O.rmsprop(0.01),
  "rmsprop centered nesterov": () => O.rmsprop(0.01, { centered: true, momentum: 0.9, nesterov: true }),
  adam: () => O.adam(0.01),
  "adam epsRoot": () => O.adam(expDecay(0.01, 0.5), { epsRoot: 1e-8 }),
  adamw: () => O.adamw(0.01, { weightDecay: 0.1 }),
  "adamw masked": () => O.adamw(0.01, { weightDecay: 0.1, mask: { a: true, b: false } }),
  nadam: () => O.nadam(0.01),
  adamax: () => O.adamax(0.01),
  amsgrad: () => O.amsgrad(0.01),
  lion: () => O.lion(0.01),
  rprop: () => O.rprop(0.01),
  chain: () => O.chain(O.clipByGlobalNorm(1), O.clip(0.3), O.scaleBySign(), O.scale(0.5), O.scaleByLearningRate(0.1)),
  masked: () => O.masked(O.adam(0.1), (p: unknown) => tree.map((x: Arr) => x.ndim > 1, p)),
  multiTransform: () =>
    O.multiTransform({ fast: O.adam(0.1), slow: O.sgd(0.01, { momentum: 0.5 }) }, { a: "slow", b: "fast" }),
  injectHyperparams: () =>
    O.injectHyperparams((h: { learningRate: Arr; b1: Arr }) => O.adam(h.learningRate, { b1: h.b1 }))({
      learningRate: expDecay(0.1, 0.9),
      b1: 0.8,
    }),
  applyIfFinite: () => O.applyIfFinite(O.adam(0.1), 1),
  multiSteps: () => O.multiSteps(O.sgd(0.1, { momentum: 0.9 }), 3),
  setToZero: () => O.setToZero(),
  identity: () => O.identity(),
};

const params = () => ({
  a: arr([1, -2], "float32"),
  b: arr(
    [
      [0.5, 1],
      [-1, 2],
    ],
    "float64",
  ),
});
/** A deterministic gradient for step k (NaN at step 3 when `withNaN`). */
const gradAt = (k: number, withNaN = false) => ({
  a: arr([Math.sin(k + 1), withNaN && k === 3 ? NaN : Math.cos(3 * k)], "float32"),
  b: arr(
    [
      [k - 2, 0.5],
      [Math.sin(2 * k), -1],
    ],
    "float64",
  ),
});

describe("jit(opt.update) equals the eager update", () => {
  it.each(Object.entries(optimizers))("%s", (name, make) => {
    const opt = make();
    const update = jit(opt.update);
    const p = params();
    let eagerState = opt.init(p);
    let jitState = opt.init(p);
    for (let k = 0; k < 6; k++) {
      const g = gradAt(k, name === "applyIfFinite");
      const [ue, se] = opt.update(g, eagerState, p);
      const [uj, sj] = update(g, jitState, p);
      expectTreesClose(uj, ue, 1e-6, `${name} updates at step ${k}`);
      expectTreesClose(sj, se, 1e-6, `${name} state at step ${k}`);
      // Updates keep the gradients' dtypes.
      expect((ue as { a: Arr }).a.dtype).toBe("float32");
      expect((ue as { b: Arr }).b.dtype).toBe("float64");
      eagerState = se;
      jitState = sj;
    }
    expect(update.cacheSize, "traced once").toBe(1);
  });
});

describe("purity", () => {
  it.each(Object.entries(optimizers))(
    "%s: frozen states, inputs untouched, same inputs → same outputs",
    (_name, make) => {
      const opt = make();
      const p = params();
      const s0 = opt.init(p);
      expect(Object.isFrozen(s0)).toBe(true);
      const g = gradAt(1);
      const before = tree.leaves(s0).map((l) => (l as Arr).tolist());
      const [u1, s1] = opt.update(g, s0, p);
      const [u2, s2] = opt.update(g, s0, p);
      // The input state is unchanged, and calling twice gives identical results.
      expect(tree.leaves(s0).map((l) => (l as Arr).tolist())).toEqual(before);
      expectTreesClose(u1, u2, 0, "updates");
      expectTreesClose(s1, s2, 0, "states");
      expect(Object.isFrozen(s1)).toBe(true);
      // New update trees are frozen (identity passes the caller's gradients through untouched).
      if (u1 !== g) expect(Object.isFrozen(u1)).toBe(true);
      // Every container in the state is frozen.
      const containers: object[] = [];
      const walk = (x: unknown): void => {
        if (x !== null && typeof x === "object" && !(x instanceof Array)) {
          if (globalThis.Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype) {
            containers.push(x);
            Object.values(x).forEach(walk);
          }
        }
      };
      walk(s1);
      for (const c of containers) expect(Object.isFrozen(c)).toBe(true);
    },
  );

  it("mutating a state throws", () => {
    const opt = O.adam(0.1);
    const p = params();
    const s = opt.init(p) as unknown as [{ count: Arr; mu: { a: Arr } }];
    expect(() => {
      (s[0] as { count: Arr }).count = np.zeros([]);
    }).toThrow(TypeError);
    expect(() => {
      (s[0].mu as { a: Arr }).a = np.zeros([2]);
    }).toThrow(TypeError);
    expect(() => {
      (s as unknown as unknown[]).push(1);
    }).toThrow(TypeError);
    const [, next] = opt.update(gradAt(0), s, p);
    expect(() => {
      (next as unknown as unknown[])[0] = null;
    }).toThrow(TypeError);
  });

  it("the step count is an int32 array in the state", () => {
    const opt = O.adam(0.1);
    const p = params();
    let s = opt.init(p) as readonly optim.OptState[];
    for (let k = 0; k < 3; k++) [, s] = opt.update(gradAt(k), s, p) as [unknown, readonly optim.OptState[]];
    const inner = s[0] as optim.AdamState;
    expect(inner.count.dtype).toBe("int32");
    expect(inner.count.item()).toBe(3);
  });

  it("update needs no host reads: it runs on abstract values under jit's tracer", () => {
    // jit.lower traces update to a Program; a host read (.item()/dataSync) of a traced value would throw.
    for (const [name, make] of Object.entries(optimizers)) {
      const opt = make();
      const p = params();
      expect(() => jit(opt.update).lower(gradAt(0), opt.init(p), p).program, name).not.toThrow();
    }
  });
});
