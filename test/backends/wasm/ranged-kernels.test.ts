/**
 * Ranged kernels, the form the worker threads run (backends/wasm/threads/kernels.ts): for real
 * plans of fused elementwise loops and reductions, running a kernel's ranged functions over
 * arbitrary cuts of their ranges (unaligned to vectors, one-element pieces, empty pieces) leaves
 * the arena with the same bytes as the whole, unranged kernel, and no two pieces write the same
 * byte. Run here on one thread, piece after piece; which thread runs a piece cannot change its bits.
 */
import { describe, expect, it } from "vitest";
import { type Array, jit, nn, np, withBackend } from "../../../src/index.js";
import { planProgram } from "../../../backends/plan/build.js";
import type { Kernel, KernelPlan } from "../../../backends/plan/types.js";
import { hostImports, importHost } from "../../../backends/wasm/codegen/host.js";
import { ModuleBuilder } from "../../../backends/wasm/encoder/module.js";
import { I32 } from "../../../backends/wasm/encoder/opcodes.js";
import { emitLoopNest, type LoopRange, loopRange, RANGED_PARAMS } from "../../../backends/wasm/kernels/loop-nest.js";
import { emitReduce } from "../../../backends/wasm/kernels/reduce.js";
import { VectorMath } from "../../../backends/wasm/math/index.js";
import { elementwiseSpec, operandOf } from "../../../backends/wasm/runtime/compile.js";
import { LinearMemory } from "../../../backends/wasm/runtime/memory.js";

type Fn = (...args: number[]) => void;

/** Deterministic values in [-2, 2). */
function fill(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 30 - 2;
  });
}

/** Cut points of [0, extent): every piece size from 0 to 5 first, then a few larger ones. */
function cuts(extent: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  let step = 0;
  while (at < extent) {
    const size = step < 6 ? step : 7 + ((step * 13) % 29);
    out.push([at, Math.min(extent, at + size)]);
    at += size;
    step++;
  }
  return out;
}

/** Compiles `k` twice (whole and ranged) into one module; returns both call sequences. */
function build(
  plan: KernelPlan,
  k: Kernel,
  mem: LinearMemory,
): { whole: Fn[]; ranged: { fn: Fn; range: LoopRange }[] } {
  const m = new ModuleBuilder().importMemory(mem.importDescriptor);
  const e = { m, host: importHost(m), math: new VectorMath(m) };
  let whole: string[];
  let ranged: { name: string; range: LoopRange }[];
  if (k.kind === "elementwise") {
    const spec = elementwiseSpec(k, operandOf(plan), plan);
    emitLoopNest(e, m.declare([I32], [], "w"), spec);
    emitLoopNest(e, m.declare(RANGED_PARAMS, [], "r"), spec, true);
    whole = ["w"];
    ranged = [{ name: "r", range: loopRange(spec) }];
  } else if (k.kind === "reduce") {
    const addr = {
      inputs: k.inputs.map((v) => plan.buffers[v.buffer]!.offset),
      output: plan.buffers[k.output]!.offset,
    };
    whole = emitReduce(e, k, addr, "w").map((f) => f.name);
    ranged = emitReduce(e, k, addr, "r", true);
  } else throw new Error(`not a fused kernel: ${k.kind}`);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), {
    env: { memory: mem.memory },
    ...hostImports(),
  });
  const fn = (n: string): Fn => inst.exports[n] as Fn;
  return { whole: whole.map(fn), ranged: ranged.map((r) => ({ fn: fn(r.name), range: r.range })) };
}

