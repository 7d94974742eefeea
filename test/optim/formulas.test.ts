/**
 * Step-by-step checks against the published update rules (gradient descent; momentum and Nesterov
 * momentum in the velocity form of Sutskever et al. 2013; AdaGrad, Duchi et al. 2011; RMSProp,
 * Hinton 2012; Adam, Kingma & Ba 2015), on sequences computed by hand (and, where the recurrence is
 * longer, by the recurrence written out in plain JS numbers).
 */
import { describe, expect, it } from "vitest";
import { arr, expectClose, flat, grad, optim, type Arr } from "./_util.js";

const O = optim;
type GT = optim.GradientTransformation;

/** Runs gradient descent with `opt` on f from x0 and returns the iterates x₁..x_n. */
function iterates(opt: GT, f: (x: Arr) => Arr, x0: Arr, n: number): number[][] {
  let x = x0;
  let state = opt.init(x);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const [u, next] = opt.update(grad(f)(x), state, x);
    x = O.applyUpdates(x, u);
    state = next;
    out.push(flat(x));
  }
  return out;
}

/** Feeds a fixed sequence of gradients and returns the updates. */
function updatesFor(opt: GT, params: Arr, grads: readonly number[][]): number[][] {
  let state = opt.init(params);
  return grads.map((g) => {
    const [u, next] = opt.update(arr(g), state, params);
    state = next;
    return flat(u as Arr);
  });
}

