/**
 * fp-ts type-class instances for pytrees (`Tree<A>`, see ./hkt.ts): `Functor`, `Foldable` and
 * `Traversable` over the leaves, in `tree.flatten` order (depth first, object keys sorted), with the
 * structure kept by `tree.unflatten`. Leaves are what `tree.flatten` calls leaves, plus fp-ts's tagged
 * values (Option, Either …), so a tree of Options can be sequenced. Laws hold when the mapped
 * functions return leaves: a function that returns a list or plain object grows the tree, as
 * `jax.tree.map` does (for the Array applicative, use `traverse`, whose results are not flattened).
 */
import type { Applicative } from "fp-ts/lib/Applicative.js";
import type { Foldable1 } from "fp-ts/lib/Foldable.js";
import type { Functor1 } from "fp-ts/lib/Functor.js";
import type { HKT } from "fp-ts/HKT";
import type { Monoid } from "fp-ts/lib/Monoid.js";
import type { Traversable1, Traverse1, Sequence1 } from "fp-ts/lib/Traversable.js";
import { flatten, unflatten } from "../tree/index.js";
import { type Tree, URI } from "./hkt.js";

/**
 * fp-ts's data types (Option, Either, These …) are objects with a string `_tag`: they are leaves,
 * never containers, so a tree of Options (what `sequence` takes) has the Options as its leaves.
 */
export const isTaggedValue = (x: unknown): boolean =>
  typeof x === "object" &&
  x !== null &&
  !globalThis.Array.isArray(x) &&
  typeof (x as { _tag?: unknown })._tag === "string";

/** A persistent list built back to front, so an applicative may reuse a prefix (Array, Option …). */
type Snoc<B> = { readonly init: Snoc<B>; readonly last: B } | null;

const snocToArray = <B>(list: Snoc<B>): B[] => {
  const out: B[] = [];
  for (let node = list; node !== null; node = node.init) out.push(node.last);
  return out.reverse();
};

/**
 * The pytree instance whose leaves are what `isLeaf` accepts, fp-ts's tagged values, and whatever
 * `tree.flatten` treats as a leaf (graft arrays, numbers, strings, functions …).
 * @example
 * const T = getTraversable((x) => x instanceof Date);
 * T.map({ at: new Date(0) }, (d: Date) => d.getTime()); // { at: 0 }
 */
export function getTraversable(isLeaf: (x: unknown) => boolean = () => false): Traversable1<URI> {
  if (typeof isLeaf !== "function")
    throw new TypeError(
      `fp.getTraversable: isLeaf must be a function, got ${isLeaf === null ? "null" : typeof isLeaf}`,
    );
  const options = { isLeaf: (x: unknown) => isTaggedValue(x) || isLeaf(x) };
  const leavesOf = <A>(fa: Tree<A>): A[] => flatten(fa, options)[0] as A[];

  const map_ = <A, B>(fa: Tree<A>, f: (a: A) => B): Tree<B> => {
    const [leaves, def] = flatten(fa, options);
    return unflatten<Tree<B>>(
      def,
      leaves.map((leaf) => f(leaf as A)),
    );
  };
  const reduce_ = <A, B>(fa: Tree<A>, b: B, f: (b: B, a: A) => B): B => leavesOf(fa).reduce(f, b);
  const reduceRight_ = <A, B>(fa: Tree<A>, b: B, f: (a: A, b: B) => B): B =>
    leavesOf(fa).reduceRight((acc, a) => f(a, acc), b);
  const foldMap_ =
    <M>(M: Monoid<M>) =>
    <A>(fa: Tree<A>, f: (a: A) => M): M =>
      leavesOf(fa).reduce((acc, a) => M.concat(acc, f(a)), M.empty);

  const traverse_: Traverse1<URI> =
    <F>(F: Applicative<F>) =>
    <A, B>(ta: Tree<A>, f: (a: A) => HKT<F, B>): HKT<F, Tree<B>> => {
      const [leaves, def] = flatten(ta, options);
      const collected = leaves.reduce<HKT<F, Snoc<B>>>(
        (acc, leaf) =>
          F.ap(
            F.map(
              acc,
              (init) =>
                (last: B): Snoc<B> => ({ init, last }),
            ),
            f(leaf as A),
          ),
        F.of<Snoc<B>>(null),
      );
      return F.map(collected, (list) => unflatten<Tree<B>>(def, snocToArray(list)));
    };
  const sequence_: Sequence1<URI> =
    <F>(F: Applicative<F>) =>
    <A>(ta: Tree<HKT<F, A>>): HKT<F, Tree<A>> =>
      traverse_(F)(ta, (fa) => fa);

  return {
    URI,
    map: map_,
    reduce: reduce_,
    foldMap: foldMap_,
    reduceRight: reduceRight_,
    traverse: traverse_,
    sequence: sequence_,
  };
}

