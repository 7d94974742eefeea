/**
 * Gradient checkpointing (`checkpoint`/`remat`): memory kept for the backward pass, and its cost.
 *
 * The model is a 50-layer chain `h = tanh(h @ W_i)` on a float32[64, 64] input with 50 float32
 * [64, 64] weights; the loss is `sum(h)`, differentiated with respect to the input and all weights.
 * Three configurations: no checkpoint, `checkpoint` around each layer, `checkpoint` around the
 * whole chain.
 *
 * - Residuals: `linearizeFlat` (what `grad`/`vjp` run first) of the loss; the linear Program's
 *   captured constants (plus extraArgs) are exactly what is kept for the backward pass. Reported as
 *   array count, total bytes (size × itemSize), and the bytes beyond the inputs themselves (residual
 *   arrays that do not share a buffer with the input or a weight: the activations).
 * - Timing (rows f1–f6): one `grad` of the loss, eager (`grad`) and compiled (`jit(grad)`, cached),
 *   median ms per gradient. Eager checkpointed calls re-trace the checkpointed function each call.
 *
 * Run alone with `npx tsx bench/checkpoint.ts`; `npm run bench` (bench/run.ts) includes both tables.
 */
import { np, grad, jit } from "../src/index.js";
import { checkpoint } from "../transforms/checkpoint.js";
import { linearizeFlat } from "../transforms/linearize.js";
import { itemSize } from "../src/core/dtype.js";
import { bufferOf, isConcrete } from "../src/core/concrete.js";
import { timeIt, type Row } from "./util.js";

type Array = np.Array;

const LAYERS = 50;
const N = 64;

/** Deterministic pseudo-random floats in [-0.5, 0.5). */
const fill = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 0) / 2 ** 32 - 0.5);

interface Params {
  x: Array;
  ws: Array[];
}

const layer = (h: Array, w: Array): Array => np.matmul(h, w).tanh();
const chain = (x: Array, ws: readonly Array[]): Array => ws.reduce(layer, x);
const perLayerChain = (x: Array, ws: readonly Array[]): Array => ws.reduce((h, w) => checkpoint(layer)(h, w), x);
const wholeChain = checkpoint(chain, { name: "chain" });

export const CONFIGS = [
  { id: "none", what: "no checkpoint", f: chain },
  { id: "per-layer", what: "checkpoint per layer", f: perLayerChain },
  { id: "whole", what: "checkpoint whole chain", f: wholeChain },
] as const;

function params(): Params {
  return {
    x: np.array(fill(N * N, 1), { shape: [N, N] }),
    ws: Array.from({ length: LAYERS }, (_, i) => np.array(fill(N * N, i + 2), { shape: [N, N] }).mul(2 / Math.sqrt(N))),
  };
}

const lossOf =
  (f: (x: Array, ws: readonly Array[]) => Array) =>
  (p: Params): Array =>
    f(p.x, p.ws).sum();

export interface ResidualRow {
  config: string;
  arrays: number;
  bytes: number;
  /** Bytes of residual arrays that are not the input or a weight (i.e. activations). */
  beyondInputs: number;
}

/** Residuals `grad` keeps for each configuration (see the file header). */
export function residualRows(): ResidualRow[] {
  const p = params();
  const inputs = [p.x, ...p.ws];
  const inBuffers = new Set(inputs.map((a) => (isConcrete(a) ? bufferOf(a) : a)));
  return CONFIGS.map(({ what, f }) => {
    const lin = linearizeFlat((x, ...ws) => [f(x, ws).sum()], inputs, "grad");
    const res = [...lin.program.consts, ...lin.extraArgs];
    const bytes = (xs: readonly Array[]): number => xs.reduce((s, a) => s + a.size * itemSize(a.dtype), 0);
    return {
      config: what,
      arrays: res.length,
      bytes: bytes(res),
      beyondInputs: bytes(res.filter((a) => !(isConcrete(a) && inBuffers.has(bufferOf(a))))),
    };
  });
}

/** Timing rows f1–f6: one gradient per configuration, eager then jitted. */
export function checkpointRows(): Row[] {
  const p = params();
  const rows: Row[] = [];
  for (const compiled of [false, true])
    CONFIGS.forEach(({ what, f }, i) => {
      const g = compiled ? jit(grad(lossOf(f))) : grad(lossOf(f));
      rows.push({
        id: `f${i + 1 + (compiled ? 3 : 0)}`,
        what: `grad 50×tanh(h@W) [64,64], ${what}, ${compiled ? "jit" : "eager"}`,
        unit: "ms",
        graft: timeIt(() => g(p), { samples: 9, warmup: 2 }),
      });
    });
  return rows;
}

/** A text table of `residualRows()`. */
export function formatResiduals(rows: readonly ResidualRow[]): string {
  const kib = (b: number): string => `${(b / 1024).toFixed(0)} KiB`;
  const head = ["residuals kept by grad (50 layers, [64,64])", "arrays", "bytes", "beyond inputs"];
  const body = rows.map((r) => [r.config, String(r.arrays), kib(r.bytes), kib(r.beyondInputs)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { formatTable } = await import("./util.js");
  console.log(formatResiduals(residualRows()));
  console.log();
  console.log(formatTable(checkpointRows()));
}
