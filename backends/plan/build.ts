/**
 * Turns a Program into a kernel plan (see types.ts): view operations become index arithmetic,
 * elementwise chains fuse, reductions take the chain feeding them as a prologue, a matrix
 * product takes the chain consuming it as an epilogue, and buffers get arena offsets from their
 * lifetimes. Values used twice, expressions broadcast to more elements, and operands of
 * primitives that need contiguous data are materialized.
 *
 * Over 400 lines on purpose: one Planner walks the Program, and each equation's handler reads and
 * updates the same value map, buffer list and pending products; the free-standing pieces live
 * beside it (views.ts, expr-builder.ts, shared-values.ts, lifetimes.ts).
 */
import type { DType } from "../../src/core/dtype.js";
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS, type PrimName } from "../../src/core/primitives.js";
import { type Atom, type Eqn, Literal, type Program, type Var } from "../../src/core/program.js";
import { ExprBuilder, mapInputs, type Pending, productFirst } from "./expr-builder.js";
import { valuesFusedOnce } from "./shared-values.js";
import { planArena } from "./lifetimes.js";
import type { BufferRole, DotKernel, ExprPrim, Kernel, KernelPlan, PlanBuffer, ReduceOp, View } from "./types.js";
import {
  contiguousStrides,
  type Group,
  isContiguous,
  mergeGroup,
  reshapeView,
  type Strided,
  transposeView,
  viewFunction,
  withStrided,
} from "./views.js";

/** Limits that keep generated loops small (and within WebGPU's buffers-per-stage limit). */
export interface PlanLimits {
  /** Most distinct input views of one fused kernel. */
  readonly maxInputs: number;
  /** Most operations in one fused expression. */
  readonly maxOps: number;
  /** Whether dot_general epilogues fuse (a backend without a fused matmul says no). */
  readonly fuseDotEpilogue: boolean;
}

export const DEFAULT_LIMITS: PlanLimits = { maxInputs: 8, maxOps: 64, fuseDotEpilogue: true };

type Value =
  | { readonly kind: "view"; readonly view: View }
  | { readonly kind: "expr"; readonly p: Pending }
  | { readonly kind: "literal"; readonly value: number; readonly dtype: DType };

/** The primitives that fuse into elementwise expressions (`ExprPrim`). */
export const ELEMENTWISE = new Set<string>([
  ...UNARY_PRIMS,
  ...BINARY_PRIMS,
  ...COMPARE_PRIMS,
  "integer_pow",
  "select",
  "convert",
]);
const REDUCE_OP: Record<string, ReduceOp> = {
  reduce_sum: "sum",
  reduce_max: "max",
  reduce_min: "min",
  reduce_prod: "prod",
};
const VIEW_PRIMS = new Set<string>(["broadcast_in_dim", "transpose", "slice", "rev", "reshape"]);

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Plans `program` (whose constants are bound separately, in `program.constVars` order). */
export function planProgram(program: Program, limits: PlanLimits = DEFAULT_LIMITS): KernelPlan {
  return new Planner(limits).run(program);
}

class Planner {
  private readonly buffers: {
    dtype: DType;
    size: number;
    role: BufferRole;
    index?: number;
  }[] = [];
  private readonly kernels: Kernel[] = [];
  /** Products waiting for their epilogue: emitted when their value is materialized. */
  private readonly pendingDots: DotKernel[] = [];
  private readonly values = new Map<Var, Value>();
  private readonly uses = new Map<Var, number>();
  /** Variables read several times, all within one fused expression: computed once, in it. */
  private readonly sharedInOneKernel = new Set<Var>();

  constructor(private readonly limits: PlanLimits) {}

  run(program: Program): KernelPlan {
    for (const e of program.eqns) for (const a of e.inputs) if (!(a instanceof Literal)) this.use(a);
    for (const a of program.outs) if (!(a instanceof Literal)) this.use(a);
    for (const v of valuesFusedOnce(program, this.uses, ELEMENTWISE)) this.sharedInOneKernel.add(v);
    program.constVars.forEach((v, i) => this.bindBuffer(v, "const", i));
    program.inVars.forEach((v, i) => this.bindBuffer(v, "input", i));
    for (const e of program.eqns) this.equation(e);
    const outputs: KernelPlan["outputs"][number][] = program.outs.map((a) => {
      if (a instanceof Literal) return { literal: a.value, dtype: a.aval.dtype };
      return { buffer: this.contiguous(this.valueOf(a), a.aval.shape, a.aval.dtype) };
    });
    const bufs = this.buffers.map(
      (b, id): PlanBuffer => ({
        id,
        dtype: b.dtype,
        size: b.size,
        role: b.role,
        offset: 0,
        ...(b.index === undefined ? {} : { index: b.index }),
        def: -1,
        lastUse: -1,
      }),
    );
    for (const o of outputs) {
      if (!("buffer" in o)) continue;
      const b = bufs[o.buffer]!;
      bufs[o.buffer] = { ...b, role: roleForOutput(b.role) };
    }
    const arenaBytes = planArena(bufs, this.kernels, outputs);
    return { buffers: bufs, kernels: this.kernels, outputs, arenaBytes };
  }

