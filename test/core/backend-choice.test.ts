import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import {
  cpuBackend,
  defaultBackend,
  devicePut,
  devices,
  jit,
  np,
  setDefaultBackend,
  withBackend,
  type Array,
} from "../../src/index.js";
import { registerBackend, type Backend } from "../../src/core/backend.js";
import type { TypedArray } from "../../src/core/dtype.js";

// A second backend with the CPU's kernels but its own name.
const second: Backend<TypedArray> = { ...cpuBackend, name: "second-test", adopt: undefined };
registerBackend(second);

// The suite runs on whichever backend GRAFT_BACKEND picks; each test restores it.
const initial = defaultBackend();
afterEach(() => setDefaultBackend(initial));

describe("choosing backends", () => {
  it("devices lists the registered backends, the default first", () => {
    expect(devices()[0]).toBe(initial);
    expect(devices()).toContain("second-test");
    setDefaultBackend("second-test");
    expect(devices()[0]).toBe("second-test");
    expect(defaultBackend()).toBe("second-test");
  });

  it("withBackend scopes the default and restores it, also after a throw", () => {
    const y = withBackend("second-test", () => np.ones([2]).mul(3));
    expect(y.backend).toBe("second-test");
    expect(defaultBackend()).toBe(initial);
    expect(() =>
      withBackend("second-test", () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(defaultBackend()).toBe(initial);
    expect(() => withBackend("nope", () => 1)).toThrow(/backend 'nope' is not registered/);
  });

  it("jit runs where its arguments live and keys its cache on that backend", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.mul(2);
    });
    const onDefault = f(np.array([1, 2]));
    const onSecond = f(devicePut(np.array([1, 2]), "second-test"));
    expect(onDefault.backend).toBe(initial);
    expect(onSecond.backend).toBe("second-test");
    expect(onSecond.tolist()).toEqual([2, 4]);
    expect(traces).toBe(2);
    f(devicePut(np.array([5, 6]), "second-test"));
    expect(traces).toBe(2);
  });

  it("jit(f, { backend }) puts numbers and created arrays there and rejects arguments living elsewhere", () => {
    const f = jit((s: number) => np.ones([2]).mul(s), { backend: "second-test" });
    const y = f(3);
    expect(y.backend).toBe("second-test");
    expect(y.tolist()).toEqual([3, 3]);
    const g = jit((x: Array) => x.add(1), { backend: "second-test" });
    expect(() => g(np.array([1]))).toThrow(
      new RegExp(
        `runs on the 'second-test' backend but its arguments live on '${initial}'; move them with devicePut\\(x, "second-test"\\)`,
      ),
    );
    expect(() => jit((x: Array) => x, { backend: "nope" })).toThrow(/backend 'nope' is not registered/);
    const h = jit((a: Array, b: Array) => a.add(b));
    expect(() => h(np.array([1]), devicePut(np.array([1]), "second-test"))).toThrow(
      new RegExp(`arguments live on different backends \\(${initial} and second-test, argument leaf 1\\)`),
    );
  });

  it("JS numbers join their operands' backend, and arrays a jitted function creates go where it runs", () => {
    const x = devicePut(np.array([1, 2]), "second-test");
    expect(x.mul(3).backend).toBe("second-test");
    expect(np.maximum(x, 1.5).tolist()).toEqual([1.5, 2]);
    expect(np.add(2, x).backend).toBe("second-test");
    const g = jit((a: Array) => a.get(np.array([1, 0], { dtype: "int32" })).add(np.ones([2])));
    const y = g(x);
    expect(y.backend).toBe("second-test");
    expect(y.tolist()).toEqual([3, 2]);
  });

  it("GRAFT_BACKEND selects the default backend when graft loads, and an unknown name is an error", () => {
    const run = (value: string) =>
      execFileSync(
        process.execPath,
        ["--import", "tsx", "-e", 'import("./src/index.ts").then((g) => console.log(g.defaultBackend()))'],
        { env: { ...process.env, GRAFT_BACKEND: value }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      ).trim();
    expect(run("cpu")).toBe("cpu");
    expect(run("wasm")).toBe("wasm");
    expect(() => run("wasm-not-here")).toThrow(
      /GRAFT_BACKEND=wasm-not-here: backend 'wasm-not-here' is not registered; registered: cpu, wasm/,
    );
  });
});
