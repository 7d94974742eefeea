import { describe, it, expect } from "vitest";
import { np } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import {
  coarseToFine,
  formatTable,
  gridPoints,
  gridSearch,
  randomSearch,
  sampleSpace,
  type RandomSpace,
} from "../../src/train/index.js";

type Array = np.Array;

/** A validation-loss stand-in: a parabola in log10(lr) with its minimum at lr = 10^c. */
/** The [lo, hi] range of hyperparameter `k` in a stage's search space; fails clearly when it is missing. */
function rangeOf(space: Readonly<Record<string, unknown>>, k: string): [number, number] {
  const d = space[k];
  if (d === null || typeof d !== "object") throw new Error(`the stage space has no distribution for ${k}`);
  return Object.values(d)[0] as [number, number];
}

const logParabola = (lr: number, c = -3.3) => (Math.log10(lr) - c) ** 2;

describe("gridSearch", () => {
  it("evaluates every combination and sorts best first", () => {
    const calls: unknown[] = [];
    const res = gridSearch({ lr: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1], hidden: [16, 32] }, (hp) => {
      calls.push(hp);
      return logParabola(hp.lr, -3) + (hp.hidden === 32 ? 0 : 0.5);
    });
    expect(calls.length).toBe(10);
    expect(res.length).toBe(10);
    expect(res[0]!.params).toEqual({ lr: 1e-3, hidden: 32 });
    expect(res[0]!.score).toBeCloseTo(0);
    for (let i = 1; i < res.length; i++) expect(res[i]!.score).toBeGreaterThanOrEqual(res[i - 1]!.score);
    expect(res[0]!.scores).toBeUndefined();
  });

  it("mode max, array scores, ties in evaluation order, NaN last", () => {
    const res = gridSearch({ a: [1, 2, 3, 4] }, ({ a }) => (a === 2 ? NaN : a === 4 ? np.array(10) : 5), {
      mode: "max",
    });
    expect(res.map((r) => r.params.a)).toEqual([4, 1, 3, 2]);
    expect(res[0]!.score).toBe(10);
  });

  it("gridPoints enumerates the product, last key fastest", () => {
    expect(gridPoints({ a: [1, 2], b: ["x", "y", "z"] })).toEqual([
      { a: 1, b: "x" },
      { a: 1, b: "y" },
      { a: 1, b: "z" },
      { a: 2, b: "x" },
      { a: 2, b: "y" },
      { a: 2, b: "z" },
    ]);
  });

  it("k-fold cross-validation: evaluate per fold on train/val data, scores averaged", () => {
    const n = 10;
    const data = { v: np.arange(n) };
    const seen: number[][] = [];
    const res = gridSearch(
      { scale: [1, 2] },
      (hp, tr: { v: Array }, va: { v: Array }, fold) => {
        const t = Array.from(tr.v.dataSync(), Number);
        const v = Array.from(va.v.dataSync(), Number);
        expect(t.length + v.length).toBe(n);
        expect(fold).toBeGreaterThanOrEqual(0);
        if (hp.scale === 1) seen.push(v);
        return hp.scale * (v.reduce((a, b) => a + b, 0) / v.length);
      },
      { kFold: 3, data },
    );
    // The validation folds partition the data (unshuffled without a key).
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const r1 = res.find((r) => r.params.scale === 1);
    expect(r1?.scores).toEqual([1.5, 5, 8]);
    expect(r1?.score).toBeCloseTo((1.5 + 5 + 8) / 3);
    expect(res[0]!.params.scale).toBe(1);
    // With a key the folds are shuffled (the same folds for every configuration).
    const folds: string[] = [];
    gridSearch(
      { s: [1, 2] },
      (_hp, _tr: { v: Array }, va: { v: Array }) => (folds.push(JSON.stringify(va.v.tolist())), 0),
      { kFold: 2, data, key: random.key(3) },
    );
    expect(folds.slice(0, 2)).toEqual(folds.slice(2, 4));
    expect(folds[0]).not.toBe(JSON.stringify([0, 1, 2, 3, 4]));
  });

  it("errors", () => {
    expect(() => gridSearch({ a: [] }, () => 0)).toThrow(/"a" has no candidate values/);
    expect(() => gridSearch({}, () => 0)).toThrow(/no hyperparameters/);
    expect(() => gridSearch({ a: [1] }, () => 0, { mode: "best" as "min" })).toThrow(/mode must be "min" or "max"/);
    expect(() => gridSearch({ a: [1] }, () => Promise.resolve(1) as unknown as number)).toThrow(/must be synchronous/);
    expect(() => gridSearch({ a: [1] }, () => "x" as unknown as number)).toThrow(/must return a number/);
    expect(() => gridSearch({ a: [1] }, () => np.zeros([2]))).toThrow(/scalar score/);
    const data = { v: np.arange(3) };
    expect(() => gridSearch({ a: [1] }, (_h, _t: unknown, _v: unknown) => 0, { kFold: 1, data })).toThrow(
      /k must be at least 2/,
    );
    expect(() => gridSearch({ a: [1] }, (_h, _t: unknown, _v: unknown) => 0, { kFold: 4, data })).toThrow(
      /more than the 3 examples/,
    );
    expect(() =>
      gridSearch({ a: [1] }, (_h, _t: unknown, _v: unknown) => 0, {
        kFold: 2,
        data: undefined as unknown as { v: Array },
      }),
    ).toThrow(/kFold needs the data/);
  });
});

