/**
 * NumPy-like text for arrays: `array([[1., 2.], [3., 4.]])`, following NumPy's `repr` (numpy 2.x,
 * default print options): arrays over 1000 elements are summarized to their first and last 3 items
 * per axis with `...`, floats print in positional or scientific notation with the shortest digits
 * that identify them (at most 8 after the point), every element is padded to the widest printed
 * one so decimal points line up, and lines wrap at 75 characters. Only the printed elements are
 * read, so printing takes bounded time and memory whatever the array's size or shape. graft's
 * default dtypes (float32, int32, bool) are implied and not printed, like NumPy's float64/int64.
 */
import type { ShapedArray } from "./aval.js";
import type { DType, TypedArray } from "./dtype.js";

/** NumPy's print options (`np.get_printoptions()`): threshold, edgeitems, linewidth, precision. */
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 75;
const PRECISION = 8;
/** Past this many printed elements (only reachable with many short axes) the values are left out. */
const MAX_PRINTED = 1 << 20;
/** NumPy's own limit on the number of axes. */
const MAX_NDIM = 64;
const PREFIX = "array(";
const SEPARATOR = ", ";

/** `(2, 3)`, `(5,)` or `()`: a shape as NumPy (a Python tuple) prints it. */
function tupleStr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** The dtypes whose values imply them (not printed), like NumPy's float64, int64 and bool. */
const impliedDType = (d: DType): boolean => d === "float32" || d === "int32" || d === "bool";

/** Past this many digits the expansions used to detect ties would exceed toExponential/toFixed's range. */
const MAX_DIGITS = 100;

/**
 * `a.toExponential(p)`, but an exact tie rounds half to even (NumPy's dragon4) instead of up.
 * A tie is a 5 followed by zeros in a longer expansion of the exact binary value.
 */
function toExponentialEven(a: number, p: number): string {
  const s = a.toExponential(p);
  const long = a.toExponential(Math.min(MAX_DIGITS, p + 40));
  const e = long.indexOf("e");
  const m = long.slice(0, e).replace(".", "");
  if (!/^50*$/.test(m.slice(p + 1)) || Number(m[p]) % 2 === 1) return s;
  return `${m[0]}${p > 0 ? `.${m.slice(1, p + 1)}` : ""}${long.slice(e)}`;
}

/** `a.toFixed(p)` (for a < 1e21), with exact ties rounded half to even. */
function toFixedEven(a: number, p: number): string {
  const s = a.toFixed(p);
  const long = a.toFixed(Math.min(MAX_DIGITS, p + 40));
  const dot = long.indexOf(".");
  if (!/^50*$/.test(long.slice(dot + 1 + p)) || Number(long[p > 0 ? dot + p : dot - 1]) % 2 === 1) return s;
  return p > 0 ? long.slice(0, dot + 1 + p) : long.slice(0, dot);
}

/**
 * `[sign, digits, exponent]` of the shortest decimal that reads back as `v` in its dtype (with
 * `capDigits`, at most PRECISION digits after the first).
 */
function sciParts(v: number, f32: boolean, capDigits: boolean): [string, string, number] {
  const a = Math.abs(v);
  let s = "";
  if (f32) {
    for (let p = 0; p <= PRECISION; p++) {
      s = toExponentialEven(a, p);
      if (Math.fround(Number(s)) === a) break;
    }
  } else {
    s = a.toExponential();
    if (capDigits && s.indexOf("e") - 2 > PRECISION) s = toExponentialEven(a, PRECISION);
  }
  const e = s.indexOf("e");
  let digits = s.slice(0, e).replace(".", "");
  digits = digits.replace(/0+$/, "") || "0";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  return [sign, digits, Number(s.slice(e + 1))];
}

/** Positional digits (`int`, `frac`), unique and at most PRECISION fractional digits (NumPy's dragon4_positional, trim '.'). */
function positional(v: number, f32: boolean): [string, string] {
  const [sign, digits, exp] = sciParts(v, f32, false);
  let int: string;
  let frac: string;
  if (exp >= 0) {
    int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    frac = digits.slice(exp + 1);
  } else {
    int = "0";
    frac = "0".repeat(-exp - 1) + digits;
  }
  if (digits === "0") frac = "";
  if (frac.length > PRECISION) {
    const fixed = toFixedEven(Math.abs(v), PRECISION);
    const dot = fixed.indexOf(".");
    int = fixed.slice(0, dot);
    frac = fixed.slice(dot + 1).replace(/0+$/, "");
  }
  return [sign + int, frac];
}

