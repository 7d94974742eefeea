/** Global options, read as `config.x` and set with `config.update({...})`. */
export interface ConfigValues {
  /** Check every primitive's output and throw at the first one that produced a NaN from NaN-free inputs. */
  debugNans: boolean;
  /** Run jitted functions op by op (useful when debugging a staged function). */
  disableJit: boolean;
  /** Log (console.warn) why a jitted function traced again: which argument's shape, dtype or static value changed. */
  explainCacheMisses: boolean;
  /** How many traced signatures each jitted (or custom-rule) function keeps, least recently used dropped first. */
  cacheSize: number;
  /** The largest single array, in bytes, graft allocates; larger requests are an error that names the op. */
  maxAllocationBytes: number;
}

const DEFAULTS: ConfigValues = {
  debugNans: false,
  disableJit: false,
  explainCacheMisses: false,
  cacheSize: 256,
  maxAllocationBytes: 2 ** 32,
};

// A null prototype, so keys such as `constructor` or `__proto__` are never taken for options.
const values: ConfigValues = Object.assign(Object.create(null) as ConfigValues, DEFAULTS);
const KNOWN = Object.keys(DEFAULTS) as (keyof ConfigValues)[];
const isKnown = (k: string): k is keyof ConfigValues => Object.hasOwn(DEFAULTS, k);

function check(k: keyof ConfigValues, v: unknown): void {
  const expected = typeof DEFAULTS[k];
  if (typeof v !== expected)
    throw new TypeError(`config.update: option '${k}' must be a ${expected}, got ${v === null ? "null" : typeof v}`);
  if (expected === "number" && !(Number.isInteger(v) && (v as number) > 0))
    throw new RangeError(`config.update: option '${k}' must be a positive integer, got ${String(v)}`);
}

/**
 * Read and change graft's global options.
 *
 * @example
 * config.update({ debugNans: true });
 * config.debugNans; // true
 */
export const config = {
  get debugNans(): boolean {
    return values.debugNans;
  },
  get disableJit(): boolean {
    return values.disableJit;
  },
  get explainCacheMisses(): boolean {
    return values.explainCacheMisses;
  },
  get cacheSize(): number {
    return values.cacheSize;
  },
  get maxAllocationBytes(): number {
    return values.maxAllocationBytes;
  },
  /** Sets the given options (own keys only; unknown names are an error listing the known ones). */
  update(changes: Partial<ConfigValues>): void {
    if (typeof changes !== "object" || changes === null)
      throw new TypeError(
        `config.update: expected an object of options, got ${changes === null ? "null" : typeof changes}`,
      );
    const entries = Object.keys(changes).map((k) => [k, (changes as Record<string, unknown>)[k]] as const);
    for (const [k, v] of entries) {
      if (!isKnown(k)) throw new Error(`config.update: unknown option '${k}'; known: ${KNOWN.join(", ")}`);
      check(k, v);
    }
    for (const [k, v] of entries) (values as unknown as Record<string, unknown>)[k] = v;
  },
};
