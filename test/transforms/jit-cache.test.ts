import { describe, it, expect, afterEach, vi } from "vitest";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { np, jit, grad, customJvp, customVjp, config, clearCaches, type Program } from "../../src/index.js";
import { auxKey } from "../../src/tree/aux.js";

type Array = np.Array;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** A full collection once the current job has ended (WeakRef targets are kept until then). */
async function collect(): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  await new Promise((r) => setTimeout(r, 0));
}

afterEach(() => {
  config.update({ cacheSize: 256, explainCacheMisses: false });
  vi.restoreAllMocks();
});

describe("bounded trace caches", () => {
  it("a jitted function on 2,000 shapes with cacheSize 64 keeps at most 64 traces, and an evicted signature retraces", () => {
    config.update({ cacheSize: 64 });
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.mul(2).sum();
    });
    for (let n = 1; n <= 2000; n++) {
      const y = f(np.ones([n]));
      if (n % 250 === 0 || n <= 3) expect(y.item()).toBe(2 * n);
      expect(f.cacheSize).toBeLessThanOrEqual(64);
    }
    expect(traces).toBe(2000);
    expect(f.cacheSize).toBe(64);
    // the most recent signature is still cached; the first one was evicted and traces again
    expect(f(np.ones([2000])).item()).toBe(4000);
    expect(traces).toBe(2000);
    expect(f(np.ones([1])).item()).toBe(2);
    expect(traces).toBe(2001);
    expect(f.cacheSize).toBe(64);
  });

  it("least recently used is dropped first: a signature in use survives", () => {
    config.update({ cacheSize: 4 });
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.add(1);
    });
    const hot = np.ones([1]);
    for (let n = 2; n <= 20; n++) {
      f(hot);
      f(np.ones([n]));
    }
    expect(traces).toBe(20); // [1] traced once, every other shape once
    expect(f.cacheSize).toBe(4);
  });

  it("an evicted trace is released, with the Programs grad derived from it", async () => {
    config.update({ cacheSize: 8 });
    const f = jit((x: Array) => x.sin().mul(x).sum());
    const g = grad((x: Array) => f(x));
    let first: Program | undefined = f.lower(np.ones([1])).program;
    g(np.ones([1]));
    const ref = new WeakRef(first);
    first = undefined;
    for (let n = 2; n <= 30; n++) g(np.ones([n]));
    await collect();
    expect(ref.deref()).toBeUndefined();
  });

  it("customJvp and customVjp keep at most config.cacheSize signatures", () => {
    config.update({ cacheSize: 4 });
    let jvpTraces = 0;
    const s = customJvp((x: Array) => {
      jvpTraces++;
      return x.sin();
    });
    s.defJvp(([x], [t]) => [x.sin(), t.mul(x.cos())]);
    let vjpTraces = 0;
    const c = customVjp((x: Array) => {
      vjpTraces++;
      return x.sin();
    });
    c.defVjp(
      (x: Array) => [x.sin(), x.cos()],
      (cos: Array, ct: Array) => [ct.mul(cos)],
    );
    for (let n = 1; n <= 12; n++) {
      s(np.ones([n]));
      c(np.ones([n]));
    }
    expect([jvpTraces, vjpTraces]).toEqual([12, 12]);
    s(np.ones([12]));
    c(np.ones([12]));
    expect([jvpTraces, vjpTraces]).toEqual([12, 12]); // recent: cached
    expect(s(np.ones([1])).tolist()).toEqual([Math.fround(Math.sin(1))]);
    expect(c(np.ones([1])).tolist()).toEqual([Math.fround(Math.sin(1))]);
    expect([jvpTraces, vjpTraces]).toEqual([13, 13]); // evicted: traced again
  });

  it("symbols used as aux data are not kept alive; registered symbols are keyed by name", async () => {
    let s: symbol | undefined = Symbol("temporary");
    const key = auxKey({ tag: s });
    expect(auxKey({ tag: s })).toBe(key);
    expect(auxKey({ tag: Symbol("temporary") })).not.toBe(key);
    const ref = new WeakRef(s as unknown as object);
    s = undefined;
    await collect();
    expect(ref.deref()).toBeUndefined();
    expect(auxKey(Symbol.for("graft-test"))).toBe(auxKey(Symbol.for("graft-test")));
    expect(auxKey(Symbol.for("graft-test"))).not.toBe(auxKey(Symbol("graft-test")));
    expect(auxKey(Symbol.for("a"))).not.toBe(auxKey(Symbol.for("b")));
  });
});

