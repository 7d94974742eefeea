/**
 * The course-notes additions: Quickprop (Fahlman 1988) iterates by hand; the step-size helpers
 * from the top Hessian eigenvalue (η_opt = 1/λ, divergence beyond 2/λ) checked by running gradient
 * descent; full BFGS (the secant equation H₊y = s, symmetry, convergence on Rosenbrock and an
 * ill-conditioned quadratic, `minimize` with method "bfgs", and the asynchronous forms giving the
 * same numbers).
 */
import { describe, expect, it } from "vitest";
import { arr, closeNumber, flat, grad, np, optim, type Arr } from "./_util.js";
import { illConditioned, maxErr, rosen, vals } from "./_problems.js";

const O = optim;

describe("Quickprop (Δw = g/(g₋ − g)·Δw₋, capped at μ·Δw₋, plus −ε·g while still downhill)", () => {
  it("on (w − 3)² from 0 with ε = 0.1: 0.6, 2.13, 3.174, then exactly 3", () => {
    // Step 1: Δw₋ = 0, so Δ = −ε·g = −0.1·(−6) = 0.6 → w = 0.6 (g = −4.8).
    // Step 2: parabola step g/(g₋−g)·Δ₋ = −4.8/(−1.2)·0.6 = 2.4 exceeds μ·Δ₋ = 1.05
    //         ((g − μ/(1+μ)·g₋)·Δ₋ = (−4.8 + 3.818)·0.6 < 0), so Δ = 1.05, plus −ε·g = 0.48
    //         (g·Δ₋ < 0: still downhill) → Δ = 1.53, w = 2.13 (g = −1.74).
    // Step 3: the secant through (0.6, −4.8), (2.13, −1.74) is exact for a parabola, so the
    //         parabola step reaches 3; plus −ε·g = 0.174 → w = 3.174 (g = 0.348).
    // Step 4: the slope has crossed zero (g·Δ₋ > 0): the parabola step alone → w = 3.
    const f = (w: Arr) => w.sub(3).square().sum();
    const opt = O.quickprop(0.1);
    let w = arr([0]);
    let state = opt.init(w);
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [u, next] = opt.update(grad(f)(w), state, w);
      w = O.applyUpdates(w, u);
      state = next;
      got.push(flat(w)[0]!);
    }
    [0.6, 2.13, 3.174, 3].forEach((want, i) => closeNumber(got[i]!, want, 1e-12));
  });

  it("keeps the previous gradient and step in its state, elementwise and in the params' dtype", () => {
    const opt = O.quickprop(0.5, { maxGrowth: 2 });
    const p = arr([1, -1], "float32");
    const [u, s] = opt.update(arr([2, -4], "float32"), opt.init(p), p);
    expect(flat(u as Arr)).toEqual([-1, 2]);
    expect(flat(s.prevGrad as Arr)).toEqual([2, -4]);
    expect(flat(s.prevStep as Arr)).toEqual([-1, 2]);
    expect((s.prevStep as Arr).dtype).toBe("float32");
    // Same gradient again: the secant is flat and the slope points along −Δ₋ (g·Δ₋ < 0), so the
    // cap applies: Δ = μ·Δ₋ − ε·g = 2·(−1) − 1 = −3 and 2·2 + 2 = 6.
    const [u2] = opt.update(arr([2, -4], "float32"), s, p);
    expect(flat(u2 as Arr)).toEqual([-3, 6]);
  });

  it("rejects a non-positive learning rate or growth factor", () => {
    expect(() => O.quickprop(0)).toThrow(/quickprop: learningRate must be a finite number > 0, got 0/);
    expect(() => O.quickprop(0.1, { maxGrowth: -1 })).toThrow(/quickprop: maxGrowth/);
  });
});

describe("step sizes from the top Hessian eigenvalue λ", () => {
  it("stableStepBound(λ) = 2/λ and optimalStep(λ) = 1/λ", () => {
    expect(O.stableStepBound(100)).toBe(0.02);
    expect(O.optimalStep(100)).toBe(0.01);
    expect(O.stableStepBound(0.5)).toBe(4);
    expect(O.optimalStep(4)).toBe(0.25);
  });

  // ½·wᵀ diag(1, 100) w: λ_max = 100.
  const f = (w: Arr) =>
    w
      .square()
      .mul(arr([0.5, 50]))
      .sum();
  const descend = (lr: number, steps: number) => {
    const opt = O.sgd(lr);
    let w = arr([1, 1]);
    let s = opt.init(w);
    for (let i = 0; i < steps; i++) {
      const [u, n] = opt.update(grad(f)(w), s, w);
      [w, s] = [O.applyUpdates(w, u), n];
    }
    return flat(w);
  };

  it("gradient descent converges just below 2/λ, diverges just above, and 1/λ zeroes the stiff direction in one step", () => {
    const bound = O.stableStepBound(100);
    expect(Math.abs(descend(0.98 * bound, 300)[1]!)).toBeLessThan(1e-2); // |1 − 0.98·2| = 0.96 per step
    expect(Math.abs(descend(1.02 * bound, 300)[1]!)).toBeGreaterThan(1e2); // |1 − 1.02·2| = 1.04 per step
    expect(descend(O.optimalStep(100), 1)[1]).toBe(0);
  });

  it("λ ≤ 0, NaN, ±Infinity or a non-number is an error naming the op", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => O.stableStepBound(bad)).toThrow(
        /^stableStepBound: the top Hessian eigenvalue must be a finite number > 0/,
      );
      expect(() => O.optimalStep(bad)).toThrow(/^optimalStep: the top Hessian eigenvalue must be a finite number > 0/);
    }
    expect(() => O.optimalStep("2" as unknown as number)).toThrow(/optimalStep: .* got 2/);
  });
});

