/**
 * WGSL for a plan's DotKernel: C[b] = A[b]·B[b] (float32), A read as [batch, m, k] and B as
 * [batch, k, n] through their views (offsets and strides baked in as constants, so transposed or
 * sliced operands cost nothing), C written contiguous [batch, m, n], optionally through a fused
 * epilogue. Two variants of the same arithmetic:
 *
 * - "tiled": 16×16 threads share 64×64 output tiles; 64×16 slices of A and 16×64 of B go through
 *   workgroup memory between barriers, each thread accumulating a 4×4 block (rows and columns 16
 *   apart, so neighbouring threads touch neighbouring words). What real GPUs want.
 * - "registers": each invocation computes a 4×4 block with plain loops over k, reading A and B
 *   straight from storage (as vec4s where the layout allows) — no workgroup memory, no barriers.
 *   Software adapters (llvmpipe, SwiftShader) run a workgroup's invocations on one CPU thread,
 *   where a barrier splits the shader into resumable pieces and costs more than the cache traffic
 *   it saves.
 *
 * Both accumulate each output in f32 along k in increasing order (zero padding of the tiled
 * variant adds exact zeros), so a result is the same from run to run and between variants up to
 * whether the compiler contracts a·b + c into one fma.
 *
 * Bindings (group 0, in this order): A (read), B (read; omitted when it is the same plan buffer as
 * A — x·xᵀ — which is then bound once), C (read_write), then `extraBindings` in the order given.
 * Extra binding j is declared here as `var<storage, …> ${extraBindingName(j)}: array<T>` (T from
 * the plan buffer's dtype), which is the name the epilogue's code uses to read it.
 *
 * Dispatch: one flat range of output blocks (tiled: one workgroup per 64×64 tile; registers: one
 * invocation per 4×4 block) numbered batch-major, then block row, then block column, laid over
 * x (up to 65535 workgroups) and then y; z is 1. Any batch, m, n and k (k = 0 gives zeros, then
 * the epilogue) fit, as long as the block count stays under 65535² workgroups.
 */
import { UnsupportedDTypeError } from "../../../src/core/errors.js";
import type { DotKernel, KernelPlan, View } from "../../plan/types.js";
import { flatDispatch, flatIndex, type WgslBinding, type WgslKernel, wgslType } from "./kernel.js";

export interface MatmulOptions {
  readonly variant: "tiled" | "registers";
  /** Buffers the epilogue reads, bound after A, B and C (see the binding order above). */
  readonly extraBindings?: readonly WgslBinding[];
}

/**
 * The fused epilogue: given the WGSL names of the f32 product and of the output's row (u32, in
 * [0, batch·m)) and column (u32, in [0, n)), statements to run (`code`), the f32 value to store
 * (`value`), and module-scope declarations it needs (`helpers`: functions, constants).
 */
export type MatmulEpilogue = (
  productVar: string,
  row: string,
  col: string,
) => { code: string; value: string; helpers: ReadonlySet<string> };

/** The WGSL name of extra binding j (see MatmulOptions.extraBindings). */
export const extraBindingName = (j: number): string => `e${j}`;

/** Which variant suits an adapter: "registers" on software adapters (measured faster there), else "tiled". */
export function matmulVariant(adapterInfo: {
  isFallbackAdapter?: boolean;
  description?: string;
  architecture?: string;
}): "tiled" | "registers" {
  if (adapterInfo.isFallbackAdapter === true) return "registers";
  const text = `${adapterInfo.description ?? ""} ${adapterInfo.architecture ?? ""}`;
  return /llvmpipe|lavapipe|swiftshader|software|warp/i.test(text) ? "registers" : "tiled";
}

