/**
 * Choosing backends, for users: which are registered, which one new arrays go to, and a scoped
 * switch. Moving existing arrays is `devicePut` (device.ts).
 */
import { backendNames, defaultBackend, setDefaultBackend as setDefault } from "./backend.js";

/**
 * The names of the registered backends, the default first.
 *
 * @example
 * devices(); // ["cpu"]
 */
export function devices(): string[] {
  return backendNames();
}

/**
 * The name of the backend new arrays are created on (and jitted functions of no array run on).
 *
 * @example
 * defaultBackendName(); // "cpu"
 */
export function defaultBackendName(): string {
  return defaultBackend().name;
}

/**
 * Makes a registered backend the default for new arrays. `GRAFT_BACKEND=<name>` in the environment
 * does the same when graft loads (for tests, examples and benchmarks).
 *
 * @example
 * setDefaultBackend("cpu");
 */
export function setDefaultBackend(name: string): void {
  if (typeof name !== "string") throw new TypeError(`setDefaultBackend: expected a backend name, got ${typeof name}`);
  setDefault(name);
}

/**
 * Runs `f` with `name` as the default backend and restores the previous default afterwards (also
 * when `f` throws). Arrays created inside live on that backend; existing arrays do not move.
 *
 * @example
 * const y = withBackend("cpu", () => np.ones([3]).mul(2)); // y.backend === "cpu"
 */
export function withBackend<T>(name: string, f: () => T): T {
  if (typeof f !== "function") throw new TypeError(`withBackend: expected a function, got ${typeof f}`);
  const saved = defaultBackend().name;
  setDefaultBackend(name);
  try {
    return f();
  } finally {
    setDefault(saved);
  }
}
