import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ModuleBuilder } from "../../../backends/wasm/encoder/module.js";
import { I32 } from "../../../backends/wasm/encoder/opcodes.js";
import { BLOCKING } from "../../../backends/wasm/gemm/blocking.js";
import { addGemm, gemmWorkspaceBytes, relaxedSimdAvailable } from "../../../backends/wasm/gemm/index.js";

type DType = "float32" | "float64";
type Gemm = (...args: number[]) => void;
interface EpiCall {
  b: number;
  row: number;
  rows: number;
  col: number;
  cols: number;
}

/** One product to run: sizes, strides in elements (C's row stride is ldc), batch strides. */
interface Case {
  batch?: number;
  M: number;
  N: number;
  K: number;
  rsA?: number;
  csA?: number;
  bsA?: number;
  rsB?: number;
  csB?: number;
  bsB?: number;
  ldc?: number;
  bsC?: number;
}

const SENTINEL = 12345.5;
const GUARD = 64; // elements of sentinel around every region of C and after the workspace

/** Deterministic uniform floats in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/** A module holding just the GEMM (and an imported epilogue recorder), over its own memory. */
class Harness {
  readonly memory = new WebAssembly.Memory({ initial: 64 });
  readonly gemm: Gemm;
  readonly size: number;
  calls: EpiCall[] = [];
  onEpilogue?: (call: EpiCall) => void;

  constructor(
    readonly dtype: DType,
    opts: { epilogue?: boolean; relaxed?: boolean } = {},
  ) {
    this.size = dtype === "float32" ? 4 : 8;
    const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
    const epi = opts.epilogue ? m.importFunc("env", "epilogue", [I32, I32, I32, I32, I32], []) : undefined;
    addGemm(m, { dtype, relaxedSimd: opts.relaxed ?? false, ...(epi === undefined ? {} : { epilogue: epi }) });
    const bytes = m.toBytes() as Uint8Array<ArrayBuffer>;
    expect(WebAssembly.validate(bytes)).toBe(true);
    const epilogue = (b: number, row: number, rows: number, col: number, cols: number): void => {
      const call = { b, row, rows, col, cols };
      this.calls.push(call);
      this.onEpilogue?.(call);
    };
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: this.memory, epilogue } });
    this.gemm = inst.exports.gemm as Gemm;
  }

  view(): Float32Array | Float64Array {
    return this.dtype === "float32" ? new Float32Array(this.memory.buffer) : new Float64Array(this.memory.buffer);
  }

  ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }
}

/** The span of elements a strided operand touches: offsets 0 … max over its index ranges. */
function extent(dims: [number, number][]): number {
  let hi = 0;
  for (const [n, s] of dims) if (n > 0) hi += (n - 1) * Math.abs(s);
  return hi + 1;
}

/** How far below its first element a strided operand reaches (negative strides walk backwards). */
function below(dims: [number, number][]): number {
  let lo = 0;
  for (const [n, s] of dims) if (n > 0 && s < 0) lo += (n - 1) * -s;
  return lo;
}

/** Where a case's operands live (in elements), with every stride filled in. */
interface Layout extends Required<Case> {
  /** Element index of A[0][0][0] and B[0][0][0] (not the lowest address with negative strides). */
  offA: number;
  offB: number;
  offC: number;
  end: number;
  /** Element index of C[b][i][j]. */
  cAt(b: number, i: number, j: number): number;
}

