/**
 * graft micro-benchmarks (`npm run bench`): prints a table of median timings and writes them to
 * bench/out/latest.json. What each row measures is described in the file that measures it:
 * (a) eager.ts, (b)/(c) trace.ts, (d)/(e) matmul.ts; util.ts has the median-of-N timer.
 *
 * When `@tensorflow/tfjs` (a benchmark-only peer: `npm run bench:install`) can be loaded, rows (a), (d) and (e) are also measured
 * on TensorFlow.js's pure-JS CPU backend in this same process, with graft/tfjs ratios (< 1 means
 * graft is faster). Set BENCH_NO_TFJS=1 to skip it.
 *
 * Rows (f1)–(f6) and the residual table come from checkpoint.ts (gradient checkpointing).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { loadTfjs, type Tfjs } from "./tfjs-api.js";
import { eagerAddPerBackend, graftEagerAdd, tfjsEagerAdd } from "./eager.js";
import { eagerChain, jitCachedAdd, jitCachedCall, jitFirstCall, traceChain } from "./trace.js";
import { graftMatmul, graftMlpGrad, tfjsMatmul, tfjsMlpGrad } from "./matmul.js";
import { checkpointRows, formatResiduals, residualRows } from "./checkpoint.js";
import { formatTable, type Row, type Timing } from "./util.js";

const step = <T>(label: string, f: () => T): T => {
  process.stderr.write(`  measuring ${label}...\n`);
  return f();
};

async function main(): Promise<void> {
  const tfOrReason = await loadTfjs();
  const tf = typeof tfOrReason === "string" ? undefined : tfOrReason;
  const withTf = (f: (t: Tfjs) => Timing): Timing | undefined => (tf ? f(tf) : undefined);

  const rows: Row[] = [
    {
      id: "a",
      what: "eager x.add(y), float32[16]",
      unit: "ns",
      ...step("a", () => ({ graft: graftEagerAdd(), tfjs: withTf(tfjsEagerAdd) })),
    },
    // The wasm backend keeps small arrays on the reference kernels: its overhead should stay
    // within 1.5× the cpu backend's (issue 9); a2/a3 measure both in this run.
    {
      id: "a2",
      what: "eager x.add(y), float32[16], cpu backend",
      unit: "ns",
      graft: step("a2", () => eagerAddPerBackend().cpu),
    },
    {
      id: "a3",
      what: "eager x.add(y), float32[16], wasm backend",
      unit: "ns",
      graft: step("a3", () => eagerAddPerBackend().wasm),
    },
    { id: "b", what: "trace 100-op fn (makeJaxpr), [16]", unit: "µs", graft: step("b", traceChain) },
    { id: "b2", what: "jit first call: trace+compile+run, 100 ops", unit: "µs", graft: step("b2", jitFirstCall) },
    { id: "c", what: "cached jit call, 100-op fn on [16]", unit: "µs", graft: step("c", jitCachedCall) },
    { id: "c2", what: "same 100 ops run eagerly", unit: "µs", graft: step("c2", eagerChain) },
    { id: "c3", what: "cached jit call, 1 op (add) on [16]", unit: "µs", graft: step("c3", jitCachedAdd) },
    {
      id: "d",
      what: "eager matmul 256×256 @ 256×256",
      unit: "ms",
      ...step("d", () => ({ graft: graftMatmul(), tfjs: withTf(tfjsMatmul) })),
    },
    {
      id: "e",
      what: "MLP loss grad, [128,64] batch, eager",
      unit: "ms",
      ...step("e", () => ({ graft: graftMlpGrad(false), tfjs: withTf(tfjsMlpGrad) })),
    },
    { id: "e2", what: "MLP loss grad, [128,64] batch, jit", unit: "ms", graft: step("e2", () => graftMlpGrad(true)) },
    ...step("f", checkpointRows),
  ];
  const residuals = step("checkpoint residuals", residualRows);
  for (const r of rows) if (r.tfjs === undefined) delete r.tfjs;

  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    tfjs: tf ? `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}` : tfOrReason,
  };
  console.log(`graft benchmarks — node ${meta.node}, ${meta.cores} × ${meta.cpu}`);
  console.log(`TensorFlow.js: ${meta.tfjs}`);
  console.log("medians; N×inner = timed batches × calls per batch\n");
  console.log(formatTable(rows));
  console.log(`\n${formatResiduals(residuals)}`);

  const out = new URL("./out/", import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL("latest.json", out),
    `${JSON.stringify({ meta, rows, checkpointResiduals: residuals }, null, 2)}\n`,
  );
  console.log("\nwrote bench/out/latest.json");
}

await main();
