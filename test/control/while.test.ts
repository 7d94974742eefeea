/**
 * `whileLoop` and `fori`: values against plain JS loops, jit, vmap with a batched predicate (lanes
 * that finish at different times), forward mode through the loop (Newton's method), fori as a scan
 * (static bounds, reverse mode) or a while loop (traced bounds), the printed program, and every
 * error path.
 */
import { describe, expect, it } from "vitest";
import {
  fori,
  grad,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  np,
  valueAndGrad,
  vjp,
  vmap,
  whileLoop,
} from "../../src/index.js";
import { expectClose } from "../helpers.js";

type Array = np.Array;
/** A float64 array from (nested) JS numbers. */
const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });
const i32 = (v: number[] | number): Array => np.array(v, { dtype: "int32" });

/** Newton's method for sqrt(a) from x = 1, to float64 precision. */
const newtonSqrt = (a: Array): Array =>
  whileLoop(
    (x: Array) => x.square().sub(a).abs().greater(a.mul(1e-14)),
    (x: Array) => x.sub(x.square().sub(a).div(x.mul(2))),
    f64(1),
  );

/** (i, steps) of the Collatz sequence from n, run to 1. */
type Pair = [Array, Array];
const collatz = (n: Array): Pair =>
  whileLoop(
    ([k]: Pair) => k.greater(1),
    ([k, steps]: Pair): Pair => [np.where(np.mod(k, 2).equal(0), k.div(2).floor(), k.mul(3).add(1)), steps.add(1)],
    [n, f64(0)] as Pair,
  );
const collatzJs = (n: number): number => {
  let s = 0;
  for (; n > 1; s++) n = n % 2 === 0 ? n / 2 : 3 * n + 1;
  return s;
};

/** Σ i for i in [0, n) with an int carry: lanes with different n finish at different times. */
const triangle = (n: Array): Pair =>
  whileLoop(
    ([i]: Pair) => i.less(n),
    ([i, s]: Pair): Pair => [i.add(1), s.add(i)],
    [i32(0), i32(0)] as Pair,
  );

describe("whileLoop: values", () => {
  it("Newton's method for sqrt matches Math.sqrt (eager and jit)", () => {
    for (const a of [2, 9, 0.25, 1e4]) {
      expectClose(newtonSqrt(f64(a)), Math.sqrt(a), 1e-14);
      expectClose(jit(newtonSqrt)(f64(a)), Math.sqrt(a), 1e-14);
    }
  });

  it("pytree carries; a loop whose predicate is false at once returns the init", () => {
    for (const n of [1, 6, 27]) {
      const [k, steps] = collatz(f64(n));
      expect(k.item()).toBe(1);
      expect(steps.item()).toBe(collatzJs(n));
    }
    const o = whileLoop(
      (c: { a: Array; b: Array }) => c.a.less(0),
      (c: { a: Array; b: Array }) => ({ a: c.a.add(1), b: c.b.mul(2) }),
      { a: f64(5), b: f64([1, 2]) },
    );
    expect(o.a.item()).toBe(5);
    expectClose(o.b, [1, 2]);
  });

  it("condFn may close over traced values and return a JS boolean", () => {
    expect(
      jit((lim: Array) =>
        whileLoop(
          (x: Array) => x.less(lim),
          (x: Array) => x.mul(2),
          f64(1),
        ),
      )(f64(100)).item(),
    ).toBe(128);
    expect(
      whileLoop(
        () => false,
        (x: Array) => x.add(1),
        f64(3),
      ).item(),
    ).toBe(3);
  });

  it("a JS-number init takes the dtype the body gives the carry", () => {
    const r = whileLoop(
      (c: Array) => c.less(10),
      (c: Array) => c.add(f64(1.5)),
      0 as unknown as Array,
    );
    expect(r.dtype).toBe("float64");
    expect(r.item()).toBe(10.5);
  });

  it("is exported as lax.whileLoop and lax.fori", () => {
    expect(
      lax
        .whileLoop(
          (x: Array) => x.less(5),
          (x: Array) => x.add(2),
          f64(0),
        )
        .item(),
    ).toBe(6);
    expect(lax.fori(0, 4, (i: Array, c: Array) => c.add(i), i32(0)).item()).toBe(6);
    expect(lax.foriLoop(1, 4, (i: Array, c: Array) => c.mul(i), i32(1)).item()).toBe(6); // JAX's name
  });
});

