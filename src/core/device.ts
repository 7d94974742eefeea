/** Explicit transfers of arrays between backends: graft never moves data between backends by itself. */
import { map } from "../tree/index.js";
import { Array, describeValue } from "./array.js";
import { ShapedArray } from "./aval.js";
import { defaultBackend, getBackend } from "./backend.js";
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
      `devicePut: the '${from.name}' backend reads asynchronously; await x.data() and build the array on '${target}' from that`,
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
