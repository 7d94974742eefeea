/** Matching a prefix structure against a full tree (for `vmap`'s `inAxes` and similar). */
import { auxKey, isPlainObject, pathKey } from "./aux.js";
import { checkFlattenOptions, flatten, ownValue, sortedKeys, structure } from "./flatten.js";
import { lookupNode } from "./registry.js";
import { customEntry, type PyTreeDef } from "./treedef.js";
import type { FlattenOptions, IsLeaf } from "./types.js";

function describe(x: unknown, isLeaf: IsLeaf | undefined): string {
  if (isLeaf?.(x)) return "a leaf";
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  const e = lookupNode(x);
  if (e) return `a ${e.name} node`;
  if (isPlainObject(x)) return `an object with keys [${sortedKeys(x).join(", ")}]`;
  return "a leaf";
}

function expected(d: PyTreeDef): string {
  switch (d.kind) {
    case "null":
      return "null";
    case "undefined":
      return "undefined";
    case "array":
      return `an array of length ${d.children.length}`;
    case "object":
      return `an object with keys [${d.keys.join(", ")}]`;
    case "custom":
      return `a ${customEntry(d).name} node with ${d.children.length} children`;
    case "leaf":
      return "a leaf";
  }
}

/**
 * Returns the subtrees of `tree` that correspond to each leaf of `prefix` (in leaf order).
 * `prefix` must be a prefix of `tree`'s structure; the error names both structures and the path.
 * @example
 * flattenUpTo(structure({ a: 0, b: 0 }), { a: [1, 2], b: 3 }); // [[1, 2], 3]
 */
export function flattenUpTo(prefix: PyTreeDef, tree: unknown, options?: FlattenOptions): unknown[] {
  return upTo("tree.flattenUpTo", prefix, tree, options);
}

function upTo(fn: string, prefix: PyTreeDef, tree: unknown, options: FlattenOptions | undefined): unknown[] {
  if (options !== undefined) checkFlattenOptions(fn, options);
  const out: unknown[] = [];
  const isLeaf = options?.isLeaf;
  const fail = (path: string, d: PyTreeDef, x: unknown, detail?: string): never => {
    let treeStr: string;
    try {
      treeStr = structure(tree, options).toString();
    } catch {
      treeStr = "<unprintable>";
    }
    throw new Error(
      `${fn}: prefix structure ${prefix.toString()} does not match tree structure ${treeStr}: ` +
        `at ${path === "" ? "the root" : path}, expected ${expected(d)}, got ${detail ?? describe(x, isLeaf)}`,
    );
  };
  const go = (d: PyTreeDef, x: unknown, path: string): void => {
    if (d.kind === "leaf") {
      out.push(x);
      return;
    }
    if (isLeaf?.(x)) throw fail(path, d, x, "a leaf");
    switch (d.kind) {
      case "null":
        if (x !== null) fail(path, d, x);
        return;
      case "undefined":
        if (x !== undefined) fail(path, d, x);
        return;
      case "array":
        if (!Array.isArray(x) || x.length !== d.children.length) throw fail(path, d, x);
        d.children.forEach((c, i) => go(c, x[i], `${path}[${i}]`));
        return;
      case "object": {
        if (!isPlainObject(x) || lookupNode(x) !== undefined) throw fail(path, d, x);
        const keys = sortedKeys(x);
        if (keys.length !== d.keys.length || keys.some((k, i) => k !== d.keys[i])) throw fail(path, d, x);
        d.children.forEach((c, i) => go(c, ownValue(x, keys[i]!), path + pathKey(keys[i]!)));
        return;
      }
      case "custom": {
        const e = lookupNode(x);
        if (e === undefined || e !== d.entry) throw fail(path, d, x);
        const [kids, aux] = e.flatten(x as object);
        if (auxKey(aux) !== auxKey(d.auxData)) throw fail(path, d, x, `a ${e.name} node with different aux data`);
        if (kids.length !== d.children.length) throw fail(path, d, x, `a ${e.name} node with ${kids.length} children`);
        d.children.forEach((c, i) => go(c, kids[i], `${path}[${i}]`));
        return;
      }
    }
  };
  go(prefix, tree, "");
  return out;
}

/**
 * Broadcasts each leaf of `prefix` over the whole matching subtree of `tree`; returns one value
 * per leaf of `tree` (aligned with `leaves(tree, treeOptions)`). `isLeaf` applies to the prefix,
 * e.g. `(x) => x === null` so that `null` means "unmapped" instead of an empty container.
 * @example
 * broadcastPrefix({ a: 0, b: null }, { a: [1, 2], b: 3 }, (x) => x === null); // [0, 0, null]
 */
export function broadcastPrefix(
  prefix: unknown,
  tree: unknown,
  isLeaf?: IsLeaf,
  treeOptions?: FlattenOptions,
): unknown[] {
  const [prefixLeaves, prefixDef] = flatten(prefix, isLeaf ? { isLeaf } : undefined);
  const subtrees = upTo("tree.broadcastPrefix", prefixDef, tree, treeOptions);
  const out: unknown[] = [];
  subtrees.forEach((sub, i) => {
    const n = flatten(sub, treeOptions)[0].length;
    for (let j = 0; j < n; j++) out.push(prefixLeaves[i]);
  });
  return out;
}
