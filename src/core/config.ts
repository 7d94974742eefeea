/** Global switches, set with `config.update(...)`. */
export interface ConfigValues {
  /** Check every primitive's output and throw at the first one that produced a NaN from NaN-free inputs. */
  debugNans: boolean;
  /** Run jitted functions op by op (useful when debugging a staged function). */
  disableJit: boolean;
}

const values: ConfigValues = { debugNans: false, disableJit: false };

/** Read and change graft's global options. Example: `config.update({ debugNans: true })`. */
export const config = {
  get debugNans(): boolean {
    return values.debugNans;
  },
  get disableJit(): boolean {
    return values.disableJit;
  },
  update(changes: Partial<ConfigValues>): void {
    for (const [k, v] of Object.entries(changes)) {
      if (!(k in values))
        throw new Error(`config.update: unknown option '${k}'; known: ${Object.keys(values).join(", ")}`);
      if (typeof v !== "boolean")
        throw new TypeError(`config.update: option '${k}' must be a boolean, got ${typeof v}`);
      (values as unknown as Record<string, boolean>)[k] = v;
    }
  },
};
