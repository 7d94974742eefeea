/**
 * The WGSL code generator for fused elementwise expressions (the kernel plan's `ExprNode[]`):
 * statements computing every node with the reference backend's semantics
 * (backends/cpu/kernels/elementwise.ts), for float32, int32, uint32 and bool (u32 0/1). The
 * kernels around it (index arithmetic, loads, stores) belong to elementwise.ts, reduce.ts and
 * the matmul epilogue.
 *
 * Exactness: integer, bool, comparison, select and convert results are bit-identical to the
 * reference's; so are float32 + − × ÷ √ (on a device that rounds them correctly, as lavapipe
 * and IEEE-conforming GPUs do — WGSL itself allows ÷ and √ 2.5 ulp), neg, abs, sign, floor, ceil,
 * round, rem, min, max and isfinite, NaN payloads aside. The float32 transcendentals are within
 * WGSL_ULP_BOUNDS of the reference. Every float op node's value is laundered through an opaque
 * zero (expr/helpers.ts), so the shader compiler cannot fuse, reassociate or fold across nodes:
 * each node rounds once, as the reference's does, and special values survive.
 *
 * Literals take the value a one-element array of the node's dtype stores; an `index` node converts
 * the iteration index as convert from int32 would (bool: index ≠ 0).
 * Not supported (supportsWgsl false; emitWgslExpr throws): float64 anywhere (wgslType's
 * UnsupportedDTypeError), what the reference rejects (`not` and bitwise ops on floats, shifts on
 * bool), bool operations whose reference result is not 0 or 1 (neg → 255, exp(true) → 2), and
 * float primitives on integer operands (exp, sqrt, atan2, …: the reference computes them in
 * float64 and wraps, which WGSL cannot reproduce; graft's numpy layer converts to float first).
 */
import type { DType } from "../../../src/core/dtype.js";
import type { ExprNode } from "../../plan/types.js";
import { boolTable, primKind, resultDtype } from "../../cpu/semantics.js";
import { boolOp } from "./expr/bool.js";
import { convert, indexAs, literal } from "./expr/convert.js";
import { floatBinary, floatUnary } from "./expr/float.js";
import { f32Const, HelperSet, LAUNDER } from "./expr/helpers.js";
import { intBinary, intIntegerPow, intUnary } from "./expr/int.js";
import { POW_FULL } from "./expr/math/index.js";
import { wgslType } from "./kernel.js";

export { WGSL_ULP_BOUNDS } from "./expr/math/index.js";

export interface WgslExprContext {
  /** A WGSL expression reading input `i` (already of wgslType of its dtype) at the current element. */
  loadInput(i: number): string;
  /** A WGSL u32 or i32 expression (non-negative, below 2^31) for the index along iteration dimension `dim` ("index" nodes). */
  index(dim: number): string;
  /**
   * A WGSL u32 expression, valid where the code goes, that is 0 at run time but that the compiler
   * cannot prove is 0 (see expr/helpers.ts): in an entry point with
   * `@builtin(num_workgroups) nwg: vec3u`, `nwg.x >> 31u` (no dispatch has 2^31 workgroups
   * along x); in a function the entry point calls, a u32 parameter it passes that value in.
   * OPAQUE_ZERO is the former. Required whenever the expression has a float32 operation or
   * literal (emitWgslExpr throws without it); integer and bool expressions do not use it.
   */
  readonly opaqueZero?: string;
}

/** The opaque zero of an entry point that declares `@builtin(num_workgroups) nwg: vec3u`. */
export const OPAQUE_ZERO = "(nwg.x >> 31u)";

export interface WgslExpr {
  /** WGSL statements: one `let <prefix>N: T = …;` per node (and `let <prefix>z` for the opaque zero). */
  readonly code: string;
  /** Per node: the name holding its value, of wgslType(node.dtype). */
  readonly values: readonly string[];
  /** WGSL helper function definitions the code calls, to put at module scope once (names start `gx_`). */
  readonly helpers: ReadonlySet<string>;
}

const WGSL_DTYPES = new Set<DType>(["float32", "int32", "uint32", "bool"]);

type OpNode = Extract<ExprNode, { kind: "op" }>;

