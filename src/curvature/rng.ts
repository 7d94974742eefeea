/**
 * Random numbers for the curvature tools (start vectors for Lanczos / power iteration, random
 * directions for loss-landscape slices), drawn with graft's counter-based PRNG (`graft-ad/random`).
 * Callers pass a key (`random.key(seed)`, a uint32[2] array) or a plain integer seed, which
 * means `random.key(seed)`. Every draw splits the key, so results are reproducible per key/seed.
 */
import { Array } from "../core/array.js";
import { defaultBackend, REFERENCE_BACKEND } from "../core/backend.js";
import { withBackend } from "../core/backend-choice.js";
import { devicePut } from "../core/device.js";
import type { DType } from "../core/dtype.js";
import * as np from "../numpy/index.js";
import * as random from "../random/index.js";
import { readsSync, readVectors, type Reading } from "./host-read.js";

/** A PRNG key (`random.key(seed)`) or an integer seed standing for `random.key(seed)`. */
export type KeyOrSeed = number | Array;

/** The key for a seed or key; `op` names the caller in errors. */
export function keyOf(k: KeyOrSeed, op: string): Array {
  if (typeof k === "number") {
    if (!Number.isSafeInteger(k)) throw new TypeError(`${op}: seed must be a finite integer, got ${k}`);
    return random.key(k);
  }
  if (!(k instanceof Array))
    throw new TypeError(
      `${op}: expected a PRNG key (random.key(seed)) or an integer seed; got ${k === null ? "null" : typeof k}`,
    );
  if (k.dtype !== "uint32" || k.ndim !== 1 || k.shape[0] !== 2)
    throw new TypeError(
      `${op}: a key must be a uint32[2] array from random.key(seed) or random.split; got ${k.dtype}[${k.shape.join(", ")}]`,
    );
  return k;
}

/**
 * Whether draws happen on the default backend (today's cpu and wasm: they read synchronously and
 * hold float64). Otherwise (WebGPU) they happen on the reference CPU backend: no float64 step runs
 * on the device, and the numbers match a run on "cpu" bit for bit.
 */
function drawsOnDefault(): boolean {
  return defaultBackend().downloadSync !== undefined;
}

/** Successive independent draws from one key: each draw splits off a fresh subkey. */
export class KeyStream {
  private key: Array;
  constructor(
    k: KeyOrSeed,
    private readonly op: string,
  ) {
    // A seed's key is made where the draws happen (no read needed to move it there later).
    this.key = drawsOnDefault() ? keyOf(k, op) : withBackend(REFERENCE_BACKEND, () => keyOf(k, op));
  }
  /** A fresh subkey. */
  next(): Array {
    const ks = random.split(this.key, 2);
    this.key = ks.get(0);
    return ks.get(1);
  }
  /** Standard normal samples of `shape` and `dtype`, drawn from the current key where it lives. */
  private draw(shape: readonly number[], dtype: DType): Array {
    return random.normal(this.next(), [...shape], { dtype: dtype as "float32" | "float64" });
  }
  /**
   * Standard normal samples of `shape` and `dtype` as an array on the default backend (drawn on
   * the CPU and copied there where the default backend cannot draw, see `drawsOnDefault`). A key
   * on such a backend must be read first, which only `normals` can: pass a seed or a host key.
   */
  normalArray(shape: readonly number[], dtype: DType): Array {
    if (drawsOnDefault()) return this.draw(shape, dtype);
    if (this.key.backend !== REFERENCE_BACKEND) {
      if (!readsSync(this.key))
        throw new Error(
          `${this.op}: the key lives on the '${this.key.backend}' backend, which reads only asynchronously; ` +
            "pass an integer seed, or a key on the host (await deviceGet(key))",
        );
      this.key = devicePut(this.key, REFERENCE_BACKEND);
    }
    return devicePut(
      withBackend(REFERENCE_BACKEND, () => this.draw(shape, dtype)),
      defaultBackend().name,
    );
  }
  /** `n` standard normal float64 samples on the host (drawn as `drawsOnDefault` says). */
  *normals(n: number): Reading<Float64Array> {
    if (drawsOnDefault()) {
      const [v] = yield* readVectors([this.draw([n], "float64")], this.op);
      return v!;
    }
    if (this.key.backend !== REFERENCE_BACKEND) this.key = yield* this.keyOnHost();
    const sample = withBackend(REFERENCE_BACKEND, () => this.draw([n], "float64"));
    const [v] = yield* readVectors([sample], this.op);
    return v!;
  }

  /** The current key copied to the reference backend (read back first where it cannot be read synchronously). */
  private *keyOnHost(): Reading<Array> {
    if (readsSync(this.key)) return devicePut(this.key, REFERENCE_BACKEND);
    const [words] = yield* readVectors([this.key], this.op);
    return withBackend(REFERENCE_BACKEND, () => np.array(globalThis.Array.from(words!), { dtype: "uint32" }));
  }
}

/**
 * Resolves the `key` / `seed` options of a curvature function (default seed 0). Giving both is an
 * error.
 */
export function streamFrom(opts: { key?: Array | undefined; seed?: number | undefined }, op: string): KeyStream {
  if (opts.key !== undefined && opts.seed !== undefined)
    throw new TypeError(`${op}: pass either key or seed, not both`);
  return new KeyStream(opts.key ?? opts.seed ?? 0, op);
}