describe("BFGS", () => {
  it("each update satisfies the secant equation H₊y = s and keeps H symmetric", () => {
    const q = illConditioned(4, 50, "float64");
    const opt = O.bfgs(q.f);
    let x = q.x0;
    let state = opt.init(x);
    for (let i = 0; i < 3; i++) {
      const g = grad(q.f)(x);
      const [u, next] = opt.update(g, state, x);
      const x1 = x.add(u);
      const y = grad(q.f)(x1).sub(g);
      const h = next.h as Arr;
      expect(h.shape).toEqual([4, 4]);
      expect(maxErr(np.matmul(h, y), vals(u))).toBeLessThan(1e-10);
      expect(maxErr(h, vals(h.T))).toBeLessThan(1e-12);
      [x, state] = [x1, next];
    }
  });

  it("the first update starts from H₀ = (sᵀy/yᵀy)·I: on a multiple of the identity, H₁ = A⁻¹ exactly", () => {
    // f = ½·4·‖x − c‖²: y = 4s, so H₀ = I/4 = A⁻¹ and the rank-two correction vanishes.
    const f = (x: Arr) =>
      x
        .sub(arr([1, -2, 3]))
        .square()
        .sum()
        .mul(2);
    const opt = O.bfgs(f);
    const x = arr([0, 0, 0]);
    const [, s] = opt.update(grad(f)(x), opt.init(x), x);
    expect(maxErr(s.h as Arr, [0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25])).toBeLessThan(1e-14);
  });

  it("as a transformation, reaches Rosenbrock's minimum from (−1.2, 1)", () => {
    const opt = O.bfgs(rosen);
    let x = arr([-1.2, 1]);
    let state = opt.init(x);
    for (let i = 0; i < 60; i++) {
      const [u, next] = opt.update(grad(rosen)(x), state, x);
      [x, state] = [x.add(u), next];
    }
    expect(maxErr(x, [1, 1])).toBeLessThan(1e-8);
  });

  it('minimize(f, x0, { method: "bfgs" }) on Rosenbrock and an 8-D quadratic with condition number 1e4', () => {
    const r = O.minimize(rosen, arr([-1.2, 1]), { method: "bfgs" });
    expect(r.converged).toBe(true);
    expect(maxErr(r.x, [1, 1])).toBeLessThan(1e-5);
    expect(r.iterations).toBeLessThan(60);
    const q = illConditioned(8, 1e4, "float64");
    const rq = O.minimize(q.f, q.x0, { method: "bfgs", tol: 1e-10 });
    expect(rq.converged).toBe(true);
    expect(maxErr(rq.x, q.xStar)).toBeLessThan(1e-6);
    const r32 = O.minimize(rosen, arr([-1.2, 1], "float32"), { method: "bfgs" });
    expect(r32.x.dtype).toBe("float32");
    expect(maxErr(r32.x, [1, 1])).toBeLessThan(1e-2);
  });

  it("minimizeAsync and updateAsync give exactly what the synchronous forms give", async () => {
    const r = O.minimize(rosen, arr([-1.2, 1]), { method: "bfgs" });
    const ra = await O.minimizeAsync(rosen, arr([-1.2, 1]), { method: "bfgs" });
    expect(ra.iterations).toBe(r.iterations);
    expect(vals(ra.x)).toEqual(vals(r.x));
    const opt = O.bfgs(rosen);
    let [x, xa] = [arr([-1.2, 1]), arr([-1.2, 1])];
    let [s, sa] = [opt.init(x), opt.init(xa)];
    for (let i = 0; i < 5; i++) {
      const [u, n] = opt.update(grad(rosen)(x), s, x);
      const [ua, na] = await opt.updateAsync(grad(rosen)(xa), sa, xa);
      expect(vals(ua)).toEqual(vals(u));
      [x, s, xa, sa] = [x.add(u), n, xa.add(ua), na];
    }
  });

  it("rejects a state of other params and an unknown minimize method, naming bfgs", () => {
    const opt = O.bfgs(rosen);
    const x = arr([-1.2, 1]);
    const [, s] = opt.update(grad(rosen)(x), opt.init(x), x);
    const f3 = (v: Arr) => v.square().sum();
    const x3 = arr([1, 2, 3]);
    expect(() => O.bfgs(f3).update(grad(f3)(x3), s, x3)).toThrow(/bfgs: the state's inverse Hessian is not 3×3/);
    expect(() => opt.update(grad(rosen)(x), {} as never, x)).toThrow(/bfgs: state must come from bfgs\(...\).init/);
    expect(() => O.minimize(rosen, x, { method: "bfgz" as never })).toThrow(/"lbfgs", "bfgs", "cg-fr"/);
    expect(() => O.bfgs(rosen, { memorySize: 3 } as never)).toThrow(/bfgs/);
  });
});
