import { describe, it, expect, expectTypeOf } from "vitest";
import { all, map, mapWith, mapWithPath, reduce, structure, tree } from "../../src/tree/index.js";

describe("map", () => {
  it("maps every leaf and keeps the structure", () => {
    const t = { b: [1, 2], a: 3, n: null };
    const out = map((x: number) => x * 2, t);
    expect(out).toEqual({ a: 6, b: [2, 4], n: null });
    expect(t).toEqual({ b: [1, 2], a: 3, n: null });
    expect(out).not.toBe(t);
  });

  it("maps several trees of the same structure together", () => {
    const out = map(
      (x: number, y: number, z: number) => x + y + z,
      { a: 1, b: [2] },
      { b: [20], a: 10 },
      { a: 100, b: [200] },
    );
    expect(out).toEqual({ a: 111, b: [222] });
  });

  it("reports structure mismatches naming both structures", () => {
    expect(() => map((x: number, y: number) => x + y, { a: 1 }, { a: 1, b: 2 })).toThrow(
      "tree.map: structure mismatch: {a: *} vs {a: *, b: *}",
    );
    expect(() => map((x: number) => x, [1, 2], [1, [2]])).toThrow("tree.map: structure mismatch: [*, *] vs [*, [*]]");
    expect(() => map((x: number) => x, [1], [1], null)).toThrow(/\[\*\] vs null \(tree argument 3/);
  });

  it("mapWith applies isLeaf to every tree", () => {
    const out = mapWith(
      { isLeaf: (x) => x === null },
      (x: number | null, y: number | null) => (x ?? 0) + (y ?? 0),
      [1, null],
      [null, 2],
    );
    expect(out).toEqual([1, 2]);
    expect(mapWith({ isLeaf: Array.isArray }, (x: unknown[]) => x.length, { a: [1, 2, 3], b: { c: [] } })).toEqual({
      a: 3,
      b: { c: 0 },
    });
  });

  it("mapWithPath passes paths", () => {
    const out = mapWithPath((p: string, x: number) => `${p}=${x}`, { b: { c: 1 }, a: [2, [3]], "k-2": 4 });
    expect(out).toEqual({ a: [".a[0]=2", [".a[1][0]=3"]], b: { c: ".b.c=1" }, "k-2": '["k-2"]=4' });
    expect(mapWithPath((p: string, x: number, y: number) => `${p}:${x + y}`, [1], [2])).toEqual(["[0]:3"]);
    expect(() => mapWithPath((p: string) => p, [1], [1, 2])).toThrow(
      "tree.mapWithPath: structure mismatch: [*] vs [*, *]",
    );
  });

  it("reduce folds leaves in flatten order", () => {
    expect(reduce((acc: number, x: number) => acc + x, { a: 1, b: [2, 3] }, 0)).toBe(6);
    expect(reduce((acc: string[], x: string) => [...acc, x], { b: "b", a: "a" }, [] as string[])).toEqual(["a", "b"]);
    expect(reduce((acc: number) => acc + 1, { a: null, b: [null] }, 0, { isLeaf: (x) => x === null })).toBe(2);
  });

  it("all checks truthiness or a predicate", () => {
    expect(all({ a: true, b: [1, "x"] })).toBe(true);
    expect(all({ a: true, b: [0] })).toBe(false);
    expect(all([])).toBe(true);
    expect(all([1, 2, 3], (x: number) => x > 0)).toBe(true);
    expect(all([1, 2, 3], (x: number) => x > 1)).toBe(false);
  });

  it("has useful static types", () => {
    const t = { a: 1, b: [2, 3] };
    expectTypeOf(map((x: number) => x + 1, t)).toEqualTypeOf<{ a: number; b: number[] }>();
    expectTypeOf(tree.map((x: number) => x + 1, t)).toEqualTypeOf<{ a: number; b: number[] }>();
    expectTypeOf(map((x: number) => String(x), t)).toEqualTypeOf<unknown>();
    expectTypeOf(reduce((acc: number, x: number) => acc + x, t, 0)).toEqualTypeOf<number>();
    expectTypeOf(structure(t).numLeaves).toEqualTypeOf<number>();
  });
});