/** Layout (in elements): workspace at 0, guard, A, B, guard, C, guard. Batch strides are ≥ 0. */
function layout(h: Harness, c: Case): Layout {
  const { M, N, K } = c;
  const batch = c.batch ?? 1;
  const rsA = c.rsA ?? K;
  const csA = c.csA ?? 1;
  const rsB = c.rsB ?? N;
  const csB = c.csB ?? 1;
  const ldc = c.ldc ?? N;
  const spanA = extent([
    [M, rsA],
    [K, csA],
  ]);
  const spanB = extent([
    [K, rsB],
    [N, csB],
  ]);
  const spanC = extent([
    [M, ldc],
    [N, 1],
  ]);
  const bsA = c.bsA ?? spanA;
  const bsB = c.bsB ?? spanB;
  const bsC = c.bsC ?? spanC;
  const startA = gemmWorkspaceBytes(h.dtype) / h.size + GUARD;
  const startB = startA + (batch - 1) * bsA + spanA;
  const offC = startB + (batch - 1) * bsB + spanB + GUARD;
  const end = offC + (batch - 1) * bsC + spanC + GUARD;
  const offA =
    startA +
    below([
      [M, rsA],
      [K, csA],
    ]);
  const offB =
    startB +
    below([
      [K, rsB],
      [N, csB],
    ]);
  const cAt = (b: number, i: number, j: number): number => offC + b * bsC + i * ldc + j;
  return { M, N, K, batch, rsA, csA, bsA, rsB, csB, bsB, ldc, bsC, offA, offB, offC, end, cAt };
}

/**
 * Runs one case against a float64 reference on the same (rounded) inputs; checks the error bound
 * (K + 2)·u·Σ|a·b|, that every element outside C's M × N region (guards, the gaps between rows
 * and batches, the inputs, the memory past the workspace) kept its value, and returns the
 * epilogue calls.
 */
function check(h: Harness, c: Case, seed = 1): EpiCall[] {
  const L = layout(h, c);
  const { M, N, K, batch, rsA, csA, bsA, rsB, csB, bsB, ldc, bsC, offA, offB, offC, end } = L;
  const size = h.size;
  const wsEl = gemmWorkspaceBytes(h.dtype) / size;
  h.ensure(end * size);
  const v = h.view();
  const rand = rng(seed);
  v.fill(SENTINEL, wsEl, end);
  const inputs = gemmWorkspaceBytes(h.dtype) / size + GUARD;
  for (let i = inputs; i < offC - GUARD; i++) v[i] = rand();

  const at = (i: number): number => v[i] as number;
  const ref = new Float64Array(batch * M * N);
  const mag = new Float64Array(batch * M * N);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        let a = 0;
        for (let p = 0; p < K; p++) {
          const x = at(offA + b * bsA + i * rsA + p * csA);
          const y = at(offB + b * bsB + p * rsB + j * csB);
          s += x * y;
          a += Math.abs(x * y);
        }
        ref[(b * M + i) * N + j] = s;
        mag[(b * M + i) * N + j] = a;
      }
  const written = new Set<number>();
  for (let b = 0; b < batch; b++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) written.add(L.cAt(b, i, j));

  const before = v.slice(0, offC - GUARD);
  h.calls = [];
  h.gemm(batch, M, N, K, offA * size, rsA, csA, bsA, offB * size, rsB, csB, bsB, offC * size, ldc, bsC, 0);
  const w = h.view();

  const unit = h.dtype === "float32" ? 2 ** -24 : 2 ** -53;
  let worst = 0;
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const k = (b * M + i) * N + j;
        const got = w[L.cAt(b, i, j)] as number;
        const bound = (K + 2) * unit * (mag[k] as number) + 1e-300;
        const err = Math.abs(got - (ref[k] as number));
        if (!(err <= bound)) throw new Error(`C[${b}][${i}][${j}] = ${got}, want ${ref[k]} (bound ${bound})`);
        worst = Math.max(worst, err / bound);
      }
  expect(worst).toBeLessThanOrEqual(1);
  // Nothing outside C's elements changed: guards, gaps between rows and batches, the inputs, and
  // the memory just past the workspace.
  for (let i = offC - GUARD; i < end; i++)
    if (!written.has(i) && w[i] !== SENTINEL) throw new Error(`wrote outside C at element ${i - offC}`);
  for (let i = wsEl; i < offC - GUARD; i++)
    if (!Object.is(w[i], before[i])) throw new Error(`an input or the guard after the workspace changed at ${i}`);
  return h.calls;
}

