import { describe, it, expect } from "vitest";
import {
  np,
  nn,
  random,
  optim,
  train,
  curvature,
  grad,
  valueAndGrad,
  vmap,
  jacfwd,
  jacrev,
  hessian,
  checkpoint,
  scan,
  tree,
} from "../../src/index.js";

type Array = np.Array;

// Every public entry that takes an options object rejects a misspelt option, naming it and the
// options it knows, instead of silently ignoring it. `{ bogus: 1 }` is never a real option.
const B = { bogus: 1 } as never;
const x = np.array([1, 2, 3]);
const m = np.ones([2, 3]);
const labels = np.array([0, 1], { dtype: "int32" });
const k = random.key(0);
const f = (v: Array) => v.square().sum();
const data = { x: np.ones([6, 2]), y: np.zeros([6]) };
const history = { steps: [{ step: 1, epoch: 1, size: 1, metrics: { loss: 1 } }], epochs: [] };

/** [label, the call, the op name in the message, one option name the message must list]. */
const cases: [string, () => unknown, string, string][] = [
  // transforms and control flow
  ["grad", () => grad(f, B), "grad", "hasAux"],
  ["valueAndGrad", () => valueAndGrad(f, B), "valueAndGrad", "argnums"],
  ["vmap", () => vmap(f, B), "vmap", "inAxes"],
  ["jacfwd", () => jacfwd(f, B), "jacfwd", "argnums"],
  ["jacrev", () => jacrev(f, B), "jacrev", "argnums"],
  ["hessian", () => hessian(f, B), "hessian", "argnums"],
  ["checkpoint", () => checkpoint(f, B), "checkpoint", "name"],
  ["scan", () => scan((c: Array, v: Array) => [c.add(v), v] as const, np.array(0), x, B), "scan", "reverse"],
  ["tree.flatten", () => tree.flatten({ a: 1 }, B), "tree.flatten", "isLeaf"],
  // np
  ["np.sum", () => np.sum(x, null, B), "sum", "keepdims"],
  ["np.array", () => np.array([1], B), "array", "dtype, shape"],
  ["np.zeros", () => np.zeros([2], B), "zeros", "dtype"],
  ["np.ones", () => np.ones([2], B), "ones", "dtype"],
  ["np.full", () => np.full([2], 1, B), "full", "dtype"],
  ["np.zerosLike", () => np.zerosLike(x, B), "fullLike", "dtype"],
  ["np.arange", () => np.arange(3, B), "arange", "dtype"],
  ["np.linspace", () => np.linspace(0, 1, 3, B), "linspace", "dtype, endpoint"],
  ["np.eye", () => np.eye(2, 2, B), "eye", "dtype, k"],
  ["np.max", () => np.max(x, 0, B), "max", "keepdims"],
  ["np.mean", () => np.mean(x, null, B), "mean", "keepdims"],
  ["np.var", () => np.var_(x, null, B), "var", "ddof"],
  ["np.std", () => np.std(x, null, B), "std", "ddof"],
  ["np.argmax", () => np.argmax(x, 0, B), "argmax", "keepdims"],
  ["np.cumsum", () => np.cumsum(x, 0, B), "cumsum", "reverse"],
  ["np.logsumexp", () => np.logsumexp(x, null, B), "logsumexp", "keepdims"],
  ["np.norm", () => np.norm(x, null, B), "norm", "keepdims"],
  ["np.pad", () => np.pad(x, 1, B), "pad", "constantValues"],
  // nn
  ["nn.gelu", () => nn.gelu(x, B), "gelu", "approximate"],
  ["nn.losses.mse", () => nn.losses.mse(x, x, B), "mse", "reduction"],
  ["nn.losses.huber", () => nn.losses.huber(x, x, B), "huber", "delta"],
  [
    "nn.losses.softmaxCrossEntropyWithIntegerLabels",
    () => nn.losses.softmaxCrossEntropyWithIntegerLabels(m, labels, B),
    "softmaxCrossEntropyWithIntegerLabels",
    "axis",
  ],
  ["nn.losses.multiclassHinge", () => nn.losses.multiclassHinge(m, labels, B), "multiclassHinge", "margin"],
  [
    "nn.initializers.varianceScaling",
    () => nn.initializers.varianceScaling(1, "fanIn", "normal", B),
    "varianceScaling",
    "inAxis",
  ],
  ["nn.initializers.orthogonal", () => nn.initializers.orthogonal(B), "orthogonal", "columnAxis"],
  ["nn.regularizers.elasticNet", () => nn.regularizers.elasticNet({ w: x }, B), "elasticNet", "l1Ratio"],
  ["nn.dense", () => nn.dense(3, B), "dense", "kernelInit"],
  ["nn.layerNorm", () => nn.layerNorm(B), "layerNorm", "eps"],
  ["nn.batchNorm", () => nn.batchNorm(B), "batchNorm", "momentum"],
  ["nn.mlp", () => nn.mlp([2], B), "mlp", "activation"],
  [
    "layer.apply",
    () => {
      const layer = nn.dense(2);
      layer.apply(layer.init(k, [3]).params, m, B);
    },
    "dense(2).apply",
    "train",
  ],
  // random
  ["random.key", () => random.key(0, B), "random.key", "x64"],
  ["random.uniform", () => random.uniform(k, [2], B), "random.uniform", "minval"],
  ["random.normal", () => random.normal(k, [2], B), "random.normal", "dtype"],
  ["random.randint", () => random.randint(k, [2], 0, 5, B), "random.randint", "dtype"],
  ["random.categorical", () => random.categorical(k, m, B), "random.categorical", "axis"],
  ["random.permutation", () => random.permutation(k, 5, B), "random.permutation", "independent"],
  ["random.choice", () => random.choice(k, 5, [2], B), "random.choice", "replace"],
  // train
  [
    "train.trainTestSplit({ stratify })",
    () => train.trainTestSplit(k, data, { stratify: data.y } as never),
    "trainTestSplit",
    "testFraction",
  ],
  ["train.trainValTestSplit", () => train.trainValTestSplit(k, data, B), "trainValTestSplit", "valFraction"],
  ["train.kFold", () => train.kFold(6, 2, B), "kFold", "shuffle"],
  ["train.batches", () => train.batches(k, data, 2, B), "batches", "dropLast"],
  ["train.epochs", () => train.epochs(k, data, 2, 1, B), "epochs", "dropLast"],
  [
    "train.fit",
    () =>
      train.fit({
        params: x,
        optState: null,
        step: (p: Array, s: null) => [p, s, 0] as const,
        data,
        batchSize: 2,
        epochs: 1,
        bogus: 1,
      } as never),
    "fit",
    "earlyStopping",
  ],
  [
    "train.fit earlyStopping",
    () =>
      train.fit({
        params: x,
        optState: null,
        step: (p: Array, s: null) => [p, s, 0] as const,
        data,
        batchSize: 2,
        epochs: 1,
        shuffle: false,
        earlyStopping: { metric: "loss", patience: 1, bogus: 1 } as never,
      }),
    "fit (earlyStopping)",
    "patience",
  ],
  ["train.accuracy", () => train.accuracy(x, x, B), "accuracy", "oneHot"],
  ["train.lossCurveSvg", () => train.lossCurveSvg(history as never, B), "lossCurveSvg", "logScale"],
  ["train.formatTable", () => train.formatTable([], B), "formatTable", "maxRows"],
  ["train.gridSearch", () => train.gridSearch({ a: [1] }, () => 0, B), "gridSearch", "mode"],
  [
    "train.randomSearch",
    () => train.randomSearch({ a: { uniform: [0, 1] } }, 2, () => 0, { key: 0, bogus: 1 } as never),
    "randomSearch",
    "kFold",
  ],
  [
    "train.coarseToFine",
    () => train.coarseToFine({ a: [1e-3, 1] }, () => 0, { coarse: 2, fine: 2, key: 0, bogus: 1 } as never),
    "coarseToFine",
    "keepTop",
  ],
  // optim
  ["optim.sgd", () => optim.sgd(0.1, B), "sgd", "momentum"],
  ["optim.adam", () => optim.adam(0.1, B), "adam", "b1"],
  ["optim.adamw", () => optim.adamw(0.1, B), "adamw", "weightDecay"],
  ["optim.rmsprop", () => optim.rmsprop(0.1, B), "rmsprop", "centered"],
  ["optim.lion", () => optim.lion(0.1, B), "lion", "b2"],
  ["optim.scaleByAdam", () => optim.scaleByAdam(B), "scaleByAdam", "epsRoot"],
  ["optim.traceMomentum", () => optim.traceMomentum(B), "traceMomentum", "nesterov"],
  ["optim.reduceOnPlateau", () => optim.reduceOnPlateau(B), "reduceOnPlateau", "patience"],
  [
    "optim.exponentialDecay",
    () => optim.exponentialDecay(1, { transitionSteps: 1, decayRate: 0.5, bogus: 1 } as never),
    "exponentialDecay",
    "staircase",
  ],
  ["optim.cosineDecay", () => optim.cosineDecay(1, 10, B), "cosineDecay", "alpha"],
  [
    "optim.oneCycle",
    () => optim.oneCycle({ transitionSteps: 10, peakValue: 1, bogus: 1 } as never),
    "oneCycle",
    "pctStart",
  ],
  ["optim.lbfgs", () => optim.lbfgs(f, B), "lbfgs", "memorySize"],
  ["optim.lbfgs lineSearch", () => optim.lbfgs(f, { lineSearch: B }), "lbfgs (lineSearch)", "c2"],
  ["optim.minimize", () => optim.minimize(f, x, B), "minimize", "method"],
  ["optim.levenbergMarquardt", () => optim.levenbergMarquardt((v: Array) => v, x, B), "levenbergMarquardt", "xtol"],
  ["optim.newton", () => optim.newton(B), "newton", "damping"],
  ["optim.nonlinearCG", () => optim.nonlinearCG(f, B), "nonlinearCG", "variant"],
  [
    "optim.lineSearchWolfe",
    () => optim.lineSearchWolfe(() => ({ value: 0, slope: 0 }), { value: 1, slope: -1 }, B),
    "lineSearchWolfe",
    "alphaMax",
  ],
  [
    "optim.stepDecay",
    () => optim.stepDecay(1, { every: 2, factor: 0.5, bogus: 1 } as never),
    "stepDecay",
    "milestones",
  ],
  // curvature
  [
    "curvature.topHessianEigenvalues",
    () => curvature.topHessianEigenvalues(f, x, B),
    "topHessianEigenvalues",
    "method",
  ],
  ["curvature.lossSlice1d", () => curvature.lossSlice1d(f, x, x, B), "lossSlice1d", "alphas"],
  ["curvature.GradNormTracker", () => new curvature.GradNormTracker(B), "GradNormTracker", "emaDecay"],
  ["curvature.eighJacobi", () => curvature.eighJacobi([[1]], B), "eighJacobi", "maxSweeps"],
];

