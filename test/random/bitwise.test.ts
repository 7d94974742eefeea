/**
 * The bitwise primitives threefry needs: `xor`, `shift_left`, `shift_right_logical` (uint32 and
 * int32, XLA semantics: shift counts outside [0, 32) give 0), eagerly, under jit and under vmap.
 */
import { describe, expect, it } from "vitest";
import { jit, makeJaxpr, np, vmap, type Array } from "../../src/index.js";
import { bind1 } from "../../src/core/trace.js";

const u32 = (v: readonly number[]) => np.array(v, { dtype: "uint32" });
const i32 = (v: readonly number[]) => np.array(v, { dtype: "int32" });
const xor = (a: Array, b: Array): Array => bind1("xor", [a, b], {});
const shl = (a: Array, b: Array): Array => bind1("shift_left", [a, b], {});
const shr = (a: Array, b: Array): Array => bind1("shift_right_logical", [a, b], {});

describe("bitwise primitives", () => {
  it("xor on uint32, int32 and bool", () => {
    expect(xor(u32([0xffffffff, 0x12345678, 0]), u32([0x0f0f0f0f, 0x12345678, 7])).tolist()).toEqual([
      0xf0f0f0f0, 0, 7,
    ]);
    expect(xor(i32([-1, 5, -8]), i32([0, 3, -1])).tolist()).toEqual([-1, 6, 7]);
    expect(xor(np.array([true, true, false]), np.array([true, false, false])).tolist()).toEqual([false, true, false]);
  });

  it("shift_left wraps to 32 bits and gives 0 for counts >= 32", () => {
    expect(shl(u32([0xffffffff, 1, 3, 5, 5]), u32([4, 31, 0, 32, 100])).tolist()).toEqual([
      0xfffffff0, 0x80000000, 3, 0, 0,
    ]);
    expect(shl(i32([1, -1, 1, 1]), i32([31, 1, -1, 32])).tolist()).toEqual([-(2 ** 31), -2, 0, 0]);
  });

  it("shift_right_logical shifts in zeros (also for int32) and gives 0 for counts >= 32", () => {
    expect(shr(u32([0x80000000, 0xffffffff, 12, 12]), u32([31, 28, 0, 32])).tolist()).toEqual([1, 15, 12, 0]);
    expect(shr(i32([-1, -1, -8, 8]), i32([0, 1, 28, 40])).tolist()).toEqual([-1, 2 ** 31 - 1, 15, 0]);
  });

  it("rejects float operands and bool shifts", () => {
    expect(() => xor(np.array([1.5]), np.array([2]))).toThrow(/xor: expected integer operands/);
    expect(() => shl(np.array([true]), np.array([true]))).toThrow(/shift_left: expected integer operands/);
    expect(() => shr(u32([1]), i32([1]))).toThrow(/share shape and dtype/);
  });

  it("stage under jit and batch under vmap", () => {
    const rotl = (x: Array, r: Array) => bind1("or", [shl(x, r), shr(x, np.subtract(u32([32]), r))], {});
    const x = u32([0x80000001, 0x12345678]);
    const r = u32([1, 8]);
    const eager = rotl(x, r).tolist();
    expect(eager).toEqual([0x00000003, 0x34567812]);
    expect(jit(rotl)(x, r).tolist()).toEqual(eager);
    expect(makeJaxpr(rotl)(x, r).toString()).toMatch(/shift_left[\s\S]*shift_right_logical/);
    const xs = u32([1, 2, 3, 0xffffffff]).reshape(2, 2);
    expect(vmap((a: Array) => xor(a, u32([0xff, 0xff00])))(xs).tolist()).toEqual([
      [0xfe, 0xff02],
      [0xfc, 0xffff00ff],
    ]);
  });
});
