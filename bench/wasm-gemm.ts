/**
 * The WebAssembly backend's GEMM (backends/wasm/gemm) on its own, one thread:
 *
 *   npx tsx bench/wasm-gemm.ts            # mul + add kernel (and relaxed madd if the engine has it)
 *   node --experimental-wasm-relaxed-simd --import tsx bench/wasm-gemm.ts   # Node 20: relaxed too
 *   npx tsx bench/wasm-gemm.ts --tfjs     # also tf.matMul on tfjs-backend-wasm (XNNPACK), if
 *                                         # `npm run bench:install` put it under bench/node_modules
 *   npx tsx bench/wasm-gemm.ts --only=fwd  # just the shapes whose name contains "fwd"
 *
 * Shapes: f32 1024³ (plain and with transposed operands), the W4 MLP's products (784 → 256 → 10,
 * batch 128) forward and backward — the backward ones read an operand transposed, as a strided view
 * —, two matrix–vector products, and f64 1024³. The columns alternate their timed batches, so a
 * busy machine slows them alike. Operands already sit in wasm memory, so graft's times exclude
 * copying in and out; tfjs's include its `dataSync` read-back (as in `npm run bench:peers`).
 * Every product is checked once against float64 on sampled entries before it is timed.
 */
import { ModuleBuilder } from "../backends/wasm/encoder/module.js";
import { addGemm, gemmWorkspaceBytes, relaxedSimdAvailable } from "../backends/wasm/gemm/index.js";

type DType = "float32" | "float64";
type Gemm = (...args: number[]) => void;

interface Shape {
  name: string;
  dtype: DType;
  M: number;
  N: number;
  K: number;
  /** Operands stored transposed (A as K × M, B as N × K) and read through swapped strides. */
  ta?: boolean;
  tb?: boolean;
}

const SHAPES: Shape[] = [
  { name: "1024³ A·B", dtype: "float32", M: 1024, N: 1024, K: 1024 },
  { name: "1024³ Aᵀ·B", dtype: "float32", M: 1024, N: 1024, K: 1024, ta: true },
  { name: "1024³ A·Bᵀ", dtype: "float32", M: 1024, N: 1024, K: 1024, tb: true },
  { name: "1024³ Aᵀ·Bᵀ", dtype: "float32", M: 1024, N: 1024, K: 1024, ta: true, tb: true },
  { name: "fwd [128×784]·[784×256]", dtype: "float32", M: 128, N: 256, K: 784 },
  { name: "fwd [128×256]·[256×10]", dtype: "float32", M: 128, N: 10, K: 256 },
  { name: "bwd dW1 [784×128]ᵀ·[128×256]", dtype: "float32", M: 784, N: 256, K: 128, ta: true },
  { name: "bwd dh [128×10]·[10×256]ᵀ", dtype: "float32", M: 128, N: 256, K: 10, tb: true },
  { name: "bwd dW2 [256×128]ᵀ·[128×10]", dtype: "float32", M: 256, N: 10, K: 128, ta: true },
  { name: "bwd dx [128×256]·[256×784]ᵀ", dtype: "float32", M: 128, N: 784, K: 256, tb: true },
  { name: "gemv [1×784]·[784×256]", dtype: "float32", M: 1, N: 256, K: 784 },
  { name: "gemv [4096×4096]·[4096×1]", dtype: "float32", M: 4096, N: 1, K: 4096 },
  { name: "f64 1024³ A·B", dtype: "float64", M: 1024, N: 1024, K: 1024 },
];

const BUDGET_MS = 1500;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const fill = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 0) / 2 ** 32 - 0.5);

/**
 * Median ms per call of each runner. The runners' timed batches alternate (one batch of each per
 * round), so load from other processes hits all of them alike and their ratio stays meaningful.
 */
function timeMs(runs: (() => void)[]): number[] {
  const plan = runs.map((run) => {
    run(); // compiles (Liftoff, then TurboFan in the background) and warms the caches
    const t0 = now();
    run();
    const once = Math.max(now() - t0, 1e-3);
    if (once < 100) run();
    const inner = Math.max(1, Math.floor(5 / once)); // batches of at least ~5 ms
    return { run, inner, batchMs: once * inner, per: [] as number[] };
  });
  const roundMs = plan.reduce((t, p) => t + p.batchMs, 0);
  const rounds = Math.max(3, Math.min(41, Math.floor((BUDGET_MS * runs.length) / roundMs)));
  for (let r = 0; r < rounds; r++)
    for (const p of plan) {
      const t = now();
      for (let i = 0; i < p.inner; i++) p.run();
      p.per.push((now() - t) / p.inner);
    }
  return plan.map((p) => median(p.per));
}

