/**
 * What the WebGPU children of `npm run bench:peers` (graft-webgpu.ts, jaxjs-webgpu.ts,
 * tfjs-webgpu.ts) share: Vulkan pointed at the software adapter (lavapipe, as test/webgpu/gpu.ts
 * does), the adapter's name, a short timing plan, and, for the peers written for browsers, a
 * browser-like `navigator.gpu` plus the WebGPU globals (GPUBufferUsage, GPUMapMode, …).
 *
 * Why a separate, short timing plan: on a software adapter one 1024² matmul takes 0.1–2 s, so the
 * CPU children's plan (about 10 s per workload, at least 8 calls) would take many minutes.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { TimingPlan } from "./harness.js";

/** Few calls per workload, and a cap on the whole child (its remaining workloads are "skipped"). */
export const WEBGPU_TIMING: TimingPlan = { budgetMs: 1500, minN: 3, maxN: 10, warmup: 1, capMs: 90_000 };

/** A WebGPU adapter as the table names it. */
export interface AdapterName {
  name: string;
  /** A fallback (software) adapter: its times say nothing about a GPU's. */
  fallback: boolean;
}

/**
 * Points Vulkan at the lavapipe ICD that scripts/setup-webgpu.sh unpacks, unless VK_ICD_FILENAMES
 * is already set (a real GPU's driver, say). Must run before the `webgpu` package creates its GPU.
 */
export function useLavapipeUnlessChosen(): void {
  const dir = process.env.GRAFT_WEBGPU_DIR ?? join(homedir(), ".cache", "graft-webgpu");
  const icd = join(dir, "lvp_icd.json");
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
}

/** The adapter's vendor / architecture / description, and whether it is a software one. */
export function adapterName(adapter: GPUAdapter): AdapterName {
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.description].filter((s) => s).join(" / ") || "unnamed adapter";
  // Dawn does not always set isFallbackAdapter for lavapipe / SwiftShader; their names say it.
  const flagged = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { name, fallback: flagged || /swiftshader|llvmpipe|lavapipe|software/i.test(name) };
}

type Holder = { __benchPeersGpu?: GPU };

/**
 * Makes Node look like a browser with WebGPU for the peers: the `webgpu` package's globals on
 * globalThis and its GPU as `navigator.gpu`. The GPU stays reachable from globalThis for the whole
 * process (dawn.node crashes if it is collected while work runs). Returns the adapter's name, or
 * why there is none ("n/a (…)", which the table prints as the reason).
 */
export async function browserLikeWebGpu(): Promise<AdapterName | string> {
  useLavapipeUnlessChosen();
  let mod: typeof import("webgpu");
  try {
    mod = await import("webgpu");
  } catch (e) {
    return `n/a (the optional 'webgpu' package could not be loaded: ${(e as Error).message})`;
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  (globalThis as Holder).__benchPeersGpu = gpu;
  const nav = (globalThis as { navigator?: object }).navigator;
  // Node 20 has no navigator; Node ≥ 21 has one without `gpu`.
  if (nav) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
  else
    Object.defineProperty(globalThis, "navigator", {
      value: { gpu, userAgent: `Node.js/${process.version}` },
      configurable: true,
      writable: true,
    });
  const adapter = await gpu.requestAdapter();
  if (!adapter) return "n/a (no WebGPU adapter: run scripts/setup-webgpu.sh (lavapipe) or set VK_ICD_FILENAMES)";
  return adapterName(adapter);
}

/**
 * Lets the child exit even if something still holds the GPU after its device was destroyed: the
 * timer does not keep Node alive by itself, so a child that exits normally never waits for it.
 */
export function exitSoonIfHeld(ms = 5_000): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), ms).unref();
}
