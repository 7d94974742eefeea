/**
 * graft's side of `npm run bench:peers` (run as `node --import tsx bench/peers/graft.ts <label>`):
 * W1–W6 (graft-workloads.ts) from the source tree, on the backend GRAFT_BACKEND names (default
 * `cpu`, the single-threaded JS reference backend). run.ts starts this file three times: `cpu`,
 * `wasm` with GRAFT_THREADS=1, and `wasm` with GRAFT_THREADS unset (all threads); the WebGPU
 * backend has its own child, graft-webgpu.ts.
 *
 * graft is imported dynamically: with GRAFT_BACKEND naming a backend that is not registered,
 * loading graft throws, and this child then reports the library as unavailable ("n/a (wasm backend
 * not registered)") instead of crashing. The thread count is what the wasm backend reports
 * (`wasmThreads()`: threads serve large matrix products only).
 */
import { report, unavailable } from "./harness.js";

const backend = process.env.GRAFT_BACKEND || "cpu";
const requested = process.env.GRAFT_THREADS;
const label = process.argv[2] ?? `graft ${backend}`;

async function threadsText(): Promise<string> {
  if (backend === "cpu") return "1 (JS)";
  const { wasmThreads } = await import("../../backends/wasm/index.js");
  return `${wasmThreads()} for large matmuls and fused kernels (GRAFT_THREADS=${requested ?? "unset"})`;
}

try {
  let graft: typeof import("../../src/index.js");
  try {
    graft = await import("../../src/index.js");
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/not registered/.test(msg)) throw new Error(`n/a (${backend} backend not registered)`);
    throw e;
  }
  // A backend that registration left out (or replaced by its fallback) is reported, not silently
  // measured on another backend. GRAFT_BACKEND already made it the default; this covers running
  // the file by hand without GRAFT_BACKEND, where the default may be another backend.
  if (!graft.devices().includes(backend))
    throw new Error(`n/a (${backend} backend not registered; have ${graft.devices().join(", ")})`);
  graft.setDefaultBackend(backend);
  const { graftWorkloads } = await import("./graft-workloads.js");
  await report(
    {
      library: label,
      version: "source tree",
      backend: `${backend} (of ${graft.devices().join(", ")})`,
      threads: await threadsText(),
    },
    graftWorkloads(),
  );
} catch (e) {
  unavailable(label, e);
}
