import { describe, expect, it } from "vitest";
import { erf } from "../../../backends/cpu/kernels/elementwise.js";
import { ModuleBuilder } from "../../../backends/wasm/encoder/module.js";
import { I32, OP, SIMD } from "../../../backends/wasm/encoder/opcodes.js";
import {
  isBinary,
  MATH_ULP_BOUNDS,
  VECTOR_MATH_FNS,
  VectorMath,
  type VectorMathFn,
} from "../../../backends/wasm/math/index.js";

/**
 * Accuracy of the f32x4 math functions against the reference backend's semantics: Math.fn in
 * float64 rounded to float32 (erf and logistic: the reference backend's formulas). Errors are in
 * float32 ulps of the reference result; a NaN where the reference is not (or the reverse), a zero
 * of the wrong sign, or an infinity where the reference is finite (or the reverse) is a failure.
 * Inputs: dense grids (step 1/1024 or finer) over each function's useful domain, 100k random
 * float32 bit patterns (half of them in the domain), the neighbourhoods (±64 ulps) of thresholds
 * and branch points, and special values.
 */

// --- reference ----------------------------------------------------------------------------------

/** The reference backend's logistic (backends/cpu/kernels/elementwise.ts, which does not export it). */
const logistic = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

const REFERENCE: Record<VectorMathFn, (x: number, y: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  logistic,
  // erf is odd, so erf(−0) = −0 (the reference backend's erf returns +0 there).
  erf: (x) => (x === 0 ? x : erf(x)),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  atan: Math.atan,
  asin: Math.asin,
  acos: Math.acos,
  pow: Math.pow,
  atan2: Math.atan2,
};

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
const bitsOf = (x: number): number => {
  f32Scratch[0] = x;
  return u32Scratch[0] ?? 0;
};
const fromBits = (b: number): number => {
  u32Scratch[0] = b;
  return f32Scratch[0] ?? 0;
};

/** |got − ref| in ulps of ref (float32); Infinity for a NaN, signed-zero or infinity mismatch. */
function ulpError(got: number, ref: number): number {
  if (Number.isNaN(ref) || Number.isNaN(got)) return Number.isNaN(ref) && Number.isNaN(got) ? 0 : Infinity;
  if (got === ref) return Object.is(got, ref) ? 0 : Infinity;
  if (!Number.isFinite(ref) || !Number.isFinite(got)) return Infinity;
  const exponent = Math.max((bitsOf(ref) >>> 23) & 255, 1) - 127;
  return Math.abs(got - ref) / 2 ** (exponent - 23);
}

// --- the module under test -----------------------------------------------------------------------

const BATCH = 1 << 16;
const PAGES = 64; // 4 MiB: x at 0, y at 1 MiB, out at 2 MiB, inline out at 3 MiB
const X_AT = 0;
const Y_AT = 1 << 20;
const OUT_AT = 2 << 20;
const INLINE_AT = 3 << 20;

type Driver = (x: number, y: number, out: number, bytes: number) => void;

/** For each function a driver looping over memory: load v128 (two for pow, atan2), call, store. */
function buildModule(): { bytes: Uint8Array<ArrayBuffer>; indices: Map<VectorMathFn, number> } {
  const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: PAGES });
  const vm = new VectorMath(m);
  const indices = new Map<VectorMathFn, number>();
  const driver = (fn: VectorMathFn, name: string, inline: boolean): void => {
    const index = inline ? -1 : vm.f32x4(fn);
    if (!inline) indices.set(fn, index);
    m.func(
      [I32, I32, I32, I32],
      [],
      (f, c) => {
        const i = f.local(I32);
        c.block().loop();
        c.get(i).get(3).op(OP.i32_ge_u).brIf(1);
        c.get(2).get(i).op(OP.i32_add);
        c.get(0).get(i).op(OP.i32_add).simdMem(SIMD.v128_load);
        if (isBinary(fn)) c.get(1).get(i).op(OP.i32_add).simdMem(SIMD.v128_load);
        if (inline) vm.inline(fn, f, c);
        else c.call(index);
        c.simdMem(SIMD.v128_store);
        c.get(i).i32(16).op(OP.i32_add).set(i).br(0).end().end();
      },
      name,
    );
  };
  for (const fn of VECTOR_MATH_FNS) driver(fn, fn, false);
  // The same through VectorMath.inline, which must give bitwise the same results.
  for (const fn of VECTOR_MATH_FNS) driver(fn, `${fn}_inline`, true);
  // Asking again returns the same function.
  for (const fn of VECTOR_MATH_FNS) if (vm.f32x4(fn) !== indices.get(fn)) throw new Error(`${fn} defined twice`);
  return { bytes: m.toBytes(), indices };
}