  private use(v: Var): void {
    this.uses.set(v, (this.uses.get(v) ?? 0) + 1);
  }

  private newBuffer(dtype: DType, size: number, role: BufferRole = "temp", index?: number): number {
    this.buffers.push({ dtype, size, role, ...(index === undefined ? {} : { index }) });
    return this.buffers.length - 1;
  }

  private bindBuffer(v: Var, role: BufferRole, index: number): void {
    const id = this.newBuffer(v.aval.dtype, v.aval.size, role, index);
    this.values.set(v, { kind: "view", view: { buffer: id, offset: 0, strides: contiguousStrides(v.aval.shape) } });
  }

  private valueOf(a: Atom): Value {
    if (a instanceof Literal) return { kind: "literal", value: a.value, dtype: a.aval.dtype };
    const v = this.values.get(a);
    if (!v) throw new Error("internal error: the planner met a variable before its definition");
    return v;
  }

  private define(out: Var, value: Value): void {
    // A fused value read more than once is computed once, into a buffer.
    if (value.kind === "expr" && (this.uses.get(out) ?? 0) > 1 && !this.sharedInOneKernel.has(out)) {
      this.values.set(out, { kind: "view", view: this.materialize(value.p) });
      return;
    }
    this.values.set(out, value);
  }

  private equation(e: Eqn): void {
    const out = e.outputs[0];
    const float = out !== undefined && (out.aval.dtype === "float32" || out.aval.dtype === "float64");
    if (e.prim === "stop_gradient" && out) this.values.set(out, this.valueOf(e.inputs[0]!));
    else if (ELEMENTWISE.has(e.prim) && out) this.elementwise(e, out);
    else if (e.prim === "iota" && out) {
      const { dimension, dtype } = e.params as { dimension: number; dtype: DType };
      const b = new ExprBuilder();
      b.index(dimension, dtype);
      this.define(out, { kind: "expr", p: b.done(out.aval.shape, dtype) });
    } else if (VIEW_PRIMS.has(e.prim) && out) this.viewOp(e, out);
    // Integer and bool reductions wrap or saturate exactly as the reference does: they stay primitives.
    else if (e.prim in REDUCE_OP && out && float) this.reduce(e, out);
    else if (e.prim === "dot_general" && out && float) this.dot(e, out);
    else if (e.prim === "pad" && out) this.pad(e, out);
    else if (e.prim === "concatenate" && out) this.concatenate(e, out);
    else this.primitive(e);
  }

  private elementwise(e: Eqn, out: Var): void {
    const b = new ExprBuilder();
    const shape = out.aval.shape;
    const args = e.inputs.map((a) => {
      const v = this.valueOf(a);
      if (v.kind === "literal") return b.literal(v.value, v.dtype);
      if (v.kind === "view") return b.input(v.view, a.aval.dtype);
      // Two different pending products cannot share one epilogue: compute the second now.
      if (v.p.dot !== undefined && b.dot !== undefined && b.dot !== v.p.dot)
        return b.input(this.materialize(v.p), a.aval.dtype);
      return b.inline(v.p);
    });
    const root = b.op(e.prim as ExprPrim, args, e.params, out.aval.dtype);
    let p = b.done(shape, out.aval.dtype, root);
    if (p.inputs.length > this.limits.maxInputs || p.ops > this.limits.maxOps) {
      p = this.rebuildWithMaterializedArgs(e, out);
    }
    this.define(out, { kind: "expr", p });
  }

