import { describe, it, expect } from "vitest";
import {
  np,
  nn,
  grad,
  valueAndGrad,
  vmap,
  jvp,
  vjp,
  linearize,
  jacfwd,
  jacrev,
  hessian,
  checkpoint,
  evalShape,
  makeJaxpr,
  linearTranspose,
  cond,
  switchCase,
  whileLoop,
  fori,
  scan,
  lax,
  registerPytreeNode,
  jit,
  Array as GraftArray,
} from "../../src/index.js";
import { ConcreteArray } from "../../src/core/concrete.js";
import { Tracer, bind1 } from "../../src/core/trace.js";
import { isForeignArray } from "../../src/core/validate.js";

type Array = np.Array;

describe("a non-function where a function is expected fails at once, naming the op and the argument", () => {
  const x = np.array([1, 2]);
  // Each case passes a non-function and must throw before anything is called.
  const cases: [name: string, call: () => unknown, message: RegExp][] = [
    ["grad(42)", () => grad(42 as never), /^grad: expected a function, got number 42$/],
    ["grad(null)", () => grad(null as never), /^grad: expected a function, got null$/],
    ["valueAndGrad", () => valueAndGrad("f" as never), /^valueAndGrad: expected a function, got string "f"$/],
    ["vmap(null)", () => vmap(null as never), /^vmap: expected a function, got null$/],
    ["jvp", () => jvp(1 as never, [x], [x]), /^jvp: expected a function, got number 1$/],
    ["vjp", () => vjp({} as never, x), /^vjp: expected a function, got an object/],
    ["linearize", () => linearize(undefined as never, x), /^linearize: expected a function, got undefined$/],
    ["jacfwd", () => jacfwd(3 as never), /^jacfwd: expected a function, got number 3$/],
    ["jacrev", () => jacrev(3 as never), /^jacrev: expected a function, got number 3$/],
    ["hessian", () => hessian(3 as never), /^hessian: expected a function, got number 3$/],
    ["checkpoint", () => checkpoint(3 as never), /^checkpoint: expected a function, got number 3$/],
    ["evalShape", () => evalShape(3 as never), /^evalShape: expected a function, got number 3$/],
    ["makeJaxpr", () => makeJaxpr(3 as never), /^makeJaxpr: expected a function, got number 3$/],
    ["linearTranspose", () => linearTranspose(3 as never, x), /^linearTranspose: expected a function, got number 3$/],
    [
      "cond trueFn",
      () => cond(true, null as never, (v: Array) => v, x),
      /^cond: expected a function for trueFn, got null$/,
    ],
    [
      "cond falseFn",
      () => cond(true, (v: Array) => v, 5 as never, x),
      /^cond: expected a function for falseFn, got number 5$/,
    ],
    [
      "switchCase branch",
      () => switchCase(0, [(v: Array) => v, "no" as never], x),
      /^switch: expected a function for branch 1, got string "no"$/,
    ],
    [
      "whileLoop condFn",
      () => whileLoop(null as never, (c: Array) => c, x),
      /^whileLoop: expected a function for condFn, got null$/,
    ],
    [
      "whileLoop bodyFn",
      () => whileLoop((c: Array) => c.sum().less(1), 0 as never, x),
      /^whileLoop: expected a function for bodyFn, got number 0$/,
    ],
    ["fori body", () => fori(0, 3, null as never, x), /^fori: expected a function for body, got null$/],
    ["scan", () => scan(null as never, x, x), /^scan: expected a function, got null$/],
    ["lax.map", () => lax.map(7 as never, x), /^map: expected a function, got number 7$/],
  ];
  for (const [name, call, message] of cases)
    it(name, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    });

  it("the function-taking transforms fail at creation, before the returned function is called", () => {
    // These return functions: the error must come from creating them, not from calling them.
    for (const make of [grad, valueAndGrad, vmap, jacfwd, jacrev, hessian, checkpoint, makeJaxpr])
      expect(() => (make as (f: unknown) => unknown)(42)).toThrow(/expected a function, got number 42/);
  });
});

describe("vmap axis specs", () => {
  const f = (a: Array) => a.sum();
  it('a string inAxes says what was wrong (not "inAxes 0 is out of range")', () => {
    expect(() => vmap(f, { inAxes: "0" as never })).toThrow(
      'vmap: inAxes must be a number, null, or a pytree prefix of them; got string "0"',
    );
  });
  it("a nested bad entry names its path; outAxes is checked too", () => {
    expect(() => vmap(f, { inAxes: [0, { a: "1" }] as never })).toThrow(/inAxes.*got string "1" at inAxes\[1\]\.a/);
    expect(() => vmap(f, { outAxes: true as never })).toThrow(/vmap: outAxes must be a number, null.*got boolean true/);
    expect(() => vmap(f, { inAxes: 0.5 })).toThrow(/inAxes must hold integer axes or null, got number 0.5/);
    expect(() => vmap(f, { inAxes: [new Date()] as never })).toThrow(/object of class Date at inAxes\[0\]/);
    expect(() => vmap(f, { axisSize: -1 })).toThrow(/axisSize must be a non-negative integer/);
  });
  it("valid specs still work", () => {
    const add = vmap((a: Array, b: Array) => a.add(b), { inAxes: [0, null], outAxes: 0 });
    expect(add(np.ones([3, 2]), np.ones([2])).shape).toEqual([3, 2]);
    const g = vmap((d: { a: Array }) => d.a.sum(), { inAxes: [{ a: 0 }] });
    expect(g({ a: np.ones([4, 2]) }).shape).toEqual([4]);
  });
});

