/**
 * The wasm backend's worker threads (backends/wasm/threads):
 * - the split of a GEMM call into slices computes the same bits as the whole call, for every
 *   layout the callers produce (run here on one thread, slice after slice);
 * - child processes with GRAFT_THREADS = 1, 2 and 3 compute bitwise identical products (eager
 *   f32 and f64, a transposed operand eager and jitted, batches with and without a shared operand)
 *   and jitted MLP steps, and GRAFT_THREADS=1 creates no workers and no shared memory;
 * - a process that ran threaded products exits promptly (the workers are unref()ed);
 * - a worker that traps or exits surfaces as a graft error, not a hang.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ModuleBuilder } from "../../../backends/wasm/encoder/module.js";
import { ATOMIC, I32, OP } from "../../../backends/wasm/encoder/opcodes.js";
import {
  addGemm,
  type GemmDType,
  gemmWorkspaceBytes,
  relaxedSimdAvailable,
} from "../../../backends/wasm/gemm/index.js";
import { workerThreads } from "../../../backends/wasm/threads/config.js";
import { nodePlatform } from "../../../backends/wasm/threads/platform.js";
import { ThreadPool } from "../../../backends/wasm/threads/pool.js";
import { rowRanges, splitGemm } from "../../../backends/wasm/threads/split.js";

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** Deterministic values in [-1, 1) with a few exact zeros. */
function fill(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return i % 11 === 3 ? 0 : s / 2 ** 31 - 1;
  });
}

describe("splitting a GEMM call", () => {
  interface Case {
    name: string;
    batch: number;
    M: number;
    N: number;
    K: number;
    /** Strides in elements: A's rs, cs, bs; B's rs, cs, bs; C's ldc, bs. */
    a: [number, number, number];
    b: [number, number, number];
    c: [number, number];
  }
  const plain = (name: string, batch: number, M: number, N: number, K: number, shareB = false): Case => ({
    name,
    batch,
    M,
    N,
    K,
    a: [K, 1, M * K],
    b: [N, 1, shareB ? 0 : K * N],
    c: [N, M * N],
  });
  const CASES: Case[] = [
    plain("square", 1, 64, 48, 40),
    plain("M not a multiple of the unit", 1, 37, 29, 33),
    plain("M = 9: the one-row slice merges back (not split)", 1, 9, 20, 17),
    plain("M = 17", 1, 17, 70, 5),
    plain("K = 0", 1, 40, 12, 0),
    plain("N = 1 (not split by rows)", 1, 50, 1, 30),
    plain("M = 1 (not split)", 1, 1, 60, 30),
    { ...plain("A transposed", 1, 45, 33, 27), a: [1, 45, 0] },
    { ...plain("B transposed", 1, 45, 33, 27), b: [1, 27, 0] },
    { ...plain("both transposed", 1, 45, 33, 27), a: [1, 45, 0], b: [1, 27, 0] },
    plain("batch < threads, rows split", 2, 30, 21, 19),
    plain("batch ≥ threads", 9, 13, 11, 7),
    plain("shared B folds batches into rows", 6, 5, 24, 16, true),
    plain("shared B, M = 1 (the entry's row-vector fold)", 40, 1, 24, 16, true),
    { ...plain("shared B, A's batches not contiguous", 3, 6, 10, 8, true), a: [8, 1, 6 * 8 + 5] },
    plain("batch of N = 1 products", 5, 20, 1, 9),
  ];

  /** A one-thread GEMM module over its own memory. */
  function harness(dtype: GemmDType) {
    const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
    addGemm(m, { dtype, relaxedSimd: relaxedSimdAvailable(), exportName: "gemm" });
    const memory = new WebAssembly.Memory({ initial: 64 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), { env: { memory } });
    return { memory, gemm: inst.exports.gemm as (...args: number[]) => void };
  }

  for (const dtype of ["float32", "float64"] as const)
    for (const cs of CASES)
      it(`${dtype}: ${cs.name}: slices give the whole call's bits`, () => {
        const { memory, gemm } = harness(dtype);
        const size = dtype === "float32" ? 4 : 8;
        const T = dtype === "float32" ? Float32Array : Float64Array;
        const { batch, M, N, K } = cs;
        const extent = (rows: number, cols: number, [rs, cs2, bs]: [number, number, number]): number =>
          (batch - 1) * bs + (rows - 1) * rs + (cols - 1) * cs2 + 1;
        const A = Math.ceil(gemmWorkspaceBytes(dtype) / 64) * 64;
        const B = A + Math.ceil((extent(M, Math.max(K, 1), cs.a) * size) / 64) * 64;
        const C1 = B + Math.ceil((extent(Math.max(K, 1), N, cs.b) * size) / 64) * 64;
        const cElems = (batch - 1) * cs.c[1] + (M - 1) * cs.c[0] + N;
        const C2 = C1 + Math.ceil((cElems * size) / 64) * 64;
        const v = new T(memory.buffer);
        v.set(fill(extent(M, Math.max(K, 1), cs.a), 1), A / size);
        v.set(fill(extent(Math.max(K, 1), N, cs.b), 2), B / size);
        // Sentinels: an element no slice writes would keep it and differ between C1 and C2.
        v.fill(7.5, C1 / size, C1 / size + cElems);
        v.fill(-3.25, C2 / size, C2 / size + cElems);
        const args = (C: number): number[] => [batch, M, N, K, A, ...cs.a, B, ...cs.b, C, ...cs.c, 0];
        gemm(...args(C1));
        for (const parts of [2, 3, 4, 8]) {
          const slices = splitGemm(args(C2), dtype, parts);
          if (cs.name.includes("not split")) expect(slices).toEqual([]);
          else expect(slices.length, `parts ${parts}`).toBeGreaterThanOrEqual(2);
          if (slices.length === 0) continue;
          expect(slices.length).toBeLessThanOrEqual(2 * parts);
          v.fill(-3.25, C2 / size, C2 / size + cElems);
          for (const s of slices) gemm(...s);
          const bits1 = new Uint8Array(memory.buffer, C1, cElems * size);
          const bits2 = new Uint8Array(memory.buffer, C2, cElems * size);
          for (let i = 0; i < bits1.length; i++)
            if (bits1[i] !== bits2[i])
              throw new Error(`parts ${parts}: element ${Math.floor(i / size)} differs from the whole call's`);
        }
      });

  it("row ranges are whole units, cover M, and never leave one row alone", () => {
    for (const unit of [8, 24])
      for (let M = 1; M <= 80; M++)
        for (const parts of [2, 3, 5, 8]) {
          const r = rowRanges(M, parts, unit);
          expect(r[0]![0]).toBe(0);
          expect(r[r.length - 1]![1]).toBe(M);
          r.forEach(([a, b], i) => {
            expect(a % unit).toBe(0);
            if (i > 0) expect(a).toBe(r[i - 1]![1]);
            if (r.length > 1) expect(b - a).toBeGreaterThanOrEqual(2);
          });
        }
  });
});

