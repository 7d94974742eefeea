/**
 * random.binomial / random.multinomial and gamma's implicit gradient with a key on WebGPU: they run
 * there (onKeyBackend), eagerly and under jit, and give the CPU backend's values — counts exactly
 * (the same bits decide the same loop rounds), gradients within float32 rounding of the
 * transcendental functions (10⁻⁵ relative).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeWebGpu, devicePut, grad, initWebGpu, jit, np, withBackend, type Array } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const host = async (x: Array): Promise<number[]> => globalThis.Array.from((await x.data()) as ArrayLike<number>);

describe.skipIf(skip !== undefined)(
  `binomial, multinomial, gamma gradients on webgpu${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    beforeAll(async () => {
      if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
    });
    afterAll(() => closeWebGpu());

    const draws = (k: Array): Array[] => [
      random.binomial(k, 10, 0.3, [8]),
      random.binomial(k, 500, 0.6, [8]),
      random.multinomial(
        k,
        50,
        withBackend(k.backend, () => np.array([0.2, 0.3, 0.5])),
      ),
    ];

    it("binomial and multinomial counts equal the CPU backend's, eagerly and under jit", async () => {
      const want = withBackend("cpu", () =>
        draws(random.key(4)).map((x) => globalThis.Array.from(x.dataSync() as Float32Array)),
      );
      const kGpu = devicePut(random.key(4), "webgpu");
      const eager = draws(kGpu);
      const jitted = jit(draws)(kGpu);
      for (const [i, x] of [...eager, ...jitted].entries()) {
        expect(x.backend).toBe("webgpu");
        expect(await host(x)).toEqual(want[i % 3]);
      }
    });

    it("gamma's gradient in a equals the CPU backend's within float32 rounding", async () => {
      const f = (k: Array, a: Array) => grad((al: Array) => np.sum(random.gamma(k, al)))(a);
      const alpha = [0.2, 1.5, 6, 80];
      const want = withBackend("cpu", () =>
        globalThis.Array.from(f(random.key(2), np.array(alpha)).dataSync() as Float32Array),
      );
      const g = jit(f)(
        devicePut(random.key(2), "webgpu"),
        withBackend("webgpu", () => np.array(alpha)),
      );
      expect(g.backend).toBe("webgpu");
      (await host(g)).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(want[i]!)));
    });
  },
);