/** A GEMM module over its own memory, with the operands of one shape in place. */
function graftRunner(shape: Shape, relaxed: boolean): () => void {
  const { dtype, M, N, K } = shape;
  const size = dtype === "float32" ? 4 : 8;
  const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
  addGemm(m, { dtype, relaxedSimd: relaxed });
  const ws = 0;
  const A = gemmWorkspaceBytes(dtype);
  const B = A + M * K * size;
  const C = B + K * N * size;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((C + M * N * size) / 65536) });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes() as Uint8Array<ArrayBuffer>), {
    env: { memory },
  });
  const gemm = inst.exports.gemm as Gemm;
  const v = dtype === "float32" ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
  v.set(fill(M * K, 1), A / size);
  v.set(fill(K * N, 2), B / size);
  const [rsA, csA] = shape.ta ? [1, M] : [K, 1];
  const [rsB, csB] = shape.tb ? [1, K] : [N, 1];
  const run = (): void => gemm(1, M, N, K, A, rsA, csA, 0, B, rsB, csB, 0, C, N, 0, ws);
  run();
  // Spot check against float64 (the bound is loose; the unit tests check tightly).
  for (let t = 0; t < 64; t++) {
    const i = (t * 7919) % M;
    const j = (t * 104729) % N;
    let s = 0;
    let mag = 0;
    for (let p = 0; p < K; p++) {
      const x = v[A / size + i * rsA + p * csA] as number;
      const y = v[B / size + p * rsB + j * csB] as number;
      s += x * y;
      mag += Math.abs(x * y);
    }
    const got = v[C / size + i * N + j] as number;
    if (!(Math.abs(got - s) <= (K + 2) * 2 ** -23 * mag + 1e-30))
      throw new Error(`${shape.name}: C[${i}][${j}] = ${got}, want ${s}`);
  }
  return run;
}

interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}
interface Tf {
  env(): { set(flag: string, value: unknown): void };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor(values: Float32Array, shape: number[]): TfTensor;
  matMul(a: TfTensor, b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
}

/** tf.matMul on tfjs-backend-wasm with one thread (as bench/peers/tfjs.ts sets it up). */
async function tfjsRunners(): Promise<((shape: Shape) => () => void) | string> {
  try {
    const tf = (await import(["@tensorflow", "tfjs"].join("/"))) as Tf;
    const wasm = (await import(["@tensorflow", "tfjs-backend-wasm"].join("/"))) as {
      setThreadsCount(n: number): void;
    };
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) return "the wasm backend failed to initialise";
    await tf.ready();
    return (shape) => {
      const { M, N, K } = shape;
      const a = tf.tensor(Float32Array.from(fill(M * K, 1)), shape.ta ? [K, M] : [M, K]);
      const b = tf.tensor(Float32Array.from(fill(K * N, 2)), shape.tb ? [N, K] : [K, N]);
      return () => {
        const c = tf.matMul(a, b, shape.ta ?? false, shape.tb ?? false);
        c.dataSync();
        c.dispose();
      };
    };
  } catch (e) {
    return `not installed (npm run bench:install): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
  }
}

async function main(): Promise<void> {
  const relaxed = relaxedSimdAvailable();
  const tf = process.argv.includes("--tfjs") ? await tfjsRunners() : undefined;
  console.log(`graft wasm GEMM, one thread, Node ${process.versions.node} (V8 ${process.versions.v8})`);
  console.log(`relaxed SIMD: ${relaxed ? "available" : "not available (Node 20: --experimental-wasm-relaxed-simd)"}`);
  if (typeof tf === "string") console.log(`tfjs: ${tf}`);
  const cols = ["mul+add", ...(relaxed ? ["relaxed"] : []), ...(typeof tf === "function" ? ["tfjs-wasm"] : [])];
  console.log(`\n| shape | ${cols.map((c) => `${c} ms | ${c} GFLOP/s`).join(" | ")} |`);
  console.log(`|---|${cols.map(() => "---:|---:").join("|")}|`);
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? "";
  for (const shape of SHAPES.filter((s) => s.name.includes(only))) {
    const flop = 2 * shape.M * shape.N * shape.K;
    const cells: string[] = [];
    const runs = [graftRunner(shape, false)];
    if (relaxed) runs.push(graftRunner(shape, true));
    const withTf = typeof tf === "function" && shape.dtype === "float32";
    if (withTf) runs.push(tf(shape));
    for (const ms of timeMs(runs)) cells.push(ms.toFixed(ms < 1 ? 3 : 2), (flop / ms / 1e6).toFixed(1));
    if (typeof tf === "function" && !withTf) cells.push("—", "—");
    console.log(`| ${shape.name} | ${cells.join(" | ")} |`);
  }
}

await main();
