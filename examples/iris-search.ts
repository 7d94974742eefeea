/**
 * Hyperparameter search with 5-fold cross-validation on Fisher's iris data.
 *
 * The model is a one-hidden-layer MLP (4 → 16 tanh → 3) trained full-batch with Adam for a fixed
 * number of steps on the softmax cross-entropy plus an L2 penalty λ·‖W‖² on the weight matrices.
 * Two hyperparameters are searched, both on a log scale: the learning rate (1e-3 … 1) and λ
 * (1e-6 … 1). `train.coarseToFine` samples the whole box sparsely, then narrows it around the best
 * results and samples again; every configuration is scored by the mean validation cross-entropy
 * over the same 5 folds.
 *
 * Protocol: 20% of the data is held out as a test set *before* the search; the search sees only
 * the other 80% (split into folds by `train.kFold` inside `coarseToFine`); the best configuration
 * is retrained on all of that 80% and scored once on the test set. Features are standardized with
 * the mean and standard deviation of whatever data a model is trained on (each fold's training
 * part, then the whole training set), so no statistics leak from validation or test rows.
 *
 * The training loop (`fori` over Adam steps) is one jitted function whose learning rate and λ are
 * array arguments, so it compiles once per data shape, not once per configuration.
 *
 * Run: `npm run example:iris` (or `npx tsx examples/iris-search.ts`).
 */
import { np, nn, random, train, jit, grad, fori } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { loadIris, type Dataset } from "./data/load.js";

type Array = np.Array;

const HIDDEN = 16;
const STEPS = 200;
const SEED = 0;

const keys = random.split(random.key(SEED), 3);
const [initKey, splitKey, searchKey] = [0, 1, 2].map((i) => keys.get(i)) as [Array, Array, Array];
const model = nn.mlp([HIDDEN, 3], { activation: nn.tanh, kernelInit: nn.initializers.glorotNormal });
/** One fixed initialization for every fit, so configurations differ only in their hyperparameters. */
const { params: params0 } = model.init(initKey, [4]);
type Params = typeof params0;

/** Training loss: cross-entropy + λ·Σ‖W‖² over the weight matrices (not the biases). */
const objective = (p: Params, x: Array, y: Array, l2: Array): Array =>
  nn.losses
    .softmaxCrossEntropyWithIntegerLabels(model.apply(p, x), y)
    .add(nn.regularizers.l2(p.map((layer) => layer.kernel)).mul(l2));

/** STEPS full-batch Adam steps from the fixed initial parameters; lr and λ are traced scalars. */
const fitParams = jit((x: Array, y: Array, lr: Array, l2: Array): Params => {
  const opt = optim.adam(lr);
  type Carry = [Params, ReturnType<typeof opt.init>];
  const [params] = fori(
    0,
    STEPS,
    (_i, [p, s]: Carry): Carry => {
      const [updates, next] = opt.update(grad(objective)(p, x, y, l2), s, p);
      return [optim.applyUpdates(p, updates), next];
    },
    [params0, opt.init(params0)] as Carry,
  );
  return params;
});

/** Mean cross-entropy and accuracy of trained parameters on (already standardized) data. */
const evaluate = jit((p: Params, x: Array, y: Array) => {
  const logits = model.apply(p, x);
  return { loss: nn.losses.softmaxCrossEntropyWithIntegerLabels(logits, y), acc: train.accuracy(logits, y) };
});

/** Standardizes features with the statistics of `fitOn` (a function to apply to any data). */
function standardizer(fitOn: Array): (x: Array) => Array {
  const mean = fitOn.mean(0);
  const std = fitOn.std(0).add(1e-6);
  return (x) => x.sub(mean).div(std);
}

interface Hyper {
  lr: number;
  l2: number;
}

/** Trains on `trainSet` with the given hyperparameters; returns the model and its data transform. */
function fitModel(hp: Hyper, trainSet: Dataset): { params: Params; transform: (x: Array) => Array } {
  const transform = standardizer(trainSet.x);
  const scalar = (v: number) => np.array(v, { dtype: "float32" });
  return { params: fitParams(transform(trainSet.x), trainSet.y, scalar(hp.lr), scalar(hp.l2)), transform };
}

function main(): void {
  const t0 = performance.now();
  const { x, y, classNames } = loadIris();
  const { train: trainSet, test: testSet } = train.trainTestSplit(splitKey, { x, y }, { testFraction: 0.2 });
  console.log(
    `iris: ${train.numExamples(trainSet)} training rows (searched with 5-fold CV), ${train.numExamples(testSet)} held-out test rows; ` +
      `classes ${classNames.join(", ")}; MLP 4-${HIDDEN}-3 (tanh), Adam, ${STEPS} full-batch steps`,
  );

  // Score of one configuration on one fold: the validation cross-entropy (lower is better).
  let fits = 0;
  const score = (hp: Hyper, tr: Dataset, val: Dataset): number => {
    fits++;
    const { params, transform } = fitModel(hp, tr);
    const loss = evaluate(params, transform(val.x), val.y).loss.item() as number;
    return Number.isFinite(loss) ? loss : Infinity;
  };

  const results = train.coarseToFine({ lr: [1e-3, 1], l2: [1e-6, 1] }, score, {
    coarse: 16,
    fine: 16,
    keepTop: 4,
    key: searchKey,
    kFold: 5,
    data: trainSet,
    mode: "min",
  });
  const searchSeconds = (performance.now() - t0) / 1000;
  console.log(
    `\ncoarse-to-fine search: ${results.length} configurations × 5 folds = ${fits} fits in ${searchSeconds.toFixed(1)} s`,
  );
  const [coarse, fine] = results.spaces;
  if (!coarse || !fine)
    throw new Error(`iris-search: expected a coarse and a fine search space, got ${results.spaces.length}`);
  console.log(`  coarse box: lr ${fmtRange(coarse.lr)}, l2 ${fmtRange(coarse.l2)}`);
  console.log(`  fine box:   lr ${fmtRange(fine.lr)}, l2 ${fmtRange(fine.l2)}`);
  console.log(`\nbest configurations (score = mean validation cross-entropy over the folds):\n`);
  console.log(train.formatTable(results, { maxRows: 10 }));

  // Retrain the winner on all training rows; read the test set once.
  const top = results[0];
  if (!top) throw new Error("iris-search: the search returned no configurations");
  const best = top.params;
  const { params, transform } = fitModel(best, trainSet);
  const trainEval = evaluate(params, transform(trainSet.x), trainSet.y);
  const testEval = evaluate(params, transform(testSet.x), testSet.y);
  const testAcc = testEval.acc.item() as number;
  const nTest = train.numExamples(testSet);
  console.log(
    `\nbest: lr ${train.formatNumber(best.lr)}, l2 ${train.formatNumber(best.l2)} → retrained on all ${train.numExamples(trainSet)} training rows: ` +
      `train accuracy ${(100 * (trainEval.acc.item() as number)).toFixed(1)}%, ` +
      `TEST accuracy ${(100 * testAcc).toFixed(1)}% (${Math.round(testAcc * nTest)}/${nTest}), test cross-entropy ${(testEval.loss.item() as number).toFixed(4)}`,
  );
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function fmtRange(d: train.Distribution | undefined): string {
  if (d !== undefined && "logUniform" in d)
    return `[${d.logUniform.map((v) => train.formatNumber(Number(v.toPrecision(2)))).join(", ")}] (log)`;
  return JSON.stringify(d);
}

main();
