/**
 * The kernel plan: what a compiled backend runs for a Program. It is backend-neutral (the
 * WebAssembly backend emits loops from it, the WebGPU backend will emit WGSL) and printable.
 *
 * - Buffers are numbered; inputs, constants and outputs of the Program are buffers too.
 * - View operations (broadcast_in_dim, reshape, transpose, slice, rev) never copy: a kernel reads
 *   its inputs through a `View` (offset and one stride per dimension of the kernel's iteration
 *   shape, in elements; stride 0 broadcasts).
 * - Chains of elementwise operations fuse into one `elementwise` kernel whose body is an
 *   expression DAG (`ExprNode[]`), reductions take such an expression as a prologue, and
 *   `dot_general` takes one as an epilogue.
 * - Everything else is a `primitive` kernel: one equation the backend runs as it likes (the
 *   reference kernels work for all of them), reading contiguous buffers.
 */
import type { DType } from "../../src/core/dtype.js";
import type { BinaryPrim, ComparePrim, PrimName, UnaryPrim } from "../../src/core/primitives.js";
import type { Eqn } from "../../src/core/program.js";

/** A strided, offset read of a buffer over a kernel's iteration shape (in elements). */
export interface View {
  readonly buffer: number;
  readonly offset: number;
  /** One per dimension of the iteration shape; 0 broadcasts along that dimension. */
  readonly strides: readonly number[];
}

/** Elementwise operations an expression node may apply. */
export type ExprPrim = UnaryPrim | BinaryPrim | ComparePrim | "integer_pow" | "select" | "convert";

/**
 * One node of a fused expression, in topological order (arguments refer to earlier nodes).
 * Every node carries the dtype of its value. Operands of an `op` node already share a dtype where
 * the primitive requires it (the Program was promoted before staging).
 */
export type ExprNode =
  | { readonly kind: "input"; readonly input: number; readonly dtype: DType }
  | { readonly kind: "literal"; readonly value: number; readonly dtype: DType }
  /** The index along `dim` of the iteration shape (iota). */
  | { readonly kind: "index"; readonly dim: number; readonly dtype: DType }
  | {
      readonly kind: "op";
      readonly prim: ExprPrim;
      readonly args: readonly number[];
      /** `integer_pow`: { y }; `convert`: { dtype }; otherwise {}. */
      readonly params: Readonly<Record<string, unknown>>;
      readonly dtype: DType;
    };

/**
 * A fused loop over `shape` writing one or more outputs. An output is the whole buffer, row-major
 * over `shape`, unless it has a `view`: then the loop writes that strided part of a larger buffer
 * (how pad and concatenate place their operands without a copy kernel of their own).
 */
export interface ElementwiseKernel {
  readonly kind: "elementwise";
  readonly shape: readonly number[];
  readonly inputs: readonly View[];
  readonly body: readonly ExprNode[];
  readonly outputs: readonly {
    readonly buffer: number;
    readonly node: number;
    readonly view?: { readonly offset: number; readonly strides: readonly number[] };
  }[];
}

export type ReduceOp = "sum" | "max" | "min" | "prod";

/**
 * Reduces the expression `body` (over the iteration shape `shape`, its last node being the value)
 * along `axes`; the output is contiguous over the kept dimensions, in order.
 */
export interface ReduceKernel {
  readonly kind: "reduce";
  readonly op: ReduceOp;
  readonly shape: readonly number[];
  readonly axes: readonly number[];
  readonly inputs: readonly View[];
  readonly body: readonly ExprNode[];
  readonly dtype: DType;
  readonly output: number;
}

/**
 * A batched matrix product C[b] = A[b] · B[b] with A viewed as [batch, m, k] and B as
 * [batch, k, n] (any strides: transposes cost nothing), C contiguous [batch, m, n] — which is
 * dot_general's output layout (batch, lhs free, rhs free) once free dimensions are flattened.
 * `epilogue`, when present, is an expression whose input 0 is the product (read elementwise over
 * [batch·m, n]) and whose other inputs are views over that same 2-D shape; its last node is stored.
 */
export interface DotKernel {
  readonly kind: "dot";
  readonly dtype: DType;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Strides (elements) of A over [batch, m, k] and of B over [batch, k, n]. */
  readonly lhs: View;
  readonly rhs: View;
  readonly epilogue?: { readonly inputs: readonly View[]; readonly body: readonly ExprNode[] };
  readonly output: number;
}

/** One equation run as the backend likes (reference kernels, control flow, gathers, sorts, …). */
export interface PrimitiveKernel {
  readonly kind: "primitive";
  readonly prim: PrimName;
  readonly eqn: Eqn;
  /** Buffers holding the equation's inputs (contiguous) and the buffers its outputs go to. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

export type Kernel = ElementwiseKernel | ReduceKernel | DotKernel | PrimitiveKernel;

export type BufferRole = "input" | "const" | "temp" | "output";

export interface PlanBuffer {
  readonly id: number;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  readonly role: BufferRole;
  /** For temporaries and outputs: the byte offset in the Program's arena (planned lifetimes). */
  offset: number;
  /** For inputs/consts: the position in the Program's input or constant list. */
  readonly index?: number;
  /** The kernel that writes it (-1 for inputs and constants) and the last kernel that reads it. */
  readonly def: number;
  lastUse: number;
}

export interface KernelPlan {
  readonly buffers: readonly PlanBuffer[];
  readonly kernels: readonly Kernel[];
  /** One per Program output: a buffer, or a literal scalar. */
  readonly outputs: readonly ({ readonly buffer: number } | { readonly literal: number; readonly dtype: DType })[];
  /** Bytes of arena the temporaries and outputs need (offsets are within it). */
  readonly arenaBytes: number;
}
