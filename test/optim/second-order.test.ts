/**
 * Second-order and line-search optimizers: the dense Cholesky/LU solves, the strong Wolfe line
 * search (conditions checked at every accepted step), damped Newton as a traceable transformation
 * (one step on a quadratic; damping's exact effect; jit; the Hessian as an extra argument),
 * `minimize` with L-BFGS / CG (FR, PR+) / Newton / LM on a 2-D parabola, Rosenbrock from (−1.2, 1)
 * and an ill-conditioned quadratic in float32 and float64 (dtype and structure preserved),
 * Levenberg–Marquardt fitting y = a·exp(b·t) exactly, and the error paths.
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, jit, np, tree, valueAndGrad } from "../../src/index.js";
import {
  levenbergMarquardt,
  lbfgs,
  lineSearchWolfe,
  minimize,
  newton,
  newtonStep,
  nonlinearCG,
  type LbfgsState,
  type MinimizeMethod,
  type NewtonState,
} from "../../src/optim/second-order.js";
import { cholesky, choleskySolve, luFactor, luSolve, solve } from "../../src/optim/linear-solve.js";
import { constantSchedule } from "../../src/optim/schedules.js";

type Array = np.Array;
type FloatDType = "float32" | "float64";

const vals = (x: Array): number[] => Array.from(x.dataSync(), Number);
const maxErr = (x: Array, want: readonly number[]): number =>
  Math.max(...vals(x).map((v, i) => Math.abs(v - want[i]!)));

// ---------------------------------------------------------------------------------------------
// test problems

const rosen = (p: Array): Array => {
  const x = p.get(0);
  const y = p.get(1);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
};
/** Rosenbrock as least squares: ½‖r‖² with r = (10(y − x²), 1 − x) is rosen / 2... times 2. */
const rosenResiduals = (p: Array): Array => np.stack([p.get(1).sub(p.get(0).square()).mul(10), p.get(0).neg().add(1)]);

/** ½ (x − x*)ᵀ A (x − x*) with A = Q diag(λ) Qᵀ, λ log-spaced in [1, κ], Q a Householder reflection. */
function illConditioned(n: number, kappa: number, dtype: FloatDType) {
  const v = Array.from({ length: n }, (_, i) => Math.sin(i + 1) + 0.5);
  const vv = v.reduce((s, a) => s + a * a, 0);
  const Q = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  const lam = Array.from({ length: n }, (_, i) => kappa ** (i / (n - 1)));
  const A = Q.map((qi) => Q.map((qj) => qi.reduce((s, q, k) => s + q * lam[k]! * qj[k]!, 0)));
  const xStar = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (1 + i / 2));
  const Aa = np.array(A, { dtype });
  const xs = np.array(xStar, { dtype });
  const f = (x: Array): Array => {
    const e = x.sub(xs);
    return np.vdot(e, np.matmul(Aa, e)).mul(0.5);
  };
  return { f, A, xStar, x0: np.zeros([n], { dtype }) };
}

// ---------------------------------------------------------------------------------------------

