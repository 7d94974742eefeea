/**
 * qr / eigh / svd / lstsq / pinv / matrixRank / cond: algebraic identities in float32 and float64,
 * composition with jit, vmap and grad, degenerate inputs, and input errors.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, np, vmap, type Array } from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";
import { maxAbsDiff } from "./linalg-decomposition-data.js";
import { eighJacobi } from "../../src/curvature/host-linalg.js";

type Float = "float32" | "float64";
/**
 * A deterministic m×n matrix with entries sin(seed (k + 1)² / 7 + k) over the flat index k: generic
 * (full rank, distinct σ). A sine of a linear function of k would not do: sin(a_i + b_j) has rank 2.
 */
const mat = (m: number, n: number, dtype: Float, seed = 1): Array =>
  np.array(
    globalThis.Array.from({ length: m * n }, (_, k) => Math.sin((seed * (k + 1) ** 2) / 7 + k)),
    { shape: [m, n], dtype },
  );
const sym = (n: number, dtype: Float, seed = 1): Array => {
  const a = mat(n, n, dtype, seed);
  return a.add(a.T);
};
const eye = (n: number, dtype: Float): Array => np.eye(n, n, { dtype });
const tolFor = (dtype: Float): number => (dtype === "float32" ? 2e-5 : 1e-13);

describe.each(["float32", "float64"] as const)("identities (%s)", (dtype) => {
  const tol = tolFor(dtype);
  it.each([
    [5, 3],
    [3, 5],
    [4, 4],
    [11, 9],
  ])("qr of a %ix%i matrix: Q orthonormal, R upper triangular, Q R = a, in every mode", (m, n) => {
    const a = mat(m, n, dtype);
    const k = Math.min(m, n);
    for (const mode of ["reduced", "complete"] as const) {
      const { Q, R } = np.linalg.qr(a, { mode });
      const cols = mode === "complete" ? m : k;
      expect([Q.shape, R.shape, Q.dtype]).toEqual([[m, cols], [cols, n], dtype]);
      expect(maxAbsDiff(np.matmul(Q.T, Q), eye(cols, dtype))).toBeLessThan(tol * 10);
      expect(maxAbsDiff(np.tril(R, -1), np.zeros(R.shape, { dtype }))).toBe(0);
      expect(maxAbsDiff(np.matmul(Q, R), a)).toBeLessThan(tol * 10);
    }
    expect(maxAbsDiff(np.linalg.qr(a, { mode: "r" }), np.linalg.qr(a).R)).toBe(0);
  });
  it.each([1, 2, 3, 6, 9, 16])(
    "eigh of a symmetric n×n matrix (n = %i): V orthogonal, V diag(λ) Vᵀ = a, λ ascending",
    (n) => {
      const a = sym(n, dtype);
      const { eigenvalues: w, eigenvectors: V } = np.linalg.eigh(a);
      const scale = np.max(np.abs(a)).item();
      expect(maxAbsDiff(np.matmul(V.T, V), eye(n, dtype))).toBeLessThan(tol * 10 * n);
      expect(maxAbsDiff(np.matmul(V.mul(np.expandDims(w, -2)), V.T), a) / scale).toBeLessThan(tol * 10 * n);
      const ws = flat(w);
      expect(ws).toEqual([...ws].sort((x, y) => x - y));
      expectClose(np.linalg.eigvalsh(a), ws, 0);
    },
  );
  it.each([
    [6, 4],
    [4, 6],
    [5, 5],
    [1, 1],
    [16, 10],
  ])("svd of a %ix%i matrix: U, Vh orthonormal (also full), U diag(S) Vh = a, S descending ≥ 0", (m, n) => {
    const a = mat(m, n, dtype, 2);
    const { U, S, Vh } = np.linalg.svd(a, { fullMatrices: false });
    const k = Math.min(m, n);
    expect(maxAbsDiff(np.matmul(U.T, U), eye(k, dtype))).toBeLessThan(tol * 10 * k);
    expect(maxAbsDiff(np.matmul(Vh, Vh.T), eye(k, dtype))).toBeLessThan(tol * 10 * k);
    expect(maxAbsDiff(np.matmul(U.mul(np.expandDims(S, -2)), Vh), a)).toBeLessThan(tol * 10 * k);
    const s = flat(S);
    expect(s).toEqual([...s].sort((x, y) => y - x));
    expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
    const full = np.linalg.svd(a);
    expect([full.U.shape, full.Vh.shape]).toEqual([
      [m, m],
      [n, n],
    ]);
    expect(maxAbsDiff(np.matmul(full.U.T, full.U), eye(m, dtype))).toBeLessThan(tol * 10 * m);
    expect(maxAbsDiff(np.matmul(full.Vh, full.Vh.T), eye(n, dtype))).toBeLessThan(tol * 10 * n);
    expect(maxAbsDiff(np.linalg.svd(a, { computeUv: false }), S)).toBe(0);
  });
  it("pinv satisfies the Moore–Penrose conditions; lstsq of a full-rank square system is solve", () => {
    const a = mat(5, 3, dtype, 3);
    const p = np.linalg.pinv(a);
    expect(maxAbsDiff(np.matmul(np.matmul(a, p), a), a)).toBeLessThan(tol * 20);
    expect(maxAbsDiff(np.matmul(np.matmul(p, a), p), p)).toBeLessThan(tol * 20);
    const ap = np.matmul(a, p);
    expect(maxAbsDiff(ap, ap.T)).toBeLessThan(tol * 20);
    const sq = mat(4, 4, dtype, 5).add(eye(4, dtype).mul(3));
    const b = np.array([1, 2, 3, 4], { dtype });
    expect(maxAbsDiff(np.linalg.lstsq(sq, b).solution, np.linalg.solve(sq, b))).toBeLessThan(tol * 100);
    expect(np.linalg.lstsq(sq, b).rank.item()).toBe(4);
  });
});

