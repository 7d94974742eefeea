/**
 * The public surface of `graft/optim`: the namespace exports the documented names only (no internal
 * helpers), and `update` returns updates typed like the gradients it is given.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { arr, optim, type Arr } from "./_util.js";

const PUBLIC_VALUES = [
  // core
  "applyUpdates",
  "globalNorm",
  "identity",
  "named",
  "OptimStructureError",
  "setToZero",
  "stateless",
  // combinators
  "applyIfFinite",
  "chain",
  "injectHyperparams",
  "masked",
  "multiSteps",
  "multiStepsHasUpdated",
  "multiTransform",
  "setHyperparams",
  // building blocks
  "addDecayedWeights",
  "clip",
  "clipByGlobalNorm",
  "scale",
  "scaleByAdadelta",
  "scaleByAdam",
  "scaleByAdamax",
  "scaleByAmsgrad",
  "scaleByLearningRate",
  "scaleByLion",
  "scaleByRms",
  "scaleByRprop",
  "scaleByRss",
  "scaleBySchedule",
  "scaleBySign",
  "scaleByStddev",
  "traceMomentum",
  // optimizers
  "sgd",
  "adadelta",
  "adagrad",
  "adam",
  "adamax",
  "adamw",
  "amsgrad",
  "lion",
  "nadam",
  "rmsprop",
  "rprop",
  // Optax 0.2.8 additions
  "adabelief",
  "adafactor",
  "adaptiveGradClip",
  "ema",
  "lamb",
  "lars",
  "lookahead",
  "normalize",
  "radam",
  "sam",
  "scaleByBelief",
  "scaleByRadam",
  "scaleByTrustRatio",
  "scaleByYogi",
  "yogi",
  "zeroNans",
  // from the course notes
  "bfgs",
  "optimalStep",
  "quickprop",
  "stableStepBound",
  // second order
  "lbfgs",
  "levenbergMarquardt",
  "levenbergMarquardtAsync",
  "lineSearchWolfe",
  "minimize",
  "minimizeAsync",
  "newton",
  "newtonStep",
  "nonlinearCG",
  // schedules
  "constantSchedule",
  "cosineDecay",
  "cyclic",
  "exponentialDecay",
  "inverseTimeDecay",
  "joinSchedules",
  "linearSchedule",
  "oneCycle",
  "piecewiseConstant",
  "polynomialSchedule",
  "stepDecay",
  "triangularSchedule",
  "warmupCosineDecay",
  "reduceOnPlateau",
];

const INTERNAL = [
  "freezeState",
  "setOwn",
  "castLike",
  "mapTrees",
  "mapTreesN",
  "checkSameStructure",
  "checkHyperparam",
  "checkDecay",
  "checkEps",
  "checkLearningRate",
  "checkState",
  "requireParams",
  "weakScalar",
  "zeroCount",
  "safeIncrement",
  "biasCorrection",
  "resolveSchedule",
  "zerosLikeTree",
  "fullLikeTree",
];

describe("the optim namespace", () => {
  it("exports exactly the documented values", () => {
    expect(Object.keys(optim).sort()).toEqual([...PUBLIC_VALUES].sort());
  });

  it("does not export the internal helpers", () => {
    const ns = optim as unknown as Record<string, unknown>;
    for (const name of INTERNAL) expect(ns[name], name).toBeUndefined();
  });

  it("the helpers are not in its types either", () => {
    // @ts-expect-error internal helper, not part of graft/optim
    void optim.freezeState;
    // @ts-expect-error internal helper, not part of graft/optim
    void optim.checkHyperparam;
    // @ts-expect-error internal type, not part of graft/optim
    const r: optim.Range = {};
    void r;
    // The public types are there.
    const extra: optim.UpdateExtra = { value: 1 };
    const lr: optim.LearningRate = 0.1;
    expect([extra, lr]).toHaveLength(2);
  });
});

describe("update is typed by its updates", () => {
  type P = { w: Arr; b: { c: Arr } };
  const p: P = { w: arr([1, 2]), b: { c: arr([3]) } };

  it("an optimizer's updates have the gradients' type", () => {
    const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(0.1));
    const [u, s] = opt.update(p, opt.init(p), p);
    expectTypeOf(u).toEqualTypeOf<P>();
    expectTypeOf(s).toEqualTypeOf<readonly unknown[]>();
    expect(u.b.c.shape).toEqual([1]);
    const next = optim.applyUpdates(p, u);
    expectTypeOf(next).toEqualTypeOf<P>();
  });

  it("so do building blocks, combinators, reduceOnPlateau and newton", () => {
    const t = optim.scaleByAdam();
    expectTypeOf(t.update(p, t.init(p))[0]).toEqualTypeOf<P>();
    const m = optim.masked(optim.sgd(0.1), { w: true, b: false });
    expectTypeOf(m.update(p, m.init(p), p)[0]).toEqualTypeOf<P>();
    const r = optim.reduceOnPlateau();
    expectTypeOf(r.update(p, r.init(p), null, { value: 1 })[0]).toEqualTypeOf<P>();
    const x = arr([0, 0]);
    const n = optim.newton({ damping: 1 });
    const [nu] = n.update(x, n.init(x), x, {
      hessian: arr([
        [2, 0],
        [0, 2],
      ]),
    });
    expectTypeOf(nu).toEqualTypeOf<Arr>();
    expect(nu.shape).toEqual([2]);
  });

  it("untyped callers still get Updates (unknown)", () => {
    const opt: optim.GradientTransformation = optim.sgd(0.1);
    const g: optim.Updates = p;
    expectTypeOf(opt.update(g, opt.init(p))[0]).toEqualTypeOf<unknown>();
  });
});