const { bytes } = buildModule();
const memory = new WebAssembly.Memory({ initial: PAGES });
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const driverOf = (name: string): Driver => {
  const d = instance.exports[name];
  if (typeof d !== "function") throw new Error(`no export ${name}`);
  return d as Driver;
};
const X = new Float32Array(memory.buffer, X_AT, BATCH);
const Y = new Float32Array(memory.buffer, Y_AT, BATCH);
const OUT = new Float32Array(memory.buffer, OUT_AT, BATCH);
const INLINE_OUT = new Uint32Array(memory.buffer, INLINE_AT, BATCH);
const OUT_BITS = new Uint32Array(memory.buffer, OUT_AT, BATCH);

interface Worst {
  ulp: number;
  x: number;
  y: number;
  got: number;
  ref: number;
}

/** Runs fn over all (xs[i], ys[i]) and returns the worst error. */
function measure(fn: VectorMathFn, xs: Float32Array, ys: Float32Array): Worst {
  const worst: Worst = { ulp: 0, x: 0, y: 0, got: 0, ref: 0 };
  const run = driverOf(fn);
  const ref = REFERENCE[fn];
  const inline = driverOf(`${fn}_inline`);
  for (let start = 0; start < xs.length; start += BATCH) {
    const n = Math.min(BATCH, xs.length - start);
    X.set(xs.subarray(start, start + n));
    Y.set(ys.subarray(start, start + n));
    const bytes = 16 * Math.ceil(n / 4);
    run(X_AT, Y_AT, OUT_AT, bytes);
    for (let i = 0; i < n; i++) {
      const x = X[i] ?? 0;
      const y = Y[i] ?? 0;
      const got = OUT[i] ?? 0;
      const want = Math.fround(ref(x, y));
      if (got === want && (got !== 0 || Object.is(got, want))) continue;
      const e = ulpError(got, want);
      if (e > worst.ulp) Object.assign(worst, { ulp: e, x, y, got, ref: want });
    }
    inline(X_AT, Y_AT, INLINE_AT, bytes);
    for (let i = 0; i < n; i++)
      if (INLINE_OUT[i] !== OUT_BITS[i]) throw new Error(`${fn}: inlined and called results differ at ${X[i]}`);
  }
  return worst;
}

// --- inputs -------------------------------------------------------------------------------------

/** Deterministic 32-bit generator (xorshift). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const grid = (lo: number, hi: number, step: number): number[] => {
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) out.push(k * step);
  return out;
};

/** The float32 values within ±k ulps of each of `points` (and of their negatives when `signed`). */
function around(points: readonly number[], k = 64, signed = true): number[] {
  const out: number[] = [];
  for (const p of points)
    for (const s of signed ? [p, -p] : [p]) {
      const b = bitsOf(Math.fround(s));
      for (let d = -k; d <= k; d++) {
        const v = fromBits((b + d) >>> 0);
        if (Number.isFinite(v) && Math.sign(v) === Math.sign(s)) out.push(v);
      }
    }
  return out;
}

/** `n` random float32 bit patterns (every binade, NaN and ±∞ included) and `n` more with |x| ≤ bound. */
function randomBits(seed: number, n: number, bound: number): number[] {
  const next = random(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(fromBits(next()));
  for (let i = 0; i < n; ) {
    const v = fromBits(next() & 0x7fffffff);
    if (v <= bound) {
      out.push(next() & 1 ? -v : v);
      i++;
    }
  }
  return out;
}

const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 2 ** -126;
const SPECIAL = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1,
  -1,
  0.5,
  -0.5,
  2,
  -2,
  3,
  -3,
  2 ** -149,
  -(2 ** -149),
  1e-40,
  -1e-40,
  FLT_MIN,
  -FLT_MIN,
  FLT_MAX,
  -FLT_MAX,
  1e-30,
  -1e-30,
  1e-20,
  -1e-20,
  1e-8,
  -1e-8,
  1e-7,
  1e-6,
  -1e-6,
  0.1,
  10,
  100,
  1e10,
  -1e10,
  1e30,
];

