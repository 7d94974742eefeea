/**
 * Indexing: NumPy-style `getIndex` (basic indexing plus one integer-array index) and pure `.at(...)`
 * updates (take, takeAlongAxis and dynamic slices are in take.ts). Everything lowers to slice / rev /
 * reshape / gather / scatter_add primitives, so it is differentiable, batchable and jittable.
 * Only static JS numbers given by the user are read on the host; traced indices stay traced.
 */
import {
  type Array,
  type ArrayOrScalar,
  describeValue,
  type IndexSpec,
  type IndexUpdater,
  isArray,
  type Slice,
} from "../core/array.js";
import { isInt, type DType } from "../core/dtype.js";
import { broadcastShapes, shapeEqual, shapeStr, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { asArray, broadcastArray, castTo } from "../core/convert.js";

export type { IndexSpec, Slice, IndexUpdater } from "../core/array.js";

import { IndexError, normIndices } from "./indices.js";

export { IndexError };

/**
 * A slice spec. Unlike Python's `slice(stop)`, a single argument is the start (like `Array.prototype.slice`).
 *
 * @example x.get(slice(1, null, 2)) // x[1::2]
 */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

type Entry =
  | { kind: "int"; value: number }
  | { kind: "slice"; start: number | null; stop: number | null; step: number | null }
  | { kind: "new" }
  | { kind: "ellipsis" }
  | { kind: "array"; value: Array | readonly number[] };

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
  'an integer, slice(start, stop, step), null (new axis), "...", an int32/uint32 array, a list of integers, or an index string such as "0, 1:3"';

function parseIndex(op: string, index: readonly IndexSpec[]): Entry[] {
  return index.flatMap((s, pos): Entry[] => {
    if (s === "...") return [{ kind: "ellipsis" }];
    if (typeof s === "string") return parseString(op, s);
    if (s === null) return [{ kind: "new" }];
    if (typeof s === "number") {
      if (!Number.isInteger(s)) throw new TypeError(`${op}: integer indices must be integers, got ${s}`);
      return [{ kind: "int", value: s }];
    }
    if (isArray(s)) {
      if (!isInt(s.dtype))
        throw new TypeError(
          `${op}: array indices must be int32 or uint32, got ${s.dtype}${s.dtype === "bool" ? " (boolean masks have data-dependent shapes; use np.where)" : ""}`,
        );
      return [{ kind: "array", value: s }];
    }
    if (isList(s)) {
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

/**
 * The advanced index, as seen in the output: its dims start at `pos`; `unique` when statically
 * duplicate-free; `valid` (bool, idx's shape) marks in-range traced indices (null: all in range).
 */
type AdvInfo = { pos: number; idx: Array; unique: boolean; valid: Array | null };

function indexImpl(op: string, x: Array, index: readonly IndexSpec[]): { out: Array; adv: AdvInfo | null } {
  const raw = parseIndex(op, index);
  if (raw.filter((e) => e.kind === "ellipsis").length > 1)
    throw new IndexError(`${op}: an index can only have a single ellipsis ("...")`);
  const arrays = raw.filter((e) => e.kind === "array").length;
  if (arrays > 1)
    throw new Error(
      `${op}: only one integer-array index per call is supported, got ${arrays}; index in two steps or use takeAlongAxis`,
    );
  const consumed = raw.filter((e) => e.kind === "int" || e.kind === "slice" || e.kind === "array").length;
  if (consumed > x.ndim)
    throw new IndexError(
      `${op}: too many indices for array of shape ${shapeStr(x.shape)}: it is ${x.ndim}-dimensional, but ${consumed} were indexed`,
    );
  // NumPy: integers count as advanced indices next to an array; if the advanced entries are not adjacent, their dims go first.
  const advAt = raw.flatMap((e, i) => (e.kind === "int" || e.kind === "array" ? [i] : []));
  const front = arrays === 1 && advAt.some((p, i) => i > 0 && p !== advAt[i - 1]! + 1);
  const full: Entry = { kind: "slice", start: null, stop: null, step: null };
  const entries = raw.flatMap((e) =>
    e.kind === "ellipsis" ? globalThis.Array<Entry>(x.ndim - consumed).fill(full) : [e],
  );
  while (entries.filter((e) => e.kind !== "new").length < x.ndim) entries.push(full);

  const [start, limit, strides, revAxes] = [[] as number[], [] as number[], [] as number[], [] as number[]];
  const outShape: (number | "adv")[] = [];
  let arrAxis = -1,
    arrValue: Array | readonly number[] = [];
  let d = 0;
  for (const e of entries) {
    if (e.kind === "new") {
      outShape.push(1);
      continue;
    }
    const n = x.shape[d]!;
    if (e.kind === "int") {
      if (e.value < -n || e.value >= n)
        throw new IndexError(`${op}: index ${e.value} is out of bounds for axis ${d} with size ${n}`);
      const v = e.value < 0 ? e.value + n : e.value;
      start.push(v), limit.push(v + 1), strides.push(1);
    } else if (e.kind === "slice") {
      const [lo, len, step] = sliceIndices(e, n);
      start.push(lo), limit.push(len === 0 ? lo : lo + (len - 1) * Math.abs(step) + 1), strides.push(Math.abs(step));
      if (step < 0 && len > 1) revAxes.push(d);
      outShape.push(len);
    } else if (e.kind === "array") {
      [arrAxis, arrValue] = [d, e.value];
      start.push(0), limit.push(n), strides.push(1);
      outShape.push("adv");
    }
    d++;
  }
  let y = x;
  if (start.some((s, i) => s !== 0 || limit[i] !== x.shape[i] || strides[i] !== 1))
    y = bind1("slice", [y], { start, limit, strides });
  if (revAxes.length) y = bind1("rev", [y], { axes: revAxes });
  if (arrAxis < 0) return { out: L.reshape(y, outShape as number[]), adv: null };

  const { idx, unique, valid } = normIndices(op, arrValue, x.shape[arrAxis]!, arrAxis);
  y = bind1("gather", [y, idx], { axis: arrAxis });
  const pos = outShape.indexOf("adv");
  let out = L.reshape(
    y,
    outShape.flatMap((s) => (s === "adv" ? idx.shape : [s])),
  );
  if (!front || pos === 0) return { out, adv: { pos, idx, unique, valid } };
  const k = idx.ndim,
    r = (a: number, b: number) => globalThis.Array.from({ length: b - a }, (_, i) => a + i);
  out = L.transpose(out, [...r(pos, pos + k), ...r(0, pos), ...r(pos + k, out.ndim)]);
  return { out, adv: { pos: 0, idx, unique, valid } };
}

/** Python's slice.indices: returns [lowest selected index, length, step]. */
function sliceIndices(
  e: { start: number | null; stop: number | null; step: number | null },
  n: number,
): [number, number, number] {
  const step = e.step ?? 1;
  const norm = (v: number | null, dflt: number, lo: number, hi: number) =>
    v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  if (step > 0) {
    const [a, b] = [norm(e.start, 0, 0, n), norm(e.stop, n, 0, n)];
    return [a, Math.max(0, Math.ceil((b - a) / step)), step];
  }
  const [a, b] = [norm(e.start, n - 1, -1, n - 1), norm(e.stop, -1, -1, n - 1)];
  const len = Math.max(0, Math.ceil((a - b) / -step));
  return [len === 0 ? 0 : a + (len - 1) * step, len, step];
}

/**
 * NumPy indexing: integers (negative wrap; out of range throws IndexError), slices (any step),
 * `null` (new axis), "..." and one integer-array index (static list or traced int array). An index
 * string such as "0, 1:3, ::-1, None, ..." is parsed.
 *
 * Out-of-range array indices: static lists throw IndexError; traced int arrays wrap negatives once
 * (valid range [-n, n-1]) and are then clamped into [0, n-1], like JAX's default gather mode, so
 * `x.get(i32([7]))` reads the last element rather than failing (a read cannot raise on traced data).
 *
 * @example np.getIndex(x, [0, slice(1, 3)]); x.get("..., ::-1"); x.get(np.array([2, 0], { dtype: "int32" }))
 */
export function getIndex(x: ArrayOrScalar, index: readonly IndexSpec[]): Array {
  return indexImpl("getIndex", asArray(x, "getIndex"), index).out;
}

type UpdateKind = "set" | "add" | "mul" | "min" | "max";

function identityFor(kind: "mul" | "min" | "max", dtype: DType): number {
  if (kind === "mul") return 1;
  const big = dtype === "int32" ? 2147483647 : dtype === "uint32" ? 4294967295 : dtype === "bool" ? 1 : Infinity;
  const small = dtype === "int32" ? -2147483648 : dtype === "uint32" || dtype === "bool" ? 0 : -Infinity;
  return kind === "min" ? big : small;
}

function update(x0: Array, index: readonly IndexSpec[], kind: UpdateKind, v0: ArrayOrScalar): Array {
  const op = `at(...).${kind}`;
  const x = x0.dtype === "bool" ? castTo(x0, "int32") : x0;
  const positions = L.reshape(bind1("iota", [], { shape: [x.size], dimension: 0, dtype: "int32" }), x.shape);
  const { out: pos, adv } = indexImpl(op, positions, index);
  const S = pos.shape,
    m = pos.size;
  let v = castTo(asArray(v0, op), x.dtype, x.weakType);
  if (!shapeEqual(broadcastShapes(op, v.shape, S), S))
    throw new Error(
      `${op}: value of shape ${shapeStr(v.shape)} cannot be broadcast to the selected shape ${shapeStr(S)}`,
    );
  v = broadcastArray(v, S);
  const flatX = L.reshape(x, [x.size]),
    flatPos = L.reshape(pos, [m]);
  const scatter = (into: Array, u: Array) => bind1("scatter_add", [into, flatPos, L.reshape(u, [m])], { axis: 0 });
  const done = (r: Array) => (x0.dtype === "bool" ? castTo(r, "bool") : r);
  // Lays an array of the advanced index's shape out over the selected shape S.
  const overS = (a: Array, info: AdvInfo) =>
    L.broadcastInDim(
      L.reshape(a, info.idx.shape),
      S,
      info.idx.shape.map((_, j) => info.pos + j),
    );
  // JAX's default scatter mode: updates at out-of-range traced indices are dropped (`write` is false there).
  let write: Array | null = adv?.valid && m > 0 ? overS(adv.valid, adv) : null; // bool of shape S, or null: write everywhere
  if (kind === "add") return done(L.reshape(scatter(flatX, write ? L.select(write, v, L.fullLike(v, 0)) : v), x.shape));

  if (adv && !adv.unique && m > 0) {
    // Only the last occurrence of each duplicated position is written (after combining its duplicates).
    const k = adv.idx.size,
      nd = adv.idx.ndim;
    let i = L.reshape(adv.idx, [k]);
    // Dropped indices get distinct negative keys, so they are never duplicates of anything.
    if (adv.valid)
      i = L.select(
        L.reshape(adv.valid, [k]),
        i,
        L.sub(L.fullLike(i, -1), bind1("iota", [], { shape: [k], dimension: 0, dtype: "int32" })),
      );
    const eq = L.eq(L.broadcastInDim(i, [k, k], [0]), L.broadcastInDim(i, [k, k], [1]));
    const iota = (dim: number) => bind1("iota", [], { shape: [k, k], dimension: dim, dtype: "int32" });
    const dupLater = bind1("reduce_max", [L.convert(L.binary("and", eq, L.gt(iota(1), iota(0))), "int32")], {
      axes: [1],
    });
    const keep = L.eq(overS(dupLater, adv), L.full({ shape: S, dtype: "int32" }, 0));
    if (kind !== "set") {
      // Combine the values written to one position (product / min / max over its duplicates).
      const pre = sizeOf(S.slice(0, adv.pos)),
        post = sizeOf(S.slice(adv.pos + nd)),
        s4 = [pre, k, k, post];
      const v4 = L.broadcastInDim(L.reshape(v, [pre, k, post]), s4, [0, 2, 3]);
      const picked = L.select(
        L.broadcastInDim(eq, s4, [1, 2]),
        v4,
        L.full({ shape: s4, dtype: v.dtype }, identityFor(kind, v.dtype)),
      );
      const red = bind1(kind === "mul" ? "reduce_prod" : kind === "min" ? "reduce_min" : "reduce_max", [picked], {
        axes: [2],
      });
      v = L.reshape(red, S);
    }
    write = write ? L.binary("and", write, keep) : keep;
  }
  if (write) v = L.select(write, v, L.fullLike(v, 0));
  const ones = write ? L.convert(write, "int32") : L.full({ shape: S, dtype: "int32" }, 1);
  const count = scatter(L.full({ shape: [x.size], dtype: "int32" }, 0), ones);
  const mask = L.reshape(L.gt(count, L.fullLike(count, 0)), x.shape);
  const written = L.reshape(scatter(L.fullLike(flatX, 0), v), x.shape);
  const combined = kind === "set" ? written : kind === "mul" ? L.mul(x, written) : L.binary(kind, x, written);
  return done(L.select(mask, combined, x));
}

/**
 * Pure indexed updates: `at(x, ...index).set(v)` returns a copy of `x` with the selection replaced
 * (`add`/`mul`/`min`/`max` combine instead). `v` broadcasts to the selected shape and is cast to
 * x's dtype. Duplicate positions (from an integer-array index): `add` accumulates every value
 * (like `np.add.at`); `set` keeps the last one (NumPy order); `mul`/`min`/`max` combine all of them.
 * With a traced index array the duplicate handling costs O(k²) comparisons for k indices.
 *
 * Out-of-range array indices: static lists throw IndexError. Traced int arrays follow JAX's
 * default scatter mode: negatives wrap once (valid range [-n, n-1]) and updates at any other index
 * are dropped (the element keeps its value and the dropped values get zero gradient), unlike reads
 * (`get`, `take`), which clamp.
 *
 * @example np.at(x, 0, slice(1, 3)).set(0); x.at(np.array([0, 0], { dtype: "int32" })).add(1)
 */
export function at(x: ArrayOrScalar, ...index: IndexSpec[]): IndexUpdater {
  const a = asArray(x, "at");
  return {
    get: () => indexImpl("at(...).get", a, index).out,
    set: (v) => update(a, index, "set", v),
    add: (v) => update(a, index, "add", v),
    mul: (v) => update(a, index, "mul", v),
    min: (v) => update(a, index, "min", v),
    max: (v) => update(a, index, "max", v),
  };
}
