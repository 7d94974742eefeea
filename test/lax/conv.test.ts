/**
 * lax.convGeneralDilated against jax.lax.conv_general_dilated 0.10.2 (test/fixtures/conv.json,
 * from scripts/conv-fixtures.py with x64): values and the gradients of sum(out * cotangent) in
 * both operands, over layouts, strides, SAME/VALID/explicit (negative) padding, lhs/rhs dilation,
 * feature and batch groups, 1-d to 3-d.
 *
 * Tolerances, relative to 1 + |value|: float64 1e-12 — the same sums of at most a few hundred
 * products, differing only in summation order (a few ulps of 2.2e-16 per term); float32 2e-5 —
 * float32 rounding of inputs and outputs (6e-8 each) times sums of up to ~100 terms of size ~1.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, lax, makeJaxpr, np, vmap } from "../../src/index.js";
import type { ConvPadding } from "../../src/lax/control/index.js";
import { convFixture, convOf, flatten } from "./conv-fixture.js";
import { expectClose } from "../helpers.js";

describe("convGeneralDilated vs jax.lax.conv_general_dilated", () => {
  for (const c of convFixture.conv) {
    it(`${c.name}: values and gradients (float64)`, () => {
      const f = convOf(c);
      const x = np.array(c.lhs as number[], { dtype: "float64" });
      const w = np.array(c.rhs as number[], { dtype: "float64" });
      const y = f(x, w);
      expect(y.shape).toEqual(c.outShape);
      expectClose(y, flatten(c.out), 1e-12);
      const ct = np.array(c.cotangent as number[], { dtype: "float64" });
      const [gx, gw] = grad((a: np.Array, b: np.Array) => np.sum(np.multiply(f(a, b), ct)), { argnums: [0, 1] })(x, w);
      expectClose(gx, flatten(c.gradLhs), 1e-12);
      expectClose(gw, flatten(c.gradRhs), 1e-12);
    });
    it(`${c.name}: float32 under jit`, () => {
      const f = jit(convOf(c));
      const y = f(np.array(c.lhs as number[], { dtype: "float32" }), np.array(c.rhs as number[], { dtype: "float32" }));
      expect(y.dtype).toBe("float32");
      expectClose(y, flatten(c.out), 2e-5);
    });
  }
});

describe("convGeneralDilated under transforms", () => {
  const groups = convFixture.conv.filter(
    (c) => c.featureGroupCount > 1 || c.batchGroupCount > 1 || c.name === "1d valid",
  );
  for (const c of groups) {
    it(`${c.name}: vmap over lhs, rhs and both equals the per-example results`, () => {
      const f = convOf(c);
      const x = np.array(c.lhs as number[], { dtype: "float64" });
      const w = np.array(c.rhs as number[], { dtype: "float64" });
      const xs = np.stack([x, np.multiply(x, -0.5), np.add(x, 1)]);
      const ws = np.stack([w, np.multiply(w, 2), np.subtract(w, 0.25)]);
      const each = (a: np.Array, b: np.Array) => f(a, b).dataSync();
      const stackOf = (pick: (i: number) => Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array) =>
        [0, 1, 2].flatMap((i) => Array.from(pick(i), Number));
      expectClose(
        vmap(f, { inAxes: [0, null] })(xs, w),
        stackOf((i) => each(xs.get(i), w)),
        1e-12,
      );
      expectClose(
        vmap(f, { inAxes: [null, 0] })(x, ws),
        stackOf((i) => each(x, ws.get(i))),
        1e-12,
      );
      expectClose(
        vmap(f)(xs, ws),
        stackOf((i) => each(xs.get(i), ws.get(i))),
        1e-12,
      );
      // A batch axis that is not the first, on both operands.
      expectClose(
        vmap(f, { inAxes: [1, 2], outAxes: 0 })(np.moveaxis(xs, 0, 1), np.moveaxis(ws, 0, 2)),
        stackOf((i) => each(xs.get(i), ws.get(i))),
        1e-12,
      );
    });
  }

  it("gradients are convolutions: the jaxpr of the VJP holds conv_general_dilated and no dot_general", () => {
    const c = convFixture.conv.find((k) => k.name === "nhwc same stride 2")!;
    const f = convOf(c);
    const x = np.array(c.lhs as number[], { dtype: "float32" });
    const w = np.array(c.rhs as number[], { dtype: "float32" });
    const text = makeJaxpr(grad((a: np.Array, b: np.Array) => np.sum(f(a, b)), { argnums: [0, 1] }))(x, w).toString();
    expect(text.match(/conv_general_dilated/g)?.length).toBe(3);
    expect(text).not.toContain("dot_general");
  });

  it("second derivatives: grad of grad matches the analytic Hessian-vector product of a bilinear map", () => {
    // f(x) = sum(conv(x, w)^2) / 2 has Hessian C^T C, so grad(x ↦ <grad f(x), v>) = C^T C v.
    const c = convFixture.conv.find((k) => k.name === "2d same stride rhs dilation")!;
    const conv = convOf(c);
    const x = np.array(c.lhs as number[], { dtype: "float64" });
    const w = np.array(c.rhs as number[], { dtype: "float64" });
    const v = np.cos(np.reshape(np.arange(x.size, { dtype: "float64" }), x.shape));
    const f = (a: np.Array) => np.multiply(np.sum(np.square(conv(a, w))), 0.5);
    const hvp = grad((a: np.Array) => np.sum(np.multiply(grad(f)(a), v)))(x);
    const want = grad((a: np.Array) => np.sum(np.multiply(conv(a, w), conv(v, w))))(x);
    expectClose(hvp, Array.from(want.dataSync(), Number), 1e-12);
  });
});

describe("convGeneralDilated errors", () => {
  const x = np.ones([1, 2, 5, 5]);
  const w = np.ones([3, 2, 3, 3]);
  it("names the op and the problem", () => {
    expect(() => lax.convGeneralDilated(x, np.ones([3, 4, 3, 3]), [1, 1], "VALID")).toThrow(
      /conv_general_dilated: lhs features \(2\) must equal rhs input features \(4\)/,
    );
    expect(() => lax.convGeneralDilated(x, np.ones([3, 3, 3]), [1, 1], "VALID")).toThrow(
      /convGeneralDilated: lhs and rhs need the same rank/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1], "VALID")).toThrow(/one entry per spatial dim \(2\)/);
    expect(() => lax.convGeneralDilated(x, w, [0, 1], "VALID")).toThrow(/strides and dilations must be integers >= 1/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "FULL" as ConvPadding)).toThrow(/padding must be 'SAME'/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], [[1, 1]])).toThrow(/one \[lo, hi\] integer pair per spatial dim/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "SAME", { lhsDilation: [2, 2] })).toThrow(
      /string padding \('SAME'\) is not defined with lhsDilation/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", { dimensionNumbers: ["NHWC", "HWIO", "NCHW"] })).toThrow(
      /lhs features \(5\)/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", { dimensionNumbers: ["NXYC", "HWIO", "NHWC"] })).toThrow(
      /must name the same spatial letters/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", { featureGroupCount: 2 })).toThrow(
      /lhs features \(2\) must equal rhs input features \(2\) × featureGroupCount \(2\)/,
    );
    expect(() => lax.convGeneralDilated(x, np.ones([3, 2, 3, 3], { dtype: "float64" }), [1, 1], "VALID")).toThrow(
      /operands must share a dtype/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", { strides: [1, 1] } as never)).toThrow(/strides/);
  });

  it("an empty window position count gives an empty output; int32 operands convolve exactly", () => {
    expect(lax.convGeneralDilated(np.ones([1, 1, 2]), np.ones([1, 1, 3]), [1], "VALID").shape).toEqual([1, 1, 0]);
    const y = lax.conv(
      np.array([[[1, 2, 3, 4]]], { dtype: "int32" }),
      np.array([[[1, -1]]], { dtype: "int32" }),
      [1],
      "VALID",
    );
    expect(y.dtype).toBe("int32");
    expect(Array.from(y.dataSync())).toEqual([-1, -1, -1]);
  });
});