/** Dense grids, thresholds and random patterns per unary function, and their bound for random draws. */
const UNARY_INPUTS: Record<Exclude<VectorMathFn, "pow" | "atan2">, () => number[]> = {
  exp: () => [
    ...grid(-105, 90, 1 / 1024),
    ...around([88.72283172607422, -87.33654, -103.97208, -103.27893, 1e-7, 0.34657359]),
    ...randomBits(1, 50_000, 105),
  ],
  expm1: () => [
    ...grid(-20, 90, 1 / 1024),
    ...grid(-1 / 16, 1 / 16, 2 ** -18),
    ...around([88.72283172607422, 17.32868, 0.34657359, 1e-7, 1e-20]),
    ...randomBits(2, 50_000, 90),
  ],
  log: () => [
    ...grid(0, 64, 1 / 1024),
    ...grid(0.5, 2, 2 ** -17),
    ...around([1, FLT_MIN, Math.SQRT1_2, Math.SQRT2, 2 ** -149, FLT_MAX], 64, false),
    ...randomBits(3, 50_000, FLT_MAX),
  ],
  log1p: () => [
    ...grid(-1, 64, 1 / 1024),
    ...grid(-1 / 16, 1 / 16, 2 ** -18),
    ...around([1, 1e-8, 2 ** -24, Math.SQRT1_2 - 1, Math.SQRT2 - 1, 1e-30]),
    ...around([-1, -0.5, FLT_MAX], 64, false),
    ...randomBits(4, 50_000, FLT_MAX),
  ],
  tanh: () => [
    ...grid(-10, 10, 1 / 1024),
    ...grid(-1 / 16, 1 / 16, 2 ** -18),
    ...around([9.01, 0.3465736, 1e-6, 1e-30]),
    ...randomBits(5, 50_000, 20),
  ],
  logistic: () => [
    ...grid(-105, 20, 1 / 1024),
    ...around([-87.33654, -103.97208, -104, 16.635532, 1e-7]),
    ...randomBits(6, 50_000, 105),
  ],
  erf: () => [
    ...grid(-5, 5, 1 / 1024),
    ...grid(-1 / 16, 1 / 16, 2 ** -18),
    ...around([1, 3.92, 4, 1e-20, 1e-40]),
    ...randomBits(7, 50_000, 5),
  ],
  // Dense where Cody–Waite runs, then every binade up to 3.4e38 (Payne–Hanek), and the float32
  // values nearest to multiples of π/2 (where the reduction cancels most).
  sin: () => trigInputs(8),
  cos: () => trigInputs(9),
  tan: () => trigInputs(10),
  sinh: () => [...grid(-90, 90, 1 / 1024), ...around([89.41598629223294, 1, 1e-6]), ...randomBits(11, 50_000, 90)],
  cosh: () => [...grid(-90, 90, 1 / 1024), ...around([89.41598629223294, 1e-6]), ...randomBits(12, 50_000, 90)],
  atan: () => [
    ...grid(-64, 64, 1 / 1024),
    ...around([1, Math.SQRT2 - 1, 1 / (Math.SQRT2 - 1), 1e-30, 1e30, 16777216]),
    ...randomBits(13, 50_000, FLT_MAX),
  ],
  asin: () => [...grid(-1, 1, 2 ** -16), ...around([1, 0.5, 1e-30]), ...randomBits(14, 50_000, 1)],
  acos: () => [...grid(-1, 1, 2 ** -16), ...around([1, 0.5, 1e-30]), ...randomBits(15, 50_000, 1)],
};

function trigInputs(seed: number): number[] {
  const out = [...grid(-64, 64, 1 / 1024), ...grid(-1e5, 1e5, 1 / 4), ...randomBits(seed, 50_000, 1e5)];
  // Near multiples of π/2 up to 1e5 and beyond, and around the Cody–Waite/Payne–Hanek switch.
  const multiples = [1, 2, 3, 4, 5, 10, 100, 355, 1000, 6381, 12_345, 65_536, 2 ** 20, 6.2e6, 2 ** 23, 1e9, 1e20];
  out.push(...around(multiples.map((k) => (k * Math.PI) / 2)));
  out.push(...around([2 ** 24, 2 ** 25, 1e38, FLT_MAX]));
  out.push(...around(HARD_TRIG, 4));
  return out;
}

