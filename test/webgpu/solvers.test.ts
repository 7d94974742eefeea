/**
 * The host-reading solvers on WebGPU, which reads only asynchronously: minimizeAsync (lbfgs, cg,
 * newton, lm) and lbfgs(f).updateAsync reach the minimum the reference CPU run reaches, in float32
 * and without a float64 array on the device; the synchronous forms name their asynchronous form;
 * reduceOnPlateau's device-side state follows the CPU run.
 *
 * Tolerances. The two runs round differently (WGSL's fused and reordered float32 arithmetic), so
 * their iterates drift apart by rounding and they may stop at different iterations; what they share
 * is where float32 lets them stop:
 * - the quadratic ½Σλᵢ(xᵢ − cᵢ)², λ = 1…10, stops at ‖∇f‖∞ ≤ tol = 1e-5, so xᵢ is within
 *   1e-5/λᵢ ≤ 1e-5 of cᵢ in each run and within 2e-5 between runs (+ float32 rounding of
 *   |cᵢ| ≤ 3, 2e-7): 2.5e-5;
 * - Rosenbrock's float32 gradient near (1, 1) carries rounding noise of about 400·2⁻²⁴ ≈ 2.4e-5
 *   (from 400x(x² − y)), and the Hessian's small eigenvalue there is ≈ 0.4, so a run can only locate
 *   the minimum along the valley (direction (1, 2)) to ≈ 2.4e-5/0.4 = 6e-5 in x, twice that in y:
 *   each run within 1e-4 of x = 1 and 2e-4 of y = 1 (the CPU runs stop within 3.4e-5).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeWebGpu, grad, initWebGpu, np, withBackend } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Array = np.Array;
type Backend = "cpu" | "webgpu";

const rosen = (p: Array): Array => {
  const x = p.get(0);
  const y = p.get(1);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
};
const rosenResiduals = (p: Array): Array => np.stack([p.get(1).sub(p.get(0).square()).mul(10), p.get(0).neg().add(1)]);
const LAMBDA = [1, 2, 5, 10];
const CENTER = [1, -2, 0.5, 3];
/** ½Σλᵢ(xᵢ − cᵢ)², its constants made on the backend of the call (a jitted function's constants must live there). */
const quadratic = (p: Array): Array => p.sub(np.array(CENTER)).square().mul(np.array(LAMBDA)).sum().mul(0.5);

const values = async (x: Array): Promise<number[]> => Array.from(await x.data(), Number);

/** minimizeAsync on `backend` from x0 (float32), with x0 made there. */
const solveOn = (backend: Backend, f: (p: Array) => Array, x0: number[], opts: optim.MinimizeOptions) =>
  withBackend(backend, () => optim.minimizeAsync(f, np.array(x0), opts));

