import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Array, jacfwd, nn, np, stopGradient, tree } from "../../src/index.js";
import {
  arbArray,
  arbArrayOfShape,
  arbBroadcastableShapes,
  arbPytree,
  arbShape,
  checkGrads,
  GradCheckError,
  numericalJacobian,
} from "../../src/testing/index.js";

const f64 = (data: number | number[] | number[][]) => np.array(data, { dtype: "float64" });
const sg = np.stopGradient;
/** Right value, wrong derivative: d/dx = 1 instead of 2x + 1. */
const wrongFirst = (x: Array) => sg(x.mul(x)).add(x);
/** x³/3 with a right first derivative (x²) whose own derivative is wrong (0 instead of 2x). */
const wrongSecond = (x: Array) => sg(x.pow(3).div(3)).add(x.sub(sg(x)).mul(sg(x.square())));

function failure(fn: () => void): GradCheckError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GradCheckError) return e;
    throw e;
  }
  throw new Error("expected checkGrads to throw");
}

describe("checkGrads passes on correct derivatives", () => {
  it("elementwise, reductions and products, orders 1-3", () => {
    checkGrads((x: Array) => x.sin().mul(x), [f64([0.5, 1.5, -2])]);
    checkGrads(
      (x: Array) => np.logsumexp(x.mul(2)),
      [
        f64([
          [0.1, 0.2],
          [0.3, -0.4],
        ]),
      ],
      { order: 3 },
    );
    checkGrads(
      (a: Array, b: Array) => np.matmul(a, b).tanh(),
      [
        f64([
          [1, 2],
          [3, 4],
        ]).mul(0.1),
        f64([0.5, -0.5]),
      ],
    );
  });

  it("pytree arguments and outputs, JS numbers, float32 inputs", () => {
    const f = (p: { w: Array; b: Array }, x: Array, s: number) => ({
      y: np.tanh(np.dot(x, p.w).add(p.b)).mul(s),
      z: [p.w.exp().sum()],
    });
    checkGrads(f, [
      { w: np.array([0.3, -0.2]), b: np.array(0.1) },
      np.array([
        [1, 0.5],
        [0, 1],
      ]),
      2,
    ]);
  });

  it("only the requested modes and order", () => {
    checkGrads(nn.softmax, [f64([0.1, 0.7, -0.3])], { order: 1, modes: ["fwd"] });
    checkGrads(nn.softmax, [f64([0.1, 0.7, -0.3])], { order: 1, modes: ["rev"] });
  });

  it("leaves the caller's arguments untouched", () => {
    const x = np.array([0.5, 1]);
    checkGrads((y: Array) => y.square(), [x]);
    expect(x.dtype).toBe("float32");
    expect([...x.dataSync()]).toEqual([0.5, 1]);
  });
});

