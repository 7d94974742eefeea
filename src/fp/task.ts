/** Reading pytrees back from a device as an fp-ts `Task`. */
import { ApplicativePar, of, type Task } from "fp-ts/lib/Task.js";
import { Array } from "../core/array.js";
import { deviceGet } from "../core/device.js";
import type { Tree } from "./hkt.js";
import { traverse } from "./instances.js";

/**
 * A `Task` that copies every array leaf of `tree` to the host (`deviceGet` per leaf, all in
 * parallel: the tree's `traverse` with `Task`'s parallel applicative); other leaves stay as they
 * are. Nothing is read until the task runs, so it works for WebGPU arrays, which read asynchronously.
 * @example
 * const host = await downloadTree({ w: gpuArray, step: 3 })(); // host.w.dataSync() works
 */
export const downloadTree = <T>(tree: T): Task<T> =>
  traverse(ApplicativePar)(
    tree as Tree<unknown>,
    (leaf: unknown): Task<unknown> => (leaf instanceof Array ? () => deviceGet(leaf) : of(leaf)),
  ) as Task<T>;