describe("whileLoop under vmap", () => {
  it("a batched predicate: lanes finish at different times and keep their values", () => {
    const ns = [0, 3, 5, 1];
    for (const f of [vmap(triangle), jit(vmap(triangle)), vmap(jit(triangle))]) {
      const [i, s] = f(i32(ns));
      expect(Array.from(i.dataSync())).toEqual(ns);
      expect(Array.from(s.dataSync())).toEqual(ns.map((n) => (n * (n - 1)) / 2 + 0));
    }
    const starts = [1, 6, 27, 7];
    const [k, steps] = vmap(collatz)(f64(starts));
    expectClose(k, [1, 1, 1, 1]);
    expectClose(steps, starts.map(collatzJs));
  });

  it("batched carry with unbatched predicate inputs, batched closure in condFn only, and nesting", () => {
    const a = [2, 9, 0.25, 1e4];
    expectClose(vmap(newtonSqrt)(f64(a)), a.map(Math.sqrt), 1e-14);
    expectClose(
      vmap((lim: Array) =>
        whileLoop(
          (x: Array) => x.less(lim),
          (x: Array) => x.mul(2),
          f64(1),
        ),
      )(f64([1, 5, 100])),
      [1, 8, 128],
    );
    expectClose(
      vmap(
        vmap((lim: Array) =>
          whileLoop(
            (x: Array) => x.less(lim),
            (x: Array) => x.add(1),
            f64(0),
          ),
        ),
      )(
        f64([
          [1, 2.5],
          [0, 4],
        ]),
      ),
      [1, 3, 0, 4],
    );
    // body closes over a batched value while the predicate only reads the carry
    const g = (step: Array) =>
      whileLoop(
        (x: Array) => x.less(10),
        (x: Array) => x.add(step),
        f64(0),
      );
    expectClose(vmap(g)(f64([1, 3, 20])), [10, 12, 20]);
  });
});

describe("whileLoop: forward mode", () => {
  it("jvp of Newton's sqrt is 1 / (2 sqrt(a)) (eager, jit, jacfwd, vmap)", () => {
    for (const a of [4, 2, 0.5]) {
      const [y, t] = jvp(newtonSqrt, [f64(a)], [f64(1)]);
      expectClose(y, Math.sqrt(a), 1e-14);
      expectClose(t, 1 / (2 * Math.sqrt(a)), 1e-12);
      expectClose(jit((x: Array) => jvp(newtonSqrt, [x], [f64(1)])[1])(f64(a)), 1 / (2 * Math.sqrt(a)), 1e-12);
      expectClose(jvp(jit(newtonSqrt), [f64(a)], [f64(1)])[1], 1 / (2 * Math.sqrt(a)), 1e-12);
      expectClose(jacfwd(newtonSqrt)(f64(a)) as Array, 1 / (2 * Math.sqrt(a)), 1e-12);
    }
    const as = [4, 9, 16];
    expectClose(
      vmap((a: Array) => jvp(newtonSqrt, [a], [f64(1)])[1])(f64(as)),
      as.map((a) => 1 / (2 * Math.sqrt(a))),
      1e-12,
    );
    expectClose(
      jvp((a: Array) => vmap(newtonSqrt)(a), [f64(as)], [f64([1, 1, 1])])[1],
      as.map((a) => 1 / (2 * Math.sqrt(a))),
      1e-12,
    );
    // second derivative by jvp of jvp: -1 / (4 a^{3/2})
    const d2 = jvp((a: Array) => jvp(newtonSqrt, [a], [f64(1)])[1], [f64(4)], [f64(1)])[1];
    expectClose(d2, -1 / (4 * 4 ** 1.5), 1e-9);
  });

  it("tangents of closed-over values and of the init flow through", () => {
    // s ← s + a, three times
    const f = (a: Array) =>
      whileLoop(
        ([i]: Pair) => i.less(3),
        ([i, s]: Pair): Pair => [i.add(1), s.add(a)],
        [i32(0), f64(0)] as Pair,
      )[1];
    const [y, t] = jvp(f, [f64(2)], [f64(1)]);
    expect(y.item()).toBe(6);
    expect(t.item()).toBe(3);
    // x ← x·c until x > 100, from x0: the trip count is fixed by the primal, the tangent scales
    const g = (x0: Array) =>
      whileLoop(
        (x: Array) => x.less(100),
        (x: Array) => x.mul(3),
        x0,
      );
    expect(jvp(g, [f64(2)], [f64(1)])[1].item()).toBe(81); // 2·3⁴ = 162
    expectClose(
      jacfwd((a: Array) =>
        whileLoop(
          (x: Array) => x.square().sub(a).abs().sum().greater(1e-12),
          (x: Array) => x.sub(x.square().sub(a).div(x.mul(2))),
          f64([1, 1]),
        ),
      )(f64([4, 9])) as Array,
      [0.25, 0, 0, 1 / 6],
      1e-10,
    );
  });
});