describe("checkGrads fails on wrong derivatives, with a useful message", () => {
  it("forward mode: names the check, order, argument, error and tolerance", () => {
    const e = failure(() => checkGrads(wrongFirst, [f64([0.5, 1.5])], { modes: ["fwd"] }));
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/^checkGrads: JVP check failed \(order 1, mode fwd\) for argument 0 → the output/);
    expect(e.message).toMatch(
      /max abs error [\d.e+-]+ \(tolerance atol 0\.00001 \+ rtol 0\.00001·\|expected\|\); worst at element \d: expected [\d.e+-]+, got [\d.e+-]+, error [\d.e+-]+ > tolerance [\d.e+-]+/,
    );
    expect(e.message).toMatch(/expected: \[.*\]\n {2}got: {6}\[.*\]/);
    expect(e.failure).toMatchObject({ mode: "fwd", order: 1, check: "JVP", input: "argument 0", output: "the output" });
    expect(e.failure.maxAbsError).toBeGreaterThan(e.failure.tolerance);
    // The JVP of wrongFirst is v (identity); the true one is (2x + 1)·v.
    expect(e.failure.got.length).toBe(2);
  });

  it("reverse mode: checks ⟨vjp(u), v⟩ against ⟨u, J v⟩", () => {
    const e = failure(() => checkGrads(wrongFirst, [f64([0.5, 1.5])], { modes: ["rev"] }));
    expect(e.message).toMatch(/^checkGrads: VJP check failed \(order 1, mode rev\) for argument 0/);
    expect(e.message).toContain("⟨u, J v⟩");
    expect(e.failure.mode).toBe("rev");
  });

  it("a wrong second derivative passes order 1 and fails order 2", () => {
    const x: [Array] = [f64([0.7, -1.2])];
    checkGrads(wrongSecond, x, { order: 1 });
    const fwd = failure(() => checkGrads(wrongSecond, x, { order: 2, modes: ["fwd"] }));
    expect(fwd.failure).toMatchObject({ order: 2, check: "JVP of JVP", mode: "fwd" });
    expect(fwd.message).toMatch(/for primal of argument 0 → tangent of the output/);
    const rev = failure(() => checkGrads(wrongSecond, x, { order: 2, modes: ["rev"] }));
    expect(rev.failure).toMatchObject({ order: 2, check: "VJP of VJP", mode: "rev" });
  });

  it("names the offending pytree leaf", () => {
    const f = (p: { a: Array; b: Array }, y: Array) => p.a.sin().add(wrongFirst(p.b)).mul(y);
    const e = failure(() => checkGrads(f, [{ a: f64([0.1, 0.2]), b: f64([0.3, 0.4]) }, f64(1.5)], { order: 1 }));
    expect(e.failure.input).toBe("argument 0 (leaf .b)");
    expect(e.message).toContain("for argument 0 (leaf .b)");
  });

  it("names the offending output leaf", () => {
    const f = (x: Array) => ({ good: x.sin(), bad: wrongFirst(x) });
    const e = failure(() => checkGrads(f, [f64([0.3, 0.4])], { order: 1, modes: ["fwd"] }));
    expect(e.failure.output).toBe("output leaf .bad");
  });

  it("float32 arguments use looser defaults (eps 1e-3, tolerance 2e-3) that still catch real bugs", () => {
    const e = failure(() => checkGrads(wrongFirst, [np.array([0.5, 1.5])], { order: 1 }));
    expect(e.message).toContain("eps 0.001");
    expect(e.message).toContain("atol 0.002");
  });

  it("custom tolerances: a loose enough tolerance accepts the wrong derivative", () => {
    checkGrads(wrongFirst, [f64([0.01, -0.02])], { order: 1, atol: 0.1, rtol: 0 });
  });

  it("is deterministic for a seed", () => {
    const msg = (seed: number) => failure(() => checkGrads(wrongFirst, [f64([0.5, 1.5, 2])], { seed })).message;
    expect(msg(3)).toBe(msg(3));
    expect(msg(3)).not.toBe(msg(4));
  });

  it("validates its options and arguments", () => {
    expect(() => checkGrads(np.sin, [f64(1)], { order: 0 })).toThrow(RangeError);
    expect(() => checkGrads(np.sin, [f64(1)], { modes: ["sideways" as "fwd"] })).toThrow(/unknown mode "sideways"/);
    expect(() => checkGrads(np.sin, [np.array([1], { dtype: "int32" })])).toThrow(/dtype int32/);
  });

  it("rejects args that are not a list of arguments (e.g. a bare Array instead of [x])", () => {
    const bare = (args: unknown) => args as [Array];
    const x = np.array([1, 2, 3]);
    expect(() => checkGrads(np.sin, bare(x))).toThrow(TypeError);
    expect(() => checkGrads(np.sin, bare(x))).toThrow(
      "checkGrads: args must be a list of arguments, e.g. checkGrads(f, [x]); got an Array of shape [3]",
    );
    expect(() => checkGrads(np.sin, bare(f64(2)))).toThrow(/got an Array of shape \[\]$/);
    expect(() => checkGrads(np.sin, bare(2))).toThrow(/args must be a list of arguments.*got a number \(2\)/);
    expect(() => checkGrads(np.sin, bare({ x }))).toThrow(
      /args must be a list of arguments.*got an object of class Object/,
    );
    expect(() => checkGrads(np.sin, bare(undefined))).toThrow(/got undefined/);
  });
});

