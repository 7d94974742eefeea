import { afterEach, describe, expect, it } from "vitest";
import { cpuBackend, devicePut, jit, np } from "../../src/index.js";
import {
  defaultBackend,
  getBackend,
  registerBackend,
  setDefaultBackend,
  type Backend,
} from "../../src/core/backend.js";
import type { TypedArray } from "../../src/core/dtype.js";
import { isConcrete } from "../../src/core/concrete.js";

const backendOf = (x: unknown): string => (isConcrete(x) ? x.backend : "not concrete");
import { makeJaxpr } from "../../transforms/make-jaxpr.js";

// A second backend with the CPU's kernels but its own identity, so arrays on it are "elsewhere".
let otherEagerCalls = 0;
const other: Backend<TypedArray> = {
  ...cpuBackend,
  name: "other-test",
  adopt: undefined,
  executePrimitive(prim, params, inputs, inInfo, out) {
    otherEagerCalls++;
    return cpuBackend.executePrimitive(prim, params, inputs, inInfo, out);
  },
};
registerBackend(other);

afterEach(() => setDefaultBackend("cpu"));

describe("backend registry", () => {
  it("finds registered backends by name and names the known ones when asked for another", () => {
    expect(getBackend("cpu")).toBe(cpuBackend);
    expect(() => getBackend("nope")).toThrow(/backend 'nope' is not registered; registered: .*cpu/);
    expect(() => setDefaultBackend("nope")).toThrow(/not registered/);
  });

  it("WebGPU before initWebGpu: an error that names it (its device opens asynchronously)", () => {
    expect(() => setDefaultBackend("webgpu")).toThrow(
      /backend 'webgpu' is not registered \(call `await initWebGpu\(\)` first\)/,
    );
  });

  it("creates new arrays on the default backend", () => {
    setDefaultBackend("other-test");
    expect(defaultBackend().name).toBe("other-test");
    expect(backendOf(np.array([1, 2]))).toBe("other-test");
  });

  it("devicePut copies a pytree's arrays to a backend and leaves other leaves alone", () => {
    const x = np.array([1, 2, 3]);
    const moved = devicePut({ a: x, n: 4 }, "other-test");
    expect(backendOf(moved.a)).toBe("other-test");
    expect(moved.a.tolist()).toEqual([1, 2, 3]);
    expect(moved.n).toBe(4);
    expect(devicePut(x, "cpu")).toBe(x);
  });

  it("mixing backends in one operation is an error that names devicePut", () => {
    const x = np.array([1, 2]);
    const y = devicePut(np.array([3, 4]), "other-test");
    expect(() => x.add(y)).toThrow(/different backends \(cpu and other-test\); move one with devicePut/);
    expect(x.add(devicePut(y, "cpu")).tolist()).toEqual([4, 6]);
  });

  it("a jitted function's constant on another backend is an error naming the transfer, never a silent read", () => {
    const c = devicePut(np.array([10, 20]), "other-test");
    const f = jit((x: np.Array) => x.add(c));
    expect(() => f(np.array([1, 2]))).toThrow(
      /lives on the 'other-test' backend; move it first with devicePut\(x, "cpu"\)/,
    );
  });

  it("constant folding runs on the reference backend whatever the default is", () => {
    setDefaultBackend("other-test");
    // Inside jit, `np.array(2).add(3)` is staged on literals; folding computes it on the reference backend.
    const f = jit((x: np.Array) => x.mul(np.array(2).add(3)));
    const x = np.array([1, 2]);
    expect(makeJaxpr((v: np.Array) => v.mul(np.array(2).add(3)))(x).eqns.map((e) => e.prim)).toContain("add");
    const before = otherEagerCalls;
    const p = f.lower(x).program;
    expect(otherEagerCalls).toBe(before);
    expect(p.eqns.map((e) => e.prim)).not.toContain("add");
    expect(String(p)).toContain("broadcast_in_dim[shape=[2] broadcastDimensions=[]] 5:f32[]");
    expect(f(x).tolist()).toEqual([5, 10]);
  });
});
