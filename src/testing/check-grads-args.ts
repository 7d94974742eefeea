/** checkGrads' argument handling: which arguments to perturb, and the hints its errors give. */
import { Array } from "../core/array.js";
import { flattenWithPath } from "../tree/index.js";

const FORWARD_MODE_HINT = "checkGrads: forward mode";

/**
 * A customVjp function has no forward-mode derivative, so mode "fwd" fails inside jvp with a
 * message about jvp; say instead how to check it (reverse mode only).
 */
export function forwardModeHint(e: unknown): unknown {
  if (!(e instanceof Error) || e.message.startsWith(FORWARD_MODE_HINT)) return e;
  if (!/forward-mode differentiation.*customVjp function/s.test(e.message)) return e;
  return new Error(
    `${FORWARD_MODE_HINT} ("fwd", the JVP checks) cannot differentiate this function: it calls a customVjp ` +
      `function, which has only a reverse-mode rule. Check reverse mode only with { modes: ["rev"] } ` +
      `(or give that function a customJvp rule). The error was: ${e.message}`,
    { cause: e },
  );
}

/** `argnums` as a list of distinct non-negative positions (default: every argument). */
export function normalizeArgnums(argnums: number | readonly number[] | undefined, n: number): number[] {
  if (argnums === undefined) return globalThis.Array.from({ length: n }, (_, i) => i);
  const list = typeof argnums === "number" ? [argnums] : globalThis.Array.isArray(argnums) ? [...argnums] : null;
  if (list === null || list.length === 0 || !list.every((a) => Number.isInteger(a)))
    throw new TypeError(
      `checkGrads: argnums must be an argument position or a non-empty list of them, got ${JSON.stringify(argnums)}`,
    );
  const out = list.map((a) => {
    if (a < -n || a >= n)
      throw new RangeError(`checkGrads: argnums ${JSON.stringify(argnums)} is out of range for ${n} argument(s)`);
    return a < 0 ? a + n : a;
  });
  if (new Set(out).size !== out.length)
    throw new RangeError(`checkGrads: argnums ${JSON.stringify(argnums)} names an argument twice`);
  return out;
}

/**
 * Throws for an integer or bool array among the checked arguments, naming it and the `argnums`
 * that would leave it out (other unsuitable leaves are reported by the float64 conversion).
 */
export function checkFloatArguments(args: readonly unknown[], argnums: readonly number[]): void {
  const isNonFloat = (l: unknown): boolean => l instanceof Array && l.dtype !== "float32" && l.dtype !== "float64";
  for (const i of argnums) {
    const bad = flattenWithPath(args[i])[0].find(([, l]) => isNonFloat(l));
    if (!bad) continue;
    const floatArgs = argnums.filter((j) => !flattenWithPath(args[j])[0].some(([, l]) => isNonFloat(l)));
    const hint = floatArgs.length
      ? `pass { argnums: [${floatArgs.join(", ")}] } to check only the float arguments (the others are passed through unchanged)`
      : "leave it out of argnums to pass it through unchanged";
    throw new TypeError(
      `checkGrads: argument ${i}${bad[0] ? ` (leaf ${bad[0]})` : ""} has dtype ${(bad[1] as Array).dtype}; only float ` +
        `arguments can be perturbed: ${hint}`,
    );
  }
}
