/**
 * Custom rules and checkpointing, on random inputs: a deliberately wrong rule must be what every
 * transform uses, and checkpoint must not change any derivative.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { np, grad, jvp, vjp, jit, vmap, customJvp, customVjp, checkpoint, type Array } from "../src/index.js";
import { assertProperty } from "./seed.js";

const f64 = (xs: number[]): Array => np.array(xs, { dtype: "float64" });
const vec = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 5 });
const close = (a: Array, b: Array, tol = 1e-9): boolean => {
  const x = a.dataSync();
  const y = b.dataSync();
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]!) <= tol * (1 + Math.abs(y[i]!)));
};
const expectClose = (a: Array, b: Array, what: string): void => {
  if (!close(a, b)) throw new Error(`${what}: ${a} vs ${b}`);
};

// sin with a rule that is NOT its derivative: d/dx "= 3x".
const wrongJvp = customJvp((x: Array) => x.sin());
wrongJvp.defJvp(([x], [t]) => [wrongJvp(x), t.mul(x).mul(3)]);
const wrongVjp = customVjp((x: Array) => x.sin());
wrongVjp.defVjp(
  (x: Array) => [wrongVjp(x), x],
  (x: Array, ct: Array) => [ct.mul(x).mul(3)],
);

describe("custom rules are used by every transform", () => {
  it("customJvp: grad, jvp, vjp, vmap(grad), jit(grad) all see the rule", () => {
    assertProperty(
      fc.property(vec, (xs) => {
        const x = f64(xs);
        const want = x.mul(3);
        const loss = (v: Array) => wrongJvp(v).sum();
        expectClose(grad(loss)(x), want, "grad");
        expectClose(jvp(wrongJvp, [x], [np.onesLike(x)])[1], want, "jvp");
        expectClose(vjp(wrongJvp, x)[1](np.onesLike(x))[0], want, "vjp");
        expectClose(vmap(grad((v: Array) => wrongJvp(v)))(x), want, "vmap(grad)");
        expectClose(jit(grad(loss))(x), want, "jit(grad)");
      }),
      20,
    );
  });
  it("customVjp: grad, vjp, vmap(grad), jit(grad), grad(jit) all see bwd", () => {
    assertProperty(
      fc.property(vec, (xs) => {
        const x = f64(xs);
        const want = x.mul(3);
        const loss = (v: Array) => wrongVjp(v).sum();
        expectClose(grad(loss)(x), want, "grad");
        expectClose(vjp(wrongVjp, x)[1](np.onesLike(x))[0], want, "vjp");
        expectClose(vmap(grad((v: Array) => wrongVjp(v)))(x), want, "vmap(grad)");
        expectClose(jit(grad(loss))(x), want, "jit(grad)");
        expectClose(grad(jit(loss))(x), want, "grad(jit)");
      }),
      20,
    );
  });
});

describe("checkpoint gives the same derivatives as without", () => {
  it("grad, grad of grad, jit and vmap", () => {
    const layer = (h: Array, w: Array) => h.mul(w).add(0.1).tanh();
    const chain = (wrap: boolean) => (x: Array, w: Array) => {
      let h = x;
      for (let i = 0; i < 4; i++) h = (wrap ? checkpoint(layer) : layer)(h, w);
      return h.square().sum();
    };
    assertProperty(
      fc.property(vec, fc.double({ min: -1.5, max: 1.5, noNaN: true }), (xs, w0) => {
        const x = f64(xs);
        const w = f64([w0]).reshape([]);
        for (const argnums of [0, 1] as const) {
          expectClose(
            grad(chain(true), { argnums })(x, w),
            grad(chain(false), { argnums })(x, w),
            `grad argnums ${argnums}`,
          );
        }
        const gg = (wrap: boolean) => grad((v: Array) => grad(chain(wrap), { argnums: 1 })(x, v))(w);
        expectClose(gg(true), gg(false), "grad of grad");
        expectClose(jit(grad(chain(true)))(x, w), grad(chain(false))(x, w), "jit(grad)");
        expectClose(
          vmap(grad(chain(true)), { inAxes: [0, null] })(x.reshape([-1, 1]), w),
          vmap(grad(chain(false)), { inAxes: [0, null] })(x.reshape([-1, 1]), w),
          "vmap(grad)",
        );
      }),
      15,
    );
  });
});
