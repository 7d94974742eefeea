/**
 * nn.conv, nn.maxPool / nn.avgPool (and their layer forms) and nn.flatten: shapes (init's
 * outputShape equals apply's), values worked out by hand on small inputs, the conv layer against
 * lax.convGeneralDilated (itself checked against JAX in test/lax/conv.test.ts), gradients through a
 * sequential CNN, and the error paths.
 */
import { describe, expect, it } from "vitest";
import { grad, lax, nn, np, random } from "../../src/index.js";
import { expectClose } from "../helpers.js";

const key = random.key(0);

describe("nn.conv", () => {
  it("init builds an HWIO kernel and zero bias; outputShape matches apply for SAME, VALID and strides", () => {
    const cases: [nn.ConvOptions, number[], number[]][] = [
      [{ features: 4, kernelSize: [3, 3] }, [2, 6, 5, 3], [2, 6, 5, 4]],
      [{ features: 4, kernelSize: [3, 3], padding: "VALID" }, [2, 6, 5, 3], [2, 4, 3, 4]],
      [{ features: 2, kernelSize: [2, 3], strides: [2, 2] }, [6, 5, 3], [3, 3, 2]],
      [{ features: 2, kernelSize: [3], kernelDilation: [2] }, [1, 2, 7, 1], [1, 2, 7, 2]],
      [{ features: 6, kernelSize: [3, 3], featureGroupCount: 3 }, [1, 4, 4, 3], [1, 4, 4, 6]],
    ];
    for (const [opts, inShape, outShape] of cases) {
      const layer = nn.conv(opts);
      const { params, outputShape } = layer.init(key, inShape);
      const groups = opts.featureGroupCount ?? 1;
      expect(params.kernel.shape).toEqual([...opts.kernelSize, inShape.at(-1)! / groups, opts.features]);
      expect(Array.from(params.bias!.dataSync())).toEqual(new Array(opts.features).fill(0));
      expect(outputShape).toEqual(outShape);
      expect(layer.apply(params, random.normal(key, inShape)).shape).toEqual(outShape);
    }
  });

  it("apply is convGeneralDilated in NHWC/HWIO plus the bias, with any number of leading batch axes", () => {
    const layer = nn.conv({ features: 3, kernelSize: [2, 2], strides: [1, 2] });
    const { params } = layer.init(key, [4, 5, 2]);
    const p = { kernel: params.kernel, bias: np.array([0.5, -1, 2]) };
    const x = random.normal(random.key(1), [2, 3, 4, 5, 2]);
    const flat = x.reshape([6, 4, 5, 2]);
    const want = np.add(
      lax.convGeneralDilated(flat, p.kernel, [1, 2], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }),
      p.bias,
    );
    const got = layer.apply(p, x);
    expect(got.shape).toEqual([2, 3, 4, 3, 3]);
    expectClose(got, Array.from(want.dataSync(), Number), 1e-6);
  });

  it("a 1×1 convolution with an identity kernel and no bias returns its input", () => {
    const layer = nn.conv({ features: 2, kernelSize: [1, 1], useBias: false });
    const { params } = layer.init(key, [1, 3, 3, 2]);
    expect(params.bias).toBeUndefined();
    const x = random.normal(key, [1, 3, 3, 2]);
    expectClose(layer.apply({ kernel: np.eye(2).reshape([1, 1, 2, 2]) }, x), Array.from(x.dataSync(), Number), 0);
  });

  it("bad input: clear errors", () => {
    expect(() => nn.conv({ features: 0, kernelSize: [3] })).toThrow(/conv: features must be a positive integer/);
    expect(() => nn.conv({ features: 2, kernelSize: [] })).toThrow(/kernelSize must be a non-empty list/);
    expect(() => nn.conv({ features: 2, kernelSize: [3, 3], strides: [1] })).toThrow(
      /strides needs 2 positive integers/,
    );
    expect(() => nn.conv({ features: 2, kernelSize: [3], feature: 2 } as nn.ConvOptions)).toThrow(/feature/);
    const layer = nn.conv({ features: 2, kernelSize: [3, 3] });
    expect(() => layer.init(key, [5, 3])).toThrow(/needs 2 spatial axes and a feature axis/);
    const { params } = layer.init(key, [1, 5, 5, 3]);
    expect(() => layer.apply(params, np.ones([1, 5, 5, 4]))).toThrow(/params.kernel must have shape \[3, 3, 4, 2\]/);
    expect(() => nn.conv({ features: 2, kernelSize: [3], featureGroupCount: 2 }).init(key, [4, 3])).toThrow(
      /input features \(3\) must be divisible by featureGroupCount \(2\)/,
    );
  });
});

