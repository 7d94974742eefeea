/** `vmap`: vectorizing map, over the batching interpreter (src/interpreters/batching.ts). */
import { vmapFlat } from "../src/interpreters/batching.js";
import { broadcastPrefix, flattenWithPath, unflatten, type PyTreeDef } from "../src/tree/index.js";
import { flattenArrays, flatFn, frozen, recordedDef } from "../src/interpreters/args.js";
import { describeValue } from "../src/core/array.js";
import { checkOptions } from "../src/core/options.js";
import { checkFunction } from "../src/core/validate.js";

export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [k: string]: AxisSpec };

export interface VmapOptions {
  /** Which axis of each argument to map over: a pytree prefix of the arguments tuple (`null` = not mapped). Default 0. */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output: a pytree prefix of the output. Default 0. */
  outAxes?: AxisSpec;
  /** The batch size, required only when no argument is mapped. */
  axisSize?: number;
}

const isAxisLeaf = (x: unknown): boolean => x === null || typeof x === "number";

/**
 * Throws unless `spec` is an axis spec: an integer, null, or a pytree (lists, plain objects,
 * registered classes) of them. Names `what` (inAxes or outAxes) and, for a nested entry, its path.
 */
function checkAxisSpec(what: string, spec: unknown): void {
  for (const [path, leaf] of flattenWithPath(spec, { isLeaf: isAxisLeaf })[0]) {
    if (leaf === null || Number.isInteger(leaf)) continue;
    const at = path ? ` at ${what}${path}` : "";
    if (typeof leaf === "number")
      throw new TypeError(`vmap: ${what} must hold integer axes or null, got ${describeValue(leaf)}${at}`);
    throw new TypeError(
      `vmap: ${what} must be a number, null, or a pytree prefix of them; got ${describeValue(leaf)}${at}`,
    );
  }
}

/**
 * Vectorizes `f` over a leading (or chosen) axis of its arguments, as if it were applied to each
 * slice and the results stacked — but in one batched computation.
 *
 * @example
 * const dots = vmap((a: Array, b: Array) => np.dot(a, b));
 * dots(np.ones([8, 3]), np.ones([8, 3])); // shape [8]
 */
export function vmap<A extends unknown[], R>(f: (...args: A) => R, opts: VmapOptions = {}): (...args: A) => R {
  checkFunction("vmap", f);
  checkOptions("vmap", opts, ["inAxes", "outAxes", "axisSize"]);
  // `null` is meaningful (unmapped), so only `undefined` takes the default.
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxesSpec = opts.outAxes === undefined ? 0 : opts.outAxes;
  checkAxisSpec("inAxes", inAxes);
  checkAxisSpec("outAxes", outAxesSpec);
  if (opts.axisSize !== undefined && !(Number.isInteger(opts.axisSize) && opts.axisSize >= 0))
    throw new TypeError(`vmap: axisSize must be a non-negative integer, got ${describeValue(opts.axisSize)}`);
  return (...args: A): R => {
    const [flat, inDef] = flattenArrays(args, "vmap", "arguments", "asArray");
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length)
      throw new Error(
        `vmap: inAxes has ${inAxes.length} entries but the function was called with ${args.length} argument(s); give one entry per argument (or a single number for all)`,
      );
    const prefix = typeof inAxes === "number" || inAxes === null ? args.map(() => inAxes) : inAxes;
    const axes = broadcastPrefix(prefix, args, isAxisLeaf) as (number | null)[];
    let size: number | undefined = opts.axisSize;
    let sizeFrom = "";
    const dims = flat.map((x, i) => {
      const ax = axes[i];
      if (ax === null || ax === undefined) return null;
      if (!Number.isInteger(ax) || ax < -x.ndim || ax >= x.ndim)
        throw new RangeError(
          `vmap: inAxes ${ax} is out of range for argument leaf ${i} of shape [${x.shape.join(", ")}] (rank ${x.ndim})`,
        );
      const d = ax < 0 ? ax + x.ndim : ax;
      const n = x.shape[d]!;
      if (size === undefined) {
        size = n;
        sizeFrom = `leaf ${i} (shape [${x.shape.join(", ")}], axis ${d})`;
      } else if (n !== size)
        throw new Error(
          `vmap: inconsistent sizes for the mapped axis: ${sizeFrom || "axisSize"} gives ${size}, but leaf ${i} (shape [${x.shape.join(", ")}], axis ${d}) gives ${n}`,
        );
      return d;
    });
    if (size === undefined)
      throw new Error(
        "vmap: no argument is mapped (all inAxes are null); pass axisSize to say how many copies to make",
      );
    const out: { def?: PyTreeDef } = {};
    let outSpecs: (number | null)[] | undefined;
    const outs = vmapFlat(flatFn(f, inDef, "vmap", out), flat, dims, size, (i) => {
      if (!outSpecs) {
        const outDef = recordedDef(out, "vmap");
        outSpecs = broadcastPrefix(
          outAxesSpec,
          unflatten(outDef, outDef.numLeaves ? globalThis.Array(outDef.numLeaves).fill(0) : []),
          isAxisLeaf,
        ) as (number | null)[];
      }
      return outSpecs[i] ?? null;
    });
    return frozen(unflatten(recordedDef(out, "vmap"), outs) as R);
  };
}
