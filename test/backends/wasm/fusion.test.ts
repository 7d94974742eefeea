/**
 * Fusion and memory planning on the wasm backend, run for real: the kernels a jitted function
 * compiles to (`jit(f).lower(...).compile().asText()`), their results against the reference
 * backend within the documented bounds, linear memory after calls (planned lifetimes free every
 * intermediate; a training loop does not grow memory), debugNans inside fused kernels, and eager
 * operations on both sides of the generated-kernel threshold.
 *
 * Bounds, as in property-tests/backends.property.test.ts: float32 +, −, ×, ÷ are correctly rounded
 * on both backends (0 on equal operands, ≤ 1 ulp once operands differ); float32 transcendentals
 * are within MATH_ULP_BOUNDS (4) ulps of the reference; a product of contraction length k is within
 * k·(2^-24 + 2^-53)·(|A|·|B|) + 1 ulp (wasm accumulates in float32, the reference in float64).
 * Each check allows twice the first-order bound.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Array,
  config,
  devicePut,
  grad,
  jit,
  nn,
  np,
  tree,
  valueAndGrad,
  withBackend,
} from "../../../src/index.js";
import { wasmMemory } from "../../../backends/wasm/index.js";
import { MATH_ULP_BOUNDS } from "../../../backends/wasm/math/index.js";
import { EAGER_MIN_ELEMENTS, EagerKernels } from "../../../backends/wasm/runtime/eager.js";

const on = <T>(backend: "cpu" | "wasm", f: () => T): T => withBackend(backend, f);

/** Deterministic uniform floats in [lo, hi). */
function uniform(n: number, seed: number, lo = -3, hi = 3): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** The same float32 data on both backends. */
function both(
  data: Float64Array,
  shape: number[],
  dtype: "float32" | "int32" = "float32",
): { cpu: Array; wasm: Array } {
  const cpu = on("cpu", () => np.array(data, { shape, dtype }));
  return { cpu, wasm: devicePut(cpu, "wasm") };
}

/** float32 ulp of |v|. */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  return 2 ** (e - 23);
}

const host = (x: Array): number[] => globalThis.Array.from(x.dataSync(), Number);

/** |wasm − cpu| ≤ 2·bound elementwise (bound[i] from the reference run). */
function expectWithin(got: Array, want: Array, bound: readonly number[], what: string): void {
  expect(got.backend, what).toBe("wasm");
  expect(want.backend, what).toBe("cpu");
  expect(got.shape, what).toEqual(want.shape);
  const g = host(got);
  const w = host(want);
  g.forEach((a, i) => {
    const diff = Math.abs(a - w[i]!);
    if (!(diff <= 2 * bound[i]!))
      throw new Error(`${what}: element ${i}: wasm ${a}, cpu ${w[i]}, |diff| ${diff} > 2·${bound[i]}`);
  });
}

/** Bitwise equality (NaN equals NaN). */
function expectSame(got: Array, want: Array, what: string): void {
  expect(got.backend, what).toBe("wasm");
  expect(want.backend, what).toBe("cpu");
  expect(got.dtype, what).toBe(want.dtype);
  expect(got.shape, what).toEqual(want.shape);
  const g = host(got);
  const w = host(want);
  g.forEach((a, i) => {
    if (!Object.is(a, w[i]) && !(Number.isNaN(a) && Number.isNaN(w[i]!)))
      throw new Error(`${what}: element ${i}: wasm ${a}, cpu ${w[i]}`);
  });
}

const kernelLines = (text: string): string[] => text.split("\n").filter((l) => /^\s*kernel \d+:/.test(l));

// W2 of the benchmarks.
const w2 = (x: Array): Array => np.tanh(x.mul(0.5).add(1)).mul(nn.sigmoid(x)).sub(x.mul(x).div(3));

/**
 * The bound of W2 from its reference intermediates: 0.5x + 1 and x²/3 are correctly rounded
 * (equal on both backends); t = tanh and s = sigmoid are within 4 ulp; t·s and the final
 * difference each add ≤ 1 ulp.
 */
function w2Bound(x: Array): number[] {
  const [T, S] = [MATH_ULP_BOUNDS.tanh, MATH_ULP_BOUNDS.logistic];
  return on("cpu", () => {
    const t = host(np.tanh(x.mul(0.5).add(1)));
    const s = host(nn.sigmoid(x));
    const p = host(np.tanh(x.mul(0.5).add(1)).mul(nn.sigmoid(x)));
    const r = host(w2(x));
    return t.map(
      (ti, i) => Math.abs(s[i]!) * T * ulp32(ti) + Math.abs(ti) * S * ulp32(s[i]!) + ulp32(p[i]!) + ulp32(r[i]!),
    );
  });
}

