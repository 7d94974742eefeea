/** `jacfwd`, `jacrev` and `hessian` for pytree inputs and outputs. */
import type { Array } from "../src/core/array.js";
import { checkFunction } from "../src/core/validate.js";
import { checkOptions } from "../src/core/options.js";
import { bind1, currentTrace } from "../src/core/trace.js";
import { eye } from "../src/numpy/creation.js";
import { reshape } from "../src/numpy/shape.js";
import { instantiate, convert } from "../src/core/ops.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { jvpFlat } from "../src/interpreters/jvp.js";
import { vjpFlat } from "./vjp.js";
import { vmapFlat } from "../src/interpreters/batching.js";
import {
  checkArgsDefined,
  checkDifferentiable,
  flattenArrays,
  frozen,
  normalizeArgnums,
  recordedDef,
} from "../src/interpreters/args.js";

export interface JacobianOptions {
  /** Which positional arguments to differentiate: a number (default 0) or a list. */
  argnums?: number | readonly number[];
}

/** The checks every Jacobian transform makes when it is created. */
function checkJacobianArgs(op: string, f: unknown, opts: JacobianOptions): void {
  checkFunction(op, f);
  checkOptions(op, opts, ["argnums"]);
}

/**
 * Shared setup: flatten the differentiated arguments and build a flat function of them.
 * Returns what both modes need to assemble the nested result `out[...outIdx][...inIdx]`.
 */
function setup(f: (...args: unknown[]) => unknown, args: unknown[], opts: JacobianOptions, op: string) {
  const argnums = normalizeArgnums(opts.argnums, args.length, op);
  checkArgsDefined(
    argnums.map((i) => args[i]),
    op,
  );
  const [flat, inDef] = flattenArrays(
    argnums.map((i) => args[i]),
    op,
    "differentiated arguments",
  );
  flat.forEach((x, i) => checkDifferentiable(x, op, `input leaf ${i}`));
  const out: { def?: PyTreeDef } = {};
  const flatF = (...xs: Array[]): Array[] => {
    const parts = unflatten(inDef, xs) as unknown[];
    const full = args.slice();
    argnums.forEach((a, i) => (full[a] = parts[i]));
    const [leaves, def] = flattenArrays(f(...full), op, "function outputs");
    out.def = def;
    return leaves;
  };
  return { flat, inDef, out, flatF, single: typeof opts.argnums === "number" || opts.argnums === undefined };
}

/** Builds out-tree[in-tree] of blocks; `block(o, i)` has shape out.shape + in.shape. */
function assemble(
  outDef: PyTreeDef,
  inDef: PyTreeDef,
  single: boolean,
  nOut: number,
  nIn: number,
  block: (o: number, i: number) => Array,
): unknown {
  const rows: unknown[] = [];
  for (let o = 0; o < nOut; o++) {
    const blocks = globalThis.Array.from({ length: nIn }, (_, i) => block(o, i));
    const byArg = unflatten(inDef, blocks) as unknown[];
    rows.push(single ? byArg[0] : byArg);
  }
  return frozen(unflatten(outDef, rows));
}

/** Standard basis of the flattened inputs: a [total, total] identity split per leaf. */
function basis(xs: readonly Array[]): Array[] {
  const total = xs.reduce((s, x) => s + x.size, 0);
  const dtype = xs.some((x) => x.dtype === "float64") ? "float64" : "float32";
  const I = eye(total, total, { dtype });
  let off = 0;
  return xs.map((x) => {
    const part = bind1("slice", [I], { start: [0, off], limit: [total, off + x.size], strides: [1, 1] });
    off += x.size;
    return convert(reshape(part, [total, ...x.shape]), x.dtype);
  });
}

/**
 * Jacobian by forward mode (one JVP per input element, vectorized with vmap): efficient for
 * functions with few inputs. The result nests as output-tree → input-tree, each block shaped
 * `[...out.shape, ...in.shape]`.
 *
 * @example jacfwd((x: Array) => x.sin())(np.array([0, 1])) // diag(cos x)
 */
