/**
 * The curvature tools on WebGPU: the `…Async` twins run with float32 parameters on the device
 * (Hessian-vector products there, the Krylov vectors on the host in float64, start vectors drawn on
 * the CPU) and match a run of the synchronous forms on the reference "cpu" backend within float32
 * rounding; the synchronous forms name their async twins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeWebGpu, deviceGet, devicePut, grad, initWebGpu, np, withBackend } from "../../src/index.js";
import {
  conditionNumber,
  denseHessian,
  GradNormTracker,
  hessianExtremes,
  hessianExtremesAsync,
  lossSlice1d,
  lossSlice1dAsync,
  randomDirection,
  smallestHessianEigenvalues,
  smallestHessianEigenvaluesAsync,
  topHessianEigenvalues,
  topHessianEigenvaluesAsync,
} from "../../src/curvature/index.js";
import * as random from "../../src/random/index.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Array = np.Array;
type Backend = "cpu" | "webgpu";

/**
 * |got − want| ≤ rel·scale for each entry. The tolerance used below, 3e-5 of the largest |λ|, is two
 * Lanczos stopping tolerances (the float32 default tol 1e-5: each run's Ritz values are within its
 * residual, ≤ 1e-5·max|λ|, of the eigenvalues) plus float32 rounding in the products (about
 * n·2⁻²⁴·‖H‖ ≈ 1e-6·‖H‖ for these sizes).
 */
function near(got: readonly number[], want: readonly number[], rel: number, scale: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(rel * scale),
  );
}

// ½ xᵀAx for A = QᵀΛQ with a known spectrum Λ (Q a Householder reflection: orthogonal, no solver).
const LAMBDAS = [6, -2.5, 4, 1, 0.5, 3, -1, 2];
const N = LAMBDAS.length;
function spectrumMatrix(): number[][] {
  const u = LAMBDAS.map((_, i) => Math.cos(1.3 * i + 0.4));
  const uu = u.reduce((s, x) => s + x * x, 0);
  const Q = u.map((ui, i) => u.map((uj, j) => (i === j ? 1 : 0) - (2 * ui * uj) / uu));
  return Q.map((_, i) => Q.map((_, j) => LAMBDAS.reduce((s, l, k) => s + Q[k]![i]! * l * Q[k]![j]!, 0)));
}
const A = spectrumMatrix();

/** The float32 quadratic and a point, made on `backend`. */
const quadraticOn = (backend: Backend) =>
  withBackend(backend, () => {
    const Am = np.array(A, { dtype: "float32" });
    const f = (x: Array): Array => x.mul(np.matmul(Am, x)).sum().div(2);
    return {
      f,
      x0: np.array(
        LAMBDAS.map((_, i) => Math.sin(i)),
        { dtype: "float32" },
      ),
    };
  });

// A small tanh MLP regression loss, float32, with its data on the same backend as its params.
type Mlp = { w1: Array; b1: Array; w2: Array; b2: Array };
const mlpOn = (backend: Backend) =>
  withBackend(backend, () => {
    const v = (shape: number[], phase: number) =>
      np.array(
        globalThis.Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.8 * Math.sin(1.7 * i + phase)),
        { shape, dtype: "float32" },
      );
    const params: Mlp = { w1: v([2, 3], 0.1), b1: v([3], 0.7), w2: v([3, 1], 1.9), b2: v([1], 2.3) };
    const x = v([5, 2], 3.1);
    const y = v([5, 1], 4.2);
    const f = (p: Mlp): Array =>
      np
        .matmul(np.tanh(np.matmul(x, p.w1).add(p.b1)), p.w2)
        .add(p.b2)
        .sub(y)
        .square()
        .mean();
    return { f, params };
  });

