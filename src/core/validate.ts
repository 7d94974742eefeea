/** Checks of user arguments shared by the public API: functions where functions are expected, look-alike arrays. */
import { Array as GraftArray, describeValue, isArray } from "./array.js";

/**
 * Throws unless `f` is a function, naming the op and the argument (`grad: expected a function, got
 * number 42`; `cond: expected a function for trueFn, got null`). Transforms call it when they are
 * created, so a wrong argument is reported where it was passed, not at the first call.
 */
export function checkFunction(op: string, f: unknown, what?: string): void {
  if (typeof f !== "function")
    throw new TypeError(`${op}: expected a function${what ? ` for ${what}` : ""}, got ${describeValue(f)}`);
}

const GRAFT_CLASS = /^(ConcreteArray|Array|\w*Tracer)$/;

/**
 * True when `x` looks like an array made by another copy of graft loaded in the same process (the
 * ESM and the CommonJS builds, say): an object with `aval` and `shape` whose class (or a base
 * class) is one of graft's array classes, but which this copy's brand check rejects.
 */
export function isForeignArray(x: unknown): boolean {
  // A proxy of (or an object made from) this copy's arrays is not foreign: describeValue explains those.
  if (typeof x !== "object" || x === null || isArray(x) || x instanceof GraftArray) return false;
  if (!("aval" in x) || !("shape" in x)) return false;
  for (let p = Object.getPrototypeOf(x) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && GRAFT_CLASS.test(name) && p !== globalThis.Array.prototype) return true;
  }
  return false;
}

/** The message for arrays from another copy of graft. */
export const FOREIGN_ARRAY_NOTE =
  "this array comes from another copy of graft (two copies loaded in one process, e.g. the ESM and the CommonJS builds); use one import style";

/** `"; " + FOREIGN_ARRAY_NOTE` when `x` is an array from another copy of graft, else "" (append it to error messages). */
export function foreignArrayNote(x: unknown): string {
  return isForeignArray(x) ? `; ${FOREIGN_ARRAY_NOTE}` : "";
}

type Missing<T, K extends readonly unknown[]> = Exclude<keyof T, K[number]>;

/**
 * The option names of an options interface `T`, checked by the compiler in both directions: every
 * name must be a key of `T`, and every key of `T` must be listed (a missing one is a type error
 * naming it). Pass the result to `checkOptions`.
 *
 * @example const DENSE_OPTIONS = optionKeys<DenseOptions>()("useBias", "kernelInit", "biasInit", "dtype");
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    ...keys: K & ([Missing<T, K>] extends [never] ? unknown : { missingOptionNames: Missing<T, K> })
  ): readonly string[] => keys;
}
