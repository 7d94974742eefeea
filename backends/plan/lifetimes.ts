/**
 * Buffer lifetimes and arena offsets: each buffer lives from the kernel that writes it (inputs and
 * constants: from the start) to its last reader (Program outputs: to the end), and buffers whose
 * lifetimes do not overlap share memory. Placement is greedy, largest first, lowest free offset.
 */
import { itemSize } from "../../src/core/dtype.js";
import type { Kernel, KernelPlan, PlanBuffer } from "./types.js";

/** Arena offsets are multiples of this (16 bytes: one SIMD vector). */
export const ARENA_ALIGN = 16;

const align = (n: number): number => Math.ceil(n / ARENA_ALIGN) * ARENA_ALIGN;

/** Buffers a kernel reads. A product's epilogue reads the product in place, not its input 0. */
export function kernelReads(k: Kernel): number[] {
  switch (k.kind) {
    case "elementwise":
    case "reduce":
      return k.inputs.map((v) => v.buffer);
    case "dot":
      return [k.lhs.buffer, k.rhs.buffer, ...(k.epilogue?.inputs.slice(1).map((v) => v.buffer) ?? [])];
    case "primitive":
      return [...k.inputs];
  }
}

/** Buffers a kernel writes. */
export function kernelWrites(k: Kernel): number[] {
  switch (k.kind) {
    case "elementwise":
      return k.outputs.map((o) => o.buffer);
    case "reduce":
    case "dot":
      return [k.output];
    case "primitive":
      return [...k.outputs];
  }
}

/** Fills each buffer's def, lastUse and offset; returns the arena's size in bytes. */
export function planArena(buffers: PlanBuffer[], kernels: readonly Kernel[], outputs: KernelPlan["outputs"]): number {
  const def = new Array<number>(buffers.length).fill(Number.NaN);
  const last = new Array<number>(buffers.length).fill(-1);
  buffers.forEach((b, i) => {
    if (b.role === "input" || b.role === "const") def[i] = -1;
  });
  kernels.forEach((k, ki) => {
    for (const r of kernelReads(k)) last[r] = Math.max(last[r]!, ki);
    for (const w of kernelWrites(k)) if (Number.isNaN(def[w]!)) def[w] = ki;
  });
  for (const o of outputs) if ("buffer" in o) last[o.buffer] = kernels.length;
  const live: { b: PlanBuffer; from: number; to: number; bytes: number }[] = [];
  buffers.forEach((b, i) => {
    const from = def[i]!;
    const to = Math.max(last[i]!, from);
    (b as { def: number }).def = Number.isNaN(from) ? -1 : from;
    b.lastUse = Number.isNaN(from) ? -1 : to;
    // Buffers nothing writes or reads (a product consumed in place by its epilogue) take no space.
    if (Number.isNaN(from)) return;
    live.push({ b, from, to, bytes: align(b.size * itemSize(b.dtype)) });
  });
  live.sort((x, y) => y.bytes - x.bytes || x.b.id - y.b.id);
  const placed: typeof live = [];
  let arena = 0;
  for (const item of live) {
    const conflicts = placed
      .filter((p) => !(p.to < item.from || item.to < p.from))
      .sort((x, y) => x.b.offset - y.b.offset);
    let offset = 0;
    for (const c of conflicts) {
      if (offset + item.bytes <= c.b.offset) break;
      offset = Math.max(offset, c.b.offset + c.bytes);
    }
    item.b.offset = offset;
    placed.push(item);
    arena = Math.max(arena, offset + item.bytes);
  }
  return arena;
}

/** The largest number of bytes live at once across the kernels (for tests of the planner). */
export function peakLiveBytes(plan: KernelPlan): number {
  let peak = 0;
  for (let k = -1; k <= plan.kernels.length; k++) {
    let bytes = 0;
    for (const b of plan.buffers) if (b.def <= k && k <= b.lastUse && b.size > 0) bytes += b.size * itemSize(b.dtype);
    peak = Math.max(peak, bytes);
  }
  return peak;
}
