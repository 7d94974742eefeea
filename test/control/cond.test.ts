/**
 * `cond` and `switchCase`: values against plain JS, every transform (eager, under jit, nested),
 * batched predicates/indices under vmap, index clamping, closures over traced values, the printed
 * program, and every error path.
 */
import { describe, expect, it } from "vitest";
import {
  cond,
  grad,
  scan,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  makeJaxpr,
  np,
  switchCase,
  valueAndGrad,
  vjp,
  vmap,
} from "../../src/index.js";
import { expectClose } from "../helpers.js";

type Array = np.Array;
/** A float64 array from (nested) JS numbers. */
const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });
const i32 = (v: number[] | number): Array => np.array(v, { dtype: "int32" });

/** cubes positive sums, takes sin otherwise: smooth on each side, different derivatives. */
const piecewise = (x: Array): Array =>
  cond(
    x.sum().greater(0),
    (v: Array) => v.mul(v).mul(v),
    (v: Array) => v.sin(),
    x,
  );
const piecewiseJs = (x: number[]): number[] =>
  x.reduce((a, b) => a + b, 0) > 0 ? x.map((v) => v ** 3) : x.map(Math.sin);
const dPiecewiseJs = (x: number[]): number[] =>
  x.reduce((a, b) => a + b, 0) > 0 ? x.map((v) => 3 * v * v) : x.map(Math.cos);

/** three branches of a scalar; index clamps into [0, 2]. */
const BRANCHES = [(v: Array) => v.sin(), (v: Array) => v.mul(v), (v: Array) => v.mul(3)] as const;
const sw = (i: Array | number, x: Array): Array => switchCase(i, BRANCHES, x);
const swJs = (i: number, x: number): number =>
  [Math.sin, (v: number) => v * v, (v: number) => 3 * v][Math.min(2, Math.max(0, i))]!(x);
const dSwJs = (i: number, x: number): number =>
  [Math.cos, (v: number) => 2 * v, () => 3][Math.min(2, Math.max(0, i))]!(x);

describe("cond: values", () => {
  it("takes the branch the predicate picks (eager and jit)", () => {
    for (const x of [
      [0.5, 1],
      [-0.5, -1],
      [2, -3],
    ]) {
      expectClose(piecewise(f64(x)), piecewiseJs(x), 1e-12);
      expectClose(jit(piecewise)(f64(x)), piecewiseJs(x), 1e-12);
    }
  });

  it("accepts JS booleans, int and float predicates (nonzero is true)", () => {
    const f = (p: Array | boolean) =>
      cond(
        p,
        (v: Array) => v.mul(2),
        (v: Array) => v.neg(),
        f64([1, 2]),
      );
    expectClose(f(true), [2, 4]);
    expectClose(f(false), [-1, -2]);
    expectClose(f(i32(3)), [2, 4]);
    expectClose(f(i32(0)), [-1, -2]);
    expectClose(f(f64(0)), [-1, -2]);
    expectClose(f(f64(-0.5)), [2, 4]);
  });

  it("passes several pytree operands and returns pytrees", () => {
    type P = { a: Array; b: [Array, Array] };
    const f = (p: Array, x: P, s: Array) =>
      cond(
        p,
        (q: P, t: Array) => ({ sum: q.a.add(q.b[0]).mul(t), n: q.b[1] }),
        (q: P, _t: Array) => ({ sum: q.a.sub(q.b[0]), n: q.b[1].add(1) }),
        x,
        s,
      );
    const x: P = { a: f64([1, 2]), b: [f64([10, 20]), i32(7)] };
    const t = f(np.array(true), x, f64(2));
    expectClose(t.sum, [22, 44]);
    expect(t.n.dtype).toBe("int32");
    expect(t.n.item()).toBe(7);
    const e = jit(f)(np.array(false), x, f64(2));
    expectClose(e.sum, [-9, -18]);
    expect(e.n.item()).toBe(8);
  });

  it("works with no operands and with branches returning constants", () => {
    expect(
      cond(
        np.array(true),
        () => f64(1),
        () => f64(2),
      ).item(),
    ).toBe(1);
    expect(
      jit((p: Array) =>
        cond(
          p,
          () => f64(1),
          () => f64(2),
        ),
      )(np.array(false)).item(),
    ).toBe(2);
  });

  it("is exported as lax.cond and lax.switch", () => {
    expect(
      lax
        .cond(
          np.array(false),
          (v: Array) => v,
          (v: Array) => v.neg(),
          f64(3),
        )
        .item(),
    ).toBe(-3);
    expect(lax.switch(i32(1), BRANCHES, f64(3)).item()).toBe(9);
  });

  it("re-evaluates the predicate on every call of a jitted function", () => {
    const g = jit((x: Array) =>
      cond(
        x.greater(0),
        (v: Array) => v.mul(2),
        (v: Array) => v.neg(),
        x,
      ),
    );
    expect([g(f64(1)), g(f64(-1)), g(f64(3)), g(f64(-4))].map((a) => a.item())).toEqual([2, 1, 6, 4]);
  });
});

