/**
 * Arrays cannot be changed from user code: the buffer and abstract value are private, no backend
 * object is reachable from an array, instances are frozen, forgeries are rejected, and bool data
 * is normalized to 0/1 on creation.
 */
import { describe, expect, it } from "vitest";
import { defaultBackend, grad, jit, makeJaxpr, np, vmap } from "../../src/index.js";
import { bind1 } from "../../src/core/trace.js";

type Loose = Record<string | symbol, unknown>;
const loose = (x: unknown): Loose => x as Loose;

/** Every value reachable from `x` through own properties and getters on its prototype chain. */
function reachable(x: object): unknown[] {
  const out: unknown[] = [];
  for (let o: object | null = x; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k)!;
      if ("value" in d && o === x) out.push(d.value);
      else if (d.get) {
        try {
          out.push(d.get.call(x));
        } catch {
          // getters that need a concrete value (none here) are fine to skip
        }
      }
    }
  }
  return out;
}

describe("arrays cannot be changed", () => {
  it("buffer, readSync and the backend object are not reachable from an array", () => {
    const x = np.array([1, 2, 3]);
    expect(loose(x).buffer).toBeUndefined();
    expect(loose(x).readSync).toBeUndefined();
    // x.backend is the backend's name, a read-only string.
    expect(x.backend).toBe(defaultBackend());
    expect(() => {
      loose(x).backend = "other";
    }).toThrow(TypeError);
    for (const v of reachable(x)) {
      expect(ArrayBuffer.isView(v)).toBe(false);
      expect(typeof v === "object" && v !== null && "executePrimitive" in v).toBe(false);
    }
    expect(Reflect.ownKeys(x)).toEqual([]);
  });

  it("readSync()/buffer writes that used to change x now fail, and x keeps its values", () => {
    const x = np.array([1, 2, 3]);
    expect(() => (loose(x).readSync as () => Float32Array)()).toThrow(TypeError);
    expect(() => {
      (loose(x).buffer as Float32Array)[1] = 7;
    }).toThrow(TypeError);
    const d = x.dataSync();
    d[0] = 99;
    expect(x.tolist()).toEqual([1, 2, 3]);
  });

  it("the aval cannot be replaced or edited (no relabelling of the shape over the same buffer)", () => {
    const x = np.array([1, 2, 3, 4]);
    const other = np.zeros([2, 2]).aval;
    expect(() => {
      loose(x).aval = other;
    }).toThrow(TypeError);
    expect(() => {
      loose(x.aval).shape = [2, 2];
    }).toThrow(TypeError);
    expect(() => {
      (x.shape as number[])[0] = 2;
    }).toThrow(TypeError);
    expect(x.shape).toEqual([4]);
    expect(x.sum().item()).toBe(10);
  });

  it("arrays are frozen: new properties are rejected", () => {
    const x = np.array([1, 2]);
    expect(Object.isFrozen(x)).toBe(true);
    expect(() => {
      loose(x).foo = 1;
    }).toThrow(TypeError);
    expect(loose(x).foo).toBeUndefined();
  });

  it("cached scalars stay correct: np.where(true, 1, 0) is 1 after an attempted write", () => {
    const t = np.asArray(true);
    expect(() => {
      (loose(t).buffer as Uint8Array)[0] = 0;
    }).toThrow(TypeError);
    expect(np.where(true, 1, 0).item()).toBe(1);
  });

  it("a constant captured by jit cannot be changed through the array", () => {
    const c = np.array([10, 20]);
    const f = jit((x: np.Array) => x.add(c));
    expect(f(np.array([1, 2])).tolist()).toEqual([11, 22]);
    expect(() => {
      (loose(c).buffer as Float32Array)[0] = -1;
    }).toThrow(TypeError);
    expect(f(np.array([1, 2])).tolist()).toEqual([11, 22]);
  });

  it("arrays cannot be constructed from user code with a buffer of one's own", () => {
    const x = np.array([1, 2]);
    const Ctor = x.constructor as new (...args: unknown[]) => unknown;
    expect(() => new Ctor(Symbol("fake"), x.aval, {}, new Float32Array(2))).toThrow(/cannot be constructed directly/);
  });

  it("tracers are frozen and report the default backend's name", () => {
    let frozen = false;
    let backend = "";
    grad((x: np.Array) => {
      frozen = Object.isFrozen(x);
      backend = x.backend;
      return x.sum();
    })(np.ones([2]));
    expect(frozen).toBe(true);
    expect(backend).toBe(defaultBackend());
    vmap((x: np.Array) => {
      expect(Object.isFrozen(x)).toBe(true);
      return x;
    })(np.ones([2]));
    jit((x: np.Array) => {
      expect(Object.isFrozen(x)).toBe(true);
      expect(x.backend).toBe(defaultBackend());
      return x;
    })(np.ones([2]));
  });
});

describe("forged arrays are rejected, not trusted", () => {
  const x = np.array([1, 2]);
  const proxy = new Proxy(x, {});
  const fake = Object.create(np.Array.prototype) as np.Array;

  it("np functions (asArray) reject a Proxy and an Object.create(Array.prototype) object", () => {
    expect(() => np.add(proxy, 1)).toThrow(/^add: expected a graft array.*not created by graft \(a Proxy/);
    expect(() => np.asArray(proxy)).toThrow(/asArray: .*not created by graft \(a Proxy, or made with Object.create\)/);
    expect(() => np.asArray(fake)).toThrow(/asArray: .*not created by graft/);
    expect(() => np.array(proxy)).toThrow(/array: .*not created by graft/);
  });

  it("transforms (toArray) reject them", () => {
    expect(() => grad((v: np.Array) => v.sum())(proxy)).toThrow(/grad: .*not created by graft/);
    expect(() => jit((v: np.Array) => v)(fake)).toThrow(/^jit: .*not created by graft/);
  });

  it("the eager evaluator and the staging trace reject them", () => {
    expect(() => bind1("neg", [proxy], {})).toThrow(/neg: expected a graft array, got .*not created by graft/);
    expect(() => makeJaxpr((v: np.Array) => bind1("add", [v, proxy], {}))(x)).toThrow(
      /makeJaxpr: expected a graft array while staging, got .*not created by graft/,
    );
  });
});

describe("bool data is normalized on creation", () => {
  it("np.array with dtype bool stores 0/1", () => {
    const b = np.array([0, 5, 255], { dtype: "bool" });
    expect(b.sum().item()).toBe(2);
    expect(b.equal(true).tolist()).toEqual([false, true, true]);
    expect(Array.from(b.dataSync())).toEqual([0, 1, 1]);
    expect(np.array([0.5, -1, 0], { dtype: "bool" }).tolist()).toEqual([true, true, false]);
  });

  it("typed arrays with dtype bool are normalized too", () => {
    const b = np.array(new Uint8Array([0, 5, 255]), { dtype: "bool" });
    expect(b.sum().item()).toBe(2);
    expect(b.equal(true).tolist()).toEqual([false, true, true]);
    expect(np.array(new Float32Array([0, 2.5]), { dtype: "bool" }).tolist()).toEqual([false, true]);
  });

  it("full and arange with dtype bool store 0/1", () => {
    expect(np.full([2], 5, { dtype: "bool" }).sum().item()).toBe(2);
    expect(Array.from(np.full([2], 5, { dtype: "bool" }).dataSync())).toEqual([1, 1]);
    expect(Array.from(np.arange(0, 3, 1, { dtype: "bool" }).dataSync())).toEqual([0, 1, 1]);
  });
});