/** Names `<prefix>0…` are the nodes, `<prefix>z` the opaque zero: keep the prefix unique in a function. */
export function emitWgslExpr(body: readonly ExprNode[], ctx: WgslExprContext, prefix = "v"): WgslExpr {
  const h = new HelperSet();
  const z = `${prefix}z`;
  const lines: string[] = [];
  const values: string[] = [];
  body.forEach((node, i) => {
    const type = wgslType(node.dtype, "a fused expression");
    let expr: string;
    switch (node.kind) {
      case "input":
        expr = ctx.loadInput(node.input);
        break;
      case "literal":
        expr = literal(node.value, node.dtype, z);
        break;
      case "index":
        expr = indexAs(h, node.dtype, ctx.index(node.dim));
        break;
      case "op": {
        if (node.args.some((a) => !(Number.isInteger(a) && a >= 0 && a < i)))
          throw new Error(`webgpu codegen: node ${i} (${node.prim}) refers to a node that is not before it`);
        const argDtypes = node.args.map((a) => body[a]!.dtype);
        for (const d of argDtypes) wgslType(d, "a fused expression");
        if (!supportsWgsl(node, argDtypes))
          throw new Error(
            `webgpu codegen: ${node.prim} on ${argDtypes.join(", ")} → ${node.dtype} has no WGSL version matching the reference`,
          );
        expr = emitOp(h, z, node, argDtypes, values);
        // Each float result rounds once, at its node: no rewrite may cross it.
        if (node.dtype === "float32") expr = h.call(LAUNDER, expr, z);
        break;
      }
    }
    const name = `${prefix}${i}`;
    lines.push(`let ${name}: ${type} = ${expr};`);
    values.push(name);
  });
  const code = lines.join("\n");
  const usesZero = new RegExp(`\\b${z}\\b`).test(code);
  if (usesZero && ctx.opaqueZero === undefined)
    throw new Error(
      "webgpu codegen: a float32 expression needs WgslExprContext.opaqueZero (OPAQUE_ZERO in an entry point " +
        "that declares @builtin(num_workgroups) nwg, or a u32 parameter carrying it into a function)",
    );
  return {
    code: usesZero ? `let ${z} = ${ctx.opaqueZero};\n${code}` : code,
    values,
    helpers: h.definitions(),
  };
}

function emitOp(h: HelperSet, z: string, node: OpNode, argDtypes: readonly DType[], values: readonly string[]): string {
  const args = node.args.map((a) => values[a]!);
  const dt = argDtypes[0]!;
  const kind = primKind(node.prim);
  const fail = (): never => {
    throw new Error(`internal error: webgpu codegen has no emitter for ${node.prim} on ${dt}`);
  };
  if (kind === "select") return `select(${args[2]}, ${args[1]}, ${args[0]} != 0u)`;
  if (kind === "convert") return convert(h, dt, node.dtype, args[0]!);
  if (dt === "bool") return boolOp(node.prim, node.params, args) ?? fail();
  const [x, y] = args as [string, string?];
  if (dt === "float32") {
    if (kind === "integer_pow") return floatIntegerPow(h, z, x, node.params.y as number);
    if (kind === "unary") return floatUnary(h, z, node.prim, x) ?? fail();
    // The same value on both sides: launder one, or x − x would fold to 0 (NaN for ±∞).
    const b = node.args[0] === node.args[1] ? h.call(LAUNDER, y!, z) : y!;
    return floatBinary(h, z, node.prim, x, b) ?? fail();
  }
  if (kind === "integer_pow") return intIntegerPow(h, dt, x, node.params.y as number);
  if (kind === "unary") return intUnary(node.prim, dt, x) ?? fail();
  return intBinary(h, node.prim, dt, x, y!) ?? fail();
}

/**
 * float32 x^y for a static integer y: x·x for 2 (as the reference), 1/x for −1 (one rounding, as
 * the reference's float64 1/x rounded), else pow's exact-significand repeated squaring.
 */
function floatIntegerPow(h: HelperSet, z: string, x: string, y: number): string {
  if (y === 0) return "1.0";
  if (y === 1) return x;
  if (y === 2) return `${x} * ${x}`;
  if (y === -1) return `1.0 / ${x}`;
  const hi = Math.fround(y);
  const lo = Math.fround(y - hi);
  const odd = y % 2 !== 0;
  return h.call(POW_FULL, x, f32Const(hi), f32Const(lo), "true", String(odd), z);
}

/** Float primitives WGSL computes for float32 operands (the reference rejects `not` and bitwise ops). */
const FLOAT_PRIMS = new Set<string>([
  ...["neg", "abs", "sign", "floor", "ceil", "round", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt"],
  ...["sin", "cos", "tan", "tanh", "asin", "acos", "atan", "sinh", "cosh", "logistic", "erf", "isfinite"],
  ...["add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2"],
]);

/** Integer primitives whose reference result WGSL reproduces exactly (not the float64 ones). */
const INT_PRIMS = new Set<string>([
  ...["neg", "abs", "sign", "floor", "ceil", "round", "not", "isfinite"],
  ...["add", "sub", "mul", "div", "rem", "pow", "max", "min", "and", "or", "xor", "shift_left"],
  "shift_right_logical",
]);

/** True when emitWgslExpr computes this node exactly as the reference (within WGSL_ULP_BOUNDS). */
export function supportsWgsl(node: ExprNode, argDtypes: readonly DType[]): boolean {
  if (!WGSL_DTYPES.has(node.dtype) || argDtypes.some((d) => !WGSL_DTYPES.has(d))) return false;
  if (node.kind !== "op") return true;
  const out = resultDtype(node.prim, node.params, argDtypes);
  if (out === undefined || out !== node.dtype) return false;
  const kind = primKind(node.prim);
  if (kind === "select" || kind === "convert") return true;
  const dt = argDtypes[0]!;
  if (dt === "bool") return boolTable(node.prim, node.params, argDtypes.length) !== undefined;
  if (kind === "compare" || kind === "integer_pow") return true;
  return (dt === "float32" ? FLOAT_PRIMS : INT_PRIMS).has(node.prim);
}