describe("independent cross-check", () => {
  it("eigh agrees with the host-side cyclic Jacobi of src/curvature (plain JS numbers)", () => {
    const a = sym(7, "float64", 3);
    const rows = a.tolist() as number[][];
    const host = eighJacobi(rows);
    const { eigenvalues, eigenvectors } = np.linalg.eigh(a);
    expectClose(eigenvalues, host.values, 1e-12);
    // host.vectors[i] is the i-th eigenvector: compare |⟨v_i, host_i⟩| = 1.
    const V = eigenvectors.T.tolist() as number[][];
    host.vectors.forEach((hv, i) => {
      const dot = hv.reduce((acc, x, r) => acc + x * V[i]![r]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 12);
    });
  });
});

describe("degenerate inputs", () => {
  it("eigh of a matrix with a repeated eigenvalue: eigenvalues exact, eigvalsh's gradient finite", () => {
    const a = np.array(
      [
        [2, 0, 0],
        [0, 2, 0],
        [0, 0, 5],
      ],
      { dtype: "float64" },
    );
    expectClose(np.linalg.eigh(a).eigenvalues, [2, 2, 5], 1e-15);
    const g = grad((x: Array) => np.sum(np.linalg.eigvalsh(x).mul(np.array([1, 2, 3], { dtype: "float64" }))))(a);
    expect(flat(g).every(Number.isFinite)).toBe(true);
    // The sum of eigenvalues is the trace: its gradient is I whatever the degeneracy.
    expectClose(grad((x: Array) => np.sum(np.linalg.eigvalsh(x)))(a), flat(np.eye(3)), 1e-14);
  });
  it("svd of a zero and a rank-1 matrix: orthonormal U and Vh still, zero singular values", () => {
    const rank1 = np.outer(np.arange(1, 5), np.arange(1, 4)).astype("float64");
    for (const [a, rank] of [
      [np.zeros([4, 3], { dtype: "float64" }), 0],
      [rank1, 1],
    ] as const) {
      const { U, S, Vh } = np.linalg.svd(a);
      expect(maxAbsDiff(np.matmul(U.T, U), np.eye(4))).toBeLessThan(1e-14);
      expect(maxAbsDiff(np.matmul(Vh, Vh.T), np.eye(3))).toBeLessThan(1e-14);
      expect(flat(S).slice(1)).toEqual([0, 0].map((z) => expect.closeTo(z, 12)));
      expect(np.linalg.matrixRank(a).item()).toBe(rank);
    }
  });
  it("lstsq and pinv drop zero singular values (minimum-norm solution); cond of a singular matrix is ∞", () => {
    const a = np.array(
      [
        [1, 0],
        [0, 0],
      ],
      { dtype: "float64" },
    );
    const { solution, rank } = np.linalg.lstsq(a, np.array([2, 3], { dtype: "float64" }));
    expectClose(solution, [2, 0], 1e-15);
    expect(rank.item()).toBe(1);
    expectClose(np.linalg.pinv(a), [1, 0, 0, 0], 1e-15);
    expect(np.linalg.cond(a).item()).toBe(Infinity);
    expect(np.linalg.cond(a, 1).item()).toBe(Infinity);
  });
});