  /** The same operation over materialized operands (when fusing would exceed the limits). */
  private rebuildWithMaterializedArgs(e: Eqn, out: Var): Pending {
    const b = new ExprBuilder();
    const args = e.inputs.map((a) => {
      const v = this.valueOf(a);
      if (v.kind === "literal") return b.literal(v.value, v.dtype);
      if (v.kind === "view") return b.input(v.view, a.aval.dtype);
      return b.input(this.materialize(v.p), a.aval.dtype);
    });
    const root = b.op(e.prim as ExprPrim, args, e.params, out.aval.dtype);
    return b.done(out.aval.shape, out.aval.dtype, root);
  }

  private viewOp(e: Eqn, out: Var): void {
    const a = e.inputs[0]!;
    const inShape = a.aval.shape;
    const outShape = out.aval.shape;
    const f = viewFunction(e, inShape, outShape);
    const v = this.valueOf(a);
    if (v.kind === "literal") {
      // A literal operand stays a literal: view operations only move it.
      this.values.set(out, v);
      return;
    }
    if (v.kind === "expr") {
      const grows = sizeOf(outShape) > sizeOf(inShape);
      // Moving an expression through a view keeps it fused, unless it would be recomputed for
      // broadcast copies (only free expressions may grow), reads the index, or feeds a product.
      if (!v.p.hasIndex && v.p.dot === undefined && (!grows || v.p.ops === 0)) {
        const moved = mapInputs(v.p, outShape, (w) => {
          const r = f(w);
          return r && withStrided(w, r);
        });
        if (moved) {
          this.define(out, { kind: "expr", p: moved });
          return;
        }
      }
      const view = this.materialize(v.p);
      this.values.set(out, { kind: "view", view: this.viewThrough(view, f, inShape, a.aval.dtype) });
      return;
    }
    this.values.set(out, { kind: "view", view: this.viewThrough(v.view, f, inShape, a.aval.dtype) });
  }

  /** Applies a view function, copying the operand to a contiguous buffer first when it cannot (reshape). */
  private viewThrough(
    view: View,
    f: (s: Strided) => Strided | undefined,
    inShape: readonly number[],
    dtype: DType,
  ): View {
    const r = f(view);
    if (r) return withStrided(view, r);
    const id = this.copy(view, inShape, dtype);
    return withStrided({ buffer: id, offset: 0, strides: [] }, f({ offset: 0, strides: contiguousStrides(inShape) })!);
  }

  private reduce(e: Eqn, out: Var): void {
    const a = e.inputs[0]!;
    const axes = (e.params as { axes: number[] }).axes;
    const v = this.valueOf(a);
    const b = new ExprBuilder();
    if (v.kind === "literal") b.literal(v.value, v.dtype);
    else if (v.kind === "view") b.input(v.view, a.aval.dtype);
    else if (v.p.dot !== undefined || v.p.hasIndex) b.input(this.materialize(v.p), a.aval.dtype);
    else b.inline(v.p);
    const p = b.done(a.aval.shape, a.aval.dtype);
    const output = this.newBuffer(out.aval.dtype, out.aval.size);
    this.kernels.push({
      kind: "reduce",
      op: REDUCE_OP[e.prim]!,
      shape: a.aval.shape,
      axes,
      inputs: p.inputs,
      body: p.nodes,
      dtype: out.aval.dtype,
      output,
    });
    this.values.set(out, {
      kind: "view",
      view: { buffer: output, offset: 0, strides: contiguousStrides(out.aval.shape) },
    });
  }

  private dot(e: Eqn, out: Var): void {
    const { contracting, batch } = e.params as { contracting: [number[], number[]]; batch: [number[], number[]] };
    const [lhsAtom, rhsAtom] = e.inputs as [Atom, Atom];
    const lhs = this.operandView(lhsAtom, batch[0], contracting[0], "lhs");
    const rhs = this.operandView(rhsAtom, batch[1], contracting[1], "rhs");
    const output = this.newBuffer(out.aval.dtype, out.aval.size);
    const kernel: DotKernel = {
      kind: "dot",
      dtype: out.aval.dtype,
      batch: lhs.batch,
      m: lhs.free,
      n: rhs.free,
      k: lhs.contract,
      lhs: lhs.view,
      rhs: rhs.view,
      output,
    };
    const view: View = { buffer: output, offset: 0, strides: contiguousStrides(out.aval.shape) };
    if (!this.limits.fuseDotEpilogue || ((this.uses.get(out) ?? 0) !== 1 && !this.sharedInOneKernel.has(out))) {
      this.kernels.push(kernel);
      this.values.set(out, { kind: "view", view });
      return;
    }
    // The product's single consumer chain may become its epilogue: the kernel is emitted when
    // that chain is materialized (after every kernel computing the epilogue's other inputs).
    this.pendingDots.push(kernel);
    const b = new ExprBuilder();
    b.input(view, out.aval.dtype);
    b.dot = this.pendingDots.length - 1;
    this.values.set(out, { kind: "expr", p: b.done(out.aval.shape, out.aval.dtype) });
  }

