/**
 * A readable listing of a kernel plan: one block per kernel, with its buffers, views and fused
 * expression, so a user can see what fused (`jit(f).lower(x).compile().asText()`).
 */
import type { DType } from "../../src/core/dtype.js";
import type { ExprNode, Kernel, KernelPlan, View } from "./types.js";

const short = (d: DType): string =>
  d === "bool" ? "bool" : d.replace("float", "f").replace("uint", "u").replace("int", "i");

function viewText(v: View, plan: KernelPlan): string {
  const b = plan.buffers[v.buffer];
  const name = b ? `b${v.buffer}` : `?${v.buffer}`;
  return `${name}[offset ${v.offset}, strides (${v.strides.join(", ")})]`;
}

function exprLines(body: readonly ExprNode[], indent: string): string[] {
  return body.map((n, i) => {
    const lhs = `${indent}t${i}:${short(n.dtype)} = `;
    switch (n.kind) {
      case "input":
        return `${lhs}in${n.input}`;
      case "literal":
        return `${lhs}${n.value}`;
      case "index":
        return `${lhs}index(dim ${n.dim})`;
      case "op": {
        const params = Object.keys(n.params).length ? ` ${JSON.stringify(n.params)}` : "";
        return `${lhs}${n.prim}${params} ${n.args.map((a) => `t${a}`).join(" ")}`;
      }
    }
  });
}

function kernelText(k: Kernel, i: number, plan: KernelPlan): string[] {
  const ind = "    ";
  switch (k.kind) {
    case "elementwise":
      return [
        `  kernel ${i}: elementwise [${k.shape.join(",")}] -> ${k.outputs
          .map(
            (o) =>
              `b${o.buffer}${o.view ? `[offset ${o.view.offset}, strides (${o.view.strides.join(", ")})]` : ""}=t${o.node}`,
          )
          .join(", ")}`,
        ...k.inputs.map((v, j) => `${ind}in${j} = ${viewText(v, plan)}`),
        ...exprLines(k.body, ind),
      ];
    case "reduce":
      return [
        `  kernel ${i}: reduce_${k.op} [${k.shape.join(",")}] axes (${k.axes.join(", ")}) -> b${k.output}:${short(k.dtype)}`,
        ...k.inputs.map((v, j) => `${ind}in${j} = ${viewText(v, plan)}`),
        ...exprLines(k.body, ind),
      ];
    case "dot":
      return [
        `  kernel ${i}: dot ${short(k.dtype)} batch ${k.batch} (${k.m}x${k.k}) · (${k.k}x${k.n}) -> b${k.output}`,
        `${ind}lhs = ${viewText(k.lhs, plan)}`,
        `${ind}rhs = ${viewText(k.rhs, plan)}`,
        ...(k.epilogue
          ? [
              `${ind}epilogue (in0 = the product):`,
              ...k.epilogue.inputs.slice(1).map((v, j) => `${ind}  in${j + 1} = ${viewText(v, plan)}`),
              ...exprLines(k.epilogue.body, `${ind}  `),
            ]
          : []),
      ];
    case "primitive":
      return [
        `  kernel ${i}: ${k.prim} (${k.inputs.map((b) => `b${b}`).join(", ")}) -> ${k.outputs.map((b) => `b${b}`).join(", ")}`,
      ];
  }
}

/** The plan as text: buffers, then kernels in execution order, then outputs. */
export function planToText(plan: KernelPlan): string {
  const lines: string[] = [`plan: ${plan.kernels.length} kernel(s), arena ${plan.arenaBytes} bytes`];
  for (const b of plan.buffers) {
    if (b.def === -1 && b.lastUse === -1 && b.role === "temp") continue;
    const where = b.role === "input" || b.role === "const" ? `${b.role} ${b.index}` : b.role;
    lines.push(`  b${b.id}: ${short(b.dtype)}[${b.size}] ${where} @${b.offset} live ${b.def}..${b.lastUse}`);
  }
  plan.kernels.forEach((k, i) => lines.push(...kernelText(k, i, plan)));
  lines.push(
    `  outputs: ${plan.outputs.map((o) => ("buffer" in o ? `b${o.buffer}` : `${o.literal}:${short(o.dtype)}`)).join(", ")}`,
  );
  return lines.join("\n");
}
