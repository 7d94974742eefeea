/**
 * `customJvp` and `customVjp`: rules that deliberately differ from the true derivative, so every
 * test shows the rule (not autodiff of f) was used — under grad, jvp, vjp, vmap, jit, their
 * compositions and higher order; forward mode on customVjp; nesting; errors; numerical stability.
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, jacrev, jit, jvp, linearize, makeJaxpr, np, vjp, vmap } from "../../src/index.js";
import { customJvp } from "../../transforms/custom-jvp.js";
import { customVjp } from "../../transforms/custom-vjp.js";
import { expectClose, f64, flat } from "../helpers.js";

type Array = np.Array;

const XS = [0.3, -1.2, 2];
const sin = (v: number[]) => v.map(Math.sin);

/** sin, but its derivative is declared to be 2·cos (so the second derivative is -2·sin). */
const sin2 = customJvp((x: Array) => x.sin()).defJvp(([x], [t]) => [x.sin(), t.mul(x.cos()).mul(2)]);
/** sin, with d/dx := 3·cos in reverse mode (cos x saved as the residual). */
const sin3 = customVjp((x: Array) => x.sin()).defVjp(
  (x: Array) => [x.sin(), x.cos()],
  (c: Array, ct: Array) => [ct.mul(c).mul(3)],
);

