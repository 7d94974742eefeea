/**
 * What every shape-generic eager shader shares. Such a shader bakes in no size: its shapes,
 * strides and counts are u32 words of a small storage buffer `p` (the last binding), written by
 * the host per call, so one pipeline serves every shape. Index arithmetic reads extents and
 * strides from `p` in loops bounded by a rank that is itself a word of `p`; the host merges
 * dimensions first (elementwise.ts's mergeDims), so those loops are short, and no rank bucket or
 * maximum rank is needed. Negative strides are stored wrapped (u32 arithmetic wraps, so an
 * address that steps backwards is still exact).
 *
 * Bindings (group 0): the operands (read), the output (read_write), then `p` (read), in the order
 * each generator lists them; every binding is referenced, so layout "auto" keeps them all.
 */
import { indent } from "../elementwise.js";
import { WORKGROUP_SIZE } from "../kernel.js";

/** One storage binding of a generic shader: its WGSL name, access and element type. */
export interface GenericBinding {
  readonly name: string;
  readonly access: "read" | "read_write";
  readonly type: string;
}

const shaders = new Map<string, string>();

/** The shader source cached under `key`, made once by `make` (a few dozen keys in all: kinds × dtypes). */
export function memoShader(key: string, make: () => string): string {
  let code = shaders.get(key);
  if (code === undefined) {
    code = make();
    shaders.set(key, code);
  }
  return code;
}

/** The parameter words every generic shader binds last. */
export const PARAMS: GenericBinding = { name: "p", access: "read", type: "u32" };

/** Declarations of `bindings` in order (binding i is the i-th). */
export function declare(bindings: readonly GenericBinding[]): string {
  return bindings
    .map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: array<${b.type}>;`)
    .join("\n");
}

/**
 * `fn gp_offset(f, rank, dims, strides) -> u32`: the element offset of flat index `f`, split
 * row-major over the `rank` extents at p[dims…], through the strides at p[strides…].
 */
export const OFFSET_FN = `fn gp_offset(f: u32, rank: u32, dims: u32, strides: u32) -> u32 {
  var q = f;
  var at = 0u;
  for (var d = rank; d > 0u; d--) {
    let n = p[dims + d - 1u];
    at += (q % n) * p[strides + d - 1u];
    q /= n;
  }
  return at;
}`;

/**
 * A module whose `main` runs `body` once per flat index `i` below the WGSL u32 expression `count`
 * (64 invocations per workgroup, over flatDispatch's 2-D grid of workgroups).
 */
export function flatGenericModule(
  top: readonly string[],
  bindings: readonly GenericBinding[],
  count: string,
  body: string,
): string {
  return [
    ...top,
    declare(bindings),
    `@compute @workgroup_size(${WORKGROUP_SIZE})`,
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    `  let i = gid.y * (nwg.x * ${WORKGROUP_SIZE}u) + gid.x;`,
    `  if (i >= ${count}) { return; }`,
    indent(body),
    "}",
    "",
  ].join("\n");
}
