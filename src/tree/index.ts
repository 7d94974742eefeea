/**
 * Pytrees (like `jax.tree_util`): nested plain objects, arrays, `null`/`undefined` and
 * registered classes, with everything else as leaves. Object keys are flattened in sorted order.
 */
import { auxEqual } from "./aux.js";
import { flatten, flattenWithPath, leaves, structure, unflatten } from "./flatten.js";
import { all, map, mapWith, mapWithPath, reduce } from "./map.js";
import { broadcastPrefix, flattenUpTo } from "./prefix.js";
import { isRegisteredPytreeNode, registerPytreeNode } from "./registry.js";
import { PyTreeDef } from "./treedef.js";

export type { FlattenOptions, IsLeaf, Leaf } from "./types.js";
export type { Constructor, PytreeNodeSpec } from "./registry.js";
export type { NodeKind } from "./treedef.js";
export { PyTreeDef } from "./treedef.js";
export { auxEqual, isPlainObject } from "./aux.js";
export { registerPytreeNode, isRegisteredPytreeNode } from "./registry.js";
export { flatten, flattenWithPath, leaves, structure, unflatten } from "./flatten.js";
export { map, mapWith, mapWithPath, reduce, all } from "./map.js";
export { flattenUpTo, broadcastPrefix } from "./prefix.js";

/**
 * Namespace object with the whole pytree API.
 * @example
 * tree.map((x: number) => x + 1, { a: 1 }); // { a: 2 }
 */
export const tree = Object.freeze({
  flatten,
  flattenWithPath,
  unflatten,
  leaves,
  structure,
  map,
  mapWith,
  mapWithPath,
  reduce,
  all,
  flattenUpTo,
  broadcastPrefix,
  registerPytreeNode,
  isRegisteredPytreeNode,
  auxEqual,
  PyTreeDef,
});
