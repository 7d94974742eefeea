/**
 * The `…Async` twins of the curvature tools: on a backend that reads synchronously, each gives
 * exactly the numbers of its synchronous form (bit for bit: both run one generator, only the reads
 * differ), rejects with the same errors (naming itself), and keeps the default backend of its call.
 */
import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import * as random from "../../src/random/index.js";
import { defaultBackendName, devices, withBackend } from "../../src/core/backend-choice.js";
import { devicePut } from "../../src/core/device.js";
import {
  conditionNumber,
  conditionNumberAsync,
  denseHessian,
  denseHessianAsync,
  eighJacobi,
  GradNormTracker,
  hessianExtremes,
  hessianExtremesAsync,
  lossSlice1d,
  lossSlice1dAsync,
  lossSlice2d,
  lossSlice2dAsync,
  randomDirection,
  smallestHessianEigenvalues,
  smallestHessianEigenvaluesAsync,
  topHessianEigenvalues,
  topHessianEigenvaluesAsync,
  type HessianEigenOptions,
  type HessianEigenResult,
} from "../../src/curvature/index.js";
import { close, desc, METHODS, NormalStream, point, quadratic, withSpectrum } from "./_spectra.js";

type Array = np.Array;

/** Bitwise equality of two lists of numbers (Object.is: -0 differs from 0, NaN equals NaN). */
function sameBits(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Object.is(g, want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBe(true));
}

const contents = (x: Array): number[] => Array.from(x.dataSync(), Number);

/** Two eigen results are identical: values, residuals, flags, counts and every eigenvector entry. */
function sameEigen<P>(got: HessianEigenResult<P>, want: HessianEigenResult<P>, leaves: (p: P) => Array[]): void {
  sameBits(got.eigenvalues, want.eigenvalues, "eigenvalues");
  sameBits(got.residuals, want.residuals, "residuals");
  expect({ converged: got.converged, hvps: got.hvps, method: got.method }).toEqual({
    converged: want.converged,
    hvps: want.hvps,
    method: want.method,
  });
  expect(got.eigenvectors === undefined).toBe(want.eigenvectors === undefined);
  (want.eigenvectors ?? []).forEach((v, i) => {
    const g = leaves(got.eigenvectors![i]!);
    leaves(v).forEach((leaf, j) => {
      expect(g[j]!.dtype).toBe(leaf.dtype);
      sameBits(contents(g[j]!), contents(leaf), `eigenvector ${i} leaf ${j}`);
    });
  });
}

/** The synchronous call's error, or a failure when it does not throw. */
function syncError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the synchronous form to throw");
}

/** The async twin rejects (without throwing synchronously) with the sync error, named after itself. */
async function sameError(sync: () => unknown, asyncCall: () => Promise<unknown>, name: string): Promise<void> {
  const want = syncError(sync);
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = asyncCall();
  }).not.toThrow();
  const got = await promise!.then(
    () => {
      throw new Error(`expected ${name}Async to reject with: ${want.message}`);
    },
    (e: unknown) => e as Error,
  );
  expect(got.constructor).toBe(want.constructor);
  expect(got.message).toBe(want.message.replaceAll(`${name}:`, `${name}Async:`));
  expect(got.message.startsWith(`${name}Async:`) || !want.message.startsWith(`${name}:`)).toBe(true);
}

// A float64 quadratic with a known spectrum (including a negative and a repeated eigenvalue).
const LAMBDAS = [9, 5, 5, 2, 0.5, -1, -3, 0.25, 1.5, 4];
const quad = quadratic(withSpectrum(LAMBDAS, 3));
const x0 = point(LAMBDAS.length);

// A small tanh MLP regression loss with float32 parameters (a pytree).
type Mlp = { w1: Array; b1: Array; w2: Array; b2: Array };
const s = new NormalStream(11);
const mk = (shape: number[], scale: number) =>
  np.array(
    s.normals(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale),
    { shape, dtype: "float32" },
  );