/**
 * The float32 values nearest to a multiple of π/2 (|x − nπ/2| from 2^-29.2 to 2^-25.6, the first
 * being the closest of all float32), printed by `python3 scripts/gen-math-coefficients.py
 * --trig-hard-cases`.
 */
const HARD_TRIG: readonly number[] = [
  7.729178919452902e28, 21999384576.0, 1.5458357838905804e29, 43998769152.0, 252.89820861816406, 3.0916715677811608e29,
  4.638183382783466e25, 1522788990976.0, 8.11762663906456e22, 87997538304.0, 505.7964172363281, 4.3865578967101227e33,
  42781604.0, 4.71238899230957, 1.0341291951386403e27, 6.1833431355623216e29, 9.276366765566932e25,
  1.5282689358063206e17, 3045577981952.0, 1.623525327812912e23, 175995076608.0, 52516.43359375, 3.795570704093031e30,
  1011.5928344726562, 2709675.5,
];

/** pow(x, y): grids, integer and half-integer exponents, special pairs, random pairs. */
function powInputs(): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  const push = (x: number, y: number): void => {
    xs.push(x);
    ys.push(y);
  };
  for (const x of grid(-8, 8, 1 / 64)) for (const y of grid(-12, 12, 1 / 8)) push(x, y);
  for (const x of grid(0, 4, 1 / 1024)) for (const y of [0.5, -0.5, 1 / 3, 2.5, 10, -10, 30.5]) push(x, y);
  const specials = [...SPECIAL, 4.5, -4.5, 127, -127, 128, 150, -150, 1.0000001, 0.99999994, 16777216, 33554433];
  for (const x of specials) for (const y of specials) push(x, y);
  // Exponents near the overflow and underflow thresholds.
  for (const x of [2, 10, 0.5, -2, -10, Math.E])
    for (const y of around([128, 38.53184, -149, -44.85, 88.72], 32)) push(x, y);
  const next = random(16);
  for (let i = 0; i < 60_000; i++) push(fromBits(next()), fromBits(next()));
  // Random pairs whose result is mostly finite: |x| in [2^-8, 2^8], |y| ≤ 16.
  for (let i = 0; i < 60_000; i++) {
    const x = fromBits(((next() % (16 << 23)) + ((127 - 8) << 23)) | (next() & 0x80000000));
    push(x, fromBits(next() & 0x83ffffff));
  }
  return [xs, ys];
}

/** atan2(y, x): all special pairs, grids over the four quadrants, random pairs. */
function atan2Inputs(): [number[], number[]] {
  const ys: number[] = [];
  const xs: number[] = [];
  const push = (y: number, x: number): void => {
    ys.push(y);
    xs.push(x);
  };
  for (const y of SPECIAL) for (const x of SPECIAL) push(y, x);
  for (const y of grid(-16, 16, 1 / 16)) for (const x of grid(-16, 16, 1 / 8)) push(y, x);
  const next = random(17);
  for (let i = 0; i < 100_000; i++) push(fromBits(next()), fromBits(next()));
  return [ys, xs];
}

// --- the tests ----------------------------------------------------------------------------------

describe("wasm f32x4 math", () => {
  it("produces a valid module", () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  for (const fn of VECTOR_MATH_FNS) {
    it(`${fn} is within ${MATH_ULP_BOUNDS[fn]} ulp of the float64 reference, with its special values`, () => {
      let xs: number[];
      let ys: number[];
      if (fn === "pow") [xs, ys] = powInputs();
      else if (fn === "atan2") [xs, ys] = atan2Inputs();
      else {
        xs = [...UNARY_INPUTS[fn](), ...SPECIAL];
        ys = xs.map(() => 0);
      }
      const worst = measure(fn, Float32Array.from(xs), Float32Array.from(ys));
      expect(MATH_ULP_BOUNDS[fn]).toBeLessThanOrEqual(4);
      const at = `${fn}(${worst.x}${isBinary(fn) ? `, ${worst.y}` : ""}) = ${worst.got}, reference ${worst.ref}`;
      expect(worst.ulp, `worst case ${at}`).toBeLessThanOrEqual(MATH_ULP_BOUNDS[fn]);
    });
  }
});
