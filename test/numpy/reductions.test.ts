import { describe, it, expect } from "vitest";
import { np, nn } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);

function expectClose(x: np.Array, want: readonly number[] | number, rtol = 1e-6, atol = 1e-6): void {
  const got = flat(x);
  const w = typeof want === "number" ? [want] : want;
  expect(got.length, "size").toBe(w.length);
  got.forEach((g, i) => {
    const e = w[i]!;
    if (Number.isNaN(e)) expect(g, `index ${i}`).toBeNaN();
    else if (!Number.isFinite(e)) expect(g, `index ${i}`).toBe(e);
    else expect(Math.abs(g - e), `index ${i}: got ${g}, want ${e}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e));
  });
}

/** Naive reference reduction of a row-major buffer over `axes`: returns [flat values, shape]. */
function reduceRef(
  data: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  fn: (v: number[]) => number,
  keepdims = false,
): [number[], number[]] {
  const nd = shape.length;
  const ax = axes.map((a) => (a < 0 ? a + nd : a));
  const outShape = shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
  const outSize = outShape.reduce((p, q) => p * q, 1);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  for (let flatIdx = 0; flatIdx < data.length; flatIdx++) {
    const idx = shape.map((_, i) => Math.floor(flatIdx / strides[i]!) % shape[i]!);
    let o = 0;
    for (let i = 0; i < nd; i++) o = o * outShape[i]! + (ax.includes(i) ? 0 : idx[i]!);
    groups[o]!.push(data[flatIdx]!);
  }
  return [groups.map(fn), keepdims ? outShape : shape.filter((_, i) => !ax.includes(i))];
}

const SHAPE = [2, 3, 4];
const DATA = Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 4.5 + i / 8);
const X = () => np.array(DATA, { shape: SHAPE });
const AXES: (number | number[] | null)[] = [null, 0, 1, 2, -1, -2, [0, 2], [-1, 0], [0, 1, 2]];
const toList = (a: number | number[] | null): number[] => (a === null ? [0, 1, 2] : typeof a === "number" ? [a] : a);

const sumF = (v: number[]) => v.reduce((p, q) => p + q, 0);
const meanF = (v: number[]) => sumF(v) / v.length;
const varF = (ddof: number) => (v: number[]) => {
  const m = meanF(v);
  return v.reduce((p, q) => p + (q - m) ** 2, 0) / (v.length - ddof);
};
const reducers: [
  string,
  (x: np.Array, axis: number | number[] | null, o: { keepdims?: boolean }) => np.Array,
  (v: number[]) => number,
][] = [
  ["sum", (x, a, o) => np.sum(x, a, o), sumF],
  ["prod", (x, a, o) => np.prod(x, a, o), (v) => v.reduce((p, q) => p * q, 1)],
  ["max", (x, a, o) => np.max(x, a, o), (v) => Math.max(...v)],
  ["min", (x, a, o) => np.min(x, a, o), (v) => Math.min(...v)],
  ["mean", (x, a, o) => np.mean(x, a, o), meanF],
  ["var", (x, a, o) => np.var_(x, a, o), varF(0)],
  ["std", (x, a, o) => np.std(x, a, o), (v) => Math.sqrt(varF(0)(v))],
  ["logsumexp", (x, a, o) => np.logsumexp(x, a, o), (v) => Math.log(sumF(v.map(Math.exp)))],
];

describe("reductions over axes against naive loops", () => {
  for (const [name, f, ref] of reducers) {
    for (const axis of AXES) {
      for (const keepdims of [false, true]) {
        it(`${name} axis=${JSON.stringify(axis)} keepdims=${keepdims}`, () => {
          const y = f(X(), axis, { keepdims });
          const [want, shape] = reduceRef(DATA.map(Math.fround), SHAPE, toList(axis), ref, keepdims);
          expect(y.shape).toEqual(shape);
          expect(y.dtype).toBe("float32");
          expectClose(y, want, name === "prod" ? 1e-5 : 2e-6, 1e-5);
        });
      }
    }
  }

  it("methods match the functions", () => {
    const x = X();
    expectClose(x.sum(1), reduceRef(DATA.map(Math.fround), SHAPE, [1], sumF)[0], 1e-6, 1e-5);
    expectClose(
      x.mean([0, 1], { keepdims: true }),
      reduceRef(DATA.map(Math.fround), SHAPE, [0, 1], meanF)[0],
      1e-6,
      1e-5,
    );
    expect(x.max().item()).toBe(Math.max(...DATA.map(Math.fround)));
    expect(x.min(-1).shape).toEqual([2, 3]);
    expect(x.prod(0).shape).toEqual([3, 4]);
  });

  it("axis out of range / repeated axes throw naming the op", () => {
    expect(() => np.sum(X(), 5)).toThrow(/sum: axis 5 is out of range for an array of rank 3/);
    expect(() => np.mean(X(), [0, -3])).toThrow(/mean: repeated axis/);
    expect(() => np.max(np.zeros([0]))).toThrow(/max: zero-size reduction/);
  });

  it("empty reductions give the identity", () => {
    expect(np.sum(np.zeros([0])).item()).toBe(0);
    expect(np.prod(np.zeros([0])).item()).toBe(1);
    expect(np.sum(np.zeros([2, 0]), 1).tolist()).toEqual([0, 0]);
  });
});

describe("dtypes of reductions", () => {
  it("int sums stay int32; bool sums count", () => {
    const i = np.array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    expect(np.sum(i).dtype).toBe("int32");
    expect(np.sum(i, 0).tolist()).toEqual([4, 6]);
    expect(np.prod(i).item()).toBe(24);
    expect(np.max(i, 1).dtype).toBe("int32");
    const b = np.array([true, true, false]);
    const s = np.sum(b);
    expect(s.dtype).toBe("int32");
    expect(s.item()).toBe(2);
    expect(np.mean(i).dtype).toBe("float32");
    expect(np.mean(i).item()).toBe(2.5);
    expect(np.sum(np.array([1, 2], { dtype: "float64" })).dtype).toBe("float64");
  });

  it("max/min propagate NaN", () => {
    expectClose(np.max(np.array([1, NaN, 3])), NaN);
    expectClose(
      np.min(
        np.array([
          [1, NaN],
          [2, 3],
        ]),
        1,
      ),
      [NaN, 2],
    );
    expectClose(np.sum(np.array([1, Infinity, -Infinity])), NaN);
  });
});

describe("var / std with ddof", () => {
  const v = [2, 4, 4, 4, 5, 5, 7, 9];
  it("population and sample variance", () => {
    expectClose(np.var_(np.array(v)), 4);
    expectClose(np.std(np.array(v)), 2);
    expectClose(np.var_(np.array(v), null, { ddof: 1 }), 32 / 7);
    expectClose(np.std(np.array(v), null, { ddof: 1 }), Math.sqrt(32 / 7));
    const m = np.array([v, v.map((q) => q * 2)]);
    expectClose(m.var(1, { ddof: 1 }), [32 / 7, 128 / 7]);
    expectClose(m.std(-1), [2, 4]);
    expect(m.var(1, { keepdims: true }).shape).toEqual([2, 1]);
  });
  it("is numerically sound for a large offset in float64", () => {
    const big = v.map((q) => q + 1e8);
    expectClose(np.var_(np.array(big, { dtype: "float64" })), 4, 1e-9);
  });
});

describe("argmax / argmin", () => {
  it("flattened by default, first occurrence wins", () => {
    const x = np.array([
      [1, 9, 9],
      [0, -2, 9],
    ]);
    const am = np.argmax(x);
    expect(am.dtype).toBe("int32");
    expect(am.item()).toBe(1);
    expect(np.argmin(x).item()).toBe(4);
  });
  it("along an axis, negative axes, keepdims", () => {
    const rows = [
      [3, 1, 2],
      [0, 5, 5],
      [7, 7, 1],
    ];
    const x = np.array(rows);
    expect(np.argmax(x, 1).tolist()).toEqual(rows.map((r) => r.indexOf(Math.max(...r))));
    expect(np.argmin(x, -1).tolist()).toEqual(rows.map((r) => r.indexOf(Math.min(...r))));
    const cols = [0, 1, 2].map((j) => rows.map((r) => r[j]!));
    expect(np.argmax(x, 0).tolist()).toEqual(cols.map((c) => c.indexOf(Math.max(...c))));
    expect(x.argmax(0, { keepdims: true }).shape).toEqual([1, 3]);
    expect(x.argmin(-2).tolist()).toEqual(cols.map((c) => c.indexOf(Math.min(...c))));
  });
  it("NaN counts as the extreme; errors on empty / bad axis", () => {
    expect(np.argmax(np.array([1, NaN, 3])).item()).toBe(1);
    expect(np.argmin(np.array([1, NaN, -3])).item()).toBe(1);
    expect(() => np.argmax(np.zeros([0]))).toThrow(/argmax.*empty/);
    expect(() => np.argmax(np.zeros([2]), 1)).toThrow(/argmax: axis 1 is out of range/);
  });
});

describe("cumsum", () => {
  it("flattened by default", () => {
    const x = np.array([
      [1, 2],
      [3, 4],
    ]);
    expect(np.cumsum(x).tolist()).toEqual([1, 3, 6, 10]);
  });
  it("along axes, negative axis, reverse", () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const x = np.array(rows);
    expect(np.cumsum(x, 1).tolist()).toEqual(rows.map((r) => r.map((_, j) => sumF(r.slice(0, j + 1)))));
    expect(np.cumsum(x, 0).tolist()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(x.cumsum(-1).tolist()).toEqual(np.cumsum(x, 1).tolist());
    expect(np.cumsum(x, 1, { reverse: true }).tolist()).toEqual(rows.map((r) => r.map((_, j) => sumF(r.slice(j)))));
  });
  it("ints stay int32, bools count", () => {
    const c = np.cumsum(np.array([true, false, true]));
    expect(c.dtype).toBe("int32");
    expect(c.tolist()).toEqual([1, 1, 2]);
    expect(np.cumsum(np.array([1, 2], { dtype: "int32" })).dtype).toBe("int32");
  });
});

describe("all / any", () => {
  it("reduce truthiness over axes", () => {
    const x = np.array([
      [1, 0, 2],
      [3, 4, 5],
    ]);
    const a = np.all(x);
    expect(a.dtype).toBe("bool");
    expect(a.item()).toBe(0);
    expect(np.any(x).item()).toBe(1);
    expect(np.all(x, 1).tolist()).toEqual([false, true]);
    expect(
      np
        .any(
          np.array([
            [0, 0],
            [0, 1],
          ]),
          0,
        )
        .tolist(),
    ).toEqual([false, true]);
    expect(x.all(-1, { keepdims: true }).shape).toEqual([2, 1]);
    expect(np.any(np.array([false, false])).item()).toBe(0);
    expect(np.all(np.array([NaN])).item()).toBe(1); // NaN is truthy, like NumPy
  });
  it("empty: all is true, any is false", () => {
    expect(np.all(np.zeros([0])).item()).toBe(1);
    expect(np.any(np.zeros([0])).item()).toBe(0);
  });
});

describe("logsumexp / softmax / logSoftmax stability", () => {
  const lse = (v: number[]) => {
    const m = Math.max(...v);
    return m + Math.log(sumF(v.map((q) => Math.exp(q - m))));
  };
  it("logsumexp is exact at 1e4 and -1e4 where a naive version overflows", () => {
    expectClose(np.logsumexp(np.array([1e4, 1e4])), 1e4 + Math.LN2, 1e-7);
    expectClose(np.logsumexp(np.array([-1e4, -1e4 + 1])), lse([-1e4, -1e4 + 1]), 1e-7);
    expectClose(
      np.logsumexp(
        np.array([
          [1e4, 0],
          [-1e4, 5],
        ]),
        1,
      ),
      [1e4, lse([-1e4, 5])],
      1e-7,
    );
    expectClose(np.logsumexp(np.array([-Infinity, -Infinity])), -Infinity);
    expectClose(np.logsumexp(np.array([Infinity, 1])), Infinity);
    expectClose(np.logsumexp(np.zeros([0])), -Infinity);
  });
  it("softmax sums to one and is finite for ±1e4 logits", () => {
    const v = [1e4, 0, -1e4, 1e4 - 1];
    const s = nn.softmax(np.array(v));
    const m = Math.max(...v);
    const e = v.map((q) => Math.exp(q - m));
    expectClose(
      s,
      e.map((q) => q / sumF(e)),
      1e-6,
      1e-7,
    );
    const rows = nn.softmax(
      np.array([
        [1, 2, 3],
        [-1e4, 0, 1e4],
      ]),
      1,
    );
    expectClose(rows.sum(1), [1, 1], 1e-6);
    expectClose(
      nn.softmax(
        np.array([
          [1, 2],
          [3, 5],
        ]),
        0,
      ),
      [1 / (1 + Math.E ** 2), 1 / (1 + Math.E ** 3), Math.E ** 2 / (1 + Math.E ** 2), Math.E ** 3 / (1 + Math.E ** 3)],
      1e-6,
    );
  });
  it("logSoftmax is finite for ±1e4 logits", () => {
    const v = [1e4, 0, -1e4];
    expectClose(
      nn.logSoftmax(np.array(v)),
      v.map((q) => q - lse(v)),
      1e-7,
      1e-3,
    );
    const v64 = [1e4, 1e4 - 2, -1e4];
    expectClose(
      nn.logSoftmax(np.array(v64, { dtype: "float64" })),
      v64.map((q) => q - lse(v64)),
      1e-12,
      1e-10,
    );
    expectClose(
      nn.logSoftmax(
        np.array([
          [1, 2],
          [3, 4],
        ]),
        0,
      ),
      [1 - lse([1, 3]), 2 - lse([2, 4]), 3 - lse([1, 3]), 4 - lse([2, 4])],
    );
  });
});
