/**
 * Accuracy of the WGSL float32 math library (backends/webgpu/codegen/expr/math) against the
 * reference backend (its float64 functions, rounded to float32 by its store): every function
 * stays within its WGSL_ULP_BOUNDS entry over random bit patterns, dense grids, wide logarithmic
 * sweeps (tiny arguments included, where the error is relative to the tiny result), the
 * neighbourhoods of every branch point and threshold, and the special values, which must match
 * exactly (a NaN, signed zero or infinity where the reference has another value counts as ∞ ulp).
 */
import { describe, expect, it } from "vitest";
import type { TypedArray } from "../../src/core/dtype.js";
import type { ExprNode, ExprPrim } from "../../backends/plan/types.js";
import { WGSL_ULP_BOUNDS } from "../../backends/webgpu/codegen/expr.js";
import { TWO_OVER_PI_WORDS } from "../../backends/webgpu/codegen/expr/math/trig.js";
import { bitsOf, EDGES, fromF32Bits, random, referenceExpr, runExpr, ulpError } from "./expr-harness.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const UNARY = [
  ...["exp", "expm1", "log", "log1p", "sin", "cos", "tan", "asin", "acos", "atan"],
  ...["sinh", "cosh", "tanh", "logistic", "erf", "rsqrt"],
] as const;
const BINARY = ["pow", "atan2"] as const;

/** The float32 values within ±k ulps of each point (and of its negative). */
function around(points: readonly number[], k = 48): number[] {
  const out: number[] = [];
  for (const p of points)
    for (const s of [p, -p]) {
      const b = bitsOf(s);
      for (let d = -k; d <= k; d++) out.push(fromF32Bits(b + d));
    }
  return out;
}

const grid = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

/** n values from lo to hi (> 0) in geometric steps, both signs. */
const sweep = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1))).flatMap((v) => [v, -v]);

/** Branch points and thresholds of the library's functions. */
const THRESHOLDS = [
  ...[0.34657359, 0.29289323, 0.41421357, 1, 0.5, 0.4375, 0.6875, 1.1875, 2.4375, 2 ** -12, 2 ** 26, 3.92, 4],
  ...[16, 88, 88.72284, 89, 89.415985, 103.97208, 104, 9, 9.5, Math.PI / 4, Math.PI / 2, Math.PI, 2 ** -100],
];

function unaryInputs(): Float32Array {
  const r = random(41);
  const xs = [
    ...EDGES.float32,
    ...Array.from({ length: 1 << 18 }, () => fromF32Bits(r())),
    ...grid(-12, 12, 1 << 16),
    ...grid(-110, 110, 1 << 15),
    ...grid(-1, 1, 1 << 15),
    ...sweep(1e-45, 3.4e38, 1 << 15),
    ...around(THRESHOLDS),
    // Tiny arguments, where the result must be accurate relative to itself.
    ...[1e-6, 1e-7, 3e-8, 1e-10, 1e-20, 1e-30, 1e-38, 1e-40].flatMap((v) => [v, -v]),
  ];
  return Float32Array.from(xs);
}

function binaryInputs(): [Float32Array, Float32Array] {
  const r = random(43);
  const u = (): number => r() / 2 ** 32;
  const x: number[] = [];
  const y: number[] = [];
  const push = (a: number, b: number): void => {
    x.push(a);
    y.push(b);
  };
  const specials = [...EDGES.float32, 0.999, 1.0000001, 0.99999994, 10, -10, 64, 65, -64.5];
  for (const a of specials) for (const b of specials) push(a, b);
  for (let i = 0; i < 1 << 16; i++) push(fromF32Bits(r()), fromF32Bits(r()));
  // Bases near 1 with large exponents, moderate bases and exponents, negative bases with integers.
  for (let i = 0; i < 1 << 15; i++) push(fromF32Bits(0x3f800000 + (r() % 20001) - 10000), (u() - 0.5) * 2e6);
  for (let i = 0; i < 1 << 15; i++) push(u() * 100, (u() - 0.5) * 40);
  for (let i = 0; i < 1 << 15; i++) push(-u() * 10, (r() % 141) - 70);
  for (let i = 0; i < 1 << 15; i++) push((u() - 0.5) * 10, (u() - 0.5) * 10);
  return [Float32Array.from(x), Float32Array.from(y)];
}

interface Worst {
  ulp: number;
  at: string;
}

