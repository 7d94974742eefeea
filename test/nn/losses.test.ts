import { describe, it, expect } from "vitest";
import { np, nn, grad, jit, vmap } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;
const L = nn.losses;
const f64 = (v: np.NestedNumbers) => np.array(v, { dtype: "float64" });
const i32 = (v: number[]) => np.array(v, { dtype: "int32" });
const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe("regression losses", () => {
  const p = np.array([
    [1, 2],
    [3, -1],
  ]);
  const y = np.array([
    [0, 2],
    [1, 1],
  ]);
  // residuals: 1, 0, 2, -2

  it("mse: mean / sum / none of squared errors (sum of one example = the notes' ||f - y||²)", () => {
    expectClose(L.mse(p, y), (1 + 0 + 4 + 4) / 4);
    expectClose(L.mse(p, y, { reduction: "sum" }), 9);
    expectClose(L.mse(p, y, { reduction: "none" }), [1, 0, 4, 4]);
    expect(L.mse(p, y, { reduction: "none" }).shape).toEqual([2, 2]);
    expect(L.mse(p, y).shape).toEqual([]);
    expectClose(grad((q: Array) => L.mse(q, y))(p), [0.5, 0, 1, -1]);
    expect(L.l2).toBe(L.mse);
  });

  it("l1: absolute errors", () => {
    expectClose(L.l1(p, y), 5 / 4);
    expectClose(L.l1(p, y, { reduction: "sum" }), 5);
    expectClose(L.l1(p, y, { reduction: "none" }), [1, 0, 2, 2]);
    expectClose(
      grad((q: Array) => L.l1(q, y, { reduction: "sum" }))(
        np.array([
          [1, 2.5],
          [3, -1],
        ]),
      ),
      [1, 1, 1, -1],
    );
  });

  it("huber: quadratic inside delta, linear outside, gradient clipped", () => {
    const r = [0.5, -0.5, 1, 3, -4];
    const want = (d: number) => r.map((v) => (Math.abs(v) <= d ? 0.5 * v * v : d * (Math.abs(v) - 0.5 * d)));
    const pr = f64(r),
      zero = f64([0, 0, 0, 0, 0]);
    expectClose(L.huber(pr, zero, { reduction: "none" }), want(1), 1e-12);
    expectClose(L.huber(pr, zero, { delta: 2, reduction: "none" }), want(2), 1e-12);
    expectClose(L.huber(pr, zero), want(1).reduce((a, b) => a + b) / 5, 1e-12);
    expectClose(grad((q: Array) => L.huber(q, zero, { reduction: "sum" }))(pr), [0.5, -0.5, 1, 1, -1], 1e-12);
    expect(() => L.huber(pr, zero, { delta: 0 })).toThrow(/delta must be positive/);
  });

  it("rejects mismatched shapes and bad reductions", () => {
    expect(() => L.mse(np.ones([3]), np.ones([3, 1]))).toThrow(/same shape/);
    expect(() => L.mse(np.ones([3]), np.ones([3]), { reduction: "avg" as never })).toThrow(/reduction/);
  });

  it("checkGrads", () => {
    const a = f64([
        [0.3, -1.2],
        [2, 0.7],
      ]),
      b = f64([
        [0.1, 0.4],
        [-0.5, 0.2],
      ]);
    checkGrads((q: Array, t: Array) => L.mse(q, t), [a, b], { order: 2 });
    checkGrads((q: Array, t: Array) => L.huber(q, t, { delta: 0.5 }), [a, b], { order: 1 });
  });
});

