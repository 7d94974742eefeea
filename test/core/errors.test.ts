import { describe, it, expect, afterEach } from "vitest";
import {
  np,
  grad,
  jit,
  vmap,
  jvp,
  hessian,
  tree,
  config,
  ConcretizationError,
  UnexpectedTracerError,
} from "../../src/index.js";

type Array = np.Array;

/** Runs `f`, expecting it to throw; returns the error for detailed assertions. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the function to throw");
}

afterEach(() => config.update({ debugNans: false, disableJit: false }));

describe("shape and axis errors", () => {
  it("incompatible broadcast shapes name the op, both shapes, the axis and the rule", () => {
    const e = thrown(() => np.add(np.ones([2, 3]), np.ones([4])));
    expect(e.message).toMatch(/^add: incompatible shapes for broadcasting: \[2, 3\] and \[4\]/);
    expect(e.message).toMatch(/axis -1 has sizes 3 and 4/);
    expect(e.message).toMatch(/sizes must match or be 1/);
    expect(thrown(() => np.ones([2, 3]).mul(np.ones([2]))).message).toMatch(/^multiply: incompatible shapes/);
    expect(thrown(() => np.where(np.ones([3]), np.ones([2]), 0)).message).toMatch(/^where: incompatible shapes/);
  });

  it("matmul inner-dimension mismatch names both shapes and the axes that must agree", () => {
    const e = thrown(() => np.matmul(np.ones([2, 3]), np.ones([4, 5])));
    expect(e.message).toMatch(/^matmul: inner dimensions do not match: \[2, 3\] @ \[4, 5\]/);
    expect(e.message).toMatch(/last axis of the first operand, 3, must equal the second-to-last axis of the second, 4/);
    expect(thrown(() => np.ones([2, 3]).matmul(np.ones([2]))).message).toMatch(
      /\[2, 3\] @ \[2\].*must equal the only axis/,
    );
  });

  it("axis out of range names the op, the axis, the rank and the valid range", () => {
    const e = thrown(() => np.sum(np.ones([2, 3, 4]), 5));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("sum: axis 5 is out of range for an array of rank 3 (valid: -3..2)");
    expect(thrown(() => np.ones([2]).mean(-2)).message).toMatch(
      /^mean: axis -2 is out of range for an array of rank 1 \(valid: -1..0\)/,
    );
    expect(thrown(() => np.argmax(np.ones([2]), 3)).message).toMatch(/^argmax: axis 3/);
    expect(thrown(() => np.cumsum(np.ones([2]), 1)).message).toMatch(/^cumsum: axis 1/);
  });
});

describe("differentiation errors", () => {
  it("grad of a non-scalar output says what to use instead", () => {
    const e = thrown(() => grad((x: Array) => x.mul(2))(np.array([1, 2, 3])));
    expect(e.message).toMatch(/^grad: the function must return a scalar \(shape \[\]\), got float32\[3\]/);
    expect(e.message).toMatch(/use vjp or jacrev/);
  });

  it("grad of an integer-valued output names the dtype", () => {
    const e = thrown(() => grad((x: Array) => x.sum().astype("int32"))(np.array([1, 2])));
    expect(e.message).toMatch(/^grad: the function's output has dtype int32; grad needs a float32\/float64 output/);
  });

  it("differentiating w.r.t. an int32 input names the leaf and suggests astype or argnums", () => {
    const e = thrown(() => grad((x: Array) => x.sum().astype("float32"))(np.array([1, 2], { dtype: "int32" })));
    expect(e.message).toMatch(/^grad: input leaf 0 \(of argnums 0\) has dtype int32/);
    expect(e.message).toMatch(/only float32\/float64 values can be differentiated/);
    expect(e.message).toMatch(/\.astype\("float32"\)/);
    expect(e.message).toMatch(/leave it out of argnums/);
    // an int argument is fine when it is not differentiated
    const ok = grad((x: Array, n: Array) => x.mul(n).sum())(np.array([1, 2]), np.array([3, 4], { dtype: "int32" }));
    expect(ok.tolist()).toEqual([3, 4]);
  });
});

describe("vmap errors", () => {
  it("inconsistent batch sizes name both leaves, shapes and axes", () => {
    const e = thrown(() =>
      vmap((a: Array, b: Array) => a.add(b), { inAxes: [0, 1] })(np.ones([2, 5]), np.ones([5, 3])),
    );
    expect(e.message).toMatch(/^vmap: inconsistent sizes for the mapped axis/);
    expect(e.message).toMatch(/leaf 0 \(shape \[2, 5\], axis 0\) gives 2/);
    expect(e.message).toMatch(/leaf 1 \(shape \[5, 3\], axis 1\) gives 3/);
  });
  it("a bad axis names the axis, the leaf shape and its rank", () => {
    const e = thrown(() => vmap((x: Array) => x, { inAxes: 3 })(np.ones([2, 3])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("vmap: inAxes 3 is out of range for argument leaf 0 of shape [2, 3] (rank 2)");
    expect(thrown(() => vmap((x: Array) => x, { inAxes: -3 })(np.ones([2, 3]))).message).toMatch(
      /inAxes -3 is out of range/,
    );
  });
});

describe("concretization: traced values used where concrete values are needed", () => {
  const uses: [string, (x: Array) => unknown][] = [
    ["Number(x)", (x) => Number(x)],
    ["x.item()", (x) => x.item()],
    ["x.dataSync()", (x) => x.dataSync()],
    ["x.tolist()", (x) => x.tolist()],
    ["x > 0", (x) => (x as unknown as number) > 0],
    ["x + 1 (JS)", (x) => (x as unknown as number) + 1],
  ];
  // Note: a plain `if (x)` on an Array object cannot be intercepted in JS: objects are always truthy,
  // and no hook runs. That case is documented here rather than tested.

  for (const [what, use] of uses) {
    it(`${what} inside jit`, () => {
      const e = thrown(() => jit((x: Array) => (use(x), x))(np.array(1)));
      expect(e).toBeInstanceOf(ConcretizationError);
      expect(e.name).toBe("ConcretizationError");
      expect(e.message).toMatch(/a traced value \(f32\[\], inside jit\) was used where a concrete value is needed/);
      expect(e.message).toMatch(/np\.where/);
      expect(e.message).toMatch(/staticArgnums/);
    });
    it(`${what} inside grad: concrete outside jit (as in JAX), an error inside jit(grad)`, () => {
      let seen: unknown;
      expect(grad((x: Array) => ((seen = use(x)), x.sum()))(np.array(1)).item()).toBe(1);
      expect(seen).toEqual(use(np.array(1)));
      const e = thrown(() => jit(grad((x: Array) => (use(x), x.sum())))(np.array(1)));
      expect(e).toBeInstanceOf(ConcretizationError);
      expect(e.message).toMatch(/\(f32\[\], inside jit\)/);
      expect(e.message).toMatch(/np\.where/);
    });
  }

  it("inside vmap the message names vmap and the per-example aval", () => {
    const e = thrown(() => vmap((x: Array) => (Number(x), x))(np.ones([3, 2])));
    expect(e).toBeInstanceOf(ConcretizationError);
    expect(e.message).toMatch(/converting a traced array to a JS number: a traced value \(f32\[2\], inside vmap\)/);
  });

  it("printing a tracer does not throw: it shows the abstract value and the transform", () => {
    let text = "";
    jit((x: Array) => ((text = `${x}`), x))(np.ones([2]));
    expect(text).toBe("Traced<f32[2]> (inside jit)");
  });

  it("the suggested fix works: np.where for branches, staticArgnums for JS control flow", () => {
    const f = jit((x: Array) => np.where(x.greater(0), x, x.neg()));
    expect(f(np.array([-2, 3])).tolist()).toEqual([2, 3]);
    const g = jit((x: Array, n: number) => (n > 0 ? x : x.neg()), { staticArgnums: 1 });
    expect(g(np.array([2]), -1).tolist()).toEqual([-2]);
  });
});

describe("leaked tracers", () => {
  const leakFrom = (transform: "grad" | "jit" | "vmap"): Array => {
    let leaked: Array | undefined;
    const f = (x: Array) => {
      leaked = x;
      return x.sum();
    };
    if (transform === "grad") grad(f)(np.array([1, 2]));
    else if (transform === "jit") jit(f)(np.array([1, 2]));
    else vmap(f)(np.array([1, 2]));
    return leaked!;
  };

  for (const transform of ["grad", "jit", "vmap"] as const) {
    it(`a tracer leaked from ${transform} and used eagerly`, () => {
      const t = leakFrom(transform);
      const e = thrown(() => t.add(1));
      expect(e).toBeInstanceOf(UnexpectedTracerError);
      expect(e.name).toBe("UnexpectedTracerError");
      expect(e.message).toMatch(new RegExp(`^a tracer created by ${transform} leaked out of its transform`));
      expect(e.message).toMatch(/Return values from the transformed function instead of storing them/);
    });
    it(`a tracer leaked from ${transform} and used inside another transform`, () => {
      const t = leakFrom(transform);
      expect(() => jit((y: Array) => y.add(t))(np.array([1, 2]))).toThrow(UnexpectedTracerError);
      expect(() => grad((y: Array) => y.mul(t).sum())(np.array([1, 2]))).toThrow(new RegExp(`created by ${transform}`));
    });
  }

  it("reading a leaked tracer's data reports the leak", () => {
    const t = leakFrom("grad");
    expect(() => t.dataSync()).toThrow(UnexpectedTracerError);
  });
});

describe("pytree and input errors", () => {
  it("jvp primals vs tangents structure mismatch shows both structures", () => {
    const e = thrown(() => jvp((a: Array, _b: Array) => a, [np.ones([1]), np.ones([1])], [np.ones([1])] as never));
    expect(e.message).toBe("jvp: primals and tangents must have the same pytree structure; got [*, *] and [*]");
    const e2 = thrown(() => jvp((p: { w: Array }) => p.w, [{ w: np.ones([1]) }], [{ v: np.ones([1]) }] as never));
    expect(e2.message).toMatch(/\{w: \*\}.*\{v: \*\}/);
  });

  it("tree.map structure mismatch shows both structures and which argument", () => {
    const e = thrown(() => tree.map((a: number, b: number) => a + b, { a: 1 }, { b: 2 }));
    expect(e.message).toMatch(/^tree\.map: structure mismatch: \{a: \*\} vs \{b: \*\}/);
    expect(e.message).toMatch(/tree argument 2/);
  });

  it("ragged nested arrays in np.array name the position and the expected shape", () => {
    const e = thrown(() => np.array([[1, 2], [3]]));
    expect(e.message).toBe(
      "array: ragged nested array: [1] has length 1 but its siblings have length 2 (expected shape [2, 2])",
    );
    expect(thrown(() => np.array([[1, 2], 3] as never)).message).toMatch(
      /^array: ragged nested array: \[1\] has a scalar/,
    );
    expect(thrown(() => np.array([1, [2]] as never)).message).toMatch(
      /^array: ragged or invalid nested array: expected a number at \[1\], found a list/,
    );
    expect(thrown(() => np.array([1, "a"] as never)).message).toMatch(/found string/);
  });

  it("unknown dtypes list the valid ones", () => {
    const e = thrown(() => np.zeros([2], { dtype: "float16" as never }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/unknown dtype "float16"; expected one of float32, float64, int32, uint32, bool/);
    expect(thrown(() => np.array([1], { dtype: "int8" as never })).message).toMatch(/^array: unknown dtype "int8"/);
    expect(thrown(() => np.ones([1]).astype("float16" as never)).message).toMatch(/^astype: unknown dtype "float16"/);
  });

  it("unknown dtype in np.zeros names 'zeros'", () => {
    expect(() => np.zeros([2], { dtype: "float16" as never })).toThrow(/^zeros: /);
  });

  it("hessian of an int32 input names 'hessian'", () => {
    expect(() => hessian((x: Array) => x.sum())(np.array([1], { dtype: "int32" }))).toThrow(
      /^hessian: input leaf 0 has dtype int32/,
    );
  });

  it("grad called with no arguments names the default argnums 0", () => {
    expect(() => (grad((() => np.array(1)) as never) as () => unknown)()).toThrow(
      /grad: argnums 0 is out of range for a call with 0 argument/,
    );
  });

  it("non-array values passed to transforms are rejected with their type", () => {
    expect(thrown(() => grad((x: Array) => x.sum())("abc" as never)).message).toMatch(
      /^grad: differentiated arguments must be graft arrays, numbers or pytrees of them; found string/,
    );
    expect(thrown(() => jit((x: Array) => x)(new Date() as never)).message).toMatch(
      /^jit: arguments must be graft arrays.*found an object of class Date/,
    );
  });

  it("config.update rejects unknown options and non-boolean values", () => {
    expect(thrown(() => config.update({ debugNan: true } as never)).message).toBe(
      "config.update: unknown option 'debugNan'; known: debugNans, disableJit, explainCacheMisses, cacheSize, maxAllocationBytes",
    );
    expect(thrown(() => config.update({ debugNans: 1 } as never)).message).toMatch(
      /option 'debugNans' must be a boolean, got number/,
    );
    expect(thrown(() => config.update({ cacheSize: 0 })).message).toMatch(
      /'cacheSize' must be a positive integer, got 0/,
    );
  });

  it("config.update takes own keys only: prototype names and __proto__ from JSON are unknown options", () => {
    for (const k of ["constructor", "toString", "hasOwnProperty"])
      expect(thrown(() => config.update({ [k]: true } as never)).message).toMatch(`unknown option '${k}'`);
    expect(thrown(() => config.update(JSON.parse('{"__proto__": true}'))).message).toMatch(
      "unknown option '__proto__'",
    );
    // A rejected update changes nothing, even the valid options listed before the bad one.
    expect(() => config.update({ debugNans: true, bogus: 1 } as never)).toThrow();
    expect(config.debugNans).toBe(false);
  });
});

describe("debugNans", () => {
  it("with debugNans on, log(-1) throws naming 'log' and the operand types", () => {
    config.update({ debugNans: true });
    expect(config.debugNans).toBe(true);
    const e = thrown(() => np.log(np.array([-1])));
    expect(e.message).toMatch(/^debugNans: primitive 'log' produced a NaN from NaN-free inputs \(float32\[1\]\)/);
  });

  it("also under jit", () => {
    config.update({ debugNans: true });
    const f = jit((x: Array) => np.log(x).add(1));
    expect(() => f(np.array([-1, 2]))).toThrow(/primitive 'log' produced a NaN/);
    // the cached program is checked as well
    expect(() => f(np.array([-3, 2]))).toThrow(/primitive 'log'/);
    expect(f(np.array([1, 1])).tolist()).toEqual([1, 1]);
  });

  it("also for other ops (0/0 names div) and inside grad", () => {
    config.update({ debugNans: true });
    expect(() => np.divide(np.zeros([1]), np.zeros([1]))).toThrow(/primitive 'div'/);
    expect(() => grad((x: Array) => np.log(x).sum())(np.array([-1]))).toThrow(/primitive 'log'/);
  });

  it("NaN-carrying inputs are not blamed", () => {
    config.update({ debugNans: true });
    const y = np.log(np.array([NaN, 1]));
    expect(Number.isNaN(y.dataSync()[0])).toBe(true);
  });

  it("with debugNans off, NaN follows IEEE", () => {
    config.update({ debugNans: false });
    const y = np.log(np.array([-1]));
    expect(Number.isNaN(y.dataSync()[0])).toBe(true);
    expect(Number.isNaN(jit((x: Array) => np.log(x))(np.array([-1])).dataSync()[0])).toBe(true);
    expect(Number.isNaN(np.divide(0, np.zeros([1])).dataSync()[0])).toBe(true);
  });
});
