/**
 * graft's errors as a value: `GraftError` tags each error class graft throws, and `tryGraft` turns a
 * throwing computation into an fp-ts `Either`, for code that keeps failures in the type.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { ConcretizationError, UnexpectedTracerError, UnsupportedDTypeError } from "../core/errors.js";
import { IndexError } from "../numpy/indices.js";
import { OptimStructureError } from "../optim/base.js";
import { GradCheckError } from "../testing/check-grads.js";

/**
 * A failure graft reported, tagged by its kind so that a `switch` on `_tag` is exhaustive. The
 * classes have their own tags; `InvalidArgument` is bad input (a wrong type, option or value:
 * graft's TypeError and RangeError), and `Error` the rest (such as shapes that do not broadcast).
 */
export type GraftError =
  | { readonly _tag: "ConcretizationError"; readonly error: ConcretizationError }
  | { readonly _tag: "UnexpectedTracerError"; readonly error: UnexpectedTracerError }
  | { readonly _tag: "UnsupportedDTypeError"; readonly error: UnsupportedDTypeError }
  | { readonly _tag: "IndexError"; readonly error: IndexError }
  | { readonly _tag: "OptimStructureError"; readonly error: OptimStructureError }
  | { readonly _tag: "GradCheckError"; readonly error: GradCheckError }
  | { readonly _tag: "InvalidArgument"; readonly error: TypeError | RangeError }
  | { readonly _tag: "Error"; readonly error: Error };

/** The tags of {@link GraftError}. */
export type GraftErrorTag = GraftError["_tag"];

/**
 * Tags an error graft threw. Anything that is not an `Error` was not thrown by graft, so it is
 * thrown again rather than hidden in a `Left`.
 * @example
 * E.tryCatch(() => np.ones([2]).reshape([3]), toGraftError); // left({ _tag: "Error", … cannot reshape … })
 */
export function toGraftError(thrown: unknown): GraftError {
  if (!(thrown instanceof Error)) throw thrown;
  // Subclasses first: IndexError is a RangeError, every class an Error.
  if (thrown instanceof ConcretizationError) return { _tag: "ConcretizationError", error: thrown };
  if (thrown instanceof UnexpectedTracerError) return { _tag: "UnexpectedTracerError", error: thrown };
  if (thrown instanceof UnsupportedDTypeError) return { _tag: "UnsupportedDTypeError", error: thrown };
  if (thrown instanceof IndexError) return { _tag: "IndexError", error: thrown };
  if (thrown instanceof OptimStructureError) return { _tag: "OptimStructureError", error: thrown };
  if (thrown instanceof GradCheckError) return { _tag: "GradCheckError", error: thrown };
  if (thrown instanceof TypeError || thrown instanceof RangeError) return { _tag: "InvalidArgument", error: thrown };
  return { _tag: "Error", error: thrown };
}

/**
 * Runs `thunk`: `Right` of its value, or `Left` of the tagged error it threw.
 * @example
 * tryGraft(() => np.ones([2]).add(np.ones([3]))); // left({ _tag: "Error", error: … incompatible shapes … })
 */
export function tryGraft<A>(thunk: () => A): Either<GraftError, A> {
  if (typeof thunk !== "function")
    throw new TypeError(`tryGraft: expected a function of no arguments, got ${thunk === null ? "null" : typeof thunk}`);
  let value: A;
  try {
    value = thunk();
  } catch (thrown) {
    return left(toGraftError(thrown));
  }
  return right(value);
}

/**
 * Lifts a throwing function into one that returns an `Either` (fp-ts's `tryCatchK` for graft).
 * @example
 * const safeMatmul = tryGraftK((a: Array, b: Array) => np.matmul(a, b));
 * safeMatmul(np.ones([2, 3]), np.ones([2, 3])); // left({ _tag: "Error", … })
 */
export function tryGraftK<A extends readonly unknown[], B>(
  f: (...args: A) => B,
): (...args: A) => Either<GraftError, B> {
  if (typeof f !== "function")
    throw new TypeError(`tryGraftK: expected a function, got ${f === null ? "null" : typeof f}`);
  return (...args) => tryGraft(() => f(...args));
}
