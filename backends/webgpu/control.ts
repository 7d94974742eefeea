/**
 * Primitives that hold sub-Programs, on WebGPU, without reading anything back to the host:
 * - calls (jit_call, remat_call, custom_jvp_call, custom_vjp_call) run their Program;
 * - `scan` (static length) records its body `length` times; the step index lives in a device-side
 *   counter that the slicing and stacking shaders read and a one-thread shader increments, so the
 *   loop needs no per-step host data and no round trip;
 * - `cond` evaluates every branch and selects each output by the device-side index (no host
 *   branch needs the predicate's value; branches have no side effects, so the result is the one
 *   the reference computes);
 * - `while` reads its predicate back asynchronously, once per batch of iterations (see
 *   whileRunner): while the read is pending the loop holds the command queue (queue.ts), so the
 *   commands issued after the loop wait, in order, and run on its final carry; the loop's outputs
 *   are returned at once (their shapes are static) and filled when it ends. No read is
 *   synchronous, and the final carry is the reference's.
 */
import type { KernelPlan, PrimitiveKernel } from "../plan/types.js";
import { type Program, subPrograms } from "../../src/core/program.js";
import type { PrimParams } from "../../src/core/primitives.js";
import { flatDispatch, WORKGROUP_SIZE } from "./codegen/kernel.js";
import type { HostRunner, Runtime, WebGpuExecutable } from "./compile.js";
import type { GpuArray } from "./memory.js";

/** What control flow needs from the backend: compiled sub-Programs (with their own constants bound). */
export type CompileSub = (p: Program) => Pick<WebGpuExecutable, "run" | "runFresh">;

/**
 * Copies between a scanned array and its step-t slice, word by word (every dtype is 4 bytes):
 * `step` = [t, length, reverse] (slice t counted from the end when reverse); `n` is the slice's
 * length, taken from whichever binding is the slice.
 */
function stepCopy(sliceIs: "src" | "dst", copy: string): string {
  return `
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read> step: array<u32>;
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.y * (nwg.x * ${WORKGROUP_SIZE}u) + gid.x;
  let n = arrayLength(&${sliceIs});
  if (i >= n) { return; }
  let t = select(step[0], step[1] - 1u - step[0], step[2] != 0u);
  ${copy}
}`;
}

/** xs[t] → a slice the body reads. */
const COPY_OUT = stepCopy("dst", "dst[i] = src[t * n + i];");
/** A body's output → ys[t]. */
const COPY_IN = stepCopy("src", "dst[t * n + i] = src[i];");

const ADVANCE = `
@group(0) @binding(0) var<storage, read_write> step: array<u32>;
@compute @workgroup_size(1)
fn main() { step[0] = step[0] + 1u; }`;

/** out = branch[clamp(index)] word by word, for `n` branches. */
function selectShader(n: number): string {
  const decls = Array.from(
    { length: n },
    (_, b) => `@group(0) @binding(${b + 1}) var<storage, read> b${b}: array<u32>;`,
  );
  const pick = Array.from({ length: n }, (_, b) => `  if (k == ${b}) { out[i] = b${b}[i]; return; }`);
  return [
    "@group(0) @binding(0) var<storage, read> index: array<i32>;",
    ...decls,
    `@group(0) @binding(${n + 1}) var<storage, read_write> out: array<u32>;`,
    `@compute @workgroup_size(${WORKGROUP_SIZE})`,
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    `  let i = gid.y * (nwg.x * ${WORKGROUP_SIZE}u) + gid.x;`,
    "  if (i >= arrayLength(&out)) { return; }",
    // The reference clamps the index into range.
    `  let k = clamp(index[0], 0, ${n - 1});`,
    ...pick,
    "}",
  ].join("\n");
}

function dispatch(
  rt: Runtime,
  code: string,
  buffers: readonly { buffer: GPUBuffer; bytes: number }[],
  n: number,
): void {
  const pipeline = rt.pipelines.get(code);
  const entries = buffers.map((b, binding) => ({ binding, resource: { buffer: b.buffer, offset: 0, size: b.bytes } }));
  const group = rt.ctx.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  rt.queue.dispatch(pipeline, group, n === 0 ? [1, 1, 1] : flatDispatch(n));
}

function scanRunner(p: PrimParams["scan"], rt: Runtime, compile: CompileSub): HostRunner {
  const body = compile(p.body);
  const { numConsts, numCarry, length, reverse } = p;
  const yAvals = p.body.outAvals.slice(numCarry);
  return (ins) => {
    const consts = ins.slice(0, numConsts);
    let carry = ins.slice(numConsts, numConsts + numCarry);
    const xs = ins.slice(numConsts + numCarry);
    const words = (a: GpuArray): number => a.bytes / 4;
    const ys = yAvals.map((a) => {
      const bytes = Math.max(4, a.size * length * 4);
      return rt.memory.adopt(rt.memory.acquire(bytes, "scan"), bytes);
    });
    if (length === 0) return [...carry, ...ys];
    const step = rt.upload(new Uint8Array(new Uint32Array([0, length, reverse ? 1 : 0, 0]).buffer), "scan");
    const xSlices = xs.map((x) => Math.max(1, words(x) / length));
    /** Carries that body runs allocated (so this loop holds the only reference). */
    const made = new Set<GpuArray>();
    for (let t = 0; t < length; t++) {
      const slices = xs.map((x, k) => {
        const bytes = xSlices[k]! * 4;
        const slice = { buffer: rt.memory.acquire(bytes, "scan"), bytes };
        dispatch(rt, COPY_OUT, [x, slice, step], xSlices[k]!);
        return slice;
      });
      const { outputs: outs, fresh } = body.runFresh([...consts, ...carry, ...slices]);
      for (const s of slices) rt.memory.release(s.buffer);
      const next = outs.slice(0, numCarry);
      outs.slice(numCarry).forEach((y, k) => {
        const n = yAvals[k]!.size;
        if (n > 0) dispatch(rt, COPY_IN, [{ buffer: y.buffer, bytes: n * 4 }, ys[k]!, step], n);
      });
      dispatch(rt, ADVANCE, [step], 1);
      // The collector cannot run while a long scan is recorded: release what this step made and
      // nothing holds any more (the last step's carry is the result).
      for (const c of carry)
        if (made.has(c) && !next.includes(c)) {
          made.delete(c);
          rt.memory.drop(c);
        }
      for (const y of outs.slice(numCarry)) if (fresh.has(y) && !next.includes(y)) rt.memory.drop(y);
      for (const c of next) if (fresh.has(c)) made.add(c);
      carry = next;
    }
    return [...carry, ...ys];
  };
}

