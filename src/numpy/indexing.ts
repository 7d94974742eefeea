/**
 * Indexing: NumPy-style `getIndex` (basic and advanced indexing: integer arrays, boolean masks) and
 * pure `.at(...)` updates (take, takeAlongAxis and dynamic slices are in take.ts). Everything lowers
 * to slice / rev / reshape / gather / scatter_add primitives (several integer arrays become one
 * linear index into their merged axes), so it is differentiable, batchable and jittable. Only static
 * JS numbers and concrete boolean masks are read on the host; traced indices stay traced.
 */
import type {
  Array,
  ArrayOrScalar,
  AtGetOptions,
  AtUpdateOptions,
  IndexSpec,
  IndexUpdater,
  Slice,
} from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { broadcastShapes, shapeEqual, shapeStr, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { asArray, broadcastArray, castTo } from "../core/convert.js";

export type { IndexSpec, Slice, IndexUpdater, AtGetOptions, AtUpdateOptions } from "../core/array.js";

import { IndexError } from "./indices.js";
import { type Entry, parseIndex } from "./indexing-parse.js";
import { type AdvInfo, combineIndices, maskRank, maskToLists } from "./indexing-advanced.js";
import { applyFill } from "./indexing-modes.js";

export { IndexError };

/**
 * A slice spec. Unlike Python's `slice(stop)`, a single argument is the start (like `Array.prototype.slice`).
 *
 * @example x.get(slice(1, null, 2)) // x[1::2]
 */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

const range = (a: number, b: number): number[] => globalThis.Array.from({ length: b - a }, (_, i) => a + i);

/** The entries with the ellipsis expanded, masks turned into integer lists, and trailing full slices added. */
function expandEntries(op: string, x: Array, raw: readonly Entry[]): Entry[] {
  if (raw.filter((e) => e.kind === "ellipsis").length > 1)
    throw new IndexError(`${op}: an index can only have a single ellipsis ("...")`);
  const width = (e: Entry) =>
    e.kind === "mask" ? maskRank(e.value) : e.kind === "new" || e.kind === "ellipsis" ? 0 : 1;
  const consumed = raw.reduce((s, e) => s + width(e), 0);
  if (consumed > x.ndim)
    throw new IndexError(
      `${op}: too many indices for array of shape ${shapeStr(x.shape)}: it is ${x.ndim}-dimensional, but ${consumed} were indexed`,
    );
  const full: Entry = { kind: "slice", start: null, stop: null, step: null };
  const entries: Entry[] = [];
  let d = 0;
  for (const e of raw) {
    if (e.kind === "ellipsis") {
      for (let i = consumed; i < x.ndim; i++, d++) entries.push(full);
    } else if (e.kind === "mask") {
      const lists = maskToLists(op, e.value, x.shape.slice(d, d + maskRank(e.value)), d);
      for (const value of lists) entries.push({ kind: "array", value });
      d += maskRank(e.value);
    } else {
      entries.push(e);
      if (e.kind !== "new") d++;
    }
  }
  for (; d < x.ndim; d++) entries.push(full);
  return entries;
}

function indexImpl(op: string, x: Array, index: readonly IndexSpec[]): { out: Array; adv: AdvInfo | null } {
  const raw = parseIndex(op, index);
  const hasArray = raw.some((e) => e.kind === "array" || e.kind === "mask");
  // NumPy: integers count as advanced indices next to an array; if the advanced entries are not
  // adjacent in the index as written (an ellipsis separates them even when it spans no axis), their dims go first.
  const isAdv = (e: Entry) => e.kind === "int" || e.kind === "array" || e.kind === "mask";
  const rawAdv = hasArray ? raw.flatMap((e, i) => (isAdv(e) ? [i] : [])) : [];
  const front = rawAdv.some((p, i) => i > 0 && p !== rawAdv[i - 1]! + 1);
  const entries = expandEntries(op, x, raw);

  const [start, limit, strides, revAxes] = [[] as number[], [] as number[], [] as number[], [] as number[]];
  const kept: number[] = [], // x's axes that stay (slices and arrays), in order
    sliceAxes: number[] = [];
  const arrAxes: number[] = [],
    arrValues: (Array | readonly number[])[] = [];
  let d = 0;
  for (const e of entries) {
    if (e.kind === "new") continue;
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
      kept.push(d), sliceAxes.push(d);
    } else if (e.kind === "array") {
      arrAxes.push(d), arrValues.push(e.value);
      start.push(0), limit.push(n), strides.push(1);
      kept.push(d);
    }
    d++;
  }
  let y = x;
  if (start.some((s, i) => s !== 0 || limit[i] !== x.shape[i] || strides[i] !== 1))
    y = bind1("slice", [y], { start, limit, strides });
  if (revAxes.length) y = bind1("rev", [y], { axes: revAxes });
  // The output's dims in order, with "adv" where the advanced indices' broadcast shape goes.
  let slicesSeen = 0;
  const firstAdv = hasArray ? entries.findIndex(isAdv) : -1;
  const layout = entries.flatMap((e, i): (number | "adv")[] => {
    if (e.kind === "slice") return [y.shape[sliceAxes[slicesSeen++]!]!];
    if (e.kind === "new") return [1];
    return i === firstAdv && !front ? ["adv"] : [];
  });
  if (!hasArray) return { out: L.reshape(y, layout as number[]), adv: null };

  const { idx, unique, valid } = combineIndices(
    op,
    arrValues,
    arrAxes.map((a) => x.shape[a]!),
    arrAxes,
  );
  y = L.reshape(
    y,
    kept.map((a) => y.shape[a]!),
  );
  const P = arrAxes.map((a) => kept.indexOf(a));
  const merged = sizeOf(arrAxes.map((a) => x.shape[a]!));
  let g: Array, bAt: number;
  if (P.every((p, i) => i === 0 || p === P[i - 1]! + 1)) {
    // Adjacent advanced axes merge by a reshape; one gather at their place.
    const p0 = P[0]!;
    const ym = L.reshape(y, [...y.shape.slice(0, p0), merged, ...y.shape.slice(p0 + P.length)]);
    [g, bAt] = [bind1("gather", [ym, idx], { axis: p0 }), p0];
  } else {
    const others = range(0, y.ndim).filter((a) => !P.includes(a));
    const yt = L.reshape(L.transpose(y, [...P, ...others]), [merged, ...others.map((a) => y.shape[a]!)]);
    [g, bAt] = [bind1("gather", [yt, idx], { axis: 0 }), 0];
  }
  const k = idx.ndim;
  if (front && bAt > 0) g = L.transpose(g, [...range(bAt, bAt + k), ...range(0, bAt), ...range(bAt + k, g.ndim)]);
  const shape = front
    ? [...idx.shape, ...(layout as number[])]
    : layout.flatMap((s) => (s === "adv" ? idx.shape : [s]));
  const pos = front ? 0 : layout.indexOf("adv");
  return { out: L.reshape(g, shape), adv: { pos, idx, unique, valid } };
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
 * `null` (new axis), "...", integer arrays (static lists or traced int arrays, several of them
 * broadcast together) and boolean masks. An index string such as "0, 1:3, ::-1, None, ..." is parsed.
 * NumPy's placement rule: when the advanced entries (arrays, masks and the integers among them) are
 * adjacent, their broadcast shape replaces them in place; when a slice, `null` or "..." separates
 * them, it goes first.
 *
 * Boolean masks are read on the host (their result's shape depends on the data), so under jit,
 * vmap or on WebGPU they throw; use `np.where(mask, x, other)` or `np.nonzero(mask, { size })`.
 *
 * Out-of-range array indices: static lists throw IndexError; traced int arrays wrap negatives once
 * (valid range [-n, n-1]) and are then clamped into [0, n-1], like JAX's `x[idx]`, so
 * `x.get(i32([7]))` reads the last element rather than failing (a read cannot raise on traced data);
 * as in JAX, such a read passes no gradient to the element it read.
 *
 * @example np.getIndex(x, [0, slice(1, 3)]); x.get("..., ::-1"); x.get(np.array([2, 0], { dtype: "int32" }))
 * @example x.get(i32([0, 1]), slice(), i32([2, 0])) // NumPy's x[[0, 1], :, [2, 0]]; x.get(x.greater(0)) // a mask
 */
export function getIndex(x: ArrayOrScalar, index: readonly IndexSpec[]): Array {
  return read("getIndex", asArray(x, "getIndex"), index);
}

function checkModeOptions(
  op: string,
  opts: object | undefined,
  modes: readonly string[],
  keys: readonly string[],
): void {
  if (opts === undefined) return;
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`${op}: options must be an object such as { mode: "${modes[0]}" }, got ${String(opts)}`);
  for (const [k, v] of Object.entries(opts)) {
    if (!keys.includes(k)) throw new TypeError(`${op}: unknown option "${k}"; expected ${keys.join(" or ")}`);
    if (k === "mode" && v !== undefined && !modes.includes(v as string))
      throw new TypeError(`${op}: mode must be ${modes.map((m) => `"${m}"`).join(" or ")}, got ${JSON.stringify(v)}`);
  }
}

/**
 * A read. Out-of-range traced indices read the clamped element; by default (as JAX, whose
 * transpose scatter drops them) it carries no gradient, so a read past the end never moves the
 * edge element; "clip" keeps the gradient and "fill" reads the fill value.
 */
function read(op: string, x: Array, index: readonly IndexSpec[], opts?: AtGetOptions): Array {
  checkModeOptions(op, opts, ["clip", "fill"], ["mode", "fillValue"]);
  const { out, adv } = indexImpl(op, x, index);
  if (!adv?.valid || out.size === 0 || opts?.mode === "clip") return out;
  const dims = adv.idx.shape.map((_, j) => adv.pos + j);
  if (opts?.mode === "fill") return applyFill(out, adv.valid, opts.fillValue, dims);
  return L.select(L.broadcastInDim(adv.valid, out.shape, dims), out, bind1("stop_gradient", [out], {}));
}

type UpdateKind = "set" | "add" | "mul" | "min" | "max";

function identityFor(kind: "mul" | "min" | "max", dtype: DType): number {
  if (kind === "mul") return 1;
  const big = dtype === "int32" ? 2147483647 : dtype === "uint32" ? 4294967295 : dtype === "bool" ? 1 : Infinity;
  const small = dtype === "int32" ? -2147483648 : dtype === "uint32" || dtype === "bool" ? 0 : -Infinity;
  return kind === "min" ? big : small;
}

function update(
  x0: Array,
  index: readonly IndexSpec[],
  kind: UpdateKind,
  v0: ArrayOrScalar,
  opts?: AtUpdateOptions,
): Array {
  const op = `at(...).${kind}`;
  checkModeOptions(op, opts, ["drop", "clip"], ["mode"]);
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
  // "clip" writes at the clamped positions, so nothing is dropped.
  const drop = adv?.valid && m > 0 && opts?.mode !== "clip";
  let write: Array | null = drop ? overS(adv.valid!, adv) : null; // bool of shape S, or null: write everywhere
  if (kind === "add") return done(L.reshape(scatter(flatX, write ? L.select(write, v, L.fullLike(v, 0)) : v), x.shape));

  if (adv && !adv.unique && m > 0) {
    // Only the last occurrence of each duplicated position is written (after combining its duplicates).
    const k = adv.idx.size,
      nd = adv.idx.ndim;
    let i = L.reshape(adv.idx, [k]);
    // Dropped indices get distinct negative keys, so they are never duplicates of anything.
    if (drop)
      i = L.select(
        L.reshape(adv.valid!, [k]),
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
 * (`get`), which clamp. JAX's `mode` is the last argument: `.set(v, { mode: "clip" })` clamps the
 * positions instead; `.get({ mode: "fill", fillValue })` fills out-of-range reads.
 *
 * @example np.at(x, 0, slice(1, 3)).set(0); x.at(np.array([0, 0], { dtype: "int32" })).add(1)
 * @example np.at(x, np.array([9], { dtype: "int32" })).get({ mode: "fill", fillValue: -1 }) // [-1]
 */
export function at(x: ArrayOrScalar, ...index: IndexSpec[]): IndexUpdater {
  const a = asArray(x, "at");
  return {
    get: (opts) => read("at(...).get", a, index, opts),
    set: (v, opts) => update(a, index, "set", v, opts),
    add: (v, opts) => update(a, index, "add", v, opts),
    mul: (v, opts) => update(a, index, "mul", v, opts),
    min: (v, opts) => update(a, index, "min", v, opts),
    max: (v, opts) => update(a, index, "max", v, opts),
  };
}

export { nonzero, argwhere, flatnonzero, type NonzeroOptions } from "./indexing-nonzero.js";
