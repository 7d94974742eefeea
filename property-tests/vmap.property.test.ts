/**
 * vmap(f) equals applying f to each slice and stacking the results: for every op, for random
 * compositions, with inAxes 0 / other axes / null, outAxes, pytrees, nesting, and vmap of grad.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { grad, jit, vmap, type Array } from "../src/index.js";
import { arbShape } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectClose, REAL, sliceAxis, stackAxis, type Domain } from "./helpers.js";
import { arbExpr, exprFn } from "./exprs.js";
import { BINARY, PRODUCTS, UNARY_ALL } from "./ops.js";

const TOL = { atol: 1e-12, rtol: 1e-10 };

/** A batched input: per-example shape `s` with a batch of `b` inserted at `axis`. */
const batched = (d: Domain, s: readonly number[], b: number, axis: number) => {
  const shape = [...s];
  shape.splice(axis, 0, b);
  return arbIn(d, shape);
};
/** The reference: slice every mapped argument, apply f, stack along `outAxis` (normalized). */
function reference(
  f: (...xs: Array[]) => Array,
  xs: readonly Array[],
  inAxes: readonly (number | null)[],
  size: number,
  outAxis = 0,
): Array {
  const outs: Array[] = [];
  for (let i = 0; i < size; i++)
    outs.push(f(...xs.map((x, k) => (inAxes[k] === null ? x : sliceAxis(x, inAxes[k]!, i)))));
  const nd = outs[0]!.ndim + 1;
  return stackAxis(outs, outAxis < 0 ? outAxis + nd : outAxis);
}

const batchSize = fc.integer({ min: 1, max: 3 });

