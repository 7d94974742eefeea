/** `lax.convGeneralDilated` and `lax.conv`: JAX's convolutions over any layout, on the conv_general_dilated primitive. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import * as L from "../core/ops.js";
import { convFixed, dilateDim } from "./prims/conv.js";

/** Padding: a JAX padding string, or one [lo, hi] pair per spatial dim (negative pads crop). */
export type ConvPadding = "SAME" | "SAME_LOWER" | "VALID" | readonly (readonly [number, number])[];

/**
 * Which axes hold batch/feature/spatial dims: three layout strings (`["NHWC", "HWIO", "NHWC"]`;
 * N batch, C feature, O/I output/input feature, any other letters spatial, matched by letter
 * between the three), or three axis lists `[batch or out-feature, feature or in-feature, ...spatial]`.
 */
export type ConvDimensionNumbers =
  | readonly [lhs: string, rhs: string, out: string]
  | { readonly lhsSpec: readonly number[]; readonly rhsSpec: readonly number[]; readonly outSpec: readonly number[] };

export interface ConvGeneralDilatedOptions {
  /** Dilation of the input (zeros between elements; a transposed convolution's stride). Default 1s. */
  lhsDilation?: readonly number[];
  /** Dilation of the kernel (atrous convolution). Default 1s. */
  rhsDilation?: readonly number[];
  /** Layouts (default NCHW / OIHW / NCHW for any rank). */
  dimensionNumbers?: ConvDimensionNumbers;
  /** Input features split into this many groups, each with its own output features (default 1). */
  featureGroupCount?: number;
  /** Input batch split into this many groups, each with its own output features (default 1). */
  batchGroupCount?: number;
}

const OP = "convGeneralDilated";
const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** Axis permutations that take each operand (and the result) to the fixed [N, C, ...spatial] layout. */
function layoutPerms(dn: ConvDimensionNumbers | undefined, ndim: number): [number[], number[], number[]] {
  if (dn === undefined) return [range(ndim), range(ndim), range(ndim)];
  if (!globalThis.Array.isArray(dn)) {
    const { lhsSpec, rhsSpec, outSpec } = dn as Exclude<ConvDimensionNumbers, readonly string[]>;
    for (const [name, spec] of [
      ["lhsSpec", lhsSpec],
      ["rhsSpec", rhsSpec],
      ["outSpec", outSpec],
    ] as const) {
      const sorted = [...spec].sort((a, b) => a - b);
      if (spec.length !== ndim || !sorted.every((v, i) => v === i))
        throw new Error(
          `${OP}: dimensionNumbers.${name} must be a permutation of 0..${ndim - 1}, got [${spec.join(", ")}]`,
        );
    }
    return [[...lhsSpec], [...rhsSpec], [...outSpec]];
  }
  const [lhs, rhs, out] = dn as readonly [string, string, string];
  const check = (name: string, s: string, a: string, b: string): void => {
    const unique = new Set(s).size === s.length;
    if (s.length !== ndim || !unique || !s.includes(a) || !s.includes(b))
      throw new Error(
        `${OP}: the ${name} layout '${s}' must have ${ndim} distinct letters including '${a}' and '${b}' (like ${name === "rhs" ? "'HWIO'" : "'NHWC'"})`,
      );
  };
  check("lhs", lhs, "N", "C");
  check("rhs", rhs, "O", "I");
  check("out", out, "N", "C");
  const spatial = [...rhs].filter((c) => c !== "O" && c !== "I");
  const perm = (s: string, a: string, b: string): number[] => {
    const sp = spatial.map((c) => s.indexOf(c));
    if (sp.some((i) => i < 0 || s[i] === a || s[i] === b))
      throw new Error(`${OP}: layouts '${lhs}', '${rhs}', '${out}' must name the same spatial letters`);
    return [s.indexOf(a), s.indexOf(b), ...sp];
  };
  return [perm(lhs, "N", "C"), perm(rhs, "O", "I"), perm(out, "N", "C")];
}

