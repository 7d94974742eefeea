/** `Either` forms of graft's throwing checks and solvers, for the edges of fp-ts programs. */
import type { Either } from "fp-ts/lib/Either.js";
import { chain, left, right } from "fp-ts/lib/Either.js";
import { minimize, type MinimizeOptions } from "../optim/minimize.js";
import type { Objective } from "../optim/objective.js";
import type { MinimizeResult } from "../optim/solver-common.js";
import { checkGrads, type CheckGradsOptions } from "../testing/check-grads.js";
import { type GraftError, tryGraft } from "./errors.js";

/**
 * `checkGrads` as an `Either`: `Right(undefined)` when the derivatives match finite differences,
 * `Left({ _tag: "GradCheckError", error })` with `error.failure` when they do not, and the other
 * tags for bad input.
 * @example
 * checkGradsE((x: Array) => x.sin().sum(), [np.array([0.5, 1])]); // right(undefined)
 */
export function checkGradsE<A extends unknown[]>(
  f: (...args: A) => unknown,
  args: A,
  opts: CheckGradsOptions = {},
): Either<GraftError, void> {
  return tryGraft(() => checkGrads(f, args, opts));
}

/** The solver stopped without meeting `tol` or `ftol`; `result` holds where it got to. */
export interface NotConverged<T> {
  readonly _tag: "NotConverged";
  readonly result: MinimizeResult<T>;
}

/** Why {@link minimizeE} returned a `Left`: a graft error, or no convergence. */
export type MinimizeError<T> = GraftError | NotConverged<T>;

/**
 * `minimize` as an `Either`: `Right(result)` when it converged, `Left({ _tag: "NotConverged",
 * result })` when it stopped early (the result is still there to use), or a tagged graft error.
 * @example
 * minimizeE((p: Array) => p.sub(3).square().sum(), np.zeros([2], { dtype: "float64" })); // right({ x ≈ [3, 3], … })
 */
export function minimizeE<T>(
  f: Objective<T>,
  x0: T,
  opts: MinimizeOptions = {},
): Either<MinimizeError<T>, MinimizeResult<T>> {
  const ran: Either<MinimizeError<T>, MinimizeResult<T>> = tryGraft(() => minimize(f, x0, opts));
  return chain((result: MinimizeResult<T>) =>
    result.converged ? right(result) : left<MinimizeError<T>>({ _tag: "NotConverged", result }),
  )(ran);
}
