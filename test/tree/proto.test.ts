import { describe, it, expect } from "vitest";
import { flatten, leaves, map, mapWithPath, structure, unflatten, broadcastPrefix } from "../../src/tree/index.js";

const dangerous = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf"];

function objWith(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  keys.forEach((k, i) =>
    Object.defineProperty(o, k, { value: values[i], enumerable: true, writable: true, configurable: true }),
  );
  return o;
}

describe("prototype-pollution keys", () => {
  it("round-trips __proto__ as an ordinary own data key (JSON.parse input)", () => {
    const t = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as Record<string, unknown>;
    expect(Object.hasOwn(t, "__proto__")).toBe(true);
    const [ls, def] = flatten(t);
    expect(ls).toEqual([1, 2]);
    expect(def.toString()).toBe("{__proto__: {polluted: *}, a: *}");
    const back = unflatten<Record<string, unknown>>(def, [10, 20]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: 10 });
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
  });

  it("handles constructor / prototype / builtin-method names as data keys", () => {
    const t = objWith(
      dangerous,
      dangerous.map((_, i) => i),
    );
    const [ls, def] = flatten(t);
    expect(ls).toHaveLength(dangerous.length);
    const back = unflatten<Record<string, unknown>>(def, ls);
    for (const k of dangerous) {
      expect(Object.getOwnPropertyDescriptor(back, k)?.value).toBe(Object.getOwnPropertyDescriptor(t, k)?.value);
    }
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(structure(back).equals(def)).toBe(true);
  });

  it("never modifies Object.prototype through map, mapWithPath or broadcastPrefix", () => {
    const t = JSON.parse('{"__proto__": {"x": 1}, "constructor": {"prototype": {"y": 2}}}') as unknown;
    const m = map((v: number) => v + 1, t) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(m, "__proto__")?.value).toEqual({ x: 2 });
    expect(Object.getOwnPropertyDescriptor(m, "constructor")?.value).toEqual({ prototype: { y: 3 } });
    const paths = leaves(mapWithPath((p: string) => p, t));
    expect(paths).toEqual([".__proto__.x", ".constructor.prototype.y"]);
    expect(broadcastPrefix(JSON.parse('{"__proto__": 0, "constructor": 1}'), t)).toEqual([0, 1]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect(Object.prototype.constructor).toBe(Object);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
  });

  it("a __proto__ data key in a null-prototype object round-trips", () => {
    const o = Object.create(null) as Record<string, unknown>;
    // biome-ignore lint/suspicious/noProto: the test is about a plain data property named __proto__
    o.__proto__ = 1; // plain data property on a null-prototype object
    expect(leaves(o)).toEqual([1]);
    const back = unflatten<Record<string, unknown>>(structure(o), [3]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toBe(3);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });
});