/**
 * Scientific parts (`int`, `frac`, `exp` with its sign): the unique digits, at most PRECISION after
 * the point; with `minDigits`, more of the value's own digits up to that many (NumPy's min_digits).
 */
function scientific(v: number, f32: boolean, minDigits = 0): [string, string, string] {
  let [sign, digits, exp] = sciParts(v, f32, true);
  if (digits.length - 1 < minDigits) {
    // The exact value rounded to minDigits digits after the point (not zeros).
    const s = toExponentialEven(Math.abs(v), minDigits);
    const e = s.indexOf("e");
    digits = s.slice(0, e).replace(".", "");
    exp = Number(s.slice(e + 1));
  }
  const e = Number(digits) === 0 ? 0 : exp;
  return [sign + digits[0], digits.slice(1), `${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`];
}

type Formatter = (v: number) => string;

/** The longest `parts[i][k]` (a loop: a spread into Math.max overflows the stack on large inputs). */
function maxLen(parts: readonly (readonly string[])[], k: number): number {
  let m = 0;
  for (const p of parts) if (p[k]!.length > m) m = p[k]!.length;
  return m;
}

/** NumPy's FloatingFormat (floatmode 'maxprec', precision 8), fitted to the printed values. */
function floatFormatter(values: readonly number[], dtype: DType): Formatter {
  const f32 = dtype === "float32";
  const finite = values.filter((v) => Number.isFinite(v));
  let exp = false;
  let max = 0;
  let min = Infinity;
  for (const v of finite) {
    const a = Math.abs(v);
    if (a === 0) continue;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  // numpy >= 2.2: the cutoff depends on the dtype's precision (6 digits for float32, 15 for float64).
  if (max > 0 && (max >= (f32 ? 1e6 : 1e8) || min < 1e-4 || max / min > 1000)) exp = true;
  let padLeft = 0;
  let padRight = 0;
  let fmtFinite: Formatter = String;
  if (finite.length > 0 && exp) {
    const parts = finite.map((v) => scientific(v, f32));
    const expSize = maxLen(parts, 2) - 1;
    const precision = maxLen(parts, 1);
    padLeft = maxLen(parts, 0);
    padRight = expSize + 2 + precision;
    fmtFinite = (v) => {
      const [int, frac, e] = scientific(v, f32, precision);
      return `${int.padStart(padLeft)}.${frac.padEnd(precision, "0")}e${e[0]}${e.slice(1).padStart(expSize, "0")}`;
    };
  } else if (finite.length > 0) {
    const parts = finite.map((v) => positional(v, f32));
    padLeft = maxLen(parts, 0);
    padRight = maxLen(parts, 1);
    fmtFinite = (v) => {
      const [int, frac] = positional(v, f32);
      return `${int.padStart(padLeft)}.${frac.padEnd(padRight)}`;
    };
  }
  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0;
    padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + negInf - (padRight + 1));
  }
  return (v) => {
    if (Number.isFinite(v)) return fmtFinite(v);
    const s = Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    return s.padStart(padLeft + padRight + 1);
  };
}

function formatterFor(values: readonly number[], dtype: DType, scalar: boolean): Formatter {
  if (dtype === "bool") return scalar ? (v) => (v ? "true" : "false") : (v) => (v ? " true" : "false");
  if (dtype === "int32" || dtype === "uint32") {
    let width = 0;
    for (const v of values) width = Math.max(width, String(v).length);
    return (v) => String(v).padStart(width);
  }
  return floatFormatter(values, dtype);
}

/** NumPy's _extendLine: appends `word`, wrapping first if the line would get longer than `width`. */
function extendLine(acc: { s: string; line: string }, word: string, width: number, nextLinePrefix: string): void {
  if (acc.line.length + word.length > width && acc.line.length > nextLinePrefix.length) {
    acc.s += `${acc.line.trimEnd()}\n`;
    acc.line = nextLinePrefix;
  }
  acc.line += word;
}

