/**
 * graft on its WebGPU backend, for `npm run bench:peers` (run as
 * `node --import tsx bench/peers/graft-webgpu.ts <label>`): the same W1–W6 as graft.ts
 * (graft-workloads.ts), all float32 (WebGPU has no float64), with WEBGPU_TIMING's few calls.
 *
 * In Node, `initWebGpu()` takes its GPU from the optional `webgpu` package (Dawn) and holds it for
 * the whole process; Vulkan is pointed at lavapipe first unless VK_ICD_FILENAMES chooses a driver.
 * Each timed call ends with `await x.data()` on every output (not `blockUntilReady`): like the CPU
 * children, a call counts until its results are back in JS, so the time includes the GPU finishing
 * its work and the copy back. No adapter, or no `webgpu` package, makes the column "n/a".
 * The device is closed at the end so that the process exits.
 */
import { type AdapterName, exitSoonIfHeld, useLavapipeUnlessChosen, WEBGPU_TIMING } from "./webgpu-env.js";
import { report, unavailable } from "./harness.js";

const label = process.argv[2] ?? "graft webgpu";

useLavapipeUnlessChosen();
let graft: typeof import("../../src/index.js") | undefined;
try {
  graft = await import("../../src/index.js");
  let info: Awaited<ReturnType<typeof graft.initWebGpu>>;
  try {
    info = await graft.initWebGpu();
  } catch (e) {
    throw new Error(`n/a (${e instanceof Error ? e.message : String(e)})`);
  }
  graft.setDefaultBackend("webgpu");
  const adapter: AdapterName = { name: info.adapter, fallback: info.fallback };
  const { graftWorkloads } = await import("./graft-workloads.js");
  await report(
    {
      library: label,
      version: "source tree",
      backend: `webgpu (of ${graft.devices().join(", ")})`,
      threads: `the GPU's (${adapter.fallback ? "software adapter: CPU threads" : "hardware adapter"})`,
      adapter,
    },
    graftWorkloads(async (xs) => Promise.all(xs.map((x) => x.data()))),
    WEBGPU_TIMING,
  );
} catch (e) {
  unavailable(label, e);
} finally {
  graft?.closeWebGpu();
  exitSoonIfHeld();
}
