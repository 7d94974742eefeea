/**
 * @jax-js/jax's side of `npm run bench:peers` (a benchmark-only peer under bench/node_modules):
 * W1–W6 on its `wasm` device, with `jit` for W2–W6.
 *
 * jax-js arrays are reference-counted and every function takes ownership of its array arguments,
 * so inputs are passed as `x.ref` (and reused values inside the traced functions too); `dataSync()`
 * consumes the array it reads. Single-threaded: jax-js only starts a Wasm worker pool when a global
 * `Worker` exists, which Node.js does not have (we also delete it before loading, to be sure).
 *
 * The API is typed structurally below so the repository typechecks without the peer installed.
 */
import {
  ADAM,
  MLP,
  MLP_SHAPES,
  mlpInputs,
  W1_N,
  W5_SIZES,
  W6_N,
  w1Inputs,
  w2Input,
  w5Inputs,
  w6Input,
} from "./data.js";
import { peerVersion, report, unavailable } from "./harness.js";

interface JArray {
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
  dispose(): void;
}
type Fn = (...args: never[]) => unknown;
type Owned<F> = F & { dispose(): void };
interface JaxJs {
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
}

const setup = async (): Promise<JaxJs> => {
  (globalThis as { Worker?: unknown }).Worker = undefined;
  const specifier = ["@jax-js", "jax"].join("/");
  const jax = (await import(specifier)) as JaxJs;
  const devs = await jax.init("wasm");
  if (!devs.includes("wasm")) throw new Error(`wasm device did not start (got ${devs.join(", ")})`);
  jax.defaultDevice("wasm");
  return jax;
};

function workloads(jax: JaxJs): Parameters<typeof report>[1] {
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

  const read = (xs: JArray[]): Float32Array[] => xs.map((x) => x.dataSync());

  return {
    W1: () => {
      const { a, b } = w1Inputs();
      const [x, y] = [np.array(a, { shape: [W1_N, W1_N] }), np.array(b, { shape: [W1_N, W1_N] })];
      return { run: () => read([np.matmul(x.ref, y.ref)]), dispose: () => [x, y].forEach((t) => t.dispose()) };
    },
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

try {
  const jax = await setup();
  const version = peerVersion("@jax-js/jax");
  report(
    {
      library: "jax-js",
      version: `@jax-js/jax ${version}`,
      backend: jax.defaultDevice(),
      threads: "1 (no Worker global in Node: no Wasm worker pool)",
    },
    workloads(jax),
  );
} catch (e) {
  unavailable("jax-js", e);
}
