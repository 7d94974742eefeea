/**
 * Clear errors when creating arrays: each message names the operation, what it got and what to do.
 * Covers sparse lists, DataView / BigInt / Uint8Array inputs, np.asArray of typed arrays, and the
 * allocation limit (config.maxAllocationBytes) for shapes that come from the user.
 */
import { afterEach, describe, expect, it } from "vitest";
import { config, jit, np } from "../../src/index.js";

/** A list of `length` with holes everywhere but at the given positions (sparse, without a sparse literal). */
const holey = (length: number, values: Record<number, number>): number[] =>
  Object.assign(new Array<number>(length), values);

const DEFAULT_LIMIT = config.maxAllocationBytes;
afterEach(() => config.update({ maxAllocationBytes: DEFAULT_LIMIT }));

describe("np.array input errors", () => {
  it("a sparse list (holes) names the element and says to fill it", () => {
    expect(() => np.array(holey(3, { 0: 1, 2: 3 }))).toThrow(
      "array: element [1] of [1, <hole>, 3] is a hole (sparse arrays are not allowed); fill it, e.g. Array.from(list, (v) => v ?? 0)",
    );
    expect(() => np.array([[1, 2], holey(2, { 0: 3 })])).toThrow(
      /array: element \[1\]\[1\] of \[3, <hole>\] is a hole/,
    );
    expect(() => np.array(holey(2, { 1: 1 }))).toThrow(/element \[0\] of \[<hole>, 1\] is a hole/);
  });

  it("a DataView says to pass a typed array over its bytes", () => {
    expect(() => np.array(new DataView(new ArrayBuffer(8)) as never)).toThrow(
      /^array: got a DataView, which has no element type; pass a typed array over its bytes instead, e\.g\. new Float32Array\(view\.buffer/,
    );
  });

  it("BigInt64Array / BigUint64Array say graft has no 64-bit integers and how to convert", () => {
    expect(() => np.array(new BigInt64Array(2) as never)).toThrow(
      /^array: got a BigInt64Array, but graft has no 64-bit integer dtypes; convert it first, e\.g\. Float64Array\.from\(x, Number\)/,
    );
    expect(() => np.array(new BigUint64Array(2) as never)).toThrow(/^array: got a BigUint64Array/);
  });

  it("a Uint8Array without dtype is an error naming the fix (graft has no uint8); with a dtype it converts", () => {
    expect(() => np.array(new Uint8Array([1, 2]))).toThrow(
      /^array: got a Uint8Array, but graft has no uint8 dtype; convert it first \(e\.g\. Int32Array\.from\(x\)\), or pass \{ dtype \} explicitly \(\{ dtype: "bool" \} reads it as booleans: nonzero is true\)/,
    );
    expect(() => np.array(new Int16Array([1, 2]) as never)).toThrow(
      /^array: got a Int16Array, but graft has no int16 dtype/,
    );
    const i = np.array(new Uint8Array([1, 200]), { dtype: "int32" });
    expect(i.dtype).toBe("int32");
    expect(i.tolist()).toEqual([1, 200]);
    expect(np.array(Int32Array.from(new Uint8Array([3, 4]))).tolist()).toEqual([3, 4]);
  });

  it("a shape that does not match the data names both sizes", () => {
    expect(() => np.array(new Float32Array(3), { shape: [2, 2] })).toThrow(
      "array: shape [2, 2] has 4 elements but the Float32Array has 3; pass a shape with that many elements",
    );
    expect(() => np.array([1, 2, 3], { shape: [2, 2] })).toThrow(
      "array: shape [2, 2] has 4 elements but the data has 3; pass a shape with that many elements",
    );
  });

  it("np.asArray of a typed array or list names asArray and says to use np.array", () => {
    expect(() => np.asArray(new Float32Array(2) as never)).toThrow(
      "asArray: expected a graft array, a number or a boolean, got a Float32Array; convert it first with np.array(data)",
    );
    expect(() => np.asArray(new Uint8Array(2) as never)).toThrow(
      /^asArray: .*got a Uint8Array; convert it first with np\.array/,
    );
    expect(() => np.asArray([1, 2] as never)).toThrow(/^asArray: .*got a JS array; convert it first with np\.array/);
    expect(() => np.asArray(undefined as never)).toThrow(/^asArray: .*got undefined$/);
  });
});

describe("allocation limit (config.maxAllocationBytes)", () => {
  const limitMessage = (op: string, shape: string, bytes: number) =>
    new RegExp(
      `^${op}: an array of shape \\[${shape}\\] and dtype \\w+ needs ${bytes} bytes \\(.*\\), more than the allocation limit of 4294967296 bytes \\(4\\.29 GB\\); if you mean it, raise the limit with config\\.update\\(\\{ maxAllocationBytes \\}\\)$`,
    );

  it("np.zeros([2 ** 31]) is a RangeError, not an 8.6 GB allocation", () => {
    let err: unknown;
    try {
      np.zeros([2 ** 31]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(limitMessage("zeros", "2147483648", 2 ** 33));
  });

  it("allocations of 1e10+ elements name the op instead of V8's 'Invalid typed array length'", () => {
    expect(() => np.ones([1e5, 1e5])).toThrow(limitMessage("ones", "100000, 100000", 4e10));
    expect(() => np.full([1e10], 1, { dtype: "int32" })).toThrow(limitMessage("full", "10000000000", 4e10));
    expect(() => np.arange(1e10)).toThrow(limitMessage("arange", "10000000000", 4e10));
    expect(() => np.linspace(0, 1, 1e10)).toThrow(limitMessage("linspace", "10000000000", 4e10));
    expect(() => np.eye(1e5)).toThrow(limitMessage("eye", "100000, 100000", 4e10));
    expect(() => np.iota([1e10], 0)).toThrow(limitMessage("iota", "10000000000", 4e10));
    // Results of operations are checked too (here the broadcast of a small array).
    expect(() => np.broadcastTo(np.ones([1]), [1e5, 1e5])).toThrow(
      limitMessage("broadcast_in_dim", "100000, 100000", 4e10),
    );
    expect(() => np.zeros([0, 1e12]).shape).not.toThrow();
  });

  it("the limit is configurable, and applies inside jit", () => {
    config.update({ maxAllocationBytes: 1024 });
    expect(() => np.zeros([300])).toThrow(/^zeros: .*needs 1200 bytes.*limit of 1024 bytes/);
    expect(np.zeros([256]).size).toBe(256);
    expect(() => jit((x: np.Array) => np.broadcastTo(x, [300]))(np.ones([1]))).toThrow(
      /1200 bytes.*limit of 1024 bytes/,
    );
  });
});
