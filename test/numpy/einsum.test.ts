import { describe, it, expect } from "vitest";
import { np, grad, jit, vmap } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);
const A = () =>
  np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const B = () =>
  np.array([
    [1, 0],
    [2, -1],
    [0, 3],
  ]);

/** Naive matrix product of nested lists. */
const matmulRef = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));

describe("einsum values", () => {
  it("matmul, explicit and implicit", () => {
    const ref = matmulRef(A().tolist() as number[][], B().tolist() as number[][]);
    expect(np.einsum("ij,jk->ik", A(), B()).tolist()).toEqual(ref);
    expect(np.einsum("ij,jk", A(), B()).tolist()).toEqual(ref);
    expect(np.einsum(" ij , jk -> ki ", A(), B()).tolist()).toEqual(ref[0]!.map((_, k) => ref.map((r) => r[k]!)));
  });
  it("batch matmul equals a loop of matmuls", () => {
    const a = np.arange(12).reshape([2, 2, 3]);
    const b = np.arange(12).reshape([2, 3, 2]).sub(5);
    const out = np.einsum("bij,bjk->bik", a, b);
    for (let i = 0; i < 2; i++)
      expect(out.get(i).tolist()).toEqual(matmulRef(a.get(i).tolist() as number[][], b.get(i).tolist() as number[][]));
  });
  it("outer, trace, diagonal, transpose, sums, dot", () => {
    const u = np.array([1, 2, 3]);
    const v = np.array([4, 5]);
    expect(np.einsum("i,j->ij", u, v).tolist()).toEqual([
      [4, 5],
      [8, 10],
      [12, 15],
    ]);
    const m = np.arange(9).reshape([3, 3]);
    expect(np.einsum("ii->", m).item()).toBe(0 + 4 + 8);
    expect(np.einsum("ii", m).item()).toBe(12);
    expect(np.einsum("ii->i", m).tolist()).toEqual([0, 4, 8]);
    expect(np.einsum("ij->ji", A()).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(np.einsum("ba", A()).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(np.einsum("ij->", A()).item()).toBe(21);
    expect(np.einsum("ij->j", A()).tolist()).toEqual([5, 7, 9]);
    expect(np.einsum("i,i->", u, u).item()).toBe(14);
    expect(np.einsum("i,i", u, u).item()).toBe(14);
    expect(np.einsum("ij,ij->ij", A(), A()).tolist()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
  });
  it("three operands (bilinear forms, chains) and repeated labels", () => {
    const x = np.array([1, -1]);
    const y = np.array([2, 0, 1]);
    // x^T A y = sum_ij x_i A_ij y_j
    expect(np.einsum("i,ij,j->", x, A(), y).item()).toBe(1 * (2 + 3) - 1 * (8 + 6));
    const C = np.array([
      [1, 1],
      [0, 2],
    ]);
    expect(np.einsum("ij,jk,kl->il", A(), B(), C).tolist()).toEqual(
      matmulRef(matmulRef(A().tolist() as number[][], B().tolist() as number[][]), C.tolist() as number[][]),
    );
    expect(np.einsum("i,i,i->", y, y, y).item()).toBe(9);
    const t = np.arange(8).reshape([2, 2, 2]);
    expect(np.einsum("iii->i", t).tolist()).toEqual([0, 7]);
    expect(np.einsum("iij->j", t).tolist()).toEqual([0 + 6, 1 + 7]);
    expect(np.einsum("iji->j", t).tolist()).toEqual([0 + 5, 2 + 7]);
  });
  it("ellipsis broadcasting and dtype promotion", () => {
    const a = np.ones([2, 1, 2, 3]);
    const b = np.ones([3, 3, 2]);
    expect(np.einsum("...ij,...jk->...ik", a, b).shape).toEqual([2, 3, 2, 2]);
    expect(np.einsum("...i,...i->...", np.ones([2, 3]), np.ones([1, 3])).tolist()).toEqual([3, 3]);
    expect(np.einsum("...,...", np.array([1, 2, 3]), 2).tolist()).toEqual([2, 4, 6]);
    const ints = np.array([1, 2], { dtype: "int32" });
    expect(np.einsum("i,i", ints, ints).dtype).toBe("int32");
    expect(np.einsum("i,i", ints, np.array([0.5, 0.5])).item()).toBe(1.5);
  });
});

describe("einsum errors", () => {
  it("malformed subscripts, operand count and size mismatches", () => {
    expect(() => np.einsum("ij,jk->ik", A())).toThrow(/name 2 operands but 1 were given/);
    expect(() => np.einsum("ij", A(), B())).toThrow(/name 1 operand but 2 were given/);
    expect(() => np.einsum("ij,jk->ik", A(), A())).toThrow(
      /size mismatch for index 'j'.*3 \(operand 0, axis 1\) vs 2 \(operand 1, axis 0\)/,
    );
    expect(() => np.einsum("ii", A())).toThrow(/size mismatch for index 'i'/);
    expect(() => np.einsum("i1->i", A())).toThrow(/invalid character '1'/);
    expect(() => np.einsum("ij->i->j", A())).toThrow(/more than one "->"/);
    expect(() => np.einsum("ijk->i", A())).toThrow(/term "ijk" has 3 indices but operand 0 has rank 2/);
    expect(() => np.einsum("ij->ii", A())).toThrow(/output subscript 'i' appears more than once/);
    expect(() => np.einsum("ij->k", A())).toThrow(/output subscript 'k' .* does not appear in any input/);
    expect(() => np.einsum("...i->i", A())).toThrow(/no "\.\.\." to hold them/);
    expect(() => np.einsum("......i", A())).toThrow(/more than one ellipsis/);
    expect(() => np.einsum("i")).toThrow(/at least one operand/);
  });
});

describe("einsum under transforms", () => {
  it("gradients match hand-derived results", () => {
    const a = A();
    const b = B();
    // d/dA sum(A @ B) = 1 B^T  (row sums of B broadcast), d/dB = A^T 1
    const gA = grad((x: np.Array) => np.einsum("ij,jk->ik", x, b).sum())(a);
    expect(gA.tolist()).toEqual([
      [1, 1, 3],
      [1, 1, 3],
    ]);
    const gB = grad((y: np.Array) => np.einsum("ij,jk->ik", a, y).sum())(b);
    expect(gB.tolist()).toEqual([
      [5, 5],
      [7, 7],
      [9, 9],
    ]);
    // trace: gradient is the identity; diagonal weighted: diag(w)
    expect(grad((m: np.Array) => np.einsum("ii", m))(np.ones([3, 3])).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const w = np.array([1, 2, 3]);
    expect(grad((m: np.Array) => np.einsum("ii->i", m).mul(w).sum())(np.ones([3, 3])).tolist()).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ]);
    // bilinear x^T M y: d/dx = M y, d/dM = x y^T, d/dy = M^T x
    const x = np.array([1, -1]);
    const y = np.array([2, 0, 1]);
    const [dx, dM, dy] = grad((p: np.Array, q: np.Array, r: np.Array) => np.einsum("i,ij,j->", p, q, r), {
      argnums: [0, 1, 2],
    })(x, a, y);
    expect(flat(dx)).toEqual([5, 14]);
    expect(dM.tolist()).toEqual([
      [2, 0, 1],
      [-2, 0, -1],
    ]);
    expect(flat(dy)).toEqual([-3, -3, -3]);
  });
  it("vmap equals a loop; jit equals eager", () => {
    const xs = np.arange(12).reshape([2, 2, 3]);
    const f = (m: np.Array) => np.einsum("ij,kj->ik", m, m);
    const out = vmap(f)(xs);
    for (let i = 0; i < 2; i++) expect(out.get(i).tolist()).toEqual(f(xs.get(i)).tolist());
    const g = (m: np.Array, v: np.Array) => np.einsum("ii,i->", m, v);
    expect(jit(g)(np.arange(9).reshape([3, 3]), np.array([1, 2, 3])).item()).toBe(
      g(np.arange(9).reshape([3, 3]), np.array([1, 2, 3])).item(),
    );
  });
  it("never mutates operands", () => {
    const a = A();
    np.einsum("ij->ji", a);
    expect(a.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});
