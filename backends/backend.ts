/**
 * The narrow interface every backend implements (CPU reference today; WebAssembly and WebGPU later).
 * A backend owns buffers, runs single primitives eagerly and compiles whole Programs.
 */
import type { DType, TypedArray } from "../src/core/dtype.js";
import type { Shape } from "../src/core/shape.js";
import type { PrimName, PrimParams } from "../src/lax/params.js";
import type { Program } from "../src/core/program.js";

/** Shape and dtype of a buffer's contents. */
export interface BufferInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A compiled Program: call it with buffers for the Program's inputs (constants first). */
export interface Executable<B> {
  readonly program: Program;
  run(inputs: readonly B[]): B[];
}

export interface Backend<B = unknown> {
  readonly name: string;
  /** Copies host data into a new buffer (the caller may reuse `data` afterwards). */
  upload(data: TypedArray, info: BufferInfo): B;
  /** A zero-filled buffer. */
  allocate(info: BufferInfo): B;
  /** Reads a buffer back; always available. */
  download(buf: B, info: BufferInfo): Promise<TypedArray>;
  /** Synchronous read, where the backend can (the CPU can; WebGPU cannot). */
  readonly downloadSync?: (buf: B, info: BufferInfo) => TypedArray;
  /** Runs one primitive eagerly. */
  executePrimitive<P extends PrimName>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly B[],
    inInfo: readonly BufferInfo[],
    outInfo: BufferInfo,
  ): B;
  /** Compiles a Program once; `run` may be called many times. */
  compile(program: Program): Executable<B>;
}
