/**
 * Type-level tests of the public signatures: checked by `npm run typecheck` (tsc over test/); at
 * run time `expectTypeOf` does nothing. Negative cases use `@ts-expect-error`, which fails the
 * type check when the line compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type Array,
  checkpoint,
  cond,
  customJvp,
  customVjp,
  evalShape,
  type GradOf,
  grad,
  type Jitted,
  type Lowered,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  nn,
  np,
  optim,
  type Program,
  random,
  type ShapedArray,
  scan,
  stopGradient,
  tree,
  valueAndGrad,
  vjp,
  vmap,
  whileLoop,
} from "../../src/index.js";
import type { KernelPrim, PrimName, SubProgramPrim, UnlistedPrimitive } from "../../src/core/primitives.js";

const x = np.array([1, 2, 3]);
const y = np.array([4, 5, 6]);
type Params = { w: Array; b: Array };
const params: Params = { w: np.ones([3]), b: np.zeros([]) };

/** Type-checks `f`'s body without running it (for calls that would throw at run time). */
const typeOnly = (_f: () => unknown): void => {};

const loss1 = (v: Array): Array => v.square().sum();
const loss2 = (v: Array, u: Array): Array => v.mul(u).sum();
const loss3 = (p: Params, v: Array, n: number): Array => v.mul(p.w).sum().add(p.b).mul(n);

describe("grad", () => {
  it("default argnums: the gradient of argument 0", () => {
    expectTypeOf(grad(loss1)).toEqualTypeOf<(v: Array) => Array>();
    expectTypeOf(grad(loss2)).parameters.toEqualTypeOf<[v: Array, u: Array]>();
    expectTypeOf(grad(loss2)).returns.toEqualTypeOf<Array>();
    // a JS-number result works (it is a Scalar)
    expectTypeOf(grad((v: Array) => v.sum().item() as number)).returns.toEqualTypeOf<Array>();
  });

  it("numeric argnums: the gradient of that argument", () => {
    expectTypeOf(grad(loss3, { argnums: 0 })).returns.toEqualTypeOf<Params>();
    expectTypeOf(grad(loss3, { argnums: 1 })).returns.toEqualTypeOf<Array>();
    // a JS number argument's gradient is an Array
    expectTypeOf(grad(loss3, { argnums: 2 })).returns.toEqualTypeOf<Array>();
  });

  it("tuple argnums: a tuple of gradients, in argnums order", () => {
    expectTypeOf(grad(loss3, { argnums: [0, 1] })).returns.toEqualTypeOf<[Params, Array]>();
    expectTypeOf(grad(loss3, { argnums: [2, 0] })).returns.toEqualTypeOf<[Array, Params]>();
    expectTypeOf(grad(loss3, { argnums: [1] })).returns.toEqualTypeOf<[Array]>();
    // the arguments stay those of the function
    expectTypeOf(grad(loss3, { argnums: [0, 1] })).parameters.toEqualTypeOf<Parameters<typeof loss3>>();
  });

  it("hasAux: [gradient, aux]", () => {
    const withAux = (v: Array) => [v.square().sum(), { norm: v.abs().sum(), label: "sq" }] as const;
    type Aux = { readonly norm: Array; readonly label: "sq" };
    expectTypeOf(grad(withAux, { hasAux: true })).returns.toEqualTypeOf<[Array, Aux]>();
    const withAux2 = (p: Params, v: Array) => [loss3(p, v, 1), v.mean()] as const;
    expectTypeOf(grad(withAux2, { hasAux: true, argnums: [0, 1] })).returns.toEqualTypeOf<[[Params, Array], Array]>();
    expectTypeOf(grad(withAux2, { hasAux: true, argnums: 1 })).returns.toEqualTypeOf<[Array, Array]>();
  });

  it("pytree arguments: gradients of the same structure (GradOf)", () => {
    expectTypeOf(grad((p: Params) => p.w.sum())).returns.toEqualTypeOf<Params>();
    // tuples stay tuples (readonly dropped), lists stay lists, numbers become Arrays
    expectTypeOf(grad((t: readonly [Array, number]) => t[0].sum())).returns.toEqualTypeOf<[Array, Array]>();
    expectTypeOf(grad((ws: Array[]) => ws[0]!.sum())).returns.toEqualTypeOf<Array[]>();
    type Nested = { layers: { w: Array; scale: number }[]; bias: readonly [Array] };
    type NestedGrad = { layers: { w: Array; scale: Array }[]; bias: [Array] };
    expectTypeOf(grad((p: Nested) => p.bias[0].sum())).returns.toEqualTypeOf<NestedGrad>();
    expectTypeOf<GradOf<Nested>>().toEqualTypeOf<NestedGrad>();
    expectTypeOf<GradOf<number>>().toEqualTypeOf<Array>();
    expectTypeOf<GradOf<{ readonly a: number }>>().toEqualTypeOf<{ a: Array }>();
    // non-array leaves keep their type
    expectTypeOf<GradOf<{ a: Array; name: string; flag: boolean }>>().toEqualTypeOf<{
      a: Array;
      name: string;
      flag: boolean;
    }>();
  });

  it("rejects what the types rule out", () => {
    const g = grad(loss2);
    // @ts-expect-error a string is not an Array
    expectTypeOf(g).toBeCallableWith("a", y);
    // @ts-expect-error too few arguments
    expectTypeOf(g).toBeCallableWith(x);
    // @ts-expect-error too many arguments
    expectTypeOf(g).toBeCallableWith(x, y, x);
    // @ts-expect-error a pytree argument must have its declared structure
    expectTypeOf(grad((p: Params) => p.w.sum())).toBeCallableWith({ w: x });
    typeOnly(() => {
      // @ts-expect-error the function must return a scalar (Array or number), not a string
      grad((v: Array) => String(v));
      // @ts-expect-error nor an object
      grad((v: Array) => ({ v }));
      // @ts-expect-error argnums is a number or a list of numbers
      grad(loss2, { argnums: "0" });
      // @ts-expect-error with hasAux the function must return [value, aux]
      grad(loss1, { hasAux: true });
      // @ts-expect-error a [value, aux] function needs hasAux: true
      grad((v: Array) => [v.sum(), v] as const);
    });
  });

  it("argnums past the end of the argument tuple: not rejected, typed undefined", () => {
    // The types do not bound argnums by the arity (the call throws at run time); the
    // gradient's type is then GradOf<undefined>.
    expectTypeOf(grad(loss2, { argnums: 5 })).returns.toEqualTypeOf<undefined>();
    expectTypeOf(grad(loss2, { argnums: [0, 5] })).returns.toEqualTypeOf<[Array, undefined]>();
  });
});

