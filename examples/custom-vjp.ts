/**
 * A numerically stable function with `customVjp`: log(1 + e^x) ("softplus").
 *
 * Autodiff of the plain formula divides e^x by 1 + e^x, which is inf/inf = NaN once e^x overflows
 * (x > 88 in float32). With `customVjp` the forward pass saves sigmoid(x), computed stably, as the
 * residual, and the backward pass multiplies the cotangent by it: finite everywhere.
 *
 * Run: `npx tsx examples/custom-vjp.ts` (exits 1 if the custom gradient is not finite and correct).
 */
import { np, nn, grad, jit, vmap, customVjp, type Array } from "../src/index.js";

const naive = (x: Array) => np.log1p(np.exp(x));

const stable = customVjp((x: Array) => np.maximum(x, 0).add(np.log1p(np.exp(x.abs().neg()))));
stable.defVjp(
  // forward: the value, and sigmoid(x) as the residual (the library's logistic is stable for any x)
  (x: Array) => [stable(x), nn.sigmoid(x)],
  // backward: ct · sigmoid(x)
  (sig: Array, ct: Array) => [ct.mul(sig)],
);

const xs = np.array([-1e4, -20, 0, 20, 1e4]);
const naiveGrad = vmap(grad(naive))(xs);
const stableGrad = jit(vmap(grad(stable)))(xs);
const expected = [0, 1 / (1 + Math.exp(20)), 0.5, 1 / (1 + Math.exp(-20)), 1];

console.log("x            ", xs.toString());
console.log("value        ", stable(xs).toString());
console.log("naive grad   ", naiveGrad.toString(), "  <- NaN where e^x overflows");
console.log("customVjp    ", stableGrad.toString());

const got = [...stableGrad.dataSync()];
const ok =
  got.length === expected.length && got.every((g, i) => Number.isFinite(g) && Math.abs(g - expected[i]!) < 1e-6);
console.log(ok ? "customVjp gradient is finite and correct everywhere" : "MISMATCH");
if (!ok) process.exit(1);
