/**
 * The WebAssembly backend's threads:
 *
 *   npx tsx bench/wasm-threads.ts           # W1 (eager 1024² f32 matmul, as bench:peers runs it)
 *                                           # and the same product jitted, 1 thread vs all threads
 *   npx tsx bench/wasm-threads.ts --sweep   # threaded vs one-thread GEMM by size, one process:
 *                                           # where splitting starts to pay (GEMM_MACS_PER_THREAD)
 *   npx tsx bench/wasm-threads.ts --kernels # jitted fused kernels (a cheap body, a transcendental
 *                                           # one, a row sum) by size, 1 thread vs all threads,
 *                                           # and which sizes the backend splits (WORK_PER_THREAD)
 *
 * The W1 comparison runs each thread count in its own child process (GRAFT_THREADS is read once),
 * alternating them for several rounds so that load from other processes hits both alike; each
 * figure is the median over all rounds. Children print their results with their product's bits
 * hashed: the hashes must agree (results do not depend on the thread count). Then, as the
 * machine's ceiling, as many one-thread children as there are hardware threads run W1 at the same
 * time: their combined throughput is the most any threading could reach here (virtual machines
 * whose vCPUs share physical cores show ≈ 1×).
 *
 * The sweep also measures a worker's wake-up latency (from a job's start until a parked worker
 * runs its first slice), which with the per-thread GEMM speed sets the threshold.
 */
import { execFileSync, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { jit, np, withBackend } from "../src/index.js";
import { wasmMemory, wasmThreads } from "../backends/wasm/index.js";
import { ModuleBuilder } from "../backends/wasm/encoder/module.js";
import { ATOMIC, I32, OP } from "../backends/wasm/encoder/opcodes.js";
import { addGemm, relaxedSimdAvailable } from "../backends/wasm/gemm/index.js";
import { workerThreads } from "../backends/wasm/threads/config.js";
import { nodePlatform } from "../backends/wasm/threads/platform.js";
import { ThreadPool } from "../backends/wasm/threads/pool.js";
import { GEMM_MACS_PER_THREAD, threadStats, WORK_PER_THREAD, workspaceStride } from "../backends/wasm/threads/index.js";
import { splitGemm } from "../backends/wasm/threads/split.js";

const N = 1024;
const ROUNDS = 3;
const SAMPLES = 12;
const now = (): number => performance.now();
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const fill = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 0) / 2 ** 32 - 0.5);

function hash(v: Float32Array): string {
  let h = 0;
  for (const x of new Uint32Array(v.buffer, v.byteOffset, v.length)) h = (Math.imul(h, 31) + x) | 0;
  return (h >>> 0).toString(16);
}

function timeSamples(run: () => void, samples: number): number[] {
  for (let i = 0; i < 3; i++) run(); // compile, tier up, start the workers
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = now();
    run();
    out.push(now() - t);
  }
  return out;
}

interface ChildResult {
  threads: number;
  eager: number[];
  jit: number[];
  hash: string;
  workers: number;
}

/** One child: W1 eager and jitted, on whatever GRAFT_THREADS says. */
function child(): void {
  withBackend("wasm", () => {
    const a = np.array(fill(N * N, 1), { shape: [N, N], dtype: "float32" });
    const b = np.array(fill(N * N, 2), { shape: [N, N], dtype: "float32" });
    const mm = jit((x: np.Array, y: np.Array) => np.matmul(x, y));
    let last = "";
    const eager = timeSamples(() => {
      last = hash(np.matmul(a, b).dataSync() as Float32Array);
    }, SAMPLES);
    const jitted = timeSamples(() => {
      mm(a, b).dataSync();
    }, SAMPLES);
    const r: ChildResult = {
      threads: wasmThreads(),
      eager,
      jit: jitted,
      hash: last,
      workers: threadStats(wasmMemory()).started,
    };
    console.log(JSON.stringify(r));
  });
}

function runChild(threads: number): ChildResult {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child"], {
    env: { ...process.env, GRAFT_THREADS: String(threads) },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
}

/** `n` one-thread children at once; resolves their results. */
function concurrentChildren(n: number): Promise<ChildResult[]> {
  const one = (): Promise<ChildResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child"], {
        env: { ...process.env, GRAFT_THREADS: "1" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.on("exit", (code) =>
        code === 0
          ? resolve(JSON.parse(out.trim().split("\n").pop()!) as ChildResult)
          : reject(new Error(`child exited with ${code}`)),
      );
    });
  return Promise.all(Array.from({ length: n }, one));
}

