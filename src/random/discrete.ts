/** Discrete samplers following `jax.random`: bernoulli, randint, categorical, permutation, shuffle and choice. */
import { Array, type ArrayOrScalar } from "../core/array.js";
import { isFloat, isInt, type DType } from "../core/dtype.js";
import { normalizeAxis, shapeEqual, shapeStr, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { argmax, cumsum } from "../numpy/reductions.js";
import { take } from "../numpy/take.js";
import { array as npArray } from "../numpy/creation.js";
import { bits32, splitKeys, u32, type Scheme } from "./threefry.js";
import { sortByKeys } from "./special.js";
import { checkKey, checkShape, param, type FloatDType, type ShapeLike } from "./sampler-checks.js";
import { gumbelImpl, unitFloats } from "./continuous.js";
import { checkOptions } from "../core/options.js";

/** Row `i` of a [n, 2] stack of keys (from `splitKeys`), as a key of shape [2]. */
const keyRow = (keys: Array, i: number): Array =>
  L.reshape(bind1("slice", [keys], { start: [i, 0], limit: [i + 1, 2], strides: [1, 1] }), [2]);

export function bernoulli(scheme: Scheme, k: Array, p: ArrayOrScalar = 0.5, shape?: ShapeLike): Array {
  checkKey("bernoulli", k);
  let pa: Array;
  if (typeof p === "number") {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`random.bernoulli: p must be a probability in [0, 1], got ${p}`);
    pa = L.scalar(p, "float32");
  } else if (p instanceof Array) {
    if (!isFloat(p.dtype)) throw new TypeError(`random.bernoulli: p must have a float dtype, got ${p.dtype}`);
    pa = p;
  } else throw new TypeError(`random.bernoulli: p must be a number or a float array, got ${typeof p}`);
  const s = shape === undefined ? [...pa.shape] : checkShape("bernoulli", shape);
  const dtype = pa.dtype as FloatDType;
  const u = unitFloats(scheme, k, s, dtype);
  // uniform(key, shape, p.dtype) < p; uniform in [0, 1) is `unitFloats` (·1 + 0, max 0: exact).
  return L.binary("lt", u, param("bernoulli", "p", pa, dtype, s));
}

const INT_RANGE: Record<"int32" | "uint32", [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
};

/** An integer bound clipped into `dtype`'s range, and where it was above the range. */
function intBound(name: string, v: ArrayOrScalar, dtype: "int32" | "uint32", shape: number[]): [Array, Array] {
  const [lo, hi] = INT_RANGE[dtype];
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`random.randint: ${name} must be an integer, got ${v}`);
    const clipped = Math.min(Math.max(v, lo), hi);
    return [L.full({ shape, dtype }, clipped), L.full({ shape, dtype: "bool" }, v > hi ? 1 : 0)];
  }
  if (!(v instanceof Array))
    throw new TypeError(`random.randint: ${name} must be an integer or an integer array, got ${typeof v}`);
  let a = v;
  if (!isInt(a.dtype)) a = L.convert(a, "int32"); // floats truncate, as JAX's astype(int)
  let above = L.full({ shape: a.shape, dtype: "bool" }, 0);
  if (a.dtype !== dtype) {
    if (a.dtype === "int32") {
      a = L.select(L.binary("lt", a, L.fullLike(a, 0)), L.full({ shape: a.shape, dtype }, 0), L.convert(a, dtype));
    } else {
      above = L.binary("gt", a, L.fullLike(a, 2 ** 31 - 1));
      a = L.select(above, L.full({ shape: a.shape, dtype }, 2 ** 31 - 1), L.convert(a, dtype));
    }
  }
  return [param("randint", name, a, dtype, shape), param("randint", name, above, "bool", shape)];
}

export interface RandintOptions {
  /** int32 (default) or uint32. */
  dtype?: DType;
}

