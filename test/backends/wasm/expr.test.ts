/**
 * The fused-expression code generator (backends/wasm/codegen/expr.ts) against the reference
 * kernels: every ExprPrim × dtype the reference accepts, on edge values, in 4-, 2- and 1-lane
 * kernels, compared bitwise (NaN = NaN) except the documented ulp-bounded float32 operations.
 * A small test-only harness wraps the expression in a 1-D loop (vector body, scalar tail).
 */
import { describe, expect, it } from "vitest";
import { kernelFor } from "../../../backends/cpu/interpreter.js";
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS } from "../../../src/core/primitives.js";
import { allocate, DTYPES, type DType, type TypedArray } from "../../../src/core/dtype.js";
import type { ExprNode, ExprPrim } from "../../../backends/plan/types.js";
import { ModuleBuilder } from "../../../backends/wasm/encoder/module.js";
import { I32, OP, SIMD, type ValType } from "../../../backends/wasm/encoder/opcodes.js";
import { MATH_ULP_BOUNDS, VectorMath } from "../../../backends/wasm/math/index.js";
import { hostImports, importHost } from "../../../backends/wasm/codegen/host.js";
import {
  elementBytes,
  type Lanes,
  loadLane,
  loadSplat,
  loadVector,
  storeLane0,
  storeVector,
} from "../../../backends/wasm/codegen/values.js";
import { emitExpr, lanesFor, supportsNode } from "../../../backends/wasm/codegen/expr.js";

type Params = Readonly<Record<string, unknown>>;

/**
 * How the scalar tail computes: "lanes1" emits the expression again with lanes 1 (splats);
 * "splat" keeps the kernel's lane count and feeds splatted loads, as the loop nests do.
 */
type Tail = "lanes1" | "splat";

interface Run {
  body: readonly ExprNode[];
  inputs: readonly TypedArray[];
  inDtypes: readonly DType[];
  lanes: Lanes;
  tail?: Tail;
  /** Strided inputs: read input k with stride 2 (element k·2) through loadSplat + loadLane. */
  strided?: boolean;
}

