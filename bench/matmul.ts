/**
 * Compute-bound work, where kernel speed rather than dispatch dominates:
 *
 * - (d) an eager 256×256 float32 matmul (ms per product);
 * - (e) the gradient of a small MLP's loss with respect to all its parameters, on a float32[128, 64]
 *       batch: 64 → 64 tanh → 10 logits, mean softmax cross-entropy against int32 labels (the
 *       model of examples/digits.ts). Measured eagerly (`grad(loss)`) and compiled
 *       (`jit(grad(loss))`, cached), in ms per gradient.
 *
 * The TensorFlow.js variants use `tf.matMul` and `tf.grads` on its CPU backend, inside `tf.tidy`
 * so intermediate tensors are freed.
 */
import { np, nn, grad, jit } from "../src/index.js";
import { timeIt, type Timing } from "./util.js";
import type { Tensor, Tfjs } from "./tfjs-api.js";

type Array = np.Array;
interface Params {
  w1: Array;
  b1: Array;
  w2: Array;
  b2: Array;
}

const N = 256;
const [B, D, H, C] = [128, 64, 64, 10];

/** Deterministic pseudo-random floats in [-0.5, 0.5) (no PRNG needed for timing). */
const fill = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 0) / 2 ** 32 - 0.5);
const labels = Int32Array.from({ length: B }, (_, i) => (i * 7) % C);

export function graftMatmul(): Timing {
  const a = np.array(fill(N * N, 1), { shape: [N, N] });
  const b = np.array(fill(N * N, 2), { shape: [N, N] });
  return timeIt(() => np.matmul(a, b), { samples: 15, warmup: 3 });
}

export function tfjsMatmul(tf: Tfjs): Timing {
  const a = tf.tensor2d(fill(N * N, 1), [N, N]);
  const b = tf.tensor2d(fill(N * N, 2), [N, N]);
  const t = timeIt(() => tf.matMul(a, b).dispose(), { samples: 15, warmup: 3 });
  tf.dispose([a, b]);
  return t;
}

function loss(p: Params, x: Array, y: Array): Array {
  const logits = np.matmul(np.matmul(x, p.w1).add(p.b1).tanh(), p.w2).add(p.b2);
  const oneHot = y
    .reshape([-1, 1])
    .equal(np.arange(0, C, 1, { dtype: "int32" }))
    .astype("float32");
  return nn.logSoftmax(logits).mul(oneHot).sum(1).mean().neg();
}

function mlpInputs(): { p: Params; x: Array; y: Array } {
  const p = {
    w1: np.array(fill(D * H, 3), { shape: [D, H] }).mul(0.2),
    b1: np.zeros([H]),
    w2: np.array(fill(H * C, 4), { shape: [H, C] }).mul(0.2),
    b2: np.zeros([C]),
  };
  return { p, x: np.array(fill(B * D, 5), { shape: [B, D] }), y: np.array(labels) };
}

export function graftMlpGrad(compiled: boolean): Timing {
  const { p, x, y } = mlpInputs();
  const g = compiled ? jit(grad(loss)) : grad(loss);
  return timeIt(() => g(p, x, y), { inner: 5, samples: 21, warmup: 3 });
}

export function tfjsMlpGrad(tf: Tfjs): Timing {
  const w1 = tf.tensor2d(fill(D * H, 3), [D, H]).mul(0.2);
  const w2 = tf.tensor2d(fill(H * C, 4), [H, C]).mul(0.2);
  const b1 = tf.zeros([H]);
  const b2 = tf.zeros([C]);
  const x = tf.tensor2d(fill(B * D, 5), [B, D]);
  const y = tf.tensor1d(labels, "int32");
  const lossTf = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor => {
    const logits = tf.matMul(tf.tanh(tf.matMul(x, w1).add(b1)), w2).add(b2);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(y as Tensor, C)), 1)));
  };
  const g = tf.grads(lossTf);
  // Same model, same numbers: check the two libraries agree before timing them.
  const { p, x: gx, y: gy } = mlpInputs();
  const ref = grad(loss)(p, gx, gy);
  const got = g([w1, b1, w2, b2]);
  [ref.w1, ref.b1, ref.w2, ref.b2].forEach((r, i) => {
    const a = r.dataSync();
    const b = got[i]!.dataSync();
    if (a.length !== b.length)
      throw new Error(`bench (e): gradient ${i} has ${a.length} values in graft, ${b.length} in tfjs`);
    let diff = 0;
    for (let k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs(a[k]! - b[k]!));
    if (!(diff < 1e-4)) throw new Error(`bench (e): graft and tfjs gradients differ (param ${i}, max |diff| ${diff})`);
  });
  tf.dispose(got);
  const t = timeIt(() => tf.tidy(() => void g([w1, b1, w2, b2])), { inner: 5, samples: 21, warmup: 3 });
  tf.dispose([w1, w2, b1, b2, x, y]);
  return t;
}
