/** Stable argsort along one axis: each vector's indices sorted by key, ties by position, NaN last. */
import type { Kernel } from "./kernel.js";

export const argsort: Kernel<"argsort"> = ([x], [shape], _dtypes, { axis }) => {
  const dims = shape;
  const n = dims[axis]!;
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i]!;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const out = new Int32Array(outer * n * inner);
  const order = new Array<number>(n);
  const keys = new Float64Array(n);
  const cmp = (a: number, b: number): number => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (ka < kb) return -1;
    if (ka > kb) return 1;
    const na = ka !== ka;
    const nb = kb !== kb;
    if (na !== nb) return na ? 1 : -1;
    return a - b;
  };
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let k = 0; k < n; k++) {
        order[k] = k;
        keys[k] = x[base + k * inner]!;
      }
      order.sort(cmp);
      for (let k = 0; k < n; k++) out[base + k * inner] = order[k]!;
    }
  return out;
};
