/** Flattening and unflattening of pytrees. */
import { isPlainObject, pathKey } from "./aux.js";
import { lookupNode } from "./registry.js";
import { customEntry, PyTreeDef } from "./treedef.js";
import type { FlattenOptions, IsLeaf } from "./types.js";

/** Own enumerable string keys in sorted (UTF-16 code unit) order. */
export function sortedKeys(x: object): string[] {
  return Object.keys(x).sort();
}

/** Reads an own data/accessor property without ever touching the prototype chain. */
export function ownValue(x: object, k: string): unknown {
  return Object.hasOwn(x, k) ? (x as Record<string, unknown>)[k] : undefined;
}

/** Builds a plain object (prototype `Object.prototype`) whose keys are all own data properties, `__proto__` included. */
export function makeObject(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++)
    Object.defineProperty(out, keys[i]!, { value: values[i], writable: true, enumerable: true, configurable: true });
  return out;
}

interface Walker {
  readonly isLeaf: IsLeaf | undefined;
  readonly active: Set<object>;
  readonly fn: string;
}

function enter(w: Walker, x: object): void {
  if (w.active.has(x)) throw new TypeError(`${w.fn}: the tree contains a cycle`);
  w.active.add(x);
}

function walk(w: Walker, x: unknown, path: string, out: unknown[], paths: string[] | undefined): PyTreeDef {
  if (w.isLeaf?.(x)) {
    out.push(x);
    paths?.push(path);
    return PyTreeDef.leaf;
  }
  if (x === null) return PyTreeDef.null;
  if (x === undefined) return PyTreeDef.undefined;
  if (Array.isArray(x)) {
    enter(w, x);
    const children: PyTreeDef[] = [];
    for (let i = 0; i < x.length; i++) children.push(walk(w, x[i], `${path}[${i}]`, out, paths));
    w.active.delete(x);
    return PyTreeDef.array(children);
  }
  const entry = lookupNode(x);
  if (entry !== undefined) {
    const obj = x as object;
    enter(w, obj);
    const [kids, aux] = entry.flatten(obj);
    const children: PyTreeDef[] = [];
    for (let i = 0; i < kids.length; i++) children.push(walk(w, kids[i], `${path}[${i}]`, out, paths));
    w.active.delete(obj);
    return PyTreeDef.custom(entry, aux, children);
  }
  if (isPlainObject(x)) {
    enter(w, x);
    const keys = sortedKeys(x);
    const children: PyTreeDef[] = [];
    for (const k of keys) children.push(walk(w, ownValue(x, k), path + pathKey(k), out, paths));
    w.active.delete(x);
    return PyTreeDef.object(keys, children);
  }
  out.push(x);
  paths?.push(path);
  return PyTreeDef.leaf;
}

/**
 * Throws unless `options` is an object whose only option is `isLeaf` (a function), naming the
 * unknown option (the tree layer cannot use the core's `checkOptions`).
 */
export function checkFlattenOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`${fn}: options must be an object, got ${options === null ? "null" : typeof options}`);
  for (const k of Object.keys(options))
    if (k !== "isLeaf") throw new TypeError(`${fn}: unknown option '${k}'; known options: isLeaf`);
  const isLeaf = (options as FlattenOptions).isLeaf;
  if (isLeaf !== undefined && typeof isLeaf !== "function")
    throw new TypeError(`${fn}: isLeaf must be a function, got ${isLeaf === null ? "null" : typeof isLeaf}`);
}

/**
 * Splits a pytree into its leaves (depth-first, object keys sorted) and its structure.
 * @example
 * flatten({ b: 2, a: [1, null] }); // [[1, 2], {a: [*, null], b: *}]
 */
export function flatten(tree: unknown, options?: FlattenOptions): [leaves: unknown[], treedef: PyTreeDef] {
  if (options !== undefined) checkFlattenOptions("tree.flatten", options);
  const out: unknown[] = [];
  const def = walk({ isLeaf: options?.isLeaf, active: new Set(), fn: "tree.flatten" }, tree, "", out, undefined);
  return [out, def];
}

/**
 * Like `flatten`, but pairs each leaf with its path (`.a[0].b`; non-identifier keys as `["a b"]`; root is `""`).
 * @example
 * flattenWithPath({ a: [1, { b: 2 }] })[0]; // [[".a[0]", 1], [".a[1].b", 2]]
 */
export function flattenWithPath(
  tree: unknown,
  options?: FlattenOptions,
): [pathsAndLeaves: [path: string, leaf: unknown][], treedef: PyTreeDef] {
  if (options !== undefined) checkFlattenOptions("tree.flattenWithPath", options);
  const out: unknown[] = [];
  const paths: string[] = [];
  const def = walk({ isLeaf: options?.isLeaf, active: new Set(), fn: "tree.flattenWithPath" }, tree, "", out, paths);
  return [out.map((leaf, i): [string, unknown] => [paths[i]!, leaf]), def];
}

/**
 * The leaves of a pytree, in flatten order.
 * @example
 * leaves({ b: 2, a: 1 }); // [1, 2]
 */
export function leaves(tree: unknown, options?: FlattenOptions): unknown[] {
  return flatten(tree, options)[0];
}

/**
 * The structure (`PyTreeDef`) of a pytree.
 * @example
 * structure([1, { a: 2 }]).toString(); // "[*, {a: *}]"
 */
export function structure(tree: unknown, options?: FlattenOptions): PyTreeDef {
  return flatten(tree, options)[1];
}

/**
 * Rebuilds a pytree from a structure and leaves; throws if the leaf count differs.
 * Objects come back as plain objects (prototype `Object.prototype`, every key an own data property).
 * @example
 * unflatten(structure({ a: 0, b: 0 }), [1, 2]); // { a: 1, b: 2 }
 */
export function unflatten<T = unknown>(treedef: PyTreeDef, leaves: readonly unknown[]): T {
  if (!(treedef instanceof PyTreeDef)) throw new TypeError("tree.unflatten: expected a PyTreeDef");
  if (leaves.length !== treedef.numLeaves)
    throw new Error(
      `tree.unflatten: structure ${treedef.toString()} has ${treedef.numLeaves} leaves, but ${leaves.length} were given`,
    );
  const cursor = { i: 0 };
  return build(treedef, leaves, cursor) as T;
}

function build(d: PyTreeDef, leaves: readonly unknown[], cursor: { i: number }): unknown {
  switch (d.kind) {
    case "leaf":
      return leaves[cursor.i++];
    case "null":
      return null;
    case "undefined":
      return undefined;
    case "array":
      return d.children.map((c) => build(c, leaves, cursor));
    case "object":
      return makeObject(
        d.keys,
        d.children.map((c) => build(c, leaves, cursor)),
      );
    case "custom":
      return customEntry(d).unflatten(
        d.auxData,
        d.children.map((c) => build(c, leaves, cursor)),
      );
  }
}
