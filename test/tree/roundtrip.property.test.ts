import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { flatten, registerPytreeNode, structure, unflatten } from "../../src/tree/index.js";

class Node2 {
  constructor(
    readonly tag: string,
    readonly kids: readonly unknown[],
  ) {}
}
registerPytreeNode(Node2, {
  flatten: (n) => [n.kids, { tag: n.tag }],
  unflatten: (aux, kids) => new Node2(aux.tag, kids),
});

class Opaque {
  constructor(readonly v: number) {}
}

const leaf = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.string(),
  fc.integer().map((v) => new Opaque(v)),
);
const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "0", "a.b"),
);

const { tree: arbTree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 4 }),
    fc.tuple(fc.string({ maxLength: 3 }), fc.array(tie("tree"), { maxLength: 3 })).map(([t, k]) => new Node2(t, k)),
  ),
}));

/** Deep comparison that treats null-prototype input objects as plain and checks every key is an own data property. */
function sameTree(input: unknown, output: unknown): boolean {
  if (Object.is(input, output)) return true;
  if (input instanceof Node2)
    return (
      output instanceof Node2 &&
      output.tag === input.tag &&
      output.kids.length === input.kids.length &&
      input.kids.every((k, i) => sameTree(k, output.kids[i]))
    );
  if (Array.isArray(input))
    return Array.isArray(output) && output.length === input.length && input.every((x, i) => sameTree(x, output[i]));
  if (typeof input === "object" && input !== null && typeof output === "object" && output !== null) {
    if (Object.getPrototypeOf(output) !== Object.prototype) return false;
    const ki = Object.keys(input).sort();
    const ko = Object.keys(output).sort();
    return (
      ki.length === ko.length &&
      ki.every(
        (k, i) =>
          k === ko[i] &&
          Object.hasOwn(output, k) &&
          sameTree(Object.getOwnPropertyDescriptor(input, k)?.value, Object.getOwnPropertyDescriptor(output, k)?.value),
      )
    );
  }
  return false;
}

describe("flatten/unflatten round trip (property)", () => {
  it("unflatten(flatten(t)) reproduces t and its structure", () => {
    const proto = Object.prototype as Record<string, unknown>;
    const before = Object.getOwnPropertyNames(proto).length;
    fc.assert(
      fc.property(arbTree, (t) => {
        const [ls, def] = flatten(t);
        expect(ls).toHaveLength(def.numLeaves);
        const back = unflatten(def, ls);
        expect(sameTree(t, back)).toBe(true);
        expect(structure(back).equals(def)).toBe(true);
        expect(structure(back).key).toBe(def.key);
        const [ls2] = flatten(back);
        expect(ls2.length).toBe(ls.length);
        ls2.forEach((l, i) => expect(Object.is(l, ls[i])).toBe(true));
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(Object.getOwnPropertyNames(proto).length).toBe(before);
  });
});