describe("vmap equals stacking f over the batch", () => {
  for (const spec of UNARY_ALL) {
    it(`unary op ${spec.name} (random batch axis)`, () => {
      const arb = fc
        .tuple(arbShape({ minRank: spec.minRank ?? 0, maxRank: 2, minDim: spec.minDim ?? 1, maxDim: 3 }), batchSize)
        .chain(([s, b]) =>
          fc
            .integer({ min: 0, max: s.length })
            .chain((ax) => fc.tuple(fc.constant(ax), fc.constant(b), batched(spec.dom, s, b, ax))),
        );
      assertProperty(
        fc.property(arb, ([ax, b, x]) =>
          expectClose(vmap(spec.f, { inAxes: ax })(x), reference(spec.f, [x], [ax], b), TOL, `vmap(${spec.name})`),
        ),
        10,
      );
    });
  }

  for (const spec of BINARY) {
    it(`binary op ${spec.name} (inAxes from {0, last, null})`, () => {
      const arb = fc
        .tuple(
          arbShape({ maxRank: 2, maxDim: 3 }),
          batchSize,
          fc.constantFrom<(0 | -1 | null)[]>([0, 0], [-1, 0], [0, null], [null, -1], [-1, -1]),
        )
        .chain(([s, b, axes]) => {
          const norm = axes.map((a) => (a === null ? null : a < 0 ? s.length : a));
          const mk = (d: Domain, a: number | null) => (a === null ? arbIn(d, s) : batched(d, s, b, a));
          return fc.tuple(fc.constant(norm), fc.constant(b), mk(spec.x, norm[0]!), mk(spec.y, norm[1]!));
        });
      assertProperty(
        fc.property(arb, ([axes, b, x, y]) =>
          expectClose(
            vmap(spec.f, { inAxes: axes })(x, y),
            reference(spec.f, [x, y], axes, b),
            TOL,
            `vmap(${spec.name})`,
          ),
        ),
        6,
      );
    });
  }

  for (const spec of PRODUCTS) {
    it(`product ${spec.name} (inAxes from {0, last, null})`, () => {
      const arb = fc
        .tuple(
          spec.args,
          batchSize,
          fc.constantFrom<(0 | -1 | null)[]>([0, 0], [-1, 0], [0, null], [null, -1], [-1, -1]),
        )
        .chain(([[x, y], b, axes]) => {
          const norm = axes.map((a, k) => (a === null ? null : a < 0 ? [x, y][k]!.ndim : a));
          const mk = (v: Array, a: number | null) => (a === null ? fc.constant(v) : batched(REAL, v.shape, b, a));
          return fc.tuple(fc.constant(norm), fc.constant(b), mk(x!, norm[0]!), mk(y!, norm[1]!));
        });
      assertProperty(
        fc.property(arb, ([axes, b, x, y]) =>
          expectClose(
            vmap(spec.f, { inAxes: axes })(x, y),
            reference(spec.f, [x, y], axes, b),
            TOL,
            `vmap(${spec.name})`,
          ),
        ),
        6,
      );
    });
  }

  const exprSetup = fc.tuple(arbExpr(2), fc.constantFrom<number[]>([3], [2, 3], [2, 2]), batchSize);

  it("random compositions, inAxes 0 and outAxes 0 / 1 / -1", () => {
    const arb = exprSetup.chain(([e, s, b]) =>
      fc.tuple(
        fc.constant(e),
        fc.constant(b),
        batched(REAL, s, b, 0),
        batched(REAL, s, b, 0),
        fc.constantFrom(0, 1, -1),
      ),
    );
    assertProperty(
      fc.property(arb, ([e, b, x0, x1, out]) => {
        const f = exprFn(e);
        expectClose(vmap(f, { outAxes: out })(x0, x1), reference(f, [x0, x1], [0, 0], b, out), TOL, "vmap(expr)");
      }),
      30,
    );
  });

  it("random compositions, mixed inAxes including null (broadcast argument)", () => {
    const arb = exprSetup.chain(([e, s, b]) =>
      fc.tuple(fc.constant(e), fc.constant(b), fc.constant(s.length), batched(REAL, s, b, s.length), arbIn(REAL, s)),
    );
    assertProperty(
      fc.property(arb, ([e, b, last, x0, x1]) => {
        const f = exprFn(e);
        expectClose(
          vmap(f, { inAxes: [last, null] })(x0, x1),
          reference(f, [x0, x1], [last, null], b),
          TOL,
          "vmap(expr, [last, null])",
        );
      }),
      30,
    );
  });

  it("pytree arguments with a pytree inAxes prefix", () => {
    const arb = exprSetup.chain(([e, s, b]) =>
      fc.tuple(fc.constant(e), fc.constant(b), batched(REAL, s, b, 0), batched(REAL, s, b, 1)),
    );
    assertProperty(
      fc.property(arb, ([e, b, a, c]) => {
        const g = (p: { a: Array; c: Array }) => exprFn(e)(p.a, p.c);
        const got = vmap(g, { inAxes: [{ a: 0, c: 1 }] })({ a, c });
        expectClose(
          got,
          reference((x, y) => exprFn(e)(x, y), [a, c], [0, 1], b),
          TOL,
          "vmap(pytree)",
        );
      }),
      20,
    );
  });

  it("nested vmap equals a double loop", () => {
    const arb = exprSetup.chain(([e, s, b]) =>
      fc.tuple(fc.constant(e), fc.constant(b), batched(REAL, [2, ...s], b, 0), batched(REAL, [2, ...s], b, 0)),
    );
    assertProperty(
      fc.property(arb, ([e, b, x0, x1]) => {
        const f = exprFn(e);
        const inner = (a: Array, c: Array) => reference(f, [a, c], [0, 0], 2);
        expectClose(vmap(vmap(f))(x0, x1), reference(inner, [x0, x1], [0, 0], b), TOL, "vmap(vmap(expr))");
      }),
      20,
    );
  });

  it("vmap of grad equals per-example gradients (and under jit)", () => {
    const arb = exprSetup.chain(([e, s, b]) =>
      fc.tuple(fc.constant(e), fc.constant(b), batched(REAL, s, b, 0), batched(REAL, s, b, 0)),
    );
    assertProperty(
      fc.property(arb, ([e, b, x0, x1]) => {
        const g = grad((a: Array, c: Array) => exprFn(e)(a, c).sum(), { argnums: 1 });
        const want = reference(g, [x0, x1], [0, 0], b);
        expectClose(vmap(g)(x0, x1), want, TOL, "vmap(grad(expr))");
        expectClose(jit(vmap(g))(x0, x1), want, TOL, "jit(vmap(grad(expr)))");
        expectClose(vmap(jit(g))(x0, x1), want, TOL, "vmap(jit(grad(expr)))");
      }),
      20,
    );
  });
});
