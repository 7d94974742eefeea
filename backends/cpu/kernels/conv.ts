/**
 * conv_general_dilated in its fixed layout (lhs [N, C, ...spatial], rhs [O, I, ...window], out
 * [N / batchGroups, O, ...spatial out]). Dilation, padding and strides only decide which input
 * element each (output position, window position) pair reads, so that map is computed once as a
 * table of flat spatial offsets (-1 where the pair reads padding or a dilation hole); the loop
 * over batch and features then only multiplies and adds.
 */
import { allocate } from "../../../src/core/dtype.js";
import { sizeOf } from "../../../src/core/shape.js";
import type { Kernel } from "./kernel.js";

type ConvParams = Parameters<Kernel<"conv_general_dilated">>[3];

/** For each (output position, window position) pair, the flat input spatial offset it reads, or -1. */
function offsetTable(
  inSpatial: readonly number[],
  winSpatial: readonly number[],
  outSpatial: readonly number[],
  p: ConvParams,
): Int32Array {
  const nd = inSpatial.length;
  // Per dim: the input index read by (output index, window index), or -1.
  const perDim = inSpatial.map((inSize, d) => {
    const [outSize, win] = [outSpatial[d]!, winSpatial[d]!];
    const [lo] = p.padding[d]!;
    const [stride, lhsDil, rhsDil] = [p.windowStrides[d]!, p.lhsDilation[d]!, p.rhsDilation[d]!];
    const t = new Int32Array(outSize * win).fill(-1);
    for (let o = 0; o < outSize; o++)
      for (let k = 0; k < win; k++) {
        const pos = o * stride + k * rhsDil - lo; // in the dilated input
        if (pos < 0 || pos % lhsDil !== 0) continue;
        const i = pos / lhsDil;
        if (i < inSize) t[o * win + k] = i;
      }
    return t;
  });
  const outSize = sizeOf(outSpatial);
  const winSize = sizeOf(winSpatial);
  const table = new Int32Array(outSize * winSize);
  const oIdx = new Array<number>(nd).fill(0);
  for (let po = 0; po < outSize; po++) {
    const kIdx = new Array<number>(nd).fill(0);
    for (let pk = 0; pk < winSize; pk++) {
      let off = 0;
      for (let d = 0; d < nd; d++) {
        const i = perDim[d]![oIdx[d]! * winSpatial[d]! + kIdx[d]!]!;
        if (i < 0) {
          off = -1;
          break;
        }
        off = off * inSpatial[d]! + i;
      }
      table[po * winSize + pk] = off;
      for (let d = nd - 1; d >= 0 && ++kIdx[d]! === winSpatial[d]!; d--) kIdx[d] = 0;
    }
    for (let d = nd - 1; d >= 0 && ++oIdx[d]! === outSpatial[d]!; d--) oIdx[d] = 0;
  }
  return table;
}

/**
 * Per (output batch, group): gathers the group's input patches into rows [outSize, I * winSize]
 * (im2col), then each output is a dot product of a patch row with a contiguous kernel row, so the
 * innermost loop reads two contiguous arrays and does no index arithmetic.
 */
export const convGeneralDilated: Kernel<"conv_general_dilated"> = ([lhs, rhs], [lShape, rShape], _dt, p, out) => {
  const C = lShape[1]!;
  const [O, I] = [rShape[0]!, rShape[1]!];
  const inSpatial = lShape.slice(2);
  const winSpatial = rShape.slice(2);
  const outSpatial = out.shape.slice(2);
  const [inSize, winSize, outSize] = [sizeOf(inSpatial), sizeOf(winSpatial), sizeOf(outSpatial)];
  const table = offsetTable(inSpatial, winSpatial, outSpatial, p);
  const outN = out.shape[0]!;
  const [fg, bg] = [p.featureGroupCount, p.batchGroupCount];
  const groups = Math.max(fg, bg); // at most one of them exceeds 1
  const oPerGroup = O / groups;
  const K = I * winSize;
  const result = allocate(out.dtype, outN * O * outSize);
  const patches = new Float64Array(outSize * K);
  const weights = Float64Array.from(rhs as ArrayLike<number>);
  for (let n = 0; n < outN; n++)
    for (let g = 0; g < groups; g++) {
      const lhsN = bg > 1 ? g * outN + n : n;
      const cBase = fg > 1 ? g * I : 0;
      for (let i = 0; i < I; i++) {
        const lBase = (lhsN * C + cBase + i) * inSize;
        for (let po = 0; po < outSize; po++) {
          const row = po * K + i * winSize;
          const tBase = po * winSize;
          for (let pk = 0; pk < winSize; pk++) {
            const off = table[tBase + pk]!;
            patches[row + pk] = off >= 0 ? (lhs[lBase + off] as number) : 0;
          }
        }
      }
      const oEnd = (g + 1) * oPerGroup;
      let o = g * oPerGroup;
      // Four output features per pass share each patch load.
      for (; o + 3 < oEnd; o += 4) {
        const [w0, w1, w2, w3] = [o * K, (o + 1) * K, (o + 2) * K, (o + 3) * K];
        const outBase = (n * O + o) * outSize;
        for (let po = 0; po < outSize; po++) {
          const pBase = po * K;
          let [s0, s1, s2, s3] = [0, 0, 0, 0];
          for (let k = 0; k < K; k++) {
            const v = patches[pBase + k]!;
            s0 += v * weights[w0 + k]!;
            s1 += v * weights[w1 + k]!;
            s2 += v * weights[w2 + k]!;
            s3 += v * weights[w3 + k]!;
          }
          result[outBase + po] = s0;
          result[outBase + outSize + po] = s1;
          result[outBase + 2 * outSize + po] = s2;
          result[outBase + 3 * outSize + po] = s3;
        }
      }
      for (; o < oEnd; o++) {
        const wBase = o * K;
        const outBase = (n * O + o) * outSize;
        for (let po = 0; po < outSize; po++) {
          const pBase = po * K;
          let s = 0;
          for (let k = 0; k < K; k++) s += patches[pBase + k]! * weights[wBase + k]!;
          result[outBase + po] = s;
        }
      }
    }
  return result;
};