describe("fori", () => {
  it("static bounds: values, an empty range, and a scan in the program", () => {
    expect(fori(0, 5, (i: Array, acc: Array) => acc.add(i), i32(0)).item()).toBe(10);
    expect(fori(2, 5, (i: Array, acc: Array) => acc.mul(i.astype("float64")), f64(1)).item()).toBe(24);
    expect(fori(5, 2, (i: Array, acc: Array) => acc.add(i), i32(7)).item()).toBe(7);
    expect(jit((x: Array) => fori(0, 3, (_i: Array, c: Array) => c.mul(x), f64(1)))(f64(2)).item()).toBe(8);
    const text = String(makeJaxpr((x: Array) => fori(0, 3, (_i: Array, c: Array) => c.mul(x), f64(1)))(f64(2)));
    expect(text).toMatch(/scan\[.*length=3/);
    expect(text).not.toContain("while[");
  });

  it("static bounds support reverse mode (it is a scan)", () => {
    const f = (x: Array) => fori(0, 3, (_i: Array, v: Array) => v.mul(x), f64(1));
    expect(grad(f)(f64(2)).item()).toBe(12);
    expect(grad(grad(f))(f64(2)).item()).toBe(12);
    expect(jit(grad(f))(f64(2)).item()).toBe(12);
    expectClose(vmap(grad(f))(f64([1, 2, 3])), [3, 12, 27]);
    // the index is an int32 scalar usable in the body
    expect(
      grad((x: Array) => fori(0, 4, (i: Array, c: Array) => c.add(x.mul(i.astype("float64"))), f64(0)))(f64(2)).item(),
    ).toBe(6);
    const [v, g] = valueAndGrad(
      (x: Array) =>
        fori(0, 2, (_i: Array, c: { a: Array; b: Array }) => ({ a: c.a.mul(x), b: c.b.add(c.a) }), {
          a: f64(1),
          b: f64(0),
        }).b,
    )(f64(3));
    expect(v.item()).toBe(4); // b = 1 + x
    expect(g.item()).toBe(1);
  });

  it("traced bounds: a while loop, with vmap over the bounds and forward mode", () => {
    const tri = (n: Array) => fori(0, n, (i: Array, c: Array) => c.add(i), i32(0));
    expect(jit(tri)(i32(5)).item()).toBe(10);
    expect(tri(i32(5)).item()).toBe(10);
    expect(Array.from(vmap(tri)(i32([0, 3, 5])).dataSync())).toEqual([0, 3, 10]);
    expect(jit((lo: Array) => fori(lo, 5, (i: Array, c: Array) => c.add(i), i32(0)))(i32(3)).item()).toBe(7);
    expect(jit((n: Array) => fori(5, n, (i: Array, c: Array) => c.add(i), i32(0)))(i32(2)).item()).toBe(0);
    const text = String(makeJaxpr(tri)(i32(5)));
    expect(text).toContain("while[");
    expect(text).not.toContain("scan[");
    const pow = (x: Array, n: Array) => fori(0, n, (_i: Array, c: Array) => c.mul(x), f64(1));
    const [y, t] = jvp((x: Array) => jit(pow)(x, i32(3)), [f64(2)], [f64(1)]);
    expect(y.item()).toBe(8);
    expect(t.item()).toBe(12);
  });
});

describe("whileLoop: printed programs", () => {
  it("prints the cond and body programs indented under the while equation", () => {
    const text = String(makeJaxpr(newtonSqrt)(f64(2)));
    const lines = text.split("\n");
    const k = lines.findIndex((l) =>
      /^ {4}\S.* = while\[cond=\{\.\.\.\} body=\{\.\.\.\} condConsts=1 bodyConsts=1\]/.test(l),
    );
    expect(k, text).toBeGreaterThan(0);
    expect(lines[k + 1], text).toMatch(/^ {6}\{ lambda /);
    const subs = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {6}\{ lambda /.test(l));
    expect(subs.length, text).toBe(2);
    // the cond program (first) returns a bool; the body (second) divides
    const condText = lines.slice(subs[0]![1], subs[1]![1]).join("\n");
    const bodyText = lines.slice(subs[1]![1]).join("\n");
    expect(condText).toMatch(/^ {10}\w+:bool\[\] = gt /m);
    expect(bodyText).toMatch(/^ {10}\w+:f64\[\] = div /m);
  });
});

describe("whileLoop / fori: errors", () => {
  it("condFn must return a boolean scalar", () => {
    expect(() =>
      whileLoop(
        (c: Array) => c,
        (c: Array) => c.sub(1),
        f64(3),
      ),
    ).toThrow(/whileLoop: condFn must return a boolean scalar, got f64\[\]/);
    expect(() =>
      whileLoop(
        (c: Array) => c.astype("int32"),
        (c: Array) => c.sub(1),
        f64(3),
      ),
    ).toThrow(/condFn must return a boolean scalar, got i32\[\]/);
    expect(() =>
      whileLoop(
        (c: Array) => c.greater(0),
        (c: Array) => c.sub(1),
        f64([3, 2]),
      ),
    ).toThrow(/condFn must return a boolean scalar, got bool\[2\]/);
    expect(() =>
      jit((x: Array) =>
        whileLoop(
          (c: Array) => c.greater(0),
          (c: Array) => c.sub(1),
          x,
        ),
      )(f64([3, 2])),
    ).toThrow(/boolean scalar/);
    expect(() =>
      whileLoop(
        (c: Array) => c.greater(0),
        (c: Array) => c.sub(1),
        f64(3),
      ),
    ).not.toThrow();
  });

  it("a body that changes the carry's structure, shape or dtype names the leaf", () => {
    expect(() =>
      whileLoop(
        (c: Array) => c.sum().greater(0),
        (c: Array) => c.sum(),
        f64([1, 2]),
      ),
    ).toThrow(
      /whileLoop: the initial carry and the carry the body returns differ at leaf \(root\): float64\[2\] vs float64\[\]/,
    );
    expect(() =>
      whileLoop(
        (c: { n: Array; x: Array }) => c.n.greater(0),
        (c: { n: Array; x: Array }) => ({ n: c.n, x: c.x.astype("float32") }),
        { n: f64(1), x: f64([1, 2]) },
      ),
    ).toThrow(/differ at leaf \.x: float64\[2\] vs float32\[2\]/);
    expect(() =>
      whileLoop(
        (c: { a: Array }) => c.a.greater(0),
        (c: { a: Array }) => ({ b: c.a }) as never,
        { a: f64(1) },
      ),
    ).toThrow(
      /whileLoop: the initial carry has structure \{a: \*\} but the carry the body returns has structure \{b: \*\}/,
    );
    expect(() =>
      jit((x: Array) =>
        whileLoop(
          (c: Array) => c.sum().greater(0),
          (c: Array) => c.sum(),
          x,
        ),
      )(f64([1, 2])),
    ).toThrow(/differ at leaf \(root\)/);
  });

  it("reverse mode through whileLoop raises an error suggesting scan / fori", () => {
    const loop = (a: Array) =>
      whileLoop(
        (c: Array) => c.greater(0.5),
        (c: Array) => c.mul(0.5),
        a,
      );
    const msg = /whileLoop: reverse-mode differentiation .* is not supported.*Use scan, or fori with JS-number bounds/s;
    expect(() => grad(loop)(f64(3))).toThrow(msg);
    expect(() => grad(newtonSqrt)(f64(2))).toThrow(msg);
    expect(() => vjp(loop, f64(3))).toThrow(msg);
    expect(() => jacrev(loop)(f64(3))).toThrow(msg);
    expect(() => linearize(loop, f64(3))).toThrow(msg);
    expect(() => jit(grad(loop))(f64(3))).toThrow(msg);
    expect(() => grad(jit(loop))(f64(3))).toThrow(msg);
    // fori with traced bounds is a while loop underneath
    expect(() => grad((x: Array) => fori(0, i32(3), (_i: Array, c: Array) => c.mul(x), f64(1)))(f64(2))).toThrow(msg);
  });

  it("fori with non-integer JS-number bounds", () => {
    expect(() => fori(0, 2.5, (i: Array, c: Array) => c.add(i), i32(0))).toThrow(
      /fori: bounds must be integers, got 0 and 2\.5/,
    );
    expect(() => fori(0.5, 2, (i: Array, c: Array) => c.add(i), i32(0))).toThrow(
      /fori: bounds must be integers, got 0\.5 and 2/,
    );
    expect(() => fori(0, Number.NaN, (i: Array, c: Array) => c.add(i), i32(0))).toThrow(/bounds must be integers/);
  });

  it("fori with float-dtype Array bounds is rejected", () => {
    expect(() => fori(0, f64(2.5), (i: Array, c: Array) => c.add(i), i32(0))).toThrow(/fori: .*integer/);
    expect(() => jit((n: Array) => fori(0, n, (i: Array, c: Array) => c.add(i), i32(0)))(np.array(2.5))).toThrow(
      /fori: .*integer/,
    );
  });
});
