/**
 * Index specs are validated (anything that is not an index names its position and type instead of
 * acting as a full slice), and np.take accepts scalar indices (the axis is dropped, as in JAX).
 */
import { describe, expect, it } from "vitest";
import { jit, np, vmap } from "../../src/index.js";

const x = np.array([
  [1, 2, 3],
  [4, 5, 6],
]);
/** A sparse list (holes where `values` has no entry), built without a sparse literal. */
const holey = (length: number, values: Record<number, number>): number[] =>
  Object.assign(new Array<number>(length), values);
const i32 = (v: number | number[]) => np.array(v, { dtype: "int32" });

describe("x.get rejects values that are not index specs", () => {
  it("new Number(1), {} and new Date() name the position and the type (they used to act as a full slice)", () => {
    expect(() => x.get(new Number(1) as never)).toThrow(
      /^getIndex: index entry 0 is an object of class Number, which is not a valid index; expected an integer, slice\(start, stop, step\), null/,
    );
    expect(() => x.get(0, {} as never)).toThrow(
      /^getIndex: index entry 1 is an object with keys \{\} \(slices have start\/stop\/step: use slice\(\.\.\.\)\), which is not a valid index/,
    );
    expect(() => x.get(new Date() as never)).toThrow(
      /^getIndex: index entry 0 is an object of class Date, which is not a valid index/,
    );
    expect(() => x.get({ begin: 1 } as never)).toThrow(/index entry 0 is an object with keys \{begin\}/);
    expect(() => x.get(true as never)).toThrow(/index entry 0 is boolean true, which is not a valid index/);
    expect(() => x.at(new Number(0) as never).set(0)).toThrow(
      /^at\(\.\.\.\)\.set: index entry 0 is an object of class Number/,
    );
  });

  it("slice objects and the other specs still work", () => {
    expect(x.get(np.slice(1)).tolist()).toEqual([[4, 5, 6]]);
    expect(x.get({ start: 1 }).tolist()).toEqual([[4, 5, 6]]);
    expect(x.get(Object.assign(Object.create(null), { step: -1 })).tolist()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(x.get(0, [2, 0]).tolist()).toEqual([3, 1]);
  });

  it("holes in index lists are errors, not zeros", () => {
    expect(() => x.get(0, holey(3, { 0: 2, 2: 0 }))).toThrow(
      /list indices must be flat lists of integers, got a hole at position 1/,
    );
    expect(() => np.take(x, holey(3, { 0: 1, 2: 0 }), 1)).toThrow(
      /^take: index lists must hold integers, got a hole at position 1/,
    );
    expect(() => np.take(x, "0" as never, 1)).toThrow(
      /^take: indices must be an int32\/uint32 array or a list of integers, got string "0"/,
    );
  });
});

describe("np.take with a scalar index drops the axis (as in JAX)", () => {
  it("a JS integer (was 'indices.find is not a function')", () => {
    expect(np.take(x, 0, 0).tolist()).toEqual([1, 2, 3]);
    expect(np.take(x, 2, 1).tolist()).toEqual([3, 6]);
    expect(np.take(x, -1, 1).tolist()).toEqual([3, 6]);
    expect(np.take(x, 4).tolist()).toBe(5);
    expect(x.take(1, 0).tolist()).toEqual([4, 5, 6]);
    // Out of range: JAX's default mode "fill" (NaN for floats); "clip" clamps.
    expect(np.take(x, 3, 1).tolist()).toEqual([Number.NaN, Number.NaN]);
    expect(np.take(x, 3, 1, { mode: "clip" }).tolist()).toEqual([3, 6]);
  });

  it("a 0-d int array, also traced", () => {
    expect(np.take(x, i32(1), 0).tolist()).toEqual([4, 5, 6]);
    expect(jit((i: np.Array) => np.take(x, i, 1))(i32(0)).tolist()).toEqual([1, 4]);
    expect(vmap((i: np.Array) => np.take(x, i, 1))(i32([0, 2])).tolist()).toEqual([
      [1, 4],
      [3, 6],
    ]);
  });
});