describe("numericalJacobian", () => {
  const close = (a: unknown, b: unknown, tol = 1e-6) => {
    const [la, da] = tree.flatten(a);
    const [lb, db] = tree.flatten(b);
    expect(da.toString()).toBe(db.toString());
    la.forEach((l, i) => {
      const x = l as Array;
      const y = lb[i] as Array;
      expect(x.shape).toEqual(y.shape);
      expect(x.dtype).toBe("float64");
      const yd = y.dataSync();
      x.dataSync().forEach((v, k) => expect(Math.abs(v - yd[k]!)).toBeLessThan(tol * (1 + Math.abs(yd[k]!))));
    });
  };

  it("matches jacfwd for a vector function", () => {
    const f = (x: Array) => x.sin().mul(x.sum());
    const x = f64([0.1, 0.5, -0.3]);
    close(numericalJacobian(f, [x]), jacfwd(f)(x));
  });

  it("matches jacfwd's layout for pytree outputs and argnums lists", () => {
    const f = (x: Array, y: Array) => ({ a: np.outer(x, y).tanh(), b: [x.mul(y.sum()).sum()] });
    const args: [Array, Array] = [f64([0.2, -0.4]), f64([[0.3, 0.1, 0.2]]).reshape(3)];
    close(numericalJacobian(f, args, { argnums: [0, 1] }), jacfwd(f, { argnums: [0, 1] })(...args));
    close(numericalJacobian(f, args, { argnums: 1 }), jacfwd(f, { argnums: 1 })(...args));
  });

  it("matches jacfwd for a pytree argument, block shapes out.shape ++ in.shape", () => {
    const f = (p: { w: Array; b: Array }) => np.matmul(p.w, p.b).exp();
    const p = {
      w: f64([
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ]),
      b: f64([0.7, -0.1]),
    };
    const J = numericalJacobian(f, [p]) as { w: Array; b: Array };
    expect(J.w.shape).toEqual([3, 3, 2]);
    expect(J.b.shape).toEqual([3, 2]);
    close(J, jacfwd(f)(p));
  });

  it("rejects args that are not a list of arguments", () => {
    const x = np.array([
      [1, 2],
      [3, 4],
    ]);
    expect(() => numericalJacobian((y: Array) => y.sin(), x as unknown as [Array])).toThrow(TypeError);
    expect(() => numericalJacobian((y: Array) => y.sin(), x as unknown as [Array])).toThrow(
      "numericalJacobian: args must be a list of arguments, e.g. numericalJacobian(f, [x]); got an Array of shape [2, 2]",
    );
    expect(() => numericalJacobian((y: Array) => y.sin(), null as unknown as [Array])).toThrow(
      /args must be a list.*got null/,
    );
  });

  it("uses float64 even for float32 inputs", () => {
    const J = numericalJacobian((x: Array) => x.square(), [np.array([1, 2])], { eps: 1e-6 }) as Array;
    expect(J.dtype).toBe("float64");
    expect(Math.abs(J.dataSync()[3]! - 4)).toBeLessThan(1e-6);
  });
});

describe("arbitraries", () => {
  const runs = { seed: 1, numRuns: 50 };
  it("arbShape respects its bounds", () => {
    fc.assert(
      fc.property(
        arbShape({ minRank: 1, maxRank: 3, minDim: 2, maxDim: 4 }),
        (s) => s.length >= 1 && s.length <= 3 && s.every((d) => d >= 2 && d <= 4),
      ),
      runs,
    );
  });
  it("arbArray gives arrays of the dtype, in range, without NaN", () => {
    for (const dtype of ["float32", "float64", "int32", "uint32", "bool"] as const)
      fc.assert(
        fc.property(arbArray({ dtype, min: -3, max: 3, maxRank: 2 }), (x) => {
          expect(x).toBeInstanceOf(Array);
          expect(x.dtype).toBe(dtype);
          const lo = dtype === "uint32" || dtype === "bool" ? 0 : -3;
          const hi = dtype === "bool" ? 1 : 3;
          x.dataSync().forEach((v) => expect(v >= lo && v <= hi).toBe(true));
        }),
        runs,
      );
  });
  it("arbArray with a fixed shape, and arbArrayOfShape", () => {
    fc.assert(
      fc.property(arbArray({ shape: [2, 3] }), (x) => x.shape.join() === "2,3"),
      runs,
    );
    fc.assert(
      fc.property(arbArrayOfShape([4], { dtype: "float64", min: 1, max: 2 }), (x) =>
        x.dataSync().every((v) => v >= 1 && v <= 2),
      ),
      runs,
    );
  });
  it("arbPytree nests containers up to maxDepth with the given leaves", () => {
    const depth = (t: unknown): number =>
      t instanceof Array ? 0 : 1 + Math.max(0, ...Object.values(t as object).map(depth));
    fc.assert(
      fc.property(arbPytree(arbArray({ shape: [2] }), { maxDepth: 2 }), (t) => {
        expect(depth(t)).toBeLessThanOrEqual(2);
        expect(tree.leaves(t).every((l) => l instanceof Array)).toBe(true);
      }),
      runs,
    );
  });
  it("arbBroadcastableShapes broadcast together", () => {
    fc.assert(
      fc.property(arbBroadcastableShapes(3, { maxRank: 3 }), (shapes) => {
        expect(shapes.length).toBe(3);
        const out = np.add(np.add(np.zeros(shapes[0]!), np.zeros(shapes[1]!)), np.zeros(shapes[2]!));
        expect(out.ndim).toBe(Math.max(...shapes.map((s) => s.length)));
      }),
      runs,
    );
  });
  it("stopGradient tree helper sanity (used by the wrong-derivative fixtures)", () => {
    expect(String(stopGradient({ a: f64(1) }).a)).toBe(String(f64(1)));
  });
});
