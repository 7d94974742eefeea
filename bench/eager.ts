/**
 * (a) The fixed cost of one eager elementwise op: `x.add(y)` on two float32[16] arrays, so the
 * arithmetic is negligible and what is measured is dispatch (promotion and shape checks, the
 * primitive's abstract evaluation, the CPU kernel call and the new Array's allocation).
 * Reported in ns/op as the median over batches of 10,000 ops.
 *
 * The TensorFlow.js variant runs `tf.add(x, y)` on its CPU backend and disposes each result
 * (the cheapest correct way to avoid leaking tensors).
 */
import { np, withBackend } from "../src/index.js";
import { timeIt, type Timing } from "./util.js";
import type { Tfjs } from "./tfjs-api.js";

const OPS = 10_000;
const SAMPLES = 25;

const values = Float32Array.from({ length: 16 }, (_, i) => i / 16);

export function graftEagerAdd(): Timing {
  const x = np.array(values);
  const y = np.array(values);
  return timeIt(() => x.add(y), { inner: OPS, samples: SAMPLES, warmup: 5 });
}

/**
 * (a2) The same op on each backend in one run: the wasm backend keeps small arrays on the reference
 * kernels, so its dispatch overhead should stay within 1.5× the reference backend's (issue 9).
 */
export function eagerAddPerBackend(): { cpu: Timing; wasm: Timing } {
  return { cpu: withBackend("cpu", graftEagerAdd), wasm: withBackend("wasm", graftEagerAdd) };
}

export function tfjsEagerAdd(tf: Tfjs): Timing {
  const x = tf.tensor1d(values);
  const y = tf.tensor1d(values);
  const t = timeIt(() => tf.add(x, y).dispose(), { inner: OPS, samples: SAMPLES, warmup: 5 });
  tf.dispose([x, y]);
  return t;
}
