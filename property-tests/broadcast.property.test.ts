/**
 * Broadcasting binary (and ternary) ops equal a naive index loop over the broadcast shape, for
 * float64, float32 and int32 operands, plus dtype promotion of mixed operands.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { np, type Array, type DType } from "../src/index.js";
import { arbArrayOfShape, arbBroadcastableShapes } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { sizeOf, stridesOf, unravel } from "./helpers.js";

type HostOp = (a: number, b: number) => number;
interface Case {
  name: string;
  f: (x: Array, y: Array) => Array;
  host: HostOp;
  dtypes: DType[];
  /** Exact (0) or relative tolerance for the float results. */
  rtol?: number;
  /** Result dtype when not the operands' dtype. */
  out?: (d: DType) => DType;
  /** Keep the second operand away from 0. */
  nonzeroY?: boolean;
}

const pyMod: HostOp = (a, b) => {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
};
const bool = () => "bool" as DType;
const F = ["float64", "float32"] as DType[];
const FI = ["float64", "float32", "int32"] as DType[];
const CASES: Case[] = [
  { name: "add", f: np.add, host: (a, b) => a + b, dtypes: FI },
  { name: "subtract", f: np.subtract, host: (a, b) => a - b, dtypes: FI },
  { name: "multiply", f: np.multiply, host: (a, b) => a * b, dtypes: FI },
  {
    name: "divide",
    f: np.divide,
    host: (a, b) => a / b,
    dtypes: FI,
    nonzeroY: true,
    out: (d) => (d === "int32" ? "float32" : d),
  },
  { name: "maximum", f: np.maximum, host: Math.max, dtypes: FI },
  { name: "minimum", f: np.minimum, host: Math.min, dtypes: FI },
  {
    name: "power",
    f: (x, y) => np.power(np.abs(x), y),
    host: (a, b) => Math.abs(a) ** b,
    dtypes: F,
    rtol: 1e-6,
  },
  { name: "arctan2", f: np.arctan2, host: Math.atan2, dtypes: F, rtol: 1e-6 },
  { name: "mod", f: np.mod, host: pyMod, dtypes: FI, nonzeroY: true, rtol: 1e-6 },
  { name: "equal", f: np.equal, host: (a, b) => +(a === b), dtypes: FI, out: bool },
  { name: "less", f: np.less, host: (a, b) => +(a < b), dtypes: FI, out: bool },
  { name: "greaterEqual", f: np.greaterEqual, host: (a, b) => +(a >= b), dtypes: FI, out: bool },
  { name: "logicalAnd", f: np.logicalAnd, host: (a, b) => +(a !== 0 && b !== 0), dtypes: FI, out: bool },
];

/** Element of `x` (row-major data) at the broadcast index `idx` of the output shape. */
function at(data: ArrayLike<number>, shape: readonly number[], idx: readonly number[]): number {
  const st = stridesOf(shape);
  const off = idx.length - shape.length;
  let flat = 0;
  shape.forEach((d, k) => (flat += (d === 1 ? 0 : idx[k + off]!) * st[k]!));
  return data[flat]!;
}
const broadcastShape = (shapes: readonly (readonly number[])[]): number[] => {
  const r = Math.max(...shapes.map((s) => s.length));
  return globalThis.Array.from({ length: r }, (_, k) => Math.max(...shapes.map((s) => s[s.length - r + k] ?? 1)));
};
const round = (d: DType, v: number): number => (d === "float32" ? Math.fround(v) : d === "int32" ? v | 0 : v);

function naive(
  xs: readonly Array[],
  host: (...v: number[]) => number,
  outDtype: DType,
): { shape: number[]; data: Float64Array } {
  const shape = broadcastShape(xs.map((x) => x.shape));
  const datas = xs.map((x) => x.dataSync());
  const data = new Float64Array(sizeOf(shape));
  for (let f = 0; f < data.length; f++) {
    const idx = unravel(f, shape);
    data[f] = round(outDtype, host(...xs.map((x, k) => at(datas[k]!, x.shape, idx))));
  }
  return { shape, data };
}

function expectNaive(
  got: Array,
  want: { shape: number[]; data: Float64Array },
  dtype: DType,
  rtol: number,
  what: string,
): void {
  if (got.dtype !== dtype) throw new Error(`${what}: dtype ${got.dtype}, expected ${dtype}`);
  if (got.shape.join() !== want.shape.join())
    throw new Error(`${what}: shape [${got.shape}], expected [${want.shape}]`);
  const g = got.dataSync();
  want.data.forEach((w, k) => {
    const v = g[k]!;
    if (v === w || (Number.isNaN(v) && Number.isNaN(w))) return;
    if (!(rtol > 0 && Math.abs(v - w) <= rtol * Math.max(1, Math.abs(w))))
      throw new Error(
        `${what}: element ${k} (index [${unravel(k, want.shape)}]) is ${v}, naive loop gives ${w}\n got ${got}`,
      );
  });
}

const operands = (n: number, dtype: DType, nonzeroLast = false) =>
  arbBroadcastableShapes(n, { maxRank: 3, maxDim: 3 }).chain((shapes) =>
    fc.tuple(
      ...shapes.map((s, k) => {
        const arr = arbArrayOfShape(s, { dtype, min: -6, max: 6 });
        return nonzeroLast && k === n - 1 ? arr.map((x) => np.where(np.equal(x, 0), np.onesLike(x), x)) : arr;
      }),
    ),
  );

