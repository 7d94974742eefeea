import { describe, it, expect } from "vitest";
import { np } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const stridesOf = (shape: readonly number[]): number[] =>
  shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));

/** Naive transpose of a row-major buffer: out[idx] = in[idx permuted back]. */
function transposeRef(data: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const inStr = stridesOf(shape);
  const outStr = stridesOf(outShape);
  return data.map((_, o) => {
    let src = 0;
    perm.forEach((p, k) => (src += (Math.floor(o / outStr[k]!) % outShape[k]!) * inStr[p]!));
    return data[src]!;
  });
}

const S = [2, 3, 4];
const D = range(24);
const X = () => np.arange(24).reshape(2, 3, 4);

describe("reshape / ravel / flatten", () => {
  it("keeps row-major order and infers one -1", () => {
    const x = np.reshape(np.arange(6), [2, 3]);
    expect(x.tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(np.reshape(np.arange(6), [3, -1]).shape).toEqual([3, 2]);
    expect(np.reshape(np.arange(6), [-1]).shape).toEqual([6]);
    expect(X().reshape([4, 6]).shape).toEqual([4, 6]);
    expect(X().reshape(6, -1).shape).toEqual([6, 4]);
    expect(flat(X().reshape(4, 6))).toEqual(D);
    expect(np.reshape(np.array([5]), []).shape).toEqual([]);
    expect(np.reshape(np.array(5), [1, 1]).tolist()).toEqual([[5]]);
  });
  it("ravel / flatten", () => {
    expect(np.ravel(X()).shape).toEqual([24]);
    expect(flat(X().flatten())).toEqual(D);
  });
  it("errors name the op and sizes", () => {
    expect(() => np.reshape(np.arange(6), [4, 2])).toThrow(
      /reshape: cannot reshape float32\[6\] \(size 6\) into \[4, 2\]/,
    );
    expect(() => np.reshape(np.arange(6), [-1, -1])).toThrow(/only one -1/);
    expect(() => np.reshape(np.arange(6), [4, -1])).toThrow(/reshape: cannot reshape/);
  });
});

describe("transpose / moveaxis / swapaxes", () => {
  it("default reverses all axes; .T too", () => {
    const t = np.transpose(X());
    expect(t.shape).toEqual([4, 3, 2]);
    expect(flat(t)).toEqual(transposeRef(D, S, [2, 1, 0]));
    expect(flat(X().T)).toEqual(transposeRef(D, S, [2, 1, 0]));
    expect(np.array([[1, 2, 3]]).T.tolist()).toEqual([[1], [2], [3]]);
  });
  it("explicit and negative permutations", () => {
    for (const perm of [
      [1, 0, 2],
      [0, 2, 1],
      [2, 0, 1],
      [1, 2, 0],
    ]) {
      const t = X().transpose(perm);
      expect(t.shape).toEqual(perm.map((p) => S[p]));
      expect(flat(t)).toEqual(transposeRef(D, S, perm));
    }
    expect(flat(np.transpose(X(), [-1, 0, -2]))).toEqual(transposeRef(D, S, [2, 0, 1]));
  });
  it("transpose errors", () => {
    expect(() => np.transpose(X(), [0, 1])).toThrow(/transpose: axes \[0,1\] must list each of the 3 axes/);
    expect(() => np.transpose(X(), [0, 0, 1])).toThrow(/repeat/);
    expect(() => np.transpose(X(), [0, 1, 3])).toThrow(/axis 3 is out of range/);
  });
  it("moveaxis", () => {
    expect(np.moveaxis(X(), 0, -1).shape).toEqual([3, 4, 2]);
    expect(flat(np.moveaxis(X(), 0, -1))).toEqual(transposeRef(D, S, [1, 2, 0]));
    expect(flat(np.moveaxis(X(), 2, 0))).toEqual(transposeRef(D, S, [2, 0, 1]));
    expect(flat(np.moveaxis(X(), -1, 1))).toEqual(transposeRef(D, S, [0, 2, 1]));
  });
  it("swapaxes", () => {
    expect(flat(np.swapaxes(X(), 0, 2))).toEqual(transposeRef(D, S, [2, 1, 0]));
    expect(flat(np.swapaxes(X(), -1, -2))).toEqual(transposeRef(D, S, [0, 2, 1]));
    expect(() => np.swapaxes(X(), 0, 3)).toThrow(/swapaxes: axis 3 is out of range/);
  });
});

describe("expandDims / squeeze", () => {
  it("expandDims at one or several positions, including negative", () => {
    const x = np.array([1, 2, 3]);
    expect(np.expandDims(x, 0).shape).toEqual([1, 3]);
    expect(np.expandDims(x, 1).shape).toEqual([3, 1]);
    expect(np.expandDims(x, -1).shape).toEqual([3, 1]);
    expect(np.expandDims(x, [0, 2]).shape).toEqual([1, 3, 1]);
    expect(x.expandDims([-1, 0]).shape).toEqual([1, 3, 1]);
    expect(np.expandDims(X(), 2).shape).toEqual([2, 3, 1, 4]);
    expect(flat(np.expandDims(x, 0))).toEqual([1, 2, 3]);
    expect(() => np.expandDims(x, 3)).toThrow(/expandDims: axis 3 is out of range/);
  });
  it("squeeze all size-1 axes or the given ones", () => {
    const x = np.zeros([1, 3, 1, 2]);
    expect(np.squeeze(x).shape).toEqual([3, 2]);
    expect(np.squeeze(x, 0).shape).toEqual([3, 1, 2]);
    expect(np.squeeze(x, [-2, 0]).shape).toEqual([3, 2]);
    expect(x.squeeze(2).shape).toEqual([1, 3, 2]);
    expect(np.squeeze(np.array([[7]])).shape).toEqual([]);
    expect(() => np.squeeze(x, 1)).toThrow(/squeeze: axis 1 of \[1, 3, 1, 2\] has size 3, not 1/);
  });
});

describe("broadcastTo", () => {
  it("follows NumPy rules", () => {
    const b = np.broadcastTo(np.array([1, 2]), [3, 2]);
    expect(b.tolist()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(np.broadcastTo(np.array([[1], [2]]), [2, 3]).tolist()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(np.broadcastTo(np.array(5), [2, 2]).tolist()).toEqual([
      [5, 5],
      [5, 5],
    ]);
    expect(np.array([[1], [2]]).broadcastTo([2, 2, 2]).shape).toEqual([2, 2, 2]);
  });
  it("rejects incompatible or shrinking targets", () => {
    expect(() => np.broadcastTo(np.array([1, 2, 3]), [4])).toThrow(/broadcastTo/);
    expect(() => np.broadcastTo(np.zeros([2, 3]), [3])).toThrow(/broadcastTo: cannot broadcast \[2, 3\] to \[3\]/);
    expect(() => np.broadcastTo(np.zeros([2, 1]), [1, 1])).toThrow(/broadcastTo/);
  });
});

describe("dtype is preserved by shape ops", () => {
  it("int32 and bool", () => {
    const i = np.array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    expect(i.T.dtype).toBe("int32");
    expect(i.T.tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(np.reshape(i, [4]).dtype).toBe("int32");
    const b = np.array([[true, false]]);
    expect(np.squeeze(b).tolist()).toEqual([true, false]);
    expect(np.broadcastTo(b, [2, 2]).dtype).toBe("bool");
  });
});
