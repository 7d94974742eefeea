/** Turning user values into arrays, and dtype/shape alignment shared by the numpy functions. */
import { Array, type ArrayOrScalar, describeValue, isArray } from "./array.js";
import { backendOf, canReadSync, type ConcreteArray, isConcrete, readView } from "./concrete.js";
import { defaultBackend } from "./backend.js";
import { withBackend } from "./backend-choice.js";
import { castScalar, isFloat, promoteTypes, type DType } from "./dtype.js";
import { broadcastShapes, shapeEqual } from "./shape.js";
import { bind1 } from "./trace.js";
import { foreignArrayNote } from "./validate.js";
import { broadcastInDim, exactScalarValue, scalar } from "./ops.js";

/**
 * An array from an Array or a JS scalar. Integer-valued numbers are weak int32, others weak float32,
 * so `x.mul(2)` keeps x's dtype and `intArray.mul(0.5)` becomes float32 (JAX's promotion).
 */
export function asArray(x: ArrayOrScalar, op: string): Array {
  if (isArray(x)) return x;
  if (typeof x === "number") {
    const isInt = Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
    return scalar(x, isInt ? "int32" : "float32", true);
  }
  if (typeof x === "boolean") return scalar(x ? 1 : 0, "bool");
  throw new TypeError(`${op}: expected a graft array, a number or a boolean, got ${describeValue(x)}${asArrayHint(x)}`);
}

/** What to do instead, for the values `asArray` rejects. */
function asArrayHint(x: unknown): string {
  const foreign = foreignArrayNote(x);
  if (foreign) return foreign;
  if (x instanceof Array) return "; pass the array itself (graft does not accept proxies or copies of its arrays)";
  if (ArrayBuffer.isView(x) || globalThis.Array.isArray(x)) return "; convert it first with np.array(data)";
  return "";
}

/** Converts to `dtype`, keeping weak typing when asked; concrete scalars convert without a primitive. */
export function castTo(x: Array, dtype: DType, weakType = false): Array {
  if (x.dtype === dtype && x.weakType === weakType) return x;
  // Concrete scalars (JS numbers, mostly) convert on the host, so no convert op is staged for them.
  if (isConcrete(x) && x.ndim === 0) {
    // The JS number a scalar was made from converts on the host even where the backend reads only
    // asynchronously (WebGPU): −0 made from a JS number stays −0 in a float dtype.
    const exact = exactScalarValue(x);
    if (exact !== undefined || canReadSync(x))
      return scalar(castScalar(exact ?? readView(x)[0]!, dtype), dtype, weakType);
  }
  return bind1("convert", [x], { dtype, weakType });
}

/** Float dtype for ops that need one (sqrt of an int array is float32, like NumPy). */
export function toFloat(x: Array): Array {
  return isFloat(x.dtype) ? x : castTo(x, "float32", x.weakType);
}

/** Broadcasts `x` to `shape` (NumPy rules: align trailing axes). */
export function broadcastArray(x: Array, shape: readonly number[]): Array {
  if (shapeEqual(x.shape, shape)) return x;
  const off = shape.length - x.ndim;
  return broadcastInDim(
    x,
    shape,
    x.shape.map((_, i) => i + off),
  );
}

/** Converts operands to their common (promoted) dtype, without broadcasting. */
export function promote(op: string, ...xs: ArrayOrScalar[]): Array[] {
  // JS numbers join their array operands' backend (as JAX commits weak scalars to the other
  // operand's device), so `x.mul(3)` works whatever the default backend is.
  const home = xs.find((x): x is ConcreteArray => isConcrete(x));
  if (home && backendOf(home) !== defaultBackend()) return withBackend(home.backend, () => promoteHere(op, xs));
  return promoteHere(op, xs);
}

function promoteHere(op: string, xs: readonly ArrayOrScalar[]): Array[] {
  const arrs = xs.map((x) => asArray(x, op));
  const [first, ...rest] = arrs;
  if (!first) return [];
  let { dtype, weakType } = first;
  for (const a of rest) ({ dtype, weakType } = promoteTypes(dtype, weakType, a.dtype, a.weakType));
  return arrs.map((a) => castTo(a, dtype, weakType));
}

/** Promotes operands to a common dtype and broadcasts them to a common shape. */
export function align(op: string, ...xs: ArrayOrScalar[]): Array[] {
  // Fast path for the common eager case: two arrays that already agree.
  if (xs.length === 2) {
    const [a, b] = xs;
    if (
      isArray(a) &&
      isArray(b) &&
      a.aval.dtype === b.aval.dtype &&
      a.aval.weakType === b.aval.weakType &&
      shapeEqual(a.aval.shape, b.aval.shape)
    )
      return [a, b];
  }
  const arrs = promote(op, ...xs);
  const first = arrs[0]?.shape ?? [];
  if (arrs.every((a) => shapeEqual(a.shape, first))) return arrs;
  const shape = broadcastShapes(op, ...arrs.map((a) => a.shape));
  return arrs.map((a) => broadcastArray(a, shape));
}
