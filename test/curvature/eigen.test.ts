/** Hessian eigenvalues: the host eigensolvers, and the top / smallest eigenpairs by Lanczos and power iteration. */
import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import * as random from "../../src/random/index.js";
import {
  denseHessian,
  eighJacobi,
  eighTridiagonal,
  hessianExtremes,
  hvp,
  smallestHessianEigenvalues,
  topHessianEigenvalues,
  type HessianEigenOptions,
} from "../../src/curvature/index.js";

import { close, desc, f64, flat, METHODS, NormalStream, point, quadratic, withSpectrum } from "./_spectra.js";

type Array = np.Array;

describe("host eigensolvers", () => {
  it("eighTridiagonal and eighJacobi agree and give eigenpairs", () => {
    const s = new NormalStream(5);
    const n = 12;
    const d = Array.from(s.normals(n));
    const e = Array.from(s.normals(n - 1));
    const T = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? d[i]! : j === i + 1 ? e[i]! : i === j + 1 ? e[j]! : 0)),
    );
    const a = eighTridiagonal(d, e);
    const b = eighJacobi(T);
    close(a.values, b.values, 1e-12);
    for (const { values, vectors } of [a, b])
      values.forEach((lam, k) => {
        const v = vectors[k]!;
        close(
          T.map((row) => row.reduce((acc, x, j) => acc + x * v[j]!, 0)),
          v.map((x) => lam * x),
          1e-11,
        );
        expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-12);
      });
    expect(eighTridiagonal([], []).values).toEqual([]);
    close(eighTridiagonal([4], []).values, [4]);
    expect(() => eighTridiagonal([1, 2], [])).toThrow(/offDiag must have length 1/);
    expect(() => eighJacobi([[1, 2]])).toThrow(/square/);
  });
});

