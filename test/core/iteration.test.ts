/** Arrays iterate over their leading axis (as NumPy and JAX arrays do), eagerly and under tracing. */
import { describe, expect, it } from "vitest";
import { jit, np, random, vmap } from "../../src/index.js";

describe("iterating an array", () => {
  it("destructures and loops over the leading axis", () => {
    const [key, sub] = random.split(random.key(0));
    expect(key!.shape).toEqual([2]);
    expect([key!.tolist(), sub!.tolist()]).toEqual(random.split(random.key(0)).tolist());
    const x = np.arange(6).reshape([3, 2]);
    const rows: unknown[] = [];
    for (const row of x) rows.push(row.tolist());
    expect(rows).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect([...np.array([7, 8])].map((v) => v.item())).toEqual([7, 8]);
    expect(Array.from(np.zeros([0, 4]))).toEqual([]);
  });

  it("uses the static shape under jit and vmap", () => {
    const sumRows = (x: np.Array): np.Array => {
      let acc = np.zeros([x.shape[1]!]);
      for (const row of x) acc = acc.add(row);
      return acc;
    };
    const x = np.arange(12).reshape([4, 3]).astype("float32");
    expect(jit(sumRows)(x).tolist()).toEqual(np.sum(x, 0).tolist());
    const firstOfEach = vmap((v: np.Array) => {
      const [first] = v;
      return first!;
    });
    expect(firstOfEach(x).tolist()).toEqual([0, 3, 6, 9]);
  });

  it("a 0-d array is not iterable, and equality checkers still compare arrays", () => {
    const s = np.array(3);
    expect(() => [...s]).toThrow(TypeError);
    expect(() => {
      const [a] = s;
      return a;
    }).toThrow(/not iterable/);
    const y = np.array([1, 2]);
    expect(y.add(0)).not.toBe(y);
  });
});
