import { describe, it, expect } from "vitest";
import { np, jit, linearize, cond, type Array } from "../../src/index.js";

describe("cache and CSE keys keep distinct values distinct", () => {
  it("CSE does not merge pads with -Infinity, Infinity and NaN values", () => {
    const f = (x: Array) => [
      np.pad(x, 1, { constantValues: -Infinity }),
      np.pad(x, 1, { constantValues: Infinity }),
      np.pad(x, 1, { constantValues: NaN }),
    ];
    const eager = f(np.array([1, 2])).map((a) => a.tolist());
    const staged = (jit(f)(np.array([1, 2])) as Array[]).map((a) => a.tolist());
    expect(staged).toEqual(eager);
    expect(staged[1]).toEqual([Infinity, 1, 2, Infinity]);
  });
  it("CSE does not merge the literals 0 and -0", () => {
    const f = (x: Array) => [np.divide(1, x.mul(-0)), np.divide(1, x.mul(0))];
    const [a, b] = jit(f)(np.array([1])) as Array[];
    expect([a!.item(), b!.item()]).toEqual([-Infinity, Infinity]);
  });
  it("jit's static-argument keys tell strings, lists, 0 and -0 apart", () => {
    const f = jit((x: Array, s: string[]) => x.add(s.length), { staticArgnums: [1] });
    expect(f(np.array(0), ["a", "b"]).item()).toBe(2);
    expect(f(np.array(0), ["a,string:b"]).item()).toBe(1);
    const h = jit((x: Array, z: number) => x.div(z), { staticArgnums: [1] });
    expect(h(np.array(1), 0).item()).toBe(Infinity);
    expect(h(np.array(1), -0).item()).toBe(-Infinity);
  });
});

describe("linearize checks its tangents", () => {
  it("rejects a wrong shape or dtype, converts JS-number tangents", () => {
    const [, fJvp] = linearize((x: Array) => x.sum(), np.array([1, 2, 3]));
    expect(() => fJvp(np.array([1]))).toThrow(
      /linearize: tangent leaf 0 has shape \[1\] but its primal has shape \[3\]/,
    );
    const [, g] = linearize((x: Array) => x.mul(2), np.array(1, { dtype: "float64" }));
    expect(() => g(np.array(1))).toThrow(/tangent leaf 0 has dtype float32 but its primal has dtype float64/);
    expect(g(3 as unknown as Array).item()).toBe(6);
  });
});

describe("control-flow equations do not pin memory in global caches", () => {
  it("a cond traced anew each call stays correct (its cached Programs are held weakly)", () => {
    for (let i = 0; i < 3; i++) {
      const big = np.full([1000], i);
      const out = cond(
        np.array(true),
        (v: Array) => v.add(big.sum()),
        (v: Array) => v,
        np.array(1),
      );
      expect(out.item()).toBe(1 + 1000 * i);
    }
  });
});