describe.skipIf(skip !== undefined)(`line-search solvers on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  it("minimizeAsync (lbfgs, cg-pr, newton) solves a float32 quadratic as the CPU does", async () => {
    for (const method of ["lbfgs", "cg-pr", "newton"] as const) {
      const want = await solveOn("cpu", quadratic, [0, 0, 0, 0], { method });
      const have = await solveOn("webgpu", quadratic, [0, 0, 0, 0], { method });
      expect((have.x as Array).backend, method).toBe("webgpu");
      expect((have.x as Array).dtype, method).toBe("float32");
      expect(have.converged, `${method}: ${have.message}`).toBe(true);
      expect(have.gradNorm, method).toBeLessThanOrEqual(1e-5);
      const [gpu, cpu] = [await values(have.x as Array), await values(want.x as Array)];
      gpu.forEach((v, i) => {
        expect(Math.abs(v - CENTER[i]!), `${method}: x[${i}] − c`).toBeLessThanOrEqual(1e-5 / LAMBDA[i]! + 2e-7);
        expect(Math.abs(v - cpu[i]!), `${method}: x[${i}], webgpu vs cpu`).toBeLessThanOrEqual(2.5e-5);
      });
    }
  });

  it("minimizeAsync (lbfgs, cg-pr, newton) reaches Rosenbrock's minimum in float32, as the CPU does", async () => {
    for (const method of ["lbfgs", "cg-pr", "newton"] as const) {
      const want = await solveOn("cpu", rosen, [-1.2, 1], { method });
      const have = await solveOn("webgpu", rosen, [-1.2, 1], { method });
      expect(have.iterations, `${method}: ${have.message}`).toBeGreaterThan(5);
      for (const [name, r] of [
        ["webgpu", have],
        ["cpu", want],
      ] as const) {
        const [x, y] = await values(r.x as Array);
        expect(Math.abs(x! - 1), `${method} on ${name}: x (${r.message})`).toBeLessThanOrEqual(1e-4);
        expect(Math.abs(y! - 1), `${method} on ${name}: y (${r.message})`).toBeLessThanOrEqual(2e-4);
      }
    }
  });

  it("levenbergMarquardtAsync reaches Rosenbrock's minimum from its residuals (its LU solve multiplies int32 on the device)", async () => {
    for (const backend of ["webgpu", "cpu"] as const) {
      const r = await withBackend(backend, () => optim.levenbergMarquardtAsync(rosenResiduals, np.array([-1.2, 1])));
      expect((r.x as Array).backend).toBe(backend);
      const [x, y] = await values(r.x as Array);
      expect(Math.abs(x! - 1), `${backend}: x (${r.message})`).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(y! - 1), `${backend}: y (${r.message})`).toBeLessThanOrEqual(2e-4);
    }
  });

  it("lbfgs(f).updateAsync steps on the GPU follow the CPU's steps", async () => {
    const run = async (backend: Backend): Promise<number[][]> => {
      const opt = optim.lbfgs(quadratic, { memorySize: 3 });
      let x = withBackend(backend, () => np.zeros([4]));
      let state = opt.init(x);
      const path: number[][] = [];
      for (let k = 0; k < 4; k++) {
        const [u, s] = await withBackend(backend, () => opt.updateAsync(grad(quadratic)(x) as Array, state, x));
        x = withBackend(backend, () => x.add(u));
        state = s;
        path.push(await values(x));
      }
      expect(x.backend).toBe(backend);
      return path;
    };
    const [gpu, cpu] = [await run("webgpu"), await run("cpu")];
    // Four steps on a 4-D quadratic: the iterates stay O(1), so float32 rounding differences of a
    // few ulps per operation stay far below 1e-4.
    gpu.forEach((xk, k) =>
      xk.forEach((v, i) => expect(Math.abs(v - cpu[k]![i]!), `step ${k + 1}, x[${i}]`).toBeLessThanOrEqual(1e-4)),
    );
    const dist = (x: number[]) => Math.max(...x.map((v, i) => Math.abs(v - CENTER[i]!)));
    expect(dist(gpu.at(-1)!), "the steps approach the minimum").toBeLessThan(dist([0, 0, 0, 0]) / 10);
  });

  it("the synchronous forms name their asynchronous form", () => {
    withBackend("webgpu", () => {
      const x = np.array([-1.2, 1]);
      const where = "the arrays live on the 'webgpu' backend, which reads only asynchronously";
      expect(() => optim.minimize(rosen, x)).toThrow(`minimize: ${where}; use minimizeAsync`);
      expect(() => optim.minimize(rosen, x, { method: "newton" })).toThrow(`minimize: ${where}; use minimizeAsync`);
      expect(() => optim.levenbergMarquardt(rosenResiduals, x)).toThrow(
        `levenbergMarquardt: ${where}; use levenbergMarquardtAsync`,
      );
      const g = grad(rosen)(x) as Array;
      const lb = optim.lbfgs(rosen);
      expect(() => lb.update(g, lb.init(x), x)).toThrow(`lbfgs(f).update: ${where}; use lbfgs(f).updateAsync`);
      const cg = optim.nonlinearCG(rosen);
      expect(() => cg.update(g, cg.init(x), x)).toThrow(
        `nonlinearCG(f).update: ${where}; use nonlinearCG(f).updateAsync`,
      );
    });
  });

  it("reduceOnPlateau's state and scaled updates follow the CPU run", async () => {
    const losses = [1, 0.9, 0.95, 0.92, 0.91, 0.93, 0.5, 0.6];
    const run = async (backend: Backend): Promise<number[][]> => {
      // Every update inside the backend's scope (a scope does not survive an await); read afterwards.
      const steps = withBackend(backend, () => {
        const opt = optim.reduceOnPlateau({ factor: 0.5, patience: 2, accumulationSize: 1 });
        const g = np.array([1, -2]);
        let state = opt.init(g);
        return losses.map((loss) => {
          const [u, s] = opt.update(g, state, null, { value: np.array(loss) });
          state = s;
          return [u, s.bestValue, s.plateauCount];
        });
      });
      expect(steps.at(-1)![0]!.backend).toBe(backend);
      return Promise.all(steps.map(async (arrays) => (await Promise.all(arrays.map(values))).flat()));
    };
    const gpu = await run("webgpu");
    const cpu = await run("cpu");
    // Scales are products of 0.5 (exact), counts are integers and the best value is one of the
    // losses as a float32 (accumulationSize 1: the mean of one value is that value), so all exact.
    expect(gpu).toEqual(cpu);
    expect(cpu.at(-1)![0], "the scale was halved on the plateaus").toBeLessThan(1);
  });
});
