/**
 * What the core finds through registries, filled in one place: every primitive's rules, the
 * built-in backends, the numpy functions behind the Array methods, and the Array class as a leaf
 * class that `registerPytreeNode` refuses. Every package entry point
 * calls `install()` in its own body, so a bundler that keeps any entry keeps this too (a module-level
 * side effect in a shared chunk would be dropped under `"sideEffects": false`).
 */
import { Array, installArrayOps } from "./core/array.js";
import { registerBackend, setDefaultBackend } from "./core/backend.js";
import { registerAllPrimitives } from "./lax/register.js";
import { arrayOps } from "./numpy/array-ops.js";
import { cpuBackend } from "../backends/cpu/index.js";
import { wasmBackend, wasmCompilationAllowed } from "../backends/wasm/index.js";
import { reserveLeafClass } from "./tree/registry.js";

let installed = false;

/** Registers primitives and backends and installs the array methods (idempotent). */
export function install(): void {
  if (installed) return;
  installed = true;
  registerAllPrimitives();
  registerBackend(cpuBackend);
  // The WebAssembly backend is the default wherever this engine may compile WebAssembly; where a
  // Content-Security-Policy without 'wasm-unsafe-eval' forbids it, graft says so once and stays
  // on the reference backend.
  if (wasmCompilationAllowed()) registerBackend(wasmBackend, { makeDefault: true });
  // `console` may be missing (bare sandboxes); the fallback must not fail there.
  else
    globalThis.console?.warn?.(
      "graft: WebAssembly cannot be compiled here (a Content-Security-Policy without 'wasm-unsafe-eval'?); using the reference 'cpu' backend",
    );
  installArrayOps(arrayOps);
  reserveLeafClass(Array, "graft's Array class");
  // GRAFT_BACKEND picks the default backend for tests, examples and benchmarks (Node only).
  const fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.GRAFT_BACKEND;
  // WebGPU registers itself once its device is open (asynchronously): the WebGPU test setup
  // calls initWebGpu and then makes it the default.
  if (fromEnv && fromEnv !== "webgpu") {
    try {
      setDefaultBackend(fromEnv);
    } catch (e) {
      throw new Error(`GRAFT_BACKEND=${fromEnv}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