describe("composition with jit, vmap and grad", () => {
  // Built inside each test, so the file loads without float64 arrays (WebGPU has none).
  const symStack = (): Array => np.stack([sym(4, "float64", 1), sym(4, "float64", 2), sym(4, "float64", 3)]);
  it("vmap and a batched stack agree with one-by-one results; jit agrees with eager", () => {
    const stack = symStack();
    const byVmap = vmap((m: Array) => np.linalg.eigvalsh(m))(stack);
    expect(maxAbsDiff(byVmap, np.linalg.eigvalsh(stack))).toBeLessThan(1e-13);
    expect(maxAbsDiff(np.linalg.eigvalsh(stack).get(1), np.linalg.eigvalsh(stack.get(1)))).toBeLessThan(1e-13);
    const sv = vmap((m: Array) => np.linalg.svd(m, { computeUv: false }))(stack);
    expect(maxAbsDiff(sv, np.linalg.svd(stack, { computeUv: false }))).toBeLessThan(1e-13);
    const r = vmap((m: Array) => np.linalg.qr(m, { mode: "r" }))(stack);
    expect(maxAbsDiff(r, np.linalg.qr(stack, { mode: "r" }))).toBeLessThan(1e-13);
    const pj = jit((m: Array) => np.linalg.pinv(m))(stack);
    expect(maxAbsDiff(pj, np.linalg.pinv(stack))).toBeLessThan(1e-12);
  });
  it("grad under jit and vmap of grad match eager grad (eigh, svd, qr objectives)", () => {
    const stack = symStack();
    const f = (m: Array): Array => {
      const { eigenvalues, eigenvectors } = np.linalg.eigh(m);
      const { S } = np.linalg.svd(m, { fullMatrices: false });
      const { R } = np.linalg.qr(m);
      return np
        .sum(np.square(eigenvalues))
        .add(np.sum(np.square(eigenvectors).mul(np.arange(4))))
        .add(np.sum(S))
        .add(np.sum(np.square(R)));
    };
    const eager = grad(f)(stack.get(0));
    expect(maxAbsDiff(jit(grad(f))(stack.get(0)), eager)).toBeLessThan(1e-11);
    expect(maxAbsDiff(vmap(grad(f))(stack).get(0), eager)).toBeLessThan(1e-11);
  });
  it("the eigenvalue derivative matches a central finite difference, and jvp is linear", () => {
    const a = sym(5, "float64", 4);
    const d = sym(5, "float64", 7);
    const f = (m: Array): Array => np.linalg.eigvalsh(m);
    const h = 1e-6;
    const fd = f(a.add(d.mul(h)))
      .sub(f(a.sub(d.mul(h))))
      .div(2 * h);
    const [, t] = jvp(f, [a], [d]);
    expect(maxAbsDiff(t, fd)).toBeLessThan(1e-7);
    const [, t2] = jvp(f, [a], [d.mul(2)]);
    expect(maxAbsDiff(t2, t.mul(2))).toBeLessThan(1e-12);
  });
  it("second derivatives: hessian-vector products of Σλ² are 2·d (Σλ² = ‖a‖²_F)", () => {
    const a = sym(4, "float64", 2);
    const d = sym(4, "float64", 9);
    const g = (m: Array): Array => grad((x: Array) => np.sum(np.square(np.linalg.eigvalsh(x))))(m);
    const [, hv] = jvp(g, [a], [d]);
    expect(maxAbsDiff(hv, d.mul(2))).toBeLessThan(1e-10);
    const gs = (m: Array): Array => grad((x: Array) => np.sum(np.square(np.linalg.svd(x, { computeUv: false }))))(m);
    const [, hs] = jvp(gs, [mat(4, 3, "float64")], [mat(4, 3, "float64", 3)]);
    expect(maxAbsDiff(hs, mat(4, 3, "float64", 3).mul(2))).toBeLessThan(1e-10);
  });
  it("second derivatives follow the rule even where the Householder loop branches (QR of [[4], [0]])", () => {
    // At an exactly-triangular input the reflector is the identity (a branch); differentiating the
    // loop there would miss dQ's own derivative. The rule gives the second derivative of q = a / |a|.
    const a = np.array([[4], [0]], { dtype: "float64" });
    const d = np.array([[0.6], [0.8]], { dtype: "float64" });
    const q = (m: Array): Array => {
      const { Q, R } = np.linalg.qr(m);
      return Q.mul(np.sign(np.diagonal(R)));
    };
    const dq = (m: Array): Array => jvp(q, [m], [d])[1] as Array;
    // q(t) = (4 + 0.6t, 0.8t) / |·|: second derivative (-0.04, -0.06) at t = 0 (by hand).
    expectClose(jvp(dq, [a], [d])[1] as Array, [-0.04, -0.06], 1e-14);
  });
  it("qr complete of a tall matrix is differentiated through its Householder loop (Q R = a holds to first order)", () => {
    const a = mat(5, 3, "float64");
    const d = mat(5, 3, "float64", 6);
    const [, [dQ, dR]] = jvp(
      (m: Array) => {
        const { Q, R } = np.linalg.qr(m, { mode: "complete" });
        return [Q, R] as [Array, Array];
      },
      [a],
      [d],
    ) as [unknown, [Array, Array]];
    const { Q, R } = np.linalg.qr(a, { mode: "complete" });
    expect(maxAbsDiff(np.matmul(dQ, R).add(np.matmul(Q, dR)), d)).toBeLessThan(1e-12);
    expect(maxAbsDiff(np.matmul(dQ.T, Q).add(np.matmul(Q.T, dQ)), np.zeros([5, 5], { dtype: "float64" }))).toBeLessThan(
      1e-12,
    );
  });
  it("svd with fullMatrices: the extra columns of a non-square U have a NaN tangent (JAX raises there)", () => {
    const [, [dU]] = jvp(
      (m: Array) => {
        const r = np.linalg.svd(m);
        return [r.U, r.S] as [Array, Array];
      },
      [mat(4, 2, "float64")],
      [mat(4, 2, "float64", 3)],
    ) as [unknown, [Array, Array]];
    const cols = np.isnan(dU).any(0);
    expect(flat(cols.astype("int32"))).toEqual([0, 0, 1, 1]);
  });
});

