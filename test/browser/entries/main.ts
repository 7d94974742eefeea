/**
 * Browser entry for a page's main thread (cases a and c): which backend graft chose, how many
 * threads it would use, and the shared MLP check. Bundled by harness.ts; `run` is its interface.
 */
import { defaultBackend, wasmThreads } from "../../../src/index.js";
import { type MlpResult, mlpCheck } from "../shared/checks.js";

export interface MainResult {
  crossOriginIsolated: boolean;
  backend: string;
  threads: number;
  mlp: MlpResult;
}

export function run(): MainResult {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    backend: defaultBackend(),
    mlp: mlpCheck(),
    // After the MLP: the thread count is settled once the backend has run.
    threads: wasmThreads(),
  };
}
