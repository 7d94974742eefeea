/**
 * `scan` and `lax.map`: values against plain JS loops, pytree carries and xs, reverse, length
 * without xs, every transform (eager, under jit, nested), reverse mode without unrolling, the
 * printed program, and every error path.
 */
import { describe, expect, it } from "vitest";
import {
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  np,
  scan,
  valueAndGrad,
  vjp,
  vmap,
} from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

type Array = np.Array;
/** A float64 array from (nested) JS numbers. */
const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });
const i32 = (v: number[] | number): Array => np.array(v, { dtype: "int32" });

/** Elman-style recurrence h ← tanh(w·h + x), emitting h² each step; returns Σ final h + Σ ys. */
const rnnStep = (w: Array) => (h: Array, x: Array) => {
  const hn = h.mul(w).add(x).tanh();
  return [hn, hn.square()] as const;
};
const rnn = (w: Array, h0: Array, xs: Array): Array => {
  const [h, ys] = scan(rnnStep(w), h0, xs);
  return h.sum().add(ys.sum());
};
/** The same recurrence written as a JS loop over graft ops (the reference for gradients). */
const rnnUnrolled = (w: Array, h0: Array, xs: Array): Array => {
  let h = h0;
  let s = f64(0);
  for (let t = 0; t < xs.shape[0]!; t++) {
    h = h.mul(w).add(xs.get(t)).tanh();
    s = s.add(h.square().sum());
  }
  return h.sum().add(s);
};
/** And in plain JS numbers (the reference for values). */
const rnnJs = (w: number[], h0: number[], xs: number[][]): number => {
  let h = h0;
  let s = 0;
  for (const x of xs) {
    h = h.map((v, i) => Math.tanh(v * w[i]! + x[i]!));
    s += h.reduce((a, v) => a + v * v, 0);
  }
  return h.reduce((a, b) => a + b, 0) + s;
};

const W = [0.7, -0.4];
const H0 = [0.1, 0.2];
const XS = [
  [0.5, -0.3],
  [0.8, 0.1],
  [-0.6, 0.9],
  [0.2, 0.2],
];

