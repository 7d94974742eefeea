/**
 * Computations the browser tests run twice: inside Chromium (bundled into an entry) and in the
 * test's own Node process. Both sides import this one module, so they run identical code on
 * identical inputs, and any difference comes from the engine or backend underneath.
 *
 * Inputs are built from Math.sin, not a random-number library: deterministic, dependency-free,
 * and rounded to float32 on both sides the same way.
 */
import { grad, jit, nn, np, withBackend } from "../../../src/index.js";

/** n float32 values in [-scale, scale], different for each seed. */
export function seeded(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 7.13 + i * 0.618));
}

const arr = (shape: readonly number[], seed: number, scale = 1): np.Array =>
  np.array(
    seeded(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
    { shape, dtype: "float32" },
  );

interface Params {
  w1: np.Array;
  b1: np.Array;
  w2: np.Array;
  b2: np.Array;
}

/** Two layers, tanh between them, mean squared error. */
function mlpLoss(p: Params, x: np.Array, y: np.Array): np.Array {
  const hidden = np.matmul(x, p.w1).add(p.b1).tanh();
  return np.matmul(hidden, p.w2).add(p.b2).sub(y).square().mean();
}

/** The loss and its gradient as plain numbers (structured-clone and JSON safe). */
export interface MlpResult {
  loss: number;
  grads: Record<keyof Params, number[]>;
}

/** The MLP's parameters and data, on the current default backend. */
function mlpInputs(): { params: Params; x: np.Array; y: np.Array } {
  return {
    params: {
      w1: arr([8, 32], 1, 0.5),
      b1: arr([32], 2, 0.1),
      w2: arr([32, 2], 3, 0.5),
      b2: arr([2], 4, 0.1),
    },
    x: arr([16, 8], 5),
    y: arr([16, 2], 6),
  };
}

/** jit(grad(loss)) of a small float32 MLP (16×8 inputs, 32 hidden units, 2 outputs). */
export function mlpCheck(): MlpResult {
  const { params, x, y } = mlpInputs();
  const g = jit(grad(mlpLoss))(params, x, y) as Params;
  return {
    loss: jit(mlpLoss)(params, x, y).item(),
    grads: { w1: numbers(g.w1), b1: numbers(g.b1), w2: numbers(g.w2), b2: numbers(g.b2) },
  };
}

/**
 * mlpCheck's computation on `backend` (its inputs made there, inside withBackend), read back with
 * `await x.data()`: for backends that read only asynchronously (webgpu). Throws if a result does
 * not live on `backend`, so a silent fallback cannot pass for that backend's numbers.
 */
export async function mlpCheckAsync(backend: string): Promise<MlpResult> {
  const { g, loss } = withBackend(backend, () => {
    const { params, x, y } = mlpInputs();
    return { g: jit(grad(mlpLoss))(params, x, y) as Params, loss: jit(mlpLoss)(params, x, y) };
  });
  for (const [name, a] of [["loss", loss], ...Object.entries(g)] as [string, np.Array][])
    if (a.backend !== backend) throw new Error(`mlpCheckAsync: ${name} lives on '${a.backend}', not '${backend}'`);
  const read = async (a: np.Array): Promise<number[]> => Array.from(await a.data());
  const [l, w1, b1, w2, b2] = await Promise.all([loss, g.w1, g.b1, g.w2, g.b2].map(read));
  return { loss: l![0]!, grads: { w1: w1!, b1: b1!, w2: w2!, b2: b2! } };
}

/**
 * The operands of the large product: n×n float32 each. 512² is 2^27 multiply-adds, well above
 * the size from which the wasm backend splits a product across its threads.
 */
export function matmulOperands(n = 512): [np.Array, np.Array] {
  return [arr([n, n], 7), arr([n, n], 8)];
}

/** A fresh jitted product (fresh, so each caller compiles and runs its own). */
export function jittedMatmul(): (a: np.Array, b: np.Array) => np.Array {
  return jit((a: np.Array, b: np.Array) => np.matmul(a, b));
}

/** An array's contents as plain numbers. */
export function numbers(x: np.Array): number[] {
  return Array.from(x.dataSync());
}

/**
 * Large fused kernels the wasm backend splits across its threads: W2's elementwise loop over 2^20
 * elements and row sums of exp·tanh over 1024×1024. Neither calls a host function nor a product, so the
 * bits are the same in any engine and on any number of threads.
 */
export function fusedCheck(): { w2: number[]; rows: number[] } {
  const x = arr([1 << 20], 9, 3);
  const w2 = jit((v: np.Array) => np.tanh(v.mul(0.5).add(1)).mul(nn.sigmoid(v)).sub(v.mul(v).div(3)));
  const rows = jit((v: np.Array) => {
    const m = v.reshape([1024, 1024]);
    return np.sum(np.exp(m).mul(np.tanh(m)), 1);
  });
  return { w2: numbers(w2(x)), rows: numbers(rows(x)) };
}
