// Small helpers shared by the combinators: frozen output pairs, optional params, and `np.where` selection over state trees.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import { castLike, checkSameStructure, freezeState } from "./base.js";

/** Deep-freezes a combinator's output pair. */
export const frozenPair = <U, S>(u: U, s: S): [U, S] => [freezeState(u), freezeState(s)];

/** `params` for an inner transformation: `null` (as some callers pass) means none. */
export const given = (params: unknown): boolean => params !== undefined && params !== null;

/** Selects, leaf by leaf, `a` where `cond` holds and `b` elsewhere (trees of the same structure). */
export function selectTree(op: string, cond: Array, a: unknown, b: unknown): unknown {
  checkSameStructure(op, "the new inner state", a, "the old inner state", b);
  return tree.map(
    (x: unknown, y: unknown) => {
      const yb = y as Array;
      return castLike(np.where(cond, x as Array, yb), yb);
    },
    a,
    b,
  );
}
