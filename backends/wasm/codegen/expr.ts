/**
 * The code generator for fused elementwise expressions (the kernel plan's `ExprNode[]`): emits
 * SIMD128 code computing every node with the reference backend's semantics, in the register
 * representation of backends/wasm/codegen/values.ts. The loops around it (loads, stores, tails)
 * belong to the kernel emitters.
 *
 * Exactness (against backends/cpu/kernels/elementwise.ts): everything is bit-identical (NaN
 * payloads aside) except
 * - float32 transcendentals (exp expm1 log log1p sin cos tan tanh asin acos atan sinh cosh
 *   logistic erf, pow, atan2): the vectorized math library, ulp-bounded as backends/wasm/math
 *   documents;
 * - float32 integer_pow with y ∉ {0, 1, 2}: within 1 ulp (binary exponentiation in float64).
 * Lanes the hardware cannot do go to scalar code: float64 transcendentals, fmod, pow and atan2
 * and the integer power call the host (the reference's own functions), variable shifts are
 * shifted lane by lane.
 * Literals take the value a one-element array of the node's dtype stores (as the reference
 * interpreter holds literals; a bool literal is true when that byte is nonzero); an `index` node
 * converts the int32 index as `convert` would (bool: index ≠ 0).
 * Unsupported (supportsNode false): what the reference rejects (`not` and bitwise ops on floats,
 * shifts on bool), and bool operations whose reference result is not 0 or 1 (neg → 255, exp(true)
 * → 2), which a lane mask cannot hold.
 */
import type { DType } from "../../../src/core/dtype.js";
import type { ModuleBuilder, FuncBuilder } from "../encoder/module.js";
import type { Code } from "../encoder/code.js";
import { SIMD } from "../encoder/opcodes.js";
import type { VectorMath } from "../math/index.js";
import type { ExprNode } from "../../plan/types.js";
import type { HostFunctions } from "./host.js";
import { checkLanes, type Lanes } from "./values.js";
import { emitTable } from "./expr/bool.js";
import { convertIndex, emitConvert, emitLiteral } from "./expr/convert.js";
import { floatBinary, floatIntegerPow, floatUnary } from "./expr/float.js";
import { Gen } from "./expr/gen.js";
import { intBinary, intIntegerPow, intUnary } from "./expr/int.js";
import { boolTable, primKind, resultDtype, runReference } from "../../cpu/semantics.js";

export interface ExprContext {
  readonly m: ModuleBuilder;
  readonly f: FuncBuilder;
  readonly c: Code;
  readonly lanes: Lanes;
  readonly host: HostFunctions;
  readonly math: VectorMath;
  /** Emits code pushing input `i`'s value (register representation) onto the stack. */
  loadInput(i: number): void;
  /** Emits code pushing an i32x4 of the iteration index along `dim` for each lane (lanes 1: splat). */
  index(dim: number): void;
}

type OpNode = Extract<ExprNode, { kind: "op" }>;

/**
 * Emits code computing every node of `body` in order; returns, per node, the v128 local holding its
 * value. Throws on a node supportsNode rejects or whose dtype has no `ctx.lanes` representation
 * (pass lanesFor every node's dtype, not only the inputs').
 */
export function emitExpr(ctx: ExprContext, body: readonly ExprNode[]): number[] {
  const g = new Gen(ctx.c, ctx.f, ctx.lanes, ctx.host, ctx.math);
  const locals: number[] = [];
  body.forEach((node, i) => {
    checkLanes(node.dtype, ctx.lanes);
    switch (node.kind) {
      case "input":
        ctx.loadInput(node.input);
        break;
      case "literal":
        emitLiteral(g, node.value, node.dtype);
        break;
      case "index":
        ctx.index(node.dim);
        convertIndex(g, node.dtype);
        break;
      case "op": {
        if (node.args.some((a) => !(Number.isInteger(a) && a >= 0 && a < i)))
          throw new Error(`wasm codegen: node ${i} (${node.prim}) refers to a node that is not before it`);
        const argDtypes = node.args.map((a) => body[a]!.dtype);
        if (!supportsNode(node, argDtypes))
          throw new Error(`wasm codegen: ${node.prim} on ${argDtypes.join(", ")} → ${node.dtype} is not supported`);
        emitOp(g, node, body, locals);
        break;
      }
    }
    locals.push(g.save());
  });
  return locals;
}