describe("dense linear solves (traceable)", () => {
  const spd = [
    [4, 1, 2, 0.5],
    [1, 3, 0.5, 0],
    [2, 0.5, 5, 1],
    [0.5, 0, 1, 2],
  ];
  const b = [1, 2, 3, 4];
  const matvec = (M: number[][], x: number[]) => M.map((r) => r.reduce((s, a, j) => s + a * x[j]!, 0));

  it("Cholesky: L Lᵀ = A and the solve, in float64 and float32", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const A = np.array(spd, { dtype });
      const L = cholesky(A);
      expect(L.dtype).toBe(dtype);
      const tol = dtype === "float64" ? 1e-12 : 1e-5;
      expect(maxErr(np.matmul(L, L.T).reshape([16]), spd.flat())).toBeLessThan(tol);
      expect(
        maxErr(
          np.where(np.iota([4, 4], 1).greater(np.iota([4, 4], 0)), L, 0).reshape([16]),
          new globalThis.Array(16).fill(0),
        ),
      ).toBe(0);
      const x = choleskySolve(L, np.array(b, { dtype }));
      expect(x.dtype).toBe(dtype);
      expect(Math.max(...matvec(spd, vals(x)).map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(tol * 10);
    }
  });

  it("LU with partial pivoting handles a zero leading entry and matches A x = b", () => {
    const M = [
      [0, 2, 1, 3],
      [1, 1, 0, -1],
      [3, 0, 1, 2],
      [-2, 4, 1, 0],
    ];
    const A = np.array(M, { dtype: "float64" });
    const { lu, perm } = luFactor(A);
    expect(perm.dtype).toBe("int32");
    expect(new Set(vals(perm))).toEqual(new Set([0, 1, 2, 3]));
    // P A = L U.
    const rows = np.iota([4, 4], 0);
    const cols = np.iota([4, 4], 1);
    const L = np.where(rows.greater(cols), lu, 0).add(np.eye(4, 4, { dtype: "float64" }));
    const U = np.where(rows.lessEqual(cols), lu, 0);
    expect(maxErr(np.matmul(L, U).reshape([16]), vals(np.take(A, perm, 0).reshape([16])))).toBeLessThan(1e-12);
    const x = luSolve({ lu, perm }, np.array(b, { dtype: "float64" }));
    expect(Math.max(...matvec(M, vals(x)).map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-12);
  });

  it("solve: Cholesky for SPD, LU fallback for indefinite or non-symmetric matrices, also under jit", () => {
    const indefinite = [
      [1, 2],
      [2, 1],
    ]; // eigenvalues 3, −1
    const A = np.array(indefinite, { dtype: "float64" });
    expect(vals(cholesky(A)).some((v) => !Number.isFinite(v))).toBe(true);
    const x = solve(A, np.array([3, 3], { dtype: "float64" }));
    expect(maxErr(x, [1, 1])).toBeLessThan(1e-12);
    const js = jit((M: Array, r: Array) => solve(M, r));
    expect(maxErr(js(A, np.array([3, 3], { dtype: "float64" })), [1, 1])).toBeLessThan(1e-12);
    // Same signature, SPD this time: the other branch of the staged cond.
    expect(
      maxErr(
        js(
          np.array(
            [
              [2, 1],
              [1, 2],
            ],
            { dtype: "float64" },
          ),
          np.array([3, 3], { dtype: "float64" }),
        ),
        [1, 1],
      ),
    ).toBeLessThan(1e-12);
    expect(js.cacheSize).toBe(1);
    expect(maxErr(solve(A, np.array([3, 3], { dtype: "float64" }), { assume: "general" }), [1, 1])).toBeLessThan(1e-12);
    expect(() => solve(np.ones([2, 3]), np.ones([2]))).toThrow(/square/);
    expect(() => solve(np.eye(2), np.ones([3]))).toThrow(/right-hand side/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("strong Wolfe line search", () => {
  const c1 = 1e-4;
  const wolfeHolds = (phi: (a: number) => { value: number; slope: number }, a: number, c2: number) => {
    const p0 = phi(0);
    const p = phi(a);
    return p.value <= p0.value + c1 * a * p0.slope && Math.abs(p.slope) <= c2 * Math.abs(p0.slope);
  };

  it("accepts steps satisfying both conditions on smooth 1-D functions, from small and large first trials", () => {
    const fns: [string, (a: number) => { value: number; slope: number }][] = [
      ["parabola", (a) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2) })],
      [
        "steep then flat",
        (a) => ({ value: -Math.atan(a * 10) + 0.01 * a * a, slope: -10 / (1 + 100 * a * a) + 0.02 * a }),
      ],
      ["quartic", (a) => ({ value: (a - 0.3) ** 4 - 0.5 * a, slope: 4 * (a - 0.3) ** 3 - 0.5 })],
      ["wavy", (a) => ({ value: Math.sin(3 * a) * 0.2 - a + 0.3 * a * a, slope: 0.6 * Math.cos(3 * a) - 1 + 0.6 * a })],
    ];
    for (const [name, phi] of fns) {
      for (const c2 of [0.9, 0.1]) {
        for (const alpha0 of [1e-4, 1, 100]) {
          const start = phi(0);
          const r = lineSearchWolfe(phi, start, { c2, alpha0 });
          expect(r.success, `${name} c2=${c2} α0=${alpha0}`).toBe(true);
          expect(r.alpha).toBeGreaterThan(0);
          expect(wolfeHolds(phi, r.alpha, c2), `${name} c2=${c2} α0=${alpha0} α=${r.alpha}`).toBe(true);
          expect(r.evaluations).toBeLessThanOrEqual(30);
        }
      }
    }
  });

  it("finds the exact minimizer of a parabola from the cubic interpolation, and passes the payload through", () => {
    const r = lineSearchWolfe(
      (a) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), aux: `at ${a}` }),
      { value: 4, slope: -4 },
      { alpha0: 10, c2: 0.1 },
    );
    expect(r.alpha).toBeCloseTo(2, 10);
    expect(r.aux).toBe(`at ${r.alpha}`);
  });

  it("treats non-finite values as too far, and reports failure when there is no decrease", () => {
    const r = lineSearchWolfe(
      (a) => (a > 1.5 ? { value: NaN, slope: NaN } : { value: (a - 1) ** 2, slope: 2 * (a - 1) }),
      { value: 1, slope: -2 },
      { alpha0: 8 },
    );
    expect(r.success).toBe(true);
    expect(Number.isFinite(r.value)).toBe(true);
    // A slope that lies: φ'(0) < 0 but φ only increases.
    const bad = lineSearchWolfe((a) => ({ value: 1 + a, slope: -1 }), { value: 1, slope: -1 }, { maxIter: 10 });
    expect(bad.success).toBe(false);
    expect(bad.alpha).toBe(0);
    expect(bad.evaluations).toBeLessThanOrEqual(10);
  });

  it("rejects ascent directions and bad constants", () => {
    const phi = (a: number) => ({ value: a * a, slope: 2 * a });
    expect(() => lineSearchWolfe(phi, { value: 0, slope: 0 })).toThrow(/descent direction/);
    expect(() => lineSearchWolfe(phi, { value: 0, slope: -1 }, { c1: 0.5, c2: 0.4 })).toThrow(/0 < c1 < c2 < 1/);
    expect(() => lineSearchWolfe(phi, { value: 0, slope: -1 }, { alpha0: 0 })).toThrow(/alpha0/);
    expect(() => lineSearchWolfe(phi, { value: 0, slope: -1 }, { maxIter: 0 })).toThrow(/maxIter/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("newton: damped Newton as a traceable transformation", () => {
  // f(w, b) = (w0 − 1)² + 2(w1 + 2)² + 3(b − 0.5)² + w0·b: a quadratic with cross terms between leaves.
  type P = { w: Array; b: Array };
  const quad = (p: P): Array =>
    p.w
      .get(0)
      .sub(1)
      .square()
      .add(p.w.get(1).add(2).square().mul(2))
      .add(p.b.sub(0.5).square().mul(3))
      .add(p.w.get(0).mul(p.b));
  // Its minimizer: ∇f = 0 ⇔ H x = c with H = [[2,0,1],[0,4,0],[1,0,6]], c = (2, −8, 3).
  const xStar = [(2 * 6 - 3) / 11, -2, (2 * 3 - 2) / 11];
  const apply = (p: P, u: P): P => tree.map((a: Array, d: Array) => a.add(d), p, u) as P;
  const flatP = (p: P) => [...vals(p.w), ...vals(p.b)];

  it("one step with damping 0 lands on the minimum of a quadratic (pytree params, cross terms)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const opt = newton(quad, { damping: 0 });
      const p: P = { w: np.array([3, 3], { dtype }), b: np.array(-1, { dtype: "float32" }) };
      const state = opt.init(p);
      const [u, next] = opt.update(grad(quad)(p), state, p);
      const p1 = apply(p, u as P);
      expect(p1.w.dtype).toBe(dtype);
      expect(p1.b.dtype).toBe("float32");
      // b is float32 in both cases, so its rounding bounds the accuracy.
      expect(Math.max(...flatP(p1).map((v, i) => Math.abs(v - xStar[i]!)))).toBeLessThan(
        dtype === "float64" ? 1e-7 : 1e-5,
      );
      expect(Number((next as NewtonState).count.item())).toBe(1);
      expect(Object.isFrozen(next)).toBe(true);
    }
  });

  it("with damping α the error along each Hessian eigenvector shrinks by exactly α/(λ + α)", () => {
    // f = Σ λ_i (x_i − 1)² / 2 with λ = (1, 10, 100): H = diag(λ).
    const lam = [1, 10, 100];
    const f = (x: Array) =>
      x
        .sub(1)
        .square()
        .mul(np.array(lam, { dtype: "float64" }))
        .sum()
        .mul(0.5);
    const x0 = np.array([3, -2, 5], { dtype: "float64" });
    for (const alpha of [1e-3, 0.5]) {
      const opt = newton(f, { damping: alpha });
      const [u] = opt.update(grad(f)(x0), opt.init(x0), x0);
      const x1 = x0.add(u as Array);
      const want = vals(x0).map((v, i) => 1 + ((v - 1) * alpha) / (lam[i]! + alpha));
      expect(maxErr(x1, want)).toBeLessThan(1e-12);
    }
    // Small damping: to damping precision.
    const [u] = newton(f).update(grad(f)(x0), newton(f).init(x0), x0);
    expect(maxErr(x0.add(u as Array), [1, 1, 1])).toBeLessThan(1e-3 * 4);
  });

  it("update jits (Hessian, Cholesky and all), and an lr schedule scales the step", () => {
    const opt = newton(quad, { damping: 0, lr: constantSchedule(0.5) });
    const step = jit((p: P, s: NewtonState) => {
      const [u, next] = opt.update(grad(quad)(p), s, p);
      return [apply(p, u as P), next] as const;
    });
    let p: P = { w: np.array([3, 3], { dtype: "float64" }), b: np.array(-1, { dtype: "float64" }) };
    let s = opt.init(p);
    const e0 = flatP(p).map((v, i) => v - xStar[i]!);
    for (let k = 1; k <= 4; k++) {
      [p, s] = step(p, s);
      // Half steps on a quadratic: the error halves each time.
      flatP(p).forEach((v, i) => expect(Math.abs(v - xStar[i]! - e0[i]! / 2 ** k)).toBeLessThan(1e-12));
    }
    expect(step.cacheSize).toBe(1);
    expect(Number(s.count.item())).toBe(4);
  });

  it("newton(opts) takes the Hessian as an extra argument, dense or as hessian(f)'s tree", () => {
    const p: P = { w: np.array([0.3, 1], { dtype: "float64" }), b: np.array(2, { dtype: "float64" }) };
    const g = grad(quad)(p);
    const bound = newton(quad, { damping: 1e-2 });
    const free = newton({ damping: 1e-2 });
    const [want] = bound.update(g, bound.init(p), p);
    const [fromTree] = free.update(g, free.init(p), p, { hessian: hessian(quad)(p) });
    // Leaf order is by key: b, then w0, w1.
    const dense = np.array(
      [
        [6, 1, 0],
        [1, 2, 0],
        [0, 0, 4],
      ],
      { dtype: "float64" },
    );
    const [fromDense] = free.update(g, free.init(p), null, { hessian: dense });
    for (const got of [fromTree, fromDense])
      expect(Math.max(...flatP(got as P).map((v, i) => Math.abs(v - flatP(want as P)[i]!)))).toBeLessThan(1e-12);
    // newtonStep is the same update.
    const u = newtonStep(quad, p, { damping: 1e-2 });
    expect(Math.max(...flatP(u).map((v, i) => Math.abs(v - flatP(want as P)[i]!)))).toBeLessThan(1e-12);
  });

  it("iterated damped Newton (lr 1, α = 1e-3) solves Rosenbrock from (−1.2, 1)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const opt = newton(rosen);
      const step = jit((x: Array, s: NewtonState) => {
        const [u, next] = opt.update(grad(rosen)(x), s, x);
        return [x.add(u as Array), next] as const;
      });
      let x = np.array([-1.2, 1], { dtype });
      let s = opt.init(x);
      let iters = 0;
      while (maxErr(x, [1, 1]) > 1e-5 && iters < 50) {
        [x, s] = step(x, s);
        iters++;
      }
      expect(x.dtype).toBe(dtype);
      expect(maxErr(x, [1, 1]), dtype).toBeLessThan(1e-5);
      expect(iters).toBeLessThan(20);
    }
  });

  it("errors: negative damping, non-scalar objective, missing params or Hessian", () => {
    expect(() => newton(rosen, { damping: -1 })).toThrow(RangeError);
    expect(() => newton({ damping: -1e-3 })).toThrow(/damping must be a finite number >= 0/);
    expect(() => newton(rosen, { lr: 0 })).toThrow(/lr/);
    expect(() => newton(rosen, { solver: "qr" as "auto" })).toThrow(/solver/);
    expect(() => newtonStep(rosen, np.zeros([2]), { damping: -2 })).toThrow(RangeError);
    const vec = newton((x: Array) => x.square());
    const x = np.ones([3]);
    expect(() => vec.update(x, vec.init(x), x)).toThrow(/must return a scalar/);
    const opt = newton(rosen);
    expect(() => opt.update(x, opt.init(x))).toThrow(/needs params/);
    const free = newton();
    expect(() => free.update(x, free.init(x), x)).toThrow(/needs the Hessian/);
    expect(() => free.update(x, free.init(x), x, { hessian: np.ones([2, 2]) })).toThrow(/3×3/);
    expect(() => newtonStep(rosen, np.array([1, 2], { dtype: "int32" }))).toThrow(/float32 or float64/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("minimize", () => {
  const methods: MinimizeMethod[] = ["lbfgs", "newton", "cg-pr", "cg-fr"];

  it("every method solves a 2-D parabola (and LM its residual form), keeping dtype and structure", () => {
    for (const dtype of ["float64", "float32"] as const) {
      type P = { a: Array; b: Array };
      const para = (p: P) => p.a.sub(3).square().add(p.b.add(1).square().mul(4)).sum();
      const x0: P = { a: np.array([0], { dtype }), b: np.array(0, { dtype }) };
      for (const method of methods) {
        const r = minimize(para, x0, { method });
        expect(r.converged, `${dtype} ${method}: ${r.message}`).toBe(true);
        expect(r.x.a.dtype).toBe(dtype);
        expect(r.x.a.shape).toEqual([1]);
        expect(r.x.b.shape).toEqual([]);
        expect(Math.abs(vals(r.x.a)[0]! - 3) + Math.abs(Number(r.x.b.item()) + 1), `${dtype} ${method}`).toBeLessThan(
          dtype === "float64" ? 1e-8 : 1e-4,
        );
        expect(r.iterations).toBeLessThanOrEqual(method === "newton" ? 1 : 10);
        expect(Object.isFrozen(r)).toBe(true);
      }
      const lm = minimize((p: P) => np.stack([p.a.get(0).sub(3), p.b.add(1).mul(2)]), x0, { method: "lm" });
      expect(lm.converged).toBe(true);
      expect(Math.abs(vals(lm.x.a)[0]! - 3)).toBeLessThan(dtype === "float64" ? 1e-8 : 1e-4);
    }
  });

  it("Rosenbrock from (−1.2, 1) to (1, 1): within 1e-5 for newton, lbfgs and lm; CG within 1e-4", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const x0 = np.array([-1.2, 1], { dtype });
      for (const method of [...methods, "lm"] as MinimizeMethod[]) {
        const r = minimize(method === "lm" ? rosenResiduals : rosen, x0, { method });
        const tol = method.startsWith("cg") ? 1e-4 : 1e-5;
        expect(r.x.dtype).toBe(dtype);
        expect(maxErr(r.x, [1, 1]), `${dtype} ${method}: ${r.message}`).toBeLessThan(tol);
        expect(r.iterations, `${dtype} ${method}`).toBeLessThan(method.startsWith("cg") ? 200 : 60);
        // Monotone decrease along the history.
        for (let i = 1; i < r.history.length; i++)
          expect(r.history[i]!.value).toBeLessThanOrEqual(r.history[i - 1]!.value);
        if (dtype === "float64") expect(r.converged, `${method}: ${r.message}`).toBe(true);
      }
    }
  });

  it("an ill-conditioned quadratic (κ = 1e4 in float64, 1e3 in float32)", () => {
    // float32 cannot resolve the objective much below κ·eps relative error: those runs end with
    // "the line search found no decrease" at the precision floor, x still accurate.
    for (const [dtype, kappa, tol] of [
      ["float64", 1e4, 1e-8],
      ["float32", 1e3, 1e-3],
    ] as const) {
      const { f, xStar, x0 } = illConditioned(8, kappa, dtype);
      for (const method of methods) {
        const r = minimize(f, x0, { method, maxIter: 1000 });
        expect(r.x.dtype).toBe(dtype);
        expect(maxErr(r.x, xStar), `${dtype} ${method}: ${r.message} after ${r.iterations}`).toBeLessThan(tol);
        if (method === "newton") expect(r.iterations).toBeLessThanOrEqual(2);
        if (dtype === "float64") expect(r.converged, `${method}: ${r.message}`).toBe(true);
      }
    }
  });

  it("every accepted line-search step satisfies the strong Wolfe conditions", () => {
    for (const method of ["lbfgs", "cg-pr", "cg-fr", "newton"] as const) {
      const r = minimize(rosen, np.array([-1.2, 1], { dtype: "float64" }), { method });
      const steps = r.history.slice(1);
      expect(steps.length).toBeGreaterThan(5);
      expect(
        steps.every((h) => h.wolfe === true),
        method,
      ).toBe(true);
      expect(steps.every((h) => h.stepSize > 0)).toBe(true);
    }
  });

  it("tol, ftol, maxIter and the callback stop the solver", () => {
    const x0 = np.array([-1.2, 1], { dtype: "float64" });
    const capped = minimize(rosen, x0, { maxIter: 3 });
    expect(capped.iterations).toBe(3);
    expect(capped.converged).toBe(false);
    expect(capped.message).toMatch(/maxIter/);
    expect(capped.history.length).toBe(4);
    const loose = minimize(rosen, x0, { tol: 1, ftol: 0 });
    expect(loose.converged).toBe(true);
    expect(loose.gradNorm).toBeLessThanOrEqual(1);
    let calls = 0;
    const stopped = minimize(rosen, x0, { callback: () => ++calls === 2 });
    expect(stopped.iterations).toBe(2);
    expect(stopped.message).toMatch(/callback/);
    // Already at the minimum: no iterations.
    const at = minimize(rosen, np.array([1, 1], { dtype: "float64" }));
    expect(at.iterations).toBe(0);
    expect(at.converged).toBe(true);
  });

  it("Newton raises the shift when the Hessian is indefinite (a saddle start)", () => {
    // f = x⁴ − 2x² + y²: at (0.1, 1) the Hessian is diag(12·0.01 − 4, 2), indefinite.
    const f = (p: Array) => p.get(0).pow(4).sub(p.get(0).square().mul(2)).add(p.get(1).square());
    const r = minimize(f, np.array([0.1, 1], { dtype: "float64" }), { method: "newton" });
    expect(r.converged).toBe(true);
    expect(maxErr(r.x, [1, 0])).toBeLessThan(1e-8);
    expect(r.history[1]!.damping).toBeGreaterThan(0);
    expect(r.history[r.history.length - 1]!.damping).toBe(0);
  });

  it("errors: non-scalar objective, memorySize < 1, bad method or options, non-float params", () => {
    const x0 = np.array([-1.2, 1], { dtype: "float64" });
    expect(() => minimize((x: Array) => x.square(), x0)).toThrow(/must return a scalar/);
    expect(() => minimize(rosen, x0, { memorySize: 0 })).toThrow(/memorySize must be an integer >= 1/);
    expect(() => minimize(rosen, x0, { memorySize: 2.5 })).toThrow(RangeError);
    expect(() => minimize(rosen, x0, { method: "bfgs" as MinimizeMethod })).toThrow(/method must be/);
    expect(() => minimize(rosen, x0, { method: "newton", damping: -1 })).toThrow(
      /damping must be a finite number >= 0/,
    );
    expect(() => minimize(rosen, x0, { tol: -1 })).toThrow(RangeError);
    expect(() => minimize(rosen, x0, { maxIter: -1 })).toThrow(RangeError);
    expect(() => minimize(rosen, np.array([1, 2], { dtype: "int32" }))).toThrow(/float32 or float64/);
    expect(() => minimize((p: { x?: Array }) => rosen(p.x!), {})).toThrow(/no arrays/);
    expect(() => minimize(3 as unknown as (x: Array) => Array, x0)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------

describe("lbfgs(f) and nonlinearCG(f) as eager transformations", () => {
  it("lbfgs steps converge on Rosenbrock and satisfy the strong Wolfe conditions at every step", () => {
    const opt = lbfgs(rosen, { memorySize: 5 });
    const vg = valueAndGrad(rosen);
    let x = np.array([-1.2, 1], { dtype: "float64" });
    let state: LbfgsState = opt.init(x);
    let steps = 0;
    while (maxErr(x, [1, 1]) > 1e-6 && steps < 100) {
      const [f0, g] = vg(x);
      const [u, next] = opt.update(g, state, x);
      const d = u as Array;
      // In terms of the update u = α·p: f(x+u) ≤ f(x) + c1·gᵀu and |∇f(x+u)ᵀu| ≤ c2·|gᵀu|.
      const [f1, g1] = vg(x.add(d));
      const gu = Number(np.vdot(g, d).item());
      expect(gu).toBeLessThan(0);
      expect(Number(f1.item())).toBeLessThanOrEqual(Number(f0.item()) + 1e-4 * gu);
      expect(Math.abs(Number(np.vdot(g1, d).item()))).toBeLessThanOrEqual(0.9 * Math.abs(gu) * (1 + 1e-12));
      x = x.add(d);
      state = next;
      steps++;
      expect(state.s.length).toBeLessThanOrEqual(5);
      expect(Object.isFrozen(state)).toBe(true);
    }
    expect(maxErr(x, [1, 1])).toBeLessThan(1e-6);
    expect(steps).toBeLessThan(60);
  });

  it("nonlinearCG steps (FR and PR+) satisfy the strong Wolfe conditions with c2 = 0.1", () => {
    for (const variant of ["fr", "pr"] as const) {
      const opt = nonlinearCG(rosen, { variant });
      const vg = valueAndGrad(rosen);
      let x = np.array([-1.2, 1], { dtype: "float64" });
      let state = opt.init(x);
      for (let k = 0; k < 25; k++) {
        const [f0, g] = vg(x);
        const [u, next] = opt.update(g, state, x);
        const d = u as Array;
        const [f1, g1] = vg(x.add(d));
        const gu = Number(np.vdot(g, d).item());
        if (gu === 0) break; // converged: zero update
        expect(Number(f1.item()), variant).toBeLessThanOrEqual(Number(f0.item()) + 1e-4 * gu);
        expect(Math.abs(Number(np.vdot(g1, d).item()))).toBeLessThanOrEqual(0.1 * Math.abs(gu) * (1 + 1e-9));
        x = x.add(d);
        state = next;
      }
      expect(maxErr(x, [1, 1]), variant).toBeLessThan(1e-2);
    }
  });

  it("works on pytree params and rejects bad options", () => {
    type P = { u: Array; v: Array };
    const f = (p: P) => p.u.sub(1).square().sum().add(p.v.add(2).square().sum().mul(10));
    const opt = lbfgs(f);
    let p: P = { u: np.zeros([2]), v: np.zeros([1, 2]) };
    let s = opt.init(p);
    for (let i = 0; i < 20; i++) {
      const [u, next] = opt.update(grad(f)(p), s, p);
      p = tree.map((a: Array, b: Array) => a.add(b), p, u) as P;
      s = next;
    }
    expect(maxErr(p.u, [1, 1])).toBeLessThan(1e-4);
    expect(maxErr(p.v.reshape([2]), [-2, -2])).toBeLessThan(1e-4);
    expect(p.v.shape).toEqual([1, 2]);
    expect(() => lbfgs(f, { memorySize: 0 })).toThrow(/memorySize must be an integer >= 1/);
    expect(() => nonlinearCG(f, { variant: "hs" as "pr" })).toThrow(/variant/);
    expect(() => opt.update(grad(f)(p), s)).toThrow(/needs params/);
    expect(() => opt.update({ u: np.zeros([2]) }, s, p)).toThrow(/structure/);
    const vec = lbfgs((x: Array) => x.square());
    expect(() => vec.update(np.ones([2]), vec.init(null), np.ones([2]))).toThrow(/must return a scalar/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("levenbergMarquardt", () => {
  it("fits y = a·exp(b·t) to noiseless data exactly (float64 and float32)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const t = np.linspace(0, 2, 12, { dtype });
      const y = t.mul(-1.3).exp().mul(2.5);
      const model = (p: { a: Array; b: Array }) => p.a.mul(p.b.mul(t).exp()).sub(y);
      for (const scaling of ["identity", "marquardt"] as const) {
        const r = levenbergMarquardt(model, { a: np.array(1, { dtype }), b: np.array(0, { dtype }) }, { scaling });
        expect(r.converged, `${dtype} ${scaling}: ${r.message}`).toBe(true);
        expect(r.x.a.dtype).toBe(dtype);
        const tol = dtype === "float64" ? 1e-10 : 1e-5;
        expect(Math.abs(Number(r.x.a.item()) - 2.5), `${dtype} ${scaling}`).toBeLessThan(tol);
        expect(Math.abs(Number(r.x.b.item()) + 1.3)).toBeLessThan(tol);
        expect(r.value).toBeLessThan(dtype === "float64" ? 1e-20 : 1e-9);
        expect(r.iterations).toBeLessThan(30);
      }
    }
  });

  it("solves Rosenbrock as least squares, with large initial damping too", () => {
    const r = levenbergMarquardt(rosenResiduals, np.array([-1.2, 1], { dtype: "float64" }), { lambda0: 100 });
    expect(maxErr(r.x, [1, 1])).toBeLessThan(1e-8);
    expect(r.history.every((h, i) => i === 0 || h.value < r.history[i - 1]!.value)).toBe(true);
  });

  it("errors", () => {
    const x0 = np.array([0, 0], { dtype: "float64" });
    expect(() => levenbergMarquardt(rosenResiduals, x0, { lambda0: -1 })).toThrow(/lambda0/);
    expect(() => levenbergMarquardt(rosenResiduals, x0, { scaling: "more" as "identity" })).toThrow(/scaling/);
    expect(() => levenbergMarquardt(() => 3 as unknown as Array, x0)).toThrow(/must return an Array/);
    expect(() => minimize(rosenResiduals, x0, { method: "lm", damping: 1, lambda0: 2 })).toThrow(
      /either damping or lambda0/,
    );
  });
});
