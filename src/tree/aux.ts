/**
 * Structural equality, canonical keys and readable printing for the aux data
 * of registered pytree nodes.
 *
 * Equality rules (`auxEqual(a, b)` ⇔ `auxKey(a) === auxKey(b)`):
 * - primitives by value (SameValueZero: `NaN` equals `NaN`, `-0` equals `0`);
 *   `null` and `undefined` are distinct;
 * - arrays element by element;
 * - plain objects (prototype `Object.prototype` or `null`) by their sorted own
 *   enumerable string keys and values;
 * - anything else (class instances, functions, symbols, Maps, Dates, ...) by identity.
 */

const objectIds = new WeakMap<object, number>();
let nextId = 1;

function idOf(x: object): number {
  let id = objectIds.get(x);
  if (id === undefined) objectIds.set(x, (id = nextId++));
  return id;
}

// Symbols as WeakMap keys (ES2023; Node 20+, current browsers): a symbol's id is dropped with the
// symbol. Registered symbols (`Symbol.for`) cannot be weak keys, but need no table: they are
// identified by their registry key. Where the engine cannot hold symbols weakly, ids fall back to a
// Map that keeps every non-registered symbol ever keyed (the one unbounded case left).
const symbolsWeak = ((): boolean => {
  try {
    (new WeakMap() as unknown as Map<symbol, number>).set(Symbol("probe"), 0);
    return true;
  } catch {
    return false;
  }
})();
// (typed as a Map: the ES2022 lib this project compiles against does not let WeakMap keys be symbols)
const symbolIds = (symbolsWeak ? new WeakMap() : new Map()) as unknown as Map<symbol, number>;

/**
 * A stable key for a symbol: `s@"name"` for a registered symbol (`Symbol.for("name")`, equal by
 * name), `s#id` for any other (by identity; the id is held weakly where the engine allows it).
 */
export function symbolKey(s: symbol): string {
  const registered = Symbol.keyFor(s);
  if (registered !== undefined) return `s@${JSON.stringify(registered)}`;
  let id = symbolIds.get(s);
  if (id === undefined) symbolIds.set(s, (id = nextId++));
  return `s#${id}`;
}

/** True for objects whose prototype is `Object.prototype` or `null`. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function keyOf(x: unknown, stack: Set<object>): string {
  switch (typeof x) {
    case "undefined":
      return "u";
    case "boolean":
      return x ? "t" : "f";
    case "number":
      return `n${Object.is(x, -0) ? "0" : String(x)}`;
    case "bigint":
      return `b${x.toString()}`;
    case "string":
      return JSON.stringify(x);
    case "symbol":
      return symbolKey(x);
    case "function":
      return `o#${idOf(x)}`;
    case "object": {
      if (x === null) return "z";
      if (!Array.isArray(x) && !isPlainObject(x)) return `o#${idOf(x)}`;
      if (stack.has(x)) throw new TypeError("pytree aux data must not be cyclic");
      stack.add(x);
      try {
        if (Array.isArray(x)) {
          const parts: string[] = [];
          for (let i = 0; i < x.length; i++) parts.push(keyOf(x[i], stack));
          return `[${parts.join(",")}]`;
        }
        const rec = x as Record<string, unknown>;
        const keys = Object.keys(rec).sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${keyOf(rec[k], stack)}`).join(",")}}`;
      } finally {
        stack.delete(x);
      }
    }
  }
  return "?";
}

/** Canonical string for aux data: equal strings ⇔ structurally equal values (see module doc). */
export function auxKey(x: unknown): string {
  return keyOf(x, new Set());
}

/** Structural equality of aux data (see module doc). */
export function auxEqual(a: unknown, b: unknown): boolean {
  return a === b || auxKey(a) === auxKey(b);
}

/** Readable, JSON-like rendering of aux data for messages and `PyTreeDef.toString()`. */
export function auxToString(x: unknown, stack: Set<object> = new Set()): string {
  switch (typeof x) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(x);
    case "bigint":
      return `${x.toString()}n`;
    case "symbol":
      return x.toString();
    case "function":
      return `<function ${x.name || "anonymous"}>`;
    case "object": {
      if (x === null) return "null";
      if (stack.has(x)) return "<cycle>";
      if (Array.isArray(x)) {
        stack.add(x);
        const s = `[${x.map((v) => auxToString(v, stack)).join(", ")}]`;
        stack.delete(x);
        return s;
      }
      if (isPlainObject(x)) {
        stack.add(x);
        const s = `{${Object.keys(x)
          .sort()
          .map((k) => `${formatKey(k)}: ${auxToString(x[k], stack)}`)
          .join(", ")}}`;
        stack.delete(x);
        return s;
      }
      const ctor: unknown = (Object.getPrototypeOf(x) as { constructor?: unknown } | null)?.constructor;
      return `<${typeof ctor === "function" && ctor.name ? ctor.name : "object"}>`;
    }
    default:
      return String(x);
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key as printed in structures: bare when it is an identifier, JSON-quoted otherwise. */
export function formatKey(k: string): string {
  return IDENT.test(k) ? k : JSON.stringify(k);
}

/** One path step for an object key: `.a` or `["a b"]`. */
export function pathKey(k: string): string {
  return IDENT.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}