export function randint(
  scheme: Scheme,
  k: Array,
  shape: ShapeLike,
  minval: ArrayOrScalar,
  maxval: ArrayOrScalar,
  opts: RandintOptions = {},
): Array {
  checkOptions("random.randint", opts, ["dtype"]);
  checkKey("randint", k);
  const s = checkShape("randint", shape);
  const dtype = opts.dtype ?? "int32";
  if (dtype !== "int32" && dtype !== "uint32")
    throw new TypeError(`random.randint: dtype must be "int32" or "uint32", got ${JSON.stringify(dtype)}`);
  if (typeof minval === "number" && typeof maxval === "number" && !(maxval > minval))
    throw new RangeError(`random.randint: maxval must be greater than minval, got minval=${minval}, maxval=${maxval}`);
  const [lo] = intBound("minval", minval, dtype, s);
  const [hi, hiAbove] = intBound("maxval", maxval, dtype, s);
  const keys = splitKeys(scheme, k, [2]);
  const higher = bits32(scheme, keyRow(keys, 0), s);
  const lower = bits32(scheme, keyRow(keys, 1), s);
  const U = (v: number): Array => u32(s, v);
  // JAX's algorithm, in wrapping uint32 arithmetic: span = maxval - minval (1 when empty, one more
  // when maxval was above the dtype's range), offset = (hi % span · (2^32 % span) + lo % span) % span.
  const empty = L.binary("le", hi, lo);
  let span = L.convert(L.sub(hi, lo), "uint32");
  span = L.select(empty, U(1), span);
  span = L.select(L.binary("and", hiAbove, L.unary("not", empty)), L.add(span, U(1)), span);
  // rem by a zero span (the full 2^32 range) leaves the dividend, as XLA's unsigned remainder does.
  const zero = L.eq(span, U(0));
  const safe = L.select(zero, U(1), span);
  const rem = (a: Array): Array => L.select(zero, a, L.binary("rem", a, safe));
  let mult = rem(U(2 ** 16));
  mult = rem(L.mul(mult, mult));
  const offset = rem(L.add(L.mul(rem(higher), mult), rem(lower)));
  return L.add(lo, L.convert(offset, dtype));
}

export interface CategoricalOptions {
  /** The axis of `logits` holding the categories (default -1). */
  axis?: number;
  /**
   * The sample shape; it must end with the batch shape (logits' shape without `axis`). Default:
   * the batch shape (one draw per distribution).
   */
  shape?: ShapeLike;
}

export function categorical(scheme: Scheme, k: Array, logits: Array, opts: CategoricalOptions = {}): Array {
  checkOptions("random.categorical", opts, ["axis", "shape"]);
  checkKey("categorical", k);
  if (!(logits instanceof Array))
    throw new TypeError(`random.categorical: logits must be an array, got ${typeof logits}`);
  if (logits.ndim === 0)
    throw new Error("random.categorical: logits must have at least one dimension (the categories)");
  const lg = isFloat(logits.dtype) ? logits : L.convert(logits, "float32");
  const ax = normalizeAxis("random.categorical", opts.axis ?? -1, lg.ndim);
  const batch = lg.shape.filter((_, i) => i !== ax);
  const s = opts.shape === undefined ? batch : checkShape("categorical", opts.shape);
  const prefixLen = s.length - batch.length;
  if (prefixLen < 0 || !shapeEqual(s.slice(prefixLen), batch))
    throw new Error(
      `random.categorical: shape ${shapeStr(s)} must end with the batch shape ${shapeStr(batch)} (logits ${shapeStr(lg.shape)} without axis ${ax})`,
    );
  const full = [...s.slice(0, prefixLen), ...lg.shape];
  const g = gumbelImpl(scheme, k, full, lg.dtype as FloatDType);
  const lb = L.broadcastInDim(
    lg,
    full,
    lg.shape.map((_, i) => i + prefixLen),
  );
  return argmax(L.add(g, lb), ax + prefixLen);
}

// JAX's _shuffle: ceil(3 ln(n) / ln(2^32 - 1)) rounds of sorting by fresh 32-bit keys.
function shuffleRounds(size: number): number {
  return Math.ceil((3 * Math.log(Math.max(1, size))) / Math.log(2 ** 32 - 1));
}

function shuffleImpl(scheme: Scheme, k: Array, x: Array, axis: number): Array {
  let key = k;
  for (let r = shuffleRounds(x.size); r > 0; r--) {
    const keys = splitKeys(scheme, key, [2]);
    key = keyRow(keys, 0);
    x = sortByKeys(bits32(scheme, keyRow(keys, 1), x.shape), x, axis);
  }
  return x;
}

const arangeI32 = (n: number): Array => bind1("iota", [], { shape: [n], dimension: 0, dtype: "int32" });

function checkCount(op: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw new TypeError(`random.${op}: expected a non-negative integer or an array, got ${String(n)}`);
  return n;
}

export interface PermutationOptions {
  /** The axis to permute along (default 0). */
  axis?: number;
  /** Shuffle every slice along `axis` independently instead of permuting whole slices (default false). */
  independent?: boolean;
}