/** Shapes around every blocking boundary of `dtype`, plus degenerate ones. */
function boundaryShapes(dtype: DType): [number, number, number][] {
  const { mr, nr, kc, mc } = BLOCKING[dtype];
  return [
    [1, 1, 1],
    [1, 1, 7],
    [mr, nr, 1],
    [mr - 1, nr - 1, 3],
    [mr + 1, nr + 1, 5],
    [2 * mr + 1, 3 * nr - 1, 2],
    [3, 33, 9],
    [17, 2, 11],
    [mr, 1, kc],
    [mr + 1, nr, kc + 1],
    [5, 9, 2 * kc - 1],
    [5, 3, 2 * kc + 3],
    [mc - 1, nr + 3, 7],
    [mc, nr, 6],
    [mc + 1, 2 * nr + 1, 4],
    [2 * mc + mr + 1, 5, 3],
  ];
}

describe.each(["float32", "float64"] as const)("gemm %s", (dtype) => {
  const h = new Harness(dtype);
  const { nc, kc } = BLOCKING[dtype];

  it("matches a float64 reference around the MR/NR/MC/KC boundaries", () => {
    for (const [M, N, K] of boundaryShapes(dtype)) check(h, { M, N, K });
  });

  it("crosses the NC boundary", () => {
    check(h, { M: 3, N: nc + 1, K: 4 });
    check(h, { M: 6, N: 2 * nc + 9, K: 2 });
  });

  it("does nothing for M = 0, N = 0 or batch = 0 and writes zeros for K = 0", () => {
    check(h, { M: 0, N: 5, K: 3 });
    check(h, { M: 5, N: 0, K: 3 });
    check(h, { batch: 0, M: 5, N: 5, K: 3 });
    check(h, { M: 6, N: 11, K: 0 });
    check(h, { batch: 2, M: 3, N: 4, K: 0, ldc: 6 });
  });

  it("reads transposed and strided operands", () => {
    for (const [M, N, K] of [
      [13, 19, 23],
      [9, 17, kc + 5],
    ] as const) {
      check(h, { M, N, K, rsA: 1, csA: M }); // Aᵀ stored
      check(h, { M, N, K, rsB: 1, csB: K }); // Bᵀ stored
      check(h, { M, N, K, rsA: 1, csA: M, rsB: 1, csB: K });
      check(h, { M, N, K, rsA: 2 * K + 3, csA: 2 }); // every other column of a wider matrix
      check(h, { M, N, K, rsB: 3, csB: 3 * K + 1 });
      check(h, { M, N, K, ldc: N + 5 }); // C inside a wider matrix: the gaps stay untouched
      check(h, { M, N, K, rsA: -K, csA: -1, rsB: -1, csB: K }); // reversed views
      check(h, { M, N, K, rsA: 1, csA: -M, rsB: -N, csB: -1 });
    }
  });

  it("runs matrix–vector shapes (M = 1 or N = 1) with every stride pattern", () => {
    for (const K of [0, 1, 3, 4, 5, 17, 300])
      for (const n of [1, 2, 3, 4, 7, 8, 15, 16, 17, 33, 100]) {
        check(h, { M: 1, N: n, K }); // row vector · matrix
        check(h, { M: 1, N: n, K, rsB: 1, csB: K }); // · transposed matrix: dot products
        check(h, { M: 1, N: n, K, csA: 3, rsB: 1, csB: K + 2 }); // strided vector: blocked GEMM
        check(h, { M: n, N: 1, K }); // matrix · column vector
        check(h, { M: n, N: 1, K, ldc: 3 });
        check(h, { M: n, N: 1, K, rsA: 1, csA: n }); // transposed matrix · vector
        check(h, { M: n, N: 1, K, rsA: 1, csA: n + 1, ldc: 2, rsB: 2 });
      }
    check(h, { batch: 3, M: 1, N: 21, K: 9 });
    check(h, { batch: 3, M: 13, N: 1, K: 9, bsB: 0 });
  });

  it("broadcasts stride-0 rows, columns and batches", () => {
    check(h, { M: 7, N: 9, K: 5, rsA: 0 });
    check(h, { M: 7, N: 9, K: 5, csB: 0 });
    check(h, { M: 7, N: 9, K: 5, csA: 0, rsB: 0 });
  });

  it("runs batches, with and without a shared operand", () => {
    check(h, { batch: 3, M: 5, N: 10, K: 7 });
    check(h, { batch: 4, M: 6, N: 9, K: 13, bsB: 0 }); // folds into one 24-row product
    check(h, { batch: 3, M: 6, N: 9, K: 13, bsB: 0, ldc: 11, bsC: 66 }); // folds, with gaps between rows
    check(h, { batch: 3, M: 5, N: 9, K: 13, bsB: 0, bsC: 5 * 9 + 4 }); // cannot fold: gap between batches
    check(h, { batch: 3, M: 6, N: 9, K: 13, bsA: 0 });
    check(h, { batch: 5, M: 1, N: 17, K: 9, bsB: 0, bsA: 11, bsC: 20 }); // batched vector × matrix
    check(h, { batch: 2, M: 9, N: 5, K: 6, rsA: 1, csA: 9, rsB: 1, csB: 6, ldc: 8 });
  });
});