/** Runs `code` (an ES module) in a child node with tsx and GRAFT_THREADS; resolves its last stdout line and timings. */
function runChild(
  code: string,
  threads: number,
  timeoutMs = 120_000,
  nodeFlags: string[] = [],
): Promise<{ out: string; status: number | null; lastLineAt: number; exitAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "--input-type=module", "-e", code], {
      cwd: root("."),
      env: { ...process.env, GRAFT_THREADS: String(threads), GRAFT_BACKEND: "wasm" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let lastLineAt = Number.NaN;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child (GRAFT_THREADS=${threads}) did not exit within ${timeoutMs} ms; stdout: ${out}`));
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) lastLineAt = performance.now();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (status) => {
      clearTimeout(timer);
      if (status !== 0) reject(new Error(`child (GRAFT_THREADS=${threads}) exited with ${status}: ${err}`));
      else resolve({ out: out.trim().split("\n").pop() ?? "", status, lastLineAt, exitAt: performance.now() });
    });
  });
}

const PRODUCTS = `
import { jit, nn, np, tree, valueAndGrad } from ${JSON.stringify(root("src/index.ts"))};
import { wasmMemory, wasmThreads } from ${JSON.stringify(root("backends/wasm/index.ts"))};
import { threadStats } from ${JSON.stringify(root("backends/wasm/threads/index.ts"))};
const fill = (n, seed) => { let s = seed >>> 0; return Float64Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1)); };
const arr = (shape, seed, dtype = "float32") => np.array(fill(shape.reduce((a, b) => a * b, 1), seed), { shape, dtype });
const hash = (x) => { const d = x.dataSync(); const u = new Uint8Array(d.buffer, d.byteOffset, d.byteLength); let h = 2166136261; for (const b of u) h = Math.imul(h ^ b, 16777619); return (h >>> 0).toString(16); };
const out = {};
const jobs = () => threadStats(wasmMemory()).jobs;
out.f32 = hash(np.matmul(arr([300, 257], 1), arr([257, 190], 2)));
out.f64 = hash(np.matmul(arr([300, 257], 3, "float64"), arr([257, 190], 4, "float64")));
out.transposed = hash(np.matmul(np.transpose(arr([257, 300], 5)), arr([257, 190], 6)));
out.batch = hash(np.matmul(arr([3, 100, 200], 7), arr([3, 200, 150], 8)));
out.sharedB = hash(np.matmul(arr([5, 50, 200], 9), arr([200, 130], 10)));
const eagerJobs = jobs();
// In a jitted function the transpose is a strided view the GEMM reads directly.
out.jitTransposed = hash(jit((a, b) => np.matmul(np.transpose(a), b))(arr([257, 300], 5), arr([257, 190], 6)));
const params = { w1: arr([300, 256], 11).mul(0.1), b1: arr([256], 12), w2: arr([256, 10], 13).mul(0.1), b2: arr([10], 14) };
const x = arr([64, 300], 15);
const y = arr([64, 10], 16);
const loss = (p, xx, yy) => {
  const h = nn.relu(np.matmul(xx, p.w1).add(p.b1));
  return np.mean(np.sum(yy.mul(nn.logSoftmax(np.matmul(h, p.w2).add(p.b2))), 1)).neg();
};
const step = jit((p, xx, yy) => {
  const [l, g] = valueAndGrad(loss)(p, xx, yy);
  return { loss: l, params: tree.map((w, gw) => w.sub(gw.mul(0.05)), p, g) };
});
let p = params;
let l;
for (let i = 0; i < 3; i++) ({ loss: l, params: p } = step(p, x, y));
out.mlp = [hash(l), hash(p.w1), hash(p.b1), hash(p.w2), hash(p.b2)].join(" ");
const s = threadStats(wasmMemory());
console.log(JSON.stringify({ out, threads: wasmThreads(), shared: wasmMemory().shared, started: s.started, eagerJobs, jitJobs: s.jobs - eagerJobs }));
`;

interface ProductsResult {
  out: Record<string, string>;
  threads: number;
  shared: boolean;
  started: number;
  eagerJobs: number;
  jitJobs: number;
}

const FUSED = `
import { jit, nn, np } from ${JSON.stringify(root("src/index.ts"))};
import { wasmMemory, wasmThreads } from ${JSON.stringify(root("backends/wasm/index.ts"))};
import { threadStats } from ${JSON.stringify(root("backends/wasm/threads/index.ts"))};
const fill = (n, seed) => { let s = seed >>> 0; return Float64Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1)); };
const arr = (shape, seed, dtype = "float32") => np.array(fill(shape.reduce((a, b) => a * b, 1), seed).map((v) => dtype === "int32" ? Math.round(v * 1e6) : v * 3), { shape, dtype });
const hash = (x) => { const d = x.dataSync(); const u = new Uint8Array(d.buffer, d.byteOffset, d.byteLength); let h = 2166136261; for (const b of u) h = Math.imul(h ^ b, 16777619); return (h >>> 0).toString(16); };
const jobs = () => threadStats(wasmMemory()).jobs;
const out = {};
const perKernel = {};
const run = (name, f, ...args) => {
  const j = jobs();
  out[name] = hash(jit(f)(...args));
  perKernel[name] = jobs() - j;
};
const x = arr([1 << 20], 1);
run("w2", (x) => np.tanh(x.mul(0.5).add(1)).mul(nn.sigmoid(x)).sub(x.mul(x).div(3)), x);
run("f64", (x) => x.mul(x).add(np.sqrt(np.abs(x))).div(3), arr([1 << 20], 2, "float64"));
// float64 transcendentals call JavaScript (the host), which workers cannot: one thread.
run("hostCalls", (x) => np.exp(x.mul(0.1)), arr([1 << 18], 2, "float64"));
run("rows", (a) => np.sum(np.exp(a).mul(np.tanh(a)), 1), arr([1024, 1024], 3));
run("middle", (a) => np.max(np.sin(a).mul(np.cos(a)), [0, 2]), arr([8, 500, 256], 4));
run("pad", (a, b) => np.concatenate([np.pad(np.tanh(np.exp(a)), [[1, 2], [3, 0]]), np.exp(b)], 0), arr([1100, 1000], 5), arr([300, 1003], 6));
run("ints", (a) => np.mod(a.mul(7).add(np.arange(0, 1 << 21, 1, { dtype: "int32" })), 1000), arr([1 << 21], 7, "int32"));
{
  // Eager: a large elementwise operation runs its shape-generic kernel split across the threads.
  const j = jobs();
  const big = arr([3 << 20], 8);
  out.eager = hash(np.tanh(big).mul(big));
  perKernel.eager = jobs() - j;
}
// Modules of collected Programs are released from the workers.
const held = threadStats(wasmMemory()).modules;
for (let i = 0; i < 5; i++) jit((x) => np.tanh(np.exp(x.mul(i + 2))))(x).dataSync();
const grown = threadStats(wasmMemory()).modules;
for (let i = 0; i < 20 && threadStats(wasmMemory()).modules >= grown; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
const s = threadStats(wasmMemory());
console.log(JSON.stringify({ out, perKernel, threads: wasmThreads(), started: s.started, grewBy: grown - held, releasedTo: s.modules - held }));
`;

interface FusedResult {
  out: Record<string, string>;
  perKernel: Record<string, number>;
  threads: number;
  started: number;
  grewBy: number;
  releasedTo: number;
}

describe("threaded fused kernels in child processes", () => {
  it("GRAFT_THREADS = 1, 2 and 3 give bitwise identical elementwise loops and reductions", async () => {
    const results: FusedResult[] = [];
    for (const t of [1, 2, 3])
      results.push(JSON.parse((await runChild(FUSED, t, 120_000, ["--expose-gc"])).out) as FusedResult);
    const [one, two, three] = results as [FusedResult, FusedResult, FusedResult];
    expect(one).toMatchObject({ threads: 1, started: 0 });
    expect(Object.values(one.perKernel).every((j) => j === 0)).toBe(true);
    for (const r of [two, three]) {
      expect(r.out).toEqual(one.out);
      // Each of these is one large kernel, split across the threads on every call.
      for (const name of ["w2", "f64", "rows", "middle", "pad", "ints", "eager"])
        expect(r.perKernel[name], name).toBeGreaterThan(0);
      expect(r.perKernel.hostCalls).toBe(0);
      expect(r.grewBy).toBe(5);
      expect(r.releasedTo).toBeLessThan(5);
    }
  }, 300_000);
});

describe("setWasmThreads", () => {
  it("sets the count before the first operation, rejects bad counts, and refuses a change afterwards", async () => {
    const code = `
      import { np, setWasmThreads, wasmThreads } from ${JSON.stringify(root("src/index.ts"))};
      import { wasmMemory } from ${JSON.stringify(root("backends/wasm/index.ts"))};
      const errors = [];
      for (const bad of [0, 1.5, -2, Number.NaN]) try { setWasmThreads(bad); } catch (e) { errors.push(e.name + ": " + e.message); }
      setWasmThreads(3);
      setWasmThreads(1);
      np.matmul(np.ones([300, 300]), np.ones([300, 300])).dataSync();
      setWasmThreads(1);
      let late = "";
      try { setWasmThreads(2); } catch (e) { late = e.message; }
      console.log(JSON.stringify({ errors, threads: wasmThreads(), shared: wasmMemory().shared, late }));
    `;
    // GRAFT_THREADS=2 in the environment: setWasmThreads overrides it.
    const r = JSON.parse((await runChild(code, 2, 60_000)).out) as {
      errors: string[];
      threads: number;
      shared: boolean;
      late: string;
    };
    expect(r.errors).toHaveLength(4);
    for (const e of r.errors) expect(e).toMatch(/^RangeError: setWasmThreads: expected an integer ≥ 1, got/);
    expect(r).toMatchObject({ threads: 1, shared: false });
    expect(r.late).toMatch(/already runs with 1 thread\(s\); call it before its first operation/);
  }, 90_000);
});

describe("threaded products in child processes", () => {
  it("GRAFT_THREADS = 1, 2 and 3 give bitwise identical products and MLP steps; 1 starts no worker", async () => {
    const results: ProductsResult[] = [];
    for (const t of [1, 2, 3]) results.push(JSON.parse((await runChild(PRODUCTS, t)).out) as ProductsResult);
    const [one, two, three] = results as [ProductsResult, ProductsResult, ProductsResult];
    expect(one).toMatchObject({ threads: 1, shared: false, started: 0, eagerJobs: 0, jitJobs: 0 });
    expect(two).toMatchObject({ threads: 2, shared: true, started: 1, eagerJobs: 5 });
    expect(three).toMatchObject({ threads: 3, shared: true, started: 2, eagerJobs: 5 });
    // The MLP's first-layer products (64×300×256 forward, and its gradients) are threaded.
    expect(two.jitJobs).toBeGreaterThan(0);
    expect(two.out).toEqual(one.out);
    expect(three.out).toEqual(one.out);
  }, 300_000);

  it("a process that ran threaded products exits promptly", async () => {
    const code = `
      import { np } from ${JSON.stringify(root("src/index.ts"))};
      import { wasmMemory } from ${JSON.stringify(root("backends/wasm/index.ts"))};
      import { threadStats } from ${JSON.stringify(root("backends/wasm/threads/index.ts"))};
      const a = np.ones([256, 256]);
      np.matmul(a, a).dataSync();
      console.log(JSON.stringify(threadStats(wasmMemory())));
    `;
    const r = await runChild(code, 2, 60_000);
    expect(JSON.parse(r.out)).toMatchObject({ threads: 2, started: 1, jobs: 1 });
    expect(r.exitAt - r.lastLineAt).toBeLessThan(5_000);
  }, 90_000);
});

describe.runIf(workerThreads() !== undefined)("worker failures", () => {
  const wt = workerThreads()!;
  const memory = (): WebAssembly.Memory => new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });

  /**
   * f(ws): on the main thread (ws = 0) spin until the word at address 0 is set (bounded); on a
   * worker (ws ≠ 0) set that word, then trap. The main thread's slice keeps it busy until a
   * worker has booted and claimed the other slice.
   */
  function trapOnWorker(): WebAssembly.Module {
    const m = new ModuleBuilder().importMemory({
      module: "env",
      name: "memory",
      minPages: 1,
      maxPages: 16,
      shared: true,
    });
    m.func(
      [I32],
      [],
      (f, c) => {
        const n = f.local(I32);
        c.get(0).if();
        c.i32(0).i32(1).atomic(ATOMIC.i32_atomic_store).op(OP.unreachable);
        c.end();
        c.i32(2_000_000_000).set(n);
        c.block().loop();
        c.i32(0).atomic(ATOMIC.i32_atomic_load).brIf(1);
        c.get(n).i32(1).op(OP.i32_sub).tee(n).brIf(0);
        c.end().end();
      },
      "f",
    );
    return new WebAssembly.Module(m.toBytes());
  }

  it("a trap on a worker throws a graft error on the main thread, and the pool stands down", () => {
    const mem = memory();
    const pool = new ThreadPool(nodePlatform(wt), mem, 2);
    const mod = pool.register(trapOnWorker(), ["f"]);
    expect(() => pool.run(mod, 0, [[0], [0]], { arg: 0, base: 0, stride: 64 })).toThrow(
      /graft: the wasm backend's worker threads failed \(worker 1: RuntimeError: unreachable/,
    );
    expect(pool.usable).toBe(false);
  }, 60_000);

  it("a worker that exited between jobs is reported by the next job", async () => {
    const mem = memory();
    const pool = new ThreadPool(nodePlatform(wt), mem, 3);
    const m = new ModuleBuilder().importMemory({
      module: "env",
      name: "memory",
      minPages: 1,
      maxPages: 16,
      shared: true,
    });
    m.func([I32], [], () => {}, "nop");
    const mod = pool.register(new WebAssembly.Module(m.toBytes()), ["nop"]);
    pool.run(mod, 0, [[0], [0], [0]]);
    expect(pool.started).toBe(2);
    await pool.workers[1]!.terminate();
    // The 'exit' event runs on this thread's event loop.
    await new Promise((r) => setTimeout(r, 50));
    expect(() => pool.run(mod, 0, [[0], [0]])).toThrow(
      /graft: the wasm backend's worker threads failed \(worker 2 exited/,
    );
    expect(pool.usable).toBe(false);
  }, 60_000);
});