export function permutation(scheme: Scheme, k: Array, x: number | Array, opts: PermutationOptions = {}): Array {
  checkOptions("random.permutation", opts, ["axis", "independent"]);
  checkKey("permutation", k);
  if (!(x instanceof Array)) return shuffleImpl(scheme, k, arangeI32(checkCount("permutation", x)), 0);
  if (x.ndim === 0)
    throw new TypeError("random.permutation: x must be a JS integer or an array with at least one dimension");
  const ax = normalizeAxis("random.permutation", opts.axis ?? 0, x.ndim);
  if (opts.independent || x.ndim === 1) return shuffleImpl(scheme, k, x, ax);
  const ind = shuffleImpl(scheme, k, arangeI32(x.shape[ax]!), 0);
  return take(x, ind, ax, { mode: "clip" }); // a permutation: always in range
}

export function shuffle(scheme: Scheme, k: Array, x: Array, opts: { axis?: number } = {}): Array {
  checkOptions("random.shuffle", opts, ["axis"]);
  checkKey("shuffle", k);
  if (!(x instanceof Array) || x.ndim === 0)
    throw new TypeError("random.shuffle: x must be an array with at least one dimension");
  return shuffleImpl(scheme, k, x, normalizeAxis("random.shuffle", opts.axis ?? 0, x.ndim));
}

export interface ChoiceOptions {
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the entries (1-D, length n); uniform when omitted. */
  p?: Array | readonly number[];
  /** The axis of `a` to draw along (default 0). */
  axis?: number;
}

export function choice(
  scheme: Scheme,
  k: Array,
  a: number | Array,
  shape: ShapeLike = [],
  opts: ChoiceOptions = {},
): Array {
  checkOptions("random.choice", opts, ["replace", "p", "axis"]);
  checkKey("choice", k);
  const s = checkShape("choice", shape);
  const { replace = true } = opts;
  const arr = a instanceof Array ? a : null;
  if (arr && arr.ndim === 0)
    throw new TypeError("random.choice: a must be a JS integer or an array with at least one dimension");
  const ax = arr ? normalizeAxis("random.choice", opts.axis ?? 0, arr.ndim) : 0;
  const n = arr ? arr.shape[ax]! : checkCount("choice", a);
  const draws = sizeOf(s);
  const outShape = arr ? [...arr.shape.slice(0, ax), ...s, ...arr.shape.slice(ax + 1)] : s;
  if (draws === 0) return L.full({ shape: outShape, dtype: arr ? arr.dtype : "int32" }, 0);
  if (n <= 0) throw new RangeError("random.choice: a must be non-empty unless no samples are taken");
  if (!replace && draws > n)
    throw new RangeError(
      `random.choice: cannot take a larger sample (size ${draws}) than the population (size ${n}) without replacement`,
    );
  let ind: Array;
  if (opts.p === undefined) {
    if (replace) ind = randint(scheme, k, s, 0, n);
    else {
      const perm = shuffleImpl(scheme, k, arangeI32(n), 0);
      ind = L.reshape(bind1("slice", [perm], { start: [0], limit: [draws], strides: [1] }), s);
    }
  } else {
    let p = opts.p instanceof Array ? opts.p : npArray(opts.p as number[], { dtype: "float32" });
    if (!isFloat(p.dtype)) p = L.convert(p, "float32");
    if (!shapeEqual(p.shape, [n]))
      throw new Error(`random.choice: p must have shape [${n}] (one probability per entry), got ${shapeStr(p.shape)}`);
    if (!(opts.p instanceof Array) && !(opts.p as number[]).every((v) => v >= 0))
      throw new RangeError("random.choice: probabilities in p must be non-negative");
    const dtype = p.dtype as FloatDType;
    if (replace) {
      // searchsorted(cumsum(p), total · (1 - u)), side "left": the count of cumulative sums below r.
      const c = cumsum(p);
      const total = L.reshape(bind1("slice", [c], { start: [n - 1], limit: [n], strides: [1] }), []);
      const u = unitFloats(scheme, k, s, dtype);
      const r = L.mul(L.broadcastInDim(total, s, []), L.sub(L.full({ shape: s, dtype }, 1), u));
      const pair = [...s, n];
      const below = L.binary(
        "lt",
        L.broadcastInDim(c, pair, [s.length]),
        L.broadcastInDim(
          r,
          pair,
          s.map((_, i) => i),
        ),
      );
      ind = L.reduceSum(L.convert(below, "int32"), [s.length]);
    } else {
      // Gumbel top-k: the `draws` largest g + log p (ties: lower index first).
      const g = L.add(gumbelImpl(scheme, k, [n], dtype), L.log(p));
      const order = sortByKeys(L.neg(g), arangeI32(n), 0);
      ind = L.reshape(bind1("slice", [order], { start: [0], limit: [draws], strides: [1] }), s);
    }
  }
  return arr ? take(arr, ind, ax, { mode: "clip" }) : ind; // draws are in [0, n)
}
