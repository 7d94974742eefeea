/**
 * Threads for the WebAssembly backend: a pool of Node worker threads over the shared linear
 * memory, used for large matrix products. See config.ts (how many), pool.ts (the pool), split.ts
 * (how a product is cut so results do not depend on the thread count) and gemm.ts.
 */
export { threadCount } from "./config.js";
export { GEMM_MACS_PER_THREAD, gemmMayUseThreads, runGemmThreaded, threadStats, workspaceStride } from "./gemm.js";