describe("valueAndGrad", () => {
  it("[value, gradient]; with hasAux [[value, aux], gradient]", () => {
    expectTypeOf(valueAndGrad(loss1)).toEqualTypeOf<(v: Array) => [Array, Array]>();
    expectTypeOf(valueAndGrad(loss3, { argnums: [0, 2] })).returns.toEqualTypeOf<[Array, [Params, Array]]>();
    expectTypeOf(valueAndGrad((p: Params) => p.w.sum())).returns.toEqualTypeOf<[Array, Params]>();
    const withAux = (v: Array) => [v.sum(), v.shape] as const;
    expectTypeOf(valueAndGrad(withAux, { hasAux: true })).returns.toEqualTypeOf<[[Array, readonly number[]], Array]>();
    // @ts-expect-error too few arguments
    expectTypeOf(valueAndGrad(loss2)).toBeCallableWith(x);
  });
});

describe("vmap, jit, jvp, vjp, linearize", () => {
  it("vmap keeps the function's type", () => {
    expectTypeOf(vmap(loss2)).toEqualTypeOf<typeof loss2>();
    const pyFn = (p: Params, v: Array): { out: Array; aux: [Array] } => ({ out: v.mul(p.w), aux: [p.b] });
    expectTypeOf(vmap(pyFn, { inAxes: [null, 0] })).toEqualTypeOf<typeof pyFn>();
    expectTypeOf(vmap(grad(loss1))).toEqualTypeOf<(v: Array) => Array>();
    typeOnly(() => {
      // @ts-expect-error inAxes entries are numbers, null or nested specs
      vmap(loss2, { inAxes: ["0"] });
    });
    // @ts-expect-error the vmapped function takes the original arguments
    expectTypeOf(vmap(loss2)).toBeCallableWith(x);
  });

  it("jit returns Jitted<A, R>, callable with the same arguments", () => {
    const f = jit(loss3);
    expectTypeOf(f).toEqualTypeOf<Jitted<[p: Params, v: Array, n: number], Array>>();
    expectTypeOf(f).toBeCallableWith(params, x, 2);
    expectTypeOf(f).returns.toEqualTypeOf<Array>();
    expectTypeOf(f.cacheSize).toEqualTypeOf<number>();
    expectTypeOf(f.lower).parameters.toEqualTypeOf<Parameters<typeof loss3>>();
    expectTypeOf(f.lower).returns.toEqualTypeOf<Lowered>();
    expectTypeOf(f.lower(params, x, 2).program).toEqualTypeOf<Program>();
    expectTypeOf(jit(grad(loss3, { argnums: [0, 1] }))).returns.toEqualTypeOf<[Params, Array]>();
    // @ts-expect-error n must be a number
    expectTypeOf(f).toBeCallableWith(params, x, x);
    // @ts-expect-error too few arguments
    expectTypeOf(f).toBeCallableWith(params, x);
    typeOnly(() => {
      // @ts-expect-error cacheSize is read-only
      f.cacheSize = 0;
    });
  });

  it("jvp: (f, primals, tangents) → [out, tangent out]", () => {
    expectTypeOf(jvp(loss2, [x, y], [x, y])).toEqualTypeOf<[Array, Array]>();
    const pyFn = (p: Params) => ({ s: p.w.sum(), t: [p.b] as [Array] });
    type Out = { s: Array; t: [Array] };
    expectTypeOf(jvp(pyFn, [params], [params])).toEqualTypeOf<[Out, Out]>();
    typeOnly(() => {
      // @ts-expect-error tangents must match the primals' structure
      jvp(loss2, [x, y], [x]);
      // @ts-expect-error primals are passed as a list
      jvp(loss1, x, x);
    });
  });

  it("vjp: (f, ...primals) → [out, (ct) => cotangents of the arguments]", () => {
    const [out, pullback] = vjp(loss3, params, x, 2);
    expectTypeOf(out).toEqualTypeOf<Array>();
    expectTypeOf(pullback).toEqualTypeOf<(ct: Array) => [p: Params, v: Array, n: number]>();
    typeOnly(() => {
      // @ts-expect-error the primals must match the function's parameters
      vjp(loss2, x);
    });
  });

  it("linearize: [out, (...tangents) => tangent out]", () => {
    expectTypeOf(linearize(loss2, x, y)).toEqualTypeOf<[Array, (v: Array, u: Array) => Array]>();
  });

  it("makeJaxpr, evalShape, checkpoint, stopGradient", () => {
    expectTypeOf(makeJaxpr(loss2)).toEqualTypeOf<(v: Array, u: Array) => Program>();
    expectTypeOf(evalShape(loss2, x, y)).toEqualTypeOf<ShapedArray>();
    expectTypeOf(evalShape((p: Params) => ({ a: p.w, n: [p.b] as const }), params)).toEqualTypeOf<{
      readonly a: ShapedArray;
      readonly n: readonly [ShapedArray];
    }>();
    expectTypeOf(checkpoint(loss3)).toEqualTypeOf<typeof loss3>();
    expectTypeOf(stopGradient(params)).toEqualTypeOf<Params>();
  });
});

