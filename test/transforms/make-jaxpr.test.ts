import { describe, it, expect } from "vitest";
import { np, makeJaxpr, jit, grad, Program } from "../../src/index.js";

type Array = np.Array;

const lines = (p: Program): string[] => String(p).split("\n");

describe("makeJaxpr", () => {
  it("returns a Program with typed inputs and outputs", () => {
    const p = makeJaxpr((x: Array, y: Array) => x.mul(y).sum())(np.ones([2, 3]), np.ones([2, 3]));
    expect(p).toBeInstanceOf(Program);
    expect(p.inAvals.map(String)).toEqual(["f32[2,3]", "f32[2,3]"]);
    expect(p.outAvals.map(String)).toEqual(["f32[]"]);
    expect(p.eqns.map((e) => e.prim)).toEqual(["mul", "reduce_sum"]);
  });

  it("prints one typed equation per line", () => {
    const p = makeJaxpr((x: Array) => x.sin().cos())(np.ones([3]));
    expect(String(p)).toBe(
      ["{ lambda a:f32[3]. let", "    b:f32[3] = sin a", "    c:f32[3] = cos b", "  in ( c ) }"].join("\n"),
    );
  });

  it("shows dtypes (i32, bool, f64), params and weak types", () => {
    const p = makeJaxpr((x: Array, n: Array) => x.add(n.astype("float64")).sum([0]).greater(0))(
      np.ones([2], { dtype: "float64" }),
      np.ones([2], { dtype: "int32" }),
    );
    const text = lines(p);
    expect(text[0]).toBe("{ lambda a:f64[2] b:i32[2]. let");
    expect(text.some((l) => /^ {4}c:f64\[2\] = convert\[dtype="float64".*\] b$/.test(l))).toBe(true);
    expect(text.some((l) => /= reduce_sum\[axes=\[0\]\] /.test(l))).toBe(true);
    expect(text.some((l) => /:bool\[\] = gt /.test(l))).toBe(true);
    // every equation line declares its output with a type
    for (const l of text.slice(1, -1)) expect(l).toMatch(/^ {4}[a-z]+\d*:(f32|f64|i32|u32|bool)\[[\d,]*\]~? = [a-z_]+/);
    // a JS number argument is a weakly typed scalar (~): int32 for integers, float32 otherwise, as eagerly
    expect(String(makeJaxpr((x: Array) => x.mul(2))(3 as unknown as Array))).toBe(
      ["{ lambda a:i32[]~. let", "    b:i32[]~ = mul a 2:i32[]~", "  in ( b ) }"].join("\n"),
    );
    expect(String(makeJaxpr((x: Array) => x.mul(2))(1.5 as unknown as Array))).toBe(
      ["{ lambda a:f32[]~. let", "    b:f32[]~ = mul a 2:f32[]~", "  in ( b ) }"].join("\n"),
    );
  });

  it("lists captured array constants before the inputs", () => {
    const c = np.array([1, 2]);
    const p = makeJaxpr((x: Array) => x.mul(c))(np.ones([2]));
    expect(lines(p)[0]).toBe("{ lambda a:f32[2] ; b:f32[2]. let");
    expect(lines(p)[1]).toBe("    c:f32[2] = mul b a");
    expect(p.consts).toHaveLength(1);
  });

  it("a jit inside shows an indented sub-program", () => {
    const inner = (y: Array) => y.sin().mul(y);
    const p = makeJaxpr((x: Array) => jit(inner)(x).add(1))(np.ones([2]));
    const text = lines(p);
    expect(text[0]).toBe("{ lambda a:f32[2]. let");
    expect(text[1]).toBe('    b:f32[2] = jit_call[program={...} name="inner"] a');
    expect(text[2]).toBe("      { lambda a:f32[2]. let");
    expect(text[3]).toBe("          b:f32[2] = sin a");
    expect(text[4]).toBe("          c:f32[2] = mul b a");
    expect(text[5]).toBe("        in ( c ) }");
    expect(text[text.length - 1]).toBe("  in ( d ) }");
  });

  it("nested jits indent further", () => {
    const p = makeJaxpr((x: Array) => jit((y: Array) => jit((z: Array) => z.exp())(y))(x))(np.ones([1]));
    const text = lines(p);
    expect(text.some((l) => l.startsWith("            { lambda"))).toBe(true);
    expect(text.some((l) => l === "                b:f32[1] = exp a")).toBe(true);
  });

  it("pytree arguments and outputs are flattened", () => {
    const p = makeJaxpr((q: { a: Array; b: Array }) => ({ s: q.a.add(q.b), t: [q.a] }))({
      b: np.ones([1]),
      a: np.ones([1]),
    });
    expect(p.inVars).toHaveLength(2);
    expect(p.outs).toHaveLength(2);
  });

  it("stages the derivative computation of grad", () => {
    const p = makeJaxpr(grad((x: Array) => x.sin().sum()))(np.ones([3]));
    const prims = p.eqns.map((e) => e.prim);
    expect(prims).toContain("cos");
    expect(p.outAvals.map(String)).toEqual(["f32[3]"]);
  });

  it("does not execute anything: data reads inside are errors", () => {
    expect(() => makeJaxpr((x: Array) => x.item())(np.ones([1]))).toThrow(/inside makeJaxpr/);
  });
});
