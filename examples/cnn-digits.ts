/**
 * A small CNN against the MLP of examples/digits.ts, on the same 8×8 digits and the same split.
 *
 * - CNN: conv 3×3 ×16 → relu → max-pool 2×2 → conv 3×3 ×32 → relu → flatten → dense 10, built
 *   from `nn.conv`, `nn.maxPooling` and `nn.flatten` (channels last, NHWC, as in Flax). Its
 *   gradient runs through `conv_general_dilated`'s transpose rules (the gradient of a convolution
 *   is another convolution) and through the max pool's strided slices.
 * - MLP: exactly the model and recipe of examples/digits.ts (64 → 128 relu → dropout → 10).
 * - Both: Adam with a linear-warmup + cosine-decay learning rate, mini-batches of 64, a jitted
 *   update step, `train.fit`; the split (70 / 10 / 20, key 0) is the one digits.ts uses, and only
 *   the initialisation, shuffling and dropout keys change with the seed. The test set is read once
 *   per run, at the end.
 *
 * Prints each seed's test accuracy and the mean ± standard deviation over 5 seeds for each model,
 * and exits with code 1 if the CNN's mean test accuracy is below the MLP's.
 *
 * Run: `npx tsx examples/cnn-digits.ts` (about a minute on two cores).
 */
import { type np, nn, random, train, jit, valueAndGrad } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { loadDigits } from "./data/load.js";

type Array = np.Array;
type Batch = { x: Array; y: Array };

const SEEDS = [0, 1, 2, 3, 4];
const BATCH = 64;
const WARMUP_EPOCHS = 2;
const CLASSES = 10;

/** A model with its training recipe (the MLP's is digits.ts's). */
interface Recipe {
  name: string;
  model: nn.StatelessLayer<unknown>;
  initShape: number[];
  epochs: number;
  peakLr: number;
}

const toImages = (x: Array): Array => x.reshape([x.shape[0]!, 8, 8, 1]);

const RECIPES: Recipe[] = [
  {
    name: "MLP 64-128-10",
    model: nn.sequential(
      nn.dense(128, { kernelInit: nn.initializers.heNormal }),
      nn.relu,
      nn.dropout(0.2),
      nn.dense(CLASSES, { kernelInit: nn.initializers.glorotNormal }),
    ) as nn.StatelessLayer<unknown>,
    initShape: [64],
    epochs: 40,
    peakLr: 1e-2,
  },
  {
    name: "CNN conv16-pool-conv32-dense10",
    model: nn.sequential(
      toImages,
      nn.conv({ features: 16, kernelSize: [3, 3] }),
      nn.relu,
      nn.maxPooling([2, 2], { strides: [2, 2] }),
      nn.conv({ features: 32, kernelSize: [3, 3] }),
      nn.relu,
      nn.flatten(),
      nn.dense(CLASSES),
    ) as nn.StatelessLayer<unknown>,
    initShape: [1, 8, 8, 1],
    epochs: 20,
    peakLr: 5e-3,
  },
];

/** Trains `r` with seed `seed` on the split and returns its test accuracy. */
function run(r: Recipe, seed: number, sets: ReturnType<typeof train.trainValTestSplit<Batch>>): number {
  const keys = random.split(random.key(1000 + seed), 3);
  const [initKey, shuffleKey, dropoutKey] = [0, 1, 2].map((i) => keys.get(i)) as [Array, Array, Array];
  const n = train.numExamples(sets.train);
  const stepsPerEpoch = Math.floor(n / BATCH);
  const { params: params0 } = r.model.init(initKey, r.initShape);
  const optimizer = optim.adam(
    optim.warmupCosineDecay({
      initValue: 0,
      peakValue: r.peakLr,
      warmupSteps: WARMUP_EPOCHS * stepsPerEpoch,
      decaySteps: r.epochs * stepsPerEpoch,
      endValue: r.peakLr / 100,
    }),
  );
  type Params = typeof params0;
  type State = { opt: ReturnType<typeof optimizer.init>; rng: Array };
  const lossFn = (p: Params, batch: Batch, key: Array): Array =>
    nn.losses.softmaxCrossEntropyWithIntegerLabels(r.model.apply(p, batch.x, { train: true, key }), batch.y);
  const step = jit((p: Params, s: State, batch: Batch) => {
    const ks = random.split(s.rng);
    const [loss, grads] = valueAndGrad(lossFn)(p, batch, ks.get(0));
    const [updates, opt] = optimizer.update(grads, s.opt, p);
    return [optim.applyUpdates(p, updates), { opt, rng: ks.get(1) }, { loss }] as const;
  });
  const accuracy = jit((p: Params, x: Array, y: Array) => train.accuracy(r.model.apply(p, x), y));
  const result = train.fit({
    params: params0,
    optState: { opt: optimizer.init(params0), rng: dropoutKey } as State,
    step,
    data: sets.train,
    batchSize: BATCH,
    dropLast: true,
    epochs: r.epochs,
    key: shuffleKey,
    log: false,
  });
  return accuracy(result.params, sets.test.x, sets.test.y).item() as number;
}

const meanStd = (xs: readonly number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1))];
};
const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

function main(): void {
  const t0 = performance.now();
  // digits.ts's split: the first of four keys from key(0).
  const sets = train.trainValTestSplit(random.split(random.key(0), 4).get(0), loadDigits(), {
    valFraction: 0.1,
    testFraction: 0.2,
  });
  console.log(
    `digits: ${train.numExamples(sets.train)} train / ${train.numExamples(sets.test)} test images (digits.ts's split); ` +
      `${SEEDS.length} seeds per model`,
  );
  const means: number[] = [];
  for (const r of RECIPES) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const accs = SEEDS.map((s) => run(r, s, sets));
    const [m, sd] = meanStd(accs);
    means.push(m);
    console.log(
      `${r.name.padEnd(32)} ${r.epochs} epochs  test acc ${pct(m)} ± ${pct(sd)}  ` +
        `(seeds: ${accs.map(pct).join(", ")})  ${((performance.now() - t) / 1000).toFixed(1)} s wall, ` +
        `${(cpuSeconds(process.cpuUsage(c0))).toFixed(1)} s CPU`,
    );
  }
  const cpu = process.cpuUsage();
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${cpuSeconds(cpu).toFixed(1)} s CPU`);
  const [mlp, cnn] = means as [number, number];
  if (cnn < mlp) {
    console.error(`the CNN's mean test accuracy ${pct(cnn)} is below the MLP's ${pct(mlp)}`);
    process.exit(1);
  }
}

main();