/** Builds, instantiates and runs the harness; returns every node's values (length n each). */
function runWasm({ body, inputs, inDtypes, lanes, tail = "lanes1", strided = false }: Run): TypedArray[] {
  const n = inputs[0]?.length ?? 0;
  const m = new ModuleBuilder().importMemory({ module: "env", name: "memory", minPages: 1 });
  const host = importHost(m);
  const math = new VectorMath(m);
  const nIn = inputs.length;
  const nOut = body.length;
  const params: ValType[] = Array.from({ length: 1 + nIn + nOut }, () => I32);
  const stride = strided ? 2 : 1;
  m.func(
    params,
    [],
    (f, c) => {
      const i = f.local(I32);
      const addr = (param: number, bytes: number, mult: number): void =>
        void c
          .get(param)
          .get(i)
          .i32(bytes * mult)
          .op(OP.i32_mul)
          .op(OP.i32_add);
      const emit = (L: Lanes, vector: boolean): void => {
        const vals = emitExpr(
          {
            m,
            f,
            c,
            lanes: L,
            host,
            math,
            loadInput: (k) => {
              const dt = inDtypes[k]!;
              const eb = elementBytes(dt);
              addr(1 + k, eb, stride);
              if (!vector) return loadSplat(c, dt, L);
              if (!strided) return loadVector(c, dt, L);
              loadSplat(c, dt, L);
              for (let l = 1; l < L; l++) {
                addr(1 + k, eb, stride);
                c.i32(l * stride * eb).op(OP.i32_add);
                loadLane(c, dt, L, l, f);
              }
            },
            index: () => {
              c.get(i).simd(SIMD.i32x4_splat);
              if (vector && L > 1) c.v128i32(0, 1, 2, 3).simd(SIMD.i32x4_add);
            },
          },
          body,
        );
        vals.forEach((v, k) => {
          const dt = body[k]!.dtype;
          addr(1 + nIn + k, elementBytes(dt), 1);
          c.get(v);
          if (vector) storeVector(c, dt, L, f);
          else storeLane0(c, dt, f);
        });
      };
      if (lanes > 1) {
        c.block().loop();
        c.get(i).i32(lanes).op(OP.i32_add).get(0).op(OP.i32_gt_u).brIf(1);
        emit(lanes, true);
        c.get(i).i32(lanes).op(OP.i32_add).set(i).br(0);
        c.end().end();
      }
      c.block().loop();
      c.get(i).get(0).op(OP.i32_ge_u).brIf(1);
      emit(tail === "lanes1" ? 1 : lanes, lanes === 1);
      c.get(i).i32(1).op(OP.i32_add).set(i).br(0);
      c.end().end();
    },
    "run",
  );
  const bytes = m.toBytes();
  expect(WebAssembly.validate(bytes)).toBe(true);
  // Lay out inputs and outputs 16-byte aligned, with a guard gap.
  let top = 64;
  const place = (size: number): number => {
    const at = top;
    top += Math.ceil((size + 32) / 16) * 16;
    return at;
  };
  const inAt = inputs.map((a, k) => place(a.length * elementBytes(inDtypes[k]!) * stride));
  const outAt = body.map((nd) => place(n * elementBytes(nd.dtype)));
  const memory = new WebAssembly.Memory({ initial: Math.ceil((top + 64) / 65536) });
  const u8 = new Uint8Array(memory.buffer);
  inputs.forEach((a, k) => {
    const eb = elementBytes(inDtypes[k]!);
    const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let e = 0; e < a.length; e++) u8.set(src.subarray(e * eb, (e + 1) * eb), inAt[k]! + e * eb * stride);
  });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory }, ...hostImports() });
  const run = inst.exports.run as (...xs: number[]) => void;
  run(n, ...inAt, ...outAt);
  return body.map((nd, k) => {
    const out = allocate(nd.dtype, n);
    new Uint8Array(out.buffer).set(u8.subarray(outAt[k]!, outAt[k]! + n * elementBytes(nd.dtype)));
    return out;
  });
}

/** The reference's value of every node, computed kernel by kernel over whole arrays. */
function runReference(body: readonly ExprNode[], inputs: readonly TypedArray[]): TypedArray[] {
  const n = inputs[0]?.length ?? 0;
  const vals: TypedArray[] = [];
  for (const node of body) {
    let v: TypedArray;
    if (node.kind === "input") v = inputs[node.input]!;
    else if (node.kind === "literal") v = allocate(node.dtype, n).fill(node.value);
    else if (node.kind === "index") {
      // iota would store i mod 256 in a bool byte; an index node converts (i ≠ 0), as convert does.
      v = allocate(node.dtype, n);
      for (let i = 0; i < n; i++) v[i] = node.dtype === "bool" ? Number(i !== 0) : i;
    } else {
      const kernel = kernelFor(node.prim);
      const args = node.args.map((a) => vals[a]!);
      const dts = node.args.map((a) => body[a]!.dtype);
      v = kernel(
        args,
        args.map(() => [n]),
        dts,
        node.params,
        { shape: [n], dtype: node.dtype },
      );
    }
    vals.push(v);
  }
  return vals;
}

/** Distance in units in the last place (float32 or float64 grid); 0 for two NaNs. */
function ulps(a: number, b: number, dtype: DType): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const ord = (x: number): number => {
    if (dtype === "float64") {
      const bits = new BigInt64Array(new Float64Array([x]).buffer)[0]!;
      return Number(bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits);
    }
    const bits = new Int32Array(new Float32Array([x]).buffer)[0]!;
    return bits < 0 ? -(bits & 0x7fffffff) : bits;
  };
  return Math.abs(ord(a) - ord(b));
}

