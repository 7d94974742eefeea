/** Compute pipelines, one per shader source (a bounded cache: shaders compile once per process). */
import { LruCache } from "../../src/core/caches.js";
import type { GpuContext } from "./context.js";

export class Pipelines {
  private readonly cache = new LruCache<GPUComputePipeline>(() => 512);
  /** Pipelines created so far (for tests: what compiles per call). */
  created = 0;
  constructor(private readonly ctx: GpuContext) {}

  get(code: string): GPUComputePipeline {
    let p = this.cache.get(code);
    if (!p) {
      const module = this.ctx.device.createShaderModule({ code });
      p = this.ctx.device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
      this.cache.set(code, p);
      this.created++;
    }
    return p;
  }
}
