/** Registration of user classes as pytree nodes (like `jax.tree_util.register_pytree_node`). */

/** Any class (constructor) whose instances are `T`; abstract classes are accepted. */
export type Constructor<T extends object = object> = abstract new (...args: never[]) => T;

/**
 * How a registered class is taken apart and put back together.
 * `auxData` is static metadata compared structurally (see `auxEqual`): keep it JSON-like
 * (primitives, arrays, plain objects); other objects in it are compared by identity.
 */
export interface PytreeNodeSpec<T extends object, A = unknown> {
  /** Returns the children (which are themselves pytrees) and the aux data. */
  flatten(x: T): readonly [children: readonly unknown[], auxData: A];
  /** Rebuilds an instance from the aux data and (possibly transformed) children. */
  unflatten(auxData: A, children: unknown[]): T;
  /** Name used by `PyTreeDef.toString()`; defaults to the class name. */
  readonly name?: string;
}

/** Internal registry entry; `id` makes equal structures have equal keys across classes of the same name. */
export interface RegistryEntry {
  readonly id: number;
  readonly name: string;
  readonly cls: Constructor;
  flatten(x: object): readonly [readonly unknown[], unknown];
  unflatten(aux: unknown, children: unknown[]): object;
}

const byPrototype = new Map<object, RegistryEntry>();
let nextId = 1;

/** Classes whose instances must stay leaves: registering them (or a subclass) is an error. */
const reserved: { readonly cls: Constructor; readonly description: string }[] = [];

/**
 * Marks `cls` and its subclasses as leaf classes that `registerPytreeNode` refuses (graft's own
 * Array: every transform relies on arrays being the leaves of pytrees). `description` names the
 * class in the error. Called by `install()`: the tree layer cannot import the core. Idempotent.
 * @internal
 */
export function reserveLeafClass(cls: Constructor, description: string): void {
  if (!reserved.some((r) => r.cls === cls)) reserved.push({ cls, description });
}

/**
 * Registers `cls` so that its instances are pytree nodes instead of leaves.
 * Matching is by exact class (subclasses are not covered; register them separately).
 * graft's own `Array` class and its subclasses are refused: arrays are the leaves every transform
 * works on.
 * @example
 * class Point { constructor(readonly x: unknown, readonly y: unknown) {} }
 * registerPytreeNode(Point, {
 *   flatten: (p) => [[p.x, p.y], null],
 *   unflatten: (_aux, [x, y]) => new Point(x, y),
 * });
 * leaves(new Point(1, 2)); // [1, 2]
 */
export function registerPytreeNode<T extends object, A = unknown>(
  cls: Constructor<T>,
  spec: PytreeNodeSpec<T, A>,
): void {
  if (typeof cls !== "function" || typeof cls.prototype !== "object" || cls.prototype === null)
    throw new TypeError("registerPytreeNode: expected a class");
  if ((cls as unknown) === Object || (cls as unknown) === Array)
    throw new TypeError("registerPytreeNode: Object and Array are built-in pytree containers and cannot be registered");
  for (const r of reserved)
    if ((cls as unknown) === r.cls || Object.prototype.isPrototypeOf.call(r.cls.prototype, cls.prototype))
      throw new TypeError(
        `registerPytreeNode: cannot register ${cls.name || "this class"}: it ${(cls as unknown) === r.cls ? "is" : "extends"} ${r.description}, ` +
          "whose instances must stay pytree leaves (every transform takes them as leaves; registering them would break grad, vmap and jit)",
      );
  if (typeof spec?.flatten !== "function" || typeof spec.unflatten !== "function")
    throw new TypeError("registerPytreeNode: spec must have flatten and unflatten functions");
  const proto = cls.prototype as object;
  const name = spec.name ?? (cls.name || "CustomNode");
  if (byPrototype.has(proto)) throw new Error(`registerPytreeNode: ${name} is already registered`);
  const entry: RegistryEntry = Object.freeze({
    id: nextId++,
    name,
    cls: cls as Constructor,
    flatten(x: object): readonly [readonly unknown[], unknown] {
      const out: unknown = spec.flatten(x as T);
      if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[0]))
        throw new TypeError(`${name}: pytree flatten must return [children: unknown[], auxData]`);
      return out as unknown as readonly [readonly unknown[], unknown];
    },
    unflatten(aux: unknown, children: unknown[]): object {
      return spec.unflatten(aux as A, children);
    },
  });
  byPrototype.set(proto, entry);
}

/** True when `cls` has been registered with `registerPytreeNode`. */
export function isRegisteredPytreeNode(cls: Constructor): boolean {
  return typeof cls === "function" && byPrototype.has(cls.prototype as object);
}

/** The registry entry for `x`'s exact class, if any. */
export function lookupNode(x: unknown): RegistryEntry | undefined {
  if (byPrototype.size === 0 || typeof x !== "object" || x === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === null ? undefined : byPrototype.get(proto as object);
}
