/**
 * The WGSL expression generator (backends/webgpu/codegen/expr.ts) against the reference kernels:
 * every ExprPrim × dtype it supports, on every combination of edge values plus random operands,
 * compared bitwise (NaN = NaN, ±0 told apart) except the float32 functions of WGSL_ULP_BOUNDS;
 * what it does not support, by name; and multi-node expressions whose results the shader
 * compiler would change if it could rewrite across nodes (reassociation, x·0, x − x, x + 0,
 * fused multiply-add, NaN self-comparisons).
 */
import { describe, expect, it } from "vitest";
import type { DType, TypedArray } from "../../src/core/dtype.js";
import { UnsupportedDTypeError } from "../../src/core/errors.js";
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS } from "../../src/core/primitives.js";
import type { ExprNode, ExprPrim } from "../../backends/plan/types.js";
import { emitWgslExpr, supportsWgsl, WGSL_ULP_BOUNDS } from "../../backends/webgpu/codegen/expr.js";
import { firstMismatch, operands, random, referenceExpr, runExpr, sameValue, ulpError } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import type { HostBuffer } from "./run-kernel.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Dt = "float32" | "int32" | "uint32" | "bool";
const DTYPES: readonly Dt[] = ["float32", "int32", "uint32", "bool"];

/** What the generator must refuse, per operand dtype (and why, in the comments). */
const UNSUPPORTED: Readonly<Record<Dt, readonly string[]>> = {
  // The reference rejects bitwise operations on floats.
  float32: ["not", "and", "or", "xor", "shift_left", "shift_right_logical"],
  // The reference computes these in float64 and wraps the result: no WGSL equivalent.
  int32: [
    ...["exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "asin", "acos", "atan"],
    ...["sinh", "cosh", "logistic", "erf", "atan2"],
  ],
  uint32: [
    ...["exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "asin", "acos", "atan"],
    ...["sinh", "cosh", "logistic", "erf", "atan2"],
  ],
  // neg(true) stores 255 and exp(true) 2 in the reference's bool bytes; shifts reject bool.
  bool: ["neg", "exp", "shift_left", "shift_right_logical"],
};

const POWERS = [-3, -2, -1, 0, 1, 2, 3, 4, 7, 31, 32, 33, 64, 65, 2 ** 31 + 5, -(2 ** 31) - 3];

const op = (prim: ExprPrim, args: number[], dtype: DType, params: Record<string, unknown> = {}): ExprNode => ({
  kind: "op",
  prim,
  args,
  params,
  dtype,
});

/** The result dtype of a primitive on operands of `dt`. */
const resultOf = (prim: string, dt: DType): DType =>
  (COMPARE_PRIMS as readonly string[]).includes(prim) || prim === "isfinite" ? "bool" : dt;

/** One node per supported primitive over inputs a (0), b (1) and a bool predicate p (2). */
function allOps(dt: Dt): { body: ExprNode[]; refused: string[] } {
  const body: ExprNode[] = [
    { kind: "input", input: 0, dtype: dt },
    { kind: "input", input: 1, dtype: dt },
    { kind: "input", input: 2, dtype: "bool" },
  ];
  const refused: string[] = [];
  const add = (n: ExprNode, name: string): void => {
    const args = n.kind === "op" ? n.args.map((a) => body[a]!.dtype) : [];
    if (supportsWgsl(n, args)) body.push(n);
    else refused.push(name);
  };
  for (const p of UNARY_PRIMS) add(op(p, [0], resultOf(p, dt)), p);
  for (const p of [...BINARY_PRIMS, ...COMPARE_PRIMS]) add(op(p, [0, 1], resultOf(p, dt)), p);
  for (const y of POWERS) add(op("integer_pow", [0], dt, { y }), `integer_pow ${y}`);
  for (const to of DTYPES) add(op("convert", [0], to, { dtype: to }), `convert ${to}`);
  add(op("select", [2, 0, 1], dt), "select");
  return { body, refused };
}

/** The ulp bound of a float32 node, 0 when it must be exact. */
function boundOf(n: ExprNode): number {
  if (n.kind !== "op" || n.dtype !== "float32") return 0;
  if (n.prim === "integer_pow") {
    const y = n.params.y as number;
    return y >= -1 && y <= 2 ? 0 : WGSL_ULP_BOUNDS.integer_pow;
  }
  return (WGSL_ULP_BOUNDS as Readonly<Record<string, number>>)[n.prim] ?? 0;
}

/** Runs `body` on the device and the reference; expects every node equal (or within its bound). */
async function check(body: readonly ExprNode[], inputs: readonly HostBuffer[], n: number): Promise<void> {
  if ("skip" in got) return;
  const gpu = await runExpr(got.device, body, inputs, n);
  const ref = referenceExpr(body, inputs, n);
  const problems: string[] = [];
  body.forEach((node, j) => {
    const bound = boundOf(node);
    const ok = bound === 0 ? sameValue : (g: number, w: number) => ulpError(g, w) <= bound;
    const label = node.kind === "op" ? `${node.prim}${JSON.stringify(node.params)}` : node.kind;
    const args = node.kind === "op" ? node.args : [];
    const m = firstMismatch(gpu[j]!, ref[j]!, ok, (i) => `${label}(${args.map((a) => ref[a]![i]).join(", ")})`);
    if (m) problems.push(`node ${j}: ${m}`);
  });
  expect(problems).toEqual([]);
}

const host = (dtype: DType, data: TypedArray): HostBuffer => ({ dtype, data });

describe.skipIf(skip !== undefined)(
  `WGSL expressions against the reference${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    for (const dt of DTYPES) {
      it(`${dt}: every primitive, integer_pow, convert and select, on edge and random operands`, async () => {
        const { body, refused } = allOps(dt);
        expect(refused.sort()).toEqual([...UNSUPPORTED[dt]].sort());
        const [a, b] = operands(dt, 2, 2000, 17);
        const r = random(5);
        const p = Uint8Array.from(a!, () => r() & 1);
        await check(body, [host(dt, a!), host(dt, b!), host("bool", p)], a!.length);
      });
    }

    it("rewrites never cross nodes: (x + c) − c, x·0, x − x, x + 0, a·b + c, x/x, NaN compared with itself", async () => {
      const f = "float32";
      const lit = (value: number, dtype: DType = f): ExprNode => ({ kind: "literal", value, dtype });
      const body: ExprNode[] = [
        { kind: "input", input: 0, dtype: f },
        { kind: "input", input: 1, dtype: f },
        { kind: "input", input: 2, dtype: f },
        lit(1e7), // 3
        op("add", [0, 3], f), // 4: x + c
        op("sub", [4, 3], f), // 5: (x + c) − c, not x
        lit(0), // 6
        op("mul", [0, 6], f), // 7: x·0, NaN for ±∞
        op("sub", [0, 0], f), // 8: x − x, NaN for ±∞
        op("add", [0, 6], f), // 9: −0 + 0 = +0
        op("mul", [0, 1], f), // 10
        op("add", [10, 2], f), // 11: a·b + c, two roundings
        op("div", [0, 0], f), // 12: NaN for 0, ±∞
        op("ne", [0, 0], "bool"), // 13: true for NaN
        op("eq", [0, 0], "bool"), // 14: false for NaN
        op("max", [0, 0], f), // 15
        op("sub", [7, 7], f), // 16
        lit(Number.NaN), // 17
        lit(-Infinity), // 18
        lit(-0), // 19
        op("min", [17, 0], f), // 20
        op("max", [18, 0], f), // 21
        op("add", [19, 0], f), // 22: −0 + x
        op("mul", [4, 4], f), // 23
        op("sub", [23, 10], f), // 24
      ];
      const [x, y, z] = operands("float32", 3, 3000, 23);
      // Moderate values too, where fused multiply-add and reassociation would change results.
      const r = random(9);
      for (let i = x!.length - 1500; i < x!.length; i++) {
        x![i] = 1 + r() / 2 ** 32;
        y![i] = 1 + r() / 2 ** 32;
        z![i] = -1 - r() / 2 ** 32;
      }
      await check(body, [host(f, x!), host(f, y!), host(f, z!)], x!.length);
    });

    it("literals keep the values the reference stores: NaN, ±∞, −0, wrapped integers, bool bytes (nonzero: true)", async () => {
      const lit = (value: number, dtype: DType): ExprNode => ({ kind: "literal", value, dtype });
      const body: ExprNode[] = [
        { kind: "input", input: 0, dtype: "int32" },
        lit(Number.NaN, "float32"),
        lit(Infinity, "float32"),
        lit(-0, "float32"),
        lit(0.1, "float32"),
        lit(1e-45, "float32"),
        lit(-2147483648, "int32"),
        lit(2 ** 32 + 7, "int32"),
        lit(Number.NaN, "int32"),
        lit(-1, "uint32"),
        lit(256, "bool"),
        lit(3, "bool"),
        lit(2.5, "int32"),
      ];
      await check(body, [host("int32", new Int32Array(3))], 3);
    });

    it("index nodes convert the element number as convert from int32 does", async () => {
      const body: ExprNode[] = DTYPES.map((dtype) => ({ kind: "index", dim: 0, dtype }));
      await check(body, [], 70_000);
    });

    it("refuses what cannot match the reference, and float64 with UnsupportedDTypeError", () => {
      const x = (dtype: DType): ExprNode => ({ kind: "input", input: 0, dtype });
      expect(supportsWgsl(op("exp", [0], "int32"), ["int32"])).toBe(false);
      expect(supportsWgsl(op("neg", [0], "bool"), ["bool"])).toBe(false);
      expect(supportsWgsl(op("not", [0], "float32"), ["float32"])).toBe(false);
      expect(supportsWgsl(op("add", [0, 0], "float64"), ["float64", "float64"])).toBe(false);
      expect(supportsWgsl(x("float64"), [])).toBe(false);
      // Mismatched dtypes (the Program is promoted before staging) and a non-bool predicate.
      expect(supportsWgsl(op("add", [0, 1], "float32"), ["float32", "int32"])).toBe(false);
      expect(supportsWgsl(op("select", [0, 1, 1], "float32"), ["float32", "float32", "float32"])).toBe(false);
      const ctx = { loadInput: () => "x", index: () => "0u", opaqueZero: "z" };
      expect(() => emitWgslExpr([x("int32"), op("sin", [0], "int32")], ctx)).toThrow(/no WGSL version/);
      expect(() => emitWgslExpr([x("float64"), op("neg", [0], "float64")], ctx)).toThrow(UnsupportedDTypeError);
      expect(() => emitWgslExpr([x("float32"), op("neg", [1], "float32")], ctx)).toThrow(/not before it/);
    });

    it("names every node, declares the opaque zero only when used, and lists each helper once", () => {
      const ctx = { loadInput: () => "in0[i]", index: () => "i", opaqueZero: "zz" };
      const ints = emitWgslExpr([{ kind: "input", input: 0, dtype: "int32" }, op("neg", [0], "int32")], ctx, "w");
      expect(ints.values).toEqual(["w0", "w1"]);
      expect(ints.code).not.toContain("zz");
      const floats = emitWgslExpr(
        [{ kind: "input", input: 0, dtype: "float32" }, op("exp", [0], "float32"), op("exp", [1], "float32")],
        ctx,
      );
      expect(floats.code.split("\n")[0]).toBe("let vz = zz;");
      const defs = [...floats.helpers].filter((d) => d.startsWith("fn gx_exp("));
      expect(defs).toHaveLength(1);
    });
  },
);
