/**
 * The second-order solvers: `minimize` with L-BFGS / CG (FR, PR+) / Newton / LM on a 2-D parabola,
 * Rosenbrock from (−1.2, 1) and an ill-conditioned quadratic in float32 and float64 (dtype and
 * structure preserved), `lbfgs(f)` and `nonlinearCG(f)` as eager transformations,
 * Levenberg–Marquardt fitting y = a·exp(b·t) exactly, and the error paths.
 */
import { describe, expect, it } from "vitest";
import { grad, np, tree, valueAndGrad } from "../../src/index.js";
import {
  levenbergMarquardt,
  lbfgs,
  minimize,
  nonlinearCG,
  type LbfgsState,
  type MinimizeMethod,
} from "../../src/optim/index.js";
import { illConditioned, maxErr, rosen, rosenResiduals, vals } from "./_problems.js";

type Array = np.Array;

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
    expect(() => minimize(rosen, x0, { method: "dfp" as MinimizeMethod })).toThrow(/method must be/);
    expect(() => minimize(rosen, x0, { method: "newton", damping: -1 })).toThrow(
      /damping must be a finite number >= 0/,
    );
    expect(() => minimize(rosen, x0, { tol: -1 })).toThrow(RangeError);
    expect(() => minimize(rosen, x0, { maxIter: -1 })).toThrow(RangeError);
    expect(() => minimize(rosen, np.array([1, 2], { dtype: "int32" }))).toThrow(/float32 or float64/);
    expect(() => minimize((p: { x?: Array }) => rosen(p.x ?? np.zeros([2])), {})).toThrow(/no arrays/);
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
