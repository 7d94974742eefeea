/**
 * What every WGSL generator returns, and the shared dispatch arithmetic. A kernel binds whole
 * buffers (group 0, binding i), so a view's offset and strides are baked into the shader as
 * constants; a shader runs one invocation per element of a flat range [0, n), laid out over a
 * 2-D grid of workgroups because a dispatch has at most 65535 workgroups per dimension.
 */
import type { DType } from "../../../src/core/dtype.js";
import { UnsupportedDTypeError } from "../../../src/core/errors.js";

/** One storage binding: plan buffer `buffer` at binding index i of group 0. */
export interface WgslBinding {
  readonly buffer: number;
  readonly access: "read" | "read_write";
}

/** A generated compute shader (entry point `main`) and how to dispatch it. */
export interface WgslKernel {
  readonly code: string;
  readonly bindings: readonly WgslBinding[];
  readonly workgroups: readonly [number, number, number];
}

/** Threads per workgroup of the flat kernels. */
export const WORKGROUP_SIZE = 64;
export const MAX_WORKGROUPS_PER_DIM = 65535;

/** Workgroups covering `n` invocations of `size` threads each: x up to 65535, then rows of y. */
export function flatDispatch(n: number, size = WORKGROUP_SIZE): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / size));
  const x = Math.min(groups, MAX_WORKGROUPS_PER_DIM);
  return [x, Math.ceil(groups / x), 1];
}

/**
 * WGSL statements, at the top of `main(@builtin(global_invocation_id) gid: vec3u,
 * @builtin(num_workgroups) nwg: vec3u)`, that define `let i: u32` (the flat index) and return
 * when it is at or past `n`.
 */
export function flatIndex(n: number, size = WORKGROUP_SIZE): string {
  return `let i = gid.y * (nwg.x * ${size}u) + gid.x;\n  if (i >= ${n}u) { return; }`;
}

/** The WGSL type holding `dtype` in storage and in registers (bool is stored as u32 0/1). */
export function wgslType(dtype: DType, what = "webgpu backend"): "f32" | "i32" | "u32" {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "uint32":
    case "bool":
      return "u32";
    default:
      throw new UnsupportedDTypeError("webgpu", dtype, what);
  }
}