/** Compares node values; `tolerance` maps a node index to an allowed ulp distance. */
function check(
  label: string,
  body: readonly ExprNode[],
  got: readonly TypedArray[],
  want: readonly TypedArray[],
  inputs: readonly TypedArray[],
  tolerance: (k: number) => number = () => 0,
): void {
  body.forEach((node, k) => {
    const g = got[k]!;
    const w = want[k]!;
    const tol = tolerance(k);
    for (let i = 0; i < w.length; i++) {
      const ok =
        tol === 0
          ? Object.is(g[i], w[i]) || (Number.isNaN(g[i]) && Number.isNaN(w[i]))
          : ulps(g[i]!, w[i]!, node.dtype) <= tol;
      if (!ok) {
        const ins = inputs.map((a) => a[i]).join(", ");
        expect.fail(`${label}: node ${k} (${show(node)}) at ${i} [inputs ${ins}]: got ${g[i]}, want ${w[i]}`);
      }
    }
  });
}

function show(node: ExprNode): string {
  return node.kind === "op"
    ? `${node.prim} ${JSON.stringify(node.params)} → ${node.dtype}`
    : `${node.kind} ${node.dtype}`;
}

/** A seeded generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const F_EDGES = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  -1.5,
  2.5,
  -2.5,
  2,
  3,
  -3,
  0.1,
  -7.25,
  100,
  1e-45,
  -1e-45,
  1e-40,
  -3e-39,
  1.1754943508222875e-38,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  Infinity,
  -Infinity,
  NaN,
  2147483520,
  2147483648,
  -2147483648,
  -2147483904,
  4294967040,
  4294967296,
  16777217,
  1e10,
  -1e10,
  0.75,
  88.7,
  -103.5,
  20,
  0.3,
];
const EDGES: Record<DType, readonly number[]> = {
  float32: F_EDGES,
  float64: [
    ...F_EDGES,
    5e-324,
    -2.2250738585072014e-308,
    1.7976931348623157e308,
    2147483647.5,
    -2147483648.5,
    -2147483649,
    4294967295.5,
    2 ** 53 + 2,
    1e300,
    -1e-300,
    1 / 3,
  ],
  int32: [
    0, 1, -1, 2, -2, 3, 7, -7, 31, 32, 33, 64, -32, -33, 100, 65535, 65536, -65536, 2147483647, -2147483648,
    -2147483647, 123456789, -987654321, 46341, 1000000000,
  ],
  uint32: [
    0, 1, 2, 3, 7, 31, 32, 33, 64, 100, 65536, 2147483647, 2147483648, 2147483649, 4294967295, 4294967294, 123456789,
    3000000000, 46341,
  ],
  bool: [0, 1],
};

function array(dtype: DType, values: readonly number[]): TypedArray {
  const a = allocate(dtype, values.length);
  a.set(values);
  return a;
}

/** Edge values, plus seeded random ones for the float types (typical transcendental arguments). */
function sample(dtype: DType, seed: number): TypedArray {
  const values = [...EDGES[dtype]];
  if (dtype === "float32" || dtype === "float64") {
    const r = rng(seed);
    for (let i = 0; i < 40; i++) values.push((r() - 0.5) * 20, r() * 2 - 1, (r() - 0.5) * 200);
  }
  return array(dtype, values);
}

/** Every (a, b) pair of edge values, as two arrays. */
function pairs(dtype: DType): [TypedArray, TypedArray] {
  const e = EDGES[dtype];
  const a: number[] = [];
  const b: number[] = [];
  for (const x of e) for (const y of e) a.push(x), b.push(y);
  return [array(dtype, a), array(dtype, b)];
}

/** Lane configurations to run a body in: its natural lane count (both tails), and lanes 1. */
function configs(body: readonly ExprNode[]): { lanes: Lanes; tail: Tail }[] {
  const dts = body.map((n) => n.dtype);
  const natural = lanesFor(dts);
  const out: { lanes: Lanes; tail: Tail }[] = [{ lanes: 1, tail: "lanes1" }];
  if (natural > 1) out.push({ lanes: natural, tail: "lanes1" }, { lanes: natural, tail: "splat" });
  if (dts.every((d) => d === "bool")) out.push({ lanes: 2, tail: "splat" });
  return out;
}

