/**
 * A plan's DotKernel as one WGSL shader: the matrix product (matmul.ts, the variant that suits the
 * adapter) with the plan's epilogue expression fused into its store (expr.ts). The epilogue's
 * input 0 is the product; its other inputs are views over [batch·m, n], read from extra bindings.
 */
import type { DotKernel, KernelPlan } from "../../plan/types.js";
import { emitWgslExpr } from "./expr.js";
import type { WgslKernel } from "./kernel.js";
import { extraBindingName, matmulShader, matmulVariant } from "./matmul.js";

export function matmulWithEpilogue(k: DotKernel, plan: KernelPlan, fallbackAdapter: boolean): WgslKernel {
  const variant = matmulVariant({ isFallbackAdapter: fallbackAdapter });
  const ep = k.epilogue;
  if (!ep) return matmulShader(k, plan, { variant });
  const views = ep.inputs.slice(1);
  const buffers = [...new Set(views.map((v) => v.buffer))];
  const extraBindings = buffers.map((buffer) => ({ buffer, access: "read" as const }));
  return matmulShader(k, plan, { variant, extraBindings }, (product, row, col) => {
    const expr = emitWgslExpr(
      ep.body,
      {
        loadInput: (i) => {
          if (i === 0) return product;
          const v = views[i - 1]!;
          const [rs, cs] = v.strides as [number, number];
          // Strides may be 0 (broadcast) or negative (reversed): index arithmetic in i32.
          const at = `${v.offset} + i32(${row}) * ${rs} + i32(${col}) * ${cs}`;
          return `${extraBindingName(buffers.indexOf(v.buffer))}[u32(${at})]`;
        },
        index: (dim) => (dim === 0 ? row : col),
        // The store function's parameter holding a zero the shader compiler cannot see through
        // (see expr.ts: it keeps float arithmetic IEEE-exact on compilers that assume no NaN).
        opaqueZero: "mm_z",
      },
      "ep",
    );
    return { code: expr.code, value: expr.values[ep.body.length - 1]!, helpers: expr.helpers };
  });
}
