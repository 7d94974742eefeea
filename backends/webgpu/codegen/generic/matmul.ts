/**
 * A shape-generic batched matrix product (see common.ts): C[b] = A[b]·B[b], A read as
 * [batch, m, k] and B as [batch, k, n] through offsets and strides in the parameter words, C
 * written contiguous [batch, m, n] — dot_general's output layout once its dimension groups are
 * flattened (eager-dot.ts does that). One shader per dtype:
 *
 * p = [batch, m, n, k, aOffset, aBatch, aRow, aK, bOffset, bBatch, bK, bCol, blocksM, blocksN]
 *
 * Register-blocked as matmul.ts's "registers" variant: each invocation computes a 4×4 block of C
 * with a plain loop over k, reading A and B from storage (rows and columns past the edge clamped
 * onto the last one, so every read is in bounds and nothing computed for them is stored), no
 * workgroup memory and no barriers. Each output accumulates along k in increasing order, in f32
 * for float32 (as the planned kernels: within the float32 summation bound of the reference's
 * float64 sum), wrapping for int32 and uint32 (the reference's exact result mod 2^32) and as
 * `or` of `and`s for bool (true when any pair is (true, true), as the reference).
 *
 * Bindings: A, B (read; the same buffer may be bound to both), C (read_write), p.
 * Dispatch: flatDispatch over batch·blocksM·blocksN blocks, 64 per workgroup.
 */
import type { DType } from "../../../../src/core/dtype.js";
import { wgslType } from "../kernel.js";
import { flatGenericModule, memoShader, PARAMS } from "./common.js";

/** Rows and columns of C per invocation. */
export const MATMUL_BLOCK = 4;

/** The generic matmul shader for `dtype` (float32, int32, uint32 or bool). */
export function matmulShader(dtype: DType): string {
  return memoShader(`matmul|${dtype}`, () => matmulSource(dtype));
}

function matmulSource(dtype: DType): string {
  const t = wgslType(dtype, "dot_general");
  const B = MATMUL_BLOCK;
  const rows = Array.from({ length: B }, (_, i) => i);
  // bool: true when any pair is (true, true); the others multiply and add (wrapping for integers).
  const accumulate = (acc: string, x: string): string =>
    dtype === "bool" ? `${acc} |= ${x} & y;` : `${acc} += ${x} * y;`;
  const lines = [
    "let m = p[1];",
    "let n = p[2];",
    "let blocksM = p[12];",
    "let blocksN = p[13];",
    "let b = i / (blocksM * blocksN);",
    `let r0 = i / blocksN % blocksM * ${B}u;`,
    `let c0 = i % blocksN * ${B}u;`,
    "let aBase = p[4] + b * p[5];",
    "let bBase = p[8] + b * p[9];",
    ...rows.map((r) => `let a${r} = aBase + min(r0 + ${r}u, m - 1u) * p[6];`),
    ...rows.map((c) => `let b${c} = bBase + min(c0 + ${c}u, n - 1u) * p[11];`),
    ...rows.map((r) => `var acc${r} = vec4<${t}>();`),
    "for (var k = 0u; k < p[3]; k++) {",
    "  let ka = k * p[7];",
    "  let kb = k * p[10];",
    `  let y = vec4<${t}>(${rows.map((c) => `B[b${c} + kb]`).join(", ")});`,
    ...rows.map((r) => `  ${accumulate(`acc${r}`, `vec4<${t}>(A[a${r} + ka])`)}`),
    "}",
    "let rowOut = b * m + r0;",
    ...rows.flatMap((r) =>
      rows.map(
        (c) => `if (r0 + ${r}u < m && c0 + ${c}u < n) { C[(rowOut + ${r}u) * n + c0 + ${c}u] = acc${r}[${c}]; }`,
      ),
    ),
  ];
  return flatGenericModule(
    [],
    [
      { name: "A", access: "read", type: t },
      { name: "B", access: "read", type: t },
      { name: "C", access: "read_write", type: t },
      PARAMS,
    ],
    "p[0] * p[12] * p[13]",
    lines.join("\n"),
  );
}
