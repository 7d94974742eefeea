/**
 * @jax-js/jax's side of `npm run bench:peers` (a benchmark-only peer under bench/node_modules):
 * W1–W6 (jaxjs-workloads.ts) on its `wasm` device, with `jit` for W2–W6; outputs read with
 * `dataSync()`. Single-threaded: jax-js only starts a Wasm worker pool when a global `Worker`
 * exists, which Node.js does not have (we also delete it before loading, to be sure).
 * Its WebGPU device has its own child, jaxjs-webgpu.ts.
 */
import { peerVersion, report, unavailable } from "./harness.js";
import { type JaxJs, jaxjsWorkloads, readSync } from "./jaxjs-workloads.js";

const setup = async (): Promise<JaxJs> => {
  (globalThis as { Worker?: unknown }).Worker = undefined;
  const specifier = ["@jax-js", "jax"].join("/");
  const jax = (await import(specifier)) as JaxJs;
  const devs = await jax.init("wasm");
  if (!devs.includes("wasm")) throw new Error(`wasm device did not start (got ${devs.join(", ")})`);
  jax.defaultDevice("wasm");
  return jax;
};

try {
  const jax = await setup();
  const version = peerVersion("@jax-js/jax");
  await report(
    {
      library: "jax-js",
      version: `@jax-js/jax ${version}`,
      backend: jax.defaultDevice(),
      threads: "1 (no Worker global in Node: no Wasm worker pool)",
    },
    jaxjsWorkloads(jax, readSync),
  );
} catch (e) {
  unavailable("jax-js", e);
}
