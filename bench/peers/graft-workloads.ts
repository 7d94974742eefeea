/**
 * graft's implementations of W1–W6 (data.ts), shared by the peer benchmark's graft children
 * (graft.ts, graft-webgpu.ts) and the W4 memory check (bench/memory-w4.ts). Importing this file has
 * no side effects beyond loading graft; arrays are created on whatever backend is the default when
 * a workload's setup runs.
 */
import { grad, hessian, jit, nn, np, valueAndGrad, vmap } from "../../src/index.js";
import {
  ADAM,
  MLP,
  MLP_SHAPES,
  mlpInputs,
  type Outputs,
  W1_N,
  W1B_N,
  W5_SIZES,
  w1Inputs,
  w2Input,
  w5Inputs,
  w6Input,
  type WorkloadId,
} from "./data.js";
import type { Impl } from "./harness.js";

type A = np.Array;

const f2 = (x: A): A => x.mul(0.5).add(1).tanh().mul(nn.sigmoid(x)).sub(x.square().div(3));

/** W4's parameters w1 [D,H], b1 [H], w2 [H,C], b2 [C] (and Adam's moments, same shapes). */
export type Params = [A, A, A, A];

function mlpLoss(p: Params, x: A, y: A): A {
  const h = np.matmul(x, p[0]).add(p[1]).tanh();
  const logits = np.matmul(h, p[2]).add(p[3]);
  return nn.logSoftmax(logits).mul(y).sum(1).mean().neg();
}

/** W4: one Adam step (t = 1 bias correction); returns [loss, ...params, ...m, ...v]. */
export function adamStep(p: Params, m: Params, v: Params, x: A, y: A): A[] {
  const [loss, g] = valueAndGrad(mlpLoss)(p, x, y);
  const { lr, b1, b2, eps } = ADAM;
  const m2 = m.map((mi, i) => mi.mul(b1).add(g[i]!.mul(1 - b1)));
  const v2 = v.map((vi, i) => vi.mul(b2).add(g[i]!.square().mul(1 - b2)));
  const p2 = p.map((pi, i) =>
    pi.sub(
      m2[i]!.div(1 - b1)
        .mul(lr)
        .div(
          v2[i]!.div(1 - b2)
            .sqrt()
            .add(eps),
        ),
    ),
  );
  return [loss, ...p2, ...m2, ...v2];
}

/** W4's inputs (data.ts's seeded `mlpInputs()`) as graft arrays on the default backend. */
export function mlpArrays(): { p: Params; m: Params; v: Params; x: A; y: A } {
  const inp = mlpInputs();
  const arr = (data: Float32Array[]): Params => data.map((d, i) => np.array(d, { shape: MLP_SHAPES[i]! })) as Params;
  return {
    p: arr(inp.params),
    m: arr(inp.m),
    v: arr(inp.v),
    x: np.array(inp.x, { shape: [MLP.B, MLP.D] }),
    y: np.array(inp.y, { shape: [MLP.B, MLP.C] }),
  };
}

const linLoss = (w: A, x: A, y: A): A => np.dot(x, w).sub(y).square().mul(0.5);
const f6 = (x: A): A =>
  x
    .square()
    .square()
    .sum()
    .add(x.get("0:-1").mul(x.get("1:")).sum());

/** How a call's outputs come back to JS: `dataSync` on CPU backends, `await x.data()` on WebGPU. */
export type Reader = (xs: A[]) => Outputs | Promise<Outputs>;

/** The synchronous read of the CPU backends (cpu, wasm). */
export const readSync: Reader = (xs) => xs.map((x) => x.dataSync());

function matmulWorkload(n: number, read: Reader): Impl {
  return () => {
    const { a, b } = w1Inputs(n);
    const [x, y] = [np.array(a, { shape: [n, n] }), np.array(b, { shape: [n, n] })];
    return { run: () => read([np.matmul(x, y)]) };
  };
}

/** W1–W6 for the peer harness (W1, W1b eager, W2–W6 jitted), each call's outputs read with `read`. */
export function graftWorkloads(read: Reader = readSync): Record<WorkloadId, Impl> {
  return {
    W1: matmulWorkload(W1_N, read),
    W1b: matmulWorkload(W1B_N, read),
    W2: () => {
      const x = np.array(w2Input());
      const f = jit(f2);
      return { run: () => read([f(x)]) };
    },
    W3: () => {
      const x = np.array(w2Input());
      const g = jit(grad((x: A) => f2(x).sum()));
      return { run: () => read([g(x)]) };
    },
    W4: () => {
      const { p, m, v, x, y } = mlpArrays();
      const step = jit(adamStep);
      return { run: () => read(step(p, m, v, x, y)) };
    },
    W5: () => {
      const d = w5Inputs();
      const w = np.array(d.w);
      const x = np.array(d.x, { shape: [W5_SIZES.B, W5_SIZES.F] });
      const y = np.array(d.y);
      const g = jit(vmap(grad(linLoss), { inAxes: [null, 0, 0] }));
      return { run: () => read([g(w, x, y)]) };
    },
    W6: () => {
      const x = np.array(w6Input());
      const h = jit(hessian(f6));
      return { run: () => read([h(x) as A]) };
    },
  };
}
