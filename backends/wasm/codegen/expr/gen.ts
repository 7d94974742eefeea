/**
 * The state one expression emission shares (code stream, locals, imports) and the lane helpers the
 * op emitters build on: routing a 4-byte value through float64 halves, calling a scalar host
 * function lane by lane, and the exact float64 → int32 wrap (JS ToInt32).
 */
import type { DType } from "../../../../src/core/dtype.js";
import type { Code } from "../../encoder/code.js";
import type { FuncBuilder } from "../../encoder/module.js";
import { SIMD, V128 } from "../../encoder/opcodes.js";
import type { VectorMath } from "../../math/index.js";
import { type HostFunctions, HostFunctionUnavailable } from "../host.js";
import type { Lanes } from "../values.js";

export class Gen {
  constructor(
    readonly c: Code,
    readonly f: FuncBuilder,
    readonly lanes: Lanes,
    readonly host: HostFunctions,
    readonly math: VectorMath,
  ) {}

  /** Values are splats (lanes 1): lane-by-lane work is done once and splatted. */
  get splat(): boolean {
    return this.lanes === 1;
  }

  /** Pops the stack top into a fresh v128 local and returns it. */
  save(): number {
    const l = this.f.local(V128);
    this.c.set(l);
    return l;
  }

  hostFn(name: string): number {
    const i = this.host[name];
    if (i === undefined)
      throw new HostFunctionUnavailable(`wasm codegen: host function '${name}' is not imported here`);
    return i;
  }
}

/** Pushes one float64 scalar operand for a lane. */
export type LanePush = (lane: number) => void;

/** Lane `i` of the f64x2 in local `l`. */
export const f64Lane =
  (g: Gen, l: number): LanePush =>
  (i) =>
    void g.c.get(l).lane(SIMD.f64x2_extract_lane, i);

/** A float64 constant, the same for every lane. */
export const f64Const =
  (g: Gen, v: number): LanePush =>
  () =>
    void g.c.f64(v);

/** Pushes f64x2 of host function `name` applied lane by lane (once, splatted, for splats). */
export function hostLanes(g: Gen, name: string, args: readonly LanePush[]): void {
  const { c } = g;
  const fn = g.hostFn(name);
  if (g.splat) {
    for (const a of args) a(0);
    c.call(fn).simd(SIMD.f64x2_splat);
    return;
  }
  c.v128f64(0);
  for (let i = 0; i < 2; i++) {
    for (const a of args) a(i);
    c.call(fn).lane(SIMD.f64x2_replace_lane, i);
  }
}

const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const SPLAT_LANE0 = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];

/** [v128] -> [v128]: 32-bit lane 0 copied to every lane (results of the `_zero` conversions). */
export function resplat32(g: Gen): void {
  g.c.v128i32(0).shuffle(SPLAT_LANE0);
}

/**
 * [f64x2] -> [i32x4 (r0, r1, 0, 0)]: JS ToInt32 of each lane, which is what the reference's store
 * into an Int32Array/Uint32Array does: NaN and ±∞ give 0, others truncate and wrap modulo 2^32.
 * Exact: t − trunc(t·2⁻³²)·2³² is representable, so every step is; it lies in (−2³², 2³²) and one
 * conditional ±2³² brings it into the int32 range, where the saturating truncation is exact.
 */
export function toInt32(g: Gen): void {
  const { c } = g;
  const t = g.f.local(V128);
  const r = g.f.local(V128);
  c.simd(SIMD.f64x2_trunc).tee(t);
  c.get(t)
    .v128f64(2 ** -32)
    .simd(SIMD.f64x2_mul)
    .simd(SIMD.f64x2_trunc)
    .v128f64(2 ** 32)
    .simd(SIMD.f64x2_mul);
  c.simd(SIMD.f64x2_sub).tee(r);
  c.get(r)
    .v128f64(2 ** 31)
    .simd(SIMD.f64x2_ge)
    .v128f64(2 ** 32)
    .simd(SIMD.v128_and)
    .simd(SIMD.f64x2_sub)
    .tee(r);
  c.get(r)
    .v128f64(-(2 ** 31))
    .simd(SIMD.f64x2_lt)
    .v128f64(2 ** 32)
    .simd(SIMD.v128_and)
    .simd(SIMD.f64x2_add);
  c.simd(SIMD.i32x4_trunc_sat_f64x2_s_zero);
}

/**
 * Pushes the value of a 4-byte-dtype operation computed in float64: each operand (locals, of
 * `dtype`) is widened exactly, `inner` computes on f64x2 locals (with the same splat mode), and the
 * result is rounded (float32) or wrapped with ToInt32 (int32/uint32), as the reference's store
 * does. Lanes 4 runs the low and high halves; lanes 1 runs once and re-splats.
 */
export function viaF64(g: Gen, dtype: DType, args: readonly number[], inner: (args: number[]) => void): void {
  const { c } = g;
  const widen = (src: number, high: boolean): number => {
    c.get(src);
    if (high) c.get(src).shuffle(HIGH_TO_LOW);
    if (dtype === "float32") c.simd(SIMD.f64x2_promote_low_f32x4);
    else if (dtype === "int32") c.simd(SIMD.f64x2_convert_low_i32x4_s);
    else if (dtype === "uint32") c.simd(SIMD.f64x2_convert_low_i32x4_u);
    else throw new Error(`internal error: viaF64 on ${dtype}`);
    return g.save();
  };
  const half = (high: boolean): void => {
    inner(args.map((a) => widen(a, high)));
    if (dtype === "float32") c.simd(SIMD.f32x4_demote_f64x2_zero);
    else toInt32(g);
  };
  half(false);
  if (g.splat) {
    resplat32(g);
    return;
  }
  half(true);
  c.shuffle(JOIN_LOWS);
}

/**
 * Pushes x^e (e ≥ 1) by left-to-right binary exponentiation with `mul` (a SIMD opcode), x a local.
 * For wrapping i32x4 multiplication this is exactly x^e mod 2^32, whatever the order.
 */
export function powBySquaring(g: Gen, x: number, e: number, mul: number): void {
  const { c } = g;
  const r = g.f.local(V128);
  c.get(x).set(r);
  for (const bit of e.toString(2).slice(1)) {
    c.get(r).get(r).simd(mul).set(r);
    if (bit === "1") c.get(r).get(x).simd(mul).set(r);
  }
  c.get(r);
}
