/** Iteration over an array's leading axis (the `Symbol.iterator` of every Array). */
import type { Array } from "./array.js";

/** The rows of an array along its leading axis (`this` is the array). */
export function* rowsOf(this: Array): Iterator<Array> {
  for (let i = 0; i < this.shape[0]!; i++) yield this.get(i);
}