const sq = (x: Arr) => x.square().sum();
const closeAll = (got: number[][], want: number[][], tol = 1e-12) =>
  got.forEach((row, i) =>
    row.forEach((v, j) =>
      expect(Math.abs(v - want[i]![j]!), `step ${i + 1}[${j}]: ${v} vs ${want[i]![j]}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(want[i]![j]!)),
      ),
    ),
  );

describe("gradient descent (W ← W − α∇L)", () => {
  it("x² from x = 10 with α = 0.2 gives 6, 3.6, 2.16", () => {
    closeAll(iterates(O.sgd(0.2), sq, arr([10]), 3), [[6], [3.6], [2.16]]);
  });

  it("x² from x = 10 with α = 0.05 gives 9, 8.1, 7.29 (a small step: slow)", () => {
    closeAll(iterates(O.sgd(0.05), sq, arr([10]), 3), [[9], [8.1], [7.29]]);
  });

  it("float32 params stay float32 and match to float32 precision", () => {
    const x = arr([10], "float32");
    const opt = O.sgd(0.2);
    const [u] = opt.update(grad(sq)(x), opt.init(x), x);
    const x1 = O.applyUpdates(x, u);
    expect(x1.dtype).toBe("float32");
    expectClose(x1, [6], 1e-7);
  });
});

describe("momentum (Sutskever et al. 2013, eqs. 1–2: v ← γv − α∇L(w); w ← w + v)", () => {
  it("first steps by hand: x² from 10, α = 0.1, γ = 0.9 → 8, 4.6, 0.62", () => {
    // v₁ = −0.1·20 = −2 → 8;  v₂ = 0.9·(−2) − 0.1·16 = −3.4 → 4.6;  v₃ = 0.9·(−3.4) − 0.1·9.2 = −3.98 → 0.62
    closeAll(iterates(O.sgd(0.1, { momentum: 0.9 }), sq, arr([10]), 3), [[8], [4.6], [0.62]]);
  });

  it("equals the velocity form for 25 steps on a 2-D quadratic", () => {
    const [alpha, gamma] = [0.05, 0.8];
    const f = (w: Arr) =>
      w
        .square()
        .mul(arr([1, 10]))
        .sum(); // ∇ = (2w₀, 20w₁)
    let w = [3, -2];
    let v = [0, 0];
    const want: number[][] = [];
    for (let i = 0; i < 25; i++) {
      const g = [2 * w[0]!, 20 * w[1]!];
      v = v.map((vi, j) => gamma * vi - alpha * g[j]!);
      w = w.map((wi, j) => wi + v[j]!);
      want.push(w);
    }
    closeAll(iterates(O.sgd(alpha, { momentum: gamma }), f, arr([3, -2]), 25), want, 1e-10);
  });
});

describe("Nesterov momentum (Sutskever et al. 2013, eqs. 3–4: v ← γv − α∇L(w + γv); w ← w + v)", () => {
  it("first steps by hand: the iterates are the look-ahead points w + γv", () => {
    // Velocity form: v₁ = −0.1·∇L(10) = −2, w₁ = 8, look-ahead w₁ + 0.9·v₁ = 6.2.
    //        v₂ = 0.9·(−2) − 0.1·∇L(6.2) = −3.04, w₂ = 4.96, look-ahead 4.96 − 2.736 = 2.224.
    closeAll(iterates(O.sgd(0.1, { momentum: 0.9, nesterov: true }), sq, arr([10]), 2), [[6.2], [2.224]]);
  });

  it("equals the look-ahead recurrence for 25 steps on a 2-D quadratic", () => {
    const [alpha, gamma] = [0.05, 0.8];
    const f = (w: Arr) =>
      w
        .square()
        .mul(arr([1, 10]))
        .sum();
    const gradAt = (w: number[]) => [2 * w[0]!, 20 * w[1]!];
    let w = [3, -2];
    let v = [0, 0];
    const want: number[][] = [];
    for (let i = 0; i < 25; i++) {
      const g = gradAt(w.map((wi, j) => wi + gamma * v[j]!));
      v = v.map((vi, j) => gamma * vi - alpha * g[j]!);
      w = w.map((wi, j) => wi + v[j]!);
      want.push(w.map((wi, j) => wi + gamma * v[j]!)); // the look-ahead point
    }
    closeAll(iterates(O.sgd(alpha, { momentum: gamma, nesterov: true }), f, arr([3, -2]), 25), want, 1e-10);
  });
});

describe("AdaGrad (Duchi et al. 2011: G ← G + g²; Optax's w ← w − α·g/√(G + ε), G₀ = 0.1)", () => {
  it("two steps by hand, the course notes' form (G₀ = 0, ε outside the root)", () => {
    // Coordinate 0: g = 1, 3   → G = 1, 10   → u = −0.1·1/1, −0.1·3/√10
    // Coordinate 1: g = −2, .5 → G = 4, 4.25 → u = +0.1·2/2, −0.1·0.5/√4.25
    const got = updatesFor(O.adagrad(0.1, { eps: 0, initialAccumulatorValue: 0, epsInSqrt: false }), arr([0, 0]), [
      [1, -2],
      [3, 0.5],
    ]);
    closeAll(got, [
      [-0.1, 0.1],
      [-0.3 / Math.sqrt(10), -0.05 / Math.sqrt(4.25)],
    ]);
    expect(got[1]![0]).toBeCloseTo(-0.0948683, 7);
    expect(got[1]![1]).toBeCloseTo(-0.0242536, 7);
  });

  it("Optax's defaults: G₀ = 0.1, ε = 1e-7 inside the root", () => {
    // Coordinate 0: G = 0.1 + 1 = 1.1, then 1.1 + 9 = 10.1; coordinate 1: G = 4.1, then 4.35.
    const eps = 1e-7;
    const got = updatesFor(O.adagrad(0.1), arr([0, 0]), [
      [1, -2],
      [3, 0.5],
    ]);
    closeAll(got, [
      [-0.1 / Math.sqrt(1.1 + eps), 0.2 / Math.sqrt(4.1 + eps)],
      [-0.3 / Math.sqrt(10.1 + eps), -0.05 / Math.sqrt(4.35 + eps)],
    ]);
  });

  it("ε enters as √G + ε with epsInSqrt: false, as √(G + ε) by default; a zero sum gives a zero step", () => {
    closeAll(updatesFor(O.adagrad(1, { eps: 0.5, initialAccumulatorValue: 0, epsInSqrt: false }), arr([0]), [[2]]), [
      [-2 / (2 + 0.5)],
    ]);
    closeAll(updatesFor(O.adagrad(1, { eps: 0.5, initialAccumulatorValue: 0 }), arr([0]), [[2]]), [
      [-2 / Math.sqrt(4 + 0.5)],
    ]);
    closeAll(updatesFor(O.adagrad(1, { initialAccumulatorValue: 0 }), arr([0]), [[0]]), [[-0]]);
  });
});

describe("RMSProp (Hinton 2012: S ← λS + (1−λ)g²; w ← w − α·g/√(S + ε), ε inside the root as Optax)", () => {
  it("two steps by hand with λ = 0.9", () => {
    // Coordinate 0: S₁ = 0.1·1 = 0.1, S₂ = 0.09 + 0.1·9 = 0.99
    // Coordinate 1: S₁ = 0.1·4 = 0.4, S₂ = 0.36 + 0.1·0.25 = 0.385
    const got = updatesFor(O.rmsprop(0.1, { decay: 0.9, eps: 0 }), arr([0, 0]), [
      [1, -2],
      [3, 0.5],
    ]);
    closeAll(got, [
      [-0.1 / Math.sqrt(0.1), (0.1 * 2) / Math.sqrt(0.4)],
      [-0.3 / Math.sqrt(0.99), -0.05 / Math.sqrt(0.385)],
    ]);
    expect(got[0]![0]).toBeCloseTo(-0.3162278, 7);
    expect(got[1]![0]).toBeCloseTo(-0.3015113, 7);
    expect(got[1]![1]).toBeCloseTo(-0.0805823, 7);
  });

  it("ε: inside the root by default (Optax), outside with epsInSqrt: false (the course notes)", () => {
    closeAll(updatesFor(O.rmsprop(1, { decay: 0.9, eps: 0.5 }), arr([0]), [[2]]), [[-2 / Math.sqrt(0.4 + 0.5)]]);
    closeAll(updatesFor(O.rmsprop(1, { decay: 0.9, eps: 0.5, epsInSqrt: false }), arr([0]), [[2]]), [
      [-2 / (Math.sqrt(0.4) + 0.5)],
    ]);
  });

  it("centered: divides by √(S − m²) + ε", () => {
    // m₁ = 0.1·2 = 0.2, S₁ = 0.1·4 = 0.4 → √(0.4 − 0.04) = 0.6
    closeAll(updatesFor(O.rmsprop(1, { decay: 0.9, eps: 0, centered: true }), arr([0]), [[2]]), [[-2 / 0.6]]);
  });

  it("with momentum: v ← γv + g/√S, w ← w − αv", () => {
    const got = updatesFor(O.rmsprop(0.1, { decay: 0.9, eps: 0, momentum: 0.5 }), arr([0]), [[1], [3]]);
    const s1 = 1 / Math.sqrt(0.1);
    const s2 = 3 / Math.sqrt(0.99);
    closeAll(got, [[-0.1 * s1], [-0.1 * (s2 + 0.5 * s1)]]);
  });
});

describe("Adam (Kingma & Ba 2015: bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); w ← w − α·m̂/(√v̂ + ε))", () => {
  it("the first step is −α·sign(g) up to ε", () => {
    const g = [3, -0.5, 1e-3, -250];
    const lr = 0.01;
    const got = updatesFor(O.adam(lr), arr([0, 0, 0, 0]), [g])[0]!;
    got.forEach((u, i) => {
      expect(Math.abs(u - -lr * Math.sign(g[i]!))).toBeLessThanOrEqual((lr * 1e-8) / Math.abs(g[i]!) + 1e-15);
    });
  });

  it("three steps against the paper's recurrence", () => {
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const grads = [
      [1, -2],
      [3, 0.5],
      [-1, 4],
    ];
    let m = [0, 0];
    let v = [0, 0];
    const want = grads.map((g, k) => {
      const t = k + 1;
      m = m.map((mi, j) => b1 * mi + (1 - b1) * g[j]!);
      v = v.map((vi, j) => b2 * vi + (1 - b2) * g[j]! ** 2);
      return m.map((mi, j) => (-lr * (mi / (1 - b1 ** t))) / (Math.sqrt(v[j]! / (1 - b2 ** t)) + eps));
    });
    closeAll(updatesFor(O.adam(lr, { b1, b2, eps }), arr([0, 0]), grads), want, 1e-10);
  });

  it("AdamW adds the decoupled decay α·λ·w to Adam's step", () => {
    const w = arr([2, -4]);
    const got = updatesFor(O.adamw(0.1, { weightDecay: 0.01 }), w, [[3, 5]])[0]!;
    closeAll([got], [[-0.1 * (1 + 0.01 * 2), -0.1 * (1 + 0.01 * -4)]], 1e-7);
  });

  it("NAdam's first step: m̂ = β₁m/(1−β₁²) + (1−β₁)g/(1−β₁)", () => {
    const [b1, g] = [0.9, 2];
    const m = (1 - b1) * g;
    const mHat = (b1 * m) / (1 - b1 ** 2) + ((1 - b1) * g) / (1 - b1);
    closeAll(updatesFor(O.nadam(1, { eps: 0 }), arr([0]), [[g]]), [[-mHat / Math.abs(g)]]);
  });

  it("AdaMax: u = max(β₂u, |g|), step α/(1−β₁ᵗ)·m/(u + ε)", () => {
    const got = updatesFor(O.adamax(1, { b1: 0.9, b2: 0.5, eps: 0 }), arr([0]), [[2], [-0.5]]);
    // t=1: m = 0.2, u = 2 → −(0.2/0.1)/2 = −1;  t=2: m = 0.18 − 0.05 = 0.13, u = max(1, 0.5) = 1 → −(0.13/0.19)/1
    closeAll(got, [[-1], [-0.13 / 0.19]]);
  });

  it("AMSGrad keeps the largest v̂", () => {
    const got = updatesFor(O.amsgrad(1, { b1: 0, b2: 0.5, eps: 0 }), arr([0]), [[4], [1]]);
    // t=1: v̂ = 16, max 16 → −4/4;  t=2: v = 8 + 0.5 = 8.5, v̂ = 8.5/0.75 = 11.33 < 16 → −1/4
    closeAll(got, [[-1], [-0.25]]);
  });

  it("Lion: −α·sign(β₁m + (1−β₁)g), with m ← β₂m + (1−β₂)g", () => {
    const got = updatesFor(O.lion(0.1, { b1: 0.9, b2: 0.5, weightDecay: 0 }), arr([0]), [[2], [-1]]);
    // t=1: sign(0.2) → −0.1; m = 1;  t=2: sign(0.9·1 − 0.1) = + → −0.1
    closeAll(got, [[-0.1], [-0.1]]);
  });

  it("AdaDelta's first step: √ε/√((1−ρ)g² + ε)·g", () => {
    const [rho, eps, g] = [0.9, 1e-6, 2];
    closeAll(updatesFor(O.adadelta(1, { rho, eps }), arr([0]), [[g]]), [
      [-(Math.sqrt(eps) / Math.sqrt((1 - rho) * g * g + eps)) * g],
    ]);
  });
});

describe("Rprop step-size adaptation", () => {
  it("grows by η⁺ while the sign persists, shrinks by η⁻ on a flip (skipping that step)", () => {
    // Three coordinates, Δ₀ = 0.1:
    //   step 1: no previous gradient → Δ = 0.1, 0.1, 0.1; u = −sign(g)·Δ
    //   step 2: g·g_prev = 2, −1, 0 → Δ = 0.12, 0.05, 0.1; the flipped coordinate does not move
    //   step 3: g·g_prev = 2, 0 (skipped last time), 0 → Δ = 0.144, 0.05, 0.1
    const got = updatesFor(O.rprop(0.1), arr([0, 0, 0]), [
      [1, 1, 1],
      [2, -1, 0],
      [1, 1, 5],
    ]);
    closeAll(got, [
      [-0.1, -0.1, -0.1],
      [-0.12, 0, 0],
      [-0.144, -0.05, -0.1],
    ]);
  });

  it("clamps the step sizes to [minStepSize, maxStepSize]", () => {
    const opt = O.rprop(0.1, { etaPlus: 2, etaMinus: 0.25, minStepSize: 0.05, maxStepSize: 0.3 });
    const got = updatesFor(opt, arr([0, 0]), [
      [1, 1],
      [1, -1],
      [1, 1],
      [1, 1],
    ]);
    // coordinate 0: 0.1 → 0.2 → 0.3 (clamped from 0.4) → 0.3; coordinate 1: 0.1 → flip: 0.05 (clamped from 0.025), skip → 0.05 → 0.1
    closeAll(got, [
      [-0.1, -0.1],
      [-0.2, 0],
      [-0.3, -0.05],
      [-0.3, -0.1],
    ]);
  });

  it("the state holds the per-parameter step sizes", () => {
    const opt = O.rprop(0.1);
    const p = arr([0, 0]);
    let s = opt.init(p);
    [, s] = opt.update(arr([1, 1]), s, p);
    [, s] = opt.update(arr([1, -1]), s, p);
    const inner = s[0] as optim.RpropState;
    expectClose(inner.stepSizes as Arr, [0.12, 0.05], 1e-12);
    expectClose(inner.prevUpdates as Arr, [1, 0], 0);
  });
});

describe("building blocks", () => {
  it("scaleByLearningRate with a schedule uses the int32 step count", () => {
    const opt = O.scaleByLearningRate((t) => (t as Arr).add(1).astype("float64").reciprocal());
    const p = arr([0]);
    let s = opt.init(p) as optim.CountState;
    expect(s.count.dtype).toBe("int32");
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [u, n] = opt.update(arr([1]), s, p);
      out.push(flat(u as Arr)[0]!);
      s = n as optim.CountState;
    }
    closeAll([out], [[-1, -1 / 2, -1 / 3]]);
    expect(s.count.item()).toBe(3);
  });

  it("clip, clipByGlobalNorm, scale, scaleBySign, addDecayedWeights", () => {
    const g = { a: arr([3, -4]), b: arr([12]) }; // global norm 13
    const p = { a: arr([1, 1]), b: arr([2]) };
    const apply = (t: GT) => t.update(g, t.init(p), p)[0] as { a: Arr; b: Arr };
    expectClose(apply(O.clip(3.5)).a, [3, -3.5]);
    const clipped = apply(O.clipByGlobalNorm(6.5));
    expectClose(clipped.a, [1.5, -2]);
    expectClose(clipped.b, [6]);
    expectClose(apply(O.clipByGlobalNorm(100)).b, [12]);
    expectClose(apply(O.scale(-2)).b, [-24]);
    expectClose(apply(O.scaleBySign()).a, [1, -1]);
    expectClose(apply(O.addDecayedWeights(0.5)).b, [13]);
  });

  it("applyUpdates keeps each param's dtype", () => {
    const p = { a: arr([1], "float32"), b: arr([1], "float64") };
    const u = { a: arr([0.5], "float64"), b: arr([0.5], "float32") };
    const q = O.applyUpdates(p, u);
    expect(q.a.dtype).toBe("float32");
    expect(q.b.dtype).toBe("float64");
    expectClose(q.a, [1.5]);
  });
});
