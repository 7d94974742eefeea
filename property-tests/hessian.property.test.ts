/**
 * Jacobians and Hessians: jacfwd = jacrev = numericalJacobian for every op and random functions;
 * hessian = jacfwd(jacrev) = jacrev(jacfwd) = jacrev(jacrev) = numericalJacobian(grad), including
 * pytree arguments and several argnums.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { grad, hessian, jacfwd, jacrev, np, type Array } from "../src/index.js";
import { numericalJacobian } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectTreeClose, REAL } from "./helpers.js";
import { arbExpr, exprFn } from "./exprs.js";
import { BINARY, UNARY_ALL } from "./ops.js";

const AD = { atol: 1e-9, rtol: 1e-9 };
const FD = { atol: 1e-6, rtol: 1e-6 };
const EPS = 1e-5;
const shapes = fc.constantFrom<number[]>([], [3], [2, 2], [2, 3]);

describe("jacfwd = jacrev = numericalJacobian", () => {
  it("every unary op", () => {
    const specs = UNARY_ALL;
    const arb = fc.integer({ min: 0, max: specs.length - 1 }).chain((i) => {
      const spec = specs[i]!;
      return fc.tuple(fc.constant(i), arbIn(spec.dom, { minRank: spec.minRank ?? 0, minDim: spec.minDim ?? 1 }));
    });
    assertProperty(
      fc.property(arb, ([i, x]) => {
        const { f, name } = specs[i]!;
        const jf = jacfwd(f)(x);
        expectTreeClose(jacrev(f)(x), jf, AD, `jacrev vs jacfwd (${name})`);
        expectTreeClose(numericalJacobian(f, [x], { eps: EPS }), jf, FD, `numericalJacobian vs jacfwd (${name})`);
      }),
      120,
    );
  });

  it("every binary op, both argnums", () => {
    const arb = fc
      .integer({ min: 0, max: BINARY.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), arbIn(BINARY[i]!.x, [2, 2]), arbIn(BINARY[i]!.y, [2])));
    assertProperty(
      fc.property(arb, ([i, x, y]) => {
        const { f, name } = BINARY[i]!;
        const jf = jacfwd(f, { argnums: [0, 1] })(x, y);
        expectTreeClose(jacrev(f, { argnums: [0, 1] })(x, y), jf, AD, `jacrev vs jacfwd (${name})`);
        expectTreeClose(
          numericalJacobian(f, [x, y], { eps: EPS, argnums: [0, 1] }),
          jf,
          FD,
          `numericalJacobian vs jacfwd (${name})`,
        );
      }),
      40,
    );
  });

  it("random vector-valued compositions with pytree outputs", () => {
    const arb = fc
      .tuple(arbExpr(2), shapes)
      .chain(([e, s]) => fc.tuple(fc.constant(e), arbIn(REAL, s), arbIn(REAL, s)));
    assertProperty(
      fc.property(arb, ([e, x0, x1]) => {
        const f = (a: Array, b: Array) => ({ y: exprFn(e)(a, b), s: [a.mul(b).sum()] });
        const jf = jacfwd(f, { argnums: [0, 1] })(x0, x1);
        expectTreeClose(jacrev(f, { argnums: [0, 1] })(x0, x1), jf, AD, "jacrev vs jacfwd");
        expectTreeClose(
          numericalJacobian(f, [x0, x1], { eps: EPS, argnums: [0, 1] }),
          jf,
          FD,
          "numericalJacobian vs jacfwd",
        );
      }),
      30,
    );
  });
});

describe("hessian = jacfwd(jacrev) = jacrev(jacfwd) = numericalJacobian(grad)", () => {
  it("random scalar compositions", () => {
    const arb = fc.tuple(arbExpr(1), shapes).chain(([e, s]) => fc.tuple(fc.constant(e), arbIn(REAL, s)));
    assertProperty(
      fc.property(arb, ([e, x]) => {
        const f = (a: Array) => exprFn(e)(a).sum();
        const h = hessian(f)(x);
        expectTreeClose(jacfwd(jacrev(f))(x), h, AD, "jacfwd(jacrev(f))");
        expectTreeClose(jacrev(jacfwd(f))(x), h, AD, "jacrev(jacfwd(f))");
        expectTreeClose(jacrev(jacrev(f))(x), h, AD, "jacrev(jacrev(f))");
        expectTreeClose(jacfwd(jacfwd(f))(x), h, AD, "jacfwd(jacfwd(f))");
        expectTreeClose(numericalJacobian(grad(f), [x], { eps: EPS }), h, FD, "numericalJacobian(grad(f))");
      }),
      40,
    );
  });

  it("is symmetric", () => {
    const arb = fc
      .tuple(arbExpr(1), fc.integer({ min: 1, max: 4 }))
      .chain(([e, n]) => fc.tuple(fc.constant(e), arbIn(REAL, [n])));
    assertProperty(
      fc.property(arb, ([e, x]) => {
        const h = hessian((a: Array) => exprFn(e)(a).sum())(x) as Array;
        expectTreeClose(np.transpose(h), h, AD, "hessianᵀ");
      }),
      30,
    );
  });

  it("pytree parameters nest params → params", () => {
    const arb = fc.tuple(arbExpr(2), fc.tuple(arbIn(REAL, [2, 2]), arbIn(REAL, [2]), arbIn(REAL, [3, 2])));
    assertProperty(
      fc.property(arb, ([e, [w, b, x]]) => {
        const loss = (p: { w: Array; b: Array }) => {
          const h = np.tanh(np.matmul(x, p.w).add(p.b));
          return exprFn(e)(h, h.mul(h)).mean();
        };
        const p = { w, b };
        const h = hessian(loss)(p);
        expectTreeClose(jacrev(jacfwd(loss))(p), h, AD, "jacrev(jacfwd(loss))");
        expectTreeClose(numericalJacobian(grad(loss), [p], { eps: EPS }), h, FD, "numericalJacobian(grad(loss))");
      }),
      15,
    );
  });

  it("argnums lists give the block Hessian", () => {
    const arb = fc
      .tuple(arbExpr(2), shapes)
      .chain(([e, s]) => fc.tuple(fc.constant(e), arbIn(REAL, s), arbIn(REAL, s)));
    assertProperty(
      fc.property(arb, ([e, x0, x1]) => {
        const f = (a: Array, b: Array) => exprFn(e)(a, b).sum();
        const h = hessian(f, { argnums: [0, 1] })(x0, x1);
        expectTreeClose(
          jacrev(jacfwd(f, { argnums: [0, 1] }), { argnums: [0, 1] })(x0, x1),
          h,
          AD,
          "jacrev(jacfwd) block",
        );
        expectTreeClose(
          numericalJacobian(grad(f, { argnums: [0, 1] }), [x0, x1], { eps: EPS, argnums: [0, 1] }),
          h,
          FD,
          "numericalJacobian(grad) block",
        );
      }),
      20,
    );
  });
});