async function w1(): Promise<void> {
  const all = availableParallelism();
  const runs = new Map<number, ChildResult[]>([
    [1, []],
    [all, []],
  ]);
  for (let r = 0; r < ROUNDS; r++) for (const t of runs.keys()) runs.get(t)!.push(runChild(t));
  console.log(`W1: ${N}² float32 matmul on the wasm backend, Node ${process.versions.node}, ${all} hardware threads`);
  console.log(`relaxed SIMD: ${relaxedSimdAvailable() ? "yes" : "no"}; median ms over ${ROUNDS}×${SAMPLES} samples\n`);
  console.log("| threads | workers | W1 eager ms | jit(matmul) ms | result hash |");
  console.log("|---:|---:|---:|---:|---|");
  const med = new Map<number, { eager: number; jit: number }>();
  for (const [t, rs] of runs) {
    const m = { eager: median(rs.flatMap((r) => r.eager)), jit: median(rs.flatMap((r) => r.jit)) };
    med.set(t, m);
    const hashes = [...new Set(rs.map((r) => r.hash))].join(",");
    console.log(`| ${t} | ${rs[0]!.workers} | ${m.eager.toFixed(1)} | ${m.jit.toFixed(1)} | ${hashes} |`);
  }
  const one = med.get(1)!;
  const many = med.get(all)!;
  console.log(
    `\nspeed-up with ${all} threads: W1 eager ${(one.eager / many.eager).toFixed(2)}×, jit ${(one.jit / many.jit).toFixed(2)}×`,
  );
  const together = await concurrentChildren(all);
  const each = median(together.flatMap((r) => r.jit));
  console.log(
    `ceiling: ${all} one-thread processes at once took ${each.toFixed(1)} ms each for jit(matmul): ` +
      `${((all * one.jit) / each).toFixed(2)}× the throughput of one`,
  );
}

/** Microseconds from a job's start until a parked worker has run its slice (the main thread waits for it). */
function wakeLatencyUs(mem: ReturnType<typeof wasmMemory>, threads: number): number {
  const wt = workerThreads();
  if (!wt) return Number.NaN;
  // f(ws, flag): a worker (ws ≠ 0) sets the flag; the main thread (ws = 0) spins until it is set.
  const m = new ModuleBuilder().importMemory(mem.importDescriptor);
  m.func(
    [I32, I32],
    [],
    (f, c) => {
      const n = f.local(I32);
      c.get(0).if();
      c.get(1).i32(1).atomic(ATOMIC.i32_atomic_store).op(OP.return);
      c.end();
      c.i32(1_000_000_000).set(n);
      c.block().loop();
      c.get(1).atomic(ATOMIC.i32_atomic_load).brIf(1);
      c.get(n).i32(1).op(OP.i32_sub).tee(n).brIf(0);
      c.end().end();
    },
    "f",
  );
  const pool = new ThreadPool(nodePlatform(wt), mem.memory, threads);
  const mod = pool.register(new WebAssembly.Module(m.toBytes()), ["f"]);
  const flag = mem.push(16, "bench");
  const slices = [
    [0, flag],
    [0, flag],
  ];
  const ws = { arg: 0, base: 0, stride: 16 };
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    mem.view("int32", flag, 1)[0] = 0;
    const t = now();
    pool.run(mod, 0, slices, ws);
    if (i >= 20) times.push((now() - t) * 1e3);
  }
  mem.pop(flag);
  return median(times);
}

