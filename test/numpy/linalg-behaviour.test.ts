/**
 * np.linalg: algebraic identities (float32 and float64), batching and vmap, singular and
 * non-positive-definite inputs (non-finite results, never an exception inside jit), and input errors.
 */
import { describe, expect, it } from "vitest";
import { jit, np, vmap, type Array } from "../../src/index.js";
import { triangularSolve } from "../../src/numpy/linalg/index.js";
import { expectClose, flat } from "../helpers.js";

type Float = "float32" | "float64";
/** A deterministic, well-conditioned n×n matrix (diagonally dominant, not symmetric). */
const general = (n: number, dtype: Float, seed = 1): Array =>
  np.array(
    globalThis.Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 2 * n : Math.sin(seed * (k + 1)))),
    { shape: [n, n], dtype },
  );
const spdOf = (a: Array): Array => np.matmul(a, a.T).add(np.eye(a.shape[0]!, a.shape[0]!, { dtype: a.dtype }));
const tolFor = (dtype: Float): number => (dtype === "float32" ? 1e-4 : 1e-11);

describe.each(["float32", "float64"] as const)("identities (%s)", (dtype) => {
  const A = general(5, dtype);
  const tol = tolFor(dtype);
  it("cholesky: L lower-triangular with L Lᵀ = A, dtype kept", () => {
    const S = spdOf(A);
    const L = np.linalg.cholesky(S);
    expect(L.dtype).toBe(dtype);
    expectClose(np.triu(L, 1), new globalThis.Array(25).fill(0), 0);
    expectClose(np.matmul(L, L.T), flat(S), tol);
  });
  it("solve(A, A x) = x for a vector and a matrix right-hand side", () => {
    const x = np.array([1, -2, 3, 0.5, 4], { dtype });
    expectClose(np.linalg.solve(A, np.matmul(A, x)), flat(x), tol);
    const X = np.stack([x, x.mul(2)], -1);
    expectClose(np.linalg.solve(A, np.matmul(A, X)), flat(X), tol);
  });
  it("inv(A) A = I; det(A B) = det(A) det(B); slogdet agrees with det; matrixPower(A, 2) = A A", () => {
    expectClose(np.matmul(np.linalg.inv(A), A), flat(np.eye(5, 5)), tol);
    const B = general(5, dtype, 2);
    const dAB = np.linalg.det(np.matmul(A, B)).item();
    expect(Math.abs(dAB / np.linalg.det(A).mul(np.linalg.det(B)).item() - 1)).toBeLessThan(tol * 10);
    const { sign, logabsdet } = np.linalg.slogdet(A);
    expectClose(sign.mul(np.exp(logabsdet)), np.linalg.det(A).item(), tol * 10);
    expectClose(np.linalg.matrixPower(A, 2), flat(np.matmul(A, A)), tol);
    expectClose(np.linalg.matrixPower(A, -1), flat(np.linalg.inv(A)), tol);
  });
  it("triangularSolve reads only its triangle", () => {
    const b = np.array([[1], [2], [3], [4], [5]], { dtype });
    const x = triangularSolve(A, b, { leftSide: true, lower: true });
    expectClose(np.matmul(np.tril(A), x), flat(b), tol);
  });
});

describe("batching over leading axes", () => {
  const stack = np.stack([general(3, "float64", 1), general(3, "float64", 2), general(3, "float64", 3)]);
  it("a [2, 3, n, n] stack equals the matrices one by one, and vmap agrees", () => {
    const four = np.reshape(
      np.concatenate([stack, stack.mul(0.5).add(np.eye(3, 3, { dtype: "float64" }))]),
      [2, 3, 3, 3],
    );
    const dets = np.linalg.det(four);
    expect(dets.shape).toEqual([2, 3]);
    const one = np.linalg.det(four.get(1).get(2));
    expectClose(dets.get(1).get(2), one.item(), 1e-12);
    expectClose(vmap((m: Array) => np.linalg.inv(m))(stack), flat(np.linalg.inv(stack)), 1e-12);
    expectClose(
      vmap((m: Array) => np.linalg.cholesky(m))(vmap(spdOf)(stack)),
      flat(np.linalg.cholesky(vmap(spdOf)(stack))),
      1e-12,
    );
  });
  it("solve broadcasts a's batch against b's; vmap with an unbatched right-hand side", () => {
    const b = np.array([[1], [2], [3]], { dtype: "float64" });
    const x = np.linalg.solve(stack, b);
    expect(x.shape).toEqual([3, 3, 1]);
    expectClose(np.matmul(stack, x), flat(np.broadcastTo(b, [3, 3, 1])), 1e-12);
    const v = vmap((m: Array, r: Array) => np.linalg.solve(m, r), { inAxes: [0, null] })(stack, np.squeeze(b, -1));
    expectClose(v, flat(np.squeeze(x, -1)), 1e-12);
  });
});