describe("binary cross-entropy", () => {
  const probs = [0.9, 0.2, 0.6, 0.5];
  const labels = [1, 0, 0, 0.3];
  const bce = (p: number, y: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));

  it("on probabilities matches -[y log p + (1-y) log(1-p)]", () => {
    const want = probs.map((p, i) => bce(p, labels[i]!));
    expectClose(L.binaryCrossEntropy(f64(probs), f64(labels), { reduction: "none" }), want, 1e-12);
    expectClose(L.binaryCrossEntropy(f64(probs), f64(labels)), want.reduce((a, b) => a + b) / 4, 1e-12);
    expectClose(
      grad((q: Array) => L.binaryCrossEntropy(q, f64(labels), { reduction: "sum" }))(f64(probs)),
      probs.map((p, i) => (p - labels[i]!) / (p * (1 - p))),
      1e-10,
    );
    // p exactly 0 or 1: clamped logs (≥ -100), finite value and gradient.
    const edge = L.binaryCrossEntropy(np.array([0, 1, 1]), np.array([1, 0, 1]), { reduction: "none" });
    expectClose(edge, [100, 100, 0], 1e-6);
    expect(
      flat(grad((q: Array) => L.binaryCrossEntropy(q, np.array([1, 0, 1])))(np.array([0, 1, 1]))).every(
        Number.isFinite,
      ),
    ).toBe(true);
  });

  it("with logits equals the probability form of sigmoid(x), gradient σ(x) - y", () => {
    const x = [2.2, -1.4, 0.4, 0, -0.2];
    const y = [1, 0, 0, 1, 0.3];
    const want = x.map((v, i) => bce(sig(v), y[i]!));
    expectClose(L.binaryCrossEntropyWithLogits(f64(x), f64(y), { reduction: "none" }), want, 1e-12);
    expectClose(
      L.binaryCrossEntropyWithLogits(f64(x), f64(y), { reduction: "sum" }),
      want.reduce((a, b) => a + b),
      1e-12,
    );
    expectClose(
      grad((q: Array) => L.binaryCrossEntropyWithLogits(q, f64(y), { reduction: "sum" }))(f64(x)),
      x.map((v, i) => sig(v) - y[i]!),
      1e-12,
    );
    checkGrads((q: Array) => L.binaryCrossEntropyWithLogits(q, f64(y)), [f64(x)], { order: 2 });
  });

  it("with logits is finite with finite gradients at ±1e4 (float32)", () => {
    const x = np.array([1e4, -1e4, 1e4, -1e4]);
    const y = np.array([0, 0, 1, 1]);
    expectClose(L.binaryCrossEntropyWithLogits(x, y, { reduction: "none" }), [1e4, 0, 0, 1e4], 1e-6);
    const g = grad((q: Array) => L.binaryCrossEntropyWithLogits(q, y, { reduction: "sum" }))(x);
    expectClose(g, [1, 0, 0, -1], 1e-6);
  });
});

