/** Error classes whose messages explain the fix, after JAX's. */

/** A traced value was used where a concrete value is required. */
export class ConcretizationError extends Error {
  constructor(what: string, aval: string, transform: string) {
    super(
      `${what}: a traced value (${aval}, inside ${transform}) was used where a concrete value is needed. ` +
        `Traced values have no contents while the function is being transformed. ` +
        `Use graft's functional forms instead (np.where for elementwise choices; cond, switchCase, whileLoop, fori or scan for control flow), ` +
        `or mark the argument static with jit(f, { staticArgnums }) so it stays a concrete JS value.`,
    );
    this.name = "ConcretizationError";
  }
}

/**
 * The error for a non-number where a static JS number is required (an axis, a shape entry): for a
 * traced array it explains that such values must be static.
 */
export function notStaticError(op: string, what: string, v: unknown): Error {
  const trace = (v as { trace?: { transform?: string } } | null)?.trace;
  if (trace?.transform)
    return new ConcretizationError(`${op}: ${what}`, String((v as { aval?: unknown }).aval), trace.transform);
  const desc =
    v === null
      ? "null"
      : typeof v === "object"
        ? "aval" in (v as object)
          ? "a graft Array"
          : "an object"
        : `${typeof v} ${String(v)}`;
  return new TypeError(`${op}: ${what} must be a JS number, got ${desc}`);
}

/** A tracer escaped the transform that created it. */
export class UnexpectedTracerError extends Error {
  constructor(transform: string, detail = "") {
    super(
      `a tracer created by ${transform} leaked out of its transform and was used afterwards${detail}. ` +
        `Return values from the transformed function instead of storing them in outer variables or closures.`,
    );
    this.name = "UnexpectedTracerError";
  }
}

/** The error forward-mode differentiation of a customVjp function raises (the CPU backend raises the same). */
export function forwardModeError(name: string): Error {
  return new Error(
    `${name}: forward-mode differentiation (jvp, jacfwd, linearize's JVP evaluated directly) of a customVjp function is not supported; ` +
      `differentiate it in reverse mode (grad, vjp, jacrev), or define its derivative with customJvp instead`,
  );
}

/**
 * A dtype a backend cannot hold: float64 on WebGPU (WGSL has no 64-bit floats). graft never
 * downcasts silently; the message names the array and what to do instead.
 */
export class UnsupportedDTypeError extends Error {
  constructor(
    readonly backend: string,
    readonly dtype: string,
    what: string,
  ) {
    super(
      `${what}: the ${backend} backend has no ${dtype}; use float32 (x.astype("float32")), ` +
        `or run this on a CPU backend ("wasm" or "cpu", with devicePut or withBackend)`,
    );
    this.name = "UnsupportedDTypeError";
  }
}
