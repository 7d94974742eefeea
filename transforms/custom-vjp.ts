/**
 * `customVjp`: give a function a custom reverse-mode derivative (JAX's `jax.custom_vjp`). The
 * implementation (and the `custom_vjp_call` / `custom_vjp_lin` primitives' rules) lives in
 * src/lax/control/custom-vjp.ts.
 *
 * Rule math: for `y = f(x)`, `fwd(...x)` returns `[y, residuals]` and `bwd(residuals, ȳ)` returns
 * `ȳ·∂f(x)`, one cotangent per argument. Forward mode (jvp, jacfwd) of such a function is an error.
 *
 * @example
 * import { customVjp } from "./custom-vjp.js";
 * const clipGradient = customVjp((x: Array) => x);
 * clipGradient.defVjp((x: Array) => [x, null], (_res: null, ct: Array) => [np.clip(ct, -1, 1)]);
 * grad((x: Array) => clipGradient(x).mul(10).sum())(np.array([1, 2])); // [1, 1] instead of [10, 10]
 */
export { customVjp, type CustomVjp, type Cotangents } from "../src/lax/control/custom-vjp.js";
