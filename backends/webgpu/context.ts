/**
 * The device a WebGPU backend runs on, and how its failures reach the user: validation errors
 * (reported asynchronously by the device) and device loss become graft errors raised by the next
 * read or operation, never silent wrong results.
 */

/** What graft asks of the adapter beyond WebGPU's defaults: as much as it offers of these limits. */
const LIMITS_WANTED = [
  "maxStorageBuffersPerShaderStage",
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
] as const;

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapterInfo: { readonly vendor: string; readonly architecture: string; readonly description: string };
  /** A fallback (software) adapter: kernels without workgroup barriers run faster there. */
  readonly fallback: boolean;
  readonly limits: GPUSupportedLimits;
  /** Throws the first error the device reported (validation, out of memory, loss), once. */
  check(op: string): void;
  /** Records an error raised while recording work asynchronously (a whileLoop's later iterations): `check` throws it. */
  report(message: string): void;
}

/** Requests an adapter and a device from `gpu`; errors name what to do. */
export async function openDevice(gpu: GPU, options: GPURequestAdapterOptions = {}): Promise<GpuContext> {
  const adapter = await gpu.requestAdapter(options);
  if (!adapter)
    throw new Error(
      "initWebGpu: no WebGPU adapter (in a browser: WebGPU disabled or unsupported; in Node: no Vulkan/Metal/D3D driver — " +
        "see the README's WebGPU section for a software adapter)",
    );
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS_WANTED) {
    const v = adapter.limits[name];
    if (typeof v === "number") requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits });
  const info = adapter.info;
  const adapterInfo = {
    vendor: info?.vendor ?? "",
    architecture: info?.architecture ?? "",
    description: info?.description ?? "",
  };
  const fallback =
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true ||
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe|software/i.test(
      `${adapterInfo.vendor} ${adapterInfo.architecture} ${adapterInfo.description}`,
    );
  let pending: string | undefined;
  let lost: string | undefined;
  device.addEventListener("uncapturederror", (ev) => {
    pending ??= (ev as GPUUncapturedErrorEvent).error.message;
  });
  void device.lost.then((l) => {
    lost = `${l.reason}: ${l.message}`;
  });
  return {
    device,
    adapterInfo,
    fallback,
    limits: device.limits,
    report(message) {
      pending ??= message;
    },
    check(op) {
      if (lost !== undefined)
        throw new Error(`${op}: the WebGPU device was lost (${lost}); call initWebGpu() again to get a new one`);
      if (pending !== undefined) {
        const message = pending;
        pending = undefined;
        throw new Error(`${op}: WebGPU reported an error: ${message}`);
      }
    },
  };
}
