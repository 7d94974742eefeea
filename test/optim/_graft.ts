/** What the optimizer doc examples import as "graft" (the subset they use), without src/index.ts. */
export * as np from "../../src/numpy/index.js";
export { tree } from "../../src/tree/index.js";
export { jit } from "../../transforms/jit.js";
export { grad, valueAndGrad } from "../../transforms/grad.js";