describe("topHessianEigenvalues / smallestHessianEigenvalues", () => {
  it.each(METHODS)("diagonal Hessian (%s)", (method) => {
    const diag = [9, 7, 5, 3, 1, 0.5];
    const f = (p: { w: Array }) => p.w.square().mul(f64(diag)).sum().div(2);
    const params = { w: point(6) };
    const top = topHessianEigenvalues(f, params, { k: 3, method });
    close(top.eigenvalues, [9, 7, 5]);
    expect(top.converged).toBe(true);
    expect(top.method).toBe(method);
    expect(top.hvps).toBeGreaterThan(0);
    const low = smallestHessianEigenvalues(f, params, { k: 2, method });
    close(low.eigenvalues, [0.5, 1]);
  });

  it.each(METHODS)("random SPD QᵀΛQ, with eigenvectors (%s)", (method) => {
    const lambdas = [12, 9, 7, 5, 4, 3.5, 3, 2.5, 2, 1.2, 0.6, 0.2];
    const A = withSpectrum(lambdas, 3);
    const f = quadratic(A);
    const x = point(12);
    const top = topHessianEigenvalues(f, x, { k: 4, method, eigenvectors: true, seed: 1 });
    close(top.eigenvalues, [12, 9, 7, 5]);
    expect(top.eigenvectors).toHaveLength(4);
    (top.eigenvectors ?? []).forEach((v, i) => {
      expect(v.shape).toEqual([12]);
      expect(v.dtype).toBe("float64");
      // H v = λ v and ‖v‖ = 1
      close(
        flat(hvp(f, x, v)),
        flat(v).map((c) => c * top.eigenvalues[i]!),
        1e-6,
      );
      expect(Math.abs(Math.hypot(...flat(v)) - 1)).toBeLessThan(1e-10);
    });
    const low = smallestHessianEigenvalues(f, x, { k: 3, method, eigenvectors: true });
    close(low.eigenvalues, [0.2, 0.6, 1.2]);
    expect(low.eigenvectors).toHaveLength(3);
    (low.eigenvectors ?? []).forEach((v, i) =>
      close(
        flat(hvp(f, x, v)),
        flat(v).map((c) => c * low.eigenvalues[i]!),
        1e-6,
      ),
    );
    // the result's residuals are small
    for (const r of [...top.residuals, ...low.residuals]) expect(r).toBeLessThan(1e-6);
  });

  it.each(METHODS)("indefinite saddle: top is the most positive, smallest the most negative (%s)", (method) => {
    const lambdas = [4, 2, 0.5, -1, -3, -8];
    const f = quadratic(withSpectrum(lambdas, 9));
    const x = point(6);
    close(topHessianEigenvalues(f, x, { k: 2, method }).eigenvalues, [4, 2]);
    close(smallestHessianEigenvalues(f, x, { k: 2, method }).eigenvalues, [-8, -3]);
    // x² − y² at the origin
    const saddle = (p: Array) => p.get(0).square().sub(p.get(1).square());
    close(topHessianEigenvalues(saddle, f64([0, 0]), { method }).eigenvalues, [2]);
    close(smallestHessianEigenvalues(saddle, f64([0, 0]), { method }).eigenvalues, [-2]);
  });

  it("ill-conditioned spectrum: Lanczos resolves the lower end; power iteration on λmax·I − H is slow and says so", () => {
    const lambdas = [50, 20, 10, 6, 3, 2, 1.5, 1, 0.6, 0.3, 0.2, 0.1];
    const f = quadratic(withSpectrum(lambdas, 5));
    const x = point(12);
    const lz = smallestHessianEigenvalues(f, x, { k: 3 });
    close(lz.eigenvalues, [0.1, 0.2, 0.3]);
    expect(lz.converged).toBe(true);
    // B = 50I − H has eigenvalues 49.9, 49.8, …: ratio 0.998 per step
    const pw = smallestHessianEigenvalues(f, x, { k: 1, method: "power", iters: 50 });
    expect(pw.converged).toBe(false);
    expect(pw.residuals[0]).toBeGreaterThan(1e-8 * 50);
    expect(pw.eigenvalues[0]).toBeGreaterThanOrEqual(0.1 - 1e-9); // a Rayleigh quotient: never below λmin
  });

  it("power iteration handles a ±λ dominant pair", () => {
    const f = quadratic(withSpectrum([3, -3, 1, 0.5], 4));
    const x = point(4);
    const top = topHessianEigenvalues(f, x, { k: 2, method: "power" });
    close(top.eigenvalues, [3, 1]);
    expect(top.converged).toBe(true);
    close(smallestHessianEigenvalues(f, x, { k: 1, method: "power" }).eigenvalues, [-3]);
  });

  it.each(METHODS)("pytree params (%s)", (method) => {
    // Separable: H = diag over the leaves' entries.
    const f = (p: { w: Array; b: Array; s: Array }) =>
      p.w
        .square()
        .mul(
          f64([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        )
        .sum()
        .add(
          p.b
            .square()
            .mul(f64([10, 0.1]))
            .sum(),
        )
        .add(p.s.pow(4))
        .div(2);
    const params = {
      w: f64([
        [1, 1, 1],
        [1, 1, 1],
      ]),
      b: f64([0, 0]),
      s: np.array(1, { dtype: "float64" }),
    };
    // s⁴/2 has second derivative 6 s² = 6
    const r = topHessianEigenvalues(f, params, { k: 3, method, eigenvectors: true });
    close(r.eigenvalues, [10, 6, 6]);
    const v0 = r.eigenvectors?.[0];
    if (v0 === undefined) throw new Error("no eigenvectors returned");
    expect(v0.w.shape).toEqual([2, 3]);
    expect(v0.b.shape).toEqual([2]);
    expect(v0.s.shape).toEqual([]);
    expect(Math.abs(Math.abs(flat(v0.b)[0]!) - 1)).toBeLessThan(1e-6); // the b[0] direction
    close(smallestHessianEigenvalues(f, params, { k: 2, method }).eigenvalues, [0.1, 1]);
  });

  it.each(METHODS)("finds repeated eigenvalues (%s)", (method) => {
    // diag(5, 5, 1, 1): Lanczos' Krylov space holds one copy of each value; exhausting it (iters = n)
    // restarts in the complement and finds the copies; power deflation finds them directly.
    const f = (x: Array) =>
      x
        .square()
        .mul(f64([5, 1, 5, 1]))
        .sum()
        .div(2);
    const x = point(4);
    const opts: HessianEigenOptions = method === "lanczos" ? { k: 4, iters: 4, method } : { k: 4, method };
    close(topHessianEigenvalues(f, x, opts).eigenvalues, [5, 5, 1, 1]);
    close(topHessianEigenvalues(f, x, { ...opts, k: 2 }).eigenvalues, [5, 5]);
    // H = 3I: every vector is an eigenvector
    const g = (y: Array) => y.square().sum().mul(1.5);
    close(topHessianEigenvalues(g, point(5), { k: 5, method }).eigenvalues, [3, 3, 3, 3, 3]);
  });

  it("matches the exact spectrum of a small MLP loss's Hessian", () => {
    const s = new NormalStream(21);
    const mk = (shape: number[], scale: number) =>
      np.array(
        s.normals(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale),
        { shape, dtype: "float64" },
      );
    type P = { w1: Array; b1: Array; w2: Array; b2: Array };
    const params: P = { w1: mk([3, 5], 0.7), b1: mk([5], 0.1), w2: mk([5, 1], 0.7), b2: mk([1], 0.1) };
    const x = mk([8, 3], 1);
    const y = mk([8, 1], 1);
    const loss = (p: P): Array =>
      np
        .matmul(np.tanh(np.matmul(x, p.w1).add(p.b1)), p.w2)
        .add(p.b2)
        .sub(y)
        .square()
        .mean();
    const exact = eighJacobi(denseHessian(loss, params)).values; // ascending, 26 values
    const n = exact.length;
    expect(n).toBe(26);
    const lz = topHessianEigenvalues(loss, params, { k: 3 });
    close(lz.eigenvalues, desc(exact).slice(0, 3), 1e-7);
    close(smallestHessianEigenvalues(loss, params, { k: 2 }).eigenvalues, exact.slice(0, 2), 1e-7);
    const pw = topHessianEigenvalues(loss, params, { k: 2, method: "power", tol: 1e-10 });
    close(pw.eigenvalues, desc(exact).slice(0, 2), 1e-6);
    const ex = hessianExtremes(loss, params);
    close([ex.max, ex.min], [exact[n - 1]!, exact[0]!], 1e-7);
  });

  it("float32 params give float32-accurate answers", () => {
    const diag = [8, 4, 2, 1];
    const f = (x: Array) => x.square().mul(np.array(diag)).sum().div(2);
    for (const method of METHODS) {
      close(topHessianEigenvalues(f, np.array([1, 1, 1, 1]), { k: 2, method }).eigenvalues, [8, 4], 1e-4);
      close(smallestHessianEigenvalues(f, np.array([1, 1, 1, 1]), { k: 1, method }).eigenvalues, [1], 1e-4);
    }
    const r = topHessianEigenvalues(f, np.array([1, 1, 1, 1]), { eigenvectors: true });
    expect(r.eigenvectors?.[0]?.dtype).toBe("float32");
  });

  it("is deterministic per seed and per key", () => {
    const f = quadratic(withSpectrum([5, 4, 3, 2, 1, 0.5, 0.25, 0.1], 2));
    const x = point(8);
    const a = topHessianEigenvalues(f, x, { k: 2, iters: 4, seed: 3 });
    const b = topHessianEigenvalues(f, x, { k: 2, iters: 4, seed: 3 });
    const c = topHessianEigenvalues(f, x, { k: 2, iters: 4, seed: 4 });
    expect(a.eigenvalues).toEqual(b.eigenvalues);
    expect(a.eigenvalues).not.toEqual(c.eigenvalues); // 4 Krylov steps of 8: not exact, so the start matters
    expect(a.converged).toBe(false);
    const key = random.key(42);
    const k1 = topHessianEigenvalues(f, x, { k: 2, iters: 4, key });
    const k2 = topHessianEigenvalues(f, x, { k: 2, iters: 4, key });
    expect(k1.eigenvalues).toEqual(k2.eigenvalues);
    close(topHessianEigenvalues(f, x, { k: 2, key }).eigenvalues, [5, 4]);
    // seed s means random.key(s)
    expect(topHessianEigenvalues(f, x, { k: 2, iters: 4, seed: 42 }).eigenvalues).toEqual(k1.eigenvalues);
    expect(() => topHessianEigenvalues(f, x, { key: np.array([1, 2]) })).toThrow(/uint32\[2\] array from random.key/);
  });

  it("stops early once converged (Lanczos uses far fewer HVPs than parameters on a big diagonal)", () => {
    const n = 400;
    const diag = Array.from({ length: n }, (_, i) => (i < 3 ? 100 - 10 * i : 1 + i / n));
    const f = (x: Array) => x.square().mul(f64(diag)).sum().div(2);
    const r = topHessianEigenvalues(f, point(n), { k: 3 });
    close(r.eigenvalues, [100, 90, 80]);
    expect(r.converged).toBe(true);
    expect(r.hvps).toBeLessThan(60);
  });

  it("rejects bad options with clear errors", () => {
    const f = (x: Array) => x.square().sum();
    const x = point(3);
    const bad = (opts: unknown) => () => topHessianEigenvalues(f, x, opts as HessianEigenOptions);
    expect(bad({ k: 4 })).toThrow(/k = 4 is larger than the number of parameters \(3\)/);
    expect(() => smallestHessianEigenvalues(f, x, { k: 5, method: "power" })).toThrow(
      /larger than the number of parameters/,
    );
    expect(bad({ k: 0 })).toThrow(/k must be a positive integer/);
    expect(bad({ k: 1.5 })).toThrow(/k must be a positive integer/);
    expect(bad({ method: "arnoldi" })).toThrow(/method must be "lanczos" or "power"/);
    expect(bad({ iters: 0 })).toThrow(/iters must be a positive integer/);
    expect(bad({ k: 3, iters: 2 })).toThrow(/iters >= k/);
    expect(bad({ tol: -1 })).toThrow(/tol must be a positive finite number/);
    expect(bad({ tol: NaN })).toThrow(/tol/);
    expect(bad({ iterations: 10 })).toThrow(/unknown option 'iterations'/);
    expect(bad({ seed: 1, key: random.key(1) })).toThrow(/either key or seed/);
    expect(bad({ seed: 0.5 })).toThrow(/seed must be a finite integer/);
    expect(bad({ eigenvectors: "yes" })).toThrow(/eigenvectors must be a boolean/);
    expect(bad(null)).toThrow(/options must be an object/);
    expect(() => topHessianEigenvalues(f, {} as unknown as Array)).toThrow(/no parameters/);
    expect(() => topHessianEigenvalues(f, np.array([1, 2], { dtype: "int32" }))).toThrow(/dtype int32/);
    expect(() => topHessianEigenvalues("f" as unknown as typeof f, x)).toThrow(/must be a function/);
    expect(() => topHessianEigenvalues((p: Array) => p.sum().square().mul(NaN), x)).toThrow(/NaN or infinite/);
  });
});
