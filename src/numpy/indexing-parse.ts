/**
 * Parses the entries of a NumPy-style index (JS values or an index string such as "0, 1:3, None")
 * into a flat list of typed entries; the indexing modules act on that list.
 */
import { type Array, describeValue, type IndexSpec, isArray, type Slice } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { IndexError } from "./indices.js";

export type Entry =
  | { kind: "int"; value: number }
  | { kind: "slice"; start: number | null; stop: number | null; step: number | null }
  | { kind: "new" }
  | { kind: "ellipsis" }
  | { kind: "array"; value: Array | readonly number[] }
  | { kind: "mask"; value: Array | readonly boolean[] };

const INT_RE = /^[+-]?\d+$/;

function parseString(op: string, s: string): Entry[] {
  if (s.trim() === "") return [];
  // Split on the commas outside [...] lists.
  const items = s.split(/,(?![^[]*\])/);
  return items.map((raw): Entry => {
    const t = raw.trim();
    const bad = () =>
      new IndexError(
        `${op}: cannot parse index item "${t}" in "${s}" (expected an integer, start:stop:step, None, ... or [i, j, ...])`,
      );
    if (t === "...") return { kind: "ellipsis" };
    if (t === "None" || t === "newaxis" || t === "null") return { kind: "new" };
    if (INT_RE.test(t)) return { kind: "int", value: Number(t) };
    if (t.startsWith("[") && t.endsWith("]")) {
      const parts = t
        .slice(1, -1)
        .split(",")
        .map((p) => p.trim());
      if (!parts.every((p) => INT_RE.test(p))) throw bad();
      return { kind: "array", value: parts.map(Number) };
    }
    const parts = t.split(":").map((p) => p.trim());
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => p === "" || INT_RE.test(p))) throw bad();
    const [start, stop, step] = parts.map((p) => (p === "" ? null : Number(p)));
    return checkSlice(op, { kind: "slice", start: start ?? null, stop: stop ?? null, step: step ?? null });
  });
}

function checkSlice<E extends Entry & { kind: "slice" }>(op: string, e: E): E {
  for (const v of [e.start, e.stop, e.step])
    if (v !== null && !Number.isInteger(v))
      throw new TypeError(`${op}: slice bounds and step must be integers or null, got ${v}`);
  if (e.step === 0) throw new RangeError(`${op}: slice step cannot be zero`);
  return e;
}

const isList = (s: unknown): s is readonly number[] => globalThis.Array.isArray(s);

const SLICE_KEYS = new Set(["start", "stop", "step"]);

/**
 * True for a slice object: a plain object (as `slice(...)` makes) whose own keys are among
 * start/stop/step, with at least one of them. Anything else (`new Number(1)`, `{}`, a Date) is
 * not silently read as a full slice.
 */
function isSliceObject(s: object): s is Slice {
  const proto = Object.getPrototypeOf(s);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Reflect.ownKeys(s);
  return keys.length > 0 && keys.every((k) => typeof k === "string" && SLICE_KEYS.has(k));
}

const VALID_INDEX =
  'an integer, slice(start, stop, step), null (new axis), "...", an int32/uint32 array, a bool mask (array or list of booleans), a list of integers, or an index string such as "0, 1:3"';

/** The index entries of `index`, validated (`op` names the caller in errors). */
export function parseIndex(op: string, index: readonly IndexSpec[]): Entry[] {
  return index.flatMap((s, pos): Entry[] => {
    if (s === "...") return [{ kind: "ellipsis" }];
    if (typeof s === "string") return parseString(op, s);
    if (s === null) return [{ kind: "new" }];
    if (typeof s === "number") {
      if (!Number.isInteger(s)) throw new TypeError(`${op}: integer indices must be integers, got ${s}`);
      return [{ kind: "int", value: s }];
    }
    if (isArray(s)) {
      if (s.dtype === "bool") return [{ kind: "mask", value: s }];
      if (!isInt(s.dtype))
        throw new TypeError(
          `${op}: array indices must be int32 or uint32, got ${s.dtype} (bool arrays act as masks); cast with x.astype("int32")`,
        );
      return [{ kind: "array", value: s }];
    }
    if (isList(s)) {
      // A list of booleans is a mask, as in NumPy and JAX; read from JS, it needs no device read.
      if (s.length > 0 && s.every((v: unknown) => typeof v === "boolean"))
        return [{ kind: "mask", value: s as unknown as readonly boolean[] }];
      for (let i = 0; i < s.length; i++)
        if (!(i in s) || !Number.isInteger(s[i]))
          throw new TypeError(
            `${op}: list indices must be flat lists of integers, got ${i in s ? JSON.stringify(s) : `a hole at position ${i}`} (index entry ${pos})`,
          );
      return [{ kind: "array", value: s }];
    }
    if (typeof s === "object" && isSliceObject(s))
      return [checkSlice(op, { kind: "slice", start: s.start ?? null, stop: s.stop ?? null, step: s.step ?? null })];
    const what =
      typeof s === "object" && Object.getPrototypeOf(s) === Object.prototype
        ? `an object with keys {${Object.keys(s).join(", ")}} (slices have start/stop/step: use slice(...))`
        : describeValue(s);
    throw new TypeError(`${op}: index entry ${pos} is ${what}, which is not a valid index; expected ${VALID_INDEX}`);
  });
}