const mlpParams: Mlp = { w1: mk([3, 4], 0.7), b1: mk([4], 0.1), w2: mk([4, 1], 0.7), b2: mk([1], 0.1) };
const xs = mk([6, 3], 1);
const ys = mk([6, 1], 1);
/** The MLP's mean squared error on (x, y). */
const mlpLoss =
  (x: Array, y: Array) =>
  (p: Mlp): Array =>
    np
      .matmul(np.tanh(np.matmul(x, p.w1).add(p.b1)), p.w2)
      .add(p.b2)
      .sub(y)
      .square()
      .mean();
const mlp = mlpLoss(xs, ys);
const mlpLeaves = (p: Mlp): Array[] => [p.w1, p.b1, p.w2, p.b2];

describe("Hessian eigenvalues: async twins equal the synchronous forms", () => {
  for (const method of METHODS) {
    it(`quadratic with a known spectrum (${method})`, async () => {
      const opts: HessianEigenOptions = { k: 3, method, eigenvectors: true, tol: 1e-10 };
      const top = topHessianEigenvalues(quad, x0, opts);
      close(top.eigenvalues, desc(LAMBDAS).slice(0, 3), 1e-7);
      sameEigen(await topHessianEigenvaluesAsync(quad, x0, opts), top, (v) => [v]);

      const bottom = smallestHessianEigenvalues(quad, x0, { ...opts, k: 2 });
      close(bottom.eigenvalues, [-3, -1], 1e-7);
      sameEigen(await smallestHessianEigenvaluesAsync(quad, x0, { ...opts, k: 2 }), bottom, (v) => [v]);

      const ext = hessianExtremes(quad, x0, { method });
      close([ext.max, ext.min], [9, -3], 1e-7);
      expect(ext.definiteness).toBe("indefinite");
      expect(await hessianExtremesAsync(quad, x0, { method })).toStrictEqual(ext);
      sameBits([await conditionNumberAsync(quad, x0, { method })], [conditionNumber(quad, x0, { method })], "κ");
    });
  }

  it("small float32 MLP (pytree params), with a key instead of a seed", async () => {
    const key = random.key(42);
    for (const method of METHODS) {
      const opts: HessianEigenOptions = { k: 2, method, key, eigenvectors: true };
      sameEigen(
        await topHessianEigenvaluesAsync(mlp, mlpParams, opts),
        topHessianEigenvalues(mlp, mlpParams, opts),
        mlpLeaves,
      );
      sameEigen(
        await smallestHessianEigenvaluesAsync(mlp, mlpParams, opts),
        smallestHessianEigenvalues(mlp, mlpParams, opts),
        mlpLeaves,
      );
      expect(await hessianExtremesAsync(mlp, mlpParams, { method, key })).toStrictEqual(
        hessianExtremes(mlp, mlpParams, { method, key }),
      );
    }
    // The answers are right, not just equal: the top eigenvalue of the exact (dense) Hessian.
    const dense = denseHessian(mlp, mlpParams);
    const asyncDense = await denseHessianAsync(mlp, mlpParams);
    dense.forEach((row, i) => sameBits(asyncDense[i]!, row, `denseHessian row ${i}`));
    // float32 HVPs: the Ritz values agree with the float64 eigensolver on the float32 dense Hessian to ~1e-5.
    const exact = eighJacobi(dense).values;
    const lz = await topHessianEigenvaluesAsync(mlp, mlpParams, { k: 2 });
    close(lz.eigenvalues, desc(exact).slice(0, 2), 1e-4);
  });

  it("bad options and bad inputs give the same errors", async () => {
    const cases: [string, () => unknown, () => Promise<unknown>][] = [
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues(quad, x0, { k: 0 }),
        () => topHessianEigenvaluesAsync(quad, x0, { k: 0 }),
      ],
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues(quad, x0, { k: 11 }),
        () => topHessianEigenvaluesAsync(quad, x0, { k: 11 }),
      ],
      [
        "smallestHessianEigenvalues",
        () => smallestHessianEigenvalues(quad, x0, { seed: 1, key: random.key(1) }),
        () => smallestHessianEigenvaluesAsync(quad, x0, { seed: 1, key: random.key(1) }),
      ],
      [
        "smallestHessianEigenvalues",
        () => smallestHessianEigenvalues(quad, x0, { tol: -1 }),
        () => smallestHessianEigenvaluesAsync(quad, x0, { tol: -1 }),
      ],
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues(quad, x0, { bogus: 1 } as HessianEigenOptions),
        () => topHessianEigenvaluesAsync(quad, x0, { bogus: 1 } as HessianEigenOptions),
      ],
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues("f" as never, x0),
        () => topHessianEigenvaluesAsync("f" as never, x0),
      ],
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues(quad, np.array([1, 2], { dtype: "int32" })),
        () => topHessianEigenvaluesAsync(quad, np.array([1, 2], { dtype: "int32" })),
      ],
      [
        "hessianExtremes",
        () => hessianExtremes(quad, x0, { k: 2 } as never),
        () => hessianExtremesAsync(quad, x0, { k: 2 } as never),
      ],
      [
        "conditionNumber",
        () => conditionNumber(quad, x0, { singularTol: -1 }),
        () => conditionNumberAsync(quad, x0, { singularTol: -1 }),
      ],
      [
        "conditionNumber",
        () => conditionNumber(quad, x0, { method: "qr" as never }),
        () => conditionNumberAsync(quad, x0, { method: "qr" as never }),
      ],
      // A loss that is not twice differentiable at the point: found in the first HVP's read.
      [
        "topHessianEigenvalues",
        () => topHessianEigenvalues((x: Array) => x.sqrt().sum(), np.zeros([3], { dtype: "float64" })),
        () => topHessianEigenvaluesAsync((x: Array) => x.sqrt().sum(), np.zeros([3], { dtype: "float64" })),
      ],
      ["denseHessian", () => denseHessian(quad, undefined as never), () => denseHessianAsync(quad, undefined as never)],
    ];
    for (const [name, sync, asyncCall] of cases) await sameError(sync, asyncCall, name);
  });

  it("keeps the default backend of its call across awaits", async () => {
    const other = devices().find((n) => n !== defaultBackendName() && n !== "webgpu");
    if (other === undefined) return;
    const p = devicePut(mlpParams, other);
    const f = mlpLoss(devicePut(xs, other), devicePut(ys, other));
    const want = withBackend(other, () => topHessianEigenvalues(f, p, { k: 1 }));
    // Were the scope lost, the flat vectors would be made on the default backend, next to params on `other`.
    const got = await withBackend(other, () => topHessianEigenvaluesAsync(f, p, { k: 1 }));
    sameBits(got.eigenvalues, want.eigenvalues, "eigenvalues");
  });
});