/** The shader of `k` (see the file comment for bindings and dispatch). */
export function matmulShader(
  k: DotKernel,
  plan: KernelPlan,
  options: MatmulOptions,
  epilogue?: MatmulEpilogue,
): WgslKernel {
  if (k.dtype !== "float32") throw new UnsupportedDTypeError("webgpu", k.dtype, "matmul (dot_general)");
  if (k.lhs.strides.length !== 3 || k.rhs.strides.length !== 3)
    throw new Error("internal error: a dot kernel's operand views need 3 strides ([batch, rows, cols])");
  const extra = options.extraBindings ?? [];
  const shared = k.lhs.buffer === k.rhs.buffer;
  const a: Operand = { name: "A", view: moving(k.lhs, [k.batch, k.m, k.k]), vec: "none" };
  const b: Operand = { name: shared ? "A" : "B", view: moving(k.rhs, [k.batch, k.k, k.n]), vec: "none" };
  if (options.variant === "registers") chooseVectors(k, a, b, shared);
  const bindings: WgslBinding[] = [
    { buffer: k.lhs.buffer, access: "read" },
    ...(shared ? [] : [{ buffer: k.rhs.buffer, access: "read" } as const]),
    { buffer: k.output, access: "read_write" },
    ...extra,
  ];
  const vec4 = (o: Operand): string => (o.vec === "none" ? "f32" : "vec4f");
  const types = [vec4(a), ...(shared ? [] : [vec4(b)]), "f32"];
  const names = ["A", ...(shared ? [] : ["B"]), "C", ...extra.map((_, j) => extraBindingName(j))];
  const decls = bindings.map((bd, i) => {
    const buf = plan.buffers[bd.buffer];
    if (!buf) throw new Error(`internal error: matmul binding ${i} names buffer ${bd.buffer}, not in the plan`);
    const type = types[i] ?? wgslType(buf.dtype, "matmul epilogue");
    return `@group(0) @binding(${i}) var<storage, ${bd.access}> ${names[i]}: array<${type}>;`;
  });
  // layout: "auto" keeps only the bindings the entry point uses: touch them all, so the layout
  // always has every binding above (an epilogue may ignore one; k = 0 reads neither A nor B).
  const touch = names.map((n) => `_ = &${n};`).join(" ");
  const epi = epilogue?.("mm_prod", "mm_row", "mm_col");
  const module = [
    ...decls,
    ...(epi ? epi.helpers : []),
    // The one place that writes C, contiguous [batch·m, n]; `mm_row` counts rows across batches.
    `fn mm_store(mm_prod: f32, mm_row: u32, mm_col: u32, mm_z: u32) {`,
    ...(epi ? [`  ${epi.code}`] : []),
    `  C[mm_row * ${k.n}u + mm_col] = ${epi ? epi.value : "mm_prod"};`,
    "}",
  ];
  const body = options.variant === "tiled" ? tiledMain(k, a, b, touch) : registersMain(k, a, b, touch);
  return { code: `${module.join("\n")}\n${body.code}`, bindings, workgroups: body.workgroups };
}

/**
 * One operand as the shader reads it: its WGSL array and view, and whether the registers variant
 * reads it as vec4s along k or along its free dimension (m for A, n for B).
 */
interface Operand {
  readonly name: string;
  readonly view: View;
  vec: "none" | "k" | "free";
}

/**
 * Picks vec4 reads where they are exact: four adjacent elements (stride 1) along a dimension
 * whose extent is a multiple of 4, every group starting at a multiple of 4 (offset and the other
 * strides that move are multiples of 4). Groups then never straddle a row or the buffer's end,
 * and the buffer holds at least one vec4. One buffer bound once (x·xᵀ) has one element type, so
 * it goes vec4 only if both operands can.
 */
function chooseVectors(k: DotKernel, a: Operand, b: Operand, shared: boolean): void {
  const along = (v: View, dim: 1 | 2, extents: readonly [number, number, number]): boolean =>
    v.strides[dim] === 1 &&
    extents[dim] % 4 === 0 &&
    extents[dim] >= 4 &&
    v.offset % 4 === 0 &&
    v.strides.every((s, d) => d === dim || s % 4 === 0);
  const aExt = [k.batch, k.m, k.k] as const;
  const bExt = [k.batch, k.k, k.n] as const;
  a.vec = along(a.view, 2, aExt) ? "k" : along(a.view, 1, aExt) ? "free" : "none";
  b.vec = along(b.view, 2, bExt) ? "free" : along(b.view, 1, bExt) ? "k" : "none";
  if (shared && (a.vec === "none" || b.vec === "none")) a.vec = b.vec = "none";
}

/** `v` with stride 0 along dimensions of extent 1 (whose index is always 0): fewer terms, and
 * alignment checks that look only at strides that move. */
function moving(v: View, extents: readonly number[]): View {
  return { ...v, strides: v.strides.map((s, d) => (extents[d] === 1 ? 0 : s)) };
}