/** Whether `program` runs a whileLoop anywhere (nested Programs included). */
function runsWhile(program: Program): boolean {
  return program.eqns.some((e) => e.prim === "while" || subPrograms(e.params).some(runsWhile));
}

/** Iterations recorded per predicate read, at most (the batch doubles from 1 up to this). */
export const MAX_SPECULATIVE_ITERATIONS = 32;

/**
 * The loop reads its predicate back once per batch of iterations. A batch of k runs k times
 * "carry ← pred(carry) ? body(carry) : carry" on the device (the body is pure, and once the
 * predicate is false the carry no longer changes, so it stays false: the final carry is the
 * reference's), then reads pred(carry). Batches double from 1 to MAX_SPECULATIVE_ITERATIONS, so
 * short loops read after every iteration and long ones at most every 32, wasting at most 31 body
 * evaluations. A body or predicate with a loop inside runs one iteration per read: a nested loop
 * evaluated past the end could run forever.
 */
function whileRunner(p: PrimParams["while"], rt: Runtime, compile: CompileSub): HostRunner {
  const cond = compile(p.cond);
  const body = compile(p.body);
  const carryAvals = p.body.outAvals;
  const speculate = !runsWhile(p.body) && !runsWhile(p.cond);
  const selectCode = selectShader(2);
  return (ins) => {
    const condConsts = ins.slice(0, p.condConsts);
    const bodyConsts = ins.slice(p.condConsts, p.condConsts + p.bodyConsts);
    const init = ins.slice(p.condConsts + p.bodyConsts);
    const outs = carryAvals.map((a) => {
      const bytes = Math.max(4, a.size * 4);
      return rt.memory.adopt(rt.memory.acquire(bytes, "whileLoop"), bytes);
    });
    /** One guarded iteration: the body's result where the predicate holds, the carry unchanged elsewhere. */
    const guarded = (carry: GpuArray[]): GpuArray[] => {
      const [pred] = cond.run([...condConsts, ...carry]) as [GpuArray];
      const next = body.run([...bodyConsts, ...carry]);
      return next.map((n, j) => {
        const size = carryAvals[j]!.size;
        if (size === 0) return n;
        const bytes = Math.max(4, size * 4);
        const out = rt.memory.adopt(rt.memory.acquire(bytes, "whileLoop"), bytes);
        dispatch(rt, selectCode, [pred, carry[j]!, n, out], size);
        return out;
      });
    };
    const iterate = (carry: GpuArray[], batch: number): void => {
      const [pred] = cond.run([...condConsts, ...carry]) as [GpuArray];
      rt.queue.hold(pred, (goOn) => {
        if (goOn === 0) {
          carry.forEach((c, j) => {
            if (carryAvals[j]!.size > 0) rt.queue.copy(c.buffer, outs[j]!.buffer, outs[j]!.bytes);
          });
          return;
        }
        // The predicate was just read true: the first iteration needs no guard.
        let next = body.run([...bodyConsts, ...carry]);
        for (let k = 1; k < batch; k++) next = guarded(next);
        iterate(next, speculate ? Math.min(2 * batch, MAX_SPECULATIVE_ITERATIONS) : 1);
      });
    };
    iterate(init, 1);
    return outs;
  };
}

function condRunner(p: PrimParams["cond"], rt: Runtime, compile: CompileSub): HostRunner {
  const branches = p.branches.map(compile);
  const outAvals = p.branches[0]!.outAvals;
  return (ins) => {
    const [index, ...operands] = ins as [GpuArray, ...GpuArray[]];
    if (branches.length === 1) return branches[0]!.run(operands);
    const results = branches.map((b) => b.run(operands));
    return outAvals.map((a, j) => {
      const bytes = Math.max(4, a.size * 4);
      const out = rt.memory.adopt(rt.memory.acquire(bytes, "cond"), bytes);
      if (a.size > 0) dispatch(rt, selectShader(branches.length), [index, ...results.map((r) => r[j]!), out], a.size);
      return out;
    });
  };
}

/** The runner for a primitive kernel holding sub-Programs, or undefined for other primitives. */
export function controlRunner(
  k: PrimitiveKernel,
  _plan: KernelPlan,
  rt: Runtime,
  compile: CompileSub,
): HostRunner | undefined {
  const params = k.eqn.params as never;
  switch (k.prim) {
    case "jit_call":
    case "remat_call": {
      const exe = compile((params as PrimParams["jit_call"]).program);
      return (ins) => exe.run(ins);
    }
    case "custom_jvp_call":
    case "custom_vjp_call": {
      const exe = compile((params as PrimParams["custom_jvp_call"]).fun);
      return (ins) => exe.run(ins);
    }
    case "scan":
      return scanRunner(params, rt, compile);
    case "cond":
      return condRunner(params, rt, compile);
    case "while":
      return whileRunner(params, rt, compile);
    default:
      return undefined;
  }
}
