/** Transforms (grad, jvp, vjp, vmap, jacobians, hessian, jit) of fixed functions at fixed points. */
import { grad, hessian, jacfwd, jacrev, jit, jvp, np, nn, vjp, vmap, type Array } from "../../../src/index.js";
import { arg, type Impl } from "./types.js";

/** Rosenbrock's function, Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])². */
const rosen = (x: Array): Array => {
  const n = x.shape[0]!;
  const head = x.get(np.slice(null, n - 1));
  const tail = x.get(np.slice(1, null));
  return np.sum(tail.sub(head.square()).square().mul(100).add(np.subtract(1, head).square()));
};

const one =
  (f: (x: Array) => unknown): Impl =>
  (args) =>
    f(arg(args, 0)) as Array;

export const TRANSFORM_CASES: Record<string, Impl> = {
  gradSinX: one(grad((x: Array) => np.sum(np.sin(x).mul(x)))),
  gradRosen: one(grad(rosen)),
  hessianRosen: one(hessian(rosen)),
  jacfwdTanhOuter: one(jacfwd((x: Array) => np.tanh(np.outer(x, x)))),
  jacrevSoftmax: one(jacrev((x: Array) => nn.softmax(x))),
  jvpTanh: (args) => jvp((x: Array) => np.tanh(x), [arg(args, 0)], [arg(args, 1)]),
  vjpProd: (args) => {
    const [, pullback] = vjp((v: Array) => np.cumprod(v), arg(args, 0));
    return pullback(arg(args, 1))[0];
  },
  vmapMatvec: (args) => vmap((m: Array, v: Array) => np.matmul(m, v))(arg(args, 0), arg(args, 1)),
  vmapInAxes: (args) => vmap((a: Array, b: Array) => a.mul(b.sum()), { inAxes: [1, null] })(arg(args, 0), arg(args, 1)),
  gradAbs: one(grad((x: Array) => np.sum(np.abs(x)))),
  gradMax: one(grad((x: Array) => np.max(x))),
  gradMaximum: (args) => grad((x: Array, y: Array) => np.sum(np.maximum(x, y)))(arg(args, 0), arg(args, 1)),
  gradRelu: one(grad((x: Array) => np.sum(nn.relu(x)))),
  gradSqrt: one(grad((x: Array) => np.sum(np.sqrt(x)))),
  gradWhereSafe: one(
    grad((x: Array) => {
      const pos = x.greater(0);
      return np.sum(np.where(pos, np.sqrt(np.where(pos, x, 1)), 0));
    }),
  ),
  gradLogsumexp: one(grad((x: Array) => np.logsumexp(x))),
  gradNorm: one(grad((x: Array) => np.linalg.norm(x))),
  gradPowZero: one(grad((x: Array) => np.sum(np.power(x, 0)))),
  gradOfGrad: (args) => grad(grad((x: Array) => np.sin(x).mul(x).mul(x)))(arg(args, 0)),
  jitPoly: one(jit((x: Array) => np.power(x, 3).sub(x.mul(2)).add(1))),
  gradIntegerPow: one(grad((x: Array) => np.sum(np.power(x, 3)))),
  gradSort: one(grad((x: Array) => np.sum(np.sort(x).mul(np.arange(x.shape[0]!, { dtype: x.dtype }))))),
  gradCumsum: one(grad((x: Array) => np.sum(np.cumsum(x).square()))),
  gradMatmul: (args) =>
    grad((a: Array, b: Array) => np.sum(np.tanh(np.matmul(a, b))), { argnums: [0, 1] })(arg(args, 0), arg(args, 1)),
};
