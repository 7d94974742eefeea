/**
 * @jax-js/jax's implementations of W1–W6 (data.ts), shared by the jax-js children of
 * `npm run bench:peers`: jaxjs.ts (its `wasm` device) and jaxjs-webgpu.ts (its `webgpu` device).
 *
 * jax-js arrays are reference-counted and every function takes ownership of its array arguments,
 * so inputs are passed as `x.ref` (and reused values inside the traced functions too); reading an
 * array (`dataSync()` or `await data()`) consumes it.
 *
 * The API is typed structurally below so the repository typechecks without the peer installed.
 */
import {
  ADAM,
  MLP,
  MLP_SHAPES,
  mlpInputs,
  type Outputs,
  W1_N,
  W1B_N,
  W5_SIZES,
  W6_N,
  w1Inputs,
  w2Input,
  w5Inputs,
  w6Input,
  type WorkloadId,
} from "./data.js";
import type { Impl } from "./harness.js";

export interface JArray {
  readonly ref: JArray;
  add(b: JArray | number): JArray;
  sub(b: JArray | number): JArray;
  mul(b: JArray | number): JArray;
  div(b: JArray | number): JArray;
  neg(): JArray;
  sum(axis?: number): JArray;
  mean(axis?: number): JArray;
  reshape(shape: number[]): JArray;
  slice(...index: [number, number][]): JArray;
  dataSync(): Float32Array;
  data(): Promise<Float32Array>;
  dispose(): void;
}
type Fn = (...args: never[]) => unknown;
type Owned<F> = F & { dispose(): void };
export interface JaxJs {
  init(...devices: string[]): Promise<string[]>;
  defaultDevice(device?: string): string;
  numpy: {
    array(data: Float32Array, opts?: { shape?: number[] }): JArray;
    matmul(a: JArray, b: JArray): JArray;
    dot(a: JArray, b: JArray): JArray;
    tanh(x: JArray): JArray;
    square(x: JArray): JArray;
    sqrt(x: JArray): JArray;
  };
  nn: { sigmoid(x: JArray): JArray; logSoftmax(x: JArray, axis?: number): JArray };
  jit<F extends Fn>(f: F): Owned<F>;
  grad<F extends Fn>(f: F): (...args: Parameters<F>) => JArray;
  valueAndGrad<F extends Fn>(f: F): (...args: Parameters<F>) => [JArray, JArray[]];
  vmap<F extends Fn>(f: F, inAxes: (number | null)[]): F;
  hessian<F extends (x: JArray) => JArray>(f: F): F;
  getWebGPUDevice(): GPUDevice;
}

/** How a call's outputs come back to JS (each read consumes its array, as jax-js reads do). */
export type Reader = (xs: JArray[]) => Outputs | Promise<Outputs>;

/** The synchronous read of the wasm device. */
export const readSync: Reader = (xs) => xs.map((x) => x.dataSync());

/** W1–W6 on jax-js's default device (W1, W1b eager, W2–W6 jitted), outputs read with `read`. */
export function jaxjsWorkloads(jax: JaxJs, read: Reader): Record<WorkloadId, Impl> {
  const { numpy: np, nn, jit, grad, valueAndGrad, vmap, hessian } = jax;
  // Each input to a traced function is consumed once: reuses go through `.ref`.
  const f2 = (x: JArray): JArray => np.tanh(x.ref.mul(0.5).add(1)).mul(nn.sigmoid(x.ref)).sub(np.square(x).div(3));

  const mlpLoss = (p: JArray[], x: JArray, y: JArray): JArray => {
    const [w1, b1, w2, b2] = p as [JArray, JArray, JArray, JArray];
    const h = np.tanh(np.matmul(x, w1).add(b1));
    const logits = np.matmul(h, w2).add(b2);
    return nn.logSoftmax(logits, -1).mul(y).sum(1).mean().neg();
  };
  const adamStep = (p: JArray[], m: JArray[], v: JArray[], x: JArray, y: JArray): JArray[] => {
    const [loss, g] = valueAndGrad(mlpLoss)(
      p.map((a) => a.ref),
      x,
      y,
    );
    const { lr, b1, b2, eps } = ADAM;
    const m2 = m.map((mi, i) => mi.mul(b1).add(g[i]!.ref.mul(1 - b1)));
    const v2 = v.map((vi, i) => vi.mul(b2).add(np.square(g[i]!).mul(1 - b2)));
    const p2 = p.map((pi, i) =>
      pi.sub(
        m2[i]!.ref.div(1 - b1)
          .mul(lr)
          .div(np.sqrt(v2[i]!.ref.div(1 - b2)).add(eps)),
      ),
    );
    return [loss, ...p2, ...m2, ...v2];
  };

  const linLoss = (w: JArray, x: JArray, y: JArray): JArray => np.square(np.dot(x, w).sub(y)).mul(0.5);
  const f6 = (x: JArray): JArray =>
    np
      .square(np.square(x.ref))
      .sum()
      .add(
        x.ref
          .slice([0, W6_N - 1])
          .mul(x.slice([1, W6_N]))
          .sum(),
      );

  const matmul =
    (n: number): Impl =>
    () => {
      const { a, b } = w1Inputs(n);
      const [x, y] = [np.array(a, { shape: [n, n] }), np.array(b, { shape: [n, n] })];
      return { run: () => read([np.matmul(x.ref, y.ref)]), dispose: () => [x, y].forEach((t) => t.dispose()) };
    };

  return {
    W1: matmul(W1_N),
    W1b: matmul(W1B_N),
    W2: () => {
      const x = np.array(w2Input());
      const f = jit(f2);
      return { run: () => read([f(x.ref)]), dispose: () => (x.dispose(), f.dispose()) };
    },
    W3: () => {
      const x = np.array(w2Input());
      const g = jit(grad((x: JArray) => f2(x).sum()));
      return { run: () => read([g(x.ref)]), dispose: () => (x.dispose(), g.dispose()) };
    },
    W4: () => {
      const inp = mlpInputs();
      const arr = (data: Float32Array[]): JArray[] => data.map((d, i) => np.array(d, { shape: MLP_SHAPES[i]! }));
      const [p, m, v] = [arr(inp.params), arr(inp.m), arr(inp.v)];
      const x = np.array(inp.x, { shape: [MLP.B, MLP.D] });
      const y = np.array(inp.y, { shape: [MLP.B, MLP.C] });
      const step = jit(adamStep);
      const refs = (xs: JArray[]): JArray[] => xs.map((a) => a.ref);
      return {
        run: () => read(step(refs(p), refs(m), refs(v), x.ref, y.ref)),
        dispose: () => {
          for (const a of [...p, ...m, ...v, x, y]) a.dispose();
          step.dispose();
        },
      };
    },
    W5: () => {
      const d = w5Inputs();
      const w = np.array(d.w);
      const x = np.array(d.x, { shape: [W5_SIZES.B, W5_SIZES.F] });
      const y = np.array(d.y);
      const g = jit(vmap(grad(linLoss), [null, 0, 0]));
      return {
        run: () => read([g(w.ref, x.ref, y.ref)]),
        dispose: () => {
          for (const a of [w, x, y]) a.dispose();
          g.dispose();
        },
      };
    },
    W6: () => {
      const x = np.array(w6Input());
      const h = jit(hessian(f6));
      return { run: () => read([h(x.ref)]), dispose: () => (x.dispose(), h.dispose()) };
    },
  };
}
