/**
 * Type-level checks (enforced by `tsc --noEmit`, which covers test/): the curried transforms are
 * typed exactly as the transforms, pipe/flow infer through them, and the HKT maps to Tree<A>.
 */
import type * as E from "fp-ts/Either";
import { flow, pipe } from "fp-ts/function";
import type { Kind } from "fp-ts/HKT";
import type { State } from "fp-ts/State";
import type { Task } from "fp-ts/Task";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Array } from "../../src/core/array.js";
import * as fp from "../../src/fp/index.js";
import * as np from "../../src/numpy/index.js";
import * as optim from "../../src/optim/index.js";
import { grad, valueAndGrad } from "../../transforms/grad.js";
import { jit, type Jitted } from "../../transforms/jit.js";

type Params = { w: Array; b: Array };
const loss = (p: Params, x: Array): Array => np.dot(x, p.w).add(p.b).sum();

describe("types", () => {
  it("fp.grad(opts)(f) has grad(f, opts)'s type", () => {
    expectTypeOf(fp.grad()(loss)).toEqualTypeOf(grad(loss));
    expectTypeOf(fp.grad({ argnums: 1 })(loss)).toEqualTypeOf(grad(loss, { argnums: 1 }));
    expectTypeOf(fp.grad({ argnums: [0, 1] })(loss)).toEqualTypeOf(grad(loss, { argnums: [0, 1] }));
    expectTypeOf(fp.grad({ argnums: [0, 1] })(loss)).returns.toEqualTypeOf<[{ w: Array; b: Array }, Array]>();
    const withAux = (p: Params): [Array, string] => [p.w.sum(), "aux"];
    expectTypeOf(fp.grad({ hasAux: true })(withAux)).toEqualTypeOf(grad(withAux, { hasAux: true }));
    expectTypeOf(fp.valueAndGrad()(loss)).toEqualTypeOf(valueAndGrad(loss));
  });

  it("pipe and flow infer through the curried transforms", () => {
    const perExample = pipe(loss, fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0] }), jit);
    expectTypeOf(perExample).toEqualTypeOf<Jitted<[Params, Array], { w: Array; b: Array }>>();
    const transformer = flow(fp.grad(), fp.jit());
    expectTypeOf(transformer((v: Array) => v.sum())).toEqualTypeOf<Jitted<[Array], Array>>();
    expectTypeOf(fp.jvp([np.ones([2])], [np.ones([2])])((v: Array) => v.sin())).toEqualTypeOf<[Array, Array]>();
    // @ts-expect-error: grad needs a scalar output, as grad itself does
    fp.grad()((v: Array) => v.shape.join(","));
  });

  it("the pytree HKT, Either, State and Task forms", () => {
    expectTypeOf<Kind<fp.URI, number>>().toEqualTypeOf<fp.Tree<number>>();
    expectTypeOf(fp.Functor.map({ a: 1 }, (x: number) => `${x}`)).toEqualTypeOf<fp.Tree<string>>();
    expectTypeOf(fp.tryGraft(() => 1)).toEqualTypeOf<E.Either<fp.GraftError, number>>();
    expectTypeOf(fp.minimizeE(loss.bind(null, { w: np.ones([2]), b: np.ones([]) }), np.ones([2]))).toMatchTypeOf<
      E.Either<fp.MinimizeError<Array>, { x: Array }>
    >();
    const opt = optim.adam(0.1);
    expectTypeOf(fp.toState(opt)(np.ones([2]))).toEqualTypeOf<State<optim.ChainState, Array>>();
    expectTypeOf(fp.downloadTree({ w: np.ones([2]) })).toEqualTypeOf<Task<{ w: Array }>>();
    expect(fp.URI).toBe("graft/Tree");
  });
});
