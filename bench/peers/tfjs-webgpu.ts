/**
 * TensorFlow.js on `@tensorflow/tfjs-backend-webgpu`, for `npm run bench:peers`: the same
 * workloads as tfjs.ts (tfjs-workloads.ts; W5, W6 "—"), float32, with WEBGPU_TIMING's few calls
 * and the backend's default flags (as a user gets them: small ops may run on the CPU,
 * WEBGPU_CPU_FORWARD).
 *
 * The backend registers itself on import only where `navigator.gpu` exists, so
 * browserLikeWebGpu() installs the `webgpu` package's (Dawn's) GPU and the WebGPU globals first, in
 * this child only. Each call ends with `await y.data()` on every output, so a call counts until the
 * GPU has finished and the results are back in JS. The device is destroyed at the end so that the
 * process exits.
 */
import { peerVersion, report, unavailable } from "./harness.js";
import { type Tf, tfjsWorkloads } from "./tfjs-workloads.js";
import { browserLikeWebGpu, exitSoonIfHeld, WEBGPU_TIMING } from "./webgpu-env.js";

const label = process.argv[2] ?? "tfjs webgpu";
let tf: Tf | undefined;
try {
  const adapter = await browserLikeWebGpu();
  if (typeof adapter === "string") throw new Error(adapter);
  tf = (await import(["@tensorflow", "tfjs"].join("/"))) as Tf;
  await import(["@tensorflow", "tfjs-backend-webgpu"].join("/"));
  if (!(await tf.setBackend("webgpu"))) throw new Error("n/a (tfjs's webgpu backend failed to initialise)");
  await tf.ready();
  await report(
    {
      library: label,
      version: `@tensorflow/tfjs ${peerVersion("@tensorflow/tfjs")}, tfjs-backend-webgpu ${peerVersion("@tensorflow/tfjs-backend-webgpu")}`,
      backend: tf.getBackend(),
      threads: `the GPU's (${adapter.fallback ? "software adapter: CPU threads" : "hardware adapter"})`,
      adapter,
    },
    tfjsWorkloads(tf, async (ys) => Promise.all(ys.map((y) => y.data()))),
    WEBGPU_TIMING,
  );
} catch (e) {
  unavailable(label, e);
} finally {
  try {
    if (tf?.getBackend() === "webgpu") (tf.backend() as { device?: GPUDevice }).device?.destroy();
  } catch {
    // no device was opened
  }
  exitSoonIfHeld();
}
