import { describe, it, expect } from "vitest";
import { np, nn, grad, valueAndGrad, jvp, hessian } from "../../src/index.js";
import { flat, expectClose, f64 } from "../helpers.js";

type Array = np.Array;

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe("grad basics", () => {
  it("gradient of a scalar function", () => {
    const g = grad((x: Array) => x.mul(x).sum());
    expectClose(g(np.array([1, 2, 3])), [2, 4, 6]);
    expectClose(grad((x: Array) => x.tanh().sum())(np.array([0, 1])), [1, 1 - Math.tanh(1) ** 2]);
  });

  it("matches central finite differences (float64)", () => {
    const f = (x: Array) => x.sin().mul(x.exp()).div(x.square().add(1)).sum();
    const xs = [0.3, -1.1, 2];
    const g = flat(grad(f)(f64(xs)));
    const h = 1e-6;
    xs.forEach((_, i) => {
      const e = xs.map((_, j) => (j === i ? h : 0));
      const fd =
        ((f(f64(xs.map((v, j) => v + e[j]!))).item() as number) -
          (f(f64(xs.map((v, j) => v - e[j]!))).item() as number)) /
        (2 * h);
      expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-7);
    });
  });

  it("argnums as a number (including negative) and as a list", () => {
    const f = (x: Array, y: Array, z: Array) => x.mul(y).mul(z).sum();
    const [x, y, z] = [np.array([1, 2]), np.array([3, 4]), np.array([5, 6])];
    expectClose(grad(f)(x, y, z), [15, 24]);
    expectClose(grad(f, { argnums: 1 })(x, y, z), [5, 12]);
    expectClose(grad(f, { argnums: -1 })(x, y, z), [3, 8]);
    const [gz, gx] = grad(f, { argnums: [2, 0] })(x, y, z);
    expectClose(gz, [3, 8]);
    expectClose(gx, [15, 24]);
    const single = grad(f, { argnums: [1] })(x, y, z);
    expect(Array.isArray(single)).toBe(true);
    expectClose(single[0], [5, 12]);
    expect(() => grad(f, { argnums: 3 })(x, y, z)).toThrow(
      /grad: argnums 3 is out of range for a call with 3 argument/,
    );
  });

  it("hasAux returns the auxiliary data undifferentiated", () => {
    const f = (x: Array) => [x.square().sum(), { mean: x.mean(), n: x.size }] as const;
    const [g, aux] = grad(f, { hasAux: true })(np.array([1, 3]));
    expectClose(g, [2, 6]);
    expectClose(aux.mean as Array, 2);
    expectClose(aux.n as unknown as Array, 2);
    expect(() => grad((x: Array) => x.sum() as never, { hasAux: true })(np.array([1]))).toThrow(
      /hasAux the function must return \[value, aux\]/,
    );
  });

  it("valueAndGrad, with and without aux", () => {
    const [v, g] = valueAndGrad((x: Array) => x.square().sum())(np.array([1, 2]));
    expectClose(v, 5);
    expectClose(g, [2, 4]);
    const [[v2, aux], g2] = valueAndGrad((x: Array) => [x.sum(), x.mul(2)] as const, { hasAux: true })(
      np.array([1, 2]),
    );
    expectClose(v2, 3);
    expectClose(aux, [2, 4]);
    expectClose(g2, [1, 1]);
    const [v3, [ga, gb]] = valueAndGrad((a: Array, b: Array) => a.mul(b).sum(), { argnums: [0, 1] })(
      np.array([2]),
      np.array([3]),
    );
    expectClose(v3, 6);
    expectClose(ga, 3);
    expectClose(gb, 2);
  });

  it("pytree parameters, nested", () => {
    type P = { layer: { w: Array; b: Array }; scale: Array[] };
    const p: P = {
      layer: {
        w: np.array([
          [1, 2],
          [3, 4],
        ]),
        b: np.array([0.5, -0.5]),
      },
      scale: [np.array(2)],
    };
    const x = np.array([1, -1]);
    const loss = (q: P, inp: Array) => np.matmul(q.layer.w, inp).add(q.layer.b).mul(q.scale[0]!).sum();
    const g = grad(loss)(p, x);
    // y = s*(W x + b); dW = s * 1 x^T, db = s, ds = sum(W x + b) = (-1 + 0.5) + (-1 - 0.5) = -2
    expectClose(g.layer.w, [2, -2, 2, -2]);
    expectClose(g.layer.b, [2, 2]);
    expectClose(g.scale[0]!, -2);
    expect(Object.keys(g).sort()).toEqual(["layer", "scale"]);
    const gx = grad(loss, { argnums: 1 })(p, x);
    expectClose(gx, [8, 12]);
  });

  it("a JS number argument gets an Array gradient", () => {
    const g = grad((x: Array) => np.multiply(x, x))(3 as unknown as Array);
    expectClose(g, 6);
  });

  it("gradient of a function not depending on its input is zero", () => {
    expectClose(grad((_x: Array) => np.array(3))(np.array([1, 2])), [0, 0]);
  });

  it("keeps the input dtype", () => {
    expect(grad((x: Array) => x.sum())(f64([1])).dtype).toBe("float64");
    expect(grad((x: Array) => x.sum())(np.array([1])).dtype).toBe("float32");
  });

  it("gradients through max, where and relu pick the active branch", () => {
    expectClose(grad((x: Array) => x.max())(np.array([1, 5, 2])), [0, 1, 0]);
    expectClose(grad((x: Array) => nn.relu(x).sum())(np.array([-1, 2])), [0, 1]);
    expectClose(grad((x: Array) => np.where(x.greater(0), x.square(), x.mul(-3)).sum())(np.array([-1, 2])), [-3, 4]);
    expectClose(grad((x: Array) => np.maximum(x, np.array([0, 0])).sum())(np.array([-1, 2])), [0, 1]);
  });
});