/** Checks every fused kernel of f's plan; returns how many were checked. */
function checkPlan(f: (...xs: Array[]) => Array, args: Array[]): number {
  const program = withBackend("cpu", () => jit(f).lower(...args).program);
  const plan = planProgram(program);
  const mem = new LinearMemory(0);
  const base = mem.push(plan.arenaBytes);
  plan.buffers.forEach((b, i) => {
    const data = fill(b.size, 7 + i);
    const view = mem.view(b.dtype, base + b.offset, b.size);
    for (let j = 0; j < b.size; j++) view[j] = b.dtype === "bool" ? Number(data[j]! > 0) : data[j]! * 100;
  });
  let checked = 0;
  const arena = (): Uint8Array => new Uint8Array(mem.memory.buffer, base, plan.arenaBytes);
  for (const k of plan.kernels) {
    if (k.kind !== "elementwise" && k.kind !== "reduce") continue;
    const { whole, ranged } = build(plan, k, mem);
    const before = arena().slice();
    for (const w of whole) w(base);
    const expected = arena().slice();
    arena().set(before);
    for (const r of ranged) {
      if (!r.range.splittable) {
        r.fn(base, 0, r.range.extent);
        continue;
      }
      // Each piece alone writes bytes no other piece writes (an overrun into a neighbour's
      // elements would write correct values, invisible in the final bytes), …
      const start = arena().slice();
      const written = new Uint8Array(start.length);
      for (const [a, b] of cuts(r.range.extent)) {
        r.fn(base, a, b);
        const now = arena();
        for (let i = 0; i < now.length; i++)
          if (now[i] !== start[i]) {
            expect(written[i], `byte ${i} written by two pieces (${a}..${b}) of a ${k.kind} kernel`).toBe(0);
            written[i] = 1;
          }
        arena().set(start);
      }
      // … and all of them, one after another, write the whole function's bytes.
      for (const [a, b] of cuts(r.range.extent)) r.fn(base, a, b);
    }
    expect(Buffer.compare(Buffer.from(arena()), Buffer.from(expected)), `kernel ${k.kind} of shape ${k.shape}`).toBe(0);
    checked++;
  }
  return checked;
}

const arr = (shape: number[], seed: number, dtype: "float32" | "float64" | "int32" = "float32"): Array =>
  withBackend("cpu", () =>
    np.array(
      fill(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ).map((v) => (dtype === "int32" ? Math.round(v * 1000) : v)),
      { shape, dtype },
    ),
  );

describe("ranged kernels compute the whole kernel's bits on any cut", () => {
  it("one-dimensional float32 and float64 loops (vector bodies, scalar tails at every cut)", () => {
    const w2 = (x: Array) => np.tanh(x.mul(0.5).add(1)).mul(nn.sigmoid(x)).sub(x.mul(x).div(3));
    expect(checkPlan(w2, [arr([1003], 1)])).toBe(1);
    expect(checkPlan((x: Array) => np.exp(x).add(np.sin(x)), [arr([203], 2, "float64")])).toBe(1);
  });

  it("two- and three-dimensional loops with broadcasts, transposes and reversed views", () => {
    const f = (a: Array, b: Array) =>
      np
        .transpose(a)
        .mul(b)
        .add(np.flip(np.transpose(a), 0));
    expect(checkPlan(f, [arr([37, 29], 3), arr([29, 1], 4)])).toBeGreaterThan(0);
    const g = (a: Array, b: Array) => a.reshape([5, 7, 9]).add(b).mul(2);
    expect(checkPlan(g, [arr([315], 5), arr([7, 1], 6)])).toBeGreaterThan(0);
  });

  it("integer loops and index nodes (iota)", () => {
    const f = (a: Array) => a.mul(3).add(np.arange(0, 999, 1, { dtype: "int32" }));
    expect(checkPlan(f, [arr([999], 7, "int32")])).toBeGreaterThan(0);
  });

  it("strided writes: pad and concatenate", () => {
    const f = (a: Array, b: Array) => np.concatenate([np.exp(a), b.mul(2)], 1);
    expect(checkPlan(f, [arr([23, 17], 8), arr([23, 5], 9)])).toBeGreaterThan(0);
    const g = (a: Array) =>
      np.pad(np.tanh(a), [
        [2, 3],
        [1, 4],
      ]);
    expect(checkPlan(g, [arr([19, 13], 10)])).toBeGreaterThan(0);
  });

  it("reductions over the innermost axis, over outer axes (accumulators), and over both", () => {
    expect(checkPlan((a: Array) => np.sum(a.mul(a), 1), [arr([33, 50], 11)])).toBe(1);
    expect(checkPlan((a: Array) => np.sum(np.exp(a), 0), [arr([33, 50], 12)])).toBe(1);
    expect(checkPlan((a: Array) => np.max(a.add(1), [0, 2]), [arr([7, 9, 11], 13)])).toBe(1);
    expect(checkPlan((a: Array) => np.sum(a.mul(2), 1), [arr([6, 10, 13], 14, "float64")])).toBe(1);
    expect(checkPlan((a: Array) => np.sum(np.tanh(a)), [arr([1001], 15)])).toBe(1);
  });
});
