/**
 * graft's caches: bounded least-recently-used maps for traces (sized by `config.cacheSize`), weak
 * maps for values derived from Programs, and `clearCaches()`, which empties all of them.
 *
 * Clearing works by generation: `clearCaches()` bumps a counter, and every cache built on this
 * module drops its entries the next time it is used after a bump. So no registry of live caches is
 * needed (which would itself keep caches alive), and clearing costs nothing for caches that are
 * never touched again.
 */
import { config } from "./config.js";

let generation = 0;

/** The current cache generation: a cache that saw an older one must drop its entries. */
export const cacheGeneration = (): number => generation;

/**
 * Empties every graft cache: the traces of jitted functions (and of `customJvp` / `customVjp`
 * functions), the Programs derived from them (JVP, batched, transposed, partially evaluated), the
 * backends' compiled executables and the scalar constants. Jitted functions stay valid: their next
 * call traces again.
 *
 * @example
 * const f = jit((x: Array) => x.mul(2));
 * f(np.ones([3])); // traced
 * clearCaches();
 * f(np.ones([3])); // traced again
 */
export function clearCaches(): void {
  generation++;
}

/**
 * A map with string keys that keeps at most `capacity()` entries (default `config.cacheSize`),
 * dropping the least recently used first; emptied by `clearCaches()`.
 */
export class LruCache<V> {
  private map = new Map<string, V>();
  private seen = generation;

  constructor(private readonly capacity: () => number = () => config.cacheSize) {}

  private fresh(): Map<string, V> {
    if (this.seen !== generation) {
      this.map.clear();
      this.seen = generation;
    }
    return this.map;
  }

  /** The value for `key` (marking it most recently used), or undefined. */
  get(key: string): V | undefined {
    const m = this.fresh();
    const v = m.get(key);
    if (v !== undefined) {
      m.delete(key);
      m.set(key, v);
    }
    return v;
  }

  /** Whether `key` is cached (without marking it used). */
  has(key: string): boolean {
    return this.fresh().has(key);
  }

  /** Stores `value` as the most recently used entry, then drops the oldest entries beyond the capacity. */
  set(key: string, value: V): void {
    const m = this.fresh();
    m.delete(key);
    m.set(key, value);
    const cap = Math.max(1, this.capacity());
    for (const k of m.keys()) {
      if (m.size <= cap) break;
      m.delete(k);
    }
  }

  get size(): number {
    return this.fresh().size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** A `WeakMap` that `clearCaches()` empties (for values derived from objects such as Programs). */
export class WeakCache<K extends object, V> {
  private map = new WeakMap<K, V>();
  private seen = generation;

  private fresh(): WeakMap<K, V> {
    if (this.seen !== generation) {
      this.map = new WeakMap();
      this.seen = generation;
    }
    return this.map;
  }

  get(key: K): V | undefined {
    return this.fresh().get(key);
  }

  set(key: K, value: V): void {
    this.fresh().set(key, value);
  }
}
