/**
 * `graft/optim`: Optax-style gradient transformations and optimizers.
 *
 * A `GradientTransformation` is a pair of pure functions: `init(params)` builds a frozen state and
 * `update(grads, state, params?)` returns `[updates, nextState]`; `applyUpdates(params, updates)`
 * adds the updates. Every `update` is traceable, so `jit(opt.update)` (or a jitted training step)
 * works for every optimizer.
 *
 * @example
 * import { np, grad, jit } from "graft";
 * import { adam, applyUpdates, chain, clipByGlobalNorm } from "graft/optim";
 *
 * const loss = (p: { w: np.Array }) => p.w.sub(1).square().sum();
 * const opt = chain(clipByGlobalNorm(1), adam(0.05));
 * let params = { w: np.zeros([3]) };
 * let state = opt.init(params);
 * const step = jit((p: typeof params, s: typeof state) => {
 *   const [updates, next] = opt.update(grad(loss)(p), s, p);
 *   return [applyUpdates(p, updates), next] as const;
 * });
 * for (let i = 0; i < 300; i++) [params, state] = step(params, state);
 */
export type { GradientTransformation, OptState, Params, Updates, Schedule, ScalarOrSchedule } from "./types.js";

// first-order: core, combinators, building blocks, optimizers
export * from "./base.js";
export * from "./combinators.js";
export * from "./transforms.js";
export * from "./sgd.js";
export * from "./adaptive.js";

// second-order and schedules:
export * from "./second-order.js";
export * from "./schedules.js";
