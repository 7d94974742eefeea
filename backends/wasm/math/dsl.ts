/**
 * A small expression layer over the encoder's `Code`, so that the math kernels read as formulas
 * rather than as stack-machine byte sequences. An `Ex` is a closure that emits the code computing
 * one value onto the wasm operand stack; composing expressions emits nothing until the result is
 * bound with `let` (stored in a fresh local) or emitted. An expression used twice is emitted twice,
 * so anything but a constant or a local read is bound with `let` before it is shared.
 */
import { Code } from "../encoder/code.js";
import type { FuncBuilder, ModuleBuilder } from "../encoder/module.js";
import { F64, I32, I64, SIMD, V128, type ValType } from "../encoder/opcodes.js";

/**
 * Immutable v128 module globals holding the kernels' constants, one per distinct value. V8 (x64)
 * materializes every `v128.const` afresh with about four instructions through a general register,
 * while an immutable global is one load: exp runs about 1.5 times faster this way.
 */
export class ConstPool {
  private readonly globals = new Map<string, number>();
  constructor(private readonly m: ModuleBuilder) {}
  /** Emits a read of the global holding the value `init` (a `v128.const` instruction) pushes. */
  read(c: Code, init: Code): void {
    const key = init.bytes.join(",");
    let g = this.globals.get(key);
    if (g === undefined) {
      g = this.m.global(V128, false, init);
      this.globals.set(key, g);
    }
    c.globalGet(g);
  }
}

/** The pool constants go to while VectorMath builds a body (emission is synchronous). */
let activePool: ConstPool | undefined;

/** Runs `build` with constants emitted as reads of `pool`'s globals. */
export function withConstPool<T>(pool: ConstPool, build: () => T): T {
  const previous = activePool;
  activePool = pool;
  try {
    return build();
  } finally {
    activePool = previous;
  }
}

/** A v128 constant: a global read inside `withConstPool`, else `v128.const`. */
function konst(write: (c: Code) => void): Ex {
  return (c) => {
    if (!activePool) {
      write(c);
      return;
    }
    const init = new Code();
    write(init);
    activePool.read(c, init);
  };
}

/** Emits code that pushes one value. */
export type Ex = (c: Code) => void;

/** The function body being written: its locals and its code. */
export class Body {
  constructor(
    readonly f: FuncBuilder,
    readonly c: Code,
  ) {}
  /** Local `i` (a parameter, or a local added by `let`). */
  get(i: number): Ex {
    return (c) => c.get(i);
  }
  /** Emits `e` now, stores it in a new local of `type` and returns a reader of that local. */
  let(e: Ex, type: ValType = V128): Ex {
    e(this.c);
    const l = this.f.local(type);
    this.c.set(l);
    return (c) => c.get(l);
  }
  /** A new local of `type` initialized to `e`, for values assigned again later (in `if` blocks). */
  variable(e: Ex, type: ValType = V128): { get: Ex; set: (e: Ex) => void } {
    e(this.c);
    const l = this.f.local(type);
    this.c.set(l);
    return {
      get: (c) => c.get(l),
      set: (v) => {
        v(this.c);
        this.c.set(l);
      },
    };
  }
  /** `cond` (an i32) ? `yes()` : `no()` as a branch, bound to a local: only one side runs. */
  branch(cond: Ex, yes: () => Ex, no: () => Ex): Ex {
    cond(this.c);
    this.c.if(V128);
    yes()(this.c);
    this.c.else();
    no()(this.c);
    this.c.end();
    const l = this.f.local(V128);
    this.c.set(l);
    return (c) => c.get(l);
  }
  /** `if (cond) { then() }`, with `cond` an i32. */
  when(cond: Ex, then: () => void): void {
    cond(this.c);
    this.c.if();
    then();
    this.c.end();
  }
  /** Emits `e`, leaving its value on the stack (the function's result when it is the last one). */
  emit(e: Ex): void {
    e(this.c);
  }
}

const un =
  (op: number) =>
  (a: Ex): Ex =>
  (c) => {
    a(c);
    c.simd(op);
  };
const bin =
  (op: number) =>
  (a: Ex, b: Ex): Ex =>
  (c) => {
    a(c);
    b(c);
    c.simd(op);
  };
const shift =
  (op: number) =>
  (a: Ex, n: number): Ex =>
  (c) => {
    a(c);
    c.i32(n);
    c.simd(op);
  };

