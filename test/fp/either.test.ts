/** tryGraft, checkGradsE and minimizeE: Left with the right tag for each kind of failure, Right otherwise. */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import { describe, expect, it } from "vitest";
import type { Array } from "../../src/core/array.js";
import { UnsupportedDTypeError } from "../../src/core/errors.js";
import * as fp from "../../src/fp/index.js";
import * as np from "../../src/numpy/index.js";
import * as optim from "../../src/optim/index.js";
import { jit } from "../../transforms/jit.js";
import { stopGradient } from "../../transforms/stop-gradient.js";

const f64 = (v: Parameters<typeof np.array>[0]): Array => np.array(v, { dtype: "float64" });

/** The Left of `e`, failing the test with what it got when `e` is a Right. */
function leftOf<L, R>(e: E.Either<L, R>): L {
  if (E.isRight(e)) throw new Error(`expected a Left, got Right(${String(e.right)})`);
  return e.left;
}

describe("tryGraft", () => {
  it("is Right of the value when nothing throws", () => {
    const r = fp.tryGraft(() => np.ones([2]).add(1).sum());
    expect(E.isRight(r) && r.right.item()).toBe(4);
  });

  it("tags each of graft's errors", () => {
    const concretization = leftOf(fp.tryGraft(() => jit((x: Array) => np.array(x.item()))(np.array(1))));
    expect(concretization._tag).toBe("ConcretizationError");
    expect(concretization.error.message).toMatch(/traced value/);

    const index = leftOf(fp.tryGraft(() => np.array([1, 2]).get(5)));
    expect(index._tag).toBe("IndexError");
    expect(index.error.message).toMatch(/index 5 is out of bounds/);

    const opt = optim.adam(0.1);
    const state = opt.init({ a: f64([1]) });
    const structure = leftOf(fp.tryGraft(() => opt.update({ b: f64([1]) }, state)));
    expect(structure._tag).toBe("OptimStructureError");

    const broadcast = leftOf(fp.tryGraft(() => np.ones([2]).add(np.ones([3]))));
    expect(broadcast._tag).toBe("Error");
    expect(broadcast.error.message).toMatch(/incompatible shapes for broadcasting/);

    const badInput = leftOf(fp.tryGraft(() => np.ones([2]).sum({ axis: "x" } as never)));
    expect(badInput._tag).toBe("InvalidArgument");
  });

  it("tags UnsupportedDTypeError (raised by the WebGPU backend, thrown here directly)", () => {
    const e = leftOf(
      fp.tryGraft(() => {
        throw new UnsupportedDTypeError("webgpu", "float64", "devicePut");
      }),
    );
    expect(e._tag).toBe("UnsupportedDTypeError");
    expect(e._tag === "UnsupportedDTypeError" && e.error.dtype).toBe("float64");
  });

  it("rethrows what is not an Error (graft never throws those)", () => {
    expect(() =>
      fp.tryGraft(() => {
        throw "a string";
      }),
    ).toThrow("a string");
  });

  it("tryGraftK lifts a function; the result composes with Either's combinators", () => {
    const safeMatmul = fp.tryGraftK((a: Array, b: Array) => np.matmul(a, b));
    const shape = (e: E.Either<fp.GraftError, Array>): string =>
      pipe(
        e,
        E.match(
          (err) => err._tag,
          (m) => m.shape.join("x"),
        ),
      );
    expect(shape(safeMatmul(np.ones([2, 3]), np.ones([3, 4])))).toBe("2x4");
    expect(shape(safeMatmul(np.ones([2, 3]), np.ones([2, 3])))).toMatch(/^(Error|InvalidArgument)$/);
  });

  it("rejects a non-function, naming itself", () => {
    expect(() => fp.tryGraft(42 as never)).toThrow(/tryGraft: expected a function of no arguments, got number/);
    expect(() => fp.tryGraftK(null as never)).toThrow(/tryGraftK: expected a function, got null/);
  });
});

describe("checkGradsE", () => {
  it("is Right for a function whose derivatives are right", () => {
    expect(fp.checkGradsE((v: Array) => v.sin().mul(v).sum(), [f64([0.5, 1.5])])).toEqual(E.right(undefined));
  });

  it("is Left(GradCheckError) with the failure's details when autodiff disagrees with finite differences", () => {
    // d/dv [v · stopGradient(v)] is v to autodiff but 2v to finite differences.
    const wrong = (v: Array): Array => v.mul(stopGradient(v)).sum();
    const e = leftOf(fp.checkGradsE(wrong, [f64([1, 2])], { order: 1 }));
    expect(e._tag).toBe("GradCheckError");
    if (e._tag !== "GradCheckError") return;
    expect(e.error.failure.mode).toMatch(/fwd|rev/);
    expect(e.error.failure.maxAbsError).toBeGreaterThan(0.5);
  });

  it("is Left(InvalidArgument) for bad options", () => {
    expect(leftOf(fp.checkGradsE((v: Array) => v.sum(), [f64([1])], { order: 0 }))._tag).toBe("InvalidArgument");
  });
});

describe("minimizeE", () => {
  const quadratic = (p: Array): Array =>
    p
      .sub(f64([3, -1]))
      .square()
      .sum();

  it("is Right of the result when the solver converges", () => {
    const r = fp.minimizeE(quadratic, f64([0, 0]));
    if (E.isLeft(r)) throw new Error(`expected Right, got Left(${r.left._tag})`);
    expect(r.right.converged).toBe(true);
    const [a, b] = r.right.x.dataSync();
    expect(a).toBeCloseTo(3, 8);
    expect(b).toBeCloseTo(-1, 8);
  });

  it("is Left(NotConverged) with the partial result when it stops early", () => {
    const rosen = (p: Array): Array => {
      const [u, v] = [p.get(0), p.get(1)];
      return u.neg().add(1).square().add(v.sub(u.square()).square().mul(100));
    };
    const e = leftOf(fp.minimizeE(rosen, f64([-1.2, 1]), { maxIter: 2 }));
    expect(e._tag).toBe("NotConverged");
    if (e._tag !== "NotConverged") return;
    expect(e.result.iterations).toBe(2);
    expect(e.result.converged).toBe(false);
  });

  it("is Left(InvalidArgument) for an unknown method", () => {
    const e = leftOf(fp.minimizeE(quadratic, f64([0, 0]), { method: "simplex" as never }));
    expect(e._tag).toBe("InvalidArgument");
    expect(e._tag !== "NotConverged" && e.error.message).toMatch(/minimize/);
  });
});
