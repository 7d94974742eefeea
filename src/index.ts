/**
 * graft: composable function transformations for TypeScript.
 *
 * @example
 * import { np, grad } from "graft-ad";
 * const f = (x: np.Array) => x.tanh().sum();
 * grad(f)(np.array([0, 1])); // 1 - tanh(x)^2
 */
import { install } from "./install.js";

install();

export * as np from "./numpy/index.js";
export * as nn from "./nn/index.js";
export * as train from "./train/index.js";
export * as random from "./random/index.js";
export * as curvature from "./curvature/index.js";
export * as optim from "./optim/index.js";
export { Array, type ArrayOrScalar } from "./core/array.js";
export type { DType } from "./core/dtype.js";
export { ShapedArray } from "./core/aval.js";
export { Program } from "./core/program.js";
export { config } from "./core/config.js";
export { clearCaches } from "./core/caches.js";
export { blockUntilReady, deviceGet, devicePut } from "./core/device.js";
export { closeWebGpu, initWebGpu, type WebGpuInfo, type WebGpuOptions } from "../backends/webgpu/index.js";
export {
  devices,
  defaultBackendName as defaultBackend,
  setDefaultBackend,
  withBackend,
} from "./core/backend-choice.js";
export { ConcretizationError, UnexpectedTracerError, UnsupportedDTypeError } from "./core/errors.js";
export { tree, registerPytreeNode, type PyTreeDef } from "./tree/index.js";
export { jvp } from "../transforms/jvp.js";
export { linearize } from "../transforms/linearize.js";
export { vjp } from "../transforms/vjp.js";
export { grad, valueAndGrad, type GradOf, type GradOptions } from "../transforms/grad.js";
export { vmap, type VmapOptions, type AxisSpec } from "../transforms/vmap.js";
export { jit, type JitOptions, type Jitted, type Lowered, type Compiled } from "../transforms/jit.js";
export { jacfwd, jacrev, hessian, type JacobianOptions } from "../transforms/jacobian.js";
export { makeJaxpr } from "../transforms/make-jaxpr.js";
export { stopGradient } from "../transforms/stop-gradient.js";
export { cond, switchCase, whileLoop, fori, scan, type ScanOptions } from "./lax/control/index.js";
import { lax as laxCore } from "./lax/control/index.js";
import { laxLinalg } from "./numpy/linalg/index.js";
/**
 * JAX-style `lax`: control flow (`cond`, `switch`, `whileLoop`, `fori`, `scan`, `map`), scans and
 * `topK`, and `lax.linalg.triangularSolve` (assembled here: the lax layer sits below numpy).
 */
export const lax = Object.freeze({ ...laxCore, linalg: laxLinalg });
export { checkpoint, remat, type CheckpointOptions } from "../transforms/checkpoint.js";
export { evalShape } from "../transforms/eval-shape.js";
export { customJvp, type CustomJvp } from "../transforms/custom-jvp.js";
export { customVjp, type CustomVjp, type Cotangents } from "../transforms/custom-vjp.js";
export { linearTranspose } from "../transforms/linear-transpose.js";
export type { Backend, BufferInfo, Executable } from "./core/backend.js";
export { cpuBackend } from "../backends/cpu/index.js";
export { setWasmThreads, wasmThreads } from "../backends/wasm/index.js";