describe("wasm fusion: the kernels a jitted function compiles to, and their results", () => {
  it("W2, tanh(0.5x+1)·sigmoid(x) − x²/3, is one elementwise kernel reading x once", () => {
    for (const n of [1, 7, 1000, 4099]) {
      const x = both(uniform(n, n), [n]);
      const text = jit(w2).lower(x.wasm).compile().asText();
      expect(kernelLines(text), text).toEqual([expect.stringMatching(/kernel 0: elementwise \[\d+\]/)]);
      expect(text).toMatch(/tanh/);
      expect(text).toMatch(/logistic/);
      expect(text.match(/^\s*in\d+ = /gm), text).toHaveLength(1);
      expectWithin(jit(w2)(x.wasm), jit(w2)(x.cpu), w2Bound(x.cpu), `W2 n=${n}`);
    }
  });

  it("grad(sum(W2)) (W3) is one elementwise kernel too (tanh and sigmoid reused in registers)", () => {
    const g = grad((x: Array) => w2(x).sum());
    const x = both(uniform(2048, 3), [2048]);
    const text = jit(g).lower(x.wasm).compile().asText();
    expect(kernelLines(text), text).toEqual([expect.stringMatching(/kernel 0: elementwise \[2048\]/)]);
    expect(text.match(/= tanh /g), text).toHaveLength(1);
    // g = ½·s·(1 − t²) + t·s·(1 − s) − 2x/3, t = tanh(½x + 1), s = sigmoid(x); −2x/3 is computed
    // identically. In units of 2^-24 (≥ 1 ulp of any value below 1): t and s are off by ≤ 4;
    // 1 − t² by ≤ 2·4 + 1 + 1 = 10; s·(1 − s) by ≤ 4 + 5 + 1 = 10; t·s(1 − s) by ≤ ¼·4 + 10 + 1 = 12;
    // ½·s·(1 − t²) by ≤ ½·(4 + 10 + 1) = 7.5; the two final sums (magnitudes ≤ 3, ulp ≤ 4) add ≤ 8:
    // |Δg| ≤ 28·2^-24 (+ ulp(g) of slack).
    const want = jit(g)(x.cpu);
    expectWithin(
      jit(g)(x.wasm),
      want,
      host(want).map((v) => 28 * 2 ** -24 + ulp32(v)),
      "grad(sum(W2))",
    );
  });

  it("x@W + b through max(·, 0) is one dot kernel whose epilogue adds the bias and applies the relu", () => {
    const [m, k, n] = [16, 40, 24];
    const x = both(uniform(m * k, 1), [m, k]);
    const w = both(uniform(k * n, 2, -1, 1), [k, n]);
    const b = both(uniform(n, 3), [n]);
    const layer = (xx: Array, ww: Array, bb: Array): Array => np.maximum(np.matmul(xx, ww).add(bb), 0);
    const text = jit(layer).lower(x.wasm, w.wasm, b.wasm).compile().asText();
    expect(kernelLines(text), text).toEqual([expect.stringMatching(/kernel 0: dot f32 batch 1 \(16x40\) · \(40x24\)/)]);
    expect(text).toMatch(/epilogue/);
    expect(text).toMatch(/= add /);
    expect(text).toMatch(/= max /);
    // k·(2^-24 + 2^-53)·(|x|·|W|) + ulp(product) + ulp(sum); max(·, 0) is exact and 1-Lipschitz.
    const bound = on("cpu", () => {
      const mag = host(np.matmul(np.abs(x.cpu).astype("float64"), np.abs(w.cpu).astype("float64")));
      const prod = host(np.matmul(x.cpu, w.cpu));
      const sum = host(np.matmul(x.cpu, w.cpu).add(b.cpu));
      return mag.map((v, i) => k * (2 ** -24 + 2 ** -53) * v + ulp32(prod[i]!) + ulp32(sum[i]!));
    });
    expectWithin(jit(layer)(x.wasm, w.wasm, b.wasm), jit(layer)(x.cpu, w.cpu, b.cpu), bound, "relu(x@W + b)");
  });

  it("nn.relu(x@W + b), select(z <= 0, 0, z) reading z twice (NaN propagates, as in JAX), fuses whole into the dot kernel's epilogue", () => {
    const x = both(uniform(8 * 12, 4), [8, 12]);
    const w = both(uniform(12 * 5, 5), [12, 5]);
    const b = both(uniform(5, 6), [5]);
    const layer = (xx: Array, ww: Array, bb: Array): Array => nn.relu(np.matmul(xx, ww).add(bb));
    const text = jit(layer).lower(x.wasm, w.wasm, b.wasm).compile().asText();
    expect(kernelLines(text), text).toEqual([expect.stringMatching(/kernel 0: dot f32/)]);
    expect(text).toMatch(/epilogue[\s\S]*= add [\s\S]*= le [\s\S]*= select /);
    // As above: k·(2^-24 + 2^-53)·(|x|·|W|) + ulp(product) + ulp(sum); the relu is exact.
    const bound = on("cpu", () => {
      const mag = host(np.matmul(np.abs(x.cpu).astype("float64"), np.abs(w.cpu).astype("float64")));
      const prod = host(np.matmul(x.cpu, w.cpu));
      const sum = host(np.matmul(x.cpu, w.cpu).add(b.cpu));
      return mag.map((v, i) => 12 * (2 ** -24 + 2 ** -53) * v + ulp32(prod[i]!) + ulp32(sum[i]!));
    });
    expectWithin(jit(layer)(x.wasm, w.wasm, b.wasm), jit(layer)(x.cpu, w.cpu, b.cpu), bound, "nn.relu(x@W + b)");
  });
});

