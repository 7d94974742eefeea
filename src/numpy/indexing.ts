/** Indexing: NumPy-style get, pure `.at[...]` updates, take, takeAlongAxis, dynamic slices. (Being written.) */
import type { Array } from "../core/array.js";

/** One entry of an index: an integer, a slice, null (new axis), "..." (ellipsis) or an integer array. */
export type IndexSpec = number | Slice | null | "..." | Array | readonly number[] | string;

export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

export interface IndexUpdater {
  get(): Array;
  set(v: Array | number): Array;
  add(v: Array | number): Array;
}

export function getIndex(x: Array, _index: readonly IndexSpec[]): Array {
  throw new Error(`getIndex: not implemented yet (${x.shape})`);
}
export function at(x: Array, ..._index: IndexSpec[]): IndexUpdater {
  throw new Error(`at: not implemented yet (${x.shape})`);
}
export function take(x: Array, _indices: Array | readonly number[], _axis?: number): Array {
  throw new Error(`take: not implemented yet (${x.shape})`);
}