const pmin = bin(SIMD.f32x4_pmin);
const pmax = bin(SIMD.f32x4_pmax);

/** f32x4 lane-wise operations and constants. */
export const f32 = {
  c: (v: number): Ex => konst((c) => c.v128f32(v)),
  add: bin(SIMD.f32x4_add),
  sub: bin(SIMD.f32x4_sub),
  mul: bin(SIMD.f32x4_mul),
  div: bin(SIMD.f32x4_div),
  /**
   * Clamps with pmax/pmin, one instruction each on x64 (f32x4.min/max take about six):
   * pmax(x, lo) = x < lo ? lo : x and pmin(x, hi) = hi < x ? hi : x, so a NaN x passes through.
   */
  clamp: (x: Ex, lo: number, hi: number): Ex => pmin(pmax(x, f32.c(lo)), f32.c(hi)),
  atLeast: (x: Ex, lo: number): Ex => pmax(x, f32.c(lo)),
  atMost: (x: Ex, hi: number): Ex => pmin(x, f32.c(hi)),
  /** Bitwise: V8's f32x4.abs/neg build their mask with two extra instructions on x64. */
  abs: (a: Ex): Ex => v128.and(a, i32.c(0x7fffffff)),
  neg: (a: Ex): Ex => v128.xor(a, i32.c(0x80000000 | 0)),
  eq: bin(SIMD.f32x4_eq),
  lt: bin(SIMD.f32x4_lt),
  ge: bin(SIMD.f32x4_ge),
  fromI32: un(SIMD.f32x4_convert_i32x4_s),
  /** Horner: Σ coeffs[i]·x^i, with `x` a local read (it is emitted once per coefficient). */
  poly: (x: Ex, coeffs: readonly number[]): Ex => horner(x, coeffs, (v) => f32.c(v), SIMD.f32x4_mul, SIMD.f32x4_add),
  /**
   * Σ coeffs[i]·x^i by Estrin's scheme, given x and x² (`x2`, a local read): pairs c_i + c_{i+1}·x
   * combined in powers of x². Half the dependency depth of Horner, which matters because these
   * kernels run latency-bound (the out-of-order window holds only a few loop iterations).
   */
  estrin: (x: Ex, x2: Ex, coeffs: readonly number[]): Ex => {
    const pairs: Ex[] = [];
    for (let i = 0; i < coeffs.length; i += 2) {
      const lo = f32.c(coeffs[i] ?? 0);
      const hi = coeffs[i + 1];
      pairs.push(hi === undefined ? lo : f32.add(lo, f32.mul(x, f32.c(hi))));
    }
    // Horner in x² over the pairs.
    let acc = pairs[pairs.length - 1] ?? f32.c(0);
    for (let i = pairs.length - 2; i >= 0; i--) acc = f32.add(pairs[i] ?? f32.c(0), f32.mul(x2, acc));
    return acc;
  },
};

/** f64x2 lane-wise operations and constants. */
export const f64 = {
  c: (v: number): Ex => konst((c) => c.v128f64(v)),
  add: bin(SIMD.f64x2_add),
  sub: bin(SIMD.f64x2_sub),
  mul: bin(SIMD.f64x2_mul),
  div: bin(SIMD.f64x2_div),
  /** min/max propagating NaN from either operand (about six instructions each on x64). */
  min: bin(SIMD.f64x2_min),
  max: bin(SIMD.f64x2_max),
  /** Clamps with pmax/pmin like f32.clamp: a NaN x passes through. */
  clamp:
    (x: Ex, lo: number, hi: number): Ex =>
    (c) => {
      x(c);
      f64.c(lo)(c);
      c.simd(SIMD.f64x2_pmax);
      f64.c(hi)(c);
      c.simd(SIMD.f64x2_pmin);
    },
  abs: (a: Ex): Ex => v128.and(a, i64.c(0x7fffffffffffffffn)),
  neg: (a: Ex): Ex => v128.xor(a, i64.c(-(2n ** 63n))),
  sqrt: un(SIMD.f64x2_sqrt),
  floor: un(SIMD.f64x2_floor),
  nearest: un(SIMD.f64x2_nearest),
  eq: bin(SIMD.f64x2_eq),
  ne: bin(SIMD.f64x2_ne),
  lt: bin(SIMD.f64x2_lt),
  gt: bin(SIMD.f64x2_gt),
  ge: bin(SIMD.f64x2_ge),
  poly: (x: Ex, coeffs: readonly number[]): Ex => horner(x, coeffs, (v) => f64.c(v), SIMD.f64x2_mul, SIMD.f64x2_add),
  /** Lanes 0 and 1 of an f32x4, widened (exactly). */
  promoteLow: un(SIMD.f64x2_promote_low_f32x4),
  /** Rounds both lanes to float32 into lanes 0 and 1; lanes 2 and 3 are zero. */
  demote: un(SIMD.f32x4_demote_f64x2_zero),
};