describe("wasm memory planning, run for real", () => {
  it("a jitted function whose intermediates all die leaves linear memory's `used` where it was", () => {
    const f = (x: Array, y: Array): Array => {
      const e = np.exp(x.mul(0.1)); // feeds two reductions: materialized
      const s = e.mul(e).add(np.sin(y));
      const t = np.tanh(s).mul(s);
      return np.sum(t.mul(x), 0).add(np.max(e.mul(y), 0));
    };
    const x = both(uniform(64 * 33, 7), [64, 33]);
    const y = both(uniform(64 * 33, 8), [64, 33]);
    const jf = jit(f);
    const text = jf.lower(x.wasm, y.wasm).compile().asText();
    expect(kernelLines(text).length, text).toBeGreaterThan(1);
    const mem = wasmMemory();
    const before = mem.used;
    const out = jf(x.wasm, y.wasm);
    expect(mem.used).toBe(before);
    // And again, with the compiled module cached.
    jf(x.wasm, y.wasm);
    expect(mem.used).toBe(before);
    const want = jf(x.cpu, y.cpu);
    // The bound, propagated by hand through the reference values (u = 2^-24; a float32
    // transcendental is within 4 ulp ≤ 8u·|value|, a correct rounding of a value that already
    // differs within 1 ulp ≤ 2u·|value|): e = exp(0.1x): 8u·e; e²: 18u·e²; s = e² + sin y:
    // Δs = 18u·e² + 8u·|sin y| + 2u·|s|; t = tanh s: Δt = Δs + 10u·|t|; q = t·s·x:
    // Δq = |x|·(|s|·Δt + |t|·Δs + 2u·|t·s|) + 2u·|q|; the sum over 64 rows adds
    // 63·(u + 2^-53)·Σ|q|; the max over rows of e·y moves by at most max(|y|·8u·e + 2u·|e·y|);
    // the final add, 2u·|out|.
    const u = 2 ** -24;
    const bound = on("cpu", () => {
      const [xs, ys] = [host(x.cpu), host(y.cpu)];
      const [rows, cols] = [64, 33];
      const out = new globalThis.Array<number>(cols).fill(0);
      return out.map((_, c) => {
        let dq = 0;
        let mag = 0;
        let dmax = 0;
        let sum = 0;
        let top = Number.NEGATIVE_INFINITY;
        for (let r = 0; r < rows; r++) {
          const xi = xs[r * cols + c]!;
          const yi = ys[r * cols + c]!;
          const e = Math.exp(0.1 * xi);
          const si = e * e + Math.sin(yi);
          const t = Math.tanh(si);
          const ds = 18 * u * e * e + 8 * u * Math.abs(Math.sin(yi)) + 2 * u * Math.abs(si);
          const dt = ds + 10 * u * Math.abs(t);
          const q = t * si * xi;
          dq += Math.abs(xi) * (Math.abs(si) * dt + Math.abs(t) * ds + 2 * u * Math.abs(t * si)) + 2 * u * Math.abs(q);
          mag += Math.abs(q);
          sum += q;
          dmax = Math.max(dmax, Math.abs(yi) * 8 * u * e + 2 * u * Math.abs(e * yi));
          top = Math.max(top, e * yi);
        }
        return dq + 63 * (u + 2 ** -53) * mag + dmax + 2 * u * Math.abs(sum + top);
      });
    });
    expectWithin(out, want, bound, "planned intermediates");
  });

  it("materialized intermediates share the arena (8 live-once [32,32] buffers in ~2 slots), results bitwise equal", () => {
    // Each y is read by a reduction and by the next elementwise kernel, so it is materialized;
    // max is exact and every other step is a correctly rounded float32 operation: bitwise equal.
    const chain = (x: Array): Array => {
      let y = x;
      for (let i = 0; i < 8; i++) {
        const m = np.max(y, 1, { keepdims: true });
        y = y.mul(0.5).sub(m.mul(0.25)).add(y.mul(y).mul(0.125));
      }
      return y;
    };
    const x = both(uniform(32 * 32, 9, -1, 1), [32, 32]);
    const jc = jit(chain);
    const text = jc.lower(x.wasm).compile().asText();
    const temps = text.match(/^\s*b\d+: f32\[1024\] temp/gm) ?? [];
    expect(temps.length, text).toBeGreaterThanOrEqual(7);
    const arena = Number(/arena (\d+) bytes/.exec(text)?.[1]);
    expect(arena, text).toBeLessThanOrEqual(3 * 1024 * 4);
    const mem = wasmMemory();
    const before = mem.used;
    expectSame(jc(x.wasm), jc(x.cpu), "max/affine chain");
    expect(mem.used).toBe(before);
  });

  it("an eager op on wasm leaves `used` where it was, small or large", () => {
    const mem = wasmMemory();
    const before = mem.used;
    for (const n of [10, EAGER_MIN_ELEMENTS + 3]) {
      const x = both(uniform(n, n), [n]);
      on("wasm", () => np.tanh(x.wasm).mul(2).add(x.wasm));
      expect(mem.used, `n=${n}`).toBe(before);
    }
  });

  it("1,000 jitted MLP training steps do not grow linear memory after the first", () => {
    const [B, D, H, C] = [64, 100, 96, 10];
    const params = {
      w1: both(uniform(D * H, 11, -0.2, 0.2), [D, H]).wasm,
      b1: both(new Float64Array(H), [H]).wasm,
      w2: both(uniform(H * C, 12, -0.2, 0.2), [H, C]).wasm,
      b2: both(new Float64Array(C), [C]).wasm,
    };
    type Params = typeof params;
    const x = both(uniform(B * D, 13), [B, D]).wasm;
    const labels = Float64Array.from({ length: B * C }, (_, i) => (i % C === Math.floor(i / C) % C ? 1 : 0));
    const y = both(labels, [B, C]).wasm;
    const loss = (p: Params, xx: Array, yy: Array): Array => {
      const h = nn.relu(np.matmul(xx, p.w1).add(p.b1));
      const logits = np.matmul(h, p.w2).add(p.b2);
      return np.mean(np.sum(yy.mul(nn.logSoftmax(logits)), 1)).neg();
    };
    const step = jit((p: Params, xx: Array, yy: Array) => {
      const [l, g] = valueAndGrad(loss)(p, xx, yy);
      return { loss: l, params: tree.map((w: Array, gw: Array) => w.sub(gw.mul(0.05)), p, g) as Params };
    });
    const mem = wasmMemory();
    const usedBefore = mem.used;
    let p = params;
    const first = step(p, x, y);
    p = first.params;
    const capacity = mem.capacity;
    let last = first.loss;
    for (let i = 1; i < 1000; i++) {
      const r = step(p, x, y);
      p = r.params;
      last = r.loss;
      if (mem.capacity !== capacity)
        throw new Error(`step ${i + 1}: capacity ${mem.capacity} != ${capacity} after step 1`);
    }
    expect(mem.used).toBe(usedBefore);
    expect(step.cacheSize).toBe(1);
    expect(last.backend).toBe("wasm");
    expect(last.item()).toBeLessThan(first.loss.item());
  });
});