/** The worst error of each function node of `body` (nodes after the inputs). */
function worst(body: readonly ExprNode[], gpu: TypedArray[], ref: TypedArray[], nInputs: number): Map<string, Worst> {
  const out = new Map<string, Worst>();
  body.forEach((node, j) => {
    if (node.kind !== "op") return;
    const w: Worst = { ulp: 0, at: "" };
    const g = gpu[j]!;
    const want = ref[j]!;
    for (let i = 0; i < want.length; i++) {
      const e = ulpError(g[i]!, want[i]!);
      if (e > w.ulp) {
        const args = Array.from({ length: nInputs }, (_, k) => ref[k]![i]).join(", ");
        Object.assign(w, { ulp: e, at: `${node.prim}(${args}) = ${g[i]}, want ${want[i]}` });
      }
    }
    out.set(node.prim, w);
  });
  return out;
}

const fn = (prim: ExprPrim, args: number[]): ExprNode => ({ kind: "op", prim, args, params: {}, dtype: "float32" });

describe.skipIf(skip !== undefined)(`WGSL float32 math library${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("unary functions are within WGSL_ULP_BOUNDS; special values match exactly", async () => {
    if ("skip" in got) return;
    const xs = unaryInputs();
    const body: ExprNode[] = [{ kind: "input", input: 0, dtype: "float32" }, ...UNARY.map((p) => fn(p, [0]))];
    const inputs = [{ dtype: "float32" as const, data: xs }];
    const w = worst(
      body,
      await runExpr(got.device, body, inputs, xs.length),
      referenceExpr(body, inputs, xs.length),
      1,
    );
    const over = UNARY.filter((p) => w.get(p)!.ulp > WGSL_ULP_BOUNDS[p]).map((p) => w.get(p)!.at);
    expect(over).toEqual([]);
  });

  it("pow and atan2 are within WGSL_ULP_BOUNDS, with Math.pow's and atan2's special cases", async () => {
    if ("skip" in got) return;
    const [x, y] = binaryInputs();
    const body: ExprNode[] = [
      { kind: "input", input: 0, dtype: "float32" },
      { kind: "input", input: 1, dtype: "float32" },
      ...BINARY.map((p) => fn(p, [0, 1])),
    ];
    const inputs = [
      { dtype: "float32" as const, data: x },
      { dtype: "float32" as const, data: y },
    ];
    const w = worst(body, await runExpr(got.device, body, inputs, x.length), referenceExpr(body, inputs, x.length), 2);
    const over = BINARY.filter((p) => w.get(p)!.ulp > WGSL_ULP_BOUNDS[p]).map((p) => w.get(p)!.at);
    expect(over).toEqual([]);
  });

  it("integer powers of integers are exact (3^3 = 27), whatever pow's bound", async () => {
    if ("skip" in got) return;
    const bases = Float32Array.from({ length: 41 }, (_, i) => i - 20);
    const ys = [3, 4, 5, 7, 9, -2, -3];
    const body: ExprNode[] = [
      { kind: "input", input: 0, dtype: "float32" },
      ...ys.map((y): ExprNode => ({ kind: "op", prim: "integer_pow", args: [0], params: { y }, dtype: "float32" })),
    ];
    const inputs = [{ dtype: "float32" as const, data: bases }];
    const gpu = await runExpr(got.device, body, inputs, bases.length);
    const ref = referenceExpr(body, inputs, bases.length);
    ys.forEach((y, k) => {
      expect(Array.from(gpu[k + 1]!), `x^${y}`).toEqual(Array.from(ref[k + 1]!));
    });
  });

  it("the 2/π table is 26 zero bits and then 2/π's binary fraction", () => {
    // π by Machin's formula in 600-bit fixed point; 2/π's first 262 fraction bits.
    const P = 600n;
    const one = 1n << P;
    const atanInv = (n: bigint): bigint => {
      let sum = 0n;
      let term = one / n;
      for (let k = 1n, sign = 1n; term !== 0n; k += 2n, sign = -sign, term /= n * n) sum += (sign * term) / k;
      return sum;
    };
    const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
    const bits = ((2n * one * one) / pi) >> (P - BigInt(32 * TWO_OVER_PI_WORDS.length - 26));
    const words = TWO_OVER_PI_WORDS.map((_, w) =>
      Number((bits >> BigInt(32 * (TWO_OVER_PI_WORDS.length - 1 - w))) & 0xffffffffn),
    );
    expect(words).toEqual([...TWO_OVER_PI_WORDS]);
  });
});