describe("loss landscape slices: async twins", () => {
  const f64Params = { w: np.array([[0.5, -1, 2]], { dtype: "float64" }), b: np.array([0.25], { dtype: "float64" }) };
  type P = typeof f64Params;
  const loss = (p: P): Array => p.w.square().sum().add(p.b.mul(p.w.sum()).sum()).add(p.w.sum().sin());

  it("lossSlice1d / lossSlice2d: same values, which are f along the line / plane", async () => {
    const d1 = randomDirection(0, f64Params, { biases: "normalize" });
    const d2 = randomDirection(1, f64Params, { biases: "normalize" });
    const alphas = [-1, -0.3, 0, 0.7];
    const line = lossSlice1d(loss, f64Params, d1, { alphas });
    const lineAsync = await lossSlice1dAsync(loss, f64Params, d1, { alphas });
    expect(lineAsync.alphas).toEqual(alphas);
    sameBits(lineAsync.values, line.values, "1d values");
    const at = (a: number, b: number): number =>
      loss({
        w: f64Params.w.add(d1.w.mul(a)).add(d2.w.mul(b)),
        b: f64Params.b.add(d1.b.mul(a)).add(d2.b.mul(b)),
      }).item() as number;
    close(
      line.values,
      alphas.map((a) => at(a, 0)),
      1e-12,
    );
    const plane = lossSlice2d(loss, f64Params, d1, d2, { alphas, betas: [0.5, -2] });
    const planeAsync = await lossSlice2dAsync(loss, f64Params, d1, d2, { alphas, betas: [0.5, -2] });
    expect(planeAsync.betas).toEqual([0.5, -2]);
    plane.values.forEach((row, i) => sameBits(planeAsync.values[i]!, row, `2d row ${i}`));
    plane.values.forEach((row, i) => close(row, [at(alphas[i]!, 0.5), at(alphas[i]!, -2)], 1e-12));
  });

  it("float32 params: same values, and errors match", async () => {
    const d = randomDirection(3, mlpParams, { filterAxis: -1 });
    const line = lossSlice1d(mlp, mlpParams, d);
    expect(line.values).toHaveLength(21);
    sameBits((await lossSlice1dAsync(mlp, mlpParams, d)).values, line.values, "float32 1d");
    const nonScalar = (p: Mlp): Array => p.w1;
    await sameError(
      () => lossSlice1d(nonScalar, mlpParams, d, { alphas: [0] }),
      () => lossSlice1dAsync(nonScalar, mlpParams, d, { alphas: [0] }),
      "lossSlice1d",
    );
    await sameError(
      () => lossSlice1d(mlp, mlpParams, d, { alphas: [] }),
      () => lossSlice1dAsync(mlp, mlpParams, d, { alphas: [] }),
      "lossSlice1d",
    );
    await sameError(
      () => lossSlice2d(mlp, mlpParams, d, { w1: mlpParams.w1 } as never),
      () => lossSlice2dAsync(mlp, mlpParams, d, { w1: mlpParams.w1 } as never),
      "lossSlice2d",
    );
    await sameError(
      () => lossSlice2d(mlp, mlpParams, d, d, { gammas: [1] } as never),
      () => lossSlice2dAsync(mlp, mlpParams, d, d, { gammas: [1] } as never),
      "lossSlice2d",
    );
  });
});

