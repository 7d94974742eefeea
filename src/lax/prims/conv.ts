/**
 * conv_general_dilated: XLA's convolution in a fixed layout (lhs [N, C, ...], rhs [O, I, ...], out
 * [N, O, ...]). It is bilinear, and as in JAX both transposes are convolutions again (the lhs one
 * with the window reversed and strides turned into lhs dilation), so gradients of gradients stay
 * convolutions.
 */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { shapeStr } from "../../core/shape.js";
import { bind1, Zero } from "../../core/trace.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";

/** The primitive's params. */
export type ConvParams = PrimParams["conv_general_dilated"];

/** Binds conv_general_dilated (operands already in the fixed layout). */
export const convFixed = (lhs: Array, rhs: Array, p: ConvParams): Array => bind1("conv_general_dilated", [lhs, rhs], p);

/** Size of a dimension with `dilation - 1` holes between its elements. */
export const dilateDim = (n: number, dilation: number): number => (n === 0 ? 0 : 1 + dilation * (n - 1));

/** Output spatial sizes: windows of the dilated rhs over the dilated, padded lhs, at the strides. */
export function convOutSpatial(
  inSpatial: readonly number[],
  winSpatial: readonly number[],
  p: Pick<ConvParams, "windowStrides" | "padding" | "lhsDilation" | "rhsDilation">,
): number[] {
  return inSpatial.map((n, d) => {
    const padded = dilateDim(n, p.lhsDilation[d]!) + p.padding[d]![0] + p.padding[d]![1];
    const win = dilateDim(winSpatial[d]!, p.rhsDilation[d]!);
    return padded < win || win === 0 ? 0 : Math.floor((padded - win) / p.windowStrides[d]!) + 1;
  });
}

function convAval(a: ShapedArray, b: ShapedArray, p: ConvParams): ShapedArray {
  const fail = (why: string, fix: string): never => {
    throw new Error(
      `conv_general_dilated: ${why} (lhs ${a.dtype}${shapeStr(a.shape)}, rhs ${b.dtype}${shapeStr(b.shape)}); ${fix}`,
    );
  };
  if (a.dtype !== b.dtype) fail("operands must share a dtype", "cast one operand");
  if (a.dtype === "bool") fail("bool operands are not supported", "convert them to a number dtype first");
  if (a.ndim < 2 || a.ndim !== b.ndim)
    fail("lhs and rhs need the same rank, at least 2 (batch and feature dims)", "reshape the operands");
  const ns = a.ndim - 2;
  const lists: [string, readonly unknown[]][] = [
    ["windowStrides", p.windowStrides],
    ["padding", p.padding],
    ["lhsDilation", p.lhsDilation],
    ["rhsDilation", p.rhsDilation],
  ];
  for (const [name, list] of lists)
    if (list.length !== ns)
      fail(`${name} has ${list.length} entries for ${ns} spatial dims`, "give one per spatial dim");
  const positive = (xs: readonly number[]) => xs.every((x) => Number.isInteger(x) && x >= 1);
  if (!positive(p.windowStrides) || !positive(p.lhsDilation) || !positive(p.rhsDilation))
    fail("strides and dilations must be integers >= 1", "pass positive integers");
  if (!p.padding.every((pr) => pr.length === 2 && pr.every((x) => Number.isInteger(x))))
    fail("padding must be [lo, hi] integer pairs", "pass one [lo, hi] pair per spatial dim");
  const [fg, bg] = [p.featureGroupCount, p.batchGroupCount];
  if (!positive([fg, bg])) fail("group counts must be integers >= 1", "pass positive integers");
  if (fg > 1 && bg > 1) fail("featureGroupCount and batchGroupCount cannot both exceed 1", "use one kind of grouping");
  const [N, C, O, I] = [a.shape[0]!, a.shape[1]!, b.shape[0]!, b.shape[1]!];
  if (C !== I * fg)
    fail(`lhs features (${C}) must equal rhs input features (${I}) × featureGroupCount (${fg})`, "fix the shapes");
  if (O % fg !== 0) fail(`rhs output features (${O}) must be divisible by featureGroupCount (${fg})`, "fix the shapes");
  if (N % bg !== 0 || O % bg !== 0)
    fail(
      `lhs batch (${N}) and rhs output features (${O}) must be divisible by batchGroupCount (${bg})`,
      "fix the shapes",
    );
  const spatial = convOutSpatial(a.shape.slice(2), b.shape.slice(2), p);
  return new ShapedArray([N / bg, O, ...spatial], a.dtype, a.weakType && b.weakType);
}

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** Moves axis `src` next to (before) axis `dst` of the remaining array and merges the two (JAX's _reshape_axis_into). */
export function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] = shape[dst]! * x.shape[src]!;
  return L.reshape(L.transpose(x, perm), shape);
}