  /**
   * An operand of dot_general as a [batch, rows, cols] view: rows are the free dims of the lhs
   * (contracting dims of the rhs), cols the contracting dims of the lhs (free dims of the rhs).
   * Dimension groups that are not one stride chain are copied to a contiguous layout first.
   */
  private operandView(
    atom: Atom,
    batchDims: readonly number[],
    contractDims: readonly number[],
    side: "lhs" | "rhs",
  ): { view: View; batch: number; free: number; contract: number } {
    const shape = atom.aval.shape;
    const freeDims = shape.map((_, i) => i).filter((i) => !batchDims.includes(i) && !contractDims.includes(i));
    let view = this.asView(atom);
    const order = side === "lhs" ? [batchDims, freeDims, contractDims] : [batchDims, contractDims, freeDims];
    let groups = order.map((g) => mergeGroup(view, shape, g));
    if (groups.some((g) => g === undefined)) {
      const perm = order.flat();
      const permShape = perm.map((p) => shape[p]!);
      const id = this.copy(withStrided(view, transposeView(view, perm)), permShape, atom.aval.dtype);
      view = { buffer: id, offset: 0, strides: [] };
      const strides = contiguousStrides(permShape);
      let at = 0;
      groups = order.map((g) => {
        const dims = g.map(() => at++);
        return mergeGroup({ offset: 0, strides }, permShape, dims);
      });
      view = { buffer: id, offset: 0, strides: [] };
    }
    const [gb, g1, g2] = groups as [Group, Group, Group];
    const size = (g: readonly number[]): number => g.reduce((acc, d) => acc * shape[d]!, 1);
    const strided: View = { buffer: view.buffer, offset: view.offset, strides: [gb.stride, g1.stride, g2.stride] };
    return side === "lhs"
      ? { view: strided, batch: size(batchDims), free: size(freeDims), contract: size(contractDims) }
      : { view: strided, batch: size(batchDims), free: size(freeDims), contract: size(contractDims) };
  }

  /**
   * pad: one kernel fills the output with the padding value, a second writes the operand (fused,
   * if it is pending) into the strided part of the output it occupies.
   */
  private pad(e: Eqn, out: Var): void {
    const { lo, interior, value } = e.params as { lo: number[]; interior: number[]; value: number };
    const outShape = out.aval.shape;
    const dtype = out.aval.dtype;
    const output = this.newBuffer(dtype, out.aval.size);
    const fill = new ExprBuilder();
    fill.literal(value, dtype);
    this.kernels.push({
      kind: "elementwise",
      shape: outShape,
      inputs: [],
      body: fill.nodes,
      outputs: [{ buffer: output, node: 0 }],
    });
    const strides = contiguousStrides(outShape);
    let offset = 0;
    lo.forEach((l, d) => {
      offset += l * strides[d]!;
    });
    this.place(e.inputs[0]!, output, { offset, strides: strides.map((s, d) => s * (interior[d]! + 1)) });
    this.setBuffer(out, output);
  }

  /** concatenate: each operand (fused, if pending) is written into its slab of the output. */
  private concatenate(e: Eqn, out: Var): void {
    const { axis } = e.params as { axis: number };
    const output = this.newBuffer(out.aval.dtype, out.aval.size);
    const strides = contiguousStrides(out.aval.shape);
    let at = 0;
    for (const a of e.inputs) {
      this.place(a, output, { offset: at * strides[axis]!, strides });
      at += a.aval.shape[axis]!;
    }
    this.setBuffer(out, output);
  }

  /** An elementwise kernel writing `a`'s value through a strided view of `buffer`. */
  private place(a: Atom, buffer: number, view: { offset: number; strides: number[] }): void {
    if (a.aval.size === 0) return;
    const b = new ExprBuilder();
    const v = this.valueOf(a);
    if (v.kind === "literal") b.literal(v.value, v.dtype);
    else if (v.kind === "view") b.input(v.view, a.aval.dtype);
    else if (v.p.dot !== undefined) b.input(this.materialize(v.p), a.aval.dtype);
    else b.inline(v.p);
    this.kernels.push({
      kind: "elementwise",
      shape: a.aval.shape,
      inputs: b.inputs,
      body: b.nodes,
      outputs: [{ buffer, node: b.nodes.length - 1, view }],
    });
  }

