/**
 * @jax-js/jax on its `webgpu` device, for `npm run bench:peers`: the same W1–W6 as jaxjs.ts
 * (jaxjs-workloads.ts), float32, with WEBGPU_TIMING's few calls.
 *
 * jax-js looks for WebGPU as a browser offers it (`navigator.gpu`, GPUBufferUsage, GPUMapMode…), so
 * browserLikeWebGpu() installs the `webgpu` package's (Dawn's) GPU and globals first, in this child
 * only. Each call ends with `await x.data()` on every output (jax-js's `dataSync()` on WebGPU needs
 * a browser's synchronous read-back tricks), so a call counts until the GPU has finished and the
 * results are back in JS. The device is destroyed at the end so that the process exits.
 */
import { peerVersion, report, unavailable } from "./harness.js";
import { type JaxJs, jaxjsWorkloads } from "./jaxjs-workloads.js";
import { browserLikeWebGpu, exitSoonIfHeld, WEBGPU_TIMING } from "./webgpu-env.js";

const label = process.argv[2] ?? "jax-js webgpu";
let jax: JaxJs | undefined;
try {
  const adapter = await browserLikeWebGpu();
  if (typeof adapter === "string") throw new Error(adapter);
  (globalThis as { Worker?: unknown }).Worker = undefined;
  jax = (await import(["@jax-js", "jax"].join("/"))) as JaxJs;
  const devs = await jax.init("webgpu");
  if (!devs.includes("webgpu")) throw new Error(`n/a (jax-js's webgpu device did not start; got ${devs.join(", ")})`);
  jax.defaultDevice("webgpu");
  await report(
    {
      library: label,
      version: `@jax-js/jax ${peerVersion("@jax-js/jax")}`,
      backend: jax.defaultDevice(),
      threads: `the GPU's (${adapter.fallback ? "software adapter: CPU threads" : "hardware adapter"})`,
      adapter,
    },
    jaxjsWorkloads(jax, async (xs) => Promise.all(xs.map((x) => x.data()))),
    WEBGPU_TIMING,
  );
} catch (e) {
  unavailable(label, e);
} finally {
  try {
    jax?.getWebGPUDevice().destroy();
  } catch {
    // no device was opened
  }
  exitSoonIfHeld();
}
