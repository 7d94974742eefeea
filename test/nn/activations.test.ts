import { describe, it, expect } from "vitest";
import { np, nn, grad, jit, vmap } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import { flat, expectClose, f64 } from "../helpers.js";

type Array = np.Array;

const xs = [-3, -1.2, -0.3, 0.4, 1.5, 3];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
// Abramowitz–Stegun 7.1.26 is too coarse; use a series/continued-fraction-free high-accuracy erf.
function erf(x: number): number {
  // erf via its Taylor series (converges fast for |x| ≤ 3.5).
  let sum = 0,
    term = x,
    n = 0;
  while (Math.abs(term) > 1e-17 * Math.max(1, Math.abs(sum))) {
    sum += term / (2 * n + 1);
    n++;
    term *= (-x * x) / n;
    if (n > 200) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const SELU_A = 1.6732632423543772,
  SELU_L = 1.0507009873554805;

const closed: Record<string, { f: (x: Array) => Array; v: (x: number) => number; d: (x: number) => number }> = {
  tanh: { f: nn.tanh, v: Math.tanh, d: (x) => 1 - Math.tanh(x) ** 2 },
  leakyRelu: { f: (x) => nn.leakyRelu(x), v: (x) => (x >= 0 ? x : 0.01 * x), d: (x) => (x >= 0 ? 1 : 0.01) },
  leakyRelu02: { f: (x) => nn.leakyRelu(x, 0.2), v: (x) => (x >= 0 ? x : 0.2 * x), d: (x) => (x >= 0 ? 1 : 0.2) },
  elu: { f: (x) => nn.elu(x), v: (x) => (x > 0 ? x : Math.expm1(x)), d: (x) => (x > 0 ? 1 : Math.exp(x)) },
  elu2: { f: (x) => nn.elu(x, 2), v: (x) => (x > 0 ? x : 2 * Math.expm1(x)), d: (x) => (x > 0 ? 1 : 2 * Math.exp(x)) },
  selu: {
    f: nn.selu,
    v: (x) => SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x)),
    d: (x) => SELU_L * (x > 0 ? 1 : SELU_A * Math.exp(x)),
  },
  gelu: {
    f: (x) => nn.gelu(x, { approximate: false }),
    v: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    d: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI),
  },
  geluTanh: {
    f: (x) => nn.gelu(x, { approximate: true }),
    v: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    d: (x) => {
      const c = Math.sqrt(2 / Math.PI),
        u = c * (x + 0.044715 * x ** 3),
        t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
    },
  },
  silu: { f: nn.silu, v: (x) => x * sig(x), d: (x) => sig(x) * (1 + x * (1 - sig(x))) },
  hardTanh: { f: nn.hardTanh, v: (x) => Math.max(-1, Math.min(1, x)), d: (x) => (Math.abs(x) < 1 ? 1 : 0) },
  logSigmoid: { f: nn.logSigmoid, v: (x) => Math.log(sig(x)), d: (x) => 1 - sig(x) },
};

describe("activations: values and derivatives against closed forms", () => {
  for (const [name, { f, v, d }] of Object.entries(closed)) {
    it(name, () => {
      expectClose(f(f64(xs)), xs.map(v), 1e-12);
      expectClose(f(np.array(xs)), xs.map(v), 2e-6);
      expect(f(np.array(xs)).dtype).toBe("float32");
      expectClose(grad((x: Array) => f(x).sum())(f64(xs)), xs.map(d), 1e-10);
    });
  }

  it("gelu's tanh approximation (the default, as jax.nn.gelu) is close to the exact form but not equal", () => {
    const x = f64(xs);
    expect(flat(nn.gelu(x))).toEqual(flat(nn.gelu(x, { approximate: true })));
    const diff = flat(nn.gelu(x, { approximate: false }).sub(nn.gelu(x)).abs());
    expect(Math.max(...diff)).toBeLessThan(1e-3);
    expect(Math.max(...diff)).toBeGreaterThan(1e-6);
    expect(nn.swish).toBe(nn.silu);
  });

  it("checkGrads (order 2) away from kinks", () => {
    const pts = f64([-2.1, -0.7, 0.35, 1.3]);
    for (const name of ["tanh", "elu", "selu", "gelu", "geluTanh", "silu", "logSigmoid"])
      checkGrads(closed[name]!.f, [pts], { order: 2 });
    for (const name of ["leakyRelu", "hardTanh"])
      checkGrads(closed[name]!.f, [f64([-2.1, -0.7, 0.35, 0.8])], { order: 1 });
  });
});

describe("activations: stability", () => {
  it("are finite with finite gradients at ±1e4 (float32)", () => {
    const x = np.array([-1e4, -100, 0, 100, 1e4]);
    const fns: ((x: Array) => Array)[] = [
      nn.tanh,
      (v) => nn.leakyRelu(v),
      (v) => nn.elu(v),
      nn.selu,
      (v) => nn.gelu(v, { approximate: false }),
      (v) => nn.gelu(v),
      nn.silu,
      nn.hardTanh,
      nn.logSigmoid,
      nn.sigmoid,
      nn.softplus,
    ];
    for (const f of fns) {
      expect(flat(f(x)).every(Number.isFinite), f.name).toBe(true);
      expect(flat(grad((v: Array) => f(v).sum())(x)).every(Number.isFinite), f.name).toBe(true);
    }
    expectClose(nn.elu(x), [-1, -1, 0, 100, 1e4], 1e-6);
    expectClose(nn.logSigmoid(x), [-1e4, -100, -Math.LN2, 0, 0], 1e-6);
    expectClose(nn.gelu(x), [0, 0, 0, 100, 1e4], 1e-6);
  });
});

describe("activations under jit and vmap", () => {
  it("jit matches eager; vmap matches the unbatched call", () => {
    const x = np.array([
      [-2, -0.5, 0.5, 2],
      [1, -1, 3, -3],
    ]);
    const f = (v: Array) =>
      nn.gelu(nn.elu(v)).add(nn.selu(v)).add(nn.leakyRelu(v, 0.1)).add(nn.silu(v)).add(nn.hardTanh(v)).add(nn.tanh(v));
    expectClose(jit(f)(x), flat(f(x)), 1e-6);
    expectClose(vmap(f)(x), flat(f(x)), 1e-6);
    const g = grad((v: Array) => f(v).sum());
    expectClose(jit(vmap(g))(x), flat(vmap(g)(x)), 1e-6);
  });
});
