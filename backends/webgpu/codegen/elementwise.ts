/**
 * WGSL for the plan's fused elementwise kernels: one invocation per element of the iteration
 * shape, its flat index split into a multi-index by constant divisions, inputs read through their
 * views (offset and strides baked in; stride 0 broadcasts, negative strides reverse) and outputs
 * written contiguously or through their strided view (pad and concatenate place an operand in a
 * part of a larger buffer). Dimensions every operand walks as one stride chain are merged first,
 * so a contiguous kernel does no index arithmetic at all.
 *
 * Bindings (group 0): each plan buffer an input node reads, once, in order of first use (read),
 * then each output buffer, once (read_write). A buffer both read and written is refused: the
 * planner never writes a kernel's own input, and WebGPU forbids binding one buffer both ways.
 */
import type { ElementwiseKernel, KernelPlan, View } from "../../plan/types.js";
import { emitWgslExpr, OPAQUE_ZERO } from "./expr.js";
import { flatDispatch, flatIndex, type WgslBinding, type WgslKernel, wgslType } from "./kernel.js";

/** An iteration space and the strides (elements) of each operand over it. */
export interface Dims {
  readonly shape: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** Row-major strides of a contiguous array of `shape`. */
export function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, acc = 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/**
 * Drops size-1 dimensions and merges each dimension into the one before it when every operand
 * steps over it as a continuation of that one and `sameGroup(previous, d)` allows it (reductions
 * keep kept and reduced dimensions apart). `origin[j]`: an original dimension merged into j.
 */
export function mergeDims(
  dims: Dims,
  sameGroup: (previous: number, d: number) => boolean = () => true,
): Dims & { readonly origin: readonly number[] } {
  const shape: number[] = [];
  const origin: number[] = [];
  const strides: number[][] = dims.strides.map(() => []);
  dims.shape.forEach((n, d) => {
    if (n === 1) return;
    const k = shape.length - 1;
    if (k >= 0 && sameGroup(origin[k]!, d) && dims.strides.every((s, o) => strides[o]![k] === s[d]! * n)) {
      shape[k] = shape[k]! * n;
      dims.strides.forEach((s, o) => {
        strides[o]![k] = s[d]!;
      });
    } else {
      shape.push(n);
      origin.push(d);
      dims.strides.forEach((s, o) => strides[o]!.push(s[d]!));
    }
  });
  return { shape, strides, origin };
}

/**
 * WGSL statements splitting the flat u32 index `flat` (below the product of `shape`) row-major
 * into `let <names[k]>: u32` per dimension k.
 */
export function splitIndex(flat: string, shape: readonly number[], names: readonly string[]): string {
  if (shape.length === 0) return "";
  const lines: string[] = [];
  let q = flat;
  for (let d = shape.length - 1; d > 0; d--) {
    // An empty kernel returns before this, but WGSL rejects a constant division by zero even in dead code.
    const extent = Math.max(shape[d]!, 1);
    lines.push(`let ${names[d]} = ${q} % ${extent}u;`);
    lines.push(`let ${names[d]}_q = ${q} / ${extent}u;`);
    q = `${names[d]}_q`;
  }
  lines.push(`let ${names[0]} = ${q};`);
  return lines.join("\n");
}

/**
 * A u32 element index `offset + Σ idx[k]·strides[k]` (u32 arithmetic wraps, so negative strides
 * subtract and the final index is exact).
 */
export function address(offset: number, strides: readonly number[], idx: (k: number) => string): string {
  let a = `${offset}u`;
  strides.forEach((s, k) => {
    if (s === 0) return;
    const m = Math.abs(s) === 1 ? idx(k) : `${idx(k)} * ${Math.abs(s)}u`;
    a = a === "0u" && s > 0 ? m : `${a} ${s > 0 ? "+" : "-"} ${m}`;
  });
  return a;
}

/** The binding table and WGSL declarations: read buffers first, then read_write ones. */
export function declareBindings(
  plan: KernelPlan,
  reads: readonly number[],
  writes: readonly number[],
): { bindings: WgslBinding[]; decls: string; slot: Map<number, number> } {
  const bindings: WgslBinding[] = [];
  const slot = new Map<number, number>();
  const decls: string[] = [];
  const add = (buffer: number, access: "read" | "read_write"): void => {
    if (slot.has(buffer)) {
      if (bindings[slot.get(buffer)!]!.access !== access)
        throw new Error(`internal error: plan buffer ${buffer} is both read and written by one kernel`);
      return;
    }
    const b = plan.buffers[buffer];
    if (!b) throw new Error(`internal error: no plan buffer ${buffer}`);
    const i = bindings.length;
    slot.set(buffer, i);
    bindings.push({ buffer, access });
    decls.push(`@group(0) @binding(${i}) var<storage, ${access}> b${i}: array<${wgslType(b.dtype)}>;`);
  };
  for (const b of reads) add(b, "read");
  for (const b of writes) add(b, "read_write");
  return { bindings, decls: decls.join("\n"), slot };
}

/** The input views the body actually reads (a binding nothing reads would vanish from the layout). */
export function usedInputs(body: ElementwiseKernel["body"], inputs: readonly View[]): View[] {
  const used = new Set<number>();
  for (const n of body) {
    if (n.kind !== "input") continue;
    if (!inputs[n.input]) throw new Error(`internal error: expression reads input ${n.input} of ${inputs.length}`);
    used.add(n.input);
  }
  return inputs.filter((_, i) => used.has(i));
}

export function elementwiseShader(k: ElementwiseKernel, plan: KernelPlan): WgslKernel {
  const n = k.shape.reduce((a, b) => a * b, 1);
  const contiguous = rowMajor(k.shape);
  const reads = usedInputs(k.body, k.inputs).map((v) => v.buffer);
  const { bindings, decls, slot } = declareBindings(
    plan,
    reads,
    k.outputs.map((o) => o.buffer),
  );
  // Operands: the inputs' views, then the outputs' (row-major when they have none).
  const views = [
    ...k.inputs.map((v) => ({ offset: v.offset, strides: v.strides })),
    ...k.outputs.map((o) => o.view ?? { offset: 0, strides: contiguous }),
  ];
  const full: Dims = { shape: k.shape, strides: views.map((v) => v.strides) };
  // Index nodes need the original dimensions.
  const dims = k.body.some((b) => b.kind === "index") ? full : mergeDims(full);
  const idx = (j: number): string => `d${j}`;
  const expr = emitWgslExpr(k.body, {
    loadInput: (i) => {
      const v = k.inputs[i]!;
      return `b${slot.get(v.buffer)}[${address(v.offset, dims.strides[i]!, idx)}]`;
    },
    index: (d) => idx(d),
    opaqueZero: OPAQUE_ZERO,
  });
  k.body.forEach((node) => {
    if (node.kind === "input" && plan.buffers[k.inputs[node.input]!.buffer]!.dtype !== node.dtype)
      throw new Error(`internal error: input ${node.input} is read as ${node.dtype} from a buffer of another dtype`);
  });
  const stores = k.outputs.map((o, j) => {
    const value = expr.values[o.node];
    if (value === undefined) throw new Error(`internal error: output of node ${o.node}, of ${k.body.length}`);
    if (plan.buffers[o.buffer]!.dtype !== k.body[o.node]!.dtype)
      throw new Error(`internal error: node ${o.node} is stored into a buffer of another dtype`);
    const s = dims.strides[k.inputs.length + j]!;
    const at = o.view === undefined && dims.shape.length <= 1 ? "i" : address(o.view?.offset ?? 0, s, idx);
    return `b${slot.get(o.buffer)}[${at}] = ${value};`;
  });
  const code = [
    ...expr.helpers,
    decls,
    "@compute @workgroup_size(64)",
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    indent(flatIndexLines(n)),
    indent(
      splitIndex(
        "i",
        dims.shape,
        dims.shape.map((_, j) => idx(j)),
      ),
    ),
    indent(expr.code),
    indent(stores.join("\n")),
    "}",
  ]
    .filter((l) => l !== "")
    .join("\n");
  return { code: `${code}\n`, bindings, workgroups: flatDispatch(n) };
}

/** Indents each nonempty line of WGSL by two spaces (dropping empty lines and trailing blanks). */
export const indent = (s: string): string =>
  s
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .map((l) => `  ${l}`)
    .join("\n");

/** The flat-index prologue (kernel.ts's flatIndex), its lines unindented. */
export const flatIndexLines = (n: number, size?: number): string =>
  flatIndex(n, size)
    .split("\n")
    .map((l) => l.trim())
    .join("\n");
