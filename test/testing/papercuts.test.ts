import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Array, customVjp, np } from "../../src/index.js";
import { arbArray, checkGrads, GradCheckError } from "../../src/testing/index.js";

const f64 = (data: number | number[]) => np.array(data, { dtype: "float64" });
/** Right value, wrong derivative: d/dx = 1 instead of 2x + 1. */
const wrong = (x: Array) => np.stopGradient(x.mul(x)).add(x);

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("checkGrads on customVjp functions", () => {
  const sinVjp = customVjp((x: Array) => x.sin());
  sinVjp.defVjp(
    (x: Array) => [x.sin(), x.cos()],
    (cos: Array, ct: Array) => [ct.mul(cos)],
  );
  const f = (x: Array) => sinVjp(x).mul(x);

  it("the forward-mode failure says to pass { modes: ['rev'] }", () => {
    const e = thrown(() => checkGrads(f, [f64([0.5, 1])]));
    expect(e.message).toMatch(/^checkGrads: forward mode \("fwd", the JVP checks\) cannot differentiate this function/);
    expect(e.message).toContain('{ modes: ["rev"] }');
    expect(e.message).toMatch(/The error was: .*forward-mode differentiation/);
    expect((e.cause as Error).message).toMatch(/customVjp function is not supported/);
  });

  it("reverse mode only passes, orders 1 and 2", () => {
    checkGrads(f, [f64([0.5, 1])], { modes: ["rev"], order: 1 });
    checkGrads(f, [f64([0.5, 1])], { modes: ["rev"], order: 2 });
  });
});

describe("checkGrads inside fc.assert", () => {
  const property = fc.property(arbArray({ dtype: "float64", min: 0.5, max: 2, shape: [2] }), (x) => {
    checkGrads(wrong, [x], { order: 1, modes: ["rev"] });
  });

  it("the full GradCheckError text reaches fast-check's error (as its cause by default)", () => {
    const e = thrown(() => fc.assert(property, { numRuns: 5, seed: 1 }));
    expect(e.message).toMatch(/^Property failed after 1 tests/);
    expect(e.cause).toBeInstanceOf(GradCheckError);
    const text = (e.cause as GradCheckError).message;
    expect(text).toMatch(/^checkGrads: VJP check failed \(order 1, mode rev\) for argument 0/);
    expect(text).toMatch(/\n {2}expected: \[.*\]\n {2}got: {6}\[.*\]\n {2}\(eps 0\.0001, seed 0\)$/);
  });

  it("with includeErrorInReport, fast-check's message holds the full text", () => {
    const e = thrown(() => fc.assert(property, { numRuns: 5, seed: 1, includeErrorInReport: true }));
    expect(e.message).toMatch(/Counterexample: \[array\(/);
    expect(e.message).toMatch(
      /Got GradCheckError: checkGrads: VJP check failed \(order 1, mode rev\) for argument 0 → /,
    );
    expect(e.message).toMatch(
      /max abs error .* > tolerance .*\n {2}expected: \[.*\]\n {2}got: {6}\[.*\]\n {2}\(eps 0\.0001, seed 0\)/,
    );
  });
});

describe("checkGrads argnums", () => {
  const loss = (x: Array, labels: Array) => np.take(x.square(), labels).sum();
  const x = f64([1, 2, 3]);
  const labels = np.array([0, 2], { dtype: "int32" });

  it("checks only the listed arguments; the others may be integer labels", () => {
    checkGrads(loss, [x, labels], { argnums: 0 });
    checkGrads(loss, [x, labels], { argnums: [0], order: 1, modes: ["rev"] });
    checkGrads(loss, [x, labels], { argnums: [-2] });
  });

  it("without argnums, an integer argument is an error that suggests argnums", () => {
    expect(() => checkGrads(loss, [x, labels])).toThrow(
      "checkGrads: argument 1 has dtype int32; only float arguments can be perturbed: pass { argnums: [0] } to check only the float arguments (the others are passed through unchanged)",
    );
    expect(() => checkGrads(loss, [x, labels], { argnums: 1 })).toThrow(
      /argument 1 has dtype int32; only float arguments can be perturbed: leave it out of argnums/,
    );
  });

  it("failures name the original argument position", () => {
    const g = (a: Array, n: Array, b: Array) => a.sum().add(wrong(b).sum()).add(n.astype("float64").sum());
    const e = thrown(() =>
      checkGrads(g, [f64([1]), np.array([3], { dtype: "int32" }), f64([0.5, 1])], { argnums: [0, 2] }),
    );
    expect(e).toBeInstanceOf(GradCheckError);
    expect(e.message).toMatch(/for argument 2 → /);
    expect((e as GradCheckError).failure.input).toBe("argument 2");
  });

  it("argnums is validated against the arity; unknown options are rejected", () => {
    expect(() => checkGrads(loss, [x, labels], { argnums: 2 })).toThrow(
      "checkGrads: argnums 2 is out of range for 2 argument(s)",
    );
    expect(() => checkGrads(loss, [x, labels], { argnums: [0, 0] })).toThrow(/names an argument twice/);
    expect(() => checkGrads(loss, [x, labels], { argnums: [] })).toThrow(/non-empty list/);
    expect(() => checkGrads(loss, [x, labels], { argnum: 0 } as never)).toThrow(
      "checkGrads: unknown option 'argnum'; known options: order, modes, eps, atol, rtol, seed, argnums",
    );
  });
});