describe("grad of a function that returns [value, aux] without hasAux", () => {
  it("says the output must be a scalar and suggests hasAux: true", () => {
    const f = (x: Array) => [x.sum(), x] as const;
    const call = () => grad(f as never)(np.array([1, 2]));
    expect(call).toThrow(/grad: the function must return a scalar/);
    expect(call).toThrow(/hasAux: true/);
    expect(call).not.toThrow(/object of class Array/);
    expect(() => valueAndGrad(f as never)(np.array([1, 2]))).toThrow(/valueAndGrad: .*hasAux: true/);
  });
  it("does not suggest hasAux when the first element is not a scalar", () => {
    const f = (x: Array) => [x, x];
    const call = () => grad(f as never)(np.array([1, 2]));
    expect(call).toThrow(/must return a scalar/);
    expect(call).not.toThrow(/hasAux/);
  });
  it("with hasAux: true the same function works", () => {
    const [g, aux] = grad((x: Array) => [x.square().sum(), x] as const, { hasAux: true })(np.array([1, 2]));
    expect(g.tolist()).toEqual([2, 4]);
    expect(aux.tolist()).toEqual([1, 2]);
  });
});

describe("registerPytreeNode refuses graft's Array class and its subclasses", () => {
  const spec = { flatten: () => [[], null] as const, unflatten: () => np.zeros([]) };
  it("rejects Array, ConcreteArray and a tracer class with a clear error", () => {
    expect(() => registerPytreeNode(GraftArray as never, spec as never)).toThrow(
      /registerPytreeNode: cannot register Array: it is graft's Array class/,
    );
    expect(() => registerPytreeNode(ConcreteArray as never, spec as never)).toThrow(/it extends graft's Array class/);
    expect(() => registerPytreeNode(Tracer as never, spec as never)).toThrow(/it extends graft's Array class/);
    class MyArray extends (ConcreteArray as unknown as new () => object) {}
    expect(() => registerPytreeNode(MyArray as never, spec as never)).toThrow(/cannot register MyArray/);
  });
  it("and transforms keep working afterwards", () => {
    expect(grad((x: Array) => x.square().sum())(np.array([3])).tolist()).toEqual([6]);
    expect(jit((x: Array) => x.add(1))(np.array([1])).tolist()).toEqual([2]);
  });
});

describe("arrays from another copy of graft", () => {
  // A stand-in for an array made by another copy of graft (the CommonJS build next to the ESM one):
  // the same class names and fields, but not this copy's classes.
  class Base {}
  class ConcreteArrayLike extends Base {
    readonly aval = { shape: [2], dtype: "float32" };
    get shape() {
      return [2];
    }
  }
  Object.defineProperty(ConcreteArrayLike, "name", { value: "ConcreteArray" });
  const foreign = new ConcreteArrayLike();
  const note =
    /this array comes from another copy of graft \(two copies loaded in one process, e\.g\. the ESM and the CommonJS builds\); use one import style/;

  it("is recognised, while plain objects and real arrays are not", () => {
    expect(isForeignArray(foreign)).toBe(true);
    expect(isForeignArray(np.array([1, 2]))).toBe(false);
    expect(isForeignArray({ aval: 1, shape: [2] })).toBe(false);
    class Other {
      aval = 1;
      shape = [2];
    }
    expect(isForeignArray(new Other())).toBe(false);
  });
  it("transforms say where the array comes from", () => {
    expect(() => grad((x: Array) => x.sum())(foreign as never)).toThrow(note);
    expect(() => vmap((x: Array) => x)(foreign as never)).toThrow(note);
  });
  it("eager primitives and staging say so too", () => {
    // The eager evaluator and the staging trace see the value as an operand of a primitive.
    expect(() => bind1("neg", [foreign as never], {})).toThrow(note);
    expect(() => makeJaxpr((x: Array) => bind1("add", [x, foreign as never], {}))(np.ones([2]))).toThrow(note);
    expect(() => bind1("neg", [{ aval: 1, shape: [] } as never], {})).not.toThrow(note);
  });
  it("np functions and methods say so too", () => {
    expect(() => np.add(foreign as never, 1)).toThrow(note);
    expect(() => np.ones([2]).add(foreign as never)).toThrow(note);
  });
});

describe("positional arguments given as options objects (new-user trial)", () => {
  it("softmax, logSoftmax and clip say the argument is positional", () => {
    const x = np.array([1, 2]);
    expect(() => nn.softmax(x, { axis: 0 } as never)).toThrow(/^softmax: axis must be a number \(the second argument/);
    expect(() => nn.logSoftmax(x, { axis: 0 } as never)).toThrow(/^logSoftmax: axis must be a number/);
    expect(() => np.clip(x, { min: 0 } as never, null)).toThrow(
      /^clip: lo must be an array, a number or null.*clip\(x, lo, hi\)/,
    );
    expect(nn.softmax(x, 0).shape).toEqual([2]);
    expect(np.clip(x, 1.5, null).tolist()).toEqual([1.5, 2]);
  });
});