describe("softmax cross-entropy", () => {
  const logits = [
    [2, 1, 0.1],
    [0.5, 2.5, -1],
  ];
  const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
  const softmax = (r: number[]) => r.map((v) => Math.exp(v - lse(r)));

  it("one-hot / soft labels: -Σ y log softmax(x), per example then reduced", () => {
    const onehot = [
      [1, 0, 0],
      [0, 0, 1],
    ];
    const want = logits.map((r, i) => -r.reduce((a, v, k) => a + onehot[i]![k]! * (v - lse(r)), 0));
    expectClose(L.softmaxCrossEntropy(f64(logits), f64(onehot), { reduction: "none" }), want, 1e-12);
    expect(L.softmaxCrossEntropy(f64(logits), f64(onehot), { reduction: "none" }).shape).toEqual([2]);
    expectClose(L.softmaxCrossEntropy(f64(logits), f64(onehot)), (want[0]! + want[1]!) / 2, 1e-12);
    const soft = [
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ];
    const wantSoft = logits.map((r, i) => -r.reduce((a, v, k) => a + soft[i]![k]! * (v - lse(r)), 0));
    expectClose(
      L.softmaxCrossEntropy(f64(logits), f64(soft), { reduction: "sum" }),
      wantSoft[0]! + wantSoft[1]!,
      1e-12,
    );
    // gradient: softmax(x) - y (sum reduction)
    const g = grad((x: Array) => L.softmaxCrossEntropy(x, f64(soft), { reduction: "sum" }))(f64(logits));
    expectClose(
      g,
      logits.flatMap((r, i) => softmax(r).map((s, k) => s - soft[i]![k]!)),
      1e-12,
    );
    checkGrads((x: Array) => L.softmaxCrossEntropy(x, f64(soft)), [f64(logits)], { order: 2 });
  });

  it("integer labels agree with one-hot labels", () => {
    const lab = i32([0, 2]);
    const onehot = f64([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expectClose(
      L.softmaxCrossEntropyWithIntegerLabels(f64(logits), lab, { reduction: "none" }),
      flat(L.softmaxCrossEntropy(f64(logits), onehot, { reduction: "none" })),
      1e-12,
    );
    expectClose(
      L.softmaxCrossEntropyWithIntegerLabels(f64(logits), lab),
      L.softmaxCrossEntropy(f64(logits), onehot).item() as number,
      1e-12,
    );
    const g1 = grad((x: Array) => L.softmaxCrossEntropyWithIntegerLabels(x, lab))(f64(logits));
    const g2 = grad((x: Array) => L.softmaxCrossEntropy(x, onehot))(f64(logits));
    expectClose(g1, flat(g2), 1e-12);
    checkGrads((x: Array) => L.softmaxCrossEntropyWithIntegerLabels(x, lab), [f64(logits)], { order: 2 });
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(f64(logits), f64([0, 2]))).toThrow(/integers/);
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(f64(logits), i32([0, 2, 1]))).toThrow(/without the class axis/);
  });

  it("concrete labels out of [0, classes) throw, naming the label and the number of classes", () => {
    const x = f64(logits); // 2 examples, 3 classes
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(x, i32([0, 5]))).toThrow(
      /^softmaxCrossEntropyWithIntegerLabels: label 5 at index \[1\] is out of range for 3 classes \(labels must be integers in \[0, 2\]\)$/,
    );
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(x, i32([0, 3]))).toThrow(RangeError);
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(x, i32([-1, 0]))).toThrow(
      /label -1 at index \[0\] is out of range for 3 classes/,
    );
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(x, np.array([7, 0], { dtype: "uint32" }))).toThrow(
      /label 7 at index \[0\]/,
    );
    // another class axis, a multi-dimensional index, a scalar label
    expect(() =>
      L.softmaxCrossEntropyWithIntegerLabels(
        np.zeros([2, 4, 3]),
        np.array(
          [
            [0, 1, 2],
            [3, 0, 4],
          ],
          { dtype: "int32" },
        ),
        { axis: 1 },
      ),
    ).toThrow(/label 4 at index \[1, 2\] is out of range for 4 classes/);
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(np.zeros([3]), np.array(3, { dtype: "int32" }))).toThrow(
      /label 3 is out of range for 3 classes/,
    );
    // in range: fine, also under grad (labels stay concrete there)
    expect(() => grad((v: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, i32([2, 0])))(x)).not.toThrow();
    expect(() => L.multiclassHinge(x, i32([0, 3]))).toThrow(
      /^multiclassHinge: label 3 at index \[1\] is out of range for 3 classes/,
    );
  });

  it("traced labels cannot be checked: out-of-range ones are clamped as the gather clamps (documented)", () => {
    const x = f64(logits);
    const f = jit((v: Array, l: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, l, { reduction: "none" }));
    const last = flat(L.softmaxCrossEntropyWithIntegerLabels(x, i32([2, 2]), { reduction: "none" }));
    const first = flat(L.softmaxCrossEntropyWithIntegerLabels(x, i32([0, 0]), { reduction: "none" }));
    expectClose(f(x, i32([5, 3])), last, 1e-12); // ≥ C reads class C − 1
    expectClose(f(x, i32([-1, -1])), last, 1e-12); // [−C, 0) counts from the end
    expectClose(f(x, i32([-4, -9])), first, 1e-12); // < −C reads class 0
  });

  it("uniform logits give log(K)", () => {
    expectClose(L.softmaxCrossEntropyWithIntegerLabels(np.zeros([4, 5]), i32([0, 1, 2, 3])), Math.log(5), 1e-6);
  });

  it("is finite with finite gradients at ±1e4 (float32)", () => {
    const x = np.array([
      [1e4, -1e4, 0],
      [-1e4, 1e4, -1e4],
    ]);
    const lab = i32([1, 1]);
    expectClose(L.softmaxCrossEntropyWithIntegerLabels(x, lab, { reduction: "none" }), [2e4, 0], 1e-6);
    const oh = np.array([
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expectClose(L.softmaxCrossEntropy(x, oh, { reduction: "none" }), [2e4, 0], 1e-6);
    const g1 = grad((v: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, lab, { reduction: "sum" }))(x);
    const g2 = grad((v: Array) => L.softmaxCrossEntropy(v, oh, { reduction: "sum" }))(x);
    expectClose(g1, [1, -1, 0, 0, 0, 0], 1e-6);
    expectClose(g2, [1, -1, 0, 0, 0, 0], 1e-6);
    // also under jit
    const jg = jit(grad((v: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, lab)))(x);
    expect(flat(jg).every(Number.isFinite)).toBe(true);
  });
});

