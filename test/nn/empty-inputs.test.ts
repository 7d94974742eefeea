import { describe, it, expect } from "vitest";
import { np, nn, grad, jit, vmap } from "../../src/index.js";

type Array = np.Array;

const EMPTY_SHAPES = [[0], [3, 0], [0, 3]];

describe("softmax, logSoftmax and logsumexp on empty inputs", () => {
  it("nn.softmax(np.zeros([0])) is an empty array (np.max of an empty axis is not called)", () => {
    const y = nn.softmax(np.zeros([0]));
    expect(y.shape).toEqual([0]);
    expect(y.dtype).toBe("float32");
  });

  for (const shape of EMPTY_SHAPES)
    it(`empty in, empty out for shape [${shape}] along every axis`, () => {
      for (const axis of shape.map((_, i) => i)) {
        expect(nn.softmax(np.zeros(shape), axis).shape).toEqual(shape);
        expect(nn.logSoftmax(np.zeros(shape), axis).shape).toEqual(shape);
        const keep = shape.map((d, i) => (i === axis ? 1 : d));
        expect(nn.logsumexp(np.zeros(shape), axis, { keepdims: true }).shape).toEqual(keep);
      }
    });

  it("logsumexp over an empty axis is -inf (the log of an empty sum)", () => {
    expect(nn.logsumexp(np.zeros([0])).item()).toBe(-Infinity);
    expect(np.logsumexp(np.zeros([2, 0]), 1).tolist()).toEqual([-Infinity, -Infinity]);
  });

  it("works under grad, jit and vmap", () => {
    expect(grad((x: Array) => nn.softmax(x).sum())(np.zeros([0])).shape).toEqual([0]);
    expect(jit((x: Array) => nn.softmax(x))(np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(vmap((x: Array) => nn.softmax(x))(np.zeros([4, 0])).shape).toEqual([4, 0]);
  });

  it("still checks the axis, and np.max of an empty axis without an identity is still an error (as in NumPy)", () => {
    expect(() => nn.softmax(np.zeros([0]), 1)).toThrow(/axis 1/);
    expect(() => np.max(np.zeros([0]))).toThrow(/zero-size reduction/);
  });
});

describe("the other activations keep the (empty) shape", () => {
  const activations: [string, (x: Array) => Array][] = [
    ["sigmoid", nn.sigmoid],
    ["relu", nn.relu],
    ["softplus", nn.softplus],
    ["tanh", nn.tanh],
    ["leakyRelu", (x) => nn.leakyRelu(x)],
    ["elu", (x) => nn.elu(x)],
    ["selu", nn.selu],
    ["gelu", (x) => nn.gelu(x)],
    ["gelu approximate", (x) => nn.gelu(x, { approximate: true })],
    ["silu", nn.silu],
    ["hardTanh", nn.hardTanh],
    ["logSigmoid", nn.logSigmoid],
  ];
  for (const [name, act] of activations)
    it(name, () => {
      for (const shape of EMPTY_SHAPES) expect(act(np.zeros(shape)).shape).toEqual(shape);
    });
});

describe("losses on empty inputs", () => {
  const e = np.zeros([0]);
  const elementwise: [string, (p: Array, y: Array, o: { reduction: nn.losses.Reduction }) => Array][] = [
    ["mse", nn.losses.mse],
    ["l1", nn.losses.l1],
    ["huber", nn.losses.huber],
    ["binaryCrossEntropy", nn.losses.binaryCrossEntropy],
    ["binaryCrossEntropyWithLogits", nn.losses.binaryCrossEntropyWithLogits],
    ["hinge", nn.losses.hinge],
  ];
  for (const [name, loss] of elementwise)
    it(`${name}: "none" is empty, "sum" is 0, "mean" is NaN (the mean of nothing, as in NumPy)`, () => {
      expect(loss(e, e, { reduction: "none" }).shape).toEqual([0]);
      expect(loss(e, e, { reduction: "sum" }).item()).toBe(0);
      expect(Number.isNaN(loss(e, e, { reduction: "mean" }).item())).toBe(true);
    });

  it("the softmax cross-entropies and the multiclass hinge on zero examples", () => {
    const logits = np.zeros([0, 3]);
    const ints = np.zeros([0], { dtype: "int32" });
    expect(nn.losses.softmaxCrossEntropy(logits, logits, { reduction: "none" }).shape).toEqual([0]);
    expect(nn.losses.softmaxCrossEntropyWithIntegerLabels(logits, ints, { reduction: "none" }).shape).toEqual([0]);
    expect(nn.losses.multiclassHinge(logits, ints, { reduction: "sum" }).item()).toBe(0);
  });

  it("softmax cross-entropy over zero classes is 0 per example", () => {
    const l = nn.losses.softmaxCrossEntropy(np.zeros([2, 0]), np.zeros([2, 0]), { reduction: "none" });
    expect((l.tolist() as number[]).map(Math.abs)).toEqual([0, 0]);
  });
});