describe("switchCase: values and clamping", () => {
  it("runs branches[index] for in-range indices (eager and jit)", () => {
    for (const i of [0, 1, 2]) {
      expectClose(sw(i32(i), f64(1.5)), swJs(i, 1.5), 1e-12);
      expectClose(jit(sw)(i32(i), f64(1.5)), swJs(i, 1.5), 1e-12);
      expectClose(sw(i, f64(1.5)), swJs(i, 1.5), 1e-12);
    }
  });

  it("clamps negative indices to the first branch and too large ones to the last", () => {
    for (const i of [-1, -7, -2147483647, 3, 9, 2147483647]) {
      expectClose(sw(i32(i), f64(1.5)), swJs(i, 1.5), 1e-12);
      expectClose(jit(sw)(i32(i), f64(1.5)), swJs(i, 1.5), 1e-12);
    }
  });

  it("clamps a batched index under vmap too", () => {
    const idx = [-5, -1, 0, 1, 2, 3, 100];
    const xs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    const want = idx.map((i, k) => swJs(i, xs[k]!));
    expectClose(vmap(sw)(i32(idx), f64(xs)), want, 1e-12);
    expectClose(jit(vmap(sw))(i32(idx), f64(xs)), want, 1e-12);
    // batched index, unbatched operand
    expectClose(
      vmap((i: Array) => sw(i, f64(0.5)))(i32(idx)),
      idx.map((i) => swJs(i, 0.5)),
      1e-12,
    );
  });

  it("clamps a huge uint32 index to the last branch", () => {
    const big = np.array(4294967295, { dtype: "uint32" });
    expectClose(sw(big, f64(1.5)), swJs(2, 1.5), 1e-12);
  });

  it("a small uint32 index works and clamps", () => {
    expectClose(sw(np.array(1, { dtype: "uint32" }), f64(1.5)), swJs(1, 1.5), 1e-12);
    expectClose(sw(np.array(5, { dtype: "uint32" }), f64(1.5)), swJs(2, 1.5), 1e-12);
  });

  it("a boolean index selects branch 0 or 1; a single branch always runs", () => {
    expect(switchCase(np.array(true), BRANCHES, f64(2)).item()).toBe(4);
    expect(switchCase(i32(-3), [(v: Array) => v.neg()], f64(2)).item()).toBe(-2);
    expect(switchCase(i32(5), [(v: Array) => v.neg()], f64(2)).item()).toBe(-2);
  });
});