describe.each(["float32", "float64"] as const)("gemm %s epilogue", (dtype) => {
  const h = new Harness(dtype, { epilogue: true });
  const { mc, nc, kc } = BLOCKING[dtype];

  /** Every element of every batch of C lies in exactly one call's block. */
  function expectCover(calls: EpiCall[], batch: number, M: number, N: number): void {
    const hits = new Uint8Array(batch * M * N);
    for (const { b, row, rows, col, cols } of calls) {
      expect(rows).toBeGreaterThan(0);
      expect(cols).toBeGreaterThan(0);
      expect(b >= 0 && b < batch && row >= 0 && row + rows <= M && col >= 0 && col + cols <= N).toBe(true);
      for (let i = row; i < row + rows; i++) for (let j = col; j < col + cols; j++) hits[(b * M + i) * N + j]!++;
    }
    expect(hits.every((x) => x === 1)).toBe(true);
  }

  it("covers C exactly once, after the last K panel", () => {
    const cases: Case[] = [
      { M: 5, N: 7, K: 3 },
      { M: mc + 3, N: nc + 5, K: 2 * kc + 1 },
      { M: 4, N: 6, K: 0 },
      { batch: 3, M: 5, N: 6, K: kc + 2 },
      { batch: 7, M: Math.floor(mc / 3) + 1, N: 5, K: 9, bsB: 0 }, // folded: blocks split at batches
      { batch: 4, M: 1, N: 9, K: 5, bsB: 0 },
      { M: 1, N: 37, K: 5 },
      { M: 50, N: 1, K: 7 },
      { batch: 3, M: 1, N: 9, K: 4 },
      { batch: 5, M: 30, N: 1, K: 4, bsB: 0 }, // folded into one 150-row matrix–vector product
    ];
    for (const c of cases) {
      // At each call, the block must already hold its final values: remember them, compare after.
      const seen: { call: EpiCall; values: number[] }[] = [];
      const batch = c.batch ?? 1;
      const { cAt } = layout(h, c);
      h.onEpilogue = (call) => {
        const v = h.view();
        const values: number[] = [];
        for (let i = call.row; i < call.row + call.rows; i++)
          for (let j = call.col; j < call.col + call.cols; j++) values.push(v[cAt(call.b, i, j)] as number);
        seen.push({ call, values });
      };
      const calls = check(h, c);
      h.onEpilogue = undefined;
      expectCover(calls, batch, c.M, c.N);
      const v = h.view();
      let stale = 0;
      for (const { call, values } of seen) {
        let k = 0;
        for (let i = call.row; i < call.row + call.rows; i++)
          for (let j = call.col; j < call.col + call.cols; j++) if (values[k++] !== v[cAt(call.b, i, j)]) stale++;
      }
      expect(stale).toBe(0);
    }
  });

  it("is not called when C is empty", () => {
    expect(check(h, { M: 0, N: 4, K: 2 })).toEqual([]);
    expect(check(h, { batch: 0, M: 3, N: 4, K: 2 })).toEqual([]);
  });
});