/** JAX's padtype_to_pads: explicit pads for a padding string. */
export function paddingPairs(
  op: string,
  padding: ConvPadding,
  inSpatial: readonly number[],
  winSpatial: readonly number[],
  strides: readonly number[],
): [number, number][] {
  if (typeof padding !== "string") {
    if (padding.length !== inSpatial.length || !padding.every((p) => p.length === 2 && p.every(Number.isInteger)))
      throw new Error(
        `${op}: padding needs one [lo, hi] integer pair per spatial dim (${inSpatial.length}), got ${JSON.stringify(padding)}`,
      );
    return padding.map(([lo, hi]) => [lo, hi]);
  }
  if (padding === "VALID") return inSpatial.map(() => [0, 0]);
  if (padding !== "SAME" && padding !== "SAME_LOWER")
    throw new Error(`${op}: padding must be 'SAME', 'SAME_LOWER', 'VALID' or [lo, hi] pairs, got '${String(padding)}'`);
  return inSpatial.map((n, d) => {
    const s = strides[d]!;
    const total = Math.max((Math.ceil(n / s) - 1) * s + winSpatial[d]! - n, 0);
    const small = Math.floor(total / 2);
    return padding === "SAME" ? [small, total - small] : [total - small, small];
  });
}

const inverse = (perm: readonly number[]): number[] => {
  const inv = new globalThis.Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
};

/**
 * General dilated convolution (XLA's ConvGeneralDilated, JAX's `lax.conv_general_dilated`):
 * correlates `lhs` with `rhs` at `windowStrides` after `padding`, with optional input/kernel
 * dilation, layouts and feature/batch groups. Operands share a dtype. Differentiable in both
 * operands; its gradients are convolutions.
 *
 * @example
 * const x = np.ones([1, 5, 5, 1]); // NHWC
 * const w = np.ones([3, 3, 1, 2]); // HWIO
 * lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }).shape; // [1, 5, 5, 2]
 */
export function convGeneralDilated(
  lhs: ArrayOrScalar,
  rhs: ArrayOrScalar,
  windowStrides: readonly number[],
  padding: ConvPadding,
  opts: ConvGeneralDilatedOptions = {},
): Array {
  checkOptions(OP, opts, ["lhsDilation", "rhsDilation", "dimensionNumbers", "featureGroupCount", "batchGroupCount"]);
  const a = asArray(lhs, OP);
  const b = asArray(rhs, OP);
  if (a.ndim < 2 || a.ndim !== b.ndim)
    throw new Error(
      `${OP}: lhs and rhs need the same rank, at least 2 (got ranks ${a.ndim} and ${b.ndim}); add batch and feature axes`,
    );
  const ns = a.ndim - 2;
  const [lp, rp, op] = layoutPerms(opts.dimensionNumbers, a.ndim);
  const x = L.transpose(a, lp);
  const w = L.transpose(b, rp);
  const ones = range(ns).map(() => 1);
  const rhsDilation = [...(opts.rhsDilation ?? ones)];
  if (windowStrides.length !== ns || rhsDilation.length !== ns)
    throw new Error(
      `${OP}: windowStrides and rhsDilation need one entry per spatial dim (${ns}), got [${windowStrides.join(", ")}] and [${rhsDilation.join(", ")}]`,
    );
  const lhsDilation = [...(opts.lhsDilation ?? ones)];
  if (typeof padding === "string" && lhsDilation.some((d) => d !== 1))
    throw new Error(
      `${OP}: string padding ('${padding}') is not defined with lhsDilation [${lhsDilation.join(", ")}] (as in JAX); pass explicit [lo, hi] pairs`,
    );
  const winSpatial = w.shape.slice(2).map((k, d) => dilateDim(k, rhsDilation[d]!));
  const out = convFixed(x, w, {
    windowStrides: [...windowStrides],
    padding: paddingPairs(OP, padding, x.shape.slice(2), winSpatial, windowStrides),
    lhsDilation,
    rhsDilation,
    featureGroupCount: opts.featureGroupCount ?? 1,
    batchGroupCount: opts.batchGroupCount ?? 1,
  });
  return L.transpose(out, inverse(op));
}

/**
 * Plain convolution in NCHW / OIHW layout (JAX's `lax.conv`).
 *
 * @example
 * lax.conv(np.ones([1, 1, 4, 4]), np.ones([1, 1, 2, 2]), [1, 1], "VALID").shape; // [1, 1, 3, 3]
 */
export function conv(
  lhs: ArrayOrScalar,
  rhs: ArrayOrScalar,
  windowStrides: readonly number[],
  padding: ConvPadding,
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding);
}
