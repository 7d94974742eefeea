/** Shape helpers shared by the primitives, the numpy layer and the backends. */
import { notStaticError } from "./errors.js";

/** Checks that every entry of a user-given shape is a static non-negative integer. */
export function checkStaticShape(op: string, shape: readonly unknown[], allowMinusOne = false): number[] {
  if (!Array.isArray(shape)) throw notStaticError(op, "shape (a list of numbers)", shape);
  return shape.map((d, i) => {
    if (typeof d !== "number") throw notStaticError(op, `shape entry ${i}`, d);
    if (!Number.isInteger(d) || d < (allowMinusOne ? -1 : 0))
      throw new TypeError(
        `${op}: shape entry ${i} must be a non-negative integer${allowMinusOne ? " (or -1)" : ""}, got ${d} in ${JSON.stringify(shape)}`,
      );
    return d;
  });
}
export type Shape = readonly number[];

export const sizeOf = (shape: Shape): number => {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
};

/** True when two shapes are equal (a plain loop: this runs several times per eager operation). */
export const shapeEqual = (a: Shape, b: Shape): boolean => {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

export const shapeStr = (s: Shape): string => `[${s.join(", ")}]`;

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i]!;
  }
  return st;
}

/** NumPy broadcasting of several shapes; the error names the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = nd - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else
        throw new Error(
          `${op}: incompatible shapes for broadcasting: ${shapes.map(shapeStr).join(" and ")} ` +
            `(axis ${o - nd} has sizes ${out[o]} and ${d}; sizes must match or be 1)`,
        );
    }
  }
  return out;
}

/** Normalizes a possibly negative axis; the error names the op, the axis and the rank. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (typeof axis !== "number") throw notStaticError(op, "axis", axis);
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: axis must be an integer, got ${axis}`);
  if (axis < -ndim || axis >= ndim)
    throw new RangeError(
      ndim === 0
        ? `${op}: axis ${axis} is out of range: the array is a scalar (rank 0) and has no axes`
        : `${op}: axis ${axis} is out of range for an array of rank ${ndim} (valid: ${-ndim}..${ndim - 1})`,
    );
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes `axis` (number, list, or undefined/null meaning all axes) to sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== "number" && !Array.isArray(axis))
    throw notStaticError(op, "axis (a number, a list of numbers, or null)", axis);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length) throw new Error(`${op}: repeated axis in ${JSON.stringify(list)}`);
  return out.sort((a, b) => a - b);
}
