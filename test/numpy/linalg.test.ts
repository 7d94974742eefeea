import { describe, it, expect } from "vitest";
import { np } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);

function expectClose(x: np.Array, want: readonly number[], rtol = 1e-6, atol = 1e-5): void {
  const got = flat(x);
  expect(got.length, "size").toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!), `index ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(
      atol + rtol * Math.abs(want[i]!),
    ),
  );
}

/** Deterministic small values (exact in float32). */
const vals = (n: number, seed = 1): number[] =>
  Array.from({ length: n }, (_, i) => (((i + 1) * (seed * 7 + 3)) % 13) / 4 - 1.5);
const prod = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);
const mk = (shape: number[], seed = 1) => np.array(vals(prod(shape), seed), { shape });

/** Naive 2-D matmul on row-major buffers. */
function mm(a: readonly number[], b: readonly number[], n: number, k: number, m: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * m + j]!;
      out.push(s);
    }
  return out;
}

describe("matmul", () => {
  it("2-D @ 2-D", () => {
    const y = np.matmul(mk([3, 4]), mk([4, 5], 2));
    expect(y.shape).toEqual([3, 5]);
    expectClose(y, mm(vals(12), vals(20, 2), 3, 4, 5));
    expectClose(
      np
        .array([
          [1, 2],
          [3, 4],
        ])
        .matmul(
          np.array([
            [5, 6],
            [7, 8],
          ]),
        ),
      [19, 22, 43, 50],
    );
  });

  it("batched @ unbatched, and batched @ batched", () => {
    const y = np.matmul(mk([5, 2, 3]), mk([3, 4], 2));
    expect(y.shape).toEqual([5, 2, 4]);
    const a = vals(30);
    const b = vals(12, 2);
    expectClose(y, Array.from({ length: 5 }, (_, i) => mm(a.slice(i * 6, i * 6 + 6), b, 2, 3, 4)).flat());
    const z = np.matmul(mk([4, 2, 3]), mk([4, 3, 2], 3));
    const c = vals(24, 3);
    expectClose(
      z,
      Array.from({ length: 4 }, (_, i) => mm(a.slice(i * 6, i * 6 + 6), c.slice(i * 6, i * 6 + 6), 2, 3, 2)).flat(),
    );
  });

  it("batch axes broadcast: [2,1,2,3] @ [3,3,2]", () => {
    const y = np.matmul(mk([2, 1, 2, 3]), mk([3, 3, 2], 2));
    expect(y.shape).toEqual([2, 3, 2, 2]);
    const a = vals(12);
    const b = vals(18, 2);
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) want.push(...mm(a.slice(i * 6, i * 6 + 6), b.slice(j * 6, j * 6 + 6), 2, 3, 2));
    expectClose(y, want);
  });

  it("1-D operands: vector @ matrix, matrix @ vector, vector @ vector, batched @ vector", () => {
    const v = [1, 2, 3];
    const M = vals(6);
    const vm = np.matmul(np.array(v), mk([3, 2]));
    expect(vm.shape).toEqual([2]);
    expectClose(vm, mm(v, M, 1, 3, 2));
    const mv = np.matmul(mk([2, 3]), np.array(v));
    expect(mv.shape).toEqual([2]);
    expectClose(mv, mm(M, v, 2, 3, 1));
    const vv = np.matmul(np.array(v), np.array([4, 5, 6]));
    expect(vv.shape).toEqual([]);
    expect(vv.item()).toBe(32);
    const bv = np.matmul(mk([4, 2, 3]), np.array(v));
    expect(bv.shape).toEqual([4, 2]);
    const B = vals(24);
    expectClose(bv, Array.from({ length: 4 }, (_, i) => mm(B.slice(i * 6, i * 6 + 6), v, 2, 3, 1)).flat());
    const vb = np.matmul(np.array([1, 2]), mk([4, 2, 3]));
    expect(vb.shape).toEqual([4, 3]);
  });

  it("dtypes: int32 stays int32; mixed promotes", () => {
    const i = np.array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    const r = np.matmul(i, i);
    expect(r.dtype).toBe("int32");
    expect(r.tolist()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(np.matmul(i, np.eye(2)).dtype).toBe("float32");
    expect(np.matmul(np.eye(2, 2, { dtype: "float64" }), np.eye(2)).dtype).toBe("float64");
  });

  it("errors name the op and shapes", () => {
    expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 5]))).toThrow(
      /matmul: inner dimensions do not match: \[2, 3\] @ \[4, 5\]/,
    );
    expect(() => np.matmul(np.ones([3]), np.ones([4]))).toThrow(/matmul: inner dimensions do not match: \[3\] @ \[4\]/);
    expect(() => np.matmul(np.ones([2, 2, 3]), np.ones([3, 3, 2]))).toThrow(/matmul/);
    expect(() => np.matmul(np.array(2), np.ones([2]))).toThrow(/at least one axis/);
  });
});

describe("dot / vdot / outer", () => {
  it("vector · vector, matrix · vector, matrix · matrix", () => {
    expect(np.dot(np.array([1, 2, 3]), np.array([4, -5, 6])).item()).toBe(4 - 10 + 18);
    expectClose(np.dot(mk([2, 3]), np.array([1, 0, -1])), mm(vals(6), [1, 0, -1], 2, 3, 1));
    expectClose(mk([2, 3]).dot(mk([3, 2], 2)), mm(vals(6), vals(6, 2), 2, 3, 2));
  });
  it("N-D: sum over last axis of x and second-to-last of y", () => {
    const a = vals(24);
    const b = vals(12, 2);
    const y = np.dot(mk([2, 3, 4]), mk([4, 3], 2));
    expect(y.shape).toEqual([2, 3, 3]);
    expectClose(y, mm(a, b, 6, 4, 3));
    // dot(a[2,3], b[4,3,5]) -> [2,4,5]: out[i,j,k] = sum_t a[i,t] b[j,t,k]
    const A = vals(6);
    const Bv = vals(60, 3);
    const z = np.dot(mk([2, 3]), mk([4, 3, 5], 3));
    expect(z.shape).toEqual([2, 4, 5]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) {
          let s = 0;
          for (let t = 0; t < 3; t++) s += A[i * 3 + t]! * Bv[j * 15 + t * 5 + k]!;
          want.push(s);
        }
    expectClose(z, want);
  });
  it("scalars multiply", () => {
    expect(np.dot(np.array(3), np.array([1, 2])).tolist()).toEqual([3, 6]);
    expect(np.dot(2, np.array([[1], [2]])).tolist()).toEqual([[2], [4]]);
  });
  it("mismatch throws naming both shapes", () => {
    expect(() => np.dot(np.ones([2, 3]), np.ones([2, 3]))).toThrow(/dot: shapes \[2, 3\] and \[2, 3\] are not aligned/);
  });
  it("vdot flattens", () => {
    expect(
      np
        .vdot(
          np.array([
            [1, 2],
            [3, 4],
          ]),
          np.array([1, 1, 1, 2]),
        )
        .item(),
    ).toBe(1 + 2 + 3 + 8);
    expect(() => np.vdot(np.ones([2]), np.ones([3]))).toThrow(/vdot/);
  });
  it("outer of (flattened) vectors", () => {
    const o = np.outer(np.array([1, 2, 3]), np.array([[4], [5]]));
    expect(o.shape).toEqual([3, 2]);
    expect(o.tolist()).toEqual([
      [4, 5],
      [8, 10],
      [12, 15],
    ]);
  });
});

describe("tensordot", () => {
  const A = vals(24);
  const B = vals(60, 2);
  it("integer axes: contracts the last n of x with the first n of y", () => {
    // [2,3,4] x [3,4,5], axes=2 -> [2,5]
    const y = np.tensordot(mk([2, 3, 4]), mk([3, 4, 5], 2), 2);
    expect(y.shape).toEqual([2, 5]);
    expectClose(y, mm(A, B, 2, 12, 5));
    // axes=1: [2,3,4] x [4,15] -> [2,3,15]
    const z = np.tensordot(mk([2, 3, 4]), np.array(B, { shape: [4, 15] }), 1);
    expect(z.shape).toEqual([2, 3, 15]);
    expectClose(z, mm(A, B, 6, 4, 15));
    // axes=0 is the outer product
    const o = np.tensordot(np.array([1, 2]), np.array([3, 4, 5]), 0);
    expect(o.tolist()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    // default is 2
    expectClose(np.tensordot(mk([2, 3, 4]), mk([3, 4, 5], 2)), mm(A, B, 2, 12, 5));
  });
  it("explicit axis lists, negative axes, out-of-order contraction", () => {
    // contract x axis 0 (size 2) with y axis 1 (size 2): x[2,3], y[4,2] -> [3,4]
    const x = vals(6);
    const yv = vals(8, 2);
    const r = np.tensordot(mk([2, 3]), mk([4, 2], 2), [[0], [-1]]);
    expect(r.shape).toEqual([3, 4]);
    const want: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) want.push(x[i]! * yv[j * 2]! + x[3 + i]! * yv[j * 2 + 1]!);
    expectClose(r, want);
    // [[1,2],[0,1]] on [2,3,4] x [3,4,5] equals axes=2
    expectClose(
      np.tensordot(mk([2, 3, 4]), mk([3, 4, 5], 2), [
        [1, 2],
        [0, 1],
      ]),
      mm(A, B, 2, 12, 5),
    );
  });
  it("errors", () => {
    expect(() => np.tensordot(np.ones([2, 3]), np.ones([4, 3]), [[1], [0]])).toThrow(/tensordot: size mismatch/);
    expect(() => np.tensordot(np.ones([2]), np.ones([2]), 3)).toThrow(/tensordot: axes=3 is invalid/);
    expect(() => np.tensordot(np.ones([2, 2]), np.ones([2, 2]), [[0, 1], [0]])).toThrow(/tensordot/);
  });
});
