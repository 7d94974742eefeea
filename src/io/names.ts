/**
 * Tensor names for pytree leaves and pytrees rebuilt from tensor names. A leaf's name is its path
 * with "." between the steps: object keys as they are, array (and registered-class) children by
 * index, so `{ layers: [{ w }] }` names `w` "layers.0.w", the convention of PyTorch state dicts.
 */
import { PyTreeDef } from "../tree/index.js";

const SEPARATOR = ".";
const INDEX = /^(0|[1-9][0-9]*)$/;

/** Where a key sits, for error messages: the path of its parent, or "the root". */
const where = (prefix: readonly string[]): string => (prefix.length ? `'${prefix.join(SEPARATOR)}'` : "the root");

function checkKey(op: string, key: string, prefix: readonly string[]): void {
  if (key === "")
    throw new TypeError(`${op}: the tree has an empty key under ${where(prefix)}; tensor names need non-empty keys`);
  if (key.includes(SEPARATOR))
    throw new TypeError(
      `${op}: the key '${key}' under ${where(prefix)} contains "${SEPARATOR}", which separates the steps of ` +
        "tensor names, so the name would be ambiguous; rename the key (for example with '_' instead)",
    );
}

/**
 * The tensor name of every leaf of `def`, in flatten order. Keys of subtrees without leaves (empty
 * objects, `null`) name nothing and are not checked. A tree that is a single leaf has no name.
 */
export function leafNames(op: string, def: PyTreeDef): string[] {
  const out: string[] = [];
  const visit = (d: PyTreeDef, prefix: string[]): void => {
    if (d.numLeaves === 0) return;
    if (d.kind === "leaf") {
      if (prefix.length === 0)
        throw new TypeError(
          `${op}: the tree is a single array, which has no tensor name; save an object such as { weights: x } ` +
            "(or a single array with saveNpy)",
        );
      out.push(prefix.join(SEPARATOR));
      return;
    }
    if (d.kind === "object")
      d.keys.forEach((k, i) => {
        const child = d.children[i]!;
        if (child.numLeaves > 0) checkKey(op, k, prefix);
        visit(child, [...prefix, k]);
      });
    else d.children.forEach((c, i) => visit(c, [...prefix, String(i)]));
  };
  visit(def, []);
  return out;
}

interface Trie {
  /** Position in the caller's name list of the tensor named by this node's path. */
  tensor?: number;
  readonly children: Map<string, Trie>;
}

/**
 * The pytree structure spelled by `names` and, for each leaf in flatten order, the position of its
 * name in `names`. A level whose steps are exactly 0, 1, …, n-1 becomes a JS array; every other
 * level a plain object.
 */
export function structureFromNames(
  op: string,
  names: readonly string[],
): { readonly def: PyTreeDef; readonly order: number[] } {
  const root: Trie = { children: new Map() };
  names.forEach((name, index) => {
    let node = root;
    for (const step of name.split(SEPARATOR)) {
      if (node.tensor !== undefined) throw prefixClash(op, names[node.tensor]!, name);
      let next = node.children.get(step);
      if (next === undefined) node.children.set(step, (next = { children: new Map() }));
      node = next;
    }
    if (node.tensor !== undefined) throw new Error(`${op}: the file has two tensors named '${name}'`);
    if (node.children.size > 0) throw prefixClash(op, name, firstTensorBelow(node, names));
    node.tensor = index;
  });
  const order: number[] = [];
  const build = (node: Trie): PyTreeDef => {
    if (node.tensor !== undefined) {
      order.push(node.tensor);
      return PyTreeDef.leaf;
    }
    const steps = [...node.children.keys()];
    if (steps.length > 0 && isIndexRange(steps)) {
      const byIndex = steps.map(Number).sort((a, b) => a - b);
      return PyTreeDef.array(byIndex.map((i) => build(node.children.get(String(i))!)));
    }
    const keys = steps.sort();
    return PyTreeDef.object(
      keys,
      keys.map((k) => build(node.children.get(k)!)),
    );
  };
  return { def: build(root), order };
}

function isIndexRange(steps: readonly string[]): boolean {
  if (!steps.every((s) => INDEX.test(s))) return false;
  const seen = new Set(steps.map(Number));
  for (let i = 0; i < steps.length; i++) if (!seen.has(i)) return false;
  return true;
}

function firstTensorBelow(node: Trie, names: readonly string[]): string {
  for (const child of node.children.values()) {
    if (child.tensor !== undefined) return names[child.tensor]!;
    const found = firstTensorBelow(child, names);
    if (found !== "") return found;
  }
  return "";
}

const prefixClash = (op: string, outer: string, inner: string): Error =>
  new Error(
    `${op}: the tensor names '${outer}' and '${inner}' cannot both be leaves of one pytree ('${outer}' would be ` +
      "both an array and a subtree); rename one of them in the file",
  );