/** WGSL i32 index of `v` at i32 expressions `at` (one per dimension; "0" for none). */
function indexOf(v: View, at: readonly [string, string, string]): string {
  const terms = at.map((e, d) => scaled(e, v.strides[d]!)).filter((t) => t !== "");
  if (v.offset !== 0) terms.unshift(String(v.offset));
  return terms.join(" + ") || "0";
}

/** `e * stride` as WGSL i32 ("" when stride is 0 — broadcasts, batch 1 — or e is the literal 0). */
function scaled(e: string, stride: number): string {
  if (stride === 0 || e === "0") return "";
  if (stride === 1) return e;
  return stride < 0 ? `${e} * (${stride})` : `${e} * ${stride}`;
}

const plus = (x: string, y: string): string => (y === "" || y === "0" ? x : x === "0" ? y : `${x} + ${y}`);
const ceilDiv = (x: number, y: number): number => Math.ceil(x / y);

/** Tiled: a 64×64 output tile per 16×16 workgroup, k in steps of 16 through workgroup memory. */
const TILE = 64;
const TILE_K = 16;

function tiledMain(
  k: DotKernel,
  a: Operand,
  b: Operand,
  touch: string,
): { code: string; workgroups: [number, number, number] } {
  const tilesM = ceilDiv(k.m, TILE);
  const tilesN = ceilDiv(k.n, TILE);
  const total = k.batch * tilesM * tilesN;
  const threads = 256;
  // Each thread loads 4 elements of each slice; element e = lid + 256·q of the slice is numbered
  // along whichever direction is adjacent in memory, so neighbouring threads read neighbouring
  // words whether or not the operand is transposed.
  const aAt = Math.abs(a.view.strides[2]!) === 1 ? ["e / 16u", "e % 16u"] : ["e % 64u", "e / 64u"]; // [r, kk]
  const bAt = Math.abs(b.view.strides[2]!) === 1 ? ["e / 64u", "e % 64u"] : ["e % 16u", "e / 16u"]; // [kk, c]
  const loads: string[] = [];
  for (let q = 0; q < (TILE * TILE_K) / threads; q++) {
    loads.push(
      `{ let e = lid + ${threads * q}u; let r = ${aAt[0]}; let kk = ${aAt[1]}; var v = 0.0;`,
      `  if (row0 + r < ${k.m}u && k0 + kk < ${k.k}u) { v = A[${indexOf(a.view, ["bi", "i32(row0 + r)", "i32(k0 + kk)"])}]; }`,
      "  As[kk * 65u + r] = v; }",
      `{ let e = lid + ${threads * q}u; let kk = ${bAt[0]}; let c = ${bAt[1]}; var v = 0.0;`,
      `  if (col0 + c < ${k.n}u && k0 + kk < ${k.k}u) { v = ${b.name}[${indexOf(b.view, ["bi", "i32(k0 + kk)", "i32(col0 + c)"])}]; }`,
      "  Bs[kk * 65u + c] = v; }",
    );
  }
  const acc: string[] = [];
  const fmas: string[] = [];
  const stores: string[] = [];
  // Thread (tx, ty) owns rows ty + 16i and columns tx + 16j of the tile.
  for (let i = 0; i < 4; i++) {
    acc.push(`var acc${i} = vec4f(0.0);`);
    fmas.push(`acc${i} += As[kk * 65u + ty + ${16 * i}u] * bv;`);
    for (let j = 0; j < 4; j++)
      stores.push(
        `if (row0 + ty + ${16 * i}u < ${k.m}u && col0 + tx + ${16 * j}u < ${k.n}u) ` +
          `{ mm_store(acc${i}[${j}], rowOut + ty + ${16 * i}u, col0 + tx + ${16 * j}u, nwg.x >> 31u); }`,
      );
  }
  const code = `
var<workgroup> As: array<f32, ${(TILE + 1) * TILE_K}>;
var<workgroup> Bs: array<f32, ${(TILE + 1) * TILE_K}>;
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  ${touch}
  // t is uniform over the workgroup, so the return and the barriers below are in uniform control flow.
  let t = wid.y * nwg.x + wid.x;
  if (t >= ${total}u) { return; }
  // max(…, 1): WGSL rejects a constant division by zero even where an empty product never runs it.
  let b = t / ${Math.max(tilesM * tilesN, 1)}u;
  let bi = i32(b);
  let row0 = t / ${Math.max(tilesN, 1)}u % ${Math.max(tilesM, 1)}u * 64u;
  let col0 = t % ${Math.max(tilesN, 1)}u * 64u;
  let rowOut = b * ${k.m}u + row0;
  let tx = lid % 16u;
  let ty = lid / 16u;
  ${acc.join("\n  ")}
  for (var k0 = 0u; k0 < ${k.k}u; k0 += 16u) {
    ${loads.join("\n    ")}
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let bv = vec4f(Bs[kk * 65u + tx], Bs[kk * 65u + tx + 16u], Bs[kk * 65u + tx + 32u], Bs[kk * 65u + tx + 48u]);
      ${fmas.join("\n      ")}
    }
    workgroupBarrier();
  }
  ${stores.join("\n  ")}
}`;
  return { code, workgroups: flatDispatch(total, 1) };
}

