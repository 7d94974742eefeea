/** einsum and the products built on dot_general. */
import { np } from "../../../src/index.js";
import { arg, param, type Impl } from "./types.js";

export const EINSUM_CASES: Record<string, Impl> = {
  einsum: (args, kw) => np.einsum(param<string>(kw, "spec"), ...args.map((_, i) => arg(args, i))),
  matmul: (args) => np.matmul(arg(args, 0), arg(args, 1)),
  dot: (args) => np.dot(arg(args, 0), arg(args, 1)),
  tensordot: (args, kw) => np.tensordot(arg(args, 0), arg(args, 1), param<number | [number[], number[]]>(kw, "axes")),
  inner: (args) => np.inner(arg(args, 0), arg(args, 1)),
  outer: (args) => np.outer(arg(args, 0), arg(args, 1)),
};