describe("higher-order derivatives", () => {
  it("grad(grad(grad(f)))", () => {
    const d3 = grad(grad(grad((x: Array) => x.sin())));
    expectClose(d3(f64(0.5)), -Math.cos(0.5), 1e-12);
    const d3p = grad(grad(grad((x: Array) => x.pow(4))));
    expectClose(d3p(np.array(2)), 48);
    const d3e = grad(grad(grad((x: Array) => x.mul(2).exp())));
    expectClose(d3e(f64(0.3)), 8 * Math.exp(0.6), 1e-12);
  });

  const pts = [-2, -0.5, 0.25, 1.5];
  const secondDerivative = (f: (x: Array) => Array) => (x: Array) =>
    grad((y: Array) => grad((z: Array) => f(z).sum())(y).sum())(x);

  it("tanh'' = -2 tanh (1 - tanh^2)", () => {
    const t = pts.map(Math.tanh);
    expectClose(
      secondDerivative((x) => x.tanh())(f64(pts)),
      t.map((v) => -2 * v * (1 - v * v)),
      1e-12,
    );
  });
  it("sigmoid'' = s(1-s)(1-2s)", () => {
    const s = pts.map(sig);
    expectClose(
      secondDerivative(nn.sigmoid)(f64(pts)),
      s.map((v) => v * (1 - v) * (1 - 2 * v)),
      1e-12,
    );
    expectClose(
      grad((x: Array) => nn.sigmoid(x).sum())(f64(pts)),
      s.map((v) => v * (1 - v)),
      1e-12,
    );
  });
  it("exp'' = exp", () => {
    expectClose(secondDerivative((x) => x.exp())(f64(pts)), pts.map(Math.exp), 1e-12);
  });
  it("softplus' = sigmoid, softplus'' = s(1-s) away from 0", () => {
    expectClose(grad((x: Array) => nn.softplus(x).sum())(f64(pts)), pts.map(sig), 1e-12);
    expectClose(
      secondDerivative(nn.softplus)(f64(pts)),
      pts.map((v) => sig(v) * (1 - sig(v))),
      1e-12,
    );
    expectClose(grad((x: Array) => nn.softplus(x).sum())(f64([0])), 0.5, 1e-12);
  });
  it("softplus''(0) = 0.25 (smooth function, exact second derivative)", () => {
    expectClose(secondDerivative(nn.softplus)(f64([0])), 0.25, 1e-12);
  });
  it("logsumexp: gradient is softmax, Hessian is diag(p) - p p^T", () => {
    const xs = [0.5, -1, 2];
    const m = Math.max(...xs);
    const e = xs.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    expectClose(grad((x: Array) => np.logsumexp(x))(f64(xs)), p, 1e-12);
    const H = hessian((x: Array) => np.logsumexp(x))(f64(xs)) as Array;
    expect(H.shape).toEqual([3, 3]);
    expectClose(
      H,
      p.flatMap((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj)),
      1e-12,
    );
  });

  it("HVP: jvp(grad(f), [x], [v]) equals hessian(f)(x) @ v", () => {
    const f = (x: Array) => x.sin().mul(x.square()).sum().add(np.prod(x).tanh());
    const x = f64([0.3, -0.7, 1.2]);
    const v = f64([1, -2, 0.5]);
    const [, hvp] = jvp(grad(f), [x], [v]);
    const H = hessian(f)(x) as Array;
    expectClose(hvp, flat(np.matmul(H, v)), 1e-10);
    // and the Hessian is symmetric
    const h = flat(H);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(Math.abs(h[i * 3 + j]! - h[j * 3 + i]!)).toBeLessThan(1e-12);
  });
});
