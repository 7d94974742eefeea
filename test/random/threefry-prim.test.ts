/**
 * The `threefry2x32` primitive: the Random123 known-answer vectors (as in JAX's
 * test_threefry_2x32) eagerly, under jit and under vmap; shape checks; a zero tangent under jvp;
 * and empty shapes.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, makeJaxpr, np, random, vmap, type Array } from "../../src/index.js";
import { Zero, bind1 } from "../../src/core/trace.js";
import { rulesFor } from "../../src/core/rules.js";
import { KAT } from "./threefry-kat.js";

const u32 = (v: readonly number[] | number[][], shape?: number[]) => {
  const a = np.array(v as number[], { dtype: "uint32" });
  return shape ? a.reshape(shape) : a;
};
const tf = (k0: Array, k1: Array, x0: Array, x1: Array): Array => bind1("threefry2x32", [k0, k1, x0, x1], {});

const col = (j: number, which: 0 | 1) => KAT.map((c) => c[j]![which]!);
/** Operands of shape [3] holding the three cases, and the expected [3, 2] output. */
const ops = (): [Array, Array, Array, Array] => [u32(col(0, 0)), u32(col(0, 1)), u32(col(1, 0)), u32(col(1, 1))];
const expected = KAT.map((c) => c[2]);

describe("threefry2x32 primitive: known-answer vectors", () => {
  for (const [key, count, want] of KAT) {
    it(`scalar operands: key ${key.map((v) => v.toString(16))}, count ${count.map((v) => v.toString(16))}`, () => {
      const s = (v: number) => np.array(v, { dtype: "uint32" });
      const y = tf(s(key[0]!), s(key[1]!), s(count[0]!), s(count[1]!));
      expect(y.shape).toEqual([2]);
      expect(y.dtype).toBe("uint32");
      expect(y.tolist()).toEqual(want);
    });
  }

  it("elementwise over a vector, output words interleaved in a last axis", () => {
    const y = tf(...ops());
    expect(y.shape).toEqual([3, 2]);
    expect(y.tolist()).toEqual(expected);
  });

  it("elementwise over a rank-2 shape", () => {
    const [k0, k1, x0, x1] = ops().map((a) => np.stack([a, a]).transpose());
    const y = tf(k0!, k1!, x0!, x1!);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(y.tolist()).toEqual(expected.map((w) => [w, w]));
  });

  it("under jit", () => {
    const f = jit(tf);
    expect(f(...ops()).tolist()).toEqual(expected);
    expect(f(...ops()).tolist()).toEqual(expected); // cached
  });

  it("stages as one equation, and random.bits uses it", () => {
    const p = makeJaxpr(tf)(...ops());
    expect(p.eqns.map((e) => e.prim)).toEqual(["threefry2x32"]);
    expect(String(p)).toContain("u32[3,2] = threefry2x32");
    const prims = makeJaxpr((k: Array) => random.bits(k, [5]))(random.key(0)).eqns.map((e) => e.prim);
    expect(prims.filter((p) => p === "threefry2x32")).toHaveLength(1);
    expect(prims).not.toContain("shift_left");
  });
});

describe("threefry2x32 primitive under vmap", () => {
  it("all operands batched on axis 0", () => {
    expect(vmap(tf)(...ops()).tolist()).toEqual(expected);
  });

  it("batched on a non-leading axis (inAxes 1) moves the batch to the front", () => {
    // Each operand [2, 3]: two identical rows; mapping over axis 1 gives [3, 2, 2].
    const two = ops().map((a) => np.stack([a, a]));
    const y = vmap(tf, { inAxes: 1 })(two[0]!, two[1]!, two[2]!, two[3]!);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(y.tolist()).toEqual(expected.map((w) => [w, w]));
  });

  it("mixed batched and unbatched operands (keys shared, counters batched)", () => {
    const [k0, k1, x0, x1] = ops();
    const key0 = u32([KAT[0]![0][0]!, KAT[0]![0][0]!, KAT[0]![0][0]!]);
    const key1 = u32([KAT[0]![0][1]!, KAT[0]![0][1]!, KAT[0]![0][1]!]);
    const viaBroadcast = tf(key0, key1, x0, x1);
    const shared = (c0: Array, c1: Array) =>
      tf(np.array(KAT[0]![0][0]!, { dtype: "uint32" }), np.array(KAT[0]![0][1]!, { dtype: "uint32" }), c0, c1);
    expect(vmap(shared)(x0, x1).tolist()).toEqual(viaBroadcast.tolist());
    expect((viaBroadcast.tolist() as number[][])[0]).toEqual(KAT[0]![2]);
    // Batched keys, unbatched counters: inAxes null for the counters.
    const sharedCount = vmap((a: Array, b: Array, c: Array, d: Array) => tf(a, b, c, d), {
      inAxes: [0, 0, null, null],
    });
    const c = np.array(0, { dtype: "uint32" });
    expect(sharedCount(k0, k1, c, c).tolist()).toEqual(tf(k0, k1, u32([0, 0, 0]), u32([0, 0, 0])).tolist());
  });

  it("vmap of jit and jit of vmap agree with the direct result", () => {
    expect(vmap(jit(tf))(...ops()).tolist()).toEqual(expected);
    expect(jit(vmap(tf))(...ops()).tolist()).toEqual(expected);
  });

  it("nested vmap", () => {
    const two = ops().map((a) => np.stack([a, a]));
    const y = vmap(vmap(tf))(two[0]!, two[1]!, two[2]!, two[3]!);
    expect(y.tolist()).toEqual([expected, expected]);
  });
});

