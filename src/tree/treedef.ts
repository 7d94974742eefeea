/** `PyTreeDef`: the immutable structure of a pytree, with leaves abstracted away. */
import { auxKey, auxToString, formatKey } from "./aux.js";
import type { RegistryEntry } from "./registry.js";

/** The node kinds of a treedef. */
export type NodeKind = "leaf" | "null" | "undefined" | "array" | "object" | "custom";

const strings = new WeakMap<PyTreeDef, string>();

/**
 * The structure of a pytree (like JAX's `PyTreeDef`). Immutable.
 * Two treedefs are equal (`a.equals(b)`) exactly when their `key` strings are equal,
 * so `key` can be used in `Map` cache keys.
 * @example
 * structure({ b: [1, 2], a: 3 }).toString(); // "{a: *, b: [*, *]}"
 */
export class PyTreeDef {
  /** What this node is. */
  readonly kind: NodeKind;
  /** Child structures (arrays: elements; objects: values in sorted-key order; custom: flattened children). */
  readonly children: readonly PyTreeDef[];
  /** Sorted keys of an `"object"` node; empty otherwise. */
  readonly keys: readonly string[];
  /** Aux data of a `"custom"` node; `undefined` otherwise. */
  readonly auxData: unknown;
  /** Registered class of a `"custom"` node; `undefined` otherwise. */
  readonly nodeType: RegistryEntry["cls"] | undefined;
  /** Number of leaves. */
  readonly numLeaves: number;
  /** Number of nodes, leaves included. */
  readonly numNodes: number;
  /** Canonical string: equal structures ⇔ equal keys. */
  readonly key: string;
  /** @internal registry entry of a custom node. */
  readonly entry: RegistryEntry | undefined;

  private constructor(
    kind: NodeKind,
    children: readonly PyTreeDef[],
    keys: readonly string[],
    entry: RegistryEntry | undefined,
    auxData: unknown,
  ) {
    this.kind = kind;
    this.children = Object.freeze(children.slice());
    this.keys = Object.freeze(keys.slice());
    this.entry = entry;
    this.nodeType = entry?.cls;
    this.auxData = auxData;
    let leaves = kind === "leaf" ? 1 : 0;
    let nodes = 1;
    for (const c of children) {
      leaves += c.numLeaves;
      nodes += c.numNodes;
    }
    this.numLeaves = leaves;
    this.numNodes = nodes;
    this.key = makeKey(kind, this.children, this.keys, entry, auxData);
    Object.freeze(this);
  }

  /** The single-leaf structure `*`. */
  static readonly leaf: PyTreeDef = new PyTreeDef("leaf", [], [], undefined, undefined);
  /** The structure of `null` (no leaves). */
  static readonly null: PyTreeDef = new PyTreeDef("null", [], [], undefined, undefined);
  /** The structure of `undefined` (no leaves). */
  static readonly undefined: PyTreeDef = new PyTreeDef("undefined", [], [], undefined, undefined);

  /** An array node. */
  static array(children: readonly PyTreeDef[]): PyTreeDef {
    return new PyTreeDef("array", children, [], undefined, undefined);
  }

  /** A plain-object node; `keys` must be sorted and aligned with `children`. */
  static object(keys: readonly string[], children: readonly PyTreeDef[]): PyTreeDef {
    if (keys.length !== children.length) throw new Error("PyTreeDef.object: keys and children differ in length");
    return new PyTreeDef("object", children, keys, undefined, undefined);
  }

  /** @internal A registered-class node. */
  static custom(entry: RegistryEntry, auxData: unknown, children: readonly PyTreeDef[]): PyTreeDef {
    return new PyTreeDef("custom", children, [], entry, auxData);
  }

  /** Structural equality (custom nodes: same class and structurally equal aux data). */
  equals(other: PyTreeDef): boolean {
    return this === other || (other instanceof PyTreeDef && this.key === other.key);
  }

  /** Readable form, e.g. `{a: *, b: [*, *]}`, `null`, `Point(*, *)`, `Point[{"unit": "m"}](*)`. */
  toString(): string {
    let s = strings.get(this);
    if (s === undefined) {
      s = render(this);
      strings.set(this, s);
    }
    return s;
  }
}

/** @internal The registry entry of a custom node (an internal error for any other kind of node). */
export function customEntry(d: PyTreeDef): RegistryEntry {
  return requireEntry(d.entry);
}

function requireEntry(entry: RegistryEntry | undefined): RegistryEntry {
  if (!entry) throw new Error("internal error: a custom pytree node without a registry entry");
  return entry;
}

function makeKey(
  kind: NodeKind,
  children: readonly PyTreeDef[],
  keys: readonly string[],
  entry: RegistryEntry | undefined,
  aux: unknown,
): string {
  switch (kind) {
    case "leaf":
      return "*";
    case "null":
      return "N";
    case "undefined":
      return "U";
    case "array":
      return `[${children.map((c) => c.key).join(",")}]`;
    case "object":
      // One child per key (PyTreeDef.object checks).
      return `{${keys.map((k, i) => `${JSON.stringify(k)}:${children[i]!.key}`).join(",")}}`;
    case "custom":
      return `C${requireEntry(entry).id}${JSON.stringify(auxKey(aux))}(${children.map((c) => c.key).join(",")})`;
  }
}

function render(d: PyTreeDef): string {
  switch (d.kind) {
    case "leaf":
      return "*";
    case "null":
      return "null";
    case "undefined":
      return "undefined";
    case "array":
      return `[${d.children.map((c) => c.toString()).join(", ")}]`;
    case "object":
      return `{${d.keys.map((k, i) => `${formatKey(k)}: ${d.children[i]!.toString()}`).join(", ")}}`; // one child per key
    case "custom": {
      const aux = d.auxData === undefined || d.auxData === null ? "" : `[${auxToString(d.auxData)}]`;
      return `${customEntry(d).name}${aux}(${d.children.map((c) => c.toString()).join(", ")})`;
    }
  }
}
