/** Both ends of the Hessian's spectrum: `hessianExtremes` and `conditionNumber` on known spectra, and their errors. */
import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import { flatten } from "../../src/tree/index.js";
import { conditionNumber, hessianExtremes } from "../../src/curvature/index.js";
import { close, f64, METHODS, point, quadratic, withSpectrum } from "./_spectra.js";

type Array = np.Array;

describe("hessianExtremes / conditionNumber", () => {
  it.each(METHODS)("known spectra (%s)", (method) => {
    const spectrum = [100, 30, 10, 3, 1];
    const f = quadratic(withSpectrum(spectrum, 12));
    const x = point(5);
    close([conditionNumber(f, x, { method })], [100], 1e-7);
    const ex = hessianExtremes(f, x, { method });
    expect(ex.definiteness).toBe("positive-definite");
    close([ex.max, ex.min], [100, 1]);
    expect(ex.converged).toBe(true);
    // negative definite: κ₂ = |λmin| / |λmax| ≥ 1
    const g = quadratic(withSpectrum([-2, -5, -20], 13));
    const eg = hessianExtremes(g, point(3), { method });
    expect(eg.definiteness).toBe("negative-definite");
    close([eg.conditionNumber], [10]);
    // indefinite: |λmax| / |λmin|
    const h = quadratic(withSpectrum([6, 1, -0.5, -2], 14));
    const eh = hessianExtremes(h, point(4), { method });
    expect(eh.definiteness).toBe("indefinite");
    close([eh.max, eh.min, eh.conditionNumber], [6, -2, 3]);
    // singular (a flat direction): Infinity
    const s = (y: Array) => y.get(0).add(y.get(1)).square().add(y.get(2).square().mul(3));
    const es = hessianExtremes(s, point(3), { method });
    expect(es.definiteness).toBe("positive-semidefinite");
    expect(es.conditionNumber).toBe(Infinity);
    expect(conditionNumber(s, point(3), { method })).toBe(Infinity);
    // zero Hessian (linear loss)
    const lin = (y: Array) => y.sum();
    const el = hessianExtremes(lin, point(3), { method });
    expect(el.definiteness).toBe("zero");
    expect(el.conditionNumber).toBe(Infinity);
  });

  it("singularTol decides what counts as zero", () => {
    const f = (y: Array) =>
      y
        .square()
        .mul(f64([1, 1e-7]))
        .sum();
    const x = point(2);
    close([conditionNumber(f, x)], [1e7], 1e-6);
    expect(conditionNumber(f, x, { singularTol: 1e-6 })).toBe(Infinity);
    expect(() => conditionNumber(f, x, { singularTol: -1 })).toThrow(/singularTol/);
    expect(() => conditionNumber(f, x, { k: 2 } as never)).toThrow(/do not apply/);
  });

  it("works on float32 pytrees", () => {
    const f = (p: { a: Array; b: Array }) =>
      p.a
        .square()
        .mul(np.array([4, 2]))
        .sum()
        .add(p.b.square().mul(0.5).sum());
    const params = { a: np.array([1, 1]), b: np.array([0.5]) };
    close([conditionNumber(f, params)], [8], 1e-4);
    // flatten order check: leaves are a then b
    expect(flatten(params)[0]).toHaveLength(2);
  });
});
