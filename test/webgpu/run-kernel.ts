/**
 * Runs one generated WgslKernel on the test device with host data for its bindings, and reads
 * every read_write binding back: the harness of the WGSL generator tests (no backend involved).
 */
import type { DType, TypedArray } from "../../src/core/dtype.js";
import type { WgslKernel } from "../../backends/webgpu/codegen/kernel.js";

/** Host data of one plan buffer: bool as Uint8Array 0/1 (widened to u32 on upload). */
export interface HostBuffer {
  readonly dtype: DType;
  readonly data: TypedArray;
}

function toDevice(h: HostBuffer): Uint8Array {
  const words = h.dtype === "bool" ? Uint32Array.from(h.data as Uint8Array) : h.data;
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

function fromDevice(bytes: ArrayBuffer, dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(bytes, 0, n).slice();
    case "int32":
      return new Int32Array(bytes, 0, n).slice();
    case "uint32":
      return new Uint32Array(bytes, 0, n).slice();
    case "bool":
      return Uint8Array.from(new Uint32Array(bytes, 0, n));
    default:
      throw new Error(`run-kernel: no ${dtype} on WebGPU`);
  }
}

/**
 * `buffers[id]` is plan buffer id's contents (outputs too: their initial contents). Returns the
 * contents of every buffer after the kernel, read back for read_write bindings.
 */
export async function runKernel(
  device: GPUDevice,
  kernel: WgslKernel,
  buffers: Readonly<Record<number, HostBuffer>>,
): Promise<Record<number, TypedArray>> {
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: kernel.code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const gpu = kernel.bindings.map((b) => {
    const h = buffers[b.buffer];
    if (!h) throw new Error(`run-kernel: no data for buffer ${b.buffer}`);
    const bytes = toDevice(h);
    const buf = device.createBuffer({
      size: Math.max(16, Math.ceil(bytes.byteLength / 4) * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buf, 0, bytes as Uint8Array<ArrayBuffer>);
    return buf;
  });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: gpu.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(...kernel.workgroups);
  pass.end();
  const reads = kernel.bindings.flatMap((b, i) => {
    if (b.access !== "read_write") return [];
    const src = gpu[i]!;
    const staging = device.createBuffer({ size: src.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    enc.copyBufferToBuffer(src, 0, staging, 0, src.size);
    return [{ id: b.buffer, staging }];
  });
  device.queue.submit([enc.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(`run-kernel: WebGPU validation error: ${error.message}\n${kernel.code}`);
  const out: Record<number, TypedArray> = {};
  for (const { id, staging } of reads) {
    await staging.mapAsync(GPUMapMode.READ);
    const h = buffers[id]!;
    out[id] = fromDevice(staging.getMappedRange().slice(0), h.dtype, h.data.length);
    staging.unmap();
    staging.destroy();
  }
  for (const b of gpu) b.destroy();
  return out;
}
