/**
 * TensorFlow.js's implementations of W1–W6 (data.ts), shared by the tfjs children of
 * `npm run bench:peers`: tfjs.ts (tfjs-backend-wasm) and tfjs-webgpu.ts (tfjs-backend-webgpu).
 * Eager (tfjs has no jit), each call's ops inside `tf.tidy` so intermediates are freed.
 * W5 and W6 are "—": tfjs has no vmap and no hessian.
 *
 * The API is typed structurally below so the repository typechecks without the peers installed.
 */
import {
  ADAM,
  MLP,
  MLP_SHAPES,
  mlpInputs,
  type Outputs,
  W1_N,
  W1B_N,
  w1Inputs,
  w2Input,
  type WorkloadId,
} from "./data.js";
import type { Impl } from "./harness.js";

export interface Tensor {
  add(b: Tensor | number): Tensor;
  sub(b: Tensor | number): Tensor;
  mul(b: Tensor | number): Tensor;
  div(b: Tensor | number): Tensor;
  dataSync(): Float32Array;
  data(): Promise<Float32Array>;
  dispose(): void;
}
export interface Tf {
  env(): { set(flag: string, value: unknown): void };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor(values: Float32Array, shape?: number[]): Tensor;
  matMul(a: Tensor, b: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  square(x: Tensor): Tensor;
  sqrt(x: Tensor): Tensor;
  sum(x: Tensor, axis?: number): Tensor;
  mean(x: Tensor): Tensor;
  neg(x: Tensor): Tensor;
  logSoftmax(x: Tensor): Tensor;
  grad(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor;
  valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[]) => { value: Tensor; grads: Tensor[] };
  tidy<T>(f: () => T): T;
  dispose(t: Tensor | Tensor[]): void;
  backend(): unknown;
}
/** How a call's outputs come back to JS (the tensors are disposed afterwards). */
export type Reader = (ys: Tensor[]) => Outputs | Promise<Outputs>;

/** The synchronous read of the wasm backend. */
export const readSync: Reader = (ys) => ys.map((y) => y.dataSync());

/** W1–W4 on tfjs's current backend (eager; W5, W6 "—"), each call's outputs read with `read`. */
export function tfjsWorkloads(tf: Tf, read: Reader): Record<WorkloadId, Impl> {
  const f2 = (x: Tensor): Tensor => tf.tanh(x.mul(0.5).add(1)).mul(tf.sigmoid(x)).sub(tf.square(x).div(3));
  // Read back outside `tf.tidy`: tidy walks whatever its callback returns looking for tensors, and
  // walking a 1M-element typed array costs about a second.
  const run = (f: () => Tensor[]) => (): Outputs | Promise<Outputs> => {
    const ys = tf.tidy(f);
    const out = read(ys);
    if (!(out instanceof Promise)) {
      tf.dispose(ys);
      return out;
    }
    return out.finally(() => tf.dispose(ys));
  };
  const matmul =
    (n: number): Impl =>
    () => {
      const { a, b } = w1Inputs(n);
      const [x, y] = [tf.tensor(a, [n, n]), tf.tensor(b, [n, n])];
      return { run: run(() => [tf.matMul(x, y)]), dispose: () => tf.dispose([x, y]) };
    };
  const noTransform = (what: string) => ({ unsupported: `tfjs has no ${what}` });

  return {
    W1: matmul(W1_N),
    W1b: matmul(W1B_N),
    W2: () => {
      const x = tf.tensor(w2Input());
      return { run: run(() => [f2(x)]), dispose: () => x.dispose() };
    },
    W3: () => {
      const x = tf.tensor(w2Input());
      const g = tf.grad((x) => tf.sum(f2(x)));
      return { run: run(() => [g(x)]), dispose: () => x.dispose() };
    },
    W4: () => {
      const inp = mlpInputs();
      const arr = (data: Float32Array[]): Tensor[] => data.map((d, i) => tf.tensor(d, MLP_SHAPES[i]!));
      const [p, m, v] = [arr(inp.params), arr(inp.m), arr(inp.v)];
      const x = tf.tensor(inp.x, [MLP.B, MLP.D]);
      const y = tf.tensor(inp.y, [MLP.B, MLP.C]);
      const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor => {
        const h = tf.tanh(tf.matMul(x, w1).add(b1));
        return tf.neg(tf.mean(tf.sum(tf.logSoftmax(tf.matMul(h, w2).add(b2)).mul(y), 1)));
      };
      const vg = tf.valueAndGrads(loss as (...args: Tensor[]) => Tensor);
      const { lr, b1, b2, eps } = ADAM;
      const step = run(() => {
        const { value, grads } = vg(p);
        const m2 = m.map((mi, i) => mi.mul(b1).add(grads[i]!.mul(1 - b1)));
        const v2 = v.map((vi, i) => vi.mul(b2).add(tf.square(grads[i]!).mul(1 - b2)));
        const p2 = p.map((pi, i) =>
          pi.sub(
            m2[i]!.div(1 - b1)
              .mul(lr)
              .div(tf.sqrt(v2[i]!.div(1 - b2)).add(eps)),
          ),
        );
        return [value, ...p2, ...m2, ...v2];
      });
      return { run: step, dispose: () => tf.dispose([...p, ...m, ...v, x, y]) };
    },
    W5: noTransform("vmap"),
    W6: noTransform("hessian"),
  };
}
