/**
 * How the shape-generic eager shaders (codegen/generic) are dispatched: output buffers, the
 * per-call parameter words, and the dispatch itself.
 *
 * Parameter words go to the device through `rt.upload`, which submits the recorded commands before
 * it writes (a recycled buffer may still be read by them). So that a loop running the same shapes
 * again neither uploads nor breaks the command batch, each distinct list of words is uploaded once
 * per device and kept in a bounded cache; an evicted buffer returns to the pool when the collector
 * frees it, after every dispatch recorded with it (the queue runs commands in order).
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { LruCache } from "../../src/core/caches.js";
import { sizeOf } from "../../src/core/shape.js";
import { flatDispatch } from "./codegen/kernel.js";
import type { Runtime } from "./compile.js";
import type { GpuArray } from "./memory.js";
import { deviceBytes } from "./transfer.js";

/**
 * An eager primitive on a generic shader: its result, or undefined where no generic shader covers
 * this call (the one-equation Program then runs it).
 */
export type EagerRunner = (
  rt: Runtime,
  prim: string,
  params: Readonly<Record<string, unknown>>,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
) => GpuArray | undefined;

/** Parameter buffers kept per device: each takes one 256-byte pool class, so 1024 take 256 KiB. */
const PARAM_BUFFERS = 1024;

const paramCaches = new WeakMap<Runtime, LruCache<GpuArray>>();

/** The device buffer holding `words` (u32 each; negative numbers wrap), uploaded once per device. */
export function paramsBuffer(rt: Runtime, words: readonly number[]): GpuArray {
  let cache = paramCaches.get(rt);
  if (!cache) {
    cache = new LruCache<GpuArray>(() => PARAM_BUFFERS);
    paramCaches.set(rt, cache);
  }
  const key = words.join(",");
  let buf = cache.get(key);
  if (!buf) {
    const data = Uint32Array.from(words, (w) => w >>> 0);
    buf = rt.upload(new Uint8Array(data.buffer), "eager shape parameters");
    cache.set(key, buf);
  }
  return buf;
}

/** A new array buffer for `out` (contents undefined), owned by the collector. */
export function newOutput(rt: Runtime, out: BufferInfo, op: string): GpuArray {
  const bytes = deviceBytes(sizeOf(out.shape));
  return rt.memory.adopt(rt.memory.acquire(bytes, op), bytes);
}

/** A buffer for a value only this call reads; give it back with `rt.memory.release` once the dispatches reading it are recorded. */
export function scratch(rt: Runtime, size: number, op: string): GpuArray {
  const bytes = deviceBytes(size);
  return { buffer: rt.memory.acquire(bytes, op), bytes };
}

/** Records one dispatch of the generic shader `code` over `buffers` (binding i is buffers[i]). */
export function dispatch(
  rt: Runtime,
  code: string,
  buffers: readonly GpuArray[],
  workgroups: readonly [number, number, number],
): void {
  const pipeline = rt.pipelines.get(code);
  const entries = buffers.map((b, binding) => ({ binding, resource: { buffer: b.buffer, offset: 0, size: b.bytes } }));
  const group = rt.ctx.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  rt.queue.dispatch(pipeline, group, workgroups);
}

/**
 * A new array of `out` written by `code`, one invocation per output element. Bindings: `inputs`,
 * the output, then (with `words`) the parameter buffer [output size, ...words] — the count a
 * flatGenericModule shader reads from p[0]. An empty output gets its buffer but no dispatch (nor a
 * pipeline, nor a parameter upload).
 * @example
 * const y = runPerElement(rt, "gather", GATHER_SHADER, [x, indices], outInfo, [len, post, nIndices]);
 */
export function runPerElement(
  rt: Runtime,
  op: string,
  code: string,
  inputs: readonly GpuArray[],
  out: BufferInfo,
  words?: readonly number[],
): GpuArray {
  const o = newOutput(rt, out, op);
  const n = sizeOf(out.shape);
  if (n === 0) return o;
  const params = words ? [paramsBuffer(rt, [n, ...words])] : [];
  dispatch(rt, code, [...inputs, o, ...params], flatDispatch(n));
  return o;
}
