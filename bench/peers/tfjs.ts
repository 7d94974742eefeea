/**
 * TensorFlow.js's side of `npm run bench:peers` (benchmark-only peers under bench/node_modules):
 * `@tensorflow/tfjs` on `@tensorflow/tfjs-backend-wasm` (XNNPACK), W1–W6 of tfjs-workloads.ts,
 * outputs read with `dataSync()`. Single-threaded: `setThreadsCount(1)` and
 * WASM_HAS_MULTITHREAD_SUPPORT=false (tfjs never uses threads under Node.js anyway).
 * Its WebGPU backend has its own child, tfjs-webgpu.ts.
 */
import { peerVersion, report, unavailable } from "./harness.js";
import { readSync, type Tf, tfjsWorkloads } from "./tfjs-workloads.js";

interface WasmBackend {
  setThreadsCount(n: number): void;
}

const setup = async (): Promise<Tf> => {
  const tf = (await import(["@tensorflow", "tfjs"].join("/"))) as Tf;
  const wasm = (await import(["@tensorflow", "tfjs-backend-wasm"].join("/"))) as WasmBackend;
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
  await tf.ready();
  return tf;
};

try {
  const tf = await setup();
  await report(
    {
      library: "tfjs",
      version: `@tensorflow/tfjs ${peerVersion("@tensorflow/tfjs")}, tfjs-backend-wasm ${peerVersion("@tensorflow/tfjs-backend-wasm")}`,
      backend: tf.getBackend(),
      threads: "1 (setThreadsCount(1); no Wasm threads in Node)",
    },
    tfjsWorkloads(tf, readSync),
  );
} catch (e) {
  unavailable("tfjs", e);
}