describe("broadcasting binary ops equal a naive index loop", () => {
  for (const c of CASES)
    for (const dtype of c.dtypes)
      it(`${c.name} (${dtype})`, () => {
        assertProperty(
          fc.property(operands(2, dtype, c.nonzeroY), ([x, y]) => {
            const outD = c.out ? c.out(dtype) : dtype;
            expectNaive(
              c.f(x!, y!),
              naive([x!, y!], c.host, outD),
              outD,
              c.rtol ?? 0,
              `${c.name}(${dtype}[${x!.shape}], ${dtype}[${y!.shape}])`,
            );
          }),
          15,
        );
      });

  it("where(cond, x, y) broadcasts all three operands", () => {
    assertProperty(
      fc.property(operands(3, "float64"), ([c, x, y]) => {
        expectNaive(
          np.where(np.greater(c!, 0), x!, y!),
          naive([c!, x!, y!], (a, b, d) => (a > 0 ? b : d), "float64"),
          "float64",
          0,
          "where",
        );
      }),
      25,
    );
  });

  it("broadcastTo equals the naive loop", () => {
    const arb = arbBroadcastableShapes(1, { maxRank: 3, maxDim: 3 }).chain(([s]) =>
      fc.tuple(arbArrayOfShape(s!, { dtype: "float64" }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 })),
    );
    assertProperty(
      fc.property(arb, ([x, lead]) => {
        const target = [...lead, ...x.shape.map((d, k) => (d === 1 ? 1 + (k % 3) : d))];
        expectNaive(
          np.broadcastTo(x, target),
          naive([x, np.zeros(target, { dtype: "float64" })], (a) => a, "float64"),
          "float64",
          0,
          `broadcastTo([${x.shape}] → [${target}])`,
        );
      }),
      25,
    );
  });
});

describe("int32 arithmetic wraps around (two's complement), like JAX", () => {
  const WRAP: [string, (x: Array, y: Array) => Array, HostOp][] = [
    ["add", np.add, (a, b) => (a + b) | 0],
    ["subtract", np.subtract, (a, b) => (a - b) | 0],
    ["multiply", np.multiply, Math.imul],
  ];
  for (const [name, f, host] of WRAP)
    it(name, () => {
      const big = arbBroadcastableShapes(2, { maxRank: 2, maxDim: 3 }).chain(([a, b]) =>
        fc.tuple(
          arbArrayOfShape(a!, { dtype: "int32", min: -(2 ** 31), max: 2 ** 31 - 1 }),
          arbArrayOfShape(b!, { dtype: "int32", min: -(2 ** 31), max: 2 ** 31 - 1 }),
        ),
      );
      assertProperty(
        fc.property(big, ([x, y]) => expectNaive(f(x, y), naive([x, y], host, "int32"), "int32", 0, `${name}(int32)`)),
        15,
      );
    });
});

describe("dtype promotion of mixed operands", () => {
  const LATTICE: [DType, DType, DType][] = [
    ["float32", "float64", "float64"],
    ["int32", "float32", "float32"],
    ["int32", "float64", "float64"],
    ["bool", "int32", "int32"],
    ["bool", "float32", "float32"],
  ];
  it("add/multiply promote per JAX's lattice and compute in the result dtype", () => {
    const arb = fc
      .constantFrom(...LATTICE)
      .chain(([a, b, r]) =>
        arbBroadcastableShapes(2, { maxRank: 2, maxDim: 3 }).chain(([sa, sb]) =>
          fc.tuple(
            fc.constant(r),
            arbArrayOfShape(sa!, { dtype: a, min: -5, max: 5 }),
            arbArrayOfShape(sb!, { dtype: b, min: -5, max: 5 }),
          ),
        ),
      );
    assertProperty(
      fc.property(arb, ([r, x, y]) => {
        expectNaive(
          np.add(x, y),
          naive([x, y], (a, b) => round(r, a) + round(r, b), r),
          r,
          0,
          `add(${x.dtype}, ${y.dtype})`,
        );
        expectNaive(
          np.multiply(y, x),
          naive([y, x], (a, b) => round(r, a) * round(r, b), r),
          r,
          0,
          `multiply(${y.dtype}, ${x.dtype})`,
        );
      }),
      30,
    );
  });

  it("JS numbers are weakly typed: the array's dtype wins", () => {
    const arb = fc
      .tuple(fc.constantFrom<DType>("float32", "float64", "int32"), fc.integer({ min: -5, max: 5 }))
      .chain(([d, k]) => fc.tuple(arbArrayOfShape([2, 3], { dtype: d }), fc.constant(k)));
    assertProperty(
      fc.property(arb, ([x, k]) => {
        expectNaive(
          x.add(k),
          naive([x], (a) => a + k, x.dtype),
          x.dtype,
          0,
          `${x.dtype} + ${k}`,
        );
        expectNaive(
          x.mul(k),
          naive([x], (a) => a * k, x.dtype),
          x.dtype,
          0,
          `${x.dtype} * ${k}`,
        );
      }),
      20,
    );
  });
});