describe("sampleSpace and randomSearch", () => {
  it("log-uniform samples stay in range and are uniform in log space", () => {
    const n = 3000;
    const s = sampleSpace({ lr: { logUniform: [1e-6, 1] } }, n, random.key(0)).map((p) => p.lr);
    for (const v of s) {
      expect(v).toBeGreaterThanOrEqual(1e-6);
      expect(v).toBeLessThanOrEqual(1);
    }
    const logs = s.map(Math.log10);
    // Each of the 6 decades gets about 1/6 of the samples (binomial sd ≈ 0.0068).
    const counts = [0, 0, 0, 0, 0, 0];
    for (const l of logs) counts[Math.min(5, Math.floor(l + 6))]!++;
    for (const c of counts) expect(Math.abs(c / n - 1 / 6)).toBeLessThan(0.035);
    // Kolmogorov–Smirnov distance to Uniform(-6, 0) in log space (critical value at 1%: 1.63 / sqrt(n) ≈ 0.03).
    const sorted = [...logs].sort((a, b) => a - b);
    const ks = Math.max(
      ...sorted.map((l, i) => Math.max(Math.abs((i + 1) / n - (l + 6) / 6), Math.abs(i / n - (l + 6) / 6))),
    );
    expect(ks).toBeLessThan(0.03);
    // A linear-uniform sample of the same range would put ~all mass in the top decade.
    const lin = sampleSpace({ lr: { uniform: [1e-6, 1] } }, 500, random.key(0)).filter((p) => p.lr < 0.1).length;
    expect(lin).toBeLessThan(100);
  });

  it("samples every kind of dimension within its range, deterministically", () => {
    const space = {
      lr: { logUniform: [1e-4, 1e-1] },
      drop: { uniform: [0, 0.5] },
      layers: { int: [1, 3] },
      act: { choice: ["relu", "tanh"] },
    } as const;
    const pts = sampleSpace(space, 300, random.key(1));
    const layers = new Set<number>();
    const acts = new Set<string>();
    for (const p of pts) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect(p.drop).toBeGreaterThanOrEqual(0);
      expect(p.drop).toBeLessThan(0.5);
      expect(Number.isInteger(p.layers)).toBe(true);
      layers.add(p.layers);
      acts.add(p.act);
    }
    expect([...layers].sort()).toEqual([1, 2, 3]);
    expect([...acts].sort()).toEqual(["relu", "tanh"]);
    expect(sampleSpace(space, 300, random.key(1))).toEqual(pts);
    expect(sampleSpace(space, 5, random.key(2))).not.toEqual(pts.slice(0, 5));
    expect(sampleSpace(space, 5, 1)).toEqual(pts.slice(0, 5)); // an integer seed is random.key(seed)
  });

  it("finds the optimum of a 2-D function", () => {
    const evals: number[] = [];
    const res = randomSearch(
      { lr: { logUniform: [1e-6, 1] }, wd: { uniform: [0, 1] } },
      200,
      ({ lr, wd }) => {
        const v = logParabola(lr, -3.3) + 4 * (wd - 0.3) ** 2;
        evals.push(v);
        return v;
      },
      { key: random.key(4) },
    );
    expect(res.length).toBe(200);
    expect(evals.length).toBe(200);
    expect(Math.abs(Math.log10(res[0]!.params.lr) + 3.3)).toBeLessThan(0.3);
    expect(Math.abs(res[0]!.params.wd - 0.3)).toBeLessThan(0.15);
    expect(res[0]!.score).toBe(Math.min(...evals));
  });

  it("cross-validates random configurations on shared folds", () => {
    const data = { v: np.arange(12) };
    let calls = 0;
    const res = randomSearch(
      { c: { uniform: [0, 1] } },
      4,
      (hp, _tr: { v: Array }, va: { v: Array }) => {
        calls++;
        return hp.c * va.v.shape[0]!;
      },
      { key: 0, kFold: 3, data },
    );
    expect(calls).toBe(12);
    for (const r of res) {
      expect(r.scores).toHaveLength(3);
      expect(r.score).toBeCloseTo(r.params.c * 4);
    }
  });

  it("errors", () => {
    const f = () => 0;
    expect(() => sampleSpace({ lr: { logUniform: [0, 1] } }, 2, 0)).toThrow(/"lr": logUniform needs lo > 0/);
    expect(() => sampleSpace({ lr: { logUniform: [1, 0.1] } }, 2, 0)).toThrow(/lo < hi/);
    expect(() => sampleSpace({ a: { uniform: [1, 1] } }, 2, 0)).toThrow(/uniform needs lo < hi/);
    expect(() => sampleSpace({ a: { int: [1.5, 3] } }, 2, 0)).toThrow(/int needs integer bounds/);
    expect(() => sampleSpace({ a: { choice: [] } }, 2, 0)).toThrow(/non-empty list/);
    expect(() => sampleSpace({ a: { normal: [0, 1] } } as unknown as RandomSpace, 2, 0)).toThrow(
      /unknown distribution/,
    );
    expect(() => sampleSpace({ a: { uniform: [0, 1], int: [0, 1] } } as unknown as RandomSpace, 2, 0)).toThrow(
      /exactly one/,
    );
    expect(() => sampleSpace({ a: { uniform: [0, Infinity] } }, 2, 0)).toThrow(/finite numbers/);
    expect(() => randomSearch({ a: { uniform: [0, 1] } }, 0, f, { key: 0 })).toThrow(/n must be an integer >= 1/);
    expect(() => randomSearch({ a: { uniform: [0, 1] } }, 3, f, {} as { key: number })).toThrow(/PRNG key is required/);
    expect(() => randomSearch({}, 3, f, { key: 0 })).toThrow(/no hyperparameters/);
  });
});

