/** Validation of option objects: an unknown option name is an error, never silently ignored. */

/**
 * Throws unless every own key of `opts` is in `known`, naming the op, the unknown option and the
 * known ones (a misspelt `staticArgnames` must not pass unnoticed).
 */
export function checkOptions(op: string, opts: unknown, known: readonly string[]): void {
  if (opts === undefined) return;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts))
    throw new TypeError(
      `${op}: options must be an object, got ${opts === null ? "null" : Array.isArray(opts) ? "an array" : typeof opts}`,
    );
  for (const k of Object.keys(opts))
    if (!known.includes(k))
      throw new TypeError(`${op}: unknown option '${k}'; known options: ${known.length ? known.join(", ") : "none"}`);
}