describe("cond / switchCase: differentiation", () => {
  const xs = [
    [0.5, 1],
    [-0.5, -1],
    [1.5, -0.2],
  ];
  const loss = (x: Array) => piecewise(x).sum();

  it("grad follows the taken branch: eager, grad(jit), jit(grad)", () => {
    for (const x of xs) {
      const want = dPiecewiseJs(x);
      expectClose(grad(loss)(f64(x)), want, 1e-12);
      expectClose(grad(jit(loss))(f64(x)), want, 1e-12);
      expectClose(jit(grad(loss))(f64(x)), want, 1e-12);
    }
  });

  it("valueAndGrad, vjp and jvp", () => {
    const x = [0.3, 0.4];
    const [v, g] = valueAndGrad(loss)(f64(x));
    expectClose(
      v,
      piecewiseJs(x).reduce((a, b) => a + b),
      1e-12,
    );
    expectClose(g, dPiecewiseJs(x), 1e-12);
    const [y, back] = vjp(piecewise, f64(x));
    expectClose(y, piecewiseJs(x), 1e-12);
    expectClose(back(f64([1, 10]))[0], [dPiecewiseJs(x)[0]!, 10 * dPiecewiseJs(x)[1]!], 1e-12);
    const [p, t] = jvp(piecewise, [f64([-0.3, -0.4])], [f64([1, 2])]);
    expectClose(p, piecewiseJs([-0.3, -0.4]), 1e-12);
    expectClose(t, [Math.cos(-0.3), 2 * Math.cos(-0.4)], 1e-12);
    const [, tj] = jit((x: Array, d: Array) => jvp(piecewise, [x], [d]))(f64([-0.3, -0.4]), f64([1, 2]));
    expectClose(tj, [Math.cos(-0.3), 2 * Math.cos(-0.4)], 1e-12);
  });

  it("vmap(grad) with a batched predicate, and grad(vmap)", () => {
    const batch = f64(xs);
    const want = xs.flatMap(dPiecewiseJs);
    expectClose(vmap(grad(loss))(batch), want, 1e-12);
    expectClose(jit(vmap(grad(loss)))(batch), want, 1e-12);
    expectClose(grad((b: Array) => vmap(loss)(b).sum())(batch), want, 1e-12);
  });

  it("grad of grad, hessian, jacfwd and jacrev", () => {
    const f = (x: Array) =>
      cond(
        x.greater(0),
        (v: Array) => v.mul(v).mul(v),
        (v: Array) => v.sin(),
        x,
      );
    expect(grad(grad(f))(f64(2)).item()).toBeCloseTo(12, 12);
    expect(grad(grad(f))(f64(-2)).item()).toBeCloseTo(-Math.sin(-2), 12);
    expect(jit(grad(grad(f)))(f64(-2)).item()).toBeCloseTo(-Math.sin(-2), 12);
    expect(grad(grad(jit(f)))(f64(2)).item()).toBeCloseTo(12, 12);
    // f(x) = |x|² Σx on the true side
    const g = (x: Array) =>
      cond(
        x.sum().greater(0),
        (v: Array) => v.mul(v).sum().mul(v.sum()),
        (v: Array) => v.sin().sum(),
        x,
      );
    expectClose(hessian(g)(f64([1, 2])) as Array, [10, 6, 6, 14], 1e-12);
    expectClose(jacfwd(piecewise)(f64([1, 2])) as Array, [3, 0, 0, 12], 1e-12);
    expectClose(jacrev(piecewise)(f64([1, 2])) as Array, [3, 0, 0, 12], 1e-12);
  });

  it("switchCase gradients per branch, clamped, eager / jit / vmap", () => {
    for (const i of [-2, 0, 1, 2, 5]) {
      expect(grad(sw, { argnums: 1 })(i32(i), f64(0.7)).item()).toBeCloseTo(dSwJs(i, 0.7), 12);
      expect(jit(grad(sw, { argnums: 1 }))(i32(i), f64(0.7)).item()).toBeCloseTo(dSwJs(i, 0.7), 12);
    }
    const idx = [-1, 0, 1, 9];
    const x = [1, 2, 3, 4];
    expectClose(
      vmap(grad(sw, { argnums: 1 }))(i32(idx), f64(x)),
      idx.map((i, k) => dSwJs(i, x[k]!)),
      1e-12,
    );
  });

  it("branches closing over outer traced values (inside grad, jit, vmap)", () => {
    // w > 0: 3w, else 3w²
    const f = (w: Array) =>
      cond(
        w.greater(0),
        (v: Array) => v.mul(w),
        (v: Array) => v.mul(w).mul(w),
        f64(3),
      );
    expect(grad(f)(f64(2)).item()).toBeCloseTo(3, 12);
    expect(grad(f)(f64(-2)).item()).toBeCloseTo(-12, 12);
    expect(jit(grad(f))(f64(-2)).item()).toBeCloseTo(-12, 12);
    expect(grad(grad(f))(f64(-2)).item()).toBeCloseTo(6, 12);
    expectClose(vmap(grad(f))(f64([2, -2, -1])), [3, -12, -6], 1e-12);
    // a branch that returns the closed-over value itself, or ignores every input
    expect(
      grad((x: Array) =>
        cond(
          x.greater(0),
          () => x,
          (v: Array) => v.mul(2),
          f64(1),
        ),
      )(f64(2)).item(),
    ).toBe(1);
    expect(
      grad((x: Array) =>
        cond(
          x.greater(0),
          (v: Array) => v.mul(v),
          () => f64(5),
          x,
        ),
      )(f64(-2)).item(),
    ).toBe(0);
    // switchCase: each branch closes over w differently
    const s = (w: Array, i: Array) =>
      switchCase(i, [(v: Array) => v.mul(w), (v: Array) => v.mul(w).mul(w), () => w.sin()], f64(3));
    expect(grad(s)(f64(2), i32(0)).item()).toBeCloseTo(3, 12);
    expect(grad(s)(f64(2), i32(1)).item()).toBeCloseTo(12, 12);
    expect(grad(s)(f64(2), i32(2)).item()).toBeCloseTo(Math.cos(2), 12);
  });

  it("non-float operands and outputs pass through differentiation", () => {
    const f = (x: Array) => {
      const [y, k] = cond(
        x.greater(0),
        (v: Array, n: Array) => [v.mul(v), n] as const,
        (v: Array, n: Array) => [v, n.add(1)] as const,
        x,
        i32(1),
      );
      return y.mul(k.astype("float64"));
    };
    expect(grad(f)(f64(3)).item()).toBeCloseTo(6, 12);
    expect(grad(f)(f64(-3)).item()).toBeCloseTo(2, 12);
  });
});