describe("hinge losses", () => {
  it("binary hinge: max(0, 1 - y s) with y in {-1, +1}", () => {
    const s = f64([0.5, 2, -0.3, -2]),
      y = f64([1, -1, -1, 1]);
    const want = [0.5, 3, 0.7, 3];
    expectClose(L.hinge(s, y, { reduction: "none" }), want, 1e-12);
    expectClose(L.hinge(s, y), 7.2 / 4, 1e-12);
    expectClose(grad((q: Array) => L.hinge(q, y, { reduction: "sum" }))(s), [-1, 1, 1, -1], 1e-12);
    expectClose(L.hinge(f64([3]), f64([1])), 0, 1e-12);
  });

  it("multiclass (SVM) hinge: Σ_{j≠y} max(0, s_j - s_y + 1)", () => {
    // CS231n example: scores for cat/car/frog
    const s = f64([
      [3.2, 5.1, -1.7],
      [1.3, 4.9, 2.0],
      [2.2, 2.5, -3.1],
    ]);
    const lab = i32([0, 1, 2]);
    expectClose(L.multiclassHinge(s, lab, { reduction: "none" }), [2.9, 0, 12.9], 1e-12);
    expectClose(L.multiclassHinge(s, lab), (2.9 + 12.9) / 3, 1e-12);
  });
});

describe("losses under jit and vmap", () => {
  it("jit matches eager and vmap gives per-example losses", () => {
    const x = np.array([
      [2, 1, 0.1],
      [0.5, 2.5, -1],
      [0, 0, 0],
    ]);
    const lab = i32([0, 1, 2]);
    const f = (v: Array, l: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, l);
    expectClose(jit(f)(x, lab), f(x, lab).item() as number, 1e-6);
    const per = vmap((v: Array, l: Array) => L.softmaxCrossEntropyWithIntegerLabels(v, l))(x, lab);
    expectClose(per, flat(L.softmaxCrossEntropyWithIntegerLabels(x, lab, { reduction: "none" })), 1e-6);
    const perBce = vmap((v: Array, t: Array) => L.binaryCrossEntropyWithLogits(v, t))(x, np.ones([3, 3]));
    expectClose(perBce, flat(L.binaryCrossEntropyWithLogits(x, np.ones([3, 3]), { reduction: "none" }).mean(1)), 1e-6);
    const perGrad = vmap(grad((v: Array, t: Array) => L.mse(v, t)))(x, np.zeros([3, 3]));
    expectClose(perGrad, flat(x.mul(2 / 3)), 1e-6);
  });
});