describe("pooling and flatten", () => {
  // x[h, w] = 4h + w on a 4×4 image with one channel.
  const img = np.arange(16, { dtype: "float32" }).reshape([1, 4, 4, 1]);

  it("maxPool and avgPool over 2×2 windows, stride 2 (VALID) and stride 1", () => {
    expectClose(nn.maxPool(img, [2, 2], { strides: [2, 2] }), [5, 7, 13, 15], 0);
    expectClose(nn.avgPool(img, [2, 2], { strides: [2, 2] }), [2.5, 4.5, 10.5, 12.5], 0);
    // Default strides are 1 (Flax): 3×3 outputs.
    expect(nn.maxPool(img, [2, 2]).shape).toEqual([1, 3, 3, 1]);
    expectClose(nn.maxPool(img, [2, 2]).reshape([9]).get(np.slice(0, 3)), [5, 6, 7], 0);
  });

  it("SAME padding: max ignores the padding; avg counts it unless countIncludePad is false", () => {
    const row = np.array([1, 2, 3], { dtype: "float32" }).reshape([3, 1]); // [w, c], no batch axis
    expectClose(nn.maxPool(row, [2], { padding: "SAME" }), [2, 3, 3], 0);
    expectClose(nn.avgPool(row, [2], { padding: "SAME" }), [1.5, 2.5, 1.5], 0);
    expectClose(nn.avgPool(row, [2], { padding: "SAME", countIncludePad: false }), [1.5, 2.5, 3], 0);
    expectClose(nn.avgPool(row, [2], { padding: [[1, 0]] }), [0.5, 1.5, 2.5], 0);
  });

  it("the layer forms report the shape apply returns; flatten keeps the batch axis", () => {
    const pool = nn.maxPooling([2, 2], { strides: [2, 2] });
    expect(pool.init(key, [3, 7, 5, 2]).outputShape).toEqual([3, 3, 2, 2]);
    expect(pool.apply(null, np.ones([3, 7, 5, 2])).shape).toEqual([3, 3, 2, 2]);
    const avg = nn.avgPooling([3], { padding: "SAME" });
    expect(avg.init(key, [4, 6, 2]).outputShape).toEqual([4, 6, 2]);
    const flat = nn.flatten();
    expect(flat.init(key, [3, 2, 2, 5]).outputShape).toEqual([3, 20]);
    const x = np.arange(12).reshape([2, 3, 2]);
    expect(flat.apply(null, x).tolist()).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
  });

  it("a sequential CNN initialises through every layer and its loss gradient reaches every kernel", () => {
    const model = nn.sequential(
      nn.conv({ features: 4, kernelSize: [3, 3] }),
      nn.relu,
      nn.maxPooling([2, 2], { strides: [2, 2] }),
      nn.conv({ features: 6, kernelSize: [3, 3], padding: "VALID" }),
      nn.relu,
      nn.avgPooling([2, 2], { padding: "SAME" }),
      nn.flatten(),
      nn.dense(3),
    );
    const { params, outputShape } = model.init(key, [2, 8, 8, 1]);
    expect(outputShape).toEqual([2, 3]);
    const x = random.uniform(random.key(3), [2, 8, 8, 1]);
    const y = np.array([0, 2], { dtype: "int32" });
    const g = grad((p: typeof params) => nn.losses.softmaxCrossEntropyWithIntegerLabels(model.apply(p, x), y))(params);
    for (const i of [0, 3] as const) {
      const k = (g[i] as { kernel: np.Array }).kernel;
      expect(k.shape).toEqual((params[i] as { kernel: np.Array }).kernel.shape);
      expect(np.any(np.notEqual(k, 0)).item()).toBe(1);
    }
  });

  it("bad input: clear errors", () => {
    expect(() => nn.maxPool(np.ones([4, 4]), [2, 2])).toThrow(
      /maxPool: input of shape \[4, 4\] needs 2 window axes and a feature axis/,
    );
    expect(() => nn.avgPool(np.ones([1, 4, 4, 1]), [0, 2])).toThrow(/avgPool: windowShape must hold positive integers/);
    expect(() => nn.maxPool(np.ones([1, 4, 4, 1]), [2, 2], { strides: [2] })).toThrow(/strides needs 2 entries/);
    expect(() => nn.maxPool(np.ones([1, 4, 4, 1]), [2, 2], { padding: [[1, 1]] })).toThrow(
      /padding needs 2 \[lo, hi\] pairs/,
    );
    expect(() => nn.flatten().init(key, [])).toThrow(/flatten.init: inputShape needs a batch axis/);
  });
});
