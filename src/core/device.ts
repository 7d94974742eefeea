/** Explicit transfers of arrays between backends: graft never moves data between backends by itself. */
import { map } from "../tree/index.js";
import { Array, describeValue } from "./array.js";
import { ShapedArray } from "./aval.js";
import { defaultBackend, getBackend, REFERENCE_BACKEND } from "./backend.js";
import { backendOf, bufferOf, concreteArray, isConcrete } from "./concrete.js";
import { Tracer } from "./trace.js";
import { foreignArrayNote } from "./validate.js";

function put(x: Array, target: string): Array {
  if (x instanceof Tracer)
    throw new TypeError(
      `devicePut: got a traced value (${x.aval}, inside ${x.trace.transform}); call devicePut outside transforms`,
    );
  if (!isConcrete(x))
    throw new TypeError(`devicePut: expected a graft array, got ${describeValue(x)}${foreignArrayNote(x)}`);
  const to = getBackend(target);
  const from = backendOf(x);
  if (from === to) return x;
  const read = from.downloadSync;
  if (!read)
    throw new Error(
      `devicePut: the '${from.name}' backend reads asynchronously; \`const host = await deviceGet(x)\` first, then devicePut(host, "${target}")`,
    );
  const data = read(bufferOf(x), x.aval);
  const aval = new ShapedArray(x.shape, x.dtype, x.weakType);
  return concreteArray(aval, to, to.upload(data, aval));
}

/**
 * Copies every array of a pytree to the backend called `backend` (default: the default backend);
 * arrays already there are returned as they are. Operands of one operation must share a backend,
 * so this is the transfer an error about mixed backends asks for.
 *
 * @example
 * const y = devicePut(x, "cpu"); // y.backend === "cpu"
 */
export function devicePut<T>(tree: T, backend: string = defaultBackend().name): T {
  return map((leaf: unknown) => (leaf instanceof Array ? put(leaf, backend) : leaf), tree) as T;
}

/** The distinct concrete arrays of a pytree (tracers are an error: these run outside transforms). */
function concreteLeaves(tree: unknown, op: string): Array[] {
  const out: Array[] = [];
  map((leaf: unknown) => {
    if (leaf instanceof Tracer)
      throw new TypeError(
        `${op}: got a traced value (${leaf.aval}, inside ${leaf.trace.transform}); call it outside transforms`,
      );
    if (leaf instanceof Array) out.push(leaf);
    return leaf;
  }, tree);
  return out;
}

/**
 * Waits until every array of a pytree has been computed (on backends that compute asynchronously,
 * such as WebGPU) and resolves to the same tree, as JAX's `block_until_ready`. Awaiting it between
 * steps of a long loop also lets the garbage collector return buffers.
 *
 * @example
 * state = await blockUntilReady(step(state));
 */
export async function blockUntilReady<T>(tree: T): Promise<T> {
  const backends = new Set(
    concreteLeaves(tree, "blockUntilReady").flatMap((x) => (isConcrete(x) ? [backendOf(x)] : [])),
  );
  await Promise.all([...backends].map((b) => b.whenReady?.()));
  return tree;
}

/**
 * The pytree with every array's contents brought to the host: each array becomes a copy on the
 * reference "cpu" backend, which reads synchronously (as JAX's `device_get` returns host arrays).
 * The way off an asynchronous backend: `devicePut(await deviceGet(x), "wasm")`.
 *
 * @example
 * const host = await deviceGet(params); // host.w.dataSync() works
 */
export async function deviceGet<T>(tree: T): Promise<T> {
  const leaves = concreteLeaves(tree, "deviceGet");
  const host = getBackend(REFERENCE_BACKEND);
  const copies = new Map<Array, Array>();
  await Promise.all(
    leaves.map(async (x) => {
      if (!isConcrete(x) || copies.has(x)) return;
      const data = await x.data();
      const aval = new ShapedArray(x.shape, x.dtype, x.weakType);
      copies.set(x, concreteArray(aval, host, host.upload(data, aval)));
    }),
  );
  return map((leaf: unknown) => (leaf instanceof Array ? (copies.get(leaf) ?? leaf) : leaf), tree) as T;
}