  private setBuffer(out: Var, buffer: number): void {
    this.values.set(out, { kind: "view", view: { buffer, offset: 0, strides: contiguousStrides(out.aval.shape) } });
  }

  /** Any value as a view (expressions and literals are materialized). */
  private asView(a: Atom): View {
    const v = this.valueOf(a);
    if (v.kind === "view") return v.view;
    if (v.kind === "expr") return this.materialize(v.p);
    return this.materializeLiteral(v.value, v.dtype, a.aval.shape);
  }

  private primitive(e: Eqn): void {
    const inputs = e.inputs.map((a) => this.contiguous(this.valueOf(a), a.aval.shape, a.aval.dtype));
    const outputs = e.outputs.map((o) => this.newBuffer(o.aval.dtype, o.aval.size));
    this.kernels.push({ kind: "primitive", prim: e.prim as PrimName, eqn: e, inputs, outputs });
    e.outputs.forEach((o, i) =>
      this.values.set(o, {
        kind: "view",
        view: { buffer: outputs[i]!, offset: 0, strides: contiguousStrides(o.aval.shape) },
      }),
    );
  }

  /** A buffer holding `value` contiguously (a copy when it is a view that is not the whole buffer). */
  private contiguous(value: Value, shape: readonly number[], dtype: DType): number {
    if (value.kind === "literal") return this.materializeLiteral(value.value, dtype, shape).buffer;
    const view = value.kind === "expr" ? this.materialize(value.p) : value.view;
    const buf = this.buffers[view.buffer]!;
    if (isContiguous(view, shape) && buf.size === sizeOf(shape)) return view.buffer;
    return this.copy(view, shape, dtype);
  }

  /** Emits the kernel computing a pending expression into a new buffer; returns its contiguous view. */
  private materialize(pending: Pending): View {
    let p = pending;
    const shape = p.shape;
    if (p.dot !== undefined) {
      const k = this.pendingDots[p.dot];
      if (!k) throw new Error("internal error: a pending epilogue lost its product");
      // A bare product (no operation consumed it) needs no epilogue.
      if (p.ops === 0) {
        this.kernels.push(k);
        return { buffer: k.output, offset: 0, strides: contiguousStrides(shape) };
      }
      p = productFirst(p, k.output);
      const output = this.newBuffer(p.dtype, sizeOf(shape));
      const rows = sizeOf(shape) / Math.max(k.n, 1);
      const flat = [rows, k.n];
      // Epilogue inputs read over the product's 2-D [batch·m, n] layout.
      const inputs = p.inputs.map((v) => {
        const r = reshapeView(v, shape, flat);
        return r ? withStrided(v, r) : undefined;
      });
      if (inputs.every((v) => v !== undefined) && p.dtype === k.dtype) {
        this.kernels.push({ ...k, epilogue: { inputs: inputs as View[], body: p.nodes }, output });
        // The product buffer itself is never written now: the epilogue's input 0 is the product.
        return { buffer: output, offset: 0, strides: contiguousStrides(shape) };
      }
      // The epilogue cannot be fused (a dtype change, or inputs that do not flatten): run it after.
      this.kernels.push(k);
      return this.elementwiseInto(p, output);
    }
    return this.elementwiseInto(p, this.newBuffer(p.dtype, sizeOf(shape)));
  }

  /** The kernel computing a pending expression into `output`; returns the output's contiguous view. */
  private elementwiseInto(p: Pending, output: number): View {
    const shape = p.shape;
    this.kernels.push({
      kind: "elementwise",
      shape,
      inputs: p.inputs,
      body: p.nodes,
      outputs: [{ buffer: output, node: p.nodes.length - 1 }],
    });
    return { buffer: output, offset: 0, strides: contiguousStrides(shape) };
  }

  private materializeLiteral(value: number, dtype: DType, shape: readonly number[]): View {
    const b = new ExprBuilder();
    b.literal(value, dtype);
    return this.materialize(b.done(shape, dtype));
  }

  /** A contiguous copy of a view over `shape`. */
  private copy(view: View, shape: readonly number[], dtype: DType): number {
    const b = new ExprBuilder();
    b.input(view, dtype);
    return this.materialize(b.done(shape, dtype)).buffer;
  }
}

function roleForOutput(role: BufferRole): BufferRole {
  return role === "temp" ? "output" : role;
}