describe("control flow and custom rules", () => {
  it("cond, scan and whileLoop keep their operands' and carries' types", () => {
    expectTypeOf(
      cond(
        x.sum().greater(0),
        (v: Array, p: Params) => ({ r: v.mul(p.w) }),
        (v: Array, p: Params) => ({ r: v.add(p.b) }),
        x,
        params,
      ),
    ).toEqualTypeOf<{ r: Array }>();
    const step = (c: Params, xi: Array): readonly [Params, Array] => [c, xi.sum()];
    expectTypeOf(scan(step, params, x)).toEqualTypeOf<[Params, Array]>();
    type Carry = [Array, Array];
    expectTypeOf(
      whileLoop(
        ([i]: Carry) => i.less(3),
        ([i, v]: Carry): Carry => [i.add(1), v],
        [np.array(0, { dtype: "int32" }), x] as Carry,
      ),
    ).toEqualTypeOf<Carry>();
  });

  it("customJvp / customVjp keep the function's type; rules are typed by it", () => {
    const f = customJvp((v: Array, n: number) => v.mul(n));
    expectTypeOf(f).toBeCallableWith(x, 2);
    expectTypeOf(f).returns.toEqualTypeOf<Array>();
    expectTypeOf(f.defJvp).parameter(0).parameter(0).toEqualTypeOf<[v: Array, n: number]>();
    expectTypeOf(f.defJvp).parameter(0).parameter(1).toEqualTypeOf<[v: Array, n: number]>();
    expectTypeOf(f.defJvp).parameter(0).returns.toEqualTypeOf<readonly [Array, Array]>();
    const g = customVjp((p: Params) => p.w.sum());
    expectTypeOf(g).parameters.toEqualTypeOf<[p: Params]>();
    g.defVjp(
      (p: Params) => [p.w.sum(), p.w] as const,
      (w, ct) => {
        expectTypeOf(w).toEqualTypeOf<Array>();
        expectTypeOf(ct).toEqualTypeOf<Array>();
        return [{ w: ct.mul(np.onesLike(w)), b: np.zerosLike(ct) }];
      },
    );
    typeOnly(() => {
      const badBwd = (_res: null, ct: Array) => [ct];
      // @ts-expect-error bwd must return one cotangent per argument, shaped like it
      g.defVjp((p: Params) => [p.w.sum(), null] as const, badBwd);
    });
  });
});

