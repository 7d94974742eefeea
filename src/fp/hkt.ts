/**
 * The pytree as an fp-ts higher-kinded type: `Tree<A>` is a pytree whose leaves are `A`, and the
 * URI below registers it in fp-ts's `URItoKind`, so `Kind<"graft/Tree", A>` (what the `Functor1`,
 * `Foldable1` and `Traversable1` instances of ./instances.ts are typed with) means `Tree<A>`.
 *
 * The augmented module is `fp-ts/HKT` (the declaration file fp-ts's own instances import). Runtime
 * values elsewhere in src/fp come from fp-ts's `lib/*.js` files: the directory form `fp-ts/Either`
 * does not resolve under Node's native ESM loader (ERR_UNSUPPORTED_DIR_IMPORT), `lib/*.js` does,
 * in ESM, CommonJS and bundlers alike, and carries the same types.
 */

/** The fp-ts URI of graft's pytree. */
export const URI = "graft/Tree";
/** The fp-ts URI of graft's pytree, as a type. */
export type URI = typeof URI;

/**
 * A pytree whose leaves are `A`: a leaf, `null`/`undefined`, a list of subtrees or a plain object of
 * subtrees (registered classes are pytrees too, but TypeScript cannot name them here).
 * The instances treat as leaves exactly what `tree.flatten` does, so `A` should be a leaf type
 * (graft arrays, numbers, strings …), not a list or plain object.
 */
export type Tree<A> = A | null | undefined | readonly Tree<A>[] | { readonly [key: string]: Tree<A> };

declare module "fp-ts/HKT" {
  interface URItoKind<A> {
    readonly [URI]: Tree<A>;
  }
}