/** The bracketed body (NumPy's _formatArray), or null when it would be unreasonably large. */
function formatBody(data: TypedArray, shape: readonly number[], dtype: DType, summarize: boolean): string | null {
  const ndim = shape.length;
  if (ndim > MAX_NDIM) return null;
  const shown = (n: number) => summarize && n > 2 * EDGE;
  let count = 1;
  for (const n of shape) count *= shown(n) ? 2 * EDGE : n;
  if (count > MAX_PRINTED) return null;
  const strides = new Array<number>(ndim);
  for (let d = ndim - 1, st = 1; d >= 0; st *= shape[d]!, d--) strides[d] = st;
  // The printed positions of axis d, in order (the first and last EDGE when summarized).
  const positions = shape.map((n) =>
    shown(n) ? [0, 1, 2, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i),
  );

  // Fit the element format to the printed values only, like NumPy (it formats _leading_trailing(a)).
  const values: number[] = [];
  const collect = (d: number, off: number): void => {
    if (d === ndim) {
      values.push(Number(data[off]));
      return;
    }
    for (const i of positions[d]!) collect(d + 1, off + i * strides[d]!);
  };
  collect(0, 0);
  const fmt = formatterFor(values, dtype, ndim === 0);

  const rec = (d: number, off: number, hanging: string, width: number): string => {
    if (d === ndim) return fmt(Number(data[off]));
    const nextHanging = `${hanging} `;
    const nextWidth = width - 1;
    const pos = positions[d]!;
    const summary = shown(shape[d]!);
    const child = (k: number) => rec(d + 1, off + pos[k]! * strides[d]!, nextHanging, nextWidth);
    const last = pos.length - 1;
    let s = "";
    if (d === ndim - 1) {
      const elemWidth = width - Math.max(SEPARATOR.trimEnd().length, 1);
      const acc = { s: "", line: hanging };
      for (let k = 0; k < last; k++) {
        if (summary && k === EDGE) {
          extendLine(acc, "...", elemWidth, hanging);
          acc.line += SEPARATOR;
        }
        extendLine(acc, child(k), elemWidth, hanging);
        acc.line += SEPARATOR;
      }
      extendLine(acc, child(last), elemWidth, hanging);
      s = acc.s + acc.line;
    } else {
      const lineSep = SEPARATOR.trimEnd() + "\n".repeat(ndim - d - 1);
      for (let k = 0; k < last; k++) {
        if (summary && k === EDGE) s += `${hanging}...${lineSep}`;
        s += hanging + child(k) + lineSep;
      }
      s += hanging + child(last);
    }
    return `[${s.slice(hanging.length)}]`;
  };
  // NumPy reserves room for the closing ")" (linewidth minus the suffix).
  return rec(0, 0, " ".repeat(PREFIX.length + 1), LINEWIDTH - 1);
}

/** Appends NumPy's `shape=...` / `dtype=...` extras, on a new line when the last one would get too long. */
function withExtras(body: string, extras: readonly string[]): string {
  if (extras.length === 0) return `${PREFIX}${body})`;
  const arr = `${PREFIX}${body},`;
  const extra = `${extras.join(", ")})`;
  const lastLine = arr.length - (arr.lastIndexOf("\n") + 1);
  const spacer = lastLine + extra.length + 1 > LINEWIDTH ? `\n${" ".repeat(PREFIX.length)}` : " ";
  return arr + spacer + extra;
}

/** The text of an array with contents `data` (row-major) and abstract value `aval`, as NumPy's repr prints it. */
export function formatArray(data: TypedArray, aval: ShapedArray): string {
  const { shape, dtype, size } = aval;
  const summarize = size > THRESHOLD;
  const body = size === 0 ? "[]" : formatBody(data, shape, dtype, summarize);
  const extras: string[] = [];
  if (body === null || (size === 0 && !(shape.length === 1 && shape[0] === 0)) || summarize)
    extras.push(`shape=${tupleStr(shape)}`);
  if (body === null || !impliedDType(dtype) || size === 0) extras.push(`dtype=${dtype}`);
  return withExtras(body ?? "...", extras);
}

/**
 * The text of an array whose values cannot be shown: on a backend that only reads asynchronously,
 * or when reading them failed (`error`). Printing never throws.
 */
export function formatUnreadable(aval: ShapedArray, backend: string, error?: unknown): string {
  let what = `values on the '${backend}' backend: read them with await x.data()`;
  if (error !== undefined) {
    let msg: string;
    try {
      msg = error instanceof Error ? error.message : String(error);
    } catch {
      msg = "unknown error";
    }
    what = `values not printable: ${msg.length > 200 ? `${msg.slice(0, 200)}…` : msg}`;
  }
  return `${PREFIX}<${what}>, shape=${tupleStr(aval.shape)}, dtype=${aval.dtype})`;
}
