/**
 * graft's side of `npm run bench:peers` (run as `node --import tsx bench/peers/graft.ts`): W1–W6
 * on graft's `cpu` backend, from the source tree. graft's cpu backend is single-threaded JS.
 */
import { devices, grad, hessian, jit, nn, np, setDefaultBackend, valueAndGrad, vmap } from "../../src/index.js";
import { ADAM, MLP, MLP_SHAPES, mlpInputs, W1_N, W5_SIZES, w1Inputs, w2Input, w5Inputs, w6Input } from "./data.js";
import { report, unavailable } from "./harness.js";

type A = np.Array;

const f2 = (x: A): A => x.mul(0.5).add(1).tanh().mul(nn.sigmoid(x)).sub(x.square().div(3));

type Params = [A, A, A, A];
function mlpLoss(p: Params, x: A, y: A): A {
  const h = np.matmul(x, p[0]).add(p[1]).tanh();
  const logits = np.matmul(h, p[2]).add(p[3]);
  return nn.logSoftmax(logits).mul(y).sum(1).mean().neg();
}

function adamStep(p: Params, m: Params, v: Params, x: A, y: A): A[] {
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

const linLoss = (w: A, x: A, y: A): A => np.dot(x, w).sub(y).square().mul(0.5);
const f6 = (x: A): A =>
  x
    .square()
    .square()
    .sum()
    .add(x.get("0:-1").mul(x.get("1:")).sum());

const read = (xs: A[]): Float32Array[] => xs.map((x) => x.dataSync() as Float32Array);

try {
  setDefaultBackend("cpu");
  report(
    { library: "graft", version: "source tree", backend: `cpu (of ${devices().join(", ")})`, threads: "1 (JS)" },
    {
      W1: () => {
        const { a, b } = w1Inputs();
        const [x, y] = [np.array(a, { shape: [W1_N, W1_N] }), np.array(b, { shape: [W1_N, W1_N] })];
        return { run: () => read([np.matmul(x, y)]) };
      },
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
        const inp = mlpInputs();
        const arr = (data: Float32Array[]): Params =>
          data.map((d, i) => np.array(d, { shape: MLP_SHAPES[i]! })) as Params;
        const [p, m, v] = [arr(inp.params), arr(inp.m), arr(inp.v)];
        const x = np.array(inp.x, { shape: [MLP.B, MLP.D] });
        const y = np.array(inp.y, { shape: [MLP.B, MLP.C] });
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
    },
  );
} catch (e) {
  unavailable("graft", e);
}
