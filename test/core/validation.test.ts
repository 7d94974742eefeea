import { describe, it, expect } from "vitest";
import { np, grad, jvp, vmap } from "../../src/index.js";

type Array = np.Array;

describe("argument validation at the API edges", () => {
  it("vmap: inAxes with the wrong number of entries", () => {
    expect(() => vmap((x: Array) => x.sum(), { inAxes: [0, 0, 0] })(np.ones([3, 2]))).toThrow(
      /vmap: inAxes has 3 entries but the function was called with 1 argument/,
    );
  });
  it("grad: an undefined argument", () => {
    expect(() => grad((x: Array) => x.sum())(undefined as unknown as Array)).toThrow(/grad: argument 0 is undefined/);
  });
  it("jvp: primals and tangents must be lists, tangent dtypes must match", () => {
    const x = np.array([1, 2]);
    expect(() => jvp((a: Array) => a, x as never, x as never)).toThrow(/jvp: primals must be a list/);
    expect(() => jvp((a: Array) => a, [x], [np.array([1, 2], { dtype: "float64" })])).toThrow(
      /tangent leaf 0 has dtype float64 but its primal has dtype float32/,
    );
  });
  it("arange: dtype as second argument, finite bounds", () => {
    const a = np.arange(4, { dtype: "int32" });
    expect([a.dtype, a.tolist()]).toEqual(["int32", [0, 1, 2, 3]]);
    expect(() => np.arange(NaN)).toThrow(/arange: stop must be a finite number/);
    expect(() => np.arange(Infinity)).toThrow(/finite/);
  });
  it("full: the fill value must be a number", () => {
    expect(() => np.full([2], "x" as never)).toThrow(/full: the fill value must be a number or boolean, got string/);
  });
  it("reductions: axis must be a number, a list or null", () => {
    expect(() => np.ones([2]).sum({ axis: 0 } as never)).toThrow(
      /sum: axis \(a number, a list of numbers, or null\) must be a JS number, got an object/,
    );
    expect(() => np.array(3).sum(0)).toThrow(/the array is a scalar \(rank 0\) and has no axes/);
  });
  it("shapes are immutable and JSON gives the values", () => {
    const x = np.ones([2, 3]);
    expect(() => (x.shape as number[]).reverse()).toThrow(TypeError);
    expect(x.shape).toEqual([2, 3]);
    expect(JSON.stringify(np.array([[1, 2]]))).toBe("[[1,2]]");
  });
});