describe("singular and non-positive-definite inputs give non-finite values, not exceptions", () => {
  const S = np.array(
    [
      [1, 2],
      [2, 4],
    ],
    { dtype: "float64" },
  );
  it("det is 0, slogdet is (0, -inf), solve and inv are non-finite, also under jit", () => {
    expect(Math.abs(np.linalg.det(S).item())).toBe(0); // -0 or 0, as LAPACK-based NumPy/JAX
    const { sign, logabsdet } = np.linalg.slogdet(S);
    expect([Math.abs(sign.item()), logabsdet.item()]).toEqual([0, -Infinity]);
    const solved = jit((a: Array, b: Array) => np.linalg.solve(a, b))(S, np.array([1, 1], { dtype: "float64" }));
    expect(flat(solved).some((v) => !Number.isFinite(v))).toBe(true);
    expect(flat(jit((a: Array) => np.linalg.inv(a))(S)).some((v) => !Number.isFinite(v))).toBe(true);
  });
  it("cholesky of an indefinite matrix holds NaN (test with isfinite)", () => {
    const L = jit((a: Array) => np.linalg.cholesky(a))(
      np.array([
        [1, 2],
        [2, 1],
      ]),
    );
    expect(flat(L).some(Number.isNaN)).toBe(true);
  });
});

describe("norm", () => {
  it("np.norm stays the default (2 / Frobenius) norm of np.linalg.norm", () => {
    const x = np.array([
      [3, -4],
      [1, 2],
    ]);
    expectClose(np.linalg.norm(x), np.norm(x).item(), 1e-6);
    expectClose(np.linalg.norm(x, null, 1), flat(np.norm(x, 1)), 1e-6);
    expectClose(np.linalg.norm(x, 1, 1, { keepdims: true }), [7, 3], 1e-6);
  });
  it("integer inputs promote to float32", () => {
    expect(
      np.linalg.det(
        np.array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: "int32" },
        ),
      ).dtype,
    ).toBe("float32");
  });
});

describe("input errors name the op and what it got", () => {
  const A = general(3, "float32");
  it.each([
    ["cholesky non-square", () => np.linalg.cholesky(np.ones([2, 3])), /cholesky: the matrix must be square.*\[2, 3\]/],
    ["det of a vector", () => np.linalg.det(np.ones([3])), /det: the matrix must be square.*\[3\]/],
    ["solve shape mismatch", () => np.linalg.solve(A, np.ones([4])), /solve: b must be a vector \[3\].*\[4\]/],
    ["solve batched vector b", () => np.linalg.solve(np.stack([A, A]), np.ones([2, 3])), /solve: b must be/],
    ["solve batch mismatch", () => np.linalg.solve(np.stack([A, A]), np.ones([3, 3, 1])), /solve \(batch axes\)/],
    [
      "triangularSolve b shape",
      () => triangularSolve(A, np.ones([3, 2]), { lower: true }),
      /triangularSolve: b must be \[\.\.\., m, 3\].*leftSide=false/,
    ],
    ["triangularSolve unknown option", () => triangularSolve(A, np.ones([3, 3]), { left: true } as never), /left/],
    [
      "matrixPower non-integer",
      () => np.linalg.matrixPower(A, 1.5),
      /matrixPower: the exponent must be an integer.*1\.5/,
    ],
    ["norm matrix ord=3", () => np.linalg.norm(A, 3), /norm: matrix norm ord=3 is not supported.*"nuc"/],
    ["norm matrix ord=0", () => np.linalg.norm(A, 0, [0, 1]), /norm: matrix norm ord=0 is not supported/],
    ["norm nuclear of a vector", () => np.linalg.norm(np.ones([3]), "nuc"), /norm: ord="nuc" is a matrix norm/],
    ["norm fro of a vector", () => np.linalg.norm(np.ones([3]), "fro"), /norm: ord="fro" is a matrix norm/],
    ["norm ord on 3-D", () => np.linalg.norm(np.ones([2, 2, 2]), 1), /norm: ord=1 needs a 1-D or 2-D input.*pass axis/],
    [
      "norm three axes",
      () => np.linalg.norm(np.ones([2, 2, 2]), null, [0, 1, 2]),
      /norm: axis must be one axis or two/,
    ],
  ])("%s", (_, f, message) => {
    expect(f).toThrow(message);
  });
});

describe("lax.linalg from the package entry", () => {
  it("lax.linalg.triangularSolve is np.linalg's triangular solve", async () => {
    const { lax, np: npEntry } = await import("../../src/index.js");
    const a = npEntry.array([
      [2, 0],
      [1, 4],
    ]);
    const b = npEntry.array([[2], [9]]);
    expect(lax.linalg.triangularSolve(a, b, { leftSide: true, lower: true }).tolist()).toEqual([[1], [2]]);
    expect(typeof lax.whileLoop).toBe("function");
  });
});