describe("debugNans inside fused kernels", () => {
  afterEach(() => config.update({ debugNans: false }));

  it("names the primitive that produced the NaN (log of a negative number mid-chain)", () => {
    const f = (x: Array): Array =>
      np
        .log(np.tanh(x.mul(0.5)).mul(2).sub(0.2))
        .mul(3)
        .add(np.sin(x));
    const x = both(uniform(300, 21, 0.5, 3), [300]).wasm; // x ≥ 0.5: tanh(0.5x)·2 − 0.2 > 0 …
    const bad = both(
      Float64Array.from({ length: 300 }, (_, i) => (i === 257 ? -2 : 1)),
      [300],
    ).wasm; // … except here
    const jf = jit(f);
    const text = jf.lower(x).compile().asText();
    expect(kernelLines(text), text).toHaveLength(1);
    config.update({ debugNans: true });
    expect(() => jf(x)).not.toThrow();
    const before = wasmMemory().used;
    expect(() => jf(bad)).toThrow(/debugNans[\s\S]*'log'/);
    expect(wasmMemory().used).toBe(before);
  });

  it("is off by default: the NaN comes back as a value", () => {
    const bad = both(
      Float64Array.from({ length: 40 }, (_, i) => (i === 3 ? -2 : 1)),
      [40],
    ).wasm;
    const out = jit((x: Array) => np.log(np.tanh(x.mul(0.5)).mul(2).sub(0.2)))(bad);
    expect(Number.isNaN(host(out)[3]!)).toBe(true);
  });
});