/** i32x4 lane-wise operations. */
export const i32 = {
  c: (v: number): Ex => konst((c) => c.v128i32(v)),
  add: bin(SIMD.i32x4_add),
  sub: bin(SIMD.i32x4_sub),
  maxS: bin(SIMD.i32x4_max_s),
  ltU: bin(SIMD.i32x4_lt_u),
  shl: shift(SIMD.i32x4_shl),
  shrS: shift(SIMD.i32x4_shr_s),
};

/** i64x2 lane-wise operations. */
export const i64 = {
  /** Two 64-bit lanes holding `v` (a bigint in the signed or unsigned 64-bit range). */
  c: (v: bigint): Ex =>
    konst((c) => {
      const lo = Number(BigInt.asUintN(32, v));
      const hi = Number(BigInt.asUintN(32, v >> 32n));
      c.v128i32(lo, hi, lo, hi);
    }),
  add: bin(SIMD.i64x2_add),
  sub: bin(SIMD.i64x2_sub),
  ltS: bin(SIMD.i64x2_lt_s),
  shl: shift(SIMD.i64x2_shl),
  shrS: shift(SIMD.i64x2_shr_s),
};

/** Lane access (lane indices are immediates). */
export const lane = {
  /** i32 lane `i` of an i32x4 (or of the bits of an f32x4). */
  i32:
    (v: Ex, i: number): Ex =>
    (c) => {
      v(c);
      c.lane(SIMD.i32x4_extract_lane, i);
    },
  /** f64 lane `i` of an f64x2. */
  f64:
    (v: Ex, i: number): Ex =>
    (c) => {
      v(c);
      c.lane(SIMD.f64x2_extract_lane, i);
    },
  /** `v` with f64 lane `i` replaced by the scalar `s`. */
  setF64:
    (v: Ex, i: number, s: Ex): Ex =>
    (c) => {
      v(c);
      s(c);
      c.lane(SIMD.f64x2_replace_lane, i);
    },
};

/** Bitwise operations on whole vectors. */
export const v128 = {
  and: bin(SIMD.v128_and),
  or: bin(SIMD.v128_or),
  xor: bin(SIMD.v128_xor),
  /** a & ~b */
  andNot: bin(SIMD.v128_andnot),
  /** Per bit: `mask` ? `yes` : `no` (masks come from comparisons: all ones or all zeros per lane). */
  select:
    (mask: Ex, yes: Ex, no: Ex): Ex =>
    (c) => {
      yes(c);
      no(c);
      mask(c);
      c.simd(SIMD.v128_bitselect);
    },
  anyTrue: un(SIMD.v128_any_true),
  /** i32: every 32-bit lane nonzero. */
  allTrue32: un(SIMD.i32x4_all_true),
  /** i8x16.shuffle of two vectors; byte indices 16–31 pick from `b`. */
  shuffle:
    (a: Ex, b: Ex, bytes: readonly number[]): Ex =>
    (c) => {
      a(c);
      b(c);
      c.shuffle(bytes);
    },
};

function horner(x: Ex, coeffs: readonly number[], k: (v: number) => Ex, mul: number, add: number): Ex {
  return (c) => {
    const n = coeffs.length;
    k(coeffs[n - 1] ?? 0)(c);
    for (let i = n - 2; i >= 0; i--) {
      x(c);
      c.simd(mul);
      k(coeffs[i] ?? 0)(c);
      c.simd(add);
    }
  };
}

/** Byte indices that move lanes 2 and 3 of an f32x4 to lanes 0 and 1. */
export const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7] as const;
/** Byte indices joining lanes 0–1 of `a` and lanes 0–1 of `b` into one f32x4. */
export const JOIN_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23] as const;

/** Module-level functions shared by kernels (built once per module). */
export interface Helpers {
  /** The index of the function built under `key`, building it with `build` the first time. */
  helper(key: string, params: readonly ValType[], results: readonly ValType[], build: (b: Body) => void): number;
}

export { F64, I32, I64, V128 };