/**
 * Registers: one invocation per 4×4 block of C. Measured on lavapipe (2 cores, vec4 reads): 8×8
 * runs ~10% faster at 512²–1024² but takes LLVM 4× as long to compile (0.6–0.9 s a shader, against
 * 0.13–0.23 s), which a jitted program pays for every distinct product; 4×8 and 8×4 are no faster
 * than 4×4. The workgroup size (16–256) made no difference.
 */
const BLOCK_M = 4;
const BLOCK_N = 4;
const REGISTERS_WORKGROUP = 64;

/** How the registers loop reads an operand: statements before the loop, per step, per k in a step. */
interface Reader {
  readonly setup: string[];
  /** Once per loop step (vec4s along k hold the step's 4 k). */
  readonly step: string[];
  /** Per k within the step (u in [0, unroll)). */
  readonly loads: string[][];
  /** A: the f32 of block row i at step k u; B: the vec4f of block columns 4q..4q+3 at step k u. */
  readonly value: (u: number, i: number) => string;
}

/** `k + u` scaled by an operand's k stride (in its array's elements, f32 or vec4f). */
const atK = (u: number, stride: number): string => scaled(u === 0 ? "k" : `(k + ${u})`, stride);

/**
 * Rows and columns past the edge are clamped onto the last one (or the last vec4): the loop then
 * reads only valid elements without a branch, and what it computes for them is never stored.
 */
const clamped = (start: string, i: number, last: number): string => `i32(min(${start} + ${i}u, ${Math.max(last, 0)}u))`;

function readA(k: DotKernel, a: Operand, unroll: number): Reader {
  const r: Reader = { setup: [], step: [], loads: Array.from({ length: unroll }, () => []), value: () => "" };
  const sk = a.view.strides[2]!;
  const base = (i: number, last: number): string => indexOf(a.view, ["bi", clamped("r0", i, last), "0"]);
  if (a.vec === "k") {
    for (let i = 0; i < BLOCK_M; i++) {
      r.setup.push(`let a${i} = (${base(i, k.m - 1)}) / 4;`);
      r.step.push(`let xa${i} = A[a${i} + kq];`);
    }
    return { ...r, value: (u, i) => `xa${i}[${u}]` };
  }
  if (a.vec === "free") {
    for (let g = 0; g < BLOCK_M / 4; g++) {
      r.setup.push(`let a${g} = (${base(4 * g, k.m - 4)}) / 4;`);
      for (let u = 0; u < unroll; u++) r.loads[u]!.push(`let xm${g}_${u} = A[${plus(`a${g}`, atK(u, sk / 4))}];`);
    }
    return { ...r, value: (u, i) => `xm${i >> 2}_${u}[${i & 3}]` };
  }
  for (let i = 0; i < BLOCK_M; i++) {
    r.setup.push(`let a${i} = ${base(i, k.m - 1)};`);
    for (let u = 0; u < unroll; u++) r.loads[u]!.push(`let x${i}_${u} = A[${plus(`a${i}`, atK(u, sk))}];`);
  }
  return { ...r, value: (u, i) => `x${i}_${u}` };
}