describe("explainCacheMisses", () => {
  const warnings = () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    return () => spy.mock.calls.map((c) => String(c[0]));
  };

  it("logs one line per retrace naming the argument and what changed", () => {
    config.update({ explainCacheMisses: true });
    const logged = warnings();
    function step(x: Array, y: Array | number, opts: { mode: string }) {
      return opts.mode === "sq" ? x.square().add(y) : x.add(y);
    }
    const f = jit(step, { staticArgnums: [2] });
    const sq = { mode: "sq" };
    f(np.ones([3]), np.ones([1]), sq);
    expect(logged()).toEqual([]); // the first trace is not a miss
    f(np.ones([3]), np.ones([1]), sq);
    expect(logged()).toEqual([]); // cached
    f(np.ones([4]), np.ones([1]), sq);
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatch(
      /^jit\(step\): cache miss, tracing again: argument 0 shape changed from f32\[3\] to f32\[4\]$/,
    );
    f(np.ones([4], { dtype: "int32" }), np.ones([1]), sq);
    expect(logged()[1]).toMatch(/argument 0 dtype changed from f32\[4\] to i32\[4\]$/);
    f(np.ones([4], { dtype: "int32" }), 2.5, sq);
    expect(logged()[2]).toMatch(/argument 1 shape changed from f32\[1\] to f32\[\]~$/);
    f(np.ones([4], { dtype: "int32" }), np.array(2.5), sq);
    expect(logged()[3]).toMatch(
      /argument 1 weak type changed from f32\[\]~ to f32\[\] \(~ marks a weakly typed value, such as a JS number\)$/,
    );
    f(np.ones([4], { dtype: "int32" }), np.array(2.5), { mode: "lin" });
    expect(logged()[4]).toMatch(/static argument 2 changed from \{mode: "sq"\} to \{mode: "lin"\}$/);
    expect(logged()).toHaveLength(5);
  });

  it("names the leaf of a pytree argument and a changed structure", () => {
    config.update({ explainCacheMisses: true });
    const logged = warnings();
    const f = jit((p: { w: Array; b?: Array }) => (p.b ? p.w.add(p.b) : p.w));
    f({ w: np.ones([2]), b: np.ones([2]) });
    f({ w: np.ones([2]), b: np.ones([1]) });
    f({ w: np.ones([2]) });
    expect(logged()).toEqual([
      expect.stringMatching(/argument 0 \(leaf \.b\) shape changed from f32\[2\] to f32\[1\]$/),
      expect.stringMatching(/argument 0 structure changed from \{b: \*, w: \*\} to \{w: \*\}$/),
    ]);
  });

  it("says when the cache was cleared or the signature evicted, and is silent when off", () => {
    const logged = warnings();
    const f = jit((x: Array) => x.neg());
    f(np.ones([1]));
    f(np.ones([2]));
    expect(logged()).toEqual([]); // off by default
    config.update({ explainCacheMisses: true });
    clearCaches();
    f(np.ones([2]));
    expect(logged()[0]).toMatch(/clearCaches\(\) emptied the cache/);
    config.update({ cacheSize: 1 });
    f(np.ones([3]));
    expect(logged()[1]).toMatch(/argument 0 shape changed from f32\[2\] to f32\[3\] \(the cache is full/);
  });
});

describe("traces are shared by function object and options", () => {
  it("jit(f)(x) in a loop traces f once", () => {
    let traces = 0;
    const f = (x: Array) => {
      traces++;
      return x.mul(3).sum();
    };
    const x = np.ones([4]);
    for (let i = 0; i < 200; i++) expect(jit(f)(x).item()).toBe(12);
    expect(traces).toBe(1);
    expect(jit(f).cacheSize).toBe(1);
  });

  it("different options do not share traces", () => {
    let traces = 0;
    const f = (x: Array, k: number) => {
      traces++;
      return x.mul(k);
    };
    const x = np.ones([2]);
    expect(jit(f)(x, 2).tolist()).toEqual([2, 2]);
    expect(jit(f)(x, 3).tolist()).toEqual([3, 3]); // k traced: same trace
    expect(traces).toBe(1);
    expect(jit(f, { staticArgnums: 1 })(x, 2).tolist()).toEqual([2, 2]);
    expect(jit(f, { staticArgnums: [1] })(x, 3).tolist()).toEqual([3, 3]);
    expect(traces).toBe(3);
    expect(jit(f, { staticArgnums: [1] })(x, 2).tolist()).toEqual([2, 2]); // shared with staticArgnums: 1
    expect(traces).toBe(3);
  });

  it("different functions with the same source do not share traces", () => {
    const make = (k: number) => (x: Array) => x.mul(k);
    expect(jit(make(2))(np.ones([1])).item()).toBe(2);
    expect(jit(make(5))(np.ones([1])).item()).toBe(5);
  });
});

