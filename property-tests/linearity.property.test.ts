/**
 * Linear-algebra identities between forward and reverse mode on random functions:
 * ⟨u, J v⟩ = ⟨Jᵀ u, v⟩, jvp is linear in the tangent, vjp is linear in the cotangent, and
 * linearize's JVP equals jvp. All in float64, so tolerances are near machine precision.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { jvp, linearize, np, vjp, type Array } from "../src/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectClose, REAL } from "./helpers.js";
import { arbExpr, exprFn } from "./exprs.js";
import { UNARY_ALL } from "./ops.js";

const TOL = { atol: 1e-10, rtol: 1e-9 };
const shapes = fc.constantFrom<number[]>([], [3], [2, 3], [3, 1]);
const pair = (s: number[]) => fc.tuple(arbIn(REAL, s), arbIn(REAL, s));
const inner = (a: readonly Array[], b: readonly Array[]): number =>
  a.reduce((s, x, i) => {
    const xd = x.dataSync();
    const yd = b[i]!.dataSync();
    let t = 0;
    for (let k = 0; k < xd.length; k++) t += xd[k]! * yd[k]!;
    return s + t;
  }, 0);
const scalar = (v: number) => np.array(v, { dtype: "float64" });

/** A random function of two same-shaped inputs, a point, two tangents and two cotangents. */
const setup = fc
  .tuple(arbExpr(2), shapes)
  .chain(([e, s]) =>
    fc.tuple(fc.constant(e), pair(s), pair(s), pair(s), pair(s), fc.double({ min: -2, max: 2, noNaN: true })),
  );

describe("forward and reverse mode agree", () => {
  it("⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for random compositions", () => {
    assertProperty(
      fc.property(setup, ([e, x, v, , [u]]) => {
        const f = exprFn(e);
        const [, jv] = jvp(f, x, v);
        const [, pullback] = vjp(f, ...x);
        const jtu = pullback(u!);
        expectClose(scalar(inner([u!], [jv])), scalar(inner(jtu, v)), TOL, "⟨u, Jv⟩ vs ⟨Jᵀu, v⟩");
      }),
      30,
    );
  });

  it("⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for every single-input op", () => {
    const specs = UNARY_ALL;
    const arb = fc.integer({ min: 0, max: specs.length - 1 }).chain((i) => {
      const spec = specs[i]!;
      const dom = arbIn(spec.dom, { minRank: spec.minRank ?? 0, minDim: spec.minDim ?? 1 });
      return fc.tuple(
        fc.constant(i),
        dom.chain((x) => fc.tuple(fc.constant(x), arbIn(REAL, x.shape))),
      );
    });
    assertProperty(
      fc.property(arb, ([i, [x, v]]) => {
        const spec = specs[i]!;
        const [y, jv] = jvp(spec.f, [x], [v]);
        const u = np.array(
          Float64Array.from(y.dataSync(), (t, k) => Math.sin(3 * k + t)),
          { shape: y.shape, dtype: "float64" },
        );
        const [jtu] = vjp(spec.f, x)[1](u);
        expectClose(scalar(inner([u], [jv])), scalar(inner([jtu], [v])), TOL, `${spec.name}: ⟨u, Jv⟩ vs ⟨Jᵀu, v⟩`);
      }),
      60,
    );
  });

  it("jvp is linear in the tangent: J(a·v + w) = a·Jv + Jw", () => {
    assertProperty(
      fc.property(setup, ([e, x, v, w, , a]) => {
        const f = exprFn(e);
        const comb = v.map((vi, i) => vi.mul(a).add(w[i]!));
        const [, jc] = jvp(f, x, comb);
        const [, jv] = jvp(f, x, v);
        const [, jw] = jvp(f, x, w);
        expectClose(jc, jv.mul(a).add(jw), TOL, "J(a·v + w)");
      }),
      30,
    );
  });

  it("vjp is linear in the cotangent: Jᵀ(a·u + z) = a·Jᵀu + Jᵀz", () => {
    assertProperty(
      fc.property(setup, ([e, x, , , [u, z], a]) => {
        const [, pullback] = vjp(exprFn(e), ...x);
        const gc = pullback(u!.mul(a).add(z!));
        const gu = pullback(u!);
        const gz = pullback(z!);
        gc.forEach((g, i) => expectClose(g, gu[i]!.mul(a).add(gz[i]!), TOL, `Jᵀ(a·u + z) for input ${i}`));
      }),
      30,
    );
  });

  it("linearize's JVP equals jvp, and its primal equals f(x)", () => {
    assertProperty(
      fc.property(setup, ([e, x, v]) => {
        const f = exprFn(e);
        const [y, fJvp] = linearize(f, ...x);
        const [y2, jv] = jvp(f, x, v);
        expectClose(y, f(...x), TOL, "linearize primal");
        expectClose(y2, y, TOL, "jvp primal");
        expectClose(fJvp(...v), jv, TOL, "linearize tangent");
      }),
      30,
    );
  });
});