/** Pushes the value of one op node (already checked by supportsNode). */
function emitOp(g: Gen, node: OpNode, body: readonly ExprNode[], locals: readonly number[]): void {
  const args = node.args.map((a) => locals[a]!);
  const dt = body[node.args[0]!]!.dtype;
  const x = args[0]!;
  const kind = primKind(node.prim);
  if (kind === "select") {
    // v128.bitselect takes the first value where the mask is set.
    g.c.get(args[1]!).get(args[2]!).get(x).simd(SIMD.v128_bitselect);
    return;
  }
  if (kind === "convert") {
    emitConvert(g, dt, node.dtype, x);
    return;
  }
  if (dt === "bool") {
    const table = boolTable(node.prim, node.params, args.length);
    if (table === undefined) throw new Error(`internal error: no bool table for ${node.prim}`);
    emitTable(g, table, args);
    return;
  }
  const float = dt === "float32" || dt === "float64";
  let done: boolean;
  if (kind === "integer_pow") {
    const y = node.params.y as number;
    if (float) floatIntegerPow(g, dt, x, y);
    else intIntegerPow(g, dt, x, y);
    done = true;
  } else if (kind === "unary") {
    done = float ? floatUnary(g, node.prim, dt, x) : intUnary(g, node.prim, dt, x);
  } else {
    const b = args[1]!;
    if (float) done = floatBinary(g, node.prim, dt, x, b);
    else {
      const count = body[node.args[1]!];
      done = intBinary(g, node.prim, dt, x, b, count?.kind === "literal" ? literalInt(count.value, dt) : undefined);
    }
  }
  if (!done) throw new Error(`internal error: ${node.prim} on ${dt} has no emitter`);
}

/** A literal's value as an int32/uint32 array holds it (the reference interpreter's literal). */
function literalInt(value: number, dtype: DType): number {
  const a = dtype === "uint32" ? new Uint32Array(1) : new Int32Array(1);
  a[0] = value;
  return a[0]!;
}

/** The lane count a kernel over these dtypes uses: 4 if all are 4-byte or bool, 2 if all are float64 or bool, else 1. */
export function lanesFor(dtypes: Iterable<DType>): Lanes {
  let wide = false;
  let narrow = false;
  for (const d of dtypes) {
    if (d === "float64") wide = true;
    else if (d !== "bool") narrow = true;
  }
  return wide && narrow ? 1 : wide ? 2 : 4;
}

/** True when emitExpr supports this node (every ExprPrim × dtype the reference supports). */
export function supportsNode(node: ExprNode, argDtypes: readonly DType[]): boolean {
  if (node.kind !== "op") return true;
  const out = resultDtype(node.prim, node.params, argDtypes);
  if (out === undefined || out !== node.dtype) return false;
  const kind = primKind(node.prim);
  if (kind === "select" || kind === "convert") return true;
  // Bool operands: the reference's truth table, which must hold only 0 and 1.
  if (argDtypes[0] === "bool") return boolTable(node.prim, node.params, argDtypes.length) !== undefined;
  // Otherwise: whatever the reference accepts (it rejects `not` and bitwise ops on floats).
  const probe = argDtypes.map((d) =>
    d === "float64" ? new Float64Array(1) : d === "float32" ? new Float32Array(1) : new Int32Array(1),
  );
  return runReference(node.prim, node.params, probe, argDtypes, out) !== undefined;
}