describe("pytrees", () => {
  it("tree.map keeps the structure when the leaf type is kept", () => {
    expectTypeOf(tree.map((v: Array) => v.mul(2), params)).toEqualTypeOf<Params>();
    expectTypeOf(tree.map((v: Array, u: Array) => v.add(u), params, params)).toEqualTypeOf<Params>();
    // a leaf function of another result type gives unknown
    expectTypeOf(tree.map((v: Array) => v.size, params)).toEqualTypeOf<unknown>();
    expectTypeOf(tree.leaves(params)).toEqualTypeOf<unknown[]>();
  });
});

describe("optimizers", () => {
  it("adam: init's state type, update → [updates typed like the grads, state], applyUpdates keeps params", () => {
    const opt = optim.adam(0.1);
    expectTypeOf(opt).toEqualTypeOf<optim.GradientTransformation<optim.ChainState>>();
    const state = opt.init(params);
    expectTypeOf(state).toEqualTypeOf<optim.ChainState>();
    const grads = grad((p: Params) => p.w.sum())(params);
    const step = opt.update(grads, state, params);
    expectTypeOf(step).toEqualTypeOf<[Params, optim.ChainState]>();
    expectTypeOf(optim.applyUpdates(params, step[0])).toEqualTypeOf<Params>();
    // a typed training step closes over both
    const train = jit((p: Params, s: typeof state) => {
      const [u, next] = opt.update(grad((q: Params) => q.w.sum())(p), s, p);
      return [optim.applyUpdates(p, u), next] as const;
    });
    expectTypeOf(train).returns.toEqualTypeOf<readonly [Params, optim.ChainState]>();
    typeOnly(() => {
      // @ts-expect-error the state must be the optimizer's state type
      opt.update(grads, { count: 0 }, params);
    });
  });

  it("chain, sgd and GradientTransformation<S>", () => {
    const opt = optim.chain(optim.clipByGlobalNorm(1), optim.sgd(0.1, { momentum: 0.9 }));
    expectTypeOf(opt.update(params, opt.init(params))[0]).toEqualTypeOf<Params>();
    const custom: optim.GradientTransformation<{ n: number }> = {
      init: () => ({ n: 0 }),
      update: (u, s) => [u, { n: s.n + 1 }],
    };
    expectTypeOf(custom.init(params)).toEqualTypeOf<{ n: number }>();
    expectTypeOf(custom.update(x, { n: 1 })).toEqualTypeOf<[Array, { n: number }]>();
  });
});

