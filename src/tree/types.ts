/** Shared types of the pytree module. */

/**
 * A leaf of a pytree: any value that is not a container (plain object, array,
 * `null`, `undefined`) and not an instance of a registered class.
 * It is `unknown` on purpose; callers narrow it.
 */
export type Leaf = unknown;

/** Predicate that stops descent: when it returns true the value is treated as a leaf. */
export type IsLeaf = (x: unknown) => boolean;

/** Options accepted by the flattening functions. */
export interface FlattenOptions {
  /** Checked before anything else (even for `null` and `undefined`); true makes the value a leaf. */
  readonly isLeaf?: IsLeaf;
}
