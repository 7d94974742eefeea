/**
 * WGSL helper functions (module-scope `fn gx_…` definitions) and the bit-level primitives every
 * other emitter builds on.
 *
 * Why so much happens on bits: WGSL lets an implementation assume that no NaN or infinity occurs
 * and to rewrite float expressions algebraically, and Mesa (lavapipe) does: `x != x` folds to
 * false, `x * 0.0` to 0, `(a + b) - b` to a. So NaN and infinity tests, sign manipulations, min,
 * max and comparisons are done on the bit patterns (integer operations, which no such rewrite
 * touches), and values whose rounding matters are "laundered" through `gx_o(x, z)`: an xor of the
 * bits with an opaque zero `z` (a u32 that is 0 at run time but that the compiler cannot prove
 * is 0), which hides the value's origin from the optimizer so that no rewrite crosses it.
 */

/** A module-scope WGSL function and the helpers it calls. */
export interface WgslHelper {
  readonly name: string;
  readonly code: string;
  readonly deps: readonly WgslHelper[];
}

export function helper(name: string, code: string, deps: readonly WgslHelper[] = []): WgslHelper {
  return { name, code: code.trim(), deps };
}

/** Collects the helpers an emission calls (dependencies included), each once. */
export class HelperSet {
  readonly used = new Set<WgslHelper>();

  use(h: WgslHelper): string {
    if (!this.used.has(h)) {
      for (const d of h.deps) this.use(d);
      this.used.add(h);
    }
    return h.name;
  }

  /** `name(args…)`, registering the helper. */
  call(h: WgslHelper, ...args: string[]): string {
    return `${this.use(h)}(${args.join(", ")})`;
  }

  definitions(): Set<string> {
    return new Set([...this.used].map((h) => h.code));
  }
}

/** The bits of a float32 value as a WGSL u32 literal. */
export function f32Bits(v: number): string {
  const f = new Float32Array([v]);
  return `0x${new Uint32Array(f.buffer)[0]!.toString(16).padStart(8, "0")}u`;
}

/** A WGSL f32 expression with exactly the float32 value nearest `v` (NaN and ±∞ included). */
export function f32Const(v: number): string {
  const f = Math.fround(v);
  if (Number.isFinite(f) && !Object.is(f, -0)) {
    // Integers and short fractions print exactly; anything else goes through its bits.
    const s = String(f);
    if (Math.fround(Number(s)) === f && s.length <= 12 && !s.includes("e")) return s.includes(".") ? s : `${s}.0`;
  }
  return `bitcast<f32>(${f32Bits(f)})`;
}

/** Launders a float through the opaque zero: the same value, invisible to algebraic rewrites. */
export const LAUNDER = helper(
  "gx_o",
  `
fn gx_o(x: f32, z: u32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ z); }`,
);

export const IS_NAN = helper(
  "gx_isnan",
  `
fn gx_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
);

/** ±∞ */
export const IS_INF = helper(
  "gx_isinf",
  `
fn gx_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`,
);

/** The magnitude of `x` with the sign bit of `s`. */
export const COPYSIGN = helper(
  "gx_copysign",
  `
fn gx_copysign(x: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(x) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}`,
);

/** 2^k for an integer k in [-126, 127] (a normal float32). */
export const POW2 = helper(
  "gx_pow2",
  `
fn gx_pow2(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }`,
);

/**
 * y·2^k rounded once, for |y| in [0.5, 4) (normal) and any k: the first product stays normal and
 * exact, only the second rounds (so results in the subnormal range round correctly, and beyond the
 * range they round to 0 or overflow to ±∞).
 */
export const SCALE = helper(
  "gx_scale",
  `
fn gx_scale(y: f32, k0: i32) -> f32 {
  let k = clamp(k0, -250, 254);
  if (k < -126) { return (y * gx_pow2(k + 126)) * gx_pow2(-126); }
  if (k > 127) { return (y * gx_pow2(127)) * gx_pow2(k - 127); }
  return y * gx_pow2(k);
}`,
  [POW2],
);

/**
 * Quiet NaN and +∞ (WGSL has no such literals, and a constant expression evaluating to one is a
 * shader-creation error: these bitcast a `let`, which is a run-time value). Helpers that use
 * INF or NAN list INF_NAN among their dependencies.
 */
export const INF_NAN = helper(
  "gx_inf",
  `
fn gx_inf() -> f32 { let b = 0x7f800000u; return bitcast<f32>(b); }
fn gx_nan() -> f32 { let b = 0x7fc00000u; return bitcast<f32>(b); }`,
);
export const INF = "gx_inf()";
export const NAN = "gx_nan()";
