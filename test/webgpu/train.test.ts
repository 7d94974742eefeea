/**
 * Training on WebGPU: fitAsync runs the fit loop with awaited reads (losses match the reference
 * backend's run within float32 rounding); fit, which reads synchronously, names fitAsync.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeWebGpu, initWebGpu, jit, np, tree, valueAndGrad, withBackend } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { fit, fitAsync } from "../../src/train/index.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Array = np.Array;
interface Params {
  w: Array;
  b: Array;
}
interface Batch {
  x: Array;
  y: Array;
}

const mse = (p: Params, b: Batch): Array => np.matmul(b.x, p.w).add(p.b).sub(b.y).square().mean();
const step = jit((p: Params, count: Array, b: Batch) => {
  const [l, g] = valueAndGrad(mse)(p, b);
  return [tree.map((pi: Array, gi: Array) => pi.sub(gi.mul(0.2)), p, g) as Params, count.add(1), { loss: l }] as const;
});

/** fit's options with every array made on `backend`. */
const options = (backend: "cpu" | "webgpu") =>
  withBackend(backend, () => {
    const x = np.linspace(-1, 1, 40).reshape([40, 1]);
    return {
      params: { w: np.zeros([1, 1]), b: np.zeros([1]) },
      optState: np.array(0, { dtype: "int32" }),
      step,
      data: { x, y: x.mul(3).sub(1) },
      batchSize: 16,
      epochs: 8,
      key: random.key(5),
      log: false as const,
    };
  });

describe.skipIf(skip !== undefined)(`training on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  it("fitAsync trains with the reference backend's losses (within float32 rounding)", async () => {
    const want = withBackend("cpu", () => fit(options("cpu")));
    const have = await withBackend("webgpu", () => fitAsync(options("webgpu")));
    expect(have.steps).toBe(want.steps);
    have.history.steps.forEach((s, i) => {
      const w = want.history.steps[i]!.metrics.loss!;
      expect(Math.abs(s.metrics.loss! - w), `step ${i + 1}`).toBeLessThanOrEqual(1e-5 * Math.max(1, w));
    });
    expect(have.history.steps.at(-1)!.metrics.loss!).toBeLessThan(have.history.steps[0]!.metrics.loss! / 10);
    expect(have.params.w.backend).toBe("webgpu");
  });

  it("fit, which reads synchronously, names fitAsync", () => {
    expect(() => withBackend("webgpu", () => fit(options("webgpu")))).toThrow(
      /fit: a metric lives on the 'webgpu' backend, which reads only asynchronously; use fitAsync/,
    );
  });
});
