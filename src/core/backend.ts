/**
 * The narrow interface every backend implements (CPU reference today; WebAssembly and WebGPU later).
 * A backend owns buffers, runs single primitives eagerly and compiles whole Programs.
 */
import type { DType, TypedArray } from "./dtype.js";
import type { Shape } from "./shape.js";
import type { PrimName, PrimParams } from "./primitives.js";
import type { Program } from "./program.js";

/** Shape and dtype of a buffer's contents. */
export interface BufferInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A compiled Program: call it with buffers for the Program's inputs (its constants were bound at compile time). */
export interface Executable<B> {
  readonly program: Program;
  run(inputs: readonly B[]): B[];
  /** What runs, as text (for `jit(f).lower(...).compile().asText()`). */
  asText?(): string;
}

export interface Backend<B = unknown> {
  readonly name: string;
  /** Copies host data into a new buffer (the caller may reuse `data` afterwards). */
  upload(data: TypedArray, info: BufferInfo): B;
  /** Takes ownership of host data without a copy, where the backend keeps host typed arrays (the CPU). */
  readonly adopt?: (data: TypedArray, info: BufferInfo) => B;
  /** A zero-filled buffer. */
  allocate(info: BufferInfo): B;
  /** Reads a buffer back; always available. */
  download(buf: B, info: BufferInfo): Promise<TypedArray>;
  /** Synchronous read, where the backend can (the CPU can; WebGPU cannot). */
  readonly downloadSync?: (buf: B, info: BufferInfo) => TypedArray;
  /** Resolves once the work producing every buffer made so far is done (backends that compute asynchronously). */
  readonly whenReady?: () => Promise<void>;
  /** Runs one primitive eagerly. */
  executePrimitive<P extends PrimName>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly B[],
    inInfo: readonly BufferInfo[],
    outInfo: BufferInfo,
  ): B;
  /**
   * Compiles a Program once; `run` may be called many times. `consts` holds this backend's buffers
   * for `program.consts` (see `constantBuffers`).
   */
  compile(program: Program, consts: readonly B[]): Executable<B>;
}

const backends = new Map<string, Backend<unknown>>();
let defaultName: string | undefined;

/** The name of the reference backend (the CPU interpreter): constant folding runs there. */
export const REFERENCE_BACKEND = "cpu";

/** Adds a backend to the registry (the package entry registers the built-in ones). */
export function registerBackend<B>(b: Backend<B>, opts: { makeDefault?: boolean } = {}): void {
  // Buffers are opaque outside their backend, so the registry holds every backend at `unknown`.
  backends.set(b.name, b as unknown as Backend<unknown>);
  if (opts.makeDefault || defaultName === undefined) defaultName = b.name;
}

/** The registered backend called `name`. */
export function getBackend(name: string): Backend<unknown> {
  const b = backends.get(name);
  if (!b) {
    const known = [...backends.keys()];
    // WebGPU registers itself only once a device is open, which is asynchronous.
    const hint = name === "webgpu" ? " (call `await initWebGpu()` first)" : "";
    throw new Error(
      `backend '${name}' is not registered${hint}; registered: ${known.length ? known.join(", ") : "none (import graft through its package entry, which registers the built-in backends)"}`,
    );
  }
  return b;
}

/** The backend new arrays are created on. */
export function defaultBackend(): Backend<unknown> {
  if (defaultName === undefined) return getBackend(REFERENCE_BACKEND);
  return getBackend(defaultName);
}

/** Makes a registered backend the default for new arrays. */
export function setDefaultBackend(name: string): void {
  getBackend(name);
  defaultName = name;
}

/** The registered backends' names, the default first. */
export function backendNames(): string[] {
  const names = [...backends.keys()];
  const first = defaultBackend().name;
  return [first, ...names.filter((n) => n !== first)];
}
