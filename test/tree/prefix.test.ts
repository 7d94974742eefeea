import { describe, it, expect } from "vitest";
import { broadcastPrefix, flattenUpTo, leaves, registerPytreeNode, structure } from "../../src/tree/index.js";

class Pair {
  constructor(
    readonly a: unknown,
    readonly b: unknown,
  ) {}
}
registerPytreeNode(Pair, { flatten: (p) => [[p.a, p.b], null], unflatten: (_x, [a, b]) => new Pair(a, b) });

const isNull = (x: unknown): boolean => x === null;

describe("flattenUpTo", () => {
  it("returns the subtrees under each prefix leaf", () => {
    const t = { a: [1, 2], b: { c: 3, d: [4] } };
    expect(flattenUpTo(structure({ a: 0, b: 0 }), t)).toEqual([[1, 2], { c: 3, d: [4] }]);
    expect(flattenUpTo(structure({ a: [0, 0], b: { c: 0, d: 0 } }), t)).toEqual([1, 2, 3, [4]]);
    expect(flattenUpTo(structure(0), t)).toEqual([t]);
    expect(flattenUpTo(structure(t), t)).toEqual(leaves(t));
  });

  it("matches registered nodes", () => {
    const t = new Pair([1, 2], 3);
    expect(flattenUpTo(structure(new Pair(0, 0)), t)).toEqual([[1, 2], 3]);
  });

  it("errors name both structures and the path", () => {
    expect(() => flattenUpTo(structure({ a: [0, 0] }), { a: [1, 2, 3] })).toThrow(
      "tree.flattenUpTo: prefix structure {a: [*, *]} does not match tree structure {a: [*, *, *]}: " +
        "at .a, expected an array of length 2, got an array of length 3",
    );
    expect(() => flattenUpTo(structure({ a: 0, b: 0 }), { a: 1 })).toThrow(
      /prefix structure \{a: \*, b: \*\} does not match tree structure \{a: \*\}: at the root, expected an object with keys \[a, b\], got an object with keys \[a\]/,
    );
    expect(() => flattenUpTo(structure([0, [0]]), [1, 2])).toThrow(
      /at \[1\], expected an array of length 1, got a leaf/,
    );
    expect(() => flattenUpTo(structure(new Pair(0, 0)), [1, 2])).toThrow(
      /expected a Pair node with 2 children, got an array/,
    );
  });
});

describe("broadcastPrefix", () => {
  it("broadcasts each prefix leaf over its subtree (vmap inAxes style)", () => {
    const args = [{ w: [1, 2], b: 3 }, 4, [5, 6]];
    expect(broadcastPrefix(0, args)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(broadcastPrefix([0, null, 1], args, isNull)).toEqual([0, 0, 0, null, 1, 1]);
    expect(broadcastPrefix([{ w: 0, b: null }, 0, [1, null]], args, isNull)).toEqual([null, 0, 0, 0, 1, null]);
  });

  it("null in a prefix is a leaf only when isLeaf says so", () => {
    const t = [1, [2, 3]];
    expect(broadcastPrefix([0, null], t, isNull)).toEqual([0, null, null]);
    // without isLeaf, null is an empty container and must match null in the tree
    expect(() => broadcastPrefix([0, null], t)).toThrow(
      "tree.broadcastPrefix: prefix structure [*, null] does not match tree structure [*, [*, *]]: at [1], expected null, got an array of length 2",
    );
    expect(broadcastPrefix([0, null], [1, null])).toEqual([0]);
  });

  it("prefix leaves over empty subtrees contribute nothing", () => {
    expect(broadcastPrefix([7, 8], [[], [1]])).toEqual([8]);
    expect(broadcastPrefix({ a: 1, b: 2 }, { a: null, b: { c: 3 } })).toEqual([2]);
  });

  it("passes tree options through", () => {
    expect(broadcastPrefix({ a: 1, b: 2 }, { a: [0, 0], b: null }, undefined, { isLeaf: isNull })).toEqual([1, 1, 2]);
  });

  it("errors on a prefix that is deeper than the tree", () => {
    expect(() => broadcastPrefix({ a: [0, 0] }, { a: 1 })).toThrow(
      "tree.broadcastPrefix: prefix structure {a: [*, *]} does not match tree structure {a: *}: at .a, expected an array of length 2, got a leaf",
    );
  });

  it("does not mutate its inputs", () => {
    const prefix = { a: 0, b: null };
    const t = { a: [1, 2], b: 3 };
    broadcastPrefix(prefix, t, isNull);
    expect(prefix).toEqual({ a: 0, b: null });
    expect(t).toEqual({ a: [1, 2], b: 3 });
  });
});
