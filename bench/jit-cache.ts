/**
 * Memory and time of graft's trace caches:
 *
 * - heap growth after calling one jitted function on 10,000 distinct shapes (each shape is a new
 *   signature, so a new trace), then on 10,000 more; with a bounded cache the growth stays flat
 *   after `config.cacheSize` signatures;
 * - heap growth of `grad` of a jitted function, and of a `customJvp` function, per new shape;
 * - `jit(f)(x)` called in a loop (a fresh wrapper every call) against a reused wrapper.
 *
 * Run with `node --expose-gc --import tsx bench/jit-cache.ts` (without --expose-gc the heap numbers
 * are skipped). Heap numbers are V8's `heapUsed` plus `external` (typed-array buffers) after a full GC.
 */
import { np, jit, grad, customJvp, config } from "../src/index.js";

type Array = np.Array;

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

function growth(label: string, n: number, run: (i: number) => void): void {
  if (!gc) return;
  // Warm up on shapes outside the measured range, so code compilation is not counted.
  for (let i = 0; i < 50; i++) run(100_000 + i);
  const before = heapMB();
  for (let i = 1; i <= n; i++) run(i);
  const after = heapMB();
  const kb = ((after - before) * 1024) / n;
  // As many shapes again: a bounded cache does not grow any further.
  for (let i = n + 1; i <= 2 * n; i++) run(i);
  const again = heapMB();
  console.log(
    `${label}: ${n} shapes, heap ${before.toFixed(1)} → ${after.toFixed(1)} MB (+${(after - before).toFixed(1)} MB, ${kb.toFixed(2)} KB per shape); ` +
      `${n} more shapes: +${(again - after).toFixed(1)} MB`,
  );
}

function ms(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function main(): void {
  console.log(`config.cacheSize = ${config.cacheSize}${gc ? "" : " (no --expose-gc: heap numbers skipped)"}`);

  const body = (x: Array) => x.mul(2).add(1).tanh().sum();
  const jf = jit(body);
  growth("jit(f) on new shapes", 10_000, (i) => {
    jf(np.zeros([i]));
  });
  console.log(`  jitted.cacheSize after: ${jf.cacheSize}`);

  const jg = jit((x: Array) => x.sin().mul(x).sum());
  const g = grad((x: Array) => jg(x));
  growth("grad(jit(f)) on new shapes", 2_000, (i) => {
    g(np.zeros([i]));
  });

  const cj = customJvp((x: Array) => x.sin());
  cj.defJvp(([x], [t]) => [cj(x), t.mul(x.cos())]);
  growth("customJvp(f) on new shapes", 2_000, (i) => {
    cj(np.zeros([i]));
  });

  // jit(f)(x) with a fresh wrapper every call vs one reused wrapper (median of 7 rounds of 100 calls).
  const f = (x: Array) => x.mul(2).add(1).tanh().mul(x).sum();
  const x = np.ones([8]);
  const reused = jit(f);
  for (let i = 0; i < 300; i++) {
    jit(f)(x); // warm-up
    reused(x);
  }
  const fresh: number[] = [];
  const same: number[] = [];
  for (let r = 0; r < 7; r++) {
    fresh.push(
      ms(() => {
        for (let i = 0; i < 100; i++) jit(f)(x);
      }),
    );
    same.push(
      ms(() => {
        for (let i = 0; i < 100; i++) reused(x);
      }),
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(
    `100 calls (median of 7): jit(f)(x) in a loop ${med(fresh).toFixed(2)} ms, reused wrapper ${med(same).toFixed(2)} ms`,
  );
}

main();