describe("nn layers", () => {
  it("init's params have the layer's parameter type; apply takes them", () => {
    const key = random.key(0);
    expectTypeOf(key).toEqualTypeOf<random.Key>();
    const dense = nn.dense(3);
    expectTypeOf(dense).toEqualTypeOf<nn.StatelessLayer<nn.DenseParams>>();
    const { params: dp, state, outputShape } = dense.init(key, [4]);
    expectTypeOf(dp).toEqualTypeOf<nn.DenseParams>();
    expectTypeOf(state).toEqualTypeOf<null>();
    expectTypeOf(outputShape).toEqualTypeOf<number[]>();
    expectTypeOf(dense.apply).toBeCallableWith(dp, x);
    expectTypeOf(dense.apply).returns.toEqualTypeOf<Array>();
    expectTypeOf<nn.ParamsOf<typeof dense>>().toEqualTypeOf<nn.DenseParams>();
    expectTypeOf(nn.mlp([16, 3]).init(key, [4]).params).toEqualTypeOf<nn.DenseParams[]>();
    // gradients of layer params have the params' type
    expectTypeOf(grad((p: nn.DenseParams) => dense.apply(p, x).sum())).returns.toEqualTypeOf<nn.DenseParams>();
    // @ts-expect-error a layer's apply needs its params
    expectTypeOf(dense.apply).toBeCallableWith({ w: x }, x);
  });

  it("stateful layers return [y, state] in training and y otherwise", () => {
    const bn = nn.batchNorm();
    const init = bn.init(random.key(0), [2, 3]);
    const xb = np.ones([2, 3]);
    expectTypeOf(init.state).toEqualTypeOf<nn.BatchNormState>();
    expectTypeOf<nn.StateOf<typeof bn>>().toEqualTypeOf<nn.BatchNormState>();
    expectTypeOf(bn.apply(init.params, xb, { train: true, state: init.state })).toEqualTypeOf<
      [Array, nn.BatchNormState]
    >();
    expectTypeOf(bn.apply(init.params, xb, { state: init.state })).toEqualTypeOf<Array>();
  });

  it("sequential: one params entry per item, null for parameterless ones", () => {
    const model = nn.sequential(nn.dense(8), nn.relu, nn.layerNorm());
    expectTypeOf(model.init(random.key(0), [4]).params).toEqualTypeOf<[nn.DenseParams, null, nn.LayerNormParams]>();
    expectTypeOf(model.stateful).toEqualTypeOf<false>();
    const bnModel = nn.sequential(nn.dense(8), nn.batchNorm());
    expectTypeOf(bnModel.stateful).toEqualTypeOf<true>();
    expectTypeOf(bnModel.init(random.key(0), [4]).state).toEqualTypeOf<[null, nn.BatchNormState]>();
  });
});

describe("primitive names", () => {
  it("PRIMITIVE_NAMES lists every primitive; SubProgramPrim and KernelPrim split them", () => {
    expectTypeOf<UnlistedPrimitive>().toEqualTypeOf<never>();
    expectTypeOf<SubProgramPrim>().toEqualTypeOf<
      "jit_call" | "remat_call" | "cond" | "while" | "scan" | "custom_jvp_call" | "custom_vjp_call" | "custom_vjp_lin"
    >();
    expectTypeOf<SubProgramPrim | KernelPrim>().toEqualTypeOf<PrimName>();
    expectTypeOf<Extract<SubProgramPrim, KernelPrim>>().toEqualTypeOf<never>();
  });
});
