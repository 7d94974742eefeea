/** Joining, splitting, tiling, padding and flipping arrays. (Being written.) */
import type { Array } from "../core/array.js";

export function flip(x: Array, _axis?: number | readonly number[] | null): Array {
  throw new Error(`flip: not implemented yet (${x.shape})`);
}