/** Threaded vs one-thread GEMM at growing sizes, operands already in linear memory. */
function sweep(): void {
  const mem = wasmMemory();
  const threads = threadStats(mem).threads;
  if (threads < 2) throw new Error("--sweep needs more than one thread (unset GRAFT_THREADS)");
  const m = new ModuleBuilder().importMemory(mem.importDescriptor);
  addGemm(m, { dtype: "float32", relaxedSimd: relaxedSimdAvailable(), exportName: "gemm" });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), { env: { memory: mem.memory } });
  const gemm = inst.exports.gemm as (...args: number[]) => void;
  // A pool of our own runs every size split (the backend's declines below its threshold).
  const pool = new ThreadPool(nodePlatform(workerThreads()!), mem.memory, threads);
  const mod = pool.register(new WebAssembly.Module(m.toBytes()), ["gemm"]);
  console.log(
    `threaded (${threads}) vs one-thread f32 GEMM; GEMM_MACS_PER_THREAD = 2^${Math.log2(GEMM_MACS_PER_THREAD)}`,
  );
  console.log(`workspace per thread ${workspaceStride()} bytes`);
  console.log(`worker wake-up latency (median): ${wakeLatencyUs(mem, threads).toFixed(1)} µs\n`);
  console.log("| M×N×K | MACs | 1 thread µs | split µs | speed-up | backend splits |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const [M, Nn, K] of [
    [32, 64, 64],
    [64, 64, 64],
    [64, 128, 64],
    [128, 128, 64],
    [128, 128, 128],
    [128, 256, 128],
    [256, 256, 128],
    [256, 256, 256],
    [128, 256, 784],
    [512, 512, 512],
  ] as [number, number, number][]) {
    const base = mem.push((M * K + K * Nn + M * Nn) * 4 + 64, "bench");
    const A = base;
    const B = A + M * K * 4;
    const C = B + K * Nn * 4;
    mem.write(A, fill(M * K, 1), "float32");
    mem.write(B, fill(K * Nn, 2), "float32");
    const args = [1, M, Nn, K, A, K, 1, 0, B, Nn, 1, 0, C, Nn, 0, 0];
    const reps = Math.max(1, Math.round(2 ** 27 / (M * Nn * K)));
    const time = (f: () => void): number =>
      median(
        timeSamples(() => {
          for (let i = 0; i < reps; i++) f();
        }, 15),
      ) / reps;
    const slices = splitGemm(args, "float32", threads);
    const ws = { arg: 15, base: 0, stride: workspaceStride() };
    const one = time(() => gemm(...args));
    const split = time(() => pool.run(mod, 0, slices, ws));
    const macs = M * Nn * K;
    const backend = macs >= 2 * GEMM_MACS_PER_THREAD ? "yes" : "no";
    console.log(
      `| ${M}×${Nn}×${K} | 2^${Math.log2(macs).toFixed(1)} | ${(one * 1e3).toFixed(1)} | ${(split * 1e3).toFixed(1)} | ${(one / split).toFixed(2)} | ${backend} |`,
    );
    mem.pop(base);
  }
}

const KERNELS: Record<string, (x: np.Array) => np.Array> = {
  "x·x + 1": (x) => x.mul(x).add(1),
  "tanh(exp x)": (x) => np.tanh(np.exp(x)),
  "Σ_row x·x": (x) => np.sum(x.reshape([-1, 256]).mul(x.reshape([-1, 256])), 1),
};
const KERNEL_SIZES = [14, 16, 17, 18, 19, 20, 21];

/** One child: every kernel at every size, median µs per call and whether it ran split. */
function kernelChild(): void {
  const out: Record<string, { us: number; split: boolean }> = {};
  for (const lg of KERNEL_SIZES) {
    const x = np.array(fill(2 ** lg, 3), { dtype: "float32" });
    for (const [name, f] of Object.entries(KERNELS)) {
      const g = jit(f);
      const jobs = threadStats(wasmMemory()).jobs;
      const samples = timeSamples(() => g(x).dataSync(), Math.max(15, Math.min(200, 2 ** (24 - lg))));
      out[`${name}|${lg}`] = { us: median(samples) * 1e3, split: threadStats(wasmMemory()).jobs > jobs };
    }
  }
  console.log(JSON.stringify(out));
}

function kernels(): void {
  const all = availableParallelism();
  const runs = new Map<number, Record<string, { us: number; split: boolean }>[]>([
    [1, []],
    [all, []],
  ]);
  for (let r = 0; r < ROUNDS; r++)
    for (const t of runs.keys()) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), "--kernel-child"],
        {
          env: { ...process.env, GRAFT_THREADS: String(t) },
          encoding: "utf8",
        },
      );
      runs.get(t)!.push(JSON.parse(out.trim().split("\n").pop()!));
    }
  console.log(
    `jitted fused kernels, 1 vs ${all} threads (medians over ${ROUNDS} rounds, µs per call with copies in and out)`,
  );
  console.log(`WORK_PER_THREAD = 2^${Math.log2(WORK_PER_THREAD)}\n`);
  console.log(`| kernel | elements | 1 thread µs | ${all} threads µs | speed-up | split |`);
  console.log("|---|---:|---:|---:|---:|---|");
  for (const name of Object.keys(KERNELS))
    for (const lg of KERNEL_SIZES) {
      const key = `${name}|${lg}`;
      const one = median(runs.get(1)!.map((r) => r[key]!.us));
      const many = median(runs.get(all)!.map((r) => r[key]!.us));
      const split = runs.get(all)!.some((r) => r[key]!.split) ? "yes" : "no";
      console.log(
        `| ${name} | 2^${lg} | ${one.toFixed(0)} | ${many.toFixed(0)} | ${(one / many).toFixed(2)} | ${split} |`,
      );
    }
}

if (process.argv.includes("--child")) child();
else if (process.argv.includes("--kernel-child")) kernelChild();
else if (process.argv.includes("--sweep")) sweep();
else if (process.argv.includes("--kernels")) kernels();
else await w1();
