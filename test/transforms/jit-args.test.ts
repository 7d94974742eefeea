import { describe, it, expect } from "vitest";
import { np, jit, ConcretizationError } from "../../src/index.js";

type Array = np.Array;

describe("jit arguments", () => {
  it("compares static arguments by value: a mutated config object retraces", () => {
    const step = jit((w: Array, cfg: { lr: number }) => w.mul(cfg.lr), { staticArgnums: [1] });
    const cfg = { lr: 0.5 };
    expect(step(np.array([2]), cfg).tolist()).toEqual([1]);
    cfg.lr = 2;
    expect(step(np.array([2]), cfg).tolist()).toEqual([4]);
    expect(step.cacheSize).toBe(2);
    // a fresh but equal literal reuses the cached program
    expect(step(np.array([2]), { lr: 2 }).tolist()).toEqual([4]);
    expect(step.cacheSize).toBe(2);
  });

  it("rejects graft arrays as static arguments", () => {
    const f = jit((x: Array, y: Array) => x.add(y), { staticArgnums: [1] });
    expect(() => f(np.ones([2]), np.ones([2]))).toThrow(/static argument 1 is a graft Array/);
  });

  it("treats JS numbers as eager code does: integers stay int32", () => {
    const f = (a: Array, b: number) => a.add(b);
    const a = np.array([1, 2], { dtype: "int32" });
    expect(jit(f)(a, 1).dtype).toBe(f(a, 1).dtype);
    expect(jit(f)(a, 1).tolist()).toEqual([2, 3]);
    expect(jit((x: Array, k: number) => x.get(k))(np.array([10, 20, 30]), 1).item()).toBe(20);
    expect(jit(f)(np.array([1, 2]), 0.5).dtype).toBe("float32");
  });

  it("a traced value used as a shape is a ConcretizationError that suggests staticArgnums", () => {
    const f = jit((a: Array, n: number) => a.reshape(n, -1));
    expect(() => f(np.ones([4]), 2)).toThrow(ConcretizationError);
    expect(() => f(np.ones([4]), 2)).toThrow(/reshape: shape entry 0.*staticArgnums/s);
    const g = jit((a: Array, n: number) => a.sum(n));
    expect(() => g(np.ones([2, 2]), 0)).toThrow(/sum: axis.*staticArgnums/s);
    // with the argument static it works
    expect(jit((a: Array, n: number) => a.reshape(n, -1), { staticArgnums: [1] })(np.ones([4]), 2).shape).toEqual([
      2, 2,
    ]);
  });
});