describe("coarseToFine", () => {
  it("reproduces the two-stage log-scale recipe with grids", () => {
    const res = coarseToFine({ lr: [1e-5, 1e-1] }, ({ lr }) => logParabola(lr, -3.4), {
      coarse: 5,
      fine: 4,
      keepTop: 2,
      method: "grid",
    });
    // Stage 1: 1e-5, 1e-4, 1e-3, 1e-2, 1e-1; the best two (1e-3, 1e-4) bound stage 2.
    const coarse = res
      .filter((r) => r.stage === "coarse")
      .map((r) => r.params.lr)
      .sort((a, b) => a - b);
    expect(coarse).toEqual([1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    expect(res.spaces[0]).toEqual({ lr: { logUniform: [1e-5, 1e-1] } });
    expect(res.spaces[1]).toEqual({ lr: { logUniform: [1e-4, 1e-3] } });
    const fine = res
      .filter((r) => r.stage === "fine")
      .map((r) => r.params.lr)
      .sort((a, b) => a - b);
    expect(fine.length).toBe(4);
    expect(fine[0]).toBeCloseTo(1e-4, 12);
    expect(fine[3]).toBeCloseTo(1e-3, 12);
    // Log-spaced: equal ratios between neighbours.
    expect(fine[1]! / fine[0]!).toBeCloseTo(fine[2]! / fine[1]!, 6);
    expect(res[0]!.stage).toBe("fine");
    expect(Math.abs(Math.log10(res[0]!.params.lr) + 3.4)).toBeLessThan(0.2);
    expect(res.length).toBe(9);
  });

  it("random sampling narrows around the best results and improves on the coarse stage (2-D)", () => {
    const f = ({ lr, mom }: { lr: number; mom: number }) => logParabola(lr, -2.7) + 10 * (mom - 0.85) ** 2;
    const res = coarseToFine({ lr: { logUniform: [1e-6, 1] }, mom: { uniform: [0, 1] } }, f, {
      coarse: 30,
      fine: 30,
      keepTop: 5,
      key: random.key(7),
      rounds: 2,
    });
    expect(res.length).toBe(90);
    expect(res.spaces.length).toBe(3);
    const bestOf = (stage: string) => Math.min(...res.filter((r) => r.stage === stage).map((r) => r.score));
    expect(bestOf("fine")).toBeLessThanOrEqual(bestOf("coarse"));
    expect(res[0]!.score).toBeLessThan(0.05);
    // Each stage's ranges shrink and stay within the previous ones; the optimum stays inside.
    for (let s = 1; s < res.spaces.length; s++) {
      const prev = res.spaces[s - 1]!;
      const cur = res.spaces[s]!;
      for (const k of ["lr", "mom"]) {
        const [plo, phi] = rangeOf(prev, k);
        const [lo, hi] = rangeOf(cur, k);
        expect(lo).toBeGreaterThanOrEqual(plo);
        expect(hi).toBeLessThanOrEqual(phi);
        expect(hi - lo).toBeLessThan(phi - plo);
      }
    }
    const [lo, hi] = (res.spaces[1]!.lr as { logUniform: [number, number] }).logUniform;
    expect(lo).toBeLessThan(10 ** -2.7);
    expect(hi).toBeGreaterThan(10 ** -2.7);
    // Fine samples lie in the narrowed ranges.
    for (const r of res.filter((r) => r.round === 1)) {
      expect(r.params.lr).toBeGreaterThanOrEqual(lo);
      expect(r.params.lr).toBeLessThanOrEqual(hi);
    }
  });

  it("keeps choice values of the best results; mode max; cross-validation", () => {
    const data = { v: np.arange(6) };
    const res = coarseToFine(
      { lr: { logUniform: [1e-4, 1] }, act: { choice: ["a", "b", "c"] } },
      (hp, _tr: { v: Array }, va: { v: Array }) =>
        -logParabola(hp.lr, -2) - (hp.act === "b" ? 0 : 5) + 0 * va.v.shape[0]!,
      { coarse: 20, fine: 10, keepTop: 3, key: 1, mode: "max", kFold: 2, data },
    );
    expect((res.spaces[1]!.act as { choice: string[] }).choice).toEqual(["b"]);
    expect(res[0]!.params.act).toBe("b");
    expect(res[0]?.scores).toHaveLength(2);
    expect(res.filter((r) => r.stage === "fine").every((r) => r.params.act === "b")).toBe(true);
  });

  it("errors", () => {
    const f = () => 0;
    expect(() => coarseToFine({ lr: [1e-3, 1] }, f, { coarse: 0, fine: 2, key: 0 })).toThrow(
      /coarse must be an integer >= 1/,
    );
    expect(() => coarseToFine({ lr: [1e-3, 1] }, f, { coarse: 3, fine: 2 })).toThrow(/PRNG key is required/);
    expect(() => coarseToFine({ lr: [0, 1] }, f, { coarse: 3, fine: 2, key: 0 })).toThrow(/logUniform needs lo > 0/);
    expect(() => coarseToFine({ lr: [1e-3, 1] }, () => NaN, { coarse: 3, fine: 2, key: 0 })).toThrow(
      /every score of the coarse stage is NaN/,
    );
    expect(() => coarseToFine({ lr: [1e-3, 1] }, f, { coarse: 3, fine: 2, key: 0, method: "sobol" as "grid" })).toThrow(
      /method must be/,
    );
  });
});

describe("formatTable", () => {
  it("prints rank, hyperparameters and score, best first", () => {
    const res = gridSearch({ lr: [0.1, 0.01], act: ["relu"] }, ({ lr }) => lr);
    const t = formatTable(res);
    const lines = t.split("\n");
    expect(lines[0]).toMatch(/^#\s+lr\s+act\s+score$/);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    expect(lines[2]).toMatch(/^1\s+0\.01\s+relu\s+0\.01$/);
    expect(lines[3]).toMatch(/^2\s+0\.1\s+relu\s+0\.1$/);
    expect(formatTable(res, { maxRows: 1 }).split("\n").slice(-1)[0]).toBe("(1 more)");
    const cv = gridSearch({ a: [1] }, (_h, _t: unknown, v: { v: Array }) => v.v.shape[0]!, {
      kFold: 2,
      data: { v: np.arange(3) },
    });
    expect(formatTable(cv).split("\n")[0]).toContain("± folds");
    const c2f = coarseToFine({ lr: [1e-3, 1] }, ({ lr }) => lr, { coarse: 3, fine: 2, method: "grid" });
    expect(formatTable(c2f).split("\n")[0]).toMatch(/stage$/);
  });
});
