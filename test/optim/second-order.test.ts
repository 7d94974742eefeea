/**
 * Second-order building blocks: the dense Cholesky/LU solves, the strong Wolfe line search
 * (conditions checked at every accepted step), and damped Newton as a traceable transformation
 * (one step on a quadratic; damping's exact effect; jit; the Hessian as an extra argument).
 * The solvers (`minimize`, `lbfgs`, `nonlinearCG`, `levenbergMarquardt`) are in minimize.test.ts.
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, jit, np, tree } from "../../src/index.js";
import { constantSchedule, lineSearchWolfe, newton, newtonStep, type NewtonState } from "../../src/optim/index.js";
import { cholesky, choleskySolve, luFactor, luSolve, solve } from "../../src/optim/linear-solve.js";
import { maxErr, rosen, vals } from "./_problems.js";

type Array = np.Array;

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
