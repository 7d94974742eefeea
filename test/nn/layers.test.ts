import { describe, it, expect } from "vitest";
import { np, nn, grad, jit, vmap, valueAndGrad, tree } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;
const key = random.key(0);

describe("dense", () => {
  it("init shapes, apply = x·kernel + bias on any leading axes", () => {
    const layer = nn.dense(3);
    const { params, state, outputShape } = layer.init(key, [8, 4]);
    expect(params.kernel.shape).toEqual([4, 3]);
    expect(params.bias!.shape).toEqual([3]);
    expect(state).toBeNull();
    expect(outputShape).toEqual([8, 3]);
    const x = np.arange(8).reshape(2, 4).astype("float32");
    const want = np.matmul(x, params.kernel).add(params.bias!);
    expectClose(layer.apply(params, x), flat(want), 1e-6);
    expect(layer.apply(params, np.ones([5, 2, 4])).shape).toEqual([5, 2, 3]);
    expect(layer.apply(params, np.ones([4])).shape).toEqual([3]);
    expect(() => layer.apply(params, np.ones([2, 5]))).toThrow(/4 features/);
  });

  it("options: useBias, kernelInit, biasInit", () => {
    const layer = nn.dense(2, { useBias: false, kernelInit: nn.initializers.ones });
    const { params } = layer.init(key, [3]);
    expect(params.bias).toBeUndefined();
    expectClose(layer.apply(params, np.array([1, 2, 3])), [6, 6]);
    const b = nn.dense(2, { biasInit: nn.initializers.constant(0.5) }).init(key, [3]).params.bias!;
    expectClose(b, [0.5, 0.5]);
    expect(() => nn.dense(0)).toThrow(/positive integer/);
  });

  it("under jit, vmap and grad", () => {
    const layer = nn.dense(3);
    const { params } = layer.init(key, [4]);
    const x = np.linspace(-1, 1, 20).reshape(5, 4);
    const y = layer.apply(params, x);
    expectClose(jit(layer.apply)(params, x), flat(y), 1e-6);
    expectClose(vmap((xi: Array) => layer.apply(params, xi))(x), flat(y), 1e-6);
    const g = grad((p: typeof params) => layer.apply(p, x).sum())(params);
    expectClose(g.bias!, [5, 5, 5]);
    expectClose(g.kernel, flat(np.broadcastTo(x.sum(0).reshape(4, 1), [4, 3])), 1e-6);
  });
});