describe("eager operations on wasm", () => {
  afterEach(() => vi.restoreAllMocks());

  it("large arrays (≥ EAGER_MIN_ELEMENTS) run the generated kernels and match cpu", () => {
    const spy = vi.spyOn(EagerKernels.prototype, "runElementwise");
    const n = EAGER_MIN_ELEMENTS + 5;
    const x = both(uniform(n, 31), [n]);
    const y = both(uniform(n, 32, 0.5, 2), [n]);
    // Correctly rounded operations: bitwise.
    const exact = (a: Array, b: Array): Array => np.sqrt(np.abs(a.mul(b).sub(a.div(b)))).add(np.floor(a));
    const calls = spy.mock.calls.length;
    const got = on("wasm", () => exact(x.wasm, y.wasm));
    expect(spy.mock.calls.length).toBeGreaterThan(calls);
    expectSame(
      got,
      on("cpu", () => exact(x.cpu, y.cpu)),
      "eager exact chain, large",
    );
    // Integers (wrap-around, division by zero): bitwise.
    const i = both(uniform(n, 33, -(2 ** 31), 2 ** 31).map(Math.trunc), [n], "int32");
    // k·k wraps; k − int(float32(k)) is 0 or a small rounding residue, so mod meets zero divisors.
    const ints = (k: Array): Array => np.mod(k.mul(k), k.sub(k.astype("float32").astype("int32"))).add(k);
    expectSame(
      on("wasm", () => ints(i.wasm)),
      on("cpu", () => ints(i.cpu)),
      "eager int32 chain, large",
    );
    // W2 op by op: within the same bound as the fused kernel.
    expectWithin(
      on("wasm", () => w2(x.wasm)),
      on("cpu", () => w2(x.cpu)),
      w2Bound(x.cpu),
      "eager W2, large",
    );
    // A large product runs the shared matmul.
    const a = both(uniform(80 * 30, 34), [80, 30]);
    const b = both(uniform(30 * 60, 35), [30, 60]);
    const bound = on("cpu", () => {
      const mag = host(np.matmul(np.abs(a.cpu).astype("float64"), np.abs(b.cpu).astype("float64")));
      const prod = host(np.matmul(a.cpu, b.cpu));
      return mag.map((v, j) => 30 * (2 ** -24 + 2 ** -53) * v + ulp32(prod[j]!));
    });
    const dots = vi.spyOn(EagerKernels.prototype, "runDot");
    const product = on("wasm", () => np.matmul(a.wasm, b.wasm));
    expect(dots).toHaveBeenCalled();
    expectWithin(
      product,
      on("cpu", () => np.matmul(a.cpu, b.cpu)),
      bound,
      "eager matmul",
    );
  });

  it("small arrays run the reference kernels: bitwise equal to cpu, transcendentals included", () => {
    const spy = vi.spyOn(EagerKernels.prototype, "runElementwise");
    const n = 100;
    const x = both(uniform(n, 41), [n]);
    const calls = spy.mock.calls.length;
    const got = on("wasm", () => w2(x.wasm));
    expect(spy.mock.calls.length).toBe(calls);
    expectSame(
      got,
      on("cpu", () => w2(x.cpu)),
      "eager W2, small",
    );
    const sm = on("wasm", () => nn.softmax(x.wasm.reshape([10, 10]), 1));
    expectSame(
      sm,
      on("cpu", () => nn.softmax(x.cpu.reshape([10, 10]), 1)),
      "eager softmax, small",
    );
  });
});
