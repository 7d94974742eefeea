/**
 * The WebGPU test fixture: one GPU object (Dawn, from the `webgpu` package) for the whole process,
 * kept reachable on globalThis — dawn.node crashes if the object `create()` returned is collected
 * while GPU work runs. Points Vulkan at the lavapipe that scripts/setup-webgpu.sh unpacks, unless
 * VK_ICD_FILENAMES is already set. Without an adapter the WebGPU tests are skipped with the reason,
 * or fail under GRAFT_REQUIRE_WEBGPU=1 (as .ci/run sets).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface TestGpu {
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
}

type Holder = { __graftTestGpu?: Promise<TestGpu | string> };

async function acquire(): Promise<TestGpu | string> {
  const icd = join(process.env.GRAFT_WEBGPU_DIR ?? join(homedir(), ".cache", "graft-webgpu"), "lvp_icd.json");
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
  let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    mod = (await import("webgpu")) as unknown as typeof mod;
  } catch (e) {
    return `the 'webgpu' package could not be loaded (${(e as Error).message}); run npm ci`;
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) return "no WebGPU adapter: run scripts/setup-webgpu.sh (lavapipe) or set VK_ICD_FILENAMES";
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  return { gpu, adapter, device };
}

/** The process's GPU, or the reason there is none (a skip), or a throw under GRAFT_REQUIRE_WEBGPU=1. */
export async function testGpu(): Promise<TestGpu | { skip: string }> {
  const holder = globalThis as Holder;
  holder.__graftTestGpu ??= acquire();
  const got = await holder.__graftTestGpu;
  if (typeof got !== "string") return got;
  if (process.env.GRAFT_REQUIRE_WEBGPU === "1") throw new Error(`GRAFT_REQUIRE_WEBGPU=1: ${got}`);
  return { skip: got };
}