/** float32 operations the math library computes, with its documented bound in float32 ulps. */
const MATH_ULPS: Readonly<Record<string, number | undefined>> = MATH_ULP_BOUNDS;

function tolerance(node: ExprNode, argDtype: DType | undefined): number {
  if (node.kind !== "op" || argDtype !== "float32" || node.dtype !== "float32") return 0;
  const math = MATH_ULPS[node.prim];
  if (math !== undefined) return math;
  if (node.prim === "integer_pow" && ![0, 1, 2].includes(node.params.y as number)) return 1;
  return 0;
}

/** Runs `body` on `inputs` in every lane configuration and compares with the reference. */
function verify(label: string, body: readonly ExprNode[], inputs: readonly TypedArray[]): void {
  const inDtypes = body.flatMap((n) => (n.kind === "input" ? [n.dtype] : []));
  const want = runReference(body, inputs);
  const tol = (k: number): number => {
    const node = body[k]!;
    return tolerance(node, node.kind === "op" ? body[node.args[0]!]!.dtype : undefined);
  };
  for (const { lanes, tail } of configs(body)) {
    const got = runWasm({ body, inputs, inDtypes, lanes, tail });
    check(`${label} (lanes ${lanes}, tail ${tail})`, body, got, want, inputs, tol);
  }
}

const input = (i: number, dtype: DType): ExprNode => ({ kind: "input", input: i, dtype });
const op = (prim: ExprPrim, args: number[], dtype: DType, params: Params = {}): ExprNode => ({
  kind: "op",
  prim,
  args,
  params,
  dtype,
});

/** The combinations the reference rejects, or whose bool result a mask cannot hold. */
const UNSUPPORTED = new Set([
  ...["not", "and", "or", "xor", "shift_left", "shift_right_logical"].flatMap((p) => [`${p}:float32`, `${p}:float64`]),
  "shift_left:bool",
  "shift_right_logical:bool",
  "neg:bool",
  "exp:bool",
]);

