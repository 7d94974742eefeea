import { describe, it, expect } from "vitest";
import { flatten, flattenWithPath, leaves, structure, unflatten, PyTreeDef, tree } from "../../src/tree/index.js";

class Arr {
  constructor(readonly v: number) {}
}

describe("flatten / unflatten", () => {
  it("round-trips nested objects and arrays", () => {
    const t = { b: [1, { c: 2, a: 3 }], a: 4, d: [] as number[], e: {} };
    const [ls, def] = flatten(t);
    expect(ls).toEqual([4, 1, 3, 2]);
    expect(unflatten(def, ls)).toEqual(t);
    expect(def.numLeaves).toBe(4);
  });

  it("flattens object keys in sorted order", () => {
    expect(leaves({ b: 1, a: 2, c: 3 })).toEqual([2, 1, 3]);
    expect(structure({ b: 0, a: 0 }).equals(structure({ a: 0, b: 0 }))).toBe(true);
    expect(structure({ b: 0, a: 0 }).key).toBe(structure({ a: 0, b: 0 }).key);
    expect(structure({ b: 0, a: 0 }).toString()).toBe("{a: *, b: *}");
  });

  it("treats numbers, booleans, strings, class instances, functions, typed arrays and Maps as leaves", () => {
    const a = new Arr(1);
    const fn = (): number => 1;
    const ta = new Float32Array(2);
    const m = new Map<string, number>();
    const t = [1, true, "s", a, fn, ta, m, 10n, new Date(0)];
    const [ls, def] = flatten(t);
    expect(ls).toHaveLength(9);
    expect(ls[3]).toBe(a);
    expect(ls[4]).toBe(fn);
    expect(ls[5]).toBe(ta);
    expect(def.toString()).toBe("[*, *, *, *, *, *, *, *, *]");
  });

  it("a bare leaf is its own tree", () => {
    const [ls, def] = flatten(5);
    expect(ls).toEqual([5]);
    expect(def.kind).toBe("leaf");
    expect(def.equals(PyTreeDef.leaf)).toBe(true);
    expect(unflatten(def, [7])).toBe(7);
  });

  it("null and undefined are empty containers with no leaves and stay distinct", () => {
    expect(leaves(null)).toEqual([]);
    expect(leaves(undefined)).toEqual([]);
    const t = { a: null, b: undefined, c: [null, 1, undefined] };
    const [ls, def] = flatten(t);
    expect(ls).toEqual([1]);
    expect(def.toString()).toBe("{a: null, b: undefined, c: [null, *, undefined]}");
    const back = unflatten<typeof t>(def, [2]);
    expect(back.a).toBeNull();
    expect("b" in back && back.b === undefined).toBe(true);
    expect(back.c).toEqual([null, 2, undefined]);
    expect(structure(null).equals(structure(undefined))).toBe(false);
    expect(structure(null).equals(structure([]))).toBe(false);
  });

  it("arrays and objects with the same leaves are different structures", () => {
    expect(structure([1, 2]).equals(structure({ 0: 1, 1: 2 }))).toBe(false);
    expect(structure([1, [2]]).equals(structure([[1], 2]))).toBe(false);
    expect(structure({ a: 1 }).equals(structure({ b: 1 }))).toBe(false);
    expect(structure([1]).key).not.toBe(structure([[1]]).key);
  });

  it("null-prototype objects are containers with the same structure as plain ones", () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.y = 1;
    o.x = 2;
    expect(leaves(o)).toEqual([2, 1]);
    const back = unflatten<Record<string, unknown>>(structure(o), [5, 6]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual({ x: 5, y: 6 });
    expect(structure(o).equals(structure({ x: 0, y: 0 }))).toBe(true);
  });

  it("uses own enumerable string keys only", () => {
    const o: Record<string | symbol, unknown> = { a: 1 };
    Object.defineProperty(o, "hidden", { value: 2, enumerable: false });
    o[Symbol("s")] = 3;
    const inherited = Object.create({ inherited: 4 }) as object;
    expect(leaves(o)).toEqual([1]);
    expect(leaves(inherited)).toEqual([inherited]); // not a plain object -> leaf
  });

  it("unflatten checks the leaf count and names the structure", () => {
    const def = structure({ a: 1, b: [2, 3] });
    expect(() => unflatten(def, [1, 2])).toThrow(
      "tree.unflatten: structure {a: *, b: [*, *]} has 3 leaves, but 2 were given",
    );
    expect(() => unflatten(def, [1, 2, 3, 4])).toThrow(/has 3 leaves, but 4 were given/);
  });

  it("isLeaf stops descent, including for null", () => {
    const t = { a: [1, 2], b: null, c: { d: 3 } };
    expect(flatten(t, { isLeaf: Array.isArray })[0]).toEqual([[1, 2], 3]);
    const [ls, def] = flatten(t, { isLeaf: (x) => x === null });
    expect(ls).toEqual([1, 2, null, 3]);
    expect(def.toString()).toBe("{a: [*, *], b: *, c: {d: *}}");
    expect(flatten(t, { isLeaf: () => true })[0]).toEqual([t]);
  });

  it("rejects cycles", () => {
    const a: unknown[] = [1];
    a.push(a);
    expect(() => flatten(a)).toThrow(/cycle/);
    const shared = [1];
    expect(leaves({ x: shared, y: shared })).toEqual([1, 1]); // sharing is fine
  });

  it("holes in sparse arrays flatten as undefined", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is being tested
    const s = [1, , 2];
    expect(structure(s).toString()).toBe("[*, undefined, *]");
  });

  it("does not mutate the inputs", () => {
    const inner = { z: 1, y: [2, 3] };
    const t = { b: inner, a: [4, { q: 5 }] };
    const snapshot = JSON.stringify(t);
    const keysBefore = Object.keys(t);
    const [ls, def] = flatten(t);
    const back = unflatten<typeof t>(def, ls);
    expect(JSON.stringify(t)).toBe(snapshot);
    expect(Object.keys(t)).toEqual(keysBefore);
    expect(back).not.toBe(t);
    expect(back.b).not.toBe(inner);
    const given = [10, 20, 30, 40, 50];
    unflatten(def, given);
    expect(given).toEqual([10, 20, 30, 40, 50]);
  });

  it("flattenWithPath reports paths", () => {
    const [pl, def] = flattenWithPath({ b: { "x y": 1, "0": 2 }, a: [3, [4]] });
    expect(pl).toEqual([
      [".a[0]", 3],
      [".a[1][0]", 4],
      ['.b["0"]', 2],
      ['.b["x y"]', 1],
    ]);
    expect(def.numLeaves).toBe(4);
    expect(flattenWithPath(7)[0]).toEqual([["", 7]]);
  });
});

