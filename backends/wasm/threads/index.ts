/**
 * Threads for the WebAssembly backend: a pool of workers (Node worker threads, or Web Workers in a
 * browser worker) over the shared linear memory, used for large matrix products and large fused
 * kernels. See config.ts (how many, on what), platform.ts (starting workers), pool.ts (the pool),
 * split.ts (how a product is cut so results do not depend on the thread count), gemm.ts and
 * kernels.ts.
 */
export { requestThreads, threadCount } from "./config.js";
export { GEMM_MACS_PER_THREAD, gemmMayUseThreads, runGemmThreaded } from "./gemm.js";
export { elementCost, type ThreadedKernel, threadedKernel, WORK_PER_THREAD } from "./kernels.js";
export { threadStats, workspaceStride } from "./pools.js";
