/** The `debugNans` check: names the first primitive that turned NaN-free inputs into a NaN. */
import type { BufferInfo } from "./backend.js";
import { isFloat, type TypedArray } from "./dtype.js";

const hasNan = (b: TypedArray): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== b[i]) return true;
  return false;
};

export function checkNans(
  prim: string,
  ins: readonly TypedArray[],
  inInfo: readonly BufferInfo[],
  out: TypedArray,
  outInfo: BufferInfo,
): void {
  if (!isFloat(outInfo.dtype) || !hasNan(out)) return;
  if (ins.some(hasNan)) return;
  const shapes = inInfo.map((i) => `${i.dtype}[${i.shape.join(",")}]`).join(", ");
  throw new Error(
    `debugNans: primitive '${prim}' produced a NaN from NaN-free inputs (${shapes}) → ${outInfo.dtype}[${outInfo.shape.join(",")}]`,
  );
}