/** Splits axis `src` into (size1, rest) (JAX's _reshape_axis_out_of). */
export function reshapeAxisOutOf(src: number, size1: number, x: Array): Array {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, x.shape[src]! / size1);
  return L.reshape(x, shape);
}

const swap01 = (x: Array): Array => L.transpose(x, [1, 0, ...range(x.ndim - 2).map((i) => i + 2)]);
const spatialAxes = (x: { ndim: number }): number[] => range(x.ndim - 2).map((i) => i + 2);

/** Cotangent of the lhs: a convolution of ct with the reversed, feature-swapped rhs (JAX's transpose_lhs). */
function transposeLhs(ct: Array, rhs: Array, lhsAval: ShapedArray, p: ConvParams): Array {
  let w = rhs;
  let fg = p.featureGroupCount;
  const bg = p.batchGroupCount;
  const G = fg > 1 ? fg : bg;
  if (G > 1) {
    w = reshapeAxisOutOf(0, G, w);
    w = reshapeAxisInto(0, 1, w);
    fg = G;
  }
  const inSp = lhsAval.shape.slice(2);
  const winSp = w.shape.slice(2);
  const outSp = ct.shape.slice(2);
  const padding = inSp.map((n, d): [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[d]!);
    const rhsD = dilateDim(winSp[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(outSp[d]!, p.windowStrides[d]!);
    const before = rhsD - p.padding[d]![0] - 1;
    return [before, lhsD + rhsD - 1 - outD - before];
  });
  const reversed = bind1("rev", [swap01(w)], { axes: spatialAxes(w) });
  let out = convFixed(ct, reversed, {
    windowStrides: [...p.lhsDilation],
    padding,
    lhsDilation: [...p.windowStrides],
    rhsDilation: [...p.rhsDilation],
    featureGroupCount: fg,
    batchGroupCount: 1,
  });
  if (bg > 1) {
    out = reshapeAxisOutOf(1, bg, out);
    out = reshapeAxisInto(1, 0, out);
  }
  return out;
}

/** Cotangent of the rhs: a convolution of the lhs with ct, batch and feature dims swapped (JAX's transpose_rhs). */
function transposeRhs(ct: Array, lhs: Array, rhsAval: ShapedArray, p: ConvParams): Array {
  if (ct.size === 0) return L.zerosOf(rhsAval);
  const [fg, bg] =
    p.batchGroupCount > 1 ? [p.batchGroupCount, 1] : p.featureGroupCount > 1 ? [1, p.featureGroupCount] : [1, 1];
  const inSp = lhs.shape.slice(2);
  const winSp = rhsAval.shape.slice(2);
  const outSp = ct.shape.slice(2);
  const padding = inSp.map((n, d): [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[d]!);
    const rhsD = dilateDim(winSp[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(outSp[d]!, p.windowStrides[d]!);
    const lo = p.padding[d]![0];
    return [lo, outD - lhsD + (rhsD - lo - 1)];
  });
  const out = convFixed(swap01(lhs), swap01(ct), {
    windowStrides: [...p.rhsDilation],
    padding,
    lhsDilation: [...p.lhsDilation],
    rhsDilation: [...p.windowStrides],
    featureGroupCount: fg,
    batchGroupCount: bg,
  });
  return swap01(out);
}

type Batched = [Array[], (number | null)[]];

function batchRule(lhs: Array, rhs: Array, ld: number | null, rd: number | null, p: ConvParams): Batched {
  if (ld !== null && rd !== null) {
    const x = L.moveAxis(lhs, ld, 0);
    const B = x.shape[0]!;
    const grouped = p.batchGroupCount > 1;
    const newLhs = reshapeAxisInto(0, grouped ? 0 : 1, x);
    const newRhs = reshapeAxisInto(0, 0, L.moveAxis(rhs, rd, 0));
    const q = grouped
      ? { ...p, batchGroupCount: p.batchGroupCount * B }
      : { ...p, featureGroupCount: p.featureGroupCount * B };
    return [[reshapeAxisOutOf(1, B, convFixed(newLhs, newRhs, q))], [1]];
  }
  if (ld !== null) {
    const x = L.moveAxis(lhs, ld, 0);
    const B = x.shape[0]!;
    const bg = p.batchGroupCount;
    // Batch groups must stay outermost in the lhs batch dim: fold B in inside each group.
    const newLhs =
      bg === 1 ? reshapeAxisInto(0, 0, x) : reshapeAxisInto(0, 0, reshapeAxisInto(0, 1, reshapeAxisOutOf(1, bg, x)));
    return [[reshapeAxisOutOf(0, B, convFixed(newLhs, rhs, p))], [0]];
  }
  if (rd === null) throw new Error("internal error: conv_general_dilated's batching rule ran with no batched operand");
  const w = L.moveAxis(rhs, rd, 0);
  const B = w.shape[0]!;
  if (p.featureGroupCount === 1 && p.batchGroupCount === 1)
    return [[reshapeAxisOutOf(1, B, convFixed(lhs, reshapeAxisInto(0, 0, w), p))], [1]];
  // Groups must stay outermost in the rhs output-feature dim: fold B in inside each group.
  const G = p.featureGroupCount > 1 ? p.featureGroupCount : p.batchGroupCount;
  const newRhs = reshapeAxisInto(0, 0, reshapeAxisInto(0, 1, reshapeAxisOutOf(1, G, w)));
  let out = convFixed(lhs, newRhs, p);
  out = reshapeAxisOutOf(2, B, reshapeAxisOutOf(1, G, out));
  return [[reshapeAxisInto(1, 2, out)], [1]];
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerConv(): void {
  defPrimitive("conv_general_dilated", {
    abstractEval: ([a, b], p) => [convAval(a, b, p)],
    jvp: ([a, b], [ta, tb], p) => {
      const out = convFixed(a, b, p);
      const da: Tangent = ta instanceof Zero ? ta : convFixed(ta, b, p);
      const db: Tangent = tb instanceof Zero ? tb : convFixed(a, tb, p);
      const t = L.addTangents(da, db);
      return [[out], [t instanceof Zero ? new Zero(out.aval) : t]];
    },
    transpose: ([ct], [a, b], p) => {
      if (a instanceof LinearIn && b instanceof LinearIn)
        throw new Error("transpose: conv_general_dilated is not linear in both operands at once");
      if (ct instanceof Zero)
        return [a instanceof LinearIn ? new Zero(a.aval) : null, b instanceof LinearIn ? new Zero(b.aval) : null];
      if (a instanceof LinearIn) return [transposeLhs(ct, b as Array, a.aval, p), null];
      return [null, transposeRhs(ct, a as Array, (b as LinearIn).aval, p)];
    },
    batch: ([a, b], [da, db], p) => batchRule(a, b, da, db, p),
  });
}
