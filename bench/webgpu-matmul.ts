/**
 * The WebGPU matmul shaders (backends/webgpu/codegen/matmul.ts) on their own, on the test adapter
 * (a software one — lavapipe — where there is no GPU: see test/webgpu/gpu.ts):
 *
 *   npx tsx bench/webgpu-matmul.ts          # 256², 512², and 1024² unless 512² predicts > 30 s
 *   npx tsx bench/webgpu-matmul.ts --sizes=128,256
 *
 * Each variant's square f32 product is dispatched once to warm up (and checked against float64 on
 * sampled entries), then timed from submit to onSubmittedWorkDone, RUNS times; the median is
 * reported as GFLOP/s (2·n³ flops). Also prints the variant matmulVariant picks for the adapter.
 */
import type { DotKernel, KernelPlan, PlanBuffer } from "../backends/plan/types.js";
import { matmulShader, matmulVariant } from "../backends/webgpu/codegen/matmul.js";
import { testGpu } from "../test/webgpu/gpu.js";

const RUNS = 5;
const VARIANTS = ["registers", "tiled"] as const;
/** Skip a size whose predicted time (from the previous one, n³ scaling) exceeds this. */
const BUDGET_S = 30;

const now = (): number => performance.now();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const fill = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 0) / 2 ** 32 - 0.5);

const plain = (id: number, size: number): PlanBuffer => ({
  id,
  dtype: "float32",
  size,
  role: id < 2 ? "input" : "output",
  offset: 0,
  def: id < 2 ? -1 : 0,
  lastUse: 0,
});

/** A contiguous n×n·n×n product as the planner would describe it. */
function square(n: number): { k: DotKernel; plan: KernelPlan } {
  const k: DotKernel = {
    kind: "dot",
    dtype: "float32",
    batch: 1,
    m: n,
    n,
    k: n,
    lhs: { buffer: 0, offset: 0, strides: [n * n, n, 1] },
    rhs: { buffer: 1, offset: 0, strides: [n * n, n, 1] },
    output: 2,
  };
  const buffers = [plain(0, n * n), plain(1, n * n), plain(2, n * n)];
  return { k, plan: { buffers, kernels: [k], outputs: [{ buffer: 2 }], arenaBytes: n * n * 4 } };
}

function upload(device: GPUDevice, data: Float32Array, usage: number): GPUBuffer {
  const b = device.createBuffer({ size: data.byteLength, usage, mappedAtCreation: true });
  new Float32Array(b.getMappedRange()).set(data);
  b.unmap();
  return b;
}

async function readBack(device: GPUDevice, src: GPUBuffer): Promise<Float32Array> {
  const staging = device.createBuffer({ size: src.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, src.size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

/** Largest |C − A·B| / (|A|·|B|) over sampled entries (float64 reference). */
function sampledError(a: Float32Array, b: Float32Array, c: Float32Array, n: number): number {
  let worst = 0;
  for (let s = 0; s < 64; s++) {
    const i = (s * 7919) % n;
    const j = (s * 104729 + 13) % n;
    let exact = 0;
    let scale = 0;
    for (let t = 0; t < n; t++) {
      exact += a[i * n + t]! * b[t * n + j]!;
      scale += Math.abs(a[i * n + t]! * b[t * n + j]!);
    }
    worst = Math.max(worst, Math.abs(c[i * n + j]! - exact) / scale);
  }
  return worst;
}

/** Median seconds per dispatch of `variant` at n², after a checked warm-up run. */
async function timeVariant(device: GPUDevice, n: number, variant: (typeof VARIANTS)[number]): Promise<number> {
  const { k, plan } = square(n);
  const shader = matmulShader(k, plan, { variant });
  const a = fill(n * n, 1);
  const b = fill(n * n, 2);
  const buffers = [
    upload(device, a, GPUBufferUsage.STORAGE),
    upload(device, b, GPUBufferUsage.STORAGE),
    device.createBuffer({ size: n * n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }),
  ];
  const module = device.createShaderModule({ code: shader.code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: shader.bindings.map((bd, binding) => ({ binding, resource: { buffer: buffers[bd.buffer]! } })),
  });
  const run = async (): Promise<number> => {
    const t0 = now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(...shader.workgroups);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return (now() - t0) / 1000;
  };
  await run();
  const err = sampledError(a, b, await readBack(device, buffers[2]!), n);
  // Summation error of n f32 terms is at most n·2^-24 relative to Σ|a·b|.
  if (!(err <= n * 2 ** -24)) throw new Error(`${variant} ${n}²: wrong result (relative error ${err})`);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await run());
  for (const buf of buffers) buf.destroy();
  return median(times);
}

const got = await testGpu();
if ("skip" in got) {
  console.log(`no WebGPU adapter: ${got.skip}`);
  process.exit(0);
}
const info = got.adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
const described = {
  isFallbackAdapter: info.isFallbackAdapter,
  description: info.description,
  architecture: info.architecture,
};
console.log(
  `adapter: ${info.vendor} / ${info.architecture} / ${info.description} (fallback: ${info.isFallbackAdapter})`,
);
console.log(`matmulVariant picks: ${matmulVariant(described)}`);
const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [256, 512, 1024];
let previous: { n: number; seconds: number } | undefined;
for (const n of sizes) {
  if (!sizesArg && previous && previous.seconds * (n / previous.n) ** 3 * (RUNS + 1) > BUDGET_S) {
    console.log(`${n}²: skipped (predicted over ${BUDGET_S} s)`);
    continue;
  }
  const row: string[] = [];
  let slowest = 0;
  for (const variant of VARIANTS) {
    const s = await timeVariant(got.device, n, variant);
    slowest = Math.max(slowest, s);
    row.push(`${variant} ${((2 * n ** 3) / s / 1e9).toFixed(2)} GFLOP/s (${(s * 1000).toFixed(1)} ms)`);
  }
  previous = { n, seconds: slowest };
  console.log(`${n}²: ${row.join(", ")}`);
}