describe("PyTreeDef", () => {
  it("is immutable", () => {
    const def = structure({ a: [1, 2] });
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.children)).toBe(true);
    expect(() => {
      (def as unknown as { numLeaves: number }).numLeaves = 9;
    }).toThrow();
  });

  it("prints readably", () => {
    expect(structure({ a: 1, b: [1, 2] }).toString()).toBe("{a: *, b: [*, *]}");
    expect(structure({ "a b": 1, _x: [] }).toString()).toBe('{_x: [], "a b": *}');
    expect(structure([]).toString()).toBe("[]");
    expect(structure({}).toString()).toBe("{}");
    expect(String(structure([1, { c: null }]))).toBe("[*, {c: null}]");
  });

  it("has keys usable as Map cache keys (equal structures <=> equal keys)", () => {
    const cache = new Map<string, string>();
    cache.set(structure({ a: 1, b: [2] }).key, "hit");
    expect(cache.get(structure({ b: [new Arr(0)], a: "x" }).key)).toBe("hit");
    expect(cache.get(structure({ a: 1, b: [2, 3] }).key)).toBeUndefined();
    // keys containing structural characters do not collide
    expect(structure({ 'a":*,"b': 1 }).key).not.toBe(structure({ a: 1, b: 2 }).key);
  });

  it("counts nodes and leaves", () => {
    const def = structure({ a: [1, 2], b: null });
    expect(def.numLeaves).toBe(2);
    expect(def.numNodes).toBe(5);
    expect(def.kind).toBe("object");
    expect(def.keys).toEqual(["a", "b"]);
    expect(def.children.map((c) => c.kind)).toEqual(["array", "null"]);
  });

  it("the tree namespace exposes the API", () => {
    expect(tree.leaves({ b: 1, a: 2 })).toEqual([2, 1]);
    expect(typeof tree.map).toBe("function");
    expect(typeof tree.broadcastPrefix).toBe("function");
    expect(tree.PyTreeDef).toBe(PyTreeDef);
  });
});