describe.skipIf(skip !== undefined)(`curvature on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  it("top / smallest eigenvalues of a float32 quadratic with a known spectrum match the cpu run", async () => {
    const cpu = quadraticOn("cpu");
    const gpu = quadraticOn("webgpu");
    const scale = Math.max(...LAMBDAS.map(Math.abs));
    const want = withBackend("cpu", () => topHessianEigenvalues(cpu.f, cpu.x0, { k: 2 }));
    const have = await withBackend("webgpu", () =>
      topHessianEigenvaluesAsync(gpu.f, gpu.x0, { k: 2, eigenvectors: true }),
    );
    near(have.eigenvalues, want.eigenvalues, 3e-5, scale, "top");
    near(have.eigenvalues, [6, 4], 3e-5, scale, "top vs Λ");
    // Eigenvectors come back shaped like params, on the device, in the params' dtype.
    const v = have.eigenvectors![0]!;
    expect([v.backend, v.dtype, v.shape]).toEqual(["webgpu", "float32", [N]]);
    // A key made on the device is read back once, then the stream continues on the cpu.
    const keyed = await withBackend("webgpu", () => topHessianEigenvaluesAsync(gpu.f, gpu.x0, { key: random.key(3) }));
    const keyedCpu = withBackend("cpu", () => topHessianEigenvalues(cpu.f, cpu.x0, { key: random.key(3) }));
    near(keyed.eigenvalues, keyedCpu.eigenvalues, 3e-5, scale, "top with a device key");
    const bottom = await withBackend("webgpu", () => smallestHessianEigenvaluesAsync(gpu.f, gpu.x0, { k: 2 }));
    near(bottom.eigenvalues, [-2.5, -1], 3e-5, scale, "smallest vs Λ");
    for (const method of ["lanczos", "power"] as const) {
      const ext = await withBackend("webgpu", () => hessianExtremesAsync(gpu.f, gpu.x0, { method }));
      near([ext.max, ext.min], [6, -2.5], 3e-5, scale, `extremes (${method})`);
      expect(ext.definiteness).toBe("indefinite");
    }
  });

  it("top Hessian eigenvalues of a small float32 MLP loss match the cpu run", async () => {
    const cpu = mlpOn("cpu");
    const gpu = mlpOn("webgpu");
    const want = withBackend("cpu", () => topHessianEigenvalues(cpu.f, cpu.params, { k: 2 }));
    const have = await withBackend("webgpu", () => topHessianEigenvaluesAsync(gpu.f, gpu.params, { k: 2 }));
    expect(have.hvps).toBeGreaterThan(0);
    near(have.eigenvalues, want.eigenvalues, 3e-5, Math.abs(want.eigenvalues[0]!), "mlp top");
  });

  it("a loss landscape slice matches the cpu run", async () => {
    const gpu = mlpOn("webgpu");
    const cpu = mlpOn("cpu");
    // A filter-normalized direction drawn on the device (float32); the cpu run uses a copy of it.
    const d = withBackend("webgpu", () => randomDirection(0, gpu.params, { filterAxis: -1 }));
    expect(d.w1.backend).toBe("webgpu");
    const dCpu = devicePut(await deviceGet(d), "cpu");
    // The same direction as on the cpu: drawn from the same key there, normalized on the device.
    const dRef = withBackend("cpu", () => randomDirection(0, cpu.params, { filterAxis: -1 }));
    near(Array.from(dCpu.w1.dataSync()), Array.from(dRef.w1.dataSync()), 1e-6, 1, "direction w1");
    near(Array.from(dCpu.b1.dataSync()), [0, 0, 0], 0, 1, "direction b1 (a bias: zero)");
    const alphas = [-1, -0.25, 0, 0.5, 1];
    const want = withBackend("cpu", () => lossSlice1d(cpu.f, cpu.params, dCpu, { alphas }));
    const have = await withBackend("webgpu", () => lossSlice1dAsync(gpu.f, gpu.params, d, { alphas }));
    expect(have.alphas).toEqual(alphas);
    // Losses of order 1 computed in float32 on both sides: a few ulps (2⁻²⁴ ≈ 6e-8) per operation.
    near(have.values, want.values, 1e-5, Math.max(1, ...want.values.map(Math.abs)), "slice");
  });

  it("GradNormTracker.recordAsync records the cpu run's norms", async () => {
    const gpu = mlpOn("webgpu");
    const cpu = mlpOn("cpu");
    const gGpu = withBackend("webgpu", () => grad(gpu.f)(gpu.params));
    const gCpu = withBackend("cpu", () => grad(cpu.f)(cpu.params));
    const tracker = new GradNormTracker({ perLeaf: true });
    const reference = new GradNormTracker({ perLeaf: true });
    const norm = await tracker.recordAsync(gGpu);
    const wantNorm = reference.record(gCpu);
    near([norm], [wantNorm], 1e-5, wantNorm, "norm");
    const have = tracker.history[0]!.leaves!;
    const want = reference.history[0]!.leaves!;
    expect(Object.keys(have).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) near([have[k]!], [want[k]!], 1e-5, wantNorm, `leaf ${k}`);
    // An already-computed 0-d norm on the device.
    const zeroD = withBackend("webgpu", () => np.array(2.5, { dtype: "float32" }));
    expect(await new GradNormTracker().recordAsync(zeroD)).toBe(2.5);
  });

  it("the synchronous forms name their async twins", () => {
    const q = quadraticOn("webgpu");
    const m = mlpOn("webgpu");
    const twin = (name: string) =>
      new RegExp(`${name}: an array lives on the 'webgpu' backend, which reads only asynchronously; use ${name}Async`);
    withBackend("webgpu", () => {
      expect(() => topHessianEigenvalues(q.f, q.x0)).toThrow(twin("topHessianEigenvalues"));
      expect(() => smallestHessianEigenvalues(q.f, q.x0, { method: "power" })).toThrow(
        twin("smallestHessianEigenvalues"),
      );
      expect(() => hessianExtremes(q.f, q.x0)).toThrow(twin("hessianExtremes"));
      expect(() => conditionNumber(q.f, q.x0)).toThrow(twin("conditionNumber"));
      expect(() => denseHessian(q.f, q.x0)).toThrow(twin("denseHessian"));
      expect(() => lossSlice1d(m.f, m.params, m.params, { alphas: [0] })).toThrow(twin("lossSlice1d"));
      // Directions cannot read a key that lives on the device: a seed (or a host key) is needed.
      expect(() => randomDirection(random.key(0), m.params)).toThrow(
        /randomDirection: the key lives on the 'webgpu' backend, which reads only asynchronously; pass an integer seed/,
      );
      expect(() => new GradNormTracker().record(m.params)).toThrow(
        /GradNormTracker.record: an array lives on the 'webgpu' backend, which reads only asynchronously; use GradNormTracker.recordAsync/,
      );
    });
  });
});
