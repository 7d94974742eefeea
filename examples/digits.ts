/**
 * Handwritten digits with a two-layer MLP (64 → 64 tanh → 10), trained by plain mini-batch
 * gradient descent. The whole update step `(params, x, y) => newParams` is one pure function over a
 * plain-object pytree, differentiated with `valueAndGrad` and compiled once with `jit`.
 *
 * Run: `npm run demo` (or `npx tsx examples/digits.ts`). Exits with code 1 if the test accuracy
 * is below 90%.
 */
import { np, nn, jit, valueAndGrad, tree } from "../src/index.js";
import { loadDigits, mulberry32, normals, permutation, takeRows, trainTestSplit } from "./data/load.js";

type Array = np.Array;
interface Params {
  w1: Array;
  b1: Array;
  w2: Array;
  b2: Array;
}

const HIDDEN = 64;
const CLASSES = 10;
const EPOCHS = 30;
const BATCH = 128;
const LR = 0.5;
const SEED = 0;

/** Glorot-normal weights (std = sqrt(2 / (fanIn + fanOut))) and zero biases. */
function glorot(rand: () => number, fanIn: number, fanOut: number): Array {
  const w = normals(rand, fanIn * fanOut).map((v) => v * Math.sqrt(2 / (fanIn + fanOut)));
  return np.array(w, { shape: [fanIn, fanOut] });
}
function initParams(seed: number): Params {
  const rand = mulberry32(seed);
  return { w1: glorot(rand, 64, HIDDEN), b1: np.zeros([HIDDEN]), w2: glorot(rand, HIDDEN, CLASSES), b2: np.zeros([CLASSES]) };
}

/** Logits for a batch x: float32[B, 64] → float32[B, 10]. */
const predict = (p: Params, x: Array): Array => np.matmul(np.matmul(x, p.w1).add(p.b1).tanh(), p.w2).add(p.b2);

/** Mean softmax cross-entropy against integer labels y: int32[B] (one-hot built by comparison). */
function loss(p: Params, x: Array, y: Array): Array {
  const oneHot = y.reshape([-1, 1]).equal(np.arange(0, CLASSES, 1, { dtype: "int32" })).astype("float32");
  return nn.logSoftmax(predict(p, x)).mul(oneHot).sum(1).mean().neg();
}

/** One gradient-descent step, p - lr * dloss/dp, as a pure function: the jitted update. */
const step = jit((p: Params, x: Array, y: Array): Params => {
  const [, g] = valueAndGrad(loss)(p, x, y);
  return tree.map((pi: Array, gi: Array) => pi.sub(gi.mul(LR)), p, g) as Params;
});

/** Loss and accuracy on a whole data set (jitted too; one compile per data-set shape). */
const evaluate = jit((p: Params, x: Array, y: Array): [Array, Array] => [
  loss(p, x, y),
  predict(p, x).argmax(1).equal(y).astype("float32").mean(),
]);

function main(): void {
  const t0 = performance.now();
  const { x, y } = loadDigits();
  const { train, test } = trainTestSplit(x, y, 0.25, SEED);
  const n = train.x.shape[0]!;
  console.log(`digits: ${n} train / ${test.x.shape[0]} test images, MLP 64-${HIDDEN}-${CLASSES}, batch ${BATCH}, lr ${LR}`);

  let params = initParams(SEED);
  const shuffle = mulberry32(SEED + 1);
  const batches = Math.floor(n / BATCH); // drop the ragged last batch so every step has one shape (one compile)
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const te = performance.now();
    const perm = permutation(shuffle, n);
    for (let b = 0; b < batches; b++) {
      const idx = perm.subarray(b * BATCH, (b + 1) * BATCH);
      params = step(params, takeRows(train.x, idx), takeRows(train.y, idx));
    }
    const stepMs = performance.now() - te;
    const [l, acc] = evaluate(params, train.x, train.y);
    const ep = String(epoch).padStart(2);
    console.log(
      `epoch ${ep}  train loss ${(l.item() as number).toFixed(4)}  train acc ${(100 * (acc.item() as number)).toFixed(2)}%  ` +
        `${stepMs.toFixed(0)} ms for ${batches} steps (${(stepMs / batches).toFixed(2)} ms/step), elapsed ${(performance.now() - t0).toFixed(0)} ms`,
    );
  }
  const [testLoss, testAccArr] = evaluate(params, test.x, test.y);
  const testAcc = testAccArr.item() as number;
  console.log(`test loss ${(testLoss.item() as number).toFixed(4)}  TEST accuracy ${(100 * testAcc).toFixed(2)}%  (total ${((performance.now() - t0) / 1000).toFixed(1)} s, update step compiled ${step.cacheSize}×)`);
  if (testAcc < 0.9) {
    console.error("test accuracy below 90%");
    process.exit(1);
  }
}

main();