/**
 * The pytree `Functor`, `Foldable` and `Traversable` instance (fp-ts's `Traversable1`).
 * @example
 * import * as O from "fp-ts/Option";
 * Traversable.traverse(O.Applicative)({ a: 1, b: [2] }, (x: number) => (x > 0 ? O.some(x) : O.none));
 * // some({ a: 1, b: [2] })
 */
export const Traversable: Traversable1<URI> = getTraversable();

/**
 * The pytree `Functor` (fp-ts's `Functor1`): `map` applies a function to every leaf.
 * @example
 * Functor.map({ w: 1, b: [2, 3] }, (x: number) => x * 10); // { b: [20, 30], w: 10 }
 */
export const Functor: Functor1<URI> = { URI, map: Traversable.map };

/**
 * The pytree `Foldable` (fp-ts's `Foldable1`): folds over the leaves in `tree.flatten` order.
 * @example
 * import * as N from "fp-ts/number";
 * Foldable.foldMap(N.MonoidSum)({ a: 1, b: [2, 3] }, (x: number) => x); // 6
 */
export const Foldable: Foldable1<URI> = {
  URI,
  reduce: Traversable.reduce,
  foldMap: Traversable.foldMap,
  reduceRight: Traversable.reduceRight,
};

/**
 * Pipeable `map` over the leaves of a pytree.
 * @example
 * pipe({ a: 1, b: [2] }, map((x: number) => x + 1)); // { a: 2, b: [3] }
 */
export const map =
  <A, B>(f: (a: A) => B) =>
  (fa: Tree<A>): Tree<B> =>
    Traversable.map(fa, f);

/**
 * Pipeable left fold over the leaves (in `tree.flatten` order).
 * @example
 * pipe({ b: 2, a: 1 }, reduce("", (s: string, x: number) => s + x)); // "12"
 */
export const reduce =
  <A, B>(b: B, f: (b: B, a: A) => B) =>
  (fa: Tree<A>): B =>
    Traversable.reduce(fa, b, f);

/**
 * Pipeable right fold over the leaves.
 * @example
 * pipe({ b: 2, a: 1 }, reduceRight("", (x: number, s: string) => s + x)); // "21"
 */
export const reduceRight =
  <A, B>(b: B, f: (a: A, b: B) => B) =>
  (fa: Tree<A>): B =>
    Traversable.reduceRight(fa, b, f);

/**
 * Pipeable `foldMap`: maps every leaf into a monoid and combines them.
 * @example
 * import * as N from "fp-ts/number";
 * pipe({ a: 1, b: [2, 3] }, foldMap(N.MonoidSum)((x: number) => x)); // 6
 */
export const foldMap =
  <M>(M: Monoid<M>) =>
  <A>(f: (a: A) => M) =>
  (fa: Tree<A>): M =>
    Traversable.foldMap(M)(fa, f);

/**
 * The leaves of a pytree as a list, in `tree.flatten` order (fp-ts's `toArray` for this Foldable).
 * @example
 * toArray({ b: [3], a: 1 }); // [1, 3]
 */
export const toArray = <A>(fa: Tree<A>): A[] => Traversable.reduce(fa, [] as A[], (out, a) => (out.push(a), out));

/**
 * The instance's `traverse`, data first: `traverse(Applicative)(tree, f)`. Every leaf's effect runs
 * in `tree.flatten` order and the results are put back in the tree's structure.
 * @example
 * import * as E from "fp-ts/Either";
 * traverse(E.Applicative)([1, 2], (x: number) => (x > 0 ? E.right(x) : E.left("negative"))); // right([1, 2])
 */
export const traverse: Traverse1<URI> = Traversable.traverse;

/**
 * The instance's `sequence`: a pytree of effects becomes an effect of a pytree.
 * @example
 * import * as O from "fp-ts/Option";
 * sequence(O.Applicative)({ a: O.some(1), b: O.some(2) }); // some({ a: 1, b: 2 })
 */
export const sequence: Sequence1<URI> = Traversable.sequence;