describe("cond under vmap", () => {
  it("a batched predicate runs both branches and selects per lane", () => {
    const batch = [
      [0.5, 1],
      [-1, -2],
      [3, -1],
    ];
    const want = batch.flatMap(piecewiseJs);
    expectClose(vmap(piecewise)(f64(batch)), want, 1e-12);
    expectClose(jit(vmap(piecewise))(f64(batch)), want, 1e-12);
    expectClose(vmap(jit(piecewise))(f64(batch)), want, 1e-12);
    // the select shows up in the batched program
    const text = String(makeJaxpr(vmap(piecewise))(f64(batch)));
    expect(text).toContain("select");
  });

  it("an unbatched predicate with batched operands stays a cond", () => {
    const f = (x: Array) =>
      cond(
        np.array(true),
        (v: Array) => v.mul(2),
        (v: Array) => v,
        x,
      );
    expectClose(vmap(f)(f64([1, 2])), [2, 4]);
    const text = String(makeJaxpr(vmap(f))(f64([1, 2])));
    expect(text).toContain("cond[");
    expect(text).not.toContain("select");
  });

  it("batched predicate with unbatched operands, other batch axes, batched closures", () => {
    expectClose(
      vmap((p: Array) =>
        cond(
          p,
          (v: Array) => v.mul(2),
          (v: Array) => v.neg(),
          f64([1, 2]),
        ),
      )(np.array([true, false])),
      [2, 4, -1, -2],
    );
    expectClose(
      vmap(piecewise, { inAxes: 1 })(
        f64([
          [1, -5],
          [2, -5],
        ]),
      ),
      [...piecewiseJs([1, 2]), ...piecewiseJs([-5, -5])],
      1e-12,
    );
    expectClose(
      vmap((x: Array, w: Array) =>
        cond(
          x.greater(0),
          (v: Array) => v.mul(w),
          (v: Array) => v.sub(w),
          x,
        ),
      )(f64([1, -1]), f64([10, 20])),
      [10, -21],
    );
  });

  it("a batched lane whose untaken branch is NaN keeps a finite value and gradient", () => {
    const f = (x: Array) =>
      cond(
        x.greater(0),
        (v: Array) => v.sqrt(),
        (v: Array) => v.mul(0),
        x,
      );
    expectClose(vmap(f)(f64([-1, 4])), [0, 2]);
    expectClose(vmap(grad(f))(f64([-1, 4])), [0, 0.25]);
  });
});

