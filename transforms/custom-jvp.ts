/**
 * `customJvp`: give a function a custom derivative rule (JAX's `jax.custom_jvp`), used by forward
 * mode, reverse mode and higher derivatives. The implementation (and the `custom_jvp_call`
 * primitive's rules) lives in src/lax/control/custom-jvp.ts.
 *
 * Rule math: for `y = f(x)`, `rule(primals, tangents)` returns `[y, ∂f(x)·ẋ]` (linear in the tangents).
 *
 * @example
 * import { customJvp } from "./custom-jvp.js";
 * const log1pexp = customJvp((x: Array) => np.maximum(x, 0).add(np.log1p(np.exp(x.abs().neg()))));
 * log1pexp.defJvp(([x], [t]) => [log1pexp(x), t.div(np.exp(x.neg()).add(1))]);
 * grad((x: Array) => log1pexp(x))(np.array(1e4)); // 1, where autodiff of log1p(exp(x)) gives NaN
 */
export { customJvp, type CustomJvp } from "../src/lax/control/custom-jvp.js";