function readB(k: DotKernel, b: Operand, unroll: number): Reader {
  const r: Reader = { setup: [], step: [], loads: Array.from({ length: unroll }, () => []), value: () => "" };
  const sk = b.view.strides[1]!;
  const base = (j: number, last: number): string => indexOf(b.view, ["bi", "0", clamped("c0", j, last)]);
  if (b.vec === "free") {
    for (let q = 0; q < BLOCK_N / 4; q++) {
      r.setup.push(`let b${q} = (${base(4 * q, k.n - 4)}) / 4;`);
      for (let u = 0; u < unroll; u++)
        r.loads[u]!.push(`let y${q}_${u} = ${b.name}[${plus(`b${q}`, atK(u, sk / 4))}];`);
    }
    return { ...r, value: (u, q) => `y${q}_${u}` };
  }
  const kVec = b.vec === "k";
  for (let j = 0; j < BLOCK_N; j++) {
    r.setup.push(kVec ? `let b${j} = (${base(j, k.n - 1)}) / 4;` : `let b${j} = ${base(j, k.n - 1)};`);
    if (kVec) r.step.push(`let yk${j} = ${b.name}[b${j} + kq];`);
  }
  const one = (u: number, j: number): string => (kVec ? `yk${j}[${u}]` : `${b.name}[${plus(`b${j}`, atK(u, sk))}]`);
  return { ...r, value: (u, q) => `vec4f(${[0, 1, 2, 3].map((j) => one(u, 4 * q + j)).join(", ")})` };
}

function registersMain(
  k: DotKernel,
  a: Operand,
  b: Operand,
  touch: string,
): { code: string; workgroups: [number, number, number] } {
  const blocksM = ceilDiv(k.m, BLOCK_M);
  const blocksN = ceilDiv(k.n, BLOCK_N);
  const total = k.batch * blocksM * blocksN;
  // Reading either operand 4 k at a time unrolls the loop by 4 (k is then a multiple of 4).
  const unroll = a.vec === "k" || b.vec === "k" ? 4 : 1;
  const ra = readA(k, a, unroll);
  const rb = readB(k, b, unroll);
  const acc: string[] = [];
  const stores: string[] = [];
  for (let i = 0; i < BLOCK_M; i++)
    for (let q = 0; q < BLOCK_N / 4; q++) {
      acc.push(`var acc${i}_${q} = vec4f(0.0);`);
      for (let j = 0; j < 4; j++)
        stores.push(
          `if (r0 + ${i}u < ${k.m}u && c0 + ${4 * q + j}u < ${k.n}u) ` +
            `{ mm_store(acc${i}_${q}[${j}], rowOut + ${i}u, c0 + ${4 * q + j}u, nwg.x >> 31u); }`,
        );
    }
  // Each accumulator takes its k terms in increasing k: u within a step, steps in order.
  const body = [...ra.step, ...rb.step];
  for (let u = 0; u < unroll; u++) {
    body.push(...ra.loads[u]!, ...rb.loads[u]!);
    for (let q = 0; q < BLOCK_N / 4; q++) body.push(`let v${q}_${u} = ${rb.value(u, q)};`);
    for (let i = 0; i < BLOCK_M; i++)
      for (let q = 0; q < BLOCK_N / 4; q++) body.push(`acc${i}_${q} += ${ra.value(u, i)} * v${q}_${u};`);
  }
  const code = `
@compute @workgroup_size(${REGISTERS_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  ${touch}
  ${flatIndex(total, REGISTERS_WORKGROUP)}
  // max(…, 1): WGSL rejects a constant division by zero even where an empty product never runs it.
  let b = i / ${Math.max(blocksM * blocksN, 1)}u;
  let bi = i32(b);
  let r0 = i / ${Math.max(blocksN, 1)}u % ${Math.max(blocksM, 1)}u * ${BLOCK_M}u;
  let c0 = i % ${Math.max(blocksN, 1)}u * ${BLOCK_N}u;
  let rowOut = b * ${k.m}u + r0;
  ${[...ra.setup, ...rb.setup].join("\n  ")}
  ${acc.join("\n  ")}
  for (var kq = 0; kq < ${k.k / unroll}; kq++) {
    let k = kq * ${unroll};
    ${body.join("\n    ")}
  }
  ${stores.join("\n  ")}
}`;
  return { code, workgroups: flatDispatch(total, REGISTERS_WORKGROUP) };
}
