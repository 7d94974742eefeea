import { describe, it, expect, afterEach } from "vitest";
import { np, jit, grad, vmap, config, type Program } from "../../src/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

const prims = (p: Program): string[] => p.eqns.map((e) => e.prim);

afterEach(() => config.update({ disableJit: false }));

describe("jit caching", () => {
  it("traces once per signature and reuses the program for equal shapes", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.mul(2).add(1);
    });
    expect(f.cacheSize).toBe(0);
    expectClose(f(np.array([1, 2])), [3, 5]);
    expectClose(f(np.array([10, 20])), [21, 41]);
    expect(traces).toBe(1);
    expect(f.cacheSize).toBe(1);
  });

  it("new shapes, dtypes and weak types retrace", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.add(x);
    });
    f(np.ones([2]));
    f(np.ones([3]));
    expect(f.cacheSize).toBe(2);
    f(np.ones([3], { dtype: "float64" }));
    expect(f.cacheSize).toBe(3);
    f(np.array(1));
    expect(f.cacheSize).toBe(4);
    // A JS number is a weakly typed float32 scalar: a different signature from a strong one
    const w = f(2 as unknown as Array);
    expect(f.cacheSize).toBe(5);
    expect(w.weakType).toBe(true);
    expectClose(w, 4);
    f(3 as unknown as Array);
    expect(f.cacheSize).toBe(5);
    f(np.ones([3]));
    expect(f.cacheSize).toBe(5);
    expect(traces).toBe(5);
  });

  it("pytree structure is part of the key", () => {
    const f = jit((p: { a: Array; b?: Array }) => (p.b ? p.a.add(p.b) : p.a));
    f({ a: np.ones([2]) });
    f({ a: np.ones([2]), b: np.ones([2]) });
    expect(f.cacheSize).toBe(2);
  });

  it("static arguments are concrete JS values and key the cache", () => {
    let traces = 0;
    const f = jit(
      (x: Array, n: number) => {
        traces++;
        let y = x;
        for (let i = 0; i < n; i++) y = y.mul(2);
        return n > 2 ? y.neg() : y;
      },
      { staticArgnums: 1 },
    );
    expectClose(f(np.array([1]), 2), 4);
    expectClose(f(np.array([3]), 2), 12);
    expect(traces).toBe(1);
    expectClose(f(np.array([1]), 3), -8);
    expect(f.cacheSize).toBe(2);
    expect(traces).toBe(2);
  });

  it("staticArgnums as a list with negative positions and non-numeric values", () => {
    const f = jit((mode: string, x: Array, scale: number) => (mode === "sq" ? x.square() : x).mul(scale), {
      staticArgnums: [0, -1],
    });
    expectClose(f("sq", np.array([3]), 2), 18);
    expectClose(f("id", np.array([3]), 2), 6);
    expectClose(f("sq", np.array([4]), 2), 32);
    expect(f.cacheSize).toBe(2);
    expect(() => jit((x: Array) => x, { staticArgnums: 3 })(np.ones([1]))).toThrow(
      /jit: staticArgnums 3 is out of range/,
    );
  });

  it("disableJit runs the function eagerly every call", () => {
    let calls = 0;
    const f = jit((x: Array) => {
      calls++;
      return x.add(1);
    });
    config.update({ disableJit: true });
    f(np.ones([2]));
    f(np.ones([2]));
    expect(calls).toBe(2);
    expect(f.cacheSize).toBe(0);
  });
});

describe("jit results", () => {
  it("agree with eager evaluation", () => {
    const f = (x: Array, w: Array) => np.matmul(x, w).tanh().sum(0).add(x.mean()).exp();
    const x = np.array([
      [0.1, -0.2, 0.3],
      [0.5, 0.2, -1],
    ]);
    const w = np.array([
      [1, 0],
      [0.5, -1],
      [2, 0.25],
    ]);
    expectClose(jit(f)(x, w), flat(f(x, w)), 1e-6);
    expect(jit(f)(x, w).shape).toEqual([2]);
  });

  it("pytree inputs and outputs", () => {
    const f = jit((p: { a: Array; b: Array[] }) => ({ s: p.a.add(p.b[0]!), t: [p.b[1]!.mul(2)] }));
    const out = f({ a: np.array([1]), b: [np.array([2]), np.array([3])] });
    expectClose(out.s, 3);
    expectClose(out.t[0]!, 6);
  });

  it("constants captured from the enclosing scope", () => {
    const c = np.array([1, 2, 3]);
    const f = jit((x: Array) => x.mul(c));
    expectClose(f(np.array([2, 2, 2])), [2, 4, 6]);
  });

  it("identity, constant and duplicated outputs; nested jit", () => {
    expect(jit((x: Array) => x)(np.array([1, 2])).tolist()).toEqual([1, 2]);
    expect(jit((_x: Array) => np.array([7, 8]))(np.array([1, 2])).tolist()).toEqual([7, 8]);
    const [a, b] = jit((x: Array) => [x, x.add(1)])(np.array([1]));
    expect([a!.tolist(), b!.tolist()]).toEqual([[1], [2]]);
    expect(jit((x: Array) => jit((y: Array) => y.mul(2))(x).add(1))(np.array([1, 2])).tolist()).toEqual([3, 5]);
    expectClose(grad(jit((x: Array) => jit((y: Array) => y.sin())(x).sum()))(np.array([0, 1])), [1, Math.cos(1)]);
  });

  it("keeps int and bool dtypes", () => {
    const f = jit((x: Array) => x.mul(3).greater(4));
    const r = f(np.array([1, 2], { dtype: "int32" }));
    expect(r.dtype).toBe("bool");
    expect(r.tolist()).toEqual([false, true]);
  });
});