describe("clearCaches", () => {
  it("empties the jit caches: a jitted function traces again", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.add(1);
    });
    f(np.ones([2]));
    f(np.ones([2]));
    expect([traces, f.cacheSize]).toEqual([1, 1]);
    clearCaches();
    expect(f.cacheSize).toBe(0);
    expect(f(np.ones([2])).tolist()).toEqual([2, 2]);
    expect([traces, f.cacheSize]).toEqual([2, 1]);
  });

  it("empties custom rule caches, and grad of a jitted function still works afterwards", () => {
    let traces = 0;
    const s = customJvp((x: Array) => {
      traces++;
      return x.sin();
    });
    s.defJvp(([x], [t]) => [x.sin(), t.mul(x.cos())]);
    const f = jit((x: Array) => s(x).sum());
    const g = grad(f);
    expect(g(np.array([0.5])).item()).toBeCloseTo(Math.cos(0.5), 6);
    const before = traces;
    g(np.array([0.5]));
    expect(traces).toBe(before);
    clearCaches();
    expect(g(np.array([0.5])).item()).toBeCloseTo(Math.cos(0.5), 6);
    expect(traces).toBeGreaterThan(before);
    expect(np.array([1, 2]).add(1).tolist()).toEqual([2, 3]); // scalar cache refilled
  });
});

describe("jit argument and option errors", () => {
  it("a string argument names its position and suggests staticArgnums", () => {
    const f = jit((x: Array, _label: string) => x);
    expect(() => f(np.ones([1]), "hello")).toThrow(
      'jit: arguments must be graft arrays, numbers or pytrees of them; found a string ("hello") as argument 1 — mark it static with jit(f, { staticArgnums: [1] })',
    );
    expect(() => jit((p: { x: Array; name: string }) => p.x)({ x: np.ones([1]), name: "w" })).toThrow(
      /found a string \("w"\) as argument 0 \(leaf \.name\) — mark it static with jit\(f, \{ staticArgnums: \[0\] \}\)/,
    );
    // static, it works
    expect(jit((x: Array, _label: string) => x, { staticArgnums: [1] })(np.ones([1]), "hello").tolist()).toEqual([1]);
  });

  it("a non-function is rejected when jit is called, not at the first call", () => {
    expect(() => jit("x" as never)).toThrow(/^jit: expected a function, got string "x"/);
    expect(() => jit(null as never)).toThrow(/^jit: expected a function, got null/);
  });

  it("unknown options and malformed staticArgnums are rejected at creation", () => {
    const f = (x: Array) => x;
    expect(() => jit(f, { staticArgnames: ["x"] } as never)).toThrow(
      "jit: unknown option 'staticArgnames'; known options: staticArgnums",
    );
    expect(() => jit(f, { staticArgnums: "1" } as never)).toThrow(
      /jit: staticArgnums must be an integer or a list of integers, got string "1"/,
    );
    expect(() => jit(f, { staticArgnums: [0.5] })).toThrow(/got \[0\.5\]/);
  });

  it("symbol-keyed properties of static arguments are part of the cache key", () => {
    const k = Symbol("k");
    const f = jit((x: Array, cfg: Record<symbol, number>) => x.mul(cfg[k]!), { staticArgnums: [1] });
    expect(f(np.ones([1]), { [k]: 1 }).item()).toBe(1);
    expect(f(np.ones([1]), { [k]: 2 }).item()).toBe(2);
    expect(f(np.ones([1]), { [k]: 1 }).item()).toBe(1);
    expect(f.cacheSize).toBe(2);
    // another symbol with the same description is a different key
    const k2 = Symbol("k");
    const g = jit((x: Array, cfg: Record<symbol, number>) => x.mul(cfg[k] ?? cfg[k2]! * 10), { staticArgnums: [1] });
    expect(g(np.ones([1]), { [k]: 1 }).item()).toBe(1);
    expect(g(np.ones([1]), { [k2]: 1 }).item()).toBe(10);
  });

  it("distinct symbols as static arguments are distinct keys", () => {
    const a = Symbol("mode");
    const b = Symbol("mode");
    const f = jit((x: Array, m: symbol) => (m === a ? x.neg() : x), { staticArgnums: [1] });
    expect(f(np.ones([1]), a).item()).toBe(-1);
    expect(f(np.ones([1]), b).item()).toBe(1);
    expect(f(np.ones([1]), Symbol.for("mode")).item()).toBe(1);
  });
});
