/**
 * An Elman RNN that learns to predict the next value of noisy sine waves.
 *
 *   h_t = tanh(x_t·Wxh + h_{t-1}·Whh + bh),   ŷ_t = h_t·Why + by,   target y_t = x_{t+1}
 *
 * The time loop is one `scan` (carry h, xs the time-major inputs), so the whole forward pass is a
 * single primitive; `valueAndGrad` differentiates it (reverse mode runs a reversed scan, no
 * unrolling) and `jit` compiles the full Adam update step once.
 *
 * Run: `npx tsx examples/rnn.ts`. Exits with code 1 unless the loss drops at least 5x.
 */
import { np, jit, scan, tree, valueAndGrad } from "../src/index.js";
import { mulberry32, normals } from "./data/load.js";

type Array = np.Array;
interface Params {
  wxh: Array; // [1, H]
  whh: Array; // [H, H]
  bh: Array; // [H]
  why: Array; // [H, 1]
  by: Array; // [1]
}

const HIDDEN = 16;
const STEPS = 24; // sequence length
const BATCH = 32;
const EPOCHS = 150;
const LR = 0.01;
const NOISE = 0.05;
const rand = mulberry32(0);

/** A batch of noisy sine waves with random frequency and phase, time-major: inputs and next-step targets [T, B, 1]. */
function sineBatch(): { xs: Array; ys: Array } {
  const data = new Float32Array((STEPS + 1) * BATCH);
  const noise = normals(rand, data.length);
  for (let b = 0; b < BATCH; b++) {
    const freq = 0.2 + 0.4 * rand();
    const phase = 2 * Math.PI * rand();
    for (let t = 0; t <= STEPS; t++) data[t * BATCH + b] = Math.sin(freq * t + phase) + NOISE * noise[t * BATCH + b]!;
  }
  const seq = np.array(data, { shape: [STEPS + 1, BATCH, 1] });
  return { xs: seq.get(np.slice(0, STEPS)), ys: seq.get(np.slice(1, STEPS + 1)) };
}

function initParams(): Params {
  const mat = (r: number, c: number, scale: number) =>
    np.array(
      normals(rand, r * c).map((v) => v * scale),
      { shape: [r, c] },
    );
  return {
    wxh: mat(1, HIDDEN, 1),
    whh: mat(HIDDEN, HIDDEN, 0.9 / Math.sqrt(HIDDEN)),
    bh: np.zeros([HIDDEN]),
    why: mat(HIDDEN, 1, 1 / Math.sqrt(HIDDEN)),
    by: np.zeros([1]),
  };
}

/** Mean squared error of the one-step-ahead predictions over the whole sequence. */
function loss(p: Params, xs: Array, ys: Array): Array {
  const h0 = np.zeros([BATCH, HIDDEN]);
  // The time loop: one scan step per time step, emitting that step's prediction.
  const [, preds] = scan(
    (h: Array, x: Array) => {
      const hn = np.matmul(x, p.wxh).add(np.matmul(h, p.whh)).add(p.bh).tanh();
      return [hn, np.matmul(hn, p.why).add(p.by)] as const;
    },
    h0,
    xs,
  );
  // Skip the first few steps, where the RNN has not yet seen enough of the wave to know its phase.
  return preds.sub(ys).get(np.slice(4, null)).square().mean();
}

/** Adam state and one jitted update step. */
interface Adam {
  p: Params;
  m: Params;
  v: Params;
  t: Array;
}
const step = jit((s: Adam, xs: Array, ys: Array): [Adam, Array] => {
  const [l, g] = valueAndGrad(loss)(s.p, xs, ys);
  const t = s.t.add(1);
  const m = tree.map((mi: Array, gi: Array) => mi.mul(0.9).add(gi.mul(0.1)), s.m, g) as Params;
  const v = tree.map((vi: Array, gi: Array) => vi.mul(0.999).add(gi.square().mul(0.001)), s.v, g) as Params;
  const c1 = np.power(0.9, t).neg().add(1);
  const c2 = np.power(0.999, t).neg().add(1);
  const p = tree.map(
    (pi: Array, mi: Array, vi: Array) => pi.sub(mi.div(c1).mul(LR).div(vi.div(c2).sqrt().add(1e-8))),
    s.p,
    m,
    v,
  ) as Params;
  return [{ p, m, v, t }, l];
});

function main(): void {
  const t0 = performance.now();
  const p = initParams();
  const zeros = tree.map((x: Array) => np.zerosLike(x), p) as Params;
  let state: Adam = { p, m: zeros, v: zeros, t: np.array(0) };
  const test = sineBatch();
  const first = loss(p, test.xs, test.ys).item() as number;
  console.log(`Elman RNN, hidden ${HIDDEN}, ${STEPS} steps, batch ${BATCH}; initial test loss ${first.toFixed(4)}`);
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const { xs, ys } = sineBatch();
    let l: Array;
    [state, l] = step(state, xs, ys);
    if (epoch % 15 === 0 || epoch === 1)
      console.log(`epoch ${String(epoch).padStart(3)}  train loss ${(l.item() as number).toFixed(4)}`);
  }
  const last = loss(state.p, test.xs, test.ys).item() as number;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `final test loss ${last.toFixed(4)} (${(first / last).toFixed(1)}x lower; noise floor ≈ ${(NOISE * NOISE).toFixed(4)}), ${secs.toFixed(1)} s, step compiled ${step.cacheSize}x`,
  );
  if (!(last * 5 < first)) {
    console.error("the loss did not drop by 5x");
    process.exit(1);
  }
}

main();
