/**
 * jit(f) equals f: for every op and for random compositions (float64 and float32), with cache
 * reuse across values and shapes, static arguments, pytrees, and composed with grad/jvp/vjp.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { grad, jit, jvp, np, tree, vjp, type Array } from "../src/index.js";
import { arbArray, arbPytree } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectClose, expectTreeClose, REAL } from "./helpers.js";
import { arbExpr, exprFn } from "./exprs.js";
import { BINARY, PRODUCTS, UNARY_ALL } from "./ops.js";

const TOL = { atol: 1e-12, rtol: 1e-10 };
const TOL32 = { atol: 1e-5, rtol: 1e-5 };
const shapes = fc.constantFrom<number[]>([], [3], [2, 3], [2, 2]);
const exprArgs = fc
  .tuple(arbExpr(2), shapes)
  .chain(([e, s]) => fc.tuple(fc.constant(e), arbIn(REAL, s), arbIn(REAL, s)));

describe("jit(f)(x) equals f(x)", () => {
  it("every unary op", () => {
    const specs = UNARY_ALL;
    const arb = fc.integer({ min: 0, max: specs.length - 1 }).chain((i) => {
      const spec = specs[i]!;
      return fc.tuple(fc.constant(i), arbIn(spec.dom, { minRank: spec.minRank ?? 0, minDim: spec.minDim ?? 1 }));
    });
    assertProperty(
      fc.property(arb, ([i, x]) => expectClose(jit(specs[i]!.f)(x), specs[i]!.f(x), TOL, `jit(${specs[i]!.name})`)),
      120,
    );
  });

  it("every binary op and product", () => {
    const all = [
      ...BINARY.map((b) => ({ name: b.name, f: b.f, args: fc.tuple(arbIn(b.x, [2, 3]), arbIn(b.y, [3])) })),
      ...PRODUCTS,
    ];
    const arb = fc.integer({ min: 0, max: all.length - 1 }).chain((i) => fc.tuple(fc.constant(i), all[i]!.args));
    assertProperty(
      fc.property(arb, ([i, [x, y]]) =>
        expectClose(jit(all[i]!.f)(x!, y!), all[i]!.f(x!, y!), TOL, `jit(${all[i]!.name})`),
      ),
      60,
    );
  });

  it("random compositions (float64)", () => {
    assertProperty(
      fc.property(exprArgs, ([e, x0, x1]) => expectClose(jit(exprFn(e))(x0, x1), exprFn(e)(x0, x1), TOL, "jit(expr)")),
      40,
    );
  });

  it("random compositions (float32)", () => {
    const arb = fc
      .tuple(arbExpr(2), shapes)
      .chain(([e, s]) =>
        fc.tuple(fc.constant(e), arbArray({ shape: s, min: -3, max: 3 }), arbArray({ shape: s, min: -3, max: 3 })),
      );
    assertProperty(
      fc.property(arb, ([e, x0, x1]) => {
        const got = jit(exprFn(e))(x0, x1);
        const want = exprFn(e)(x0, x1);
        if (got.dtype !== want.dtype) throw new Error(`dtype ${got.dtype} != ${want.dtype}`);
        expectClose(got, want, TOL32, "jit(expr) float32");
      }),
      40,
    );
  });

  it("a cached trace is reused correctly for new values, and retraced for new shapes", () => {
    const arb = fc
      .tuple(arbExpr(2), shapes, shapes)
      .chain(([e, s, t]) =>
        fc.tuple(
          fc.constant(e),
          fc.array(fc.tuple(arbIn(REAL, s), arbIn(REAL, s)), { minLength: 2, maxLength: 3 }),
          fc.tuple(arbIn(REAL, t), arbIn(REAL, t)),
        ),
      );
    assertProperty(
      fc.property(arb, ([e, same, [y0, y1]]) => {
        const f = exprFn(e);
        const jf = jit(f);
        for (const [x0, x1] of [...same, [y0, y1] as [Array, Array]])
          expectClose(jf(x0, x1), f(x0, x1), TOL, "jit(expr) on a cached signature");
        if (jf.cacheSize > 2) throw new Error(`cacheSize ${jf.cacheSize}: same-shaped calls should reuse one trace`);
      }),
      25,
    );
  });

  it("static arguments select the computation", () => {
    const arb = fc.tuple(arbIn(REAL, [2, 3]), fc.constantFrom(0, 1, -1), fc.boolean());
    assertProperty(
      fc.property(arb, ([x, axis, keep]) => {
        const f = (a: Array, ax: number, k: boolean) => np.logsumexp(a.sin(), ax, { keepdims: k });
        expectClose(jit(f, { staticArgnums: [1, 2] })(x, axis, keep), f(x, axis, keep), TOL, "jit static");
      }),
      20,
    );
  });

  it("pytree inputs and outputs", () => {
    const arb = arbPytree(arbIn(REAL, [2]), { maxDepth: 2 });
    assertProperty(
      fc.property(arb, (p) => {
        const g = (t: unknown) => {
          const leaves = tree.leaves(t) as Array[];
          return {
            out: tree.map((l: Array) => l.sin().mul(2), t),
            n: leaves.reduce((acc: Array, l) => acc.add(l.square().sum()), np.zeros([], { dtype: "float64" })),
          };
        };
        expectTreeClose(jit(g)(p), g(p), TOL, "jit(pytree)");
      }),
      20,
    );
  });
});

describe("jit composes with differentiation", () => {
  it("grad(jit(f)) = grad(f) = jit(grad(f))", () => {
    assertProperty(
      fc.property(exprArgs, ([e, x0, x1]) => {
        const f = (a: Array, b: Array) => exprFn(e)(a, b).sum();
        const want = grad(f, { argnums: [0, 1] })(x0, x1);
        expectTreeClose(grad(jit(f), { argnums: [0, 1] })(x0, x1), want, TOL, "grad(jit(f))");
        expectTreeClose(jit(grad(f, { argnums: [0, 1] }))(x0, x1), want, TOL, "jit(grad(f))");
      }),
      40,
    );
  });

  it("jvp(jit(f)) and vjp(jit(f)) equal jvp(f) and vjp(f)", () => {
    const arb = exprArgs.chain(([e, x0, x1]) =>
      fc.tuple(fc.constant(e), fc.constant(x0), fc.constant(x1), arbIn(REAL, x0.shape), arbIn(REAL, x0.shape)),
    );
    assertProperty(
      fc.property(arb, ([e, x0, x1, v, u]) => {
        const f = exprFn(e);
        expectTreeClose(jvp(jit(f), [x0, x1], [v, u]), jvp(f, [x0, x1], [v, u]), TOL, "jvp(jit(f))");
        expectTreeClose(vjp(jit(f), x0, x1)[1](u), vjp(f, x0, x1)[1](u), TOL, "vjp(jit(f))");
      }),
      30,
    );
  });
});