describe("jit composes with other transforms", () => {
  const f = (x: Array) => x.sin().mul(x).sum();
  const df = (v: number) => Math.cos(v) * v + Math.sin(v);
  const xs = [0.5, 1, -2];

  it("grad(jit(f)) and jit(grad(f))", () => {
    expectClose(grad(jit(f))(np.array(xs)), xs.map(df));
    expectClose(jit(grad(f))(np.array(xs)), xs.map(df));
    expectClose(grad(grad(jit((x: Array) => x.pow(3))))(np.array(2)), 12);
  });

  it("vmap(jit(f)) and jit(vmap(grad(f)))", () => {
    const rows = [
      [0.5, 1],
      [2, -1],
      [0, 3],
    ];
    expectClose(
      vmap(jit(f))(np.array(rows)),
      rows.map((r) => r.reduce((s, v) => s + Math.sin(v) * v, 0)),
    );
    expectClose(jit(vmap(grad(f)))(np.array(rows)), rows.flat().map(df));
  });

  it("jit of a closure over an outer tracer: grad(x => jit(y => x*y)(2))", () => {
    const g = grad((x: Array) => jit((y: Array) => x.mul(y))(np.array(2)));
    expectClose(g(np.array(3)), 2);
    const g2 = grad((x: Array) => jit((y: Array) => x.square().mul(y).sum())(np.array([1, 2])));
    // d/dx (x^2 * 3) = 6x
    expectClose(g2(np.array(1.5)), 9);
  });

  it("jit of a closure over a vmapped tracer", () => {
    const h = vmap((x: Array) => jit((y: Array) => x.mul(y))(np.array(3)));
    expectClose(h(np.array([1, 2])), [3, 6]);
  });

  it("a closure over an outer tracer is re-staged per call (the program holds that call's values)", () => {
    const g = grad((x: Array) => jit((y: Array) => x.mul(y))(np.array(2)));
    expectClose(g(np.array(3)), 2);
    expectClose(g(np.array(5)), 2);
    const v = (x: Array) => jit((y: Array) => x.mul(y));
    const h = vmap((x: Array) => v(x)(np.array(10)));
    expectClose(h(np.array([1, 2])), [10, 20]);
    expectClose(h(np.array([3, 4])), [30, 40]);
  });
});

describe("lower(): simplified programs", () => {
  it("CSE removes a duplicated subexpression", () => {
    const p = jit((x: Array) => x.sin().add(x.sin())).lower(np.ones([3])).program;
    expect(prims(p).filter((q) => q === "sin")).toHaveLength(1);
    expect(prims(p)).toEqual(["sin", "add"]);
    const q = jit((x: Array) => x.mul(2).add(x.mul(2))).lower(np.ones([3])).program;
    expect(prims(q).filter((r) => r === "mul")).toHaveLength(1);
  });

  it("DCE drops unused computations", () => {
    const p = jit((x: Array) => {
      x.exp().log();
      return x.sin();
    }).lower(np.ones([3])).program;
    expect(prims(p)).toEqual(["sin"]);
  });

  it("constants fold", () => {
    const p = jit((x: Array) => x.mul(np.exp(np.array(0)).add(1))).lower(np.ones([3])).program;
    expect(prims(p)).not.toContain("exp");
    expect(prims(p)).not.toContain("add");
    expect(prims(p)).toContain("mul");
    expect(String(p)).toMatch(/\b2:f32\[\]/);
    expectClose(jit((x: Array) => x.mul(np.exp(np.array(0)).add(1)))(np.array([1, 2, 3])), [2, 4, 6]);
  });

  it("lower uses the cache", () => {
    const f = jit((x: Array) => x.add(1));
    const p1 = f.lower(np.ones([2])).program;
    f(np.ones([2]));
    expect(f.cacheSize).toBe(1);
    expect(f.lower(np.zeros([2])).program).toBe(p1);
    expect(p1.inAvals.map(String)).toEqual(["f32[2]"]);
    expect(p1.outAvals.map(String)).toEqual(["f32[2]"]);
  });
});