describe("wasm expression codegen", () => {
  it("lanesFor picks 4, 2 or 1 lanes", () => {
    expect(lanesFor(["float32", "int32", "bool"])).toBe(4);
    expect(lanesFor(["bool"])).toBe(4);
    expect(lanesFor(["float64", "bool"])).toBe(2);
    expect(lanesFor(["float64", "float32"])).toBe(1);
    expect(lanesFor(["uint32", "float64"])).toBe(1);
  });

  it("supportsNode accepts exactly what the reference supports", () => {
    for (const dt of DTYPES) {
      for (const prim of UNARY_PRIMS) {
        const out = prim === "isfinite" ? "bool" : dt;
        expect(supportsNode(op(prim, [0], out), [dt]), `${prim}:${dt}`).toBe(!UNSUPPORTED.has(`${prim}:${dt}`));
      }
      for (const prim of BINARY_PRIMS)
        expect(supportsNode(op(prim, [0, 1], dt), [dt, dt]), `${prim}:${dt}`).toBe(!UNSUPPORTED.has(`${prim}:${dt}`));
      for (const prim of COMPARE_PRIMS) expect(supportsNode(op(prim, [0, 1], "bool"), [dt, dt])).toBe(true);
      expect(supportsNode(op("integer_pow", [0], dt, { y: 3 }), [dt])).toBe(true);
      expect(supportsNode(op("select", [0, 1, 2], dt), ["bool", dt, dt])).toBe(true);
      for (const to of DTYPES) expect(supportsNode(op("convert", [0], to, { dtype: to }), [dt])).toBe(true);
    }
    // Operands that do not fit the primitive.
    expect(supportsNode(op("add", [0, 1], "float32"), ["float32", "int32"])).toBe(false);
    expect(supportsNode(op("lt", [0, 1], "float32"), ["float32", "float32"])).toBe(false);
    expect(supportsNode(op("select", [0, 1, 2], "float32"), ["int32", "float32", "float32"])).toBe(false);
    expect(supportsNode(op("integer_pow", [0], "float32", { y: 0.5 }), ["float32"])).toBe(false);
  });

  it("unary primitives match the reference on every dtype", () => {
    for (const dt of DTYPES)
      for (const prim of UNARY_PRIMS) {
        if (UNSUPPORTED.has(`${prim}:${dt}`)) continue;
        const body = [input(0, dt), op(prim, [0], prim === "isfinite" ? "bool" : dt)];
        verify(`${prim}:${dt}`, body, [sample(dt, 1)]);
      }
  });

  it("binary primitives and comparisons match the reference on all pairs of edge values", () => {
    for (const dt of DTYPES) {
      const ins = pairs(dt);
      for (const prim of BINARY_PRIMS) {
        if (UNSUPPORTED.has(`${prim}:${dt}`)) continue;
        verify(`${prim}:${dt}`, [input(0, dt), input(1, dt), op(prim, [0, 1], dt)], ins);
      }
      const cmp = [input(0, dt), input(1, dt), ...COMPARE_PRIMS.map((p) => op(p, [0, 1], "bool"))];
      verify(`comparisons:${dt}`, cmp, ins);
    }
  });

  it("shifts by a literal count use the count as the reference does", () => {
    for (const dt of ["int32", "uint32"] as const)
      for (const count of [0, 1, 5, 31, 32, 33, -1, 4294967295, 64]) {
        const body: ExprNode[] = [
          input(0, dt),
          { kind: "literal", value: count, dtype: dt },
          op("shift_left", [0, 1], dt),
          op("shift_right_logical", [0, 1], dt),
        ];
        verify(`shift by literal ${count}:${dt}`, body, [sample(dt, 2)]);
      }
  });

  it("integer_pow, select and convert match the reference", () => {
    for (const dt of DTYPES) {
      const x = sample(dt, 3);
      const ys = [0, 1, 2, 3, 4, 5, 7, 10, 31, 32, 33, -1, -2, -3, -4, -31];
      verify(`integer_pow:${dt}`, [input(0, dt), ...ys.map((y) => op("integer_pow", [0], dt, { y }))], [x]);
      const [a, b] = pairs(dt);
      const r = rng(4);
      const p = array(
        "bool",
        Array.from(a, () => (r() < 0.5 ? 1 : 0)),
      );
      verify(`select:${dt}`, [input(0, "bool"), input(1, dt), input(2, dt), op("select", [0, 1, 2], dt)], [p, a, b]);
      for (const to of DTYPES)
        verify(`convert ${dt}→${to}`, [input(0, dt), op("convert", [0], to, { dtype: to })], [x]);
    }
  });

  it("literals and indices convert to the node's dtype", () => {
    const values = [0, -0, 1, 1.5, -1.5, 2.5, NaN, Infinity, -Infinity, 3e9, -3e9, 2 ** 31, 1e20, 0.5, 256, 257, -7];
    for (const dt of DTYPES) {
      const lits = values
        .filter((v) => dt !== "bool" || [0, 1, 0, 256, 257, 0.5, NaN].includes(v))
        .map((value): ExprNode => ({ kind: "literal", value, dtype: dt }));
      const body: ExprNode[] = [input(0, dt), ...lits, { kind: "index", dim: 0, dtype: dt }];
      verify(`literals and index:${dt}`, body, [
        array(
          dt,
          Array.from({ length: 17 }, (_, i) => i % 2),
        ),
      ]);
    }
  });

  it("handles lengths 0, 1, 3, 4, 5, 17, contiguous and strided", () => {
    for (const dt of DTYPES) {
      const body: ExprNode[] = [
        input(0, dt),
        input(1, dt),
        op(dt === "bool" ? "or" : "add", [0, 1], dt),
        op("lt", [0, 1], "bool"),
        op("select", [3, 0, 1], dt),
        op("convert", [0], "bool", { dtype: "bool" }),
        { kind: "index", dim: 0, dtype: dt },
        input(2, "bool"),
        op("select", [7, 0, 1], dt),
        op("convert", [7], dt, { dtype: dt }),
      ];
      const [a, b] = pairs(dt);
      const r = rng(6);
      const p = array(
        "bool",
        Array.from({ length: 17 }, () => (r() < 0.5 ? 1 : 0)),
      );
      for (const n of [0, 1, 3, 4, 5, 17]) {
        const ins = [
          array(
            dt,
            Array.from({ length: n }, (_, i) => a[i % a.length]!),
          ),
          array(
            dt,
            Array.from({ length: n }, (_, i) => b[(7 * i + 3) % b.length]!),
          ),
          p.slice(0, n),
        ];
        const want = runReference(body, ins);
        for (const { lanes, tail } of configs(body))
          for (const strided of [false, true]) {
            const got = runWasm({ body, inputs: ins, inDtypes: [dt, dt, "bool"], lanes, tail, strided });
            check(`n=${n} ${dt} lanes ${lanes} strided ${strided}`, body, got, want, ins);
          }
      }
    }
  });

  it("mixes float32, float64, int32, uint32 and bool in one 1-lane kernel", () => {
    const body: ExprNode[] = [
      input(0, "float32"),
      input(1, "float64"),
      op("convert", [0], "float64", { dtype: "float64" }),
      op("add", [2, 1], "float64"),
      op("convert", [3], "float32", { dtype: "float32" }),
      op("mul", [0, 4], "float32"),
      op("lt", [2, 1], "bool"),
      op("select", [6, 3, 1], "float64"),
      op("convert", [1], "int32", { dtype: "int32" }),
      op("convert", [1], "uint32", { dtype: "uint32" }),
      op("convert", [8], "float64", { dtype: "float64" }),
      op("convert", [9], "float64", { dtype: "float64" }),
      op("convert", [6], "float32", { dtype: "float32" }),
      op("convert", [6], "float64", { dtype: "float64" }),
      op("sin", [3], "float64"),
      op("rem", [0, 5], "float32"),
      op("ne", [0, 0], "bool"),
      op("and", [6, 16], "bool"),
      { kind: "index", dim: 0, dtype: "float64" },
      { kind: "index", dim: 0, dtype: "bool" },
    ];
    expect(lanesFor(body.map((n) => n.dtype))).toBe(1);
    const [a] = pairs("float32");
    const b = array(
      "float64",
      Array.from(a, (v, i) => (i % 7 === 0 ? v : v * 1.000001 + i)),
    );
    verify("mixed", body, [a, b]);
  });

  it("fuses tanh(0.5x+1)·logistic(x) − x²/3 (float32 and float64)", () => {
    for (const dt of ["float32", "float64"] as const) {
      const lit = (value: number): ExprNode => ({ kind: "literal", value, dtype: dt });
      const body: ExprNode[] = [
        input(0, dt),
        lit(0.5),
        op("mul", [1, 0], dt),
        lit(1),
        op("add", [2, 3], dt),
        op("tanh", [4], dt),
        op("logistic", [0], dt),
        op("mul", [5, 6], dt),
        op("integer_pow", [0], dt, { y: 2 }),
        lit(3),
        op("div", [8, 9], dt),
        op("sub", [7, 10], dt),
      ];
      const r = rng(5);
      const x = array(
        dt,
        Array.from({ length: 1001 }, () => (r() - 0.5) * 16),
      );
      const want = runReference(body, [x]);
      for (const { lanes, tail } of configs(body)) {
        const got = runWasm({ body, inputs: [x], inDtypes: [dt], lanes, tail })[11]!;
        const w = want[11]!;
        for (let i = 0; i < w.length; i++) {
          // Each transcendental is within a few ulps, so the result is within a few ulps of its terms.
          const scale = Math.abs(want[7]![i]!) + Math.abs(want[10]![i]!);
          const bound = dt === "float64" ? 0 : 8 * 2 ** -24 * scale;
          expect(Math.abs(got[i]! - w[i]!), `x = ${x[i]}`).toBeLessThanOrEqual(bound);
        }
      }
    }
  });
});
