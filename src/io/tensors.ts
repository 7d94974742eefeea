/**
 * The bridge between pytrees of graft arrays and the named tensors of a file: reading a tree's
 * arrays to the host for saving, and building a tree of arrays from a file's tensors (checked
 * against `like` when given).
 */
import { type Array, describeValue, isArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { defaultBackend, getBackend } from "../core/backend.js";
import { concreteArray, isConcrete } from "../core/concrete.js";
import type { DType, TypedArray } from "../core/dtype.js";
import { shapeEqual } from "../core/shape.js";
import { Tracer } from "../core/trace.js";
import { flatten, unflatten } from "../tree/index.js";
import { describeTensor, listNames } from "./bytes.js";
import { leafNames, structureFromNames } from "./names.js";

/** A named tensor read to the host, ready to be written. */
export interface HostTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** The elements in C order (a copy owned by the writer). */
  readonly data: TypedArray;
}

/** A named tensor of a file, its elements decoded only when the tree is built. */
export interface FileTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readElements(): TypedArray;
}

/**
 * A pytree made of graft arrays: what the loaders return without `like` (JS arrays for levels named
 * 0, 1, …, plain objects otherwise).
 */
export type ArrayTree = Array | ArrayTree[] | { [name: string]: ArrayTree };

/** Options of the loaders. */
export interface LoadOptions<T = ArrayTree> {
  /**
   * A pytree with the expected structure (arrays give the expected shapes and dtypes, e.g. the
   * freshly initialised parameters or `opt.init(params)`). The result has this structure, empty
   * containers and registered classes included; any difference is an error naming the tensor.
   */
  readonly like?: T;
  /** The backend the arrays are created on (default: the default backend). */
  readonly backend?: string;
}

function checkLeaf(op: string, leaf: unknown, name: string): Array {
  if (leaf instanceof Tracer)
    throw new TypeError(
      `${op}: the leaf '${name}' is a traced value (${leaf.aval}, inside ${leaf.trace.transform}); save outside transforms`,
    );
  if (isConcrete(leaf)) return leaf;
  const wrap = typeof leaf === "number" || typeof leaf === "boolean" ? "; wrap it with np.array(…)" : "";
  throw new TypeError(`${op}: the leaf '${name}' is ${describeValue(leaf)}; only graft arrays can be saved${wrap}`);
}

/** The arrays of `tree` with their tensor names, read to the host (`await x.data()`: any backend). */
export async function readTree(op: string, tree: unknown): Promise<HostTensor[]> {
  const [leaves, def] = flatten(tree);
  const names = leafNames(op, def);
  const arrays = leaves.map((leaf, i) => checkLeaf(op, leaf, names[i]!));
  const data = await Promise.all(arrays.map((x) => x.data()));
  return arrays.map((x, i) => ({ name: names[i]!, dtype: x.dtype, shape: x.shape, data: data[i]! }));
}

/** Reads one array of a saver that takes a single array (saveNpy). */
export async function readArray(op: string, x: unknown): Promise<HostTensor> {
  const array = checkLeaf(op, x, "x");
  return { name: "", dtype: array.dtype, shape: array.shape, data: await array.data() };
}

function backendFor(op: string, name: unknown) {
  if (name === undefined) return defaultBackend();
  if (typeof name !== "string")
    throw new TypeError(`${op}: backend must be a backend name, got ${describeValue(name)}`);
  return getBackend(name);
}

/** A graft array on the backend called `backendName` (default backend when undefined), owning `data`. */
export function makeArray(
  op: string,
  data: TypedArray,
  shape: readonly number[],
  dtype: DType,
  backendName?: string,
): Array {
  const backend = backendFor(op, backendName);
  const info = { shape, dtype };
  const buffer = backend.adopt ? backend.adopt(data, info) : backend.upload(data, info);
  return concreteArray(new ShapedArray(shape, dtype), backend, buffer);
}

/** The pytree of arrays holding `tensors`: rebuilt from their names, or with the structure of `options.like`. */
export function assembleTree(op: string, tensors: readonly FileTensor[], options: LoadOptions<unknown>): unknown {
  const backend = backendFor(op, options.backend);
  const arrayOf = (t: FileTensor): Array => makeArray(op, t.readElements(), t.shape, t.dtype, backend.name);
  if (options.like === undefined) {
    const { def, order } = structureFromNames(
      op,
      tensors.map((t) => t.name),
    );
    return unflatten(
      def,
      order.map((i) => arrayOf(tensors[i]!)),
    );
  }
  const [likeLeaves, def] = flatten(options.like);
  const names = leafNames(op, def);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const expected = new Set(names);
  const ordered = names.map((name, i) => {
    const leaf = likeLeaves[i];
    if (!isArray(leaf))
      throw new TypeError(
        `${op}: the leaf '${name}' of \`like\` is ${describeValue(leaf)}; \`like\` must be a pytree of graft arrays ` +
          "with the expected shapes and dtypes (the initial parameters, or opt.init(params))",
      );
    const want = describeTensor(leaf.dtype, leaf.shape);
    const t = byName.get(name);
    if (t === undefined)
      throw new Error(
        `${op}: \`like\` expects a tensor '${name}' (${want}) that the file does not have; the file has ${listNames([...byName.keys()])}`,
      );
    if (t.dtype !== leaf.dtype || !shapeEqual(t.shape, leaf.shape))
      throw new Error(
        `${op}: tensor '${name}': \`like\` expects ${want}, the file has ${describeTensor(t.dtype, t.shape)}`,
      );
    return t;
  });
  const extra = tensors.filter((t) => !expected.has(t.name));
  if (extra.length > 0)
    throw new Error(
      `${op}: the file has ${extra.length === 1 ? "a tensor" : "tensors"} ${listNames(extra.map((t) => t.name))} that ` +
        `\`like\` does not have (\`like\` expects ${listNames(names)}); load without \`like\` to see everything the file holds`,
    );
  return unflatten(def, ordered.map(arrayOf));
}
