/**
 * Tracing and jit dispatch costs, on a function of 100 ops (add, mul, tanh, repeating) applied to
 * float32[16] arrays, small enough that the kernels themselves cost almost nothing:
 *
 * - (b)  tracing: `makeJaxpr(chain)(x, y)`, i.e. running the function on tracers and recording a
 *        100-equation Program (µs per trace);
 * - (b2) first call of a fresh `jit(chain)`: trace + simplify + compile + run (µs);
 * - (c)  a cached `jit(chain)` call: pytree flattening, cache-key lookup and running the compiled
 *        Program's 100 kernels (µs per call);
 * - (c2) the same 100 ops run eagerly, for comparison with (c) (µs);
 * - (c3) a cached jitted single `add`: the pure per-call jit overhead (µs).
 *
 * Tracing runs many small functions that V8 only optimises after a few hundred calls, so these
 * rows use long warmups (measured: ~300 µs per trace cold, ~15-20 µs once optimised).
 */
import { np, jit, makeJaxpr } from "../src/index.js";
import { timeIt, type Timing } from "./util.js";

type Array = np.Array;

/** 100 ops: add y, multiply by y, tanh, repeated. */
export function chain(x: Array, y: Array): Array {
  let z = x;
  for (let i = 0; i < 100; i++) z = i % 3 === 0 ? z.add(y) : i % 3 === 1 ? z.mul(y) : z.tanh();
  return z;
}

const inputs = (): [Array, Array] => [np.linspace(0, 1, 16), np.full([16], 0.5)];

export function traceChain(): Timing {
  const [x, y] = inputs();
  const trace = makeJaxpr(chain);
  const eqns = trace(x, y).eqns.length;
  if (eqns !== 100) throw new Error(`bench: expected 100 equations, traced ${eqns}`);
  return timeIt(() => trace(x, y), { inner: 20, samples: 41, warmup: 40 });
}

export function jitFirstCall(): Timing {
  const [x, y] = inputs();
  // A fresh function each time: jit shares traces by function object, so jit(chain) would hit the cache.
  return timeIt(() => jit((a: Array, b: Array) => chain(a, b))(x, y), { inner: 5, samples: 41, warmup: 40 });
}

export function jitCachedCall(): Timing {
  const [x, y] = inputs();
  const f = jit(chain);
  f(x, y);
  return timeIt(() => f(x, y), { inner: 100, samples: 41, warmup: 20 });
}

export function eagerChain(): Timing {
  const [x, y] = inputs();
  return timeIt(() => chain(x, y), { inner: 50, samples: 41, warmup: 20 });
}

export function jitCachedAdd(): Timing {
  const [x, y] = inputs();
  const f = jit((a: Array, b: Array) => a.add(b));
  f(x, y);
  return timeIt(() => f(x, y), { inner: 2000, samples: 21, warmup: 5 });
}