describe("gemm modules", () => {
  it("hold several GEMMs under their own export names, sharing one workspace size per dtype", () => {
    const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
    const f32 = addGemm(m, { dtype: "float32", relaxedSimd: false, exportName: "gemm_f32" });
    const f64 = addGemm(m, { dtype: "float64", relaxedSimd: false, exportName: "gemm_f64" });
    expect(f32).not.toBe(f64);
    const memory = new WebAssembly.Memory({ initial: 64 });
    const bytes = m.toBytes() as Uint8Array<ArrayBuffer>;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    for (const [name, T] of [
      ["gemm_f32", Float32Array],
      ["gemm_f64", Float64Array],
    ] as const) {
      const size = T.BYTES_PER_ELEMENT;
      const ws = gemmWorkspaceBytes(size === 4 ? "float32" : "float64");
      expect(ws % 16).toBe(0);
      const v = new T(memory.buffer);
      const [a, b, c] = [ws / size, ws / size + 6, ws / size + 12];
      v.set([1, 2, 3, 4, 5, 6], a); // 2 × 3
      v.set([1, 0, 0, 1, 1, 1], b); // 3 × 2
      (exports[name] as Gemm)(1, 2, 2, 3, a * size, 3, 1, 0, b * size, 2, 1, 0, c * size, 2, 0, 0);
      expect([...v.subarray(c, c + 4)]).toEqual([4, 5, 10, 11]);
    }
  });
});

describe("relaxed SIMD", () => {
  it("probes without throwing, once", () => {
    expect(typeof relaxedSimdAvailable()).toBe("boolean");
    expect(relaxedSimdAvailable()).toBe(relaxedSimdAvailable());
  });

  it("builds relaxed modules that compute the product where the engine has relaxed SIMD", () => {
    for (const dtype of ["float32", "float64"] as const) {
      if (relaxedSimdAvailable()) {
        const h = new Harness(dtype, { relaxed: true });
        for (const [M, N, K] of boundaryShapes(dtype).slice(0, 8)) check(h, { M, N, K });
        check(h, { M: 9, N: 13, K: 300, rsA: 1, csA: 9, ldc: 20 });
        continue;
      }
      // Node 20 validates relaxed SIMD only under a flag: run the module in a child that has it.
      const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
      addGemm(m, { dtype, relaxedSimd: true });
      const bytes = Buffer.from(m.toBytes()).toString("base64");
      const out = execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", "-e", RELAXED_CHILD], {
        input: JSON.stringify({ bytes, dtype, ws: gemmWorkspaceBytes(dtype) }),
        encoding: "utf8",
      });
      expect(JSON.parse(out)).toEqual({ ok: true });
    }
  });
});

/**
 * The child's script: instantiates the module, multiplies a 37 × 29 by a 29 × 300 matrix
 * (Aᵀ stored, ldc > N) and compares with a float64 product under the same error bound.
 */
const RELAXED_CHILD = `
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const { bytes, dtype, ws } = JSON.parse(input);
  const memory = new WebAssembly.Memory({ initial: 64 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(bytes, "base64")), { env: { memory } });
  const T = dtype === "float32" ? Float32Array : Float64Array;
  const size = T.BYTES_PER_ELEMENT, unit = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  const M = 37, K = 29, N = 300, ldc = 305;
  const a = ws / size, b = a + M * K, c = b + K * N;
  const v = new T(memory.buffer);
  for (let i = a; i < c; i++) v[i] = Math.sin(i * 1.7);
  inst.exports.gemm(1, M, N, K, a * size, 1, M, 0, b * size, N, 1, 0, c * size, ldc, 0, 0);
  let ok = true;
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0, m = 0;
    for (let p = 0; p < K; p++) { const t = v[a + p * M + i] * v[b + p * N + j]; s += t; m += Math.abs(t); }
    if (!(Math.abs(v[c + i * ldc + j] - s) <= (K + 2) * unit * m)) ok = false;
  }
  process.stdout.write(JSON.stringify({ ok }));
});
`;