describe("mlp", () => {
  it("layer sizes, activation between layers, optional final activation", () => {
    const net = nn.mlp([5, 7, 2]);
    const { params, outputShape } = net.init(key, [10, 3]);
    expect(params.map((p) => p.kernel.shape)).toEqual([
      [3, 5],
      [5, 7],
      [7, 2],
    ]);
    expect(outputShape).toEqual([10, 2]);
    const x = np.linspace(-2, 2, 30).reshape(10, 3);
    let h = x;
    params.forEach((p, i) => {
      h = np.matmul(h, p.kernel).add(p.bias!);
      if (i < 2) h = nn.relu(h);
    });
    expectClose(net.apply(params, x), flat(h), 1e-5);
    const sig = nn.mlp([5, 7, 2], { activation: nn.tanh, finalActivation: nn.sigmoid });
    const out = flat(sig.apply(sig.init(key, [3]).params, x));
    expect(out.every((v) => v > 0 && v < 1)).toBe(true);
  });

  it("trains on a tiny problem (XOR) with grad", () => {
    const net = nn.mlp([8, 1], { activation: nn.tanh });
    let { params } = net.init(random.key(1), [2]);
    const x = np.array([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = np.array([[0], [1], [1], [0]]);
    const loss = (p: typeof params) => nn.losses.binaryCrossEntropyWithLogits(net.apply(p, x), y);
    const step = jit((p: typeof params) => {
      const [l, g] = valueAndGrad(loss)(p);
      return [l, tree.map((w: Array, gw: Array) => w.sub(gw.mul(0.5)), p, g)] as const;
    });
    const first = loss(params).item() as number;
    let last = first;
    for (let i = 0; i < 500; i++) {
      const [l, p] = step(params);
      params = p as typeof params;
      last = l.item() as number;
    }
    expect(last).toBeLessThan(0.1);
    expect(last).toBeLessThan(first);
    const pred = flat(nn.sigmoid(net.apply(params, x)));
    expect(pred.map((v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });
});

describe("dropout", () => {
  const x = np.ones([200, 200]);

  it("is the identity in evaluation (default) and with rate 0", () => {
    const drop = nn.dropout(0.5);
    const { params } = drop.init(key, [100]);
    expect(params).toBeNull();
    expect(drop.apply(params, x)).toBe(x);
    expect(drop.apply(params, x, { train: false, key })).toBe(x);
    expect(nn.dropout(0).apply(null, x, { train: true, key })).toBe(x);
  });

  it("inverted: zeros with probability rate, survivors scaled by 1/(1-rate), expectation kept", () => {
    for (const rate of [0.2, 0.5, 0.8]) {
      const y = flat(nn.dropout(rate).apply(null, x, { train: true, key: random.key(7) }));
      const kept = y.filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 1 / (1 - rate)) < 1e-5)).toBe(true);
      const dropFrac = 1 - kept.length / y.length;
      expect(Math.abs(dropFrac - rate)).toBeLessThan(0.02);
      const mean = y.reduce((a, b) => a + b, 0) / y.length;
      expect(Math.abs(mean - 1)).toBeLessThan(0.05);
    }
    expectClose(nn.dropout(1).apply(null, np.ones([3]), { train: true, key }), [0, 0, 0]);
  });

  it("different keys give different masks; same key the same", () => {
    const d = nn.dropout(0.5);
    const a = flat(d.apply(null, x, { train: true, key: random.key(1) }));
    const b = flat(d.apply(null, x, { train: true, key: random.key(1) }));
    const c = flat(d.apply(null, x, { train: true, key: random.key(2) }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("vmaps over per-example keys", () => {
    const d = nn.dropout(0.5);
    const keys = random.split(random.key(5), 8);
    const xs = np.ones([8, 64]);
    const ys = vmap((k: Array, xi: Array) => d.apply(null, xi, { train: true, key: k }))(keys, xs);
    expect(ys.shape).toEqual([8, 64]);
    const rows = (ys.tolist() as number[][]).map((r) => r.join(","));
    expect(new Set(rows).size).toBe(8);
    expectClose(ys.get(3), flat(d.apply(null, np.ones([64]), { train: true, key: keys.get(3) })), 1e-6);
  });

  it("training without a key is a clear error; bad rates are rejected", () => {
    expect(() => nn.dropout(0.5).apply(null, x, { train: true })).toThrow(/needs a PRNG key/);
    expect(() => nn.dropout(1.5)).toThrow(/rate must be in \[0, 1\]/);
  });

  it("gradient is the mask scaled by 1/(1-rate); works under jit", () => {
    const d = nn.dropout(0.25);
    const k = random.key(3);
    const small = np.linspace(1, 2, 12).reshape(3, 4);
    const y = d.apply(null, small, { train: true, key: k });
    const g = grad((v: Array) => d.apply(null, v, { train: true, key: k }).sum())(small);
    expectClose(g, flat(y.div(small)), 1e-6);
    const jy = jit((v: Array, kk: typeof k) => d.apply(null, v, { train: true, key: kk }))(small, k);
    expectClose(jy, flat(y), 1e-6);
  });
});

describe("batchNorm", () => {
  const x = np.array([
    [1, 10],
    [2, 20],
    [3, 30],
    [6, 40],
  ]); // feature means 3, 25; variances 3.5, 125
  const mu = [3, 25];
  const vr = [3.5, 125];

  it("init: scale ones, bias zeros, running mean zeros, running var ones", () => {
    const bn = nn.batchNorm();
    const { params, state, outputShape } = bn.init(key, [4, 2]);
    expectClose(params.scale!, [1, 1]);
    expectClose(params.bias!, [0, 0]);
    expectClose(state.mean, [0, 0]);
    expectClose(state.var, [1, 1]);
    expect(outputShape).toEqual([4, 2]);
    expect(bn.stateful).toBe(true);
  });

  it("train: normalises with batch statistics and moves the running statistics", () => {
    const bn = nn.batchNorm({ momentum: 0.9, eps: 1e-5 });
    const { params, state } = bn.init(key, [2]);
    const [y, s1] = bn.apply(params, x, { train: true, state });
    const xs = flat(x);
    expectClose(
      y,
      xs.map((v, i) => (v - mu[i % 2]!) / Math.sqrt(vr[i % 2]! + 1e-5)),
      1e-5,
    );
    // per-feature mean 0 and variance ≈ 1
    expectClose(y.mean(0), [0, 0], 1e-5);
    expectClose(y.var(0), [3.5 / 3.50001, 125 / 125.00001], 1e-4);
    expectClose(
      s1.mean,
      mu.map((m) => 0.9 * 0 + 0.1 * m),
      1e-6,
    );
    expectClose(
      s1.var,
      vr.map((v) => 0.9 * 1 + 0.1 * v),
      1e-6,
    );
    const [, s2] = bn.apply(params, x, { train: true, state: s1 });
    expectClose(
      s2.mean,
      mu.map((m) => 0.9 * 0.1 * m + 0.1 * m),
      1e-5,
    );
    // the input state is untouched (pure)
    expectClose(state.mean, [0, 0]);
  });

  it("eval: uses the running statistics and returns just y", () => {
    const bn = nn.batchNorm({ eps: 0 });
    const { params } = bn.init(key, [2]);
    const state = { mean: np.array([1, 2]), var: np.array([4, 16]) };
    const y = bn.apply(params, x, { state });
    expect(y.shape).toEqual([4, 2]);
    expectClose(
      y,
      flat(x).map((v, i) => (v - [1, 2][i % 2]!) / [2, 4][i % 2]!),
      1e-6,
    );
    const y2 = bn.apply(params, x, { train: false, state });
    expectClose(y2, flat(y));
    // scale and bias apply
    const p2 = { scale: np.array([2, 3]), bias: np.array([1, -1]) };
    expectClose(
      bn.apply(p2, x, { state }),
      flat(y).map((v, i) => v * [2, 3][i % 2]! + [1, -1][i % 2]!),
      1e-6,
    );
  });

  it("running statistics converge to the data statistics; errors without state", () => {
    const bn = nn.batchNorm({ momentum: 0.5 });
    const init = bn.init(key, [2]);
    let state = init.state;
    for (let i = 0; i < 40; i++) state = bn.apply(init.params, x, { train: true, state })[1];
    expectClose(state.mean, mu, 1e-4);
    expectClose(state.var, vr, 1e-4);
    expect(() => bn.apply(init.params, x, { train: true })).toThrow(/running statistics/);
  });

  it("gradients flow to scale and bias (not to the running state) and it jits", () => {
    const bn = nn.batchNorm();
    const { params, state } = bn.init(key, [2]);
    const lossFn = (p: typeof params, s: typeof state) => {
      const [y, ns] = bn.apply(p, x, { train: true, state: s });
      return [y.mul(np.array([1, 2])).sum(), ns] as const;
    };
    const [g, ns] = grad(lossFn, { hasAux: true })(params, state);
    expectClose(g.bias!, [4, 8], 1e-5);
    expectClose(g.scale!, [0, 0], 1e-4); // Σ of normalised values is 0
    expectClose(
      ns.mean,
      mu.map((m) => 0.01 * m),
      1e-5,
    );
    const jitted = jit((p: typeof params, s: typeof state, v: Array) => bn.apply(p, v, { train: true, state: s }));
    const [jy, js] = jitted(params, state, x);
    const [ey, es] = bn.apply(params, x, { train: true, state });
    expectClose(jy, flat(ey), 1e-5);
    expectClose(js.var, flat(es.var), 1e-5);
    const jEval = jit((p: typeof params, s: typeof state, v: Array) => bn.apply(p, v, { state: s }));
    expectClose(jEval(params, state, x), flat(bn.apply(params, x, { state })), 1e-6);
  });

  it("normalises over all leading axes", () => {
    const bn = nn.batchNorm();
    const { params, state } = bn.init(key, [3]);
    const x3 = np.linspace(0, 10, 24).reshape(2, 4, 3).square();
    const [y] = bn.apply(params, x3, { train: true, state });
    expectClose(y.mean([0, 1]), [0, 0, 0], 1e-5);
  });
});

describe("layerNorm", () => {
  it("normalises each example over its last axis, same in train and eval", () => {
    const ln = nn.layerNorm({ eps: 0 });
    const { params, state } = ln.init(key, [4]);
    expect(state).toBeNull();
    const x = np.array([
      [1, 2, 3, 4],
      [10, 0, 10, 0],
    ]);
    const m = 2.5,
      s = Math.sqrt(1.25);
    expectClose(ln.apply(params, x), [(1 - m) / s, (2 - m) / s, (3 - m) / s, (4 - m) / s, 1, -1, 1, -1], 1e-5);
    expectClose(ln.apply(params, x, { train: true }), flat(ln.apply(params, x)));
    const p2 = { scale: np.array([1, 2, 3, 4]), bias: np.ones([4]) };
    expectClose(ln.apply(p2, x).get(1), [2, -1, 4, -3], 1e-5);
    expectClose(vmap((v: Array) => ln.apply(params, v))(x), flat(ln.apply(params, x)), 1e-6);
    expectClose(jit(ln.apply)(params, x), flat(ln.apply(params, x)), 1e-6);
  });
});

describe("sequential", () => {
  it("chains layers and functions; params are a list, state null when stateless", () => {
    const model = nn.sequential(nn.dense(16), nn.relu, nn.dropout(0.5), nn.dense(3));
    expect(model.stateful).toBe(false);
    const { params, state, outputShape } = model.init(key, [5, 8]);
    expect(state).toBeNull();
    expect(outputShape).toEqual([5, 3]);
    expect(params[0].kernel.shape).toEqual([8, 16]);
    expect(params[1]).toBeNull();
    expect(params[2]).toBeNull();
    expect(params[3].kernel.shape).toEqual([16, 3]);
    const x = np.linspace(-1, 1, 40).reshape(5, 8);
    const want = np
      .matmul(nn.relu(np.matmul(x, params[0].kernel).add(params[0].bias!)), params[3].kernel)
      .add(params[3].bias!);
    expectClose(model.apply(params, x), flat(want), 1e-5);
    const train = model.apply(params, x, { train: true, key: random.key(3) });
    expect(train.shape).toEqual([5, 3]);
    expect(() => model.apply(params, x, { train: true })).toThrow(/needs a PRNG key/);
    const g = grad((p: typeof params) => model.apply(p, x).sum())(params);
    expect(g[0].kernel.shape).toEqual([8, 16]);
    expectClose(jit((p: typeof params, v: Array) => model.apply(p, v))(params, x), flat(want), 1e-5);
    expectClose(vmap((v: Array) => model.apply(params, v))(x), flat(want), 1e-5);
  });

  it("with batchNorm: stateful, [y, newState] in training, y in evaluation", () => {
    const model = nn.sequential(nn.dense(4), nn.batchNorm({ momentum: 0.9 }), nn.relu, nn.dense(2));
    expect(model.stateful).toBe(true);
    const { params, state } = model.init(key, [3]);
    expect(state[0]).toBeNull();
    expect(state[1].mean.shape).toEqual([4]);
    const x = np.linspace(-1, 2, 18).reshape(6, 3);
    const [y, newState] = model.apply(params, x, { train: true, state });
    expect(y.shape).toEqual([6, 2]);
    const h = np.matmul(x, params[0].kernel).add(params[0].bias!);
    expectClose(newState[1].mean, flat(h.mean(0).mul(0.1)), 1e-5);
    const yEval = model.apply(params, x, { state: newState });
    expect(yEval.shape).toEqual([6, 2]);
    expect(() => model.apply(params, x, { train: true })).toThrow(/stateful/);
    // one training step under jit with grad + hasAux
    const step = jit((p: typeof params, s: typeof state) =>
      grad(
        (pp: typeof params) => {
          const [out, ns] = model.apply(pp, x, { train: true, state: s });
          return [out.square().mean(), ns] as const;
        },
        { hasAux: true },
      )(p),
    );
    const [g, s2] = step(params, state);
    expect(g[0].kernel.shape).toEqual([3, 4]);
    expectClose(s2[1].var, flat(newState[1].var), 1e-5);
  });

  it("nests (a sequential is a layer) and splits the key between dropouts", () => {
    const inner = nn.sequential(nn.dense(6), nn.tanh);
    const model = nn.sequential(inner, nn.dropout(0.5), nn.dropout(0.5));
    const { params } = model.init(key, [4]);
    const x = np.ones([200, 4]);
    const y = flat(model.apply(params, x, { train: true, key: random.key(9) }));
    const h = flat(inner.apply(params[0], x));
    // each survivor is scaled by 4 (two independent dropouts)
    const ratios = y.map((v, i) => v / h[i]!).filter((r) => r !== 0);
    expect(ratios.every((r) => Math.abs(r - 4) < 1e-4)).toBe(true);
    const keptFrac = ratios.length / y.length;
    expect(Math.abs(keptFrac - 0.25)).toBeLessThan(0.06);
  });
});
