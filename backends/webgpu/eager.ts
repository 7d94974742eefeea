/**
 * Shape-generic shaders for eager elementwise operations: operands of one length (core broadcasts
 * before an elementwise primitive), the length read from the output binding's size
 * (`arrayLength`), so one shader per (primitive, params, dtypes) serves every shape — eager code
 * compiles nothing per call. Other primitives have generic shaders of their own (eager-generic.ts)
 * or run as a one-equation Program (index.ts).
 */
import { LruCache } from "../../src/core/caches.js";
import type { DType } from "../../src/core/dtype.js";
import { paramsKey } from "../../src/core/program.js";
import { sizeOf } from "../../src/core/shape.js";
import { ELEMENTWISE } from "../plan/build.js";
import type { ExprNode, ExprPrim } from "../plan/types.js";
import { emitWgslExpr, OPAQUE_ZERO, supportsWgsl } from "./codegen/expr.js";
import { WORKGROUP_SIZE, wgslType } from "./codegen/kernel.js";
import { type EagerRunner, runPerElement } from "./eager-run.js";

const shaders = new LruCache<string | null>(() => 512);

/** The generic shader for `prim` on these dtypes, or null where it has none (then: a one-equation Program). */
function shaderFor(
  prim: ExprPrim,
  params: Readonly<Record<string, unknown>>,
  dtypes: readonly DType[],
  out: DType,
): string | null {
  const key = `${prim}|${paramsKey(params)}|${dtypes.join(",")}|${out}`;
  let code = shaders.get(key);
  if (code !== undefined) return code;
  const node: ExprNode = { kind: "op", prim, args: dtypes.map((_, i) => i), params, dtype: out };
  if (!supportsWgsl(node, dtypes)) code = null;
  else {
    const body: ExprNode[] = [...dtypes.map((dtype, input): ExprNode => ({ kind: "input", input, dtype })), node];
    const expr = emitWgslExpr(body, {
      loadInput: (i) => `in${i}[i]`,
      index: () => {
        throw new Error("internal error: index node in an eager kernel");
      },
      opaqueZero: OPAQUE_ZERO,
    });
    const decls = dtypes.map((d, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${wgslType(d)}>;`);
    code = [
      ...decls,
      `@group(0) @binding(${dtypes.length}) var<storage, read_write> out: array<${wgslType(out)}>;`,
      ...expr.helpers,
      `@compute @workgroup_size(${WORKGROUP_SIZE})`,
      "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
      `  let i = gid.y * (nwg.x * ${WORKGROUP_SIZE}u) + gid.x;`,
      "  if (i >= arrayLength(&out)) { return; }",
      `  ${expr.code}`,
      `  out[i] = ${expr.values[body.length - 1]};`,
      "}",
    ].join("\n");
  }
  shaders.set(key, code);
  return code;
}

/** Runs an eager elementwise primitive with a generic shader; undefined when it has none. */
export const runElementwise: EagerRunner = (rt, prim, params, inputs, inInfo, out) => {
  if (!ELEMENTWISE.has(prim)) return undefined;
  const n = sizeOf(out.shape);
  if (inInfo.some((i) => sizeOf(i.shape) !== n)) return undefined;
  const code = shaderFor(
    prim as ExprPrim,
    params,
    inInfo.map((i) => i.dtype),
    out.dtype,
  );
  // The length comes from the output binding (arrayLength), so no parameter buffer.
  return code === null ? undefined : runPerElement(rt, prim, code, inputs, out);
};
