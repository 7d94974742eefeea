/** The fixture itself: an adapter, a device, and a compute shader that runs (1M sums). */
import { describe, expect, it } from "vitest";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

describe.skipIf(skip !== undefined)(`WebGPU fixture${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("adds two 2^20-element vectors on the adapter", async () => {
    if ("skip" in got) return;
    const { device } = got;
    const n = 1 << 20;
    const make = (data: Float32Array, usage: number): GPUBuffer => {
      const b = device.createBuffer({ size: data.byteLength, usage, mappedAtCreation: true });
      new Float32Array(b.getMappedRange()).set(data);
      b.unmap();
      return b;
    };
    const a = make(
      Float32Array.from({ length: n }, (_, i) => i),
      GPUBufferUsage.STORAGE,
    );
    const b = make(
      Float32Array.from({ length: n }, (_, i) => 2 * i),
      GPUBufferUsage.STORAGE,
    );
    const c = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const r = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const module = device.createShaderModule({
      code: `
        @group(0) @binding(0) var<storage, read> a: array<f32>;
        @group(0) @binding(1) var<storage, read> b: array<f32>;
        @group(0) @binding(2) var<storage, read_write> c: array<f32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
          if (g.x < arrayLength(&c)) { c[g.x] = a[g.x] + b[g.x]; }
        }`,
    });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [a, b, c].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(n / 64);
    pass.end();
    enc.copyBufferToBuffer(c, 0, r, 0, n * 4);
    device.queue.submit([enc.finish()]);
    await r.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(r.getMappedRange().slice(0));
    r.unmap();
    let bad = 0;
    for (let i = 0; i < n; i++) if (out[i] !== 3 * i) bad++;
    expect(bad).toBe(0);
  });
});