describe("GradNormTracker.recordAsync", () => {
  it("records the same history and summary as record", async () => {
    const grads = [
      { w: np.array([3, 0], { dtype: "float32" }), b: np.array([4], { dtype: "float32" }) },
      np.array(2.5, { dtype: "float64" }),
      -7,
      { w: np.array([Number.NaN], { dtype: "float32" }), b: np.array([1], { dtype: "float32" }) },
      { w: np.array([1e-3, 2e-3], { dtype: "float64" }), b: np.array([0.5], { dtype: "float32" }) },
    ];
    for (const perLeaf of [false, true]) {
      const sync = new GradNormTracker({ perLeaf, maxHistory: 4 });
      const async = new GradNormTracker({ perLeaf, maxHistory: 4 });
      for (const [i, g] of grads.entries()) {
        const step = i === 2 ? 10 : undefined;
        sameBits([await async.recordAsync(g, step)], [sync.record(g, step)], `norm ${i}`);
      }
      expect(async.history).toStrictEqual(sync.history);
      expect(async.summary()).toStrictEqual(sync.summary());
      // Independent check of the first record: sqrt(3² + 4²).
      expect(sync.summary().count).toBe(5);
      expect(new GradNormTracker({ perLeaf }).record(grads[0]!)).toBe(5);
    }
    expect(new GradNormTracker({ perLeaf: true }).history).toEqual([]);
    const t = new GradNormTracker({ perLeaf: true });
    await t.recordAsync(grads[0]!);
    expect(t.history[0]!.leaves).toEqual({ ".b": 4, ".w": 3 });
  });

  it("rejects bad steps and grads with the record errors", async () => {
    const t = new GradNormTracker();
    await sameError(
      () => t.record(1, Number.NaN),
      () => t.recordAsync(1, Number.NaN),
      "GradNormTracker.record",
    );
    await sameError(
      () => new GradNormTracker({ perLeaf: true }).record({ a: "x" }),
      () => new GradNormTracker({ perLeaf: true }).recordAsync({ a: "x" }),
      "GradNormTracker.record",
    );
    expect(t.history).toHaveLength(0);
  });
});
