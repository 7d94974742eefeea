/** sort / argsort / searchsorted / cumulative ops / unique / quantile against NumPy (and JAX's rules). */
import { describe, expect, test } from "vitest";
import { lax, np } from "../../src/index.js";
import { decode, type Encoded, expectMatches, FIXTURES } from "./sorting-fixture-data.js";

const cases = <T>(name: string) => FIXTURES[name] as unknown as T[];

describe("sort and argsort", () => {
  type Case = { x: Encoded; axis: number | null } & Record<"argsort" | "sort" | "argsortDesc" | "sortDesc", Encoded>;
  test.each(cases<Case>("sort").map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const x = decode(c.x);
    expectMatches(np.argsort(x, c.axis), c.argsort, 0, "argsort");
    expectMatches(np.sort(x, c.axis), c.sort, 0, "sort");
    expectMatches(np.argsort(x, c.axis, { descending: true }), c.argsortDesc, 0, "argsort desc");
    expectMatches(np.sort(x, c.axis, { descending: true }), c.sortDesc, 0, "sort desc");
  });
});

describe("lax.topK", () => {
  type Case = { x: Encoded; k: number; values: Encoded; indices: Encoded };
  test.each(cases<Case>("topK").map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const [values, indices] = lax.topK(decode(c.x), c.k);
    expectMatches(values, c.values, 0, "values");
    expectMatches(indices, c.indices, 0, "indices");
    expect(indices.dtype).toBe("int32");
  });
});

describe("searchsorted", () => {
  type Case = { a: Encoded; v: Encoded; side: "left" | "right"; sorter?: number[]; out: Encoded };
  test.each(cases<Case>("searchsorted").map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const opts = c.sorter ? { side: c.side, sorter: c.sorter } : { side: c.side };
    const got = np.searchsorted(decode(c.a), decode(c.v), opts);
    expect(got.dtype).toBe("int32");
    expectMatches(got, c.out, 0);
  });
});

describe("cumulative reductions", () => {
  type Op = "cumprod" | "cummax" | "cummin" | "cumsum";
  type Case = { op: Op; x: Encoded; axis: number | null; reverse: boolean; out: Encoded };
  test.each(cases<Case>("cumulative").map((c, i) => [i, c.op, c.x.dtype, c.axis, c.reverse, c] as const))(
    "case %i: %s %s axis %s reverse %s",
    (_, op, _dtype, axis, reverse, c) => {
      const x = decode(c.x);
      expectMatches(np[op](x, axis, { reverse }), c.out, 1e-12, `np.${op}`);
      if (axis !== null) expectMatches(lax[op](x, axis, { reverse }), c.out, 1e-12, `lax.${op}`);
    },
  );
});

describe("unique", () => {
  type Case = {
    x: Encoded;
    size?: number;
    fillValue?: number | null;
    values: Encoded;
    indices: Encoded;
    inverse: Encoded;
    counts: Encoded;
  };
  test.each(cases<Case>("unique").map((c, i) => [i, c.x.dtype, c.size, c] as const))(
    "case %i: %s size %s",
    (_, _dtype, size, c) => {
      const x = decode(c.x);
      const sized = size === undefined ? {} : { size, ...(c.fillValue == null ? {} : { fillValue: c.fillValue }) };
      const r = np.unique(x, { returnIndex: true, returnInverse: true, returnCounts: true, ...sized });
      expectMatches(r.values, c.values, 0, "values");
      expectMatches(r.indices!, c.indices, 0, "indices");
      expectMatches(r.inverseIndices!, c.inverse, 0, "inverse");
      expectMatches(r.counts!, c.counts, 0, "counts");
      expectMatches(np.unique(x, sized), c.values, 0, "values alone");
    },
  );
});

describe("quantile, percentile, median", () => {
  type Method = "linear" | "lower" | "higher" | "midpoint" | "nearest";
  type Case = {
    x: Encoded;
    q: number | number[];
    axis: number | number[] | null;
    keepdims: boolean;
    method: Method;
    out: Encoded;
  };
  test.each(cases<Case>("quantile").map((c, i) => [i, c.method, JSON.stringify(c.axis), c.keepdims, c] as const))(
    "case %i: %s axis %s keepdims %s",
    (_, method, _axis, keepdims, c) => {
      expectMatches(np.quantile(decode(c.x), c.q, c.axis, { method, keepdims }), c.out, 1e-12);
    },
  );
  test.each(cases<{ x: Encoded; axis: number | null; out: Encoded }>("median").map((c, i) => [i, c] as const))(
    "median %i",
    (_, c) => expectMatches(np.median(decode(c.x), c.axis), c.out, 1e-6),
  );
  test("percentile", () => {
    const c = cases<{ x: Encoded; q: number[]; axis: number; out: Encoded }>("percentile")[0]!;
    expectMatches(np.percentile(decode(c.x), c.q, c.axis), c.out, 1e-12);
  });
});