describe("norm 2, -2 and nuc, cond and matrixRank", () => {
  it("norm 2 / -2 / nuc are the largest / smallest / sum of singular values; cond = σ₁/σₙ", () => {
    const a = mat(4, 3, "float64", 2);
    const s = flat(np.linalg.svd(a, { computeUv: false }));
    expectClose(np.linalg.norm(a, 2), s[0]!, 1e-14);
    expectClose(np.linalg.norm(a, -2), s[2]!, 1e-14);
    expectClose(np.linalg.norm(a, "nuc"), s[0]! + s[1]! + s[2]!, 1e-14);
    expectClose(np.linalg.cond(a), s[0]! / s[2]!, 1e-12);
    expectClose(np.linalg.cond(a, -2), s[2]! / s[0]!, 1e-12);
  });
  it("matrixRank: tol (absolute) and rtol (relative to σ₁); 1-D input: nonzero or not", () => {
    const a = np.array(
      [
        [1, 0, 0],
        [0, 1e-3, 0],
      ],
      { dtype: "float64" },
    );
    expect(np.linalg.matrixRank(a).item()).toBe(2);
    expect(np.linalg.matrixRank(a, { tol: 1e-2 }).item()).toBe(1);
    expect(np.linalg.matrixRank(a, { rtol: 1e-4 }).item()).toBe(2);
    expect(np.linalg.matrixRank(a, { rtol: 1e-2 }).item()).toBe(1);
    expect(np.linalg.matrixRank(np.array([0, 0])).item()).toBe(0);
    expect(np.linalg.matrixRank(np.array([0, 3])).item()).toBe(1);
    expect(
      np.linalg
        .matrixRank(
          np.array([
            [2, 1],
            [1, 2],
          ]),
          { hermitian: true },
        )
        .item(),
    ).toBe(2);
  });
});