describe("unknown option names are an error listing the known ones", () => {
  it("covers at least 25 functions across the namespaces", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const namespaces = new Set(cases.map(([label]) => label.split(".")[0]));
    for (const ns of ["np", "nn", "random", "train", "optim", "curvature"]) expect(namespaces).toContain(ns);
  });
  for (const [label, call, op, known] of cases)
    it(label, () => {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err, `${label} accepted an unknown option`).toBeInstanceOf(TypeError);
      const msg = (err as Error).message;
      expect(msg.startsWith(`${op}: unknown option '`)).toBe(true);
      expect(msg).toMatch(/unknown option '(bogus|stratify)'/);
      expect(msg).toContain(known);
    });

  it("known options still pass", () => {
    expect(np.sum(x, null, { keepdims: true }).shape).toEqual([1]);
    expect(train.trainTestSplit(k, data, { testFraction: 0.5 }).test.x.shape).toEqual([3, 2]);
    expect(random.uniform(k, [2], { minval: 1, maxval: 2, dtype: "float32" }).shape).toEqual([2]);
    expect(() => optim.adamw(0.1, { b1: 0.9, weightDecay: 0.1, mask: undefined })).not.toThrow();
    expect(() => nn.mlp([2, 1], { activation: nn.tanh, useBias: false })).not.toThrow();
  });
});