export function jacfwd<A extends unknown[]>(
  f: (...args: A) => unknown,
  opts: JacobianOptions = {},
): (...args: A) => unknown {
  checkJacobianArgs("jacfwd", f, opts);
  return jacfwdNamed(f, opts, "jacfwd");
}

function jacfwdNamed<A extends unknown[]>(
  f: (...args: A) => unknown,
  opts: JacobianOptions,
  op: string,
): (...args: A) => unknown {
  return (...args: A) => {
    const { flat, inDef, out, flatF, single } = setup(f as (...a: unknown[]) => unknown, args, opts, op);
    const total = flat.reduce((s, x) => s + x.size, 0);
    const B = basis(flat);
    const tangentOuts = vmapFlat(
      (...ts) => jvpFlat(flatF, flat, ts, currentTrace(), op)[1].map(instantiate),
      B,
      B.map(() => 0),
      total,
      () => -1,
      op,
    );
    let offsets = 0;
    const starts = flat.map((x) => ((offsets += x.size), offsets - x.size));
    // o < tangentOuts.length and i < flat.length = starts.length (assemble's loops).
    return assemble(recordedDef(out, op), inDef, single, tangentOuts.length, flat.length, (o, i) => {
      const t = tangentOuts[o]!; // [...out.shape, total]
      const oshape = t.shape.slice(0, -1);
      const cols = bind1("slice", [t], {
        start: t.shape.map((_, k) => (k === t.ndim - 1 ? starts[i]! : 0)),
        limit: t.shape.map((n, k) => (k === t.ndim - 1 ? starts[i]! + flat[i]!.size : n)),
        strides: t.shape.map(() => 1),
      });
      return reshape(cols, [...oshape, ...flat[i]!.shape]);
    });
  };
}

/**
 * Jacobian by reverse mode (one VJP per output element, vectorized with vmap): efficient for
 * functions with few outputs. Same result layout as `jacfwd`.
 *
 * @example jacrev((x: Array) => x.mul(x).sum())(np.array([1, 2])) // array([2., 4.]): the gradient 2x
 */
export function jacrev<A extends unknown[]>(
  f: (...args: A) => unknown,
  opts: JacobianOptions = {},
): (...args: A) => unknown {
  checkJacobianArgs("jacrev", f, opts);
  return jacrevNamed(f, opts, "jacrev");
}

function jacrevNamed<A extends unknown[]>(
  f: (...args: A) => unknown,
  opts: JacobianOptions,
  op: string,
): (...args: A) => unknown {
  return (...args: A) => {
    const { flat, inDef, out, flatF, single } = setup(f as (...a: unknown[]) => unknown, args, opts, op);
    const [outs, pullback] = vjpFlat(flatF, flat, op);
    const total = outs.reduce((s, x) => s + x.size, 0);
    const B = basis(outs);
    const cts = vmapFlat(
      (...c) => pullback(c),
      B,
      B.map(() => 0),
      total,
      () => 0,
      op,
    ); // per input: [total, ...in.shape]
    let offsets = 0;
    const starts = outs.map((x) => ((offsets += x.size), offsets - x.size));
    // o < outs.length = starts.length, and i < flat.length = cts.length (one cotangent per input).
    return assemble(recordedDef(out, op), inDef, single, outs.length, flat.length, (o, i) => {
      const c = cts[i]!;
      const rows = bind1("slice", [c], {
        start: c.shape.map((_, k) => (k === 0 ? starts[o]! : 0)),
        limit: c.shape.map((n, k) => (k === 0 ? starts[o]! + outs[o]!.size : n)),
        strides: c.shape.map(() => 1),
      });
      return reshape(rows, [...outs[o]!.shape, ...flat[i]!.shape]);
    });
  };
}

/**
 * The Hessian: `jacfwd(jacrev(f))`. For a function of a nested parameter object it nests
 * params-tree → params-tree.
 *
 * @example hessian((x: Array) => x.pow(3).sum())(np.array([1, 2])) // diag(6x)
 */
export function hessian<A extends unknown[]>(
  f: (...args: A) => unknown,
  opts: JacobianOptions = {},
): (...args: A) => unknown {
  checkJacobianArgs("hessian", f, opts);
  return jacfwdNamed(jacrevNamed(f, opts, "hessian"), opts, "hessian");
}
