/**
 * Handwritten digits with an MLP (64 → 128 relu → dropout → 10), trained the way a real model is:
 *
 * - layers from `nn` (`dense` with He / Glorot initializers, `relu`, `dropout`) composed by
 *   `nn.sequential` into one pure `init`/`apply` pair over a plain parameter pytree;
 * - `optim.adam` driven by a linear-warmup + cosine-decay learning-rate schedule;
 * - the whole update step `(params, state, batch) → [params, state, metrics]` — dropout mask,
 *   forward pass, `valueAndGrad`, Adam — is one pure function compiled once by `jit`. The PRNG key
 *   for dropout travels in the training state and is split inside the step, as in JAX;
 * - `train.fit` runs the epochs of shuffled mini-batches (one permutation key per epoch), records
 *   the loss history and validates after every epoch; `train.writeLossCurveSvg` plots it.
 *
 * The data (1797 8×8 images) is split 70 / 10 / 20 into train / validation / test; the test set is
 * read exactly once, at the end.
 *
 * Run: `npm run demo` (or `npx tsx examples/digits.ts`). Writes examples/out/digits-loss.svg and
 * exits with code 1 if the test accuracy is below 97%.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type np, nn, random, train, jit, valueAndGrad } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { loadDigits } from "./data/load.js";

type Array = np.Array;
type Batch = { x: Array; y: Array };

const HIDDEN = 128;
const CLASSES = 10;
const DROPOUT = 0.2;
const EPOCHS = 40;
const BATCH = 64;
const PEAK_LR = 1e-2;
const WARMUP_EPOCHS = 2;
const SEED = 0;
const TARGET = 0.97;

// ------------------------------------------------------------------------------------------------
// The model: dense(128, He init) → relu → dropout → dense(10, Glorot init). Dropout is the identity
// unless `apply` is called with { train: true, key }.
const model = nn.sequential(
  nn.dense(HIDDEN, { kernelInit: nn.initializers.heNormal }),
  nn.relu,
  nn.dropout(DROPOUT),
  nn.dense(CLASSES, { kernelInit: nn.initializers.glorotNormal }),
);

/** Metric `name` of an epoch record's train or val metrics (the step and `validate` below return loss and acc). */
function metric(m: Readonly<Record<string, number>> | undefined, name: string): number {
  const v = m?.[name];
  if (v === undefined) throw new Error(`digits: the epoch record has no metric "${name}"`);
  return v;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const keys = random.split(random.key(SEED), 4);
  const [splitKey, initKey, shuffleKey, dropoutKey] = [0, 1, 2, 3].map((i) => keys.get(i)) as [
    Array,
    Array,
    Array,
    Array,
  ];

  // ---------------------------------------------------------------------------------------------
  // Data: x float32[1797, 64] in [0, 1], y int32[1797].
  const data = loadDigits();
  const {
    train: trainSet,
    val: valSet,
    test: testSet,
  } = train.trainValTestSplit(splitKey, data, { valFraction: 0.1, testFraction: 0.2 });
  const n = train.numExamples(trainSet);
  const stepsPerEpoch = Math.floor(n / BATCH); // dropLast: every step has one shape, so one compile
  const totalSteps = EPOCHS * stepsPerEpoch;

  const { params: params0 } = model.init(initKey, [64]);
  type Params = typeof params0;

  // ---------------------------------------------------------------------------------------------
  // Optimizer: Adam with the learning rate warming up linearly from 0 over the first epochs, then
  // following a half cosine down to 1% of the peak at the last step.
  const lr = optim.warmupCosineDecay({
    initValue: 0,
    peakValue: PEAK_LR,
    warmupSteps: WARMUP_EPOCHS * stepsPerEpoch,
    decaySteps: totalSteps,
    endValue: PEAK_LR / 100,
  });
  const optimizer = optim.adam(lr);
  type State = { opt: ReturnType<typeof optimizer.init>; rng: Array };

  const lossFn = (p: Params, batch: Batch, key: Array): Array =>
    nn.losses.softmaxCrossEntropyWithIntegerLabels(model.apply(p, batch.x, { train: true, key }), batch.y);

  /** One training step: fresh dropout mask, loss and gradient, Adam update. Pure, jitted once. */
  const step = jit((p: Params, s: State, batch: Batch) => {
    const keys = random.split(s.rng); // [2, 2]: one key for this step's dropout, one to carry on
    const [loss, grads] = valueAndGrad(lossFn)(p, batch, keys.get(0));
    const [updates, opt] = optimizer.update(grads, s.opt, p);
    return [optim.applyUpdates(p, updates), { opt, rng: keys.get(1) }, { loss }] as const;
  });

  /** Loss and accuracy on a whole data set, in evaluation mode (no dropout). */
  const evaluate = jit((p: Params, x: Array, y: Array) => {
    const logits = model.apply(p, x);
    return { loss: nn.losses.softmaxCrossEntropyWithIntegerLabels(logits, y), acc: train.accuracy(logits, y) };
  });

  console.log(
    `digits: ${n} train / ${train.numExamples(valSet)} val / ${train.numExamples(testSet)} test images; ` +
      `MLP 64-${HIDDEN}-${CLASSES} (relu, dropout ${DROPOUT}); Adam, warmup-cosine lr peak ${PEAK_LR}; ` +
      `batch ${BATCH}, ${EPOCHS} epochs × ${stepsPerEpoch} steps`,
  );

  // ---------------------------------------------------------------------------------------------
  // Training.
  const result = train.fit({
    params: params0,
    optState: { opt: optimizer.init(params0), rng: dropoutKey } as State,
    step,
    data: trainSet,
    batchSize: BATCH,
    dropLast: true,
    epochs: EPOCHS,
    key: shuffleKey,
    validate: (p) => evaluate(p, valSet.x, valSet.y),
    log: false,
    onEpochEnd: ({ epoch, record }) => {
      console.log(
        `epoch ${String(epoch).padStart(2)}  train loss ${metric(record.train, "loss").toFixed(4)}  ` +
          `val loss ${metric(record.val, "loss").toFixed(4)}  val acc ${(100 * metric(record.val, "acc")).toFixed(2)}%  ` +
          `${(record.elapsedMs / 1000).toFixed(1)} s`,
      );
    },
  });

  // ---------------------------------------------------------------------------------------------
  // The test set, once.
  const test = evaluate(result.params, testSet.x, testSet.y);
  const testAcc = test.acc.item() as number;
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `test loss ${(test.loss.item() as number).toFixed(4)}  TEST accuracy ${(100 * testAcc).toFixed(2)}%  ` +
      `(${result.steps} steps in ${(result.elapsedMs / 1000).toFixed(1)} s, total ${seconds.toFixed(1)} s; update step compiled ${step.cacheSize}×)`,
  );

  const outDir = fileURLToPath(new URL("out/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const svgPath = `${outDir}digits-loss.svg`;
  await train.writeLossCurveSvg(svgPath, result.history, {
    title: "MLP on digits: cross-entropy (Adam, warmup-cosine)",
    logScale: true,
  });
  console.log(`loss curve: ${svgPath}`);
  if (testAcc < TARGET) {
    console.error(`test accuracy ${(100 * testAcc).toFixed(2)}% is below ${100 * TARGET}%`);
    process.exit(1);
  }
}

await main();