describe("empty matrices (shapes as JAX)", () => {
  it("qr, eigh, svd, pinv and lstsq of matrices with a zero-length axis", () => {
    const { Q, R } = np.linalg.qr(np.zeros([3, 0]));
    expect([Q.shape, R.shape]).toEqual([
      [3, 0],
      [0, 0],
    ]);
    expect(np.linalg.eigh(np.zeros([0, 0])).eigenvalues.shape).toEqual([0]);
    expect(np.linalg.svd(np.zeros([2, 0]), { computeUv: false }).shape).toEqual([0]);
    expect(np.linalg.pinv(np.zeros([2, 0])).shape).toEqual([0, 2]);
    const r = np.linalg.lstsq(np.zeros([2, 0]), np.ones([2]));
    expect([r.solution.shape, r.rank.item(), flat(r.residuals)]).toEqual([[0], 0, [2]]);
  });
});

describe("input errors and dtypes", () => {
  it("integer inputs promote to float32", () => {
    const a = np.array([
      [2, 1],
      [1, 2],
    ]);
    expect(np.linalg.eigh(a).eigenvalues.dtype).toBe("float32");
    expect(np.linalg.svd(a).S.dtype).toBe("float32");
    expect(np.linalg.qr(a).Q.dtype).toBe("float32");
    expect(np.linalg.pinv(a).dtype).toBe("float32");
    expectClose(np.linalg.eigvalsh(a), [1, 3], 1e-6);
  });
  it("clear errors: non-square eigh, 1-D inputs, bad modes and options, lstsq shapes", () => {
    const v = np.array([1, 2, 3]);
    expect(() => np.linalg.eigh(mat(2, 3, "float32"))).toThrow(/eigh: the matrix must be square.*\[2, 3\]/);
    expect(() => np.linalg.eigvalsh(v)).toThrow(/eigvalsh: .*square/);
    expect(() => np.linalg.qr(v)).toThrow(/qr: the matrix must have at least 2 axes/);
    expect(() => np.linalg.svd(v)).toThrow(/svd: the matrix must have at least 2 axes/);
    expect(() => np.linalg.qr(mat(2, 2, "float32"), { mode: "full" as "r" })).toThrow(/qr: mode must be/);
    expect(() => np.linalg.eigh(mat(2, 2, "float32"), { UPLO: "X" as "L" })).toThrow(/eigh: UPLO must be/);
    expect(() => np.linalg.svd(mat(2, 2, "float32"), { full: true } as object)).toThrow(/svd/);
    expect(() => np.linalg.lstsq(np.zeros([2, 2, 2]), np.zeros([2]))).toThrow(/lstsq: a must be 2-D/);
    expect(() => np.linalg.lstsq(np.zeros([3, 2]), np.zeros([2]))).toThrow(/lstsq: b must be \[3\]/);
    expect(() => np.linalg.pinv(np.zeros([2, 2]), { rtol: 1e-3, rcond: 1e-3 })).toThrow(/pinv: pass rtol or rcond/);
    expect(() => np.linalg.pinv(np.zeros([2, 3]), { hermitian: true })).toThrow(/pinv: .*square/);
    expect(() => np.linalg.cond(np.zeros([2, 3]), 1)).toThrow(/cond: p=1 needs a square matrix/);
    expect(() => np.linalg.norm(np.zeros([2, 3]), 3, [0, 1])).toThrow(/norm: matrix norm ord=3 is not supported/);
  });
});
