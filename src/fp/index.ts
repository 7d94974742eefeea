/**
 * `graft-ad/fp`: graft for fp-ts programs (fp-ts is an optional peer dependency; nothing here sits
 * in a hot loop, these are the edges around graft's own transforms).
 *
 * - Curried, data-last transforms that compose with `pipe`/`flow`: {@link grad}, {@link valueAndGrad},
 *   {@link vmap}, {@link jit}, {@link jvp}, {@link vjp}, {@link jacfwd}, {@link jacrev}, {@link hessian}.
 * - Pytrees as an fp-ts higher-kinded type (`Tree<A>`, URI `"graft/Tree"`): the {@link Functor},
 *   {@link Foldable} and {@link Traversable} instances and their pipeable functions.
 * - `Either` at the API edges: {@link tryGraft}, {@link tryGraftK}, {@link checkGradsE}, {@link minimizeE}.
 * - Optimizers as `State`: {@link toState}, {@link trainStep}; device reads as `Task`: {@link downloadTree}.
 *
 * @example
 * import { pipe } from "fp-ts/function";
 * import { jit, np } from "graft-ad";
 * import * as fp from "graft-ad/fp";
 * const loss = (w: np.Array, x: np.Array) => np.dot(x, w).tanh().sum();
 * const perExampleGrads = pipe(loss, fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0] }), jit);
 */
export { URI, type Tree } from "./hkt.js";
export {
  Functor,
  getTraversable,
  isTaggedValue,
  Foldable,
  Traversable,
  map,
  reduce,
  reduceRight,
  foldMap,
  toArray,
  traverse,
  sequence,
} from "./instances.js";
export { grad, valueAndGrad, vmap, jit, jvp, vjp, jacfwd, jacrev, hessian, type GradsAt } from "./transforms.js";
export { tryGraft, tryGraftK, toGraftError, type GraftError, type GraftErrorTag } from "./errors.js";
export { checkGradsE, minimizeE, type MinimizeError, type NotConverged } from "./either.js";
export { toState, trainStep, type TrainState } from "./state.js";
export { downloadTree } from "./task.js";