describe("cond: printed programs", () => {
  it("prints each branch indented under its equation", () => {
    const text = String(makeJaxpr(piecewise)(f64([1, 2])));
    const lines = text.split("\n");
    const k = lines.findIndex((l) => /^ {4}\S.* = cond\[branches=\[\{\.\.\.\}, \{\.\.\.\}\]\]/.test(l));
    expect(k, text).toBeGreaterThan(0);
    // two sub-programs, each opening one level deeper than the equation
    const subs = lines.filter((l) => /^ {6}\{ lambda /.test(l));
    expect(subs.length, text).toBe(2);
    expect(lines[k + 1]).toMatch(/^ {6}\{ lambda /);
    expect(text).toMatch(/^ {10}b:f64\[2\] = sin a$/m);
    expect(text).toMatch(/^ {8}in \( \w+ \) \}$/m);
  });

  it("prints all branches of a switch", () => {
    const text = String(makeJaxpr(sw)(i32(1), f64(2)));
    expect(text).toMatch(/cond\[branches=\[\{\.\.\.\}, \{\.\.\.\}, \{\.\.\.\}\]\]/);
    expect(text.split("\n").filter((l) => /^ {6}\{ lambda /.test(l)).length).toBe(3);
    for (const prim of ["sin", "mul"]) expect(text).toMatch(new RegExp(`^ {10}\\w+:f64\\[\\] = ${prim} `, "m"));
  });

  it("nests sub-programs one level deeper per control-flow primitive", () => {
    const f = (w: Array) =>
      cond(
        w.greater(0),
        (v: Array) => scan((c: Array, x: Array) => [c.mul(v).add(x), c] as const, f64(1), f64([1, 2]))[0],
        (v: Array) => v,
        w,
      );
    const text = String(makeJaxpr(f)(f64(2)));
    expect(text).toMatch(/^ {4}\w+:f64\[\] = cond\[/m);
    expect(text).toMatch(/^ {10}\w+:f64\[\] \w+:f64\[2\] = scan\[/m);
    expect(text).toMatch(/^ {12}\{ lambda /m);
    expect(text).toMatch(/^ {16}\w+:f64\[\] = mul /m);
  });
});

describe("cond / switchCase: errors", () => {
  const x = f64([1, 2]);
  const T = np.array(true);

  it("branches returning different structures name both branches", () => {
    expect(() =>
      cond(
        T,
        (v: Array) => [v, v],
        (v: Array) => v as never,
        x,
      ),
    ).toThrow(/cond: the false branch has structure \* but the true branch has structure \[\*, \*\]/);
    expect(() =>
      cond(
        T,
        (v: Array) => ({ a: v, b: v }),
        (v: Array) => ({ a: v, c: v }) as never,
        x,
      ),
    ).toThrow(/false branch has structure \{a: \*, c: \*\}.*true branch has structure \{a: \*, b: \*\}/);
  });

  it("branches returning different shapes or dtypes name both branches and the leaf", () => {
    expect(() =>
      cond(
        T,
        (v: Array) => ({ a: v, b: v }),
        (v: Array) => ({ a: v, b: v.sum() }),
        x,
      ),
    ).toThrow(/cond: the false branch and the true branch differ at leaf \.b: float64\[\] vs float64\[2\]/);
    expect(() =>
      cond(
        T,
        (v: Array) => ({ a: v }),
        (v: Array) => ({ a: v.astype("float32") }),
        x,
      ),
    ).toThrow(/the false branch and the true branch differ at leaf \.a: float32\[2\] vs float64\[2\]/);
    expect(() =>
      switchCase(i32(0), [(v: Array) => [v], (v: Array) => [v], (v: Array) => [v.astype("int32")]], x),
    ).toThrow(/switch: branch 0 and branch 2 differ at leaf \[0\]: float64\[2\] vs int32\[2\]/);
    expect(() => switchCase(i32(0), [(v: Array) => v, (v: Array) => v.reshape([2, 1])], x)).toThrow(
      /branch 0 and branch 1 differ at leaf \(root\): float64\[2\] vs float64\[2,1\]/,
    );
  });

  it("the same checks fire under jit, grad and vmap", () => {
    const bad = (p: Array, v: Array) =>
      cond(
        p,
        (u: Array) => u,
        (u: Array) => u.sum(),
        v,
      );
    expect(() => jit(bad)(T, x)).toThrow(/false branch and the true branch differ/);
    expect(() => grad((v: Array) => bad(T, v).sum(), { argnums: 0 })(x)).toThrow(
      /false branch and the true branch differ/,
    );
    expect(() =>
      vmap(bad)(
        np.array([true, false]),
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(/false branch and the true branch differ/);
  });

  it("a non-scalar predicate suggests np.where", () => {
    expect(() =>
      cond(
        np.array([true, false]),
        (v: Array) => v,
        (v: Array) => v,
        x,
      ),
    ).toThrow(/cond: the predicate must be a scalar, got bool\[2\]; .*np\.where/);
    // under vmap, the per-example predicate must still be a scalar
    expect(() =>
      vmap((v: Array) =>
        cond(
          v.greater(0),
          (u: Array) => u,
          (u: Array) => u,
          v,
        ),
      )(f64([[1, 2]])),
    ).toThrow(/np\.where/);
  });

  it("switchCase rejects float and non-scalar indices and empty branch lists", () => {
    expect(() => switchCase(f64(1), BRANCHES, x)).toThrow(/switch: the index must be an integer, got float64/);
    expect(() => switchCase(np.array(1), BRANCHES, x)).toThrow(/the index must be an integer, got float32/);
    expect(() => switchCase(1.5, BRANCHES, x)).toThrow(/the index must be an integer/);
    expect(() => jit((i: Array) => switchCase(i, BRANCHES, x))(f64(0))).toThrow(/the index must be an integer/);
    expect(() => switchCase(i32([0, 1]), BRANCHES, x)).toThrow(/switch: the index must be a scalar, got shape \[2\]/);
    expect(() => switchCase(i32(0), [], x)).toThrow(/switch: branches must be a non-empty list/);
  });

  it("errors are TypeErrors", () => {
    expect(() =>
      cond(
        T,
        (v: Array) => v,
        (v: Array) => v.sum(),
        x,
      ),
    ).toThrow(TypeError);
    expect(() => switchCase(f64(0), BRANCHES, x)).toThrow(TypeError);
  });
});