describe("threefry2x32 primitive: checks and differentiation", () => {
  it("rejects non-uint32 operands and mismatched shapes with clear errors", () => {
    const [k0, k1, x0, _x1] = ops();
    expect(() => tf(k0, k1, x0, np.array([1, 2, 3], { dtype: "int32" }))).toThrow(
      /threefry2x32: x1 must be uint32, got i32\[3\]/,
    );
    expect(() => tf(k0, k1, x0, u32([1, 2]))).toThrow(/threefry2x32: operands must share one shape.*x1\[2\]/);
    expect(() => bind1("threefry2x32", [k0, k1, x0], {})).toThrow(/expected 4 operands/);
  });

  it("its jvp rule returns the primal output and a symbolic zero tangent (integer output)", () => {
    const args = ops();
    const [outs, touts] = rulesFor("threefry2x32").jvp!(
      args,
      args.map((a) => new Zero(a.aval)),
      {},
    );
    expect(outs[0]!.tolist()).toEqual(expected);
    expect(touts[0]).toBeInstanceOf(Zero);
    expect(String(touts[0]!.aval)).toBe("u32[3,2]");
  });

  it("differentiating through it gives no derivative contribution", () => {
    // The counters depend on x through a convert; the float result's derivative is that of x alone.
    const f = (x: Array) => {
      const c = x.astype("uint32");
      const y = tf(c, c, c, c);
      return x.mul(2).add(y.astype("float32").sum().mul(0).add(1));
    };
    const [y, t] = jvp(f, [np.array([1, 2, 3])], [np.array([1, 1, 1])]);
    expect(y.shape).toEqual([3]);
    expect(t.tolist()).toEqual([2, 2, 2]);
    expect(grad((x: Array) => f(x).sum())(np.array([1, 2, 3])).tolist()).toEqual([2, 2, 2]);
  });
});

describe("threefry2x32 primitive with empty shapes", () => {
  const z = (shape: number[]) => np.zeros(shape, { dtype: "uint32" });

  it("size-0 operands give a size-0 [..., 2] output, eagerly, under jit and vmap", () => {
    const e = tf(z([0]), z([0]), z([0]), z([0]));
    expect(e.shape).toEqual([0, 2]);
    expect(e.dtype).toBe("uint32");
    expect(jit(tf)(z([2, 0]), z([2, 0]), z([2, 0]), z([2, 0])).shape).toEqual([2, 0, 2]);
    expect(vmap(tf)(z([3, 0]), z([3, 0]), z([3, 0]), z([3, 0])).shape).toEqual([3, 0, 2]);
    expect(vmap(tf)(z([0, 4]), z([0, 4]), z([0, 4]), z([0, 4])).shape).toEqual([0, 4, 2]);
  });

  it("composes with other ops on a size-0 shape", () => {
    const f = (x: Array) => {
      const y = tf(x, x, x, x); // [0, 2]
      return np
        .concatenate([y.reshape([0]), u32([7])])
        .astype("float32")
        .sum();
    };
    expect(f(z([0])).item()).toBe(7);
    expect(jit(f)(z([0])).item()).toBe(7);
    expect(random.bits(random.key(0), [0, 3]).shape).toEqual([0, 3]);
    expect(random.split(random.key(0), 0).shape).toEqual([0, 2]);
  });
});
