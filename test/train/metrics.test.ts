import { describe, it, expect } from "vitest";
import { np, jit } from "../../src/index.js";
import { accuracy, meanLoss, topKAccuracy } from "../../src/train/index.js";

type Array = np.Array;
const val = (x: Array): number => Number(x.item());

describe("accuracy", () => {
  const logits = np.array([
    [2, 1, 0],
    [0, 3, 1],
    [1, 0, 5],
    [4, 0, 1],
  ]);
  it("argmax of class scores against integer labels", () => {
    expect(val(accuracy(logits, np.array([0, 1, 2, 2], { dtype: "int32" })))).toBeCloseTo(0.75);
    expect(val(accuracy(logits, np.array([0, 1, 2, 0], { dtype: "int32" })))).toBe(1);
    // Float labels holding class ids work too.
    expect(val(accuracy(logits, np.array([1, 1, 1, 1])))).toBeCloseTo(0.25);
    expect(accuracy(logits, np.array([0, 1, 2, 2], { dtype: "int32" })).dtype).toBe("float32");
  });

  it("predicted labels, binary thresholds and one-hot labels", () => {
    expect(val(accuracy(np.array([1, 2, 3], { dtype: "int32" }), np.array([1, 0, 3], { dtype: "int32" })))).toBeCloseTo(
      2 / 3,
    );
    expect(val(accuracy(np.array([0.9, 0.2, 0.6, 0.4]), np.array([1, 0, 0, 0]), { threshold: 0.5 }))).toBeCloseTo(0.75);
    expect(val(accuracy(np.array([2.0, -1.0]), np.array([1, 1], { dtype: "int32" }), { threshold: 0 }))).toBeCloseTo(
      0.5,
    );
    const oneHot = np.array([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(val(accuracy(logits, oneHot, { oneHot: true }))).toBeCloseTo(0.75);
  });

  it("is traceable (works under jit)", () => {
    const f = jit((l: Array, y: Array) => accuracy(l, y));
    expect(val(f(logits, np.array([0, 1, 2, 0], { dtype: "int32" })))).toBe(1);
  });

  it("rejects mismatched shapes", () => {
    expect(() => accuracy(logits, np.array([0, 1], { dtype: "int32" }))).toThrow(/do not match labels/);
    expect(() => accuracy(np.zeros([3]), np.zeros([4]))).toThrow(/same shape/);
    expect(() => accuracy(logits, np.zeros([4]), { threshold: 0.5 })).toThrow(/threshold/);
    expect(() => accuracy(logits, np.zeros([4]), { oneHot: true })).toThrow(/oneHot/);
    expect(() => accuracy(np.zeros([0, 3]), np.zeros([0], { dtype: "int32" }))).toThrow(/no examples/);
  });
});

describe("topKAccuracy", () => {
  const logits = np.array([
    [0.1, 0.5, 0.4, 0.0],
    [0.9, 0.05, 0.03, 0.02],
    [0.2, 0.3, 0.1, 0.4],
  ]);
  const labels = np.array([2, 3, 0], { dtype: "int32" });
  it("counts a label within the k largest scores", () => {
    expect(val(topKAccuracy(logits, labels, 1))).toBeCloseTo(0);
    expect(val(topKAccuracy(logits, labels, 2))).toBeCloseTo(1 / 3);
    expect(val(topKAccuracy(logits, labels, 3))).toBeCloseTo(2 / 3);
    expect(val(topKAccuracy(logits, labels, 4))).toBe(1);
    // top-1 equals accuracy.
    const y = np.array([1, 0, 3], { dtype: "int32" });
    expect(val(topKAccuracy(logits, y, 1))).toBeCloseTo(val(accuracy(logits, y)));
  });
  it("validates k and shapes", () => {
    expect(() => topKAccuracy(logits, labels, 0)).toThrow(/k must be an integer in \[1, 4\]/);
    expect(() => topKAccuracy(logits, labels, 5)).toThrow(/k must be an integer in \[1, 4\]/);
    expect(() => topKAccuracy(logits, labels, 1.5)).toThrow(/k must be/);
    expect(() => topKAccuracy(logits, np.zeros([3, 4]), 1)).toThrow(/one class axis more/);
  });
});

describe("meanLoss", () => {
  it("means (optionally weighted) per-example losses as an array", () => {
    expect(val(meanLoss(np.array([1, 2, 3, 6])))).toBeCloseTo(3);
    expect(val(meanLoss(np.array([1, 3]), np.array([3, 1])))).toBeCloseTo(1.5);
    expect(() => meanLoss(np.array([1, 3]), np.array([1, 1, 1]))).toThrow(/must match/);
  });
  it("weights a list of batch losses by batch size", () => {
    expect(meanLoss([2, 4, np.array(6)])).toBeCloseTo(4);
    // Two full batches of 4 with loss 1 and a last batch of 2 with loss 4: (4 + 4 + 8) / 10.
    expect(meanLoss([1, 1, 4], [4, 4, 2])).toBeCloseTo(1.6);
    expect(() => meanLoss([])).toThrow(/no losses/);
    expect(() => meanLoss([1, 2], [1])).toThrow(/one weight/);
    expect(() => meanLoss([1, 2], [0, 0])).toThrow(/sum to 0/);
  });
});