describe("scan: values", () => {
  it("cumulative sum / product against a JS loop (eager and jit)", () => {
    const f = (xs: Array) => scan((c: Array, x: Array) => [c.add(x), c.mul(x)] as const, f64(0), xs);
    for (const g of [f, jit(f)]) {
      const [tot, parts] = g(f64([1, 2, 3, 4]));
      expect(tot.item()).toBe(10);
      expectClose(parts, [0, 2, 9, 24]);
    }
  });

  it("an RNN recurrence matches the JS loop", () => {
    const want = rnnJs(W, H0, XS);
    expectClose(rnn(f64(W), f64(H0), f64(XS)), want, 1e-12);
    expectClose(jit(rnn)(f64(W), f64(H0), f64(XS)), want, 1e-12);
  });

  it("pytree carry and pytree xs, with pytree ys", () => {
    type C = { h: Array; n: Array };
    type X = { a: Array; b: Array };
    const body = (c: C, x: X) =>
      [
        { h: c.h.mul(x.a).add(x.b), n: c.n.add(1) },
        { s: c.h.sum(), p: [x.a.mul(2)] },
      ] as const;
    const init: C = { h: f64([1, 2]), n: i32(0) };
    const xs: X = {
      a: f64([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      b: f64([[0.5], [-1], [2]]),
    };
    // JS reference
    let h = [1, 2];
    const s: number[] = [];
    const xa = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const xb = [0.5, -1, 2];
    for (let t = 0; t < 3; t++) {
      s.push(h[0]! + h[1]!);
      h = h.map((v, i) => v * xa[t]![i]! + xb[t]!);
    }
    for (const run of [(i: C, x: X) => scan(body, i, x), jit((i: C, x: X) => scan(body, i, x))]) {
      const [c, y] = run(init, xs);
      expectClose(c.h, h);
      expect(c.n.dtype).toBe("int32");
      expect(c.n.item()).toBe(3);
      expectClose(y.s, s);
      expectClose(
        y.p[0]!,
        xa.flat().map((v) => 2 * v),
      );
      expect(y.p[0]!.shape).toEqual([3, 2]);
    }
    // xs as a list pytree
    const [tot] = scan((c: Array, x: [Array, Array]) => [c.add(x[0].mul(x[1])), c] as const, f64(0), [
      f64([1, 2]),
      f64([3, 4]),
    ] as [Array, Array]);
    expect(tot.item()).toBe(11);
  });

  it("reverse iterates from the last element, keeping ys aligned with xs", () => {
    const f = (xs: Array) => scan((c: Array, x: Array) => [c.add(x), c] as const, f64(0), xs, { reverse: true });
    const [tot, ys] = f(f64([1, 2, 3, 4]));
    expect(tot.item()).toBe(10);
    expectClose(ys, [9, 7, 4, 0]);
    expectClose(jit(f)(f64([1, 2, 3, 4]))[1], [9, 7, 4, 0]);
    // order-sensitive body: c ← 2c + x
    const [horner] = scan((c: Array, x: Array) => [c.mul(2).add(x), c] as const, f64(0), f64([1, 0, 1, 1]), {
      reverse: true,
    });
    expect(horner.item()).toBe(13); // reads 1, 1, 0, 1: ((1·2 + 1)·2 + 0)·2 + 1
  });

  it("length without xs, and xs = null with ys", () => {
    const [c, ys] = scan(
      (c: Array, x: null) => {
        expect(x).toBeNull();
        return [c.mul(2), c] as const;
      },
      f64(1),
      null,
      { length: 5 },
    );
    expect(c.item()).toBe(32);
    expectClose(ys, [1, 2, 4, 8, 16]);
    expectClose(
      jit((c0: Array) => scan((c: Array, _: null) => [c.mul(2), c] as const, c0, null, { length: 3 })[0])(f64(1.5)),
      12,
    );
    // explicit length equal to xs's leading axis is fine
    expectClose(scan((c: Array, x: Array) => [c.add(x), c] as const, f64(0), f64([1, 2]), { length: 2 })[0], 3);
  });

  it("zero steps return the init and empty ys", () => {
    const [c, ys] = scan(
      (c: Array, x: Array) => [c.add(x), c.mul(x)] as const,
      f64([1, 2]),
      np.zeros([0, 2], { dtype: "float64" }),
    );
    expectClose(c, [1, 2]);
    expect(ys.shape).toEqual([0, 2]);
    const [c2, ys2] = scan((c: Array, _: null) => [c.add(1), c] as const, f64(5), null, { length: 0 });
    expect(c2.item()).toBe(5);
    expect(ys2.shape).toEqual([0]);
  });

  it("null ys and a JS-number init (weakly typed: takes the body's dtype)", () => {
    const [c, ys] = scan((c: Array, x: Array) => [c.add(x), null] as const, f64(0), f64([1, 2]));
    expect(c.item()).toBe(3);
    expect(ys).toBeNull();
    const [w] = scan((c: Array, x: Array) => [c.add(x), c] as const, 0 as unknown as Array, f64([1, 2, 3]));
    expect(w.dtype).toBe("float64");
    expect(w.item()).toBe(6);
  });

  it("lax.map stacks f over the leading axis", () => {
    const m = lax.map((r: Array) => r.sum(), np.ones([3, 4]));
    expectClose(m, [4, 4, 4]);
    const p = lax.map((r: { a: Array; b: Array }) => ({ s: r.a.mul(r.b) }), { a: f64([1, 2, 3]), b: f64([4, 5, 6]) });
    expectClose(p.s, [4, 10, 18]);
    expectClose(
      jit((x: Array) => lax.map((r: Array) => r.max(), x))(
        f64([
          [1, 5],
          [7, 2],
        ]),
      ),
      [5, 7],
    );
    expectClose(
      grad((x: Array) => lax.map((r: Array) => r.square().sum(), x).sum())(
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
      [2, 4, 6, 8],
    );
  });
});

describe("scan: differentiation", () => {
  const args = () => [f64(W), f64(H0), f64(XS)] as const;

  it("grad w.r.t. init, xs and a closed-over parameter equals the unrolled loop's", () => {
    const want = grad(rnnUnrolled, { argnums: [0, 1, 2] })(...args());
    for (const g of [
      grad(rnn, { argnums: [0, 1, 2] }),
      grad(jit(rnn), { argnums: [0, 1, 2] }),
      jit(grad(rnn, { argnums: [0, 1, 2] })),
    ]) {
      const got = g(...args());
      for (let k = 0; k < 3; k++) expectClose(got[k]!, flat(want[k]!), 1e-12);
    }
  });

  it("valueAndGrad, vjp, jvp and linearize", () => {
    const [v, g] = valueAndGrad(rnn)(...args());
    expectClose(v, rnnJs(W, H0, XS), 1e-12);
    expectClose(g, flat(grad(rnnUnrolled)(...args())), 1e-12);
    // ys of a multiplicative scan: ys = [a, a, 2a]
    const [y, back] = vjp(
      (a: Array) => scan((c: Array, x: Array) => [c.mul(x), c] as const, a, f64([1, 2, 3]))[1],
      f64(2),
    );
    expectClose(y, [2, 2, 4]);
    expect(back(f64([1, 1, 1]))[0].item()).toBe(4);
    const dir = [f64([1, -1]), f64([0.5, 0.5]), f64(XS.map((r) => r.map((v) => v * 0.1)))] as const;
    const [p, t] = jvp(rnn, [...args()], [...dir]);
    const [, tu] = jvp(rnnUnrolled, [...args()], [...dir]);
    expectClose(p, rnnJs(W, H0, XS), 1e-12);
    expectClose(t, Number(tu.item()), 1e-12);
    const [y2, lin] = linearize(
      (a: Array) => scan((c: Array, x: Array) => [c.mul(c).mul(x), c] as const, a, f64([1, 2]))[0],
      f64(0.5),
    );
    expect(y2.item()).toBeCloseTo(0.125, 14); // 2a⁴
    expect(lin(f64(1)).item()).toBeCloseTo(1, 14); // 8a³
    expect(lin(f64(2)).item()).toBeCloseTo(2, 14);
  });

  it("grad of grad and hessian through scan (w.r.t. a closed-over parameter)", () => {
    // c ← c·w + x from c = 1 over [1, 2, 3]: w³ + w² + 2w + 3
    const f = (w: Array) => scan((c: Array, x: Array) => [c.mul(w).add(x), c] as const, f64(1), f64([1, 2, 3]))[0];
    expect(f(f64(2)).item()).toBe(19);
    expect(grad(f)(f64(2)).item()).toBe(18);
    expect(grad(grad(f))(f64(2)).item()).toBe(14);
    expect(jit(grad(grad(f)))(f64(2)).item()).toBe(14);
    expect(grad(grad(jit(f)))(f64(2)).item()).toBe(14);
    expect(grad(grad(grad(f)))(f64(2)).item()).toBe(6);
    const hs = hessian((w: Array) => rnn(w, f64(H0), f64(XS)))(f64(W));
    const hu = hessian((w: Array) => rnnUnrolled(w, f64(H0), f64(XS)))(f64(W));
    expectClose(hs as Array, flat(hu as Array), 1e-10);
  });

  it("jacfwd and jacrev of the stacked ys agree", () => {
    const f = (w: Array) =>
      scan(
        (c: Array, x: Array) => [c.mul(w).add(x).tanh(), c] as const,
        f64([0.1, 0.2]),
        f64([
          [1, 2],
          [3, 4],
        ]),
      )[1];
    const a = jacfwd(f)(f64([0.5, 0.3])) as Array;
    const b = jacrev(f)(f64([0.5, 0.3])) as Array;
    expect(a.shape).toEqual([2, 2, 2]);
    expectClose(a, flat(b), 1e-12);
  });

  it("pytree carries with int leaves, reverse scans, zero and one steps", () => {
    const f = (x: Array) =>
      scan(
        (c: [Array, Array], xx: Array): [[Array, Array], Array] => [[c[0].mul(xx), c[1].add(1)], c[0]],
        [x, i32(0)] as [Array, Array],
        f64([1, 2, 3]),
      )[0][0];
    expect(grad(f)(f64(2)).item()).toBe(6);
    // reverse: Σ ys = 1 + (x3+1) + (x3+1)·x2 + 1
    const r = (xs: Array) =>
      scan((c: Array, x: Array) => [c.mul(x).add(1), c] as const, f64(1), xs, { reverse: true })[1].sum();
    expectClose(grad(r)(f64([1, 2, 3])), [0, 4, 3]);
    expectClose(jit(grad(r))(f64([1, 2, 3])), [0, 4, 3]);
    expect(
      grad(
        (x: Array) => scan((c: Array, xx: Array) => [c.mul(xx), c] as const, x, np.zeros([0], { dtype: "float64" }))[0],
      )(f64(2)).item(),
    ).toBe(1);
    expect(
      grad((x: Array) => scan((c: Array, xx: Array) => [c.mul(xx), c] as const, x, f64([3]))[0])(f64(2)).item(),
    ).toBe(3);
  });

  it("bodies that ignore their carry, return constants, or swap carry leaves", () => {
    expect(
      grad((x: Array) => scan((c: Array, _xx: Array) => [c.mul(2), c] as const, x, f64([1, 2, 3]))[1].sum())(
        f64(2),
      ).item(),
    ).toBe(7);
    const constCarry = (x: Array) => {
      const [c, ys] = scan((c: Array, xx: Array) => [f64(1), c.mul(xx).mul(x)] as const, f64(0), f64([1, 2, 3]));
      return c.add(ys.sum());
    };
    expect(grad(constCarry)(f64(2)).item()).toBe(5);
    const swap = (x: Array) => {
      const [c, ys] = scan(
        (c: [Array, Array], xx: Array): [[Array, Array], Array] => [[c[1], c[0]], c[0].mul(xx)],
        [x, x.mul(3)] as [Array, Array],
        f64([1, 2, 3]),
      );
      return c[0].add(ys.sum());
    };
    expect(grad(swap)(f64(2)).item()).toBe(13);
    expect(grad(jit(swap))(f64(2)).item()).toBe(13);
  });

  it("reverse mode does not unroll: the backward pass is a reverse scan", () => {
    const f = (w: Array, xs: Array) =>
      scan(
        (h: Array, x: Array) => {
          const hn = h.mul(w).add(x).tanh();
          return [hn, hn] as const;
        },
        f64(0.1),
        xs,
      )[1].sum();
    const text = String(makeJaxpr(grad(f))(f64(0.5), np.ones([100], { dtype: "float64" })));
    expect(text).toMatch(/scan\[[^\n]*length=100 reverse=false/);
    expect(text).toMatch(/scan\[[^\n]*length=100 reverse=true/);
    const lines = text.split("\n");
    expect(lines.length, text).toBeLessThan(80);
    expect(lines.filter((l) => / = tanh /.test(l)).length, text).toBe(1);
    // and it computes the same gradient as the unrolled loop
    const xs = np.linspace(-1, 1, 100, { dtype: "float64" });
    const unrolled = (w: Array, xs: Array) => {
      let h = f64(0.1);
      let s = f64(0);
      for (let t = 0; t < 100; t++) {
        h = h.mul(w).add(xs.get(t)).tanh();
        s = s.add(h);
      }
      return s;
    };
    expect(grad(f)(f64(0.5), xs).item()).toBeCloseTo(Number(grad(unrolled)(f64(0.5), xs).item()), 11);
  });
});

describe("scan under vmap", () => {
  const stepW = (w: Array) => (c: Array, x: Array) => [c.mul(w).add(x), c.mul(w)] as const;

  it("batched xs (axis 0 and 1), batched init, batched closure", () => {
    const cums = (xs: Array) => scan((c: Array, x: Array) => [c.add(x), c] as const, f64(0), xs)[1];
    expectClose(
      vmap(cums)(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [0, 1, 3, 0, 4, 9],
    );
    expectClose(
      vmap(cums, { inAxes: 1 })(
        f64([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ),
      [0, 1, 4, 0, 2, 6],
    );
    const [c, ys] = vmap((c0: Array) => scan((c: Array, x: Array) => [c.add(x), c] as const, c0, f64([1, 2])))(
      f64([0, 10]),
    );
    expectClose(c, [3, 13]);
    expectClose(ys, [0, 1, 10, 11]);
    const [cw, yw] = vmap((w: Array) => scan(stepW(w), f64(1), f64([1, 2, 3])))(f64([2, 3]));
    expectClose(cw, [19, 45]);
    expectClose(yw, [2, 6, 16, 3, 12, 42]);
  });

  it("reverse scans, length-only scans and jit under vmap", () => {
    expectClose(
      vmap((xs: Array) => scan((c: Array, x: Array) => [c.add(x), c] as const, f64(0), xs, { reverse: true })[1])(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [5, 3, 0, 11, 6, 0],
    );
    expectClose(
      vmap((c0: Array) => scan((c: Array, _: null) => [c.mul(2), c] as const, c0, null, { length: 3 })[0])(f64([1, 5])),
      [8, 40],
    );
    expectClose(jit(vmap((w: Array) => scan(stepW(w), f64(1), f64([1, 2, 3]))[0]))(f64([2, 3])), [19, 45]);
  });

  it("vmap(grad) and grad(vmap) equal per-example gradients", () => {
    const f = (w: Array) => scan(stepW(w), f64(1), f64([1, 2, 3]))[0];
    expectClose(vmap(grad(f))(f64([2, 3])), [18, 35]);
    expectClose(jit(vmap(grad(f)))(f64([2, 3])), [18, 35]);
    expectClose(grad((w: Array) => vmap(f)(w).sum())(f64([2, 3])), [18, 35]);
    const batch = [W, [0.1, 0.9], [-1, 0.5]];
    const got = vmap(grad((w: Array) => rnn(w, f64(H0), f64(XS))))(f64(batch));
    const want = batch.flatMap((w) => flat(grad((v: Array) => rnnUnrolled(v, f64(H0), f64(XS)))(f64(w))));
    expectClose(got, want, 1e-12);
  });
});

describe("scan: printed programs", () => {
  it("prints the body indented under the scan equation", () => {
    const text = String(makeJaxpr(rnn)(f64(W), f64(H0), f64(XS)));
    const lines = text.split("\n");
    const k = lines.findIndex((l) =>
      /^ {4}\S.* = scan\[body=\{\.\.\.\} numConsts=1 numCarry=1 length=4 reverse=false\]/.test(l),
    );
    expect(k, text).toBeGreaterThan(0);
    expect(lines[k + 1], text).toMatch(/^ {6}\{ lambda /);
    expect(text).toMatch(/^ {10}\w+:f64\[2\] = tanh \w+$/m);
    expect(text).toMatch(/^ {8}in \( \w+ \w+ \) \}$/m);
  });
});

describe("scan: errors", () => {
  it("a carry that changes shape or dtype names the leaf", () => {
    expect(() => scan((c: Array, x: Array) => [c.add(x).sum(), x] as const, np.zeros([2]), np.ones([3, 2]))).toThrow(
      /scan: the initial carry and the carry the body returns differ at leaf \(root\): float32\[2\] vs float32\[\]/,
    );
    expect(() =>
      scan(
        (c: { a: Array; b: Array }, x: Array) => [{ a: c.a, b: c.b.astype("float64") }, x] as const,
        { a: np.zeros([2]), b: np.zeros([2]) },
        np.ones([3, 2]),
      ),
    ).toThrow(/differ at leaf \.b: float32\[2\] vs float64\[2\]/);
    expect(() =>
      scan((c: { a: Array }, x: Array) => [{ b: c.a }, x] as never, { a: np.zeros([2]) }, np.ones([3, 2])),
    ).toThrow(/scan: the initial carry has structure \{a: \*\} but the carry the body returns has structure \{b: \*\}/);
    expect(() =>
      jit((x: Array) => scan((c: Array, xx: Array) => [c.add(xx).sum(), xx] as const, x, np.ones([3, 2])))(
        np.zeros([2]),
      ),
    ).toThrow(/differ at leaf \(root\)/);
  });

  it("a body that does not return [carry, y]", () => {
    expect(() => scan(((c: Array, x: Array) => c.add(x)) as never, np.zeros([2]), np.ones([3, 2]))).toThrow(
      /scan: the body must return \[carry, y\]/,
    );
    expect(() => scan(((c: Array, x: Array) => [c, x, x]) as never, np.zeros([2]), np.ones([3, 2]))).toThrow(
      /the body must return \[carry, y\]/,
    );
    expect(() => scan(((c: Array) => [c]) as never, np.zeros([2]), np.ones([3, 2]))).toThrow(
      /the body must return \[carry, y\]/,
    );
    expect(() => scan(((c: Array, x: Array) => ({ carry: c, y: x })) as never, np.zeros([2]), np.ones([3, 2]))).toThrow(
      /the body must return \[carry, y\]/,
    );
  });

  it("xs leaves with different lengths, or a length that disagrees", () => {
    expect(() =>
      scan((c: Array, x: { a: Array; b: Array }) => [c, x.a] as const, np.zeros([2]), {
        a: np.ones([3, 2]),
        b: np.ones([4, 2]),
      }),
    ).toThrow(/scan: xs leaf 1 has 4 steps along its leading axis, but xs leaf 0 says 3/);
    expect(() => scan((c: Array, x: Array) => [c, x] as const, np.zeros([2]), np.ones([3, 2]), { length: 5 })).toThrow(
      /xs leaf 0 has 3 steps .* but length says 5/,
    );
    expect(() => scan((c: Array, x: Array) => [c, x] as const, f64(0), f64(3))).toThrow(
      /scan: xs leaf 0 is a scalar; every xs leaf needs a leading axis/,
    );
  });

  it("a missing or invalid length", () => {
    expect(() => scan((c: Array, _: null) => [c, c] as const, np.zeros([2]), null)).toThrow(
      /scan: pass xs with a leading axis, or the number of steps as \{ length \}/,
    );
    expect(() => scan((c: Array, _: null) => [c, c] as const, np.zeros([2]), null, { length: -1 })).toThrow(
      /length must be a non-negative integer, got -1/,
    );
    expect(() => scan((c: Array, _: null) => [c, c] as const, np.zeros([2]), null, { length: 2.5 })).toThrow(
      /length must be a non-negative integer, got 2\.5/,
    );
  });
});
