/**
 * The WebGPU backend end to end on the test adapter: registration, asynchronous reads and the
 * errors of synchronous ones, dtypes, eager operations and jitted functions against the reference
 * backend, blockUntilReady/deviceGet, primitives without a WGSL kernel, and the memory budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array as GArray,
  blockUntilReady,
  closeWebGpu,
  defaultBackend,
  deviceGet,
  devicePut,
  grad,
  initWebGpu,
  jit,
  nn,
  np,
  random,
  UnsupportedDTypeError,
  withBackend,
} from "../../src/index.js";
import { webGpuStats } from "../../backends/webgpu/index.js";
import { values } from "./data.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const on = <T>(backend: "cpu" | "webgpu", f: () => T): T => withBackend(backend, f);

/** max |a − b| / max(1, max |b|). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return a.length === b.length ? num / den : Number.POSITIVE_INFINITY;
}

describe.skipIf(skip !== undefined)(`the webgpu backend${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if ("skip" in got) return;
    const info = await initWebGpu({ gpu: got.gpu });
    expect(info.adapter.length).toBeGreaterThan(0);
  });
  afterAll(() => closeWebGpu());

  it("registers without becoming the default", () => {
    expect(defaultBackend()).not.toBe("webgpu");
    expect(on("webgpu", () => np.ones([2])).backend).toBe("webgpu");
  });

  it("reads asynchronously; synchronous reads say to await, printing never throws", async () => {
    const x = on("webgpu", () => np.array([1, 2, 3]));
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    expect(() => x.dataSync()).toThrow(/webgpu backend cannot read synchronously; use 'await x.data\(\)'/);
    expect(() => on("webgpu", () => np.array([5])).item()).toThrow(
      /^item: the webgpu backend cannot read synchronously; use 'await x\.data\(\)' \(or 'await deviceGet\(tree\)'.*lax\.cond, lax\.whileLoop and np\.where/,
    );
    expect(() => x.tolist()).toThrow(/^tolist: the webgpu backend cannot read synchronously/);
    // A JS branch on a device value fails the same way; the message names the device-side forms.
    expect(
      () =>
        on("webgpu", () => np.array([2]))
          .mul(2)
          .greater(3)
          .item() > 0,
    ).toThrow(/lax\.cond/);
    expect(String(x)).toMatch(/read them with await x.data\(\).*shape=\(3,\)/);
  });

  it("holds float32, int32, uint32 and bool exactly; float64 is an UnsupportedDTypeError", async () => {
    const f = on("webgpu", () => np.array([1.5, -0, Number.NaN, Number.POSITIVE_INFINITY]));
    expect(Array.from(await f.data())).toEqual([1.5, -0, Number.NaN, Number.POSITIVE_INFINITY]);
    const i = on("webgpu", () => np.array([-(2 ** 31), 2 ** 31 - 1, 0], { dtype: "int32" }));
    expect(Array.from(await i.data())).toEqual([-(2 ** 31), 2 ** 31 - 1, 0]);
    const u = on("webgpu", () => np.array([0, 2 ** 32 - 1], { dtype: "uint32" }));
    expect(Array.from(await u.data())).toEqual([0, 2 ** 32 - 1]);
    const b = on("webgpu", () => np.array([true, false, true]));
    expect(b.dtype).toBe("bool");
    expect(Array.from(await b.data())).toEqual([1, 0, 1]);
    expect(() => on("webgpu", () => np.array([1, 2], { dtype: "float64" }))).toThrow(UnsupportedDTypeError);
    expect(() => on("webgpu", () => np.array([1, 2], { dtype: "float64" }))).toThrow(
      /shape \[2\] and dtype float64: the webgpu backend has no float64; use float32/,
    );
  });

  it("eager operations match the reference backend", async () => {
    const a = values(12, 1);
    const b = values(12, 2);
    const f = (x: GArray, y: GArray) => [
      x.add(y),
      x.mul(y).sub(1),
      np.tanh(x),
      np.exp(x).div(np.abs(y).add(1)),
      np.sum(x.reshape([3, 4]), 1),
      np.max(x.reshape([3, 4]), 0),
      np.matmul(x.reshape([3, 4]), y.reshape([4, 3])),
      np.transpose(x.reshape([3, 4])).mul(2),
      x.greater(y),
    ];
    const want = on("cpu", () => f(np.array(a), np.array(b)).map((r) => r.dataSync()));
    const got2 = on("webgpu", () => f(np.array(a), np.array(b)));
    for (let k = 0; k < want.length; k++)
      expect(relErr(await got2[k]!.data(), want[k]!), `result ${k}`).toBeLessThan(2e-6);
  });

  it("eager elementwise operations compile one shader for every shape", async () => {
    const run = (shape: number[]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return on("webgpu", () => {
        const x = np.array(values(n, 9), { shape });
        return x.mul(x).sub(x);
      });
    };
    await run([5]).data();
    const before = webGpuStats().pipelines;
    const shapes = [[3], [5, 7], [100], [2, 3, 4], [1000]];
    const results = shapes.map(run);
    expect(webGpuStats().pipelines).toBe(before);
    for (const [k, shape] of shapes.entries()) {
      const n = shape.reduce((a, b) => a * b, 1);
      const want = on("cpu", () => {
        const x = np.array(values(n, 9), { shape });
        return x.mul(x).sub(x).dataSync();
      });
      expect(relErr(await results[k]!.data(), want)).toBe(0);
    }
  });

  it("a long synchronous loop past the memory budget fails with the advice to await, and recovers after awaiting", async () => {
    if ("skip" in got) return;
    await initWebGpu({ gpu: got.gpu, memoryBudget: 2 ** 20 });
    const x = on("webgpu", () => np.ones([4096]));
    expect(() => {
      let y = x;
      for (let i = 0; i < 1000; i++) y = on("webgpu", () => y.add(x));
    }).toThrow(
      /memory budget \(1 MiB\) is used up: \d+ arrays are alive or awaiting garbage collection.*await between steps/,
    );
    await initWebGpu({ gpu: got.gpu });
  });

  it("float32 samplers run on the device (no float64 anywhere): uniform bit for bit, normal within its transcendentals' ulps", async () => {
    const draw = () => {
      const key = random.key(7);
      return [
        random.uniform(key, [513], { minval: -2, maxval: 3 }),
        random.normal(key, [513]),
        jit((k: GArray) => random.truncatedNormal(k, -1.5, 2, [65]))(key),
        nn.initializers.glorotNormal(key, [16, 8]),
      ];
    };
    const want = on("cpu", draw).map((a) => a.dataSync() as Float32Array);
    const have = await Promise.all(on("webgpu", draw).map((a) => a.data() as Promise<Float32Array>));
    expect(Array.from(have[0]!)).toEqual(Array.from(want[0]!));
    // erf⁻¹ evaluates log1p and √ (within 1 ulp on WebGPU) before a polynomial in float32.
    for (let i = 1; i < want.length; i++) expect(relErr(have[i]!, want[i]!)).toBeLessThan(1e-5);
  });

  it("jitted integer and bool products run on the generic shader (the plan leaves them to the backend)", async () => {
    const f = jit((a: GArray, b: GArray) =>
      np.concatenate([np.matmul(a, b).reshape([-1]), np.einsum("bij,bjk->kib", a, b).reshape([-1])]),
    );
    for (const dtype of ["int32", "uint32", "bool"] as const) {
      const make = () => [
        np.array(
          values(2 * 3 * 4, 11).map((v) => Math.round(Math.abs(v) * 7)),
          { shape: [2, 3, 4], dtype },
        ),
        np.array(
          values(2 * 4 * 5, 12).map((v) => Math.round(Math.abs(v) * 7)),
          { shape: [2, 4, 5], dtype },
        ),
      ];
      const want = on("cpu", () => f(...(make() as [GArray, GArray])).dataSync());
      const have = await on("webgpu", () => f(...(make() as [GArray, GArray]))).data();
      expect(Array.from(have), dtype).toEqual(Array.from(want));
    }
  });

  it("jitted float products with an empty side compile (no constant division by zero in WGSL) and give zeros", async () => {
    const f = jit((a: GArray, b: GArray) => np.matmul(a, b));
    for (const [sa, sb] of [
      [
        [0, 3],
        [3, 4],
      ],
      [
        [2, 0],
        [0, 3],
      ],
      [
        [2, 3],
        [3, 0],
      ],
    ] as const) {
      const want = on("cpu", () => f(np.ones([...sa]), np.ones([...sb])));
      const have = on("webgpu", () => f(np.ones([...sa]), np.ones([...sb])));
      expect(have.shape).toEqual(want.shape);
      expect(Array.from(await have.data())).toEqual(Array.from(want.dataSync()));
    }
  });

  it("JS numbers keep their value, −0 included, when they convert to an array's dtype", async () => {
    const x = on("webgpu", () => np.array([1, -2]));
    expect(Array.from(await on("webgpu", () => x.mul(-0)).data())).toEqual([-0, 0]);
    expect(Array.from(await on("webgpu", () => x.div(-0)).data())).toEqual([-Infinity, Infinity]);
  });

  it("jit(grad) of an MLP loss matches the reference backend", async () => {
    const loss = (p: { w1: GArray; b1: GArray; w2: GArray }, x: GArray, y: GArray) => {
      const h = np.tanh(np.matmul(x, p.w1).add(p.b1));
      return np.mean(np.square(np.matmul(h, p.w2).sub(y)));
    };
    const make = () => ({
      p: {
        w1: np.array(values(8 * 16, 3), { shape: [8, 16] }),
        b1: np.array(values(16, 4)),
        w2: np.array(values(16 * 2, 5), { shape: [16, 2] }),
      },
      x: np.array(values(32 * 8, 6), { shape: [32, 8] }),
      y: np.array(values(32 * 2, 7), { shape: [32, 2] }),
    });
    const ref = on("cpu", () => {
      const { p, x, y } = make();
      const g = jit(grad(loss))(p, x, y);
      return [g.w1, g.b1, g.w2].map((t) => t.dataSync());
    });
    const gpu = on("webgpu", () => {
      const { p, x, y } = make();
      return jit(grad(loss))(p, x, y);
    });
    const host = await deviceGet(gpu);
    expect(host.w1.backend).toBe("cpu");
    const out = [host.w1, host.b1, host.w2].map((t) => t.dataSync());
    out.forEach((o, k) => expect(relErr(o, ref[k]!), `gradient ${k}`).toBeLessThan(1e-5));
  });

  it("a softmax classifier's loss (max, exp, log, sums over rows) matches", async () => {
    const f = (x: GArray) => np.mean(nn.logSoftmax(x.reshape([16, 10]), -1).mul(-1));
    const want = on("cpu", () => jit(f)(np.array(values(160, 8))).dataSync());
    const have = await on("webgpu", () => jit(f)(np.array(values(160, 8)))).data();
    expect(relErr(have, want)).toBeLessThan(1e-6);
  });

  it("blockUntilReady resolves to the same tree; deviceGet moves a tree to the host", async () => {
    const tree = { a: on("webgpu", () => np.ones([4]).mul(3)), n: 7 };
    expect(await blockUntilReady(tree)).toBe(tree);
    const host = await deviceGet(tree);
    expect(host.n).toBe(7);
    expect(Array.from(host.a.dataSync())).toEqual([3, 3, 3, 3]);
    expect(() => devicePut(tree.a, "cpu")).toThrow(/reads asynchronously; `const host = await deviceGet\(x\)`/);
  });

  it("after closeWebGpu and a new initWebGpu, nothing cached on the old device is reused", async () => {
    if ("skip" in got) return;
    // The scalar 7 is cached on the device it was first made on.
    await on("webgpu", () => np.array([1, 2]).mul(7)).data();
    closeWebGpu();
    await initWebGpu({ gpu: got.gpu });
    expect(Array.from(await on("webgpu", () => np.array([1, 2]).mul(7)).data())).toEqual([7, 14]);
  });

  it("initWebGpu() without a gpu loads the optional `webgpu` package in Node", async () => {
    const info = await initWebGpu();
    expect(info.adapter.length).toBeGreaterThan(0);
    const x = on("webgpu", () => np.array([1, 2, 3]).mul(2));
    expect(Array.from(await x.data())).toEqual([2, 4, 6]);
  });

  it("gathers, scatters, cumulative sums, argmin, argmax and integer sums run in jitted functions", async () => {
    const f = (x: GArray, i: GArray) => {
      const g = np.take(x, i);
      const s = np.cumsum(x.mul(2));
      return [g, s, np.argmin(x), np.argmax(x), np.sum(i), x.at(i).add(1)];
    };
    const xs = values(10, 11);
    const idx = [3, 0, 9, 3, 12, -2];
    const want = on("cpu", () => f(np.array(xs), np.array(idx, { dtype: "int32" })).map((r) => r.dataSync()));
    const have = on("webgpu", () => jit(f)(np.array(xs), np.array(idx, { dtype: "int32" })));
    for (let k = 0; k < want.length; k++) {
      const h = await have[k]!.data();
      // cumsum accumulates in float32 on the GPU (float64 on the reference): within its bound.
      if (k === 1) expect(relErr(h, want[k]!), "cumsum").toBeLessThan(1e-6);
      else expect(Array.from(h), `result ${k}`).toEqual(Array.from(want[k]!));
    }
  });
});
