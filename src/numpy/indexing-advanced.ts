/**
 * The advanced (array) part of NumPy indexing: boolean masks turned into integer lists on the host,
 * and several integer-array indices combined into one linear index over their merged axes, so a
 * single gather (or scatter) serves them all and grad / vmap / jit come from that primitive.
 */
import type { Array } from "../core/array.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import { ConcretizationError } from "../core/errors.js";
import * as L from "../core/ops.js";
import { broadcastShapes, shapeStr, sizeOf } from "../core/shape.js";
import { broadcastArray } from "../core/convert.js";
import { IndexError, normIndices } from "./indices.js";

/**
 * The advanced index, as seen in the output: its dims start at `pos`; `idx` is the linear index
 * into the merged advanced axes (the indices' broadcast shape); `unique` when statically
 * duplicate-free; `valid` (bool, idx's shape) marks in-range traced indices (null: all in range).
 */
export type AdvInfo = { pos: number; idx: Array; unique: boolean; valid: Array | null };

const MASK_HINT =
  "the result's shape depends on how many entries are true; use np.where(mask, x, other) to keep the shape, " +
  "or np.nonzero(mask, { size }) for indices of a static length";

/** How many axes a mask covers (a JS list of booleans covers one). */
export const maskRank = (mask: Array | readonly boolean[]): number =>
  globalThis.Array.isArray(mask) ? 1 : (mask as Array).ndim;

/**
 * NumPy's `x[mask]` part: the coordinates of the true entries of a concrete bool `mask` (an array, read
 * on the host, or a JS list of booleans) in C order,
 * one integer list per mask axis. `axes` is x's shape over the axes the mask covers, starting at `first`.
 */
export function maskToLists(
  op: string,
  mask: Array | readonly boolean[],
  axes: readonly number[],
  first: number,
): number[][] {
  if (globalThis.Array.isArray(mask)) {
    const list = mask as readonly boolean[];
    if (list.length !== axes[0])
      throw new IndexError(
        `${op}: a boolean list of length ${list.length} does not match axis ${first} of length ${axes[0]}; a mask must match the axis it covers exactly`,
      );
    return [list.flatMap((v, i) => (v ? [i] : []))];
  }
  return arrayMaskToLists(op, mask as Array, axes, first);
}

function arrayMaskToLists(op: string, mask: Array, axes: readonly number[], first: number): number[][] {
  if (mask.ndim === 0)
    throw new IndexError(`${op}: 0-d boolean indices are not supported; use null (a new axis) or np.where`);
  if (mask.ndim !== axes.length || mask.shape.some((n, i) => n !== axes[i]))
    throw new IndexError(
      `${op}: boolean index of shape ${shapeStr(mask.shape)} does not match the indexed array's axes ${first}..${first + mask.ndim - 1} of shape ${shapeStr(axes)}; a mask must match the axes it covers exactly`,
    );
  if (!isConcrete(mask)) {
    const transform = (mask as { trace?: { transform?: string } }).trace?.transform ?? "a transform";
    throw new ConcretizationError(`${op}: a boolean mask index (${MASK_HINT})`, String(mask.aval), transform);
  }
  if (!canReadSync(mask)) readView(mask, op, `A boolean mask index is read on the host: ${MASK_HINT}.`);
  const view = readView(mask, op);
  const lists = axes.map((): number[] => []);
  for (let flat = 0; flat < view.length; flat++) {
    if (!view[flat]) continue;
    let rest = flat;
    for (let a = axes.length - 1; a >= 0; a--) {
      lists[a]!.push(rest % axes[a]!);
      rest = Math.floor(rest / axes[a]!);
    }
  }
  return lists;
}

const staticValues = (v: Array | readonly number[], n: number): number[] | null =>
  globalThis.Array.isArray(v) ? (v as readonly number[]).map((i) => (i < 0 ? i + n : i)) : null;

/**
 * One linear int32 index (the indices' broadcast shape) into the axes `axes` of sizes `sizes`
 * merged in order (row-major), from one integer index per axis. Each index is normalized like a
 * single one (static lists range-checked, traced ones wrapped once then clamped).
 */
export function combineIndices(
  op: string,
  values: readonly (Array | readonly number[])[],
  sizes: readonly number[],
  axes: readonly number[],
): { idx: Array; unique: boolean; valid: Array | null } {
  const norm = values.map((v, k) => normIndices(op, v, sizes[k]!, axes[k]!));
  if (norm.length === 1) return norm[0]!;
  const shapes = norm.map((n) => n.idx.shape);
  let B: number[];
  try {
    B = broadcastShapes(op, ...shapes);
  } catch {
    throw new IndexError(
      `${op}: shape mismatch: indexing arrays could not be broadcast together with shapes ${shapes.map(shapeStr).join(", ")}`,
    );
  }
  if (sizeOf(sizes) > 2 ** 31 - 1)
    throw new RangeError(`${op}: the indexed axes hold ${sizeOf(sizes)} elements, more than int32 indices can address`);
  let idx: Array | null = null,
    valid: Array | null = null,
    stride = 1;
  for (let k = norm.length - 1; k >= 0; k--) {
    const i = broadcastArray(norm[k]!.idx, B);
    const term = stride === 1 ? i : L.mul(i, L.fullLike(i, stride));
    idx = idx ? L.add(term, idx) : term;
    const v = norm[k]!.valid;
    if (v) valid = valid ? L.binary("and", broadcastArray(v, B), valid) : broadcastArray(v, B);
    stride *= sizes[k]!;
  }
  // Static lists are 1-D, so their broadcast is 1-D too: the linear positions are computed here.
  const lists = values.map((v, k) => staticValues(v, sizes[k]!));
  let unique = sizeOf(B) <= 1;
  if (!unique && lists.every((l) => l !== null)) {
    const len = B[0] ?? 1;
    const seen = new Set<number>();
    for (let j = 0; j < len; j++) {
      let lin = 0;
      lists.forEach((l, k) => {
        lin = lin * sizes[k]! + l![l!.length === 1 ? 0 : j]!;
      });
      seen.add(lin);
    }
    unique = seen.size === len;
  }
  return { idx: idx!, unique, valid };
}
