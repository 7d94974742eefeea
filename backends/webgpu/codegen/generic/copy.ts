/**
 * Shape-generic data movement (see common.ts): a strided copy, a fill and iota. Every dtype is one
 * 4-byte word on the device, so the copy and the fill move u32 words and serve every dtype with one
 * pipeline each (bits move unchanged: −0 and NaN payloads included).
 *
 * - COPY_SHADER, p = [n, rank, srcOffset, dstOffset, extents×rank, srcStrides×rank,
 *   dstStrides×rank]: element k (row-major over the extents) of `src` through its view goes to
 *   `dst` through its view. broadcast_in_dim, transpose, slice, rev (source views), pad and
 *   concatenate (destination views) are all this one copy.
 * - FILL_SHADER, p = [n, word]: the first n words of `dst` become `word`.
 * - iotaShader(dtype), p = [n, post, len]: out[i] = (i / post) % len converted as the reference
 *   converts an int32 index (expr.ts's index node).
 */
import type { DType } from "../../../../src/core/dtype.js";
import { emitWgslExpr, OPAQUE_ZERO } from "../expr.js";
import { wgslType } from "../kernel.js";
import { flatGenericModule, memoShader, PARAMS } from "./common.js";

const words = (name: string, access: "read" | "read_write") => ({ name, access, type: "u32" }) as const;

export const COPY_SHADER = flatGenericModule(
  [],
  [words("src", "read"), words("dst", "read_write"), PARAMS],
  "p[0]",
  `let rank = p[1];
var q = i;
var s = p[2];
var t = p[3];
for (var d = rank; d > 0u; d--) {
  let n = p[3u + d];
  let c = q % n;
  q /= n;
  s += c * p[3u + rank + d];
  t += c * p[3u + 2u * rank + d];
}
dst[t] = src[s];`,
);

export const FILL_SHADER = flatGenericModule([], [words("dst", "read_write"), PARAMS], "p[0]", "dst[i] = p[1];");

/** The iota shader writing `dtype` (one per dtype). */
export function iotaShader(dtype: DType): string {
  return memoShader(`iota|${dtype}`, () => {
    const expr = emitWgslExpr([{ kind: "index", dim: 0, dtype }], {
      loadInput: () => {
        throw new Error("internal error: an input in iota");
      },
      index: () => "(i / p[1]) % p[2]",
      opaqueZero: OPAQUE_ZERO,
    });
    return flatGenericModule(
      [...expr.helpers],
      [{ name: "out", access: "read_write", type: wgslType(dtype, "iota") }, PARAMS],
      "p[0]",
      `${expr.code}\nout[i] = ${expr.values[0]};`,
    );
  });
}
