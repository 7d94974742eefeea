/**
 * `checkpoint` (alias `remat`): gradient checkpointing. The wrapped function is staged to a Program
 * and called through the `remat_call` primitive, whose partial-evaluation rule (in
 * src/lax/control/checkpoint.ts) makes reverse mode keep only the function's inputs and recompute its
 * intermediates during the backward pass, trading compute for memory.
 */
import { checkFunction } from "../src/core/validate.js";
import { checkOptions } from "../src/core/options.js";
import { bind } from "../src/core/trace.js";
import { simplify } from "../src/interpreters/passes.js";
import { unflatten } from "../src/tree/index.js";
import { traceFn } from "../src/interpreters/trace-fn.js";
import { checkArgsDefined, flattenArrays, frozen } from "../src/interpreters/args.js";

export interface CheckpointOptions {
  /** A name for the checkpointed call, shown in printed Programs (default: the function's name). */
  name?: string;
}

/**
 * Returns a function that computes the same values as `f`, but whose reverse-mode derivative
 * stores only `f`'s inputs and recomputes `f`'s intermediate values during the backward pass
 * (gradient checkpointing / rematerialization), trading compute for memory.
 *
 * Arguments and results may be pytrees of arrays and numbers; `f` may close over arrays and over
 * values of enclosing transforms. `f` is traced on abstract values each time the result is called,
 * so it must not read array data (no `.item()`, no branching on values; use `cond` for that).
 * Forward values, `jvp` and `vmap` are unchanged; under `grad`/`vjp`/`linearize` the
 * residuals of a checkpointed call are its differentiated-through inputs only.
 *
 * @example
 * const layer = (x: Array, w: Array) => np.matmul(x, w).tanh();
 * const deep = (x: Array, ws: Array[]) => ws.reduce((h, w) => checkpoint(layer)(h, w), x).sum();
 * grad(deep)(np.ones([4]), [np.eye(4), np.eye(4)]); // same value as without checkpoint
 */
export function checkpoint<A extends unknown[], R>(
  f: (...args: A) => R,
  opts: CheckpointOptions = {},
): (...args: A) => R {
  checkFunction("checkpoint", f);
  checkOptions("checkpoint", opts, ["name"]);
  if (opts.name !== undefined && typeof opts.name !== "string")
    throw new TypeError(`checkpoint: name must be a string, got ${typeof opts.name}`);
  const name = opts.name ?? (f.name || "checkpoint");
  return (...args: A): R => {
    checkArgsDefined(args, "checkpoint");
    // JS numbers become weak float32 scalars (differentiable), as in grad.
    const [ops, inDef] = flattenArrays(args, "checkpoint", "arguments");
    const traced = traceFn(
      f,
      inDef,
      ops.map((o) => o.aval),
      "checkpoint",
    );
    const program = simplify(traced.program);
    const outs = bind("remat_call", [...traced.extras, ...ops], { program, name });
    return frozen(unflatten(traced.outDef, outs) as R);
  };
}

/**
 * Alias of {@link checkpoint} (JAX's `jax.remat`).
 *
 * @example
 * const f = remat((x: Array) => x.sin().sin());
 * grad((x: Array) => f(x).sum())(np.array([0.5, 1])); // cos(sin x) · cos x
 */
export const remat = checkpoint;
