/** Mapping and reductions over pytree leaves. */
import { flatten, flattenWithPath, unflatten } from "./flatten.js";
import type { PyTreeDef } from "./treedef.js";
import type { FlattenOptions } from "./types.js";

type AnyFn = (...args: unknown[]) => unknown;

function flattenRest(
  fn: string,
  def: PyTreeDef,
  rest: readonly unknown[],
  options: FlattenOptions | undefined,
): unknown[][] {
  return rest.map((r, j) => {
    const [ls, d] = flatten(r, options);
    if (!d.equals(def))
      throw new Error(
        `${fn}: structure mismatch: ${def.toString()} vs ${d.toString()} ` +
          `(tree argument ${j + 2} must have the same structure as the first)`,
      );
    return ls;
  });
}

function mapImpl(
  fn: string,
  options: FlattenOptions | undefined,
  f: AnyFn,
  tree: unknown,
  rest: readonly unknown[],
): unknown {
  const [ls, def] = flatten(tree, options);
  const others = flattenRest(fn, def, rest, options);
  const out = ls.map((leaf, i) => f(leaf, ...others.map((o) => o[i])));
  return unflatten(def, out);
}

/**
 * Applies `f` to every leaf (and the matching leaves of `rest`, which must have the same structure).
 * Returns a new tree; the inputs are not mutated.
 * @example
 * map((x: number) => x * 2, { a: 1, b: [2, 3] }); // { a: 2, b: [4, 6] }
 * map((x: number, y: number) => x + y, [1, 2], [10, 20]); // [11, 22]
 */
export function map<T, L = unknown>(f: (leaf: L, ...rest: L[]) => L, tree: T, ...rest: readonly unknown[]): T;
export function map<L, R>(f: (leaf: L, ...rest: L[]) => R, tree: unknown, ...rest: readonly unknown[]): unknown;
export function map(
  f: (leaf: never, ...rest: never[]) => unknown,
  tree: unknown,
  ...rest: readonly unknown[]
): unknown {
  return mapImpl("tree.map", undefined, f as AnyFn, tree, rest);
}

/**
 * `map` with options (e.g. `isLeaf`, applied to every tree argument).
 * @example
 * mapWith({ isLeaf: (x) => x === null }, (x: number | null) => x ?? 0, [1, null]); // [1, 0]
 */
export function mapWith<T, L = unknown>(
  options: FlattenOptions,
  f: (leaf: L, ...rest: L[]) => L,
  tree: T,
  ...rest: readonly unknown[]
): T;
export function mapWith<L, R>(
  options: FlattenOptions,
  f: (leaf: L, ...rest: L[]) => R,
  tree: unknown,
  ...rest: readonly unknown[]
): unknown;
export function mapWith(
  options: FlattenOptions,
  f: (leaf: never, ...rest: never[]) => unknown,
  tree: unknown,
  ...rest: readonly unknown[]
): unknown {
  return mapImpl("tree.mapWith", options, f as AnyFn, tree, rest);
}

/**
 * Like `map`, but `f` also receives the leaf's path (`.a[0].b`; root leaf: `""`).
 * @example
 * mapWithPath((p: string, x: number) => `${p}=${x}`, { a: [1] }); // { a: [".a[0]=1"] }
 */
export function mapWithPath<T, L = unknown>(
  f: (path: string, leaf: L, ...rest: L[]) => L,
  tree: T,
  ...rest: readonly unknown[]
): T;
export function mapWithPath<L, R>(
  f: (path: string, leaf: L, ...rest: L[]) => R,
  tree: unknown,
  ...rest: readonly unknown[]
): unknown;
export function mapWithPath(
  f: (path: string, leaf: never, ...rest: never[]) => unknown,
  tree: unknown,
  ...rest: readonly unknown[]
): unknown {
  const [pl, def] = flattenWithPath(tree);
  const others = flattenRest("tree.mapWithPath", def, rest, undefined);
  const g = f as AnyFn;
  const out = pl.map(([p, leaf], i) => g(p, leaf, ...others.map((o) => o[i])));
  return unflatten(def, out);
}

/**
 * Folds the leaves left to right.
 * @example
 * reduce((acc: number, x: number) => acc + x, { a: 1, b: [2, 3] }, 0); // 6
 */
export function reduce<A, L = unknown>(
  f: (acc: A, leaf: L) => A,
  tree: unknown,
  initial: A,
  options?: FlattenOptions,
): A {
  let acc = initial;
  for (const leaf of flatten(tree, options)[0]) acc = f(acc, leaf as L);
  return acc;
}

/**
 * True when every leaf is truthy, or satisfies `predicate` when one is given (true for no leaves).
 * @example
 * all({ a: true, b: [1, "x"] }); // true
 * all([1, 2, 3], (x: number) => x > 1); // false
 */
export function all<L = unknown>(tree: unknown, predicate?: (leaf: L) => boolean, options?: FlattenOptions): boolean {
  for (const leaf of flatten(tree, options)[0]) if (predicate ? !predicate(leaf as L) : !leaf) return false;
  return true;
}
