import { describe, it, expect } from "vitest";
import {
  flatten,
  isRegisteredPytreeNode,
  leaves,
  map,
  registerPytreeNode,
  structure,
  unflatten,
} from "../../src/tree/index.js";

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
    readonly unit: string = "m",
  ) {}
}
registerPytreeNode(Point, {
  flatten: (p) => [[p.x, p.y], { unit: p.unit }],
  unflatten: (aux, [x, y]) => new Point(x, y, aux.unit),
});

class Box {
  constructor(readonly items: readonly unknown[]) {}
}
registerPytreeNode(Box, {
  name: "Box",
  flatten: (b) => [b.items, null],
  unflatten: (_aux, children) => new Box(children),
});

class SubPoint extends Point {}

describe("registerPytreeNode", () => {
  it("flattens registered classes into their children", () => {
    const t = { p: new Point(1, [2, 3]), q: 4 };
    const [ls, def] = flatten(t);
    expect(ls).toEqual([1, 2, 3, 4]);
    expect(def.toString()).toBe('{p: Point[{unit: "m"}](*, [*, *]), q: *}');
    const back = unflatten<typeof t>(def, [10, 20, 30, 40]);
    expect(back.p).toBeInstanceOf(Point);
    expect(back.p.x).toBe(10);
    expect(back.p.y).toEqual([20, 30]);
    expect(back.p.unit).toBe("m");
    expect(back.q).toBe(40);
    expect(isRegisteredPytreeNode(Point)).toBe(true);
    expect(isRegisteredPytreeNode(SubPoint)).toBe(false);
  });

  it("compares aux data structurally", () => {
    expect(structure(new Point(1, 2, "m")).equals(structure(new Point(5, 6, "m")))).toBe(true);
    expect(structure(new Point(1, 2, "m")).key).toBe(structure(new Point(5, 6, "m")).key);
    expect(structure(new Point(1, 2, "m")).equals(structure(new Point(1, 2, "cm")))).toBe(false);
  });

  it("aux equality: nested plain data, NaN, key order; identity for class instances", () => {
    class Meta {
      constructor(readonly aux: unknown) {}
    }
    registerPytreeNode(Meta, { flatten: (m) => [[], m.aux], unflatten: (aux) => new Meta(aux) });
    const s = (aux: unknown) => structure(new Meta(aux));
    expect(s({ a: [1, NaN], b: { c: "x" } }).equals(s({ b: { c: "x" }, a: [1, NaN] }))).toBe(true);
    expect(s([1, 2]).equals(s([1, 2, 3]))).toBe(false);
    expect(s(null).equals(s(undefined))).toBe(false);
    expect(s("1").equals(s(1))).toBe(false);
    const inst = new Date(0);
    expect(s(inst).equals(s(inst))).toBe(true);
    expect(s(inst).equals(s(new Date(0)))).toBe(false);
  });

  it("different classes with the same name are different structures", () => {
    const make = () => {
      class Twin {
        constructor(readonly v: unknown) {}
      }
      registerPytreeNode(Twin, { flatten: (t) => [[t.v], null], unflatten: (_a, [v]) => new Twin(v) });
      return Twin;
    };
    const A = make();
    const B = make();
    expect(structure(new A(1)).toString()).toBe(structure(new B(1)).toString());
    expect(structure(new A(1)).equals(structure(new B(1)))).toBe(false);
  });

  it("subclasses are not covered (they are leaves)", () => {
    const sp = new SubPoint(1, 2);
    expect(leaves(sp)).toEqual([sp]);
  });

  it("map rebuilds instances", () => {
    const b = new Box([1, new Point(2, 3)]);
    const out = map((x: number) => x * 10, b);
    expect(out).toBeInstanceOf(Box);
    expect(out.items[0]).toBe(10);
    expect(out.items[1]).toBeInstanceOf(Point);
    expect((out.items[1] as Point).y).toBe(30);
    expect(structure(b).toString()).toBe('Box(*, Point[{unit: "m"}](*, *))');
    // input untouched
    expect(b.items[0]).toBe(1);
  });

  it("rejects double registration, built-ins and bad flatten results", () => {
    expect(() =>
      registerPytreeNode(Point, { flatten: (p) => [[p.x], null], unflatten: () => new Point(0, 0) }),
    ).toThrow(/already registered/);
    expect(() => registerPytreeNode(Object, { flatten: () => [[], null], unflatten: () => ({}) })).toThrow(/built-in/);
    class Bad {}
    registerPytreeNode(Bad, {
      flatten: () => 3 as unknown as [unknown[], unknown],
      unflatten: () => new Bad(),
    });
    expect(() => flatten(new Bad())).toThrow(/Bad: pytree flatten must return/);
  });
});
