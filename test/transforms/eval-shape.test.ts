import { describe, it, expect } from "vitest";
import { np, nn, grad, vmap, jit, ShapedArray, ConcretizationError } from "../../src/index.js";
import { evalShape } from "../../transforms/eval-shape.js";

type Array = np.Array;

const desc = (a: ShapedArray) => String(a);

describe("evalShape", () => {
  it("matmul of arrays and ShapedArrays", () => {
    const out = evalShape(
      (a: Array, b: Array) => np.matmul(a, b),
      new ShapedArray([128, 64], "float32"),
      np.ones([64, 10]),
    );
    expect(out).toBeInstanceOf(ShapedArray);
    expect(out.shape).toEqual([128, 10]);
    expect(out.dtype).toBe("float32");
    expect(out.weakType).toBe(false);
    // batched matmul with broadcasting
    expect(
      desc(
        evalShape(
          (a: Array, b: Array) => np.matmul(a, b),
          new ShapedArray([5, 1, 3, 4], "float64"),
          new ShapedArray([2, 4, 7], "float64"),
        ),
      ),
    ).toBe("f64[5,2,3,7]");
  });

  it("reductions, dtypes and weak types", () => {
    const x = new ShapedArray([3, 4, 5], "float32");
    expect(desc(evalShape((v: Array) => v.sum(), x))).toBe("f32[]");
    expect(desc(evalShape((v: Array) => v.sum(1), x))).toBe("f32[3,5]");
    expect(desc(evalShape((v: Array) => v.mean([0, 2]), x))).toBe("f32[4]");
    expect(desc(evalShape((v: Array) => v.argmax(2), x))).toBe("i32[3,4]");
    expect(desc(evalShape((v: Array) => v.greater(0), x))).toBe("bool[3,4,5]");
    // JS numbers are typed as np.asArray types them: weak int32 / weak float32
    expect(desc(evalShape((a: Array, b: Array) => a.add(b), 2, 3))).toBe("i32[]~");
    expect(desc(evalShape((a: Array, b: Array) => a.mul(b), np.ones([2], { dtype: "float64" }), 1.5))).toBe("f64[2]");
    expect(desc(evalShape((a: Array) => a, new ShapedArray([2], "float32", true)))).toBe("f32[2]~");
  });

  it("pytrees in and out", () => {
    const params = { w: new ShapedArray([4, 3], "float32"), b: new ShapedArray([3], "float32") };
    const out = evalShape(
      (p: { w: Array; b: Array }, x: Array) => {
        const h = np.matmul(x, p.w).add(p.b);
        return { logits: h, probs: [nn.softmax(h)], loss: h.sum() };
      },
      params,
      np.zeros([8, 4]),
    );
    expect(desc(out.logits)).toBe("f32[8,3]");
    expect(desc(out.probs[0]!)).toBe("f32[8,3]");
    expect(desc(out.loss)).toBe("f32[]");
    expect(Object.isFrozen(out)).toBe(true);
  });

  it("composes with transforms: the shapes of a gradient and of a vmapped function", () => {
    const loss = (w: Array, x: Array) => np.matmul(x, w).tanh().sum();
    const g = evalShape(grad(loss), new ShapedArray([4, 2], "float32"), new ShapedArray([16, 4], "float32"));
    expect(desc(g)).toBe("f32[4,2]");
    expect(
      desc(
        evalShape(
          vmap((v: Array) => v.sum()),
          new ShapedArray([7, 3], "float32"),
        ),
      ),
    ).toBe("f32[7]");
    expect(
      desc(
        evalShape(
          jit((v: Array) => v.reshape([-1])),
          new ShapedArray([7, 3], "float32"),
        ),
      ),
    ).toBe("f32[21]");
  });

  it("computes nothing: reading data inside f is a ConcretizationError", () => {
    let ran = 0;
    const f = (x: Array) => {
      ran++;
      return x.mul(x.item() as number);
    };
    expect(() => evalShape(f, np.ones([]))).toThrow(ConcretizationError);
    expect(() => evalShape((x: Array) => (Number(x) > 0 ? x : x.neg()), new ShapedArray([], "float32"))).toThrow(
      ConcretizationError,
    );
    expect(ran).toBe(1);
  });

  it("rejects bad arguments", () => {
    expect(() => evalShape(3 as never)).toThrow(/expected a function/);
    expect(() => evalShape((x: Array) => x, undefined as never)).toThrow(/undefined/);
    expect(() => evalShape((x: Array) => x, "a" as never)).toThrow(/graft arrays, numbers or pytrees/);
  });
});