describe("customJvp: the rule is used", () => {
  it("evaluates f", () => {
    expectClose(sin2(f64(XS)), sin(XS), 1e-12);
    expectClose(jit(sin2)(f64(XS)), sin(XS), 1e-12);
  });

  it("grad, jvp, vjp, linearize", () => {
    const want = XS.map((v) => 2 * Math.cos(v));
    expectClose(grad((x: Array) => sin2(x).sum())(f64(XS)), want, 1e-12);
    const [y, t] = jvp(sin2, [f64(XS)], [np.onesLike(f64(XS))]);
    expectClose(y, sin(XS), 1e-12);
    expectClose(t, want, 1e-12);
    const [y2, pullback] = vjp(sin2, f64(XS));
    expectClose(y2, sin(XS), 1e-12);
    expectClose(pullback(f64([1, 1, 1]))[0], want, 1e-12);
    const [, fJvp] = linearize(sin2, f64(XS));
    expectClose(
      fJvp(f64([1, 2, 3])),
      XS.map((v, i) => 2 * Math.cos(v) * (i + 1)),
      1e-12,
    );
  });

  it("vmap(grad), jit(grad), grad(jit), vmap, grad(vmap)", () => {
    const want = XS.map((v) => 2 * Math.cos(v));
    const g = grad((x: Array) => sin2(x));
    expectClose(vmap(g)(f64(XS)), want, 1e-12);
    expectClose(jit(grad((x: Array) => sin2(x).sum()))(f64(XS)), want, 1e-12);
    expectClose(grad((x: Array) => jit(sin2)(x).sum())(f64(XS)), want, 1e-12);
    expectClose(vmap(sin2)(f64(XS)), sin(XS), 1e-12);
    expectClose(grad((x: Array) => vmap(sin2)(x).sum())(f64(XS)), want, 1e-12);
    expectClose(jit(vmap(g))(f64(XS)), want, 1e-12);
    expectClose(vmap(jit(g))(f64(XS)), want, 1e-12);
  });

  it("grad(grad) differentiates the rule", () => {
    const gg = grad(grad((x: Array) => sin2(x)));
    for (const v of XS) expectClose(gg(f64(v)), -2 * Math.sin(v), 1e-12);
    expectClose(jit(gg)(f64(1)), -2 * Math.sin(1), 1e-12);
    // jvp of grad (forward over reverse) and grad of jvp.
    const [, t] = jvp(
      grad((x: Array) => sin2(x)),
      [f64(0.7)],
      [f64(1)],
    );
    expectClose(t, -2 * Math.sin(0.7), 1e-12);
    const dJvp = grad((x: Array) => jvp(sin2, [x], [np.onesLike(x)])[1]);
    expectClose(dJvp(f64(0.7)), -2 * Math.sin(0.7), 1e-12);
  });

  it("several arguments and pytree outputs; the rule may call the function itself", () => {
    // f(x, y) = {p: x*y, s: x+y}, with a rule that doubles every tangent.
    const f = customJvp((x: Array, y: Array) => ({ p: x.mul(y), s: x.add(y) }));
    f.defJvp(([x, y], [tx, ty]) => {
      const out = f(x, y); // the function itself, inside its own rule
      return [out, { p: tx.mul(y).add(ty.mul(x)).mul(2), s: tx.add(ty).mul(2) }];
    });
    const loss = (x: Array, y: Array) => {
      const o = f(x, y);
      return o.p.add(o.s).sum();
    };
    const [gx, gy] = grad(loss, { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    expectClose(gx, [2 * (3 + 1), 2 * (4 + 1)], 1e-12);
    expectClose(gy, [2 * (1 + 1), 2 * (2 + 1)], 1e-12);
    const o = f(f64([1, 2]), f64([3, 4]));
    expectClose(o.p, [3, 8], 1e-12);
    expectClose(o.s, [4, 6], 1e-12);
  });

  it("closed-over values that are not differentiated (vmap, jit) are fine", () => {
    const scaled = (w: Array) => customJvp((x: Array) => x.mul(w)).defJvp(([x], [t]) => [x.mul(w), t.mul(10)]);
    // w is a vmap tracer closed over by both the function and the rule.
    const ws = f64([1, 2, 3]);
    expectClose(vmap((w: Array) => scaled(w)(f64(2)))(ws), [2, 4, 6], 1e-12);
    expectClose(vmap((w: Array) => grad((x: Array) => scaled(w)(x))(f64(2)))(ws), [10, 10, 10], 1e-12);
    expectClose(jit((w: Array, x: Array) => grad((v: Array) => scaled(w)(v))(x))(f64(3), f64(2)), 10, 1e-12);
    expectClose(jit((w: Array, x: Array) => scaled(w)(x))(f64(3), f64(2)), 6, 1e-12);
  });

  it("is staged as one custom_jvp_call", () => {
    expect(makeJaxpr(sin2)(f64(XS)).toString()).toContain("custom_jvp_call");
  });

  it("numerically stable log1pexp: finite gradient at 1e4 in float32 where the naive formula gives NaN", () => {
    const naive = (x: Array) => np.log1p(np.exp(x));
    const stable = customJvp((x: Array) => np.maximum(x, 0).add(np.log1p(np.exp(x.abs().neg()))));
    // d/dx log(1 + e^x) = sigmoid(x), computed from e = exp(-|x|) in (0, 1] so that it and its
    // own derivative stay finite everywhere.
    const sigmoid = (x: Array) => {
      const e = np.exp(x.abs().neg());
      return np.where(x.greaterEqual(0), e.add(1).reciprocal(), e.div(e.add(1)));
    };
    stable.defJvp(([x], [t]) => [stable(x), t.mul(sigmoid(x))]);
    const x = np.array([1e4, 0.5, -1e4, 3]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    expect(x.dtype).toBe("float32");
    const naiveGrad = flat(grad((v: Array) => naive(v).sum())(x));
    expect(Number.isNaN(naiveGrad[0])).toBe(true);
    const g = grad((v: Array) => stable(v).sum())(x);
    expectClose(g, [1, sig(0.5), 0, sig(3)]);
    expect(flat(g).every(Number.isFinite)).toBe(true);
    expectClose(stable(x), [1e4, Math.log1p(Math.exp(0.5)), 0, Math.log1p(Math.exp(3))]);
    expectClose(jit(grad((v: Array) => stable(v).sum()))(x), [1, sig(0.5), 0, sig(3)]);
    // Second derivative from the rule: sigmoid'(x) = sigmoid(x)(1 - sigmoid(x)), finite too.
    const gg = flat(vmap(grad(grad((v: Array) => stable(v))))(x));
    expect(gg.every(Number.isFinite)).toBe(true);
    expectClose(np.array(gg), [0, sig(0.5) * (1 - sig(0.5)), 0, sig(3) * (1 - sig(3))]);
  });
});

describe("customVjp: bwd is used", () => {
  const want = XS.map((v) => 3 * Math.cos(v));

  it("evaluates f", () => {
    expectClose(sin3(f64(XS)), sin(XS), 1e-12);
    expectClose(jit(sin3)(f64(XS)), sin(XS), 1e-12);
    expectClose(vmap(sin3)(f64(XS)), sin(XS), 1e-12);
  });

  it("grad, vjp, jacrev", () => {
    expectClose(grad((x: Array) => sin3(x).sum())(f64(XS)), want, 1e-12);
    const [y, pullback] = vjp(sin3, f64(XS));
    expectClose(y, sin(XS), 1e-12);
    expectClose(
      pullback(f64([1, 2, 3]))[0],
      want.map((w, i) => w * (i + 1)),
      1e-12,
    );
    expectClose(jacrev(sin3)(f64(XS)) as Array, [want[0]!, 0, 0, 0, want[1]!, 0, 0, 0, want[2]!], 1e-12);
  });

  it("vmap(grad), jit(grad), grad(jit), grad(vmap), grad(jit(vmap))", () => {
    const g = grad((x: Array) => sin3(x));
    expectClose(vmap(g)(f64(XS)), want, 1e-12);
    expectClose(jit(grad((x: Array) => sin3(x).sum()))(f64(XS)), want, 1e-12);
    expectClose(grad((x: Array) => jit(sin3)(x).sum())(f64(XS)), want, 1e-12);
    expectClose(grad((x: Array) => vmap(sin3)(x).sum())(f64(XS)), want, 1e-12);
    expectClose(grad((x: Array) => jit(vmap(sin3))(x).sum())(f64(XS)), want, 1e-12);
    expectClose(jit(vmap(g))(f64(XS)), want, 1e-12);
  });

  it("grad(grad) differentiates bwd (through the residuals)", () => {
    // bwd = 3·ct·cos(x) with cos(x) from fwd: d/dx = -3·sin(x)
    const gg = grad(grad((x: Array) => sin3(x)));
    expectClose(gg(f64(0.4)), -3 * Math.sin(0.4), 1e-12);
  });

  it("several arguments, pytree residuals, unbatched arguments under vmap, null cotangents", () => {
    // f(x, y) = x·y; bwd says d/dx = 2y, d/dy = null (zero).
    const f = customVjp((x: Array, y: Array) => x.mul(y)).defVjp(
      (x: Array, y: Array) => [x.mul(y), { y, scale: 2 }],
      (r: { y: Array; scale: number }, ct: Array) => [ct.mul(r.y).mul(r.scale), null],
    );
    const [gx, gy] = grad((x: Array, y: Array) => f(x, y).sum(), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    expectClose(gx, [6, 8], 1e-12);
    expectClose(gy, [0, 0], 1e-12);
    // y is shared (unbatched) across the vmap: its cotangent sums over the batch.
    const h = (x: Array, y: Array) => vmap((xi: Array) => f(xi, y))(x).sum();
    const [hx] = grad(h, { argnums: [0] })(f64([1, 2, 3]), f64(5));
    expectClose(hx, [10, 10, 10], 1e-12);
    const f2 = customVjp((x: Array, y: Array) => x.mul(y)).defVjp(
      (x: Array, y: Array) => [x.mul(y), [x, y]],
      ([x, y]: Array[], ct: Array) => [ct.mul(y!), ct.mul(x!).mul(7)],
    );
    const h2 = (x: Array, y: Array) => vmap((xi: Array) => f2(xi, y))(x).sum();
    const [, hy] = grad(h2, { argnums: [0, 1] })(f64([1, 2, 3]), f64(5));
    expectClose(hy, 7 * (1 + 2 + 3), 1e-12);
  });

  it("fwd may call the function itself; bwd may close over traced values", () => {
    const f = customVjp((x: Array) => x.exp());
    f.defVjp(
      (x: Array) => {
        const y = f(x);
        return [y, y];
      },
      (y: Array, ct: Array) => [ct.mul(y).mul(2)],
    );
    expectClose(grad((x: Array) => f(x).sum())(f64([0, 1])), [2, 2 * Math.E], 1e-12);
    // bwd closes over a vmap tracer (not differentiated): it travels to bwd as a residual.
    const scaledBwd = (s: Array) =>
      customVjp((x: Array) => x.mul(1)).defVjp(
        (x: Array) => [x, null],
        (_r: null, ct: Array) => [ct.mul(s)],
      );
    expectClose(vmap((s: Array) => grad((x: Array) => scaledBwd(s)(x))(f64(1)))(f64([1, 2, 3])), [1, 2, 3], 1e-12);
  });

  it("is staged as one custom_vjp_call; its linear part as custom_vjp_lin", () => {
    expect(makeJaxpr(sin3)(f64(XS)).toString()).toContain("custom_vjp_call");
    const [, fJvp] = linearize(sin3, f64(XS));
    expect(() => fJvp(f64(XS))).toThrow(/forward-mode differentiation/);
  });
});

describe("customVjp: forward mode is a clear error", () => {
  const msg =
    /customVjp.*forward-mode differentiation \(jvp, jacfwd.*not supported; differentiate it in reverse mode \(grad, vjp, jacrev\), or define its derivative with customJvp/;
  const named = customVjp(function mySin(x: Array) {
    return x.sin();
  }).defVjp(
    (x: Array) => [x.sin(), x.cos()],
    (c: Array, ct: Array) => [ct.mul(c)],
  );

  it("eagerly, inside jit, of jit, and forward-over-reverse of its jvp", () => {
    const one: [Array] = [f64(1)];
    expect(() => jvp(sin3, [f64(1)], one)).toThrow(msg);
    expect(() => jvp(named, [f64(1)], one)).toThrow(/mySin: forward-mode differentiation/);
    expect(() => jit((x: Array) => jvp(sin3, [x], [np.onesLike(x)])[1])(f64(1))).toThrow(msg);
    expect(() => jvp(jit(sin3), [f64(1)], one)).toThrow(msg);
    expect(() => grad((x: Array) => jvp(sin3, [x], [np.onesLike(x)])[1])(f64(1))).toThrow(msg);
  });
});

describe("nesting", () => {
  it("customJvp inside customVjp: bwd calls a customJvp function, grad(grad) uses its rule", () => {
    // k(x) has gradient sin2(x) (by bwd); so d²k/dx² = sin2'(x) = 2cos(x) by sin2's rule.
    const k = customVjp((x: Array) => x.mul(x)).defVjp(
      (x: Array) => [x.mul(x), x],
      (x: Array, ct: Array) => [ct.mul(sin2(x))],
    );
    expectClose(grad((x: Array) => k(x))(f64(0.5)), Math.sin(0.5), 1e-12);
    expectClose(grad(grad((x: Array) => k(x)))(f64(0.5)), 2 * Math.cos(0.5), 1e-12);
    // and a customJvp function inside f / fwd: the outer bwd wins.
    const outer = customVjp((x: Array) => sin2(x)).defVjp(
      (x: Array) => [sin2(x), x],
      (_x: Array, ct: Array) => [ct.mul(5)],
    );
    expectClose(grad((x: Array) => outer(x).sum())(f64(XS)), [5, 5, 5], 1e-12);
    expectClose(outer(f64(XS)), sin(XS), 1e-12);
  });

  it("customVjp inside customJvp: the outer rule wins; a customVjp function in the rule is reverse-differentiated by its bwd", () => {
    const q = customJvp((x: Array) => sin3(x)).defJvp(([x], [t]) => [sin3(x), t.mul(5)]);
    expectClose(q(f64(XS)), sin(XS), 1e-12);
    expectClose(grad((x: Array) => q(x).sum())(f64(XS)), [5, 5, 5], 1e-12);
    expectClose(jvp(q, [f64(XS)], [np.onesLike(f64(XS))])[1], [5, 5, 5], 1e-12);
    // rule tangent = sin3(x)·t: grad = sin(x), grad(grad) = sin3'(x) = 3cos(x) by sin3's bwd
    const r = customJvp((x: Array) => x.mul(x)).defJvp(([x], [t]) => [x.mul(x), sin3(x).mul(t)]);
    expectClose(grad((x: Array) => r(x))(f64(0.5)), Math.sin(0.5), 1e-12);
    expectClose(grad(grad((x: Array) => r(x)))(f64(0.5)), 3 * Math.cos(0.5), 1e-12);
  });
});

describe("more compositions", () => {
  it("batch axes other than 0, and hessians of both kinds (forward over reverse)", () => {
    const m = np.array(
      [
        [0.1, 0.2, 0.3],
        [1, 2, 3],
      ],
      { dtype: "float64" },
    ); // vmapped over axis 1: three columns of length 2
    const colGrad = (g: (x: Array) => Array) =>
      vmap(
        grad((c: Array) => g(c).sum()),
        { inAxes: 1, outAxes: 1 },
      )(m);
    expectClose(
      colGrad(sin2),
      [0.1, 0.2, 0.3, 1, 2, 3].map((v) => 2 * Math.cos(v)),
      1e-12,
    );
    expectClose(
      colGrad(sin3),
      [0.1, 0.2, 0.3, 1, 2, 3].map((v) => 3 * Math.cos(v)),
      1e-12,
    );
    expectClose(vmap(sin2, { inAxes: 1, outAxes: 1 })(m), sin([0.1, 0.2, 0.3, 1, 2, 3]), 1e-12);
    expectClose(
      hessian((x: Array) => sin2(x).sum())(f64([0.5, 1])) as Array,
      [-2 * Math.sin(0.5), 0, 0, -2 * Math.sin(1)],
      1e-12,
    );
    expectClose(
      hessian((x: Array) => sin3(x).sum())(f64([0.5, 1])) as Array,
      [-3 * Math.sin(0.5), 0, 0, -3 * Math.sin(1)],
      1e-12,
    );
  });

  it("a rule that applies another custom function to tangents (partial evaluation of the custom call)", () => {
    const triple = customJvp((x: Array) => x.mul(3)).defJvp(([x], [t]) => [x.mul(3), t.mul(3)]);
    const h = customJvp((x: Array) => x.sin()).defJvp(([x], [t]) => [x.sin(), triple(t)]);
    expectClose(grad((x: Array) => h(x).sum())(f64(XS)), [3, 3, 3], 1e-12);
    expectClose(jit(grad((x: Array) => h(x).sum()))(f64(XS)), [3, 3, 3], 1e-12);
    expectClose(grad((x: Array) => jit(h)(x).sum())(f64(XS)), [3, 3, 3], 1e-12);
    // A customVjp function applied to tangents is transposed as its primal function (x·3 here).
    const tripleV = customVjp((x: Array) => x.mul(3)).defVjp(
      (x: Array) => [x.mul(3), null],
      (_r: null, ct: Array) => [ct.mul(3)],
    );
    const hv = customJvp((x: Array) => x.sin()).defJvp(([x], [t]) => [x.sin(), tripleV(t)]);
    expectClose(grad((x: Array) => hv(x).sum())(f64(XS)), [3, 3, 3], 1e-12);
  });

  it("defJvp / defVjp can be called again; the new rule replaces the old", () => {
    const f = customJvp((x: Array) => x.mul(1)).defJvp(([x], [t]) => [x, t.mul(2)]);
    expectClose(grad((x: Array) => f(x))(f64(1)), 2, 1e-12);
    f.defJvp(([x], [t]) => [x, t.mul(4)]);
    expectClose(grad((x: Array) => f(x))(f64(1)), 4, 1e-12);
  });

  it("JS numbers and no-argument calls", () => {
    expectClose(sin2(0.5 as unknown as Array), Math.sin(0.5));
    const half = 0.5 as unknown as Array;
    expectClose(grad((x: Array) => sin2(x))(half), 2 * Math.cos(0.5));
    expectClose(grad((x: Array) => sin3(x))(half), 3 * Math.cos(0.5));
    const c = customJvp(() => np.array([1, 2])).defJvp(() => [np.array([1, 2]), np.zeros([2])]);
    expectClose(c(), [1, 2]);
  });
});

describe("errors", () => {
  it("calling before defJvp / defVjp", () => {
    const f = customJvp(function noRule(x: Array) {
      return x;
    });
    expect(() => f(f64(1))).toThrow(/customJvp\(noRule\): no JVP rule defined; call \.defJvp\(rule\)/);
    const g = customVjp((x: Array) => x);
    expect(() => g(f64(1))).toThrow(/customVjp: no VJP rule defined; call \.defVjp\(fwd, bwd\)/);
    expect(() => customJvp(3 as never)).toThrow(/customJvp: expected a function/);
    expect(() => customJvp((x: Array) => x).defJvp(null as never)).toThrow(/defJvp expects a function/);
  });

  it("JVP rule outputs that do not match f", () => {
    const badShape = customJvp((x: Array) => x.sum()).defJvp(([x], [t]) => [x.sum(), t]);
    expect(() => badShape(f64([1, 2]))).toThrow(
      /the function's output and the JVP rule's tangent output differ at leaf.*float64\[\] vs float64\[2\]/,
    );
    const badPrimal = customJvp((x: Array) => x).defJvp(([x], [t]) => [x.astype("float32"), t]);
    expect(() => badPrimal(f64([1, 2]))).toThrow(/JVP rule's primal output differ/);
    const notPair = customJvp((x: Array) => x).defJvp((([x]: Array[]) => x) as never);
    expect(() => notPair(f64([1, 2]))).toThrow(/the JVP rule must return \[primalOut, tangentOut\]/);
    const badStructure = customJvp((x: Array) => [x, x]).defJvp(([x], [t]) => [[x, x], [t]]);
    expect(() => badStructure(f64(1))).toThrow(/JVP rule's tangent output has structure/);
  });

  it("bwd outputs that do not match the arguments", () => {
    const fwd = (x: Array, y: Array): [Array, null] => [x.mul(y), null];
    const tooFew = customVjp((x: Array, y: Array) => x.mul(y)).defVjp(fwd, ((_r: null, ct: Array) => [ct]) as never);
    expect(() => tooFew(f64(1), f64(2))).toThrow(
      /bwd must return a list with one cotangent per argument \(2\); it returned a list of length 1/,
    );
    const notList = customVjp((x: Array) => x).defVjp((x: Array) => [x, null], ((_r: null, ct: Array) => ct) as never);
    expect(() => notList(f64(1))).toThrow(/bwd must return a list with one cotangent per argument \(1\)/);
    const badShape = customVjp((x: Array) => x.sum()).defVjp(
      (x: Array) => [x.sum(), null],
      (_r: null, ct: Array) => [ct],
    );
    expect(() => badShape(f64([1, 2]))).toThrow(
      /the arguments and bwd's cotangents differ at leaf.*float64\[2\] vs float64\[\]/,
    );
    const badTree = customVjp((p: { a: Array; b: Array }) => p.a.add(p.b)).defVjp(
      (p: { a: Array; b: Array }) => [p.a.add(p.b), null],
      (_r: null, ct: Array) => [{ a: ct }] as never,
    );
    expect(() => badTree({ a: f64(1), b: f64(2) })).toThrow(
      /the arguments has structure .* but bwd's cotangents has structure/,
    );
    const badFwd = customVjp((x: Array) => x).defVjp(((x: Array) => x) as never, (_r: null, ct: Array) => [ct]);
    expect(() => badFwd(f64(1))).toThrow(/fwd must return \[out, residuals\]/);
  });

  it("closing over a value that is being differentiated", () => {
    const viaClosure = (x: Array) =>
      customJvp((y: Array) => y.mul(x)).defJvp(([y], [t]) => [y.mul(x), t.mul(x)])(f64(2));
    expect(() => grad(viaClosure)(f64(3))).toThrow(
      /customJvp: the function closes over a value that is being differentiated.*pass that value as an argument/,
    );
    const viaRule = (x: Array) => customJvp((y: Array) => y).defJvp(([y], [t]) => [y, t.mul(x)])(f64(2));
    expect(() => grad(viaRule)(f64(3))).toThrow(/the JVP rule closes over a value that is being differentiated/);
    const vjpClosure = (x: Array) =>
      customVjp((y: Array) => y.mul(x)).defVjp(
        (y: Array) => [y.mul(x), null],
        (_r: null, ct: Array) => [ct],
      )(f64(2));
    expect(() => grad(vjpClosure)(f64(3))).toThrow(
      /customVjp: the function closes over a value that is being differentiated/,
    );
    expect(() => jvp(vjpClosure, [f64(3)], [f64(1)])).toThrow(/closes over a value that is being differentiated/);
    // Under vmap inside grad, too.
    expect(() => grad((x: Array) => vmap((v: Array) => viaClosure(x.mul(v)))(f64([1, 2])).sum())(f64(3))).toThrow(
      /being differentiated/,
    );
  });
});
