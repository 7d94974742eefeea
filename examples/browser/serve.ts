/**
 * `npm run example:browser`: bundles the browser demo and serves it on 127.0.0.1 until Ctrl-C.
 *
 *   npm run example:browser              # port 5180, or a free one if 5180 is taken
 *   npm run example:browser -- --port 8080
 *
 * Then open the printed URL: the page trains the digits MLP on WebGPU if the browser has an adapter,
 * on WebAssembly otherwise. `?backend=wasm|webgpu&steps=N&where=main|worker` override the defaults.
 */
import { startDemoServer } from "./server.js";

const DEFAULT_PORT = 5180;

function portArgument(args: readonly string[]): number | undefined {
  const i = args.indexOf("--port");
  const text = i >= 0 ? args[i + 1] : process.env.PORT;
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${text}: expected 0..65535`);
  return port;
}

const asked = portArgument(process.argv.slice(2));
let server: Awaited<ReturnType<typeof startDemoServer>>;
try {
  server = await startDemoServer({ port: asked ?? DEFAULT_PORT });
} catch (e) {
  if (asked !== undefined || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
  server = await startDemoServer({ port: 0 }); // the default port is taken: any free one
}
console.log(`graft browser demo: ${server.url}`);
console.log(`  WebAssembly only:  ${server.url}?backend=wasm`);
console.log(`  WebGPU, 100 steps: ${server.url}?backend=webgpu&steps=100`);
console.log("Ctrl-C to stop.");

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
