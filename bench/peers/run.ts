/**
 * `npm run bench:peers`: graft against other JS array libraries on workloads W1–W6 (data.ts; W1b
 * is W1's matmul at 512², measured by every library).
 *
 * Each library runs in its own child process (`node --import tsx bench/peers/<file>.ts`), one after
 * another, so JIT caches, Wasm heaps, GPU devices and GC pressure never mix.
 *
 * CPU table. graft runs three times: on its `cpu` reference backend (GRAFT_BACKEND=cpu), on `wasm`
 * with one thread (GRAFT_THREADS=1) and on `wasm` with all threads (GRAFT_THREADS unset; the row
 * says how many threads the backend reports). The peers (jax-js on its wasm device, TensorFlow.js
 * on tfjs-backend-wasm) are single-threaded (each child file says how). It shows median ms per call
 * (after warm-up; N in the JSON), the first-call time (trace + compile + run where the library
 * jits), and graft wasm's median divided by the best CPU peer's (< 1: graft is faster).
 *
 * WebGPU table. graft on its WebGPU backend (graft-webgpu.ts), jax-js on its `webgpu` device
 * (jaxjs-webgpu.ts) and TensorFlow.js on tfjs-backend-webgpu (tfjs-webgpu.ts), in Node through the
 * `webgpu` package (Dawn) on whatever adapter it finds: with no GPU, the software adapter lavapipe
 * (VK_ICD_FILENAMES is pointed at ~/.cache/graft-webgpu/lvp_icd.json unless already set). Every
 * timed call awaits the read-back of its outputs (`await x.data()`), so it includes the GPU
 * finishing. Few calls per workload (webgpu-env.ts's WEBGPU_TIMING) and a time cap per child, whose
 * unreached workloads read "skipped". The ratio column is graft webgpu ÷ the best WebGPU peer. The
 * adapter is named above the table; on a fallback (software) adapter a note says that the numbers
 * measure a CPU emulating a GPU, 100–1000× slower than a GPU, and say nothing about GPU speed.
 * Without an adapter (or without the `webgpu` package) the WebGPU columns read "n/a", the reason is
 * printed below, and the run still succeeds.
 *
 * In both: a backend that is not registered gives "n/a"; a library whose result fails the float64
 * check is "wrong" and not timed; "—" means the library cannot express the workload. Results go
 * to bench/out/peers.json (each library with its `group`, "cpu" or "webgpu", and the WebGPU adapter
 * in `meta.webgpu`). Peers are installed with `npm run bench:install`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { W1_N, W1B_N, WORKLOADS } from "./data.js";
import { type LibraryResult, RESULT_PREFIX } from "./harness.js";
import { cell, fastest, ms, ratio, table } from "./table.js";

type Group = "cpu" | "webgpu";

interface Child {
  /** The library's name in the table, the JSON and progress lines. */
  name: string;
  /** The table's column heading. */
  column: string;
  file: string;
  group: Group;
  /** graft itself, or a peer it is compared with. */
  role: "graft" | "peer";
  /** Environment overrides; `undefined` removes the variable. */
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

const CPU_TIMEOUT_MS = 240_000;
/** The WebGPU children cap themselves (WEBGPU_TIMING.capMs); this only catches a hung one. */
const WEBGPU_TIMEOUT_MS = 180_000;
const cpuChild = (c: Omit<Child, "group" | "timeoutMs">): Child => ({ ...c, group: "cpu", timeoutMs: CPU_TIMEOUT_MS });
const gpuChild = (c: Omit<Child, "group" | "timeoutMs" | "env">): Child => ({
  ...c,
  group: "webgpu",
  timeoutMs: WEBGPU_TIMEOUT_MS,
  // graft-webgpu.ts picks its backend itself; GRAFT_BACKEND=webgpu would fail graft's import.
  env: { GRAFT_BACKEND: undefined },
});

const CHILDREN: readonly Child[] = [
  cpuChild({
    name: "graft cpu",
    column: "graft cpu",
    file: "graft.ts",
    role: "graft",
    env: { GRAFT_BACKEND: "cpu", GRAFT_THREADS: undefined },
  }),
  cpuChild({
    name: "graft wasm 1 thread",
    column: "graft wasm 1t",
    file: "graft.ts",
    role: "graft",
    env: { GRAFT_BACKEND: "wasm", GRAFT_THREADS: "1" },
  }),
  cpuChild({
    name: "graft wasm all threads",
    column: "graft wasm all-t",
    file: "graft.ts",
    role: "graft",
    env: { GRAFT_BACKEND: "wasm", GRAFT_THREADS: undefined },
  }),
  cpuChild({ name: "jax-js", column: "jax-js", file: "jaxjs.ts", role: "peer", env: { GRAFT_BACKEND: "cpu" } }),
  cpuChild({ name: "tfjs", column: "tfjs", file: "tfjs.ts", role: "peer", env: { GRAFT_BACKEND: "cpu" } }),
  gpuChild({ name: "graft webgpu", column: "graft webgpu", file: "graft-webgpu.ts", role: "graft" }),
  gpuChild({ name: "jax-js webgpu", column: "jax-js webgpu", file: "jaxjs-webgpu.ts", role: "peer" }),
  gpuChild({ name: "tfjs webgpu", column: "tfjs webgpu", file: "tfjs-webgpu.ts", role: "peer" }),
];
const root = fileURLToPath(new URL("../../", import.meta.url));

function childEnv(overrides: Child["env"]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function runChild({ name, file, env, timeoutMs }: Child): Promise<LibraryResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", `bench/peers/${file}`, name], {
      cwd: root,
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    let pending = "";
    child.stderr.on("data", (d: Buffer) => {
      const s = d.toString();
      stderrTail = (stderrTail + s).slice(-2000);
      // Forward the harness's progress lines; drop tfjs's "use tfjs-node" banner, Dawn's warnings.
      const lines = (pending + s).split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) if (l.startsWith("  [")) process.stderr.write(`${l}\n`);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as LibraryResult);
      const why = signal
        ? `killed (${signal}) after ${timeoutMs / 1000} s`
        : `exited with code ${code}: ${stderrTail.trim().split("\n").at(-1) ?? ""}`;
      resolve({ library: name, available: false, reason: why, results: [] });
    });
  });
}

/** "lib W1/W1b" GFLOP/s (2·n³ flops per matmul) for the libraries that ran both or either. */
const gflops = (libs: readonly LibraryResult[]): string => {
  const rate = (l: LibraryResult, id: string, n: number): string => {
    const t = ms(l, id, "medianMs");
    return t === undefined ? "-" : ((2 * n ** 3) / (t * 1e6)).toFixed(2);
  };
  const parts = libs
    .filter((l) => l.available)
    .map((l) => `${l.library} ${rate(l, "W1", W1_N)}/${rate(l, "W1b", W1B_N)}`);
  return `GFLOP/s (W1 1024² / W1b 512²): ${parts.join(", ") || "-"}`;
};

const describe = (l: LibraryResult): string => {
  if (!l.available) return l.reason?.startsWith("n/a") ? l.reason : `unavailable — ${l.reason}`;
  const adapter = l.adapter ? `, adapter ${l.adapter.name}${l.adapter.fallback ? " (software)" : ""}` : "";
  return `${l.version}, backend ${l.backend}, threads ${l.threads}${adapter}`;
};

/** The CPU tables: graft cpu / wasm against the single-threaded CPU peers. */
function printCpu(children: readonly Child[], libs: readonly LibraryResult[]): void {
  const of = (name: string): LibraryResult => libs[children.findIndex((c) => c.name === name)]!;
  const [cpu, wasm1, wasmAll] = [of("graft cpu"), of("graft wasm 1 thread"), of("graft wasm all threads")];
  const peers = libs.filter((_, i) => children[i]!.role === "peer");
  const na = (lib: LibraryResult): string => (lib.available ? "-" : "n/a");
  const asDen = (t: number | undefined): { ms: number } | undefined => (t === undefined ? undefined : { ms: t });
  const columns = children.map((c) => c.column);

  const medianRows = WORKLOADS.map(({ id, what }) => {
    const best = fastest(peers, id, "medianMs");
    return [
      id,
      what,
      ...libs.map((l) => cell(l, id, "medianMs")),
      ratio(ms(wasm1, id, "medianMs"), best, na(wasm1)),
      ratio(ms(wasmAll, id, "medianMs"), best, na(wasmAll)),
      ratio(ms(wasm1, id, "medianMs"), asDen(ms(cpu, id, "medianMs")), na(wasm1)),
    ];
  });
  const jaxjs = libs.find((l) => l.library === "jax-js");
  const firstRows = WORKLOADS.filter((w) => w.jitted).map(({ id, what }) => [
    id,
    what,
    ...libs.map((l) => cell(l, id, "firstMs")),
    ratio(ms(wasm1, id, "firstMs"), jaxjs && asDen(ms(jaxjs, id, "firstMs")), na(wasm1)),
  ]);
  console.log(
    "\nCPU — median ms per call (after warm-up); ratios are graft's time ÷ the other's: < 1 = graft faster, > 1 = graft slower",
  );
  console.log(
    table(
      ["id", "workload", ...columns, "wasm 1t ÷ best peer", "wasm all-t ÷ best peer", "wasm 1t ÷ graft cpu"],
      medianRows,
    ),
  );
  console.log(gflops(libs));
  console.log(
    "\nCPU — first call ms (trace + compile + run; tfjs is eager: plain first run); ratio < 1 = graft's first call faster",
  );
  console.log(table(["id", "workload", ...columns, "wasm 1t ÷ jax-js"], firstRows));
}

/** The adapters the WebGPU children ran on (normally one), and whether any is a software one. */
function adapters(libs: readonly LibraryResult[]): { names: string[]; fallback: boolean } {
  const seen = libs.flatMap((l) => (l.available && l.adapter ? [l.adapter] : []));
  return { names: [...new Set(seen.map((a) => a.name))], fallback: seen.some((a) => a.fallback) };
}

/** The WebGPU tables: graft webgpu against jax-js's and TensorFlow.js's WebGPU backends. */
function printWebGpu(children: readonly Child[], libs: readonly LibraryResult[]): void {
  const graft = libs[children.findIndex((c) => c.role === "graft")]!;
  const peers = libs.filter((_, i) => children[i]!.role === "peer");
  const columns = children.map((c) => c.column);
  const { names, fallback } = adapters(libs);
  console.log(
    "\nWebGPU — median ms per call; each call awaits the read-back of its outputs (few calls: N in the JSON)",
  );
  console.log(
    `adapter: ${names.length ? `${names.join("; ")}${fallback ? " — a fallback (software) adapter" : ""}` : "none"}`,
  );
  const medianRows = WORKLOADS.map(({ id, what }) => [
    id,
    what,
    ...libs.map((l) => cell(l, id, "medianMs")),
    ratio(ms(graft, id, "medianMs"), fastest(peers, id, "medianMs"), graft.available ? "-" : "n/a"),
  ]);
  console.log(table(["id", "workload", ...columns, "graft webgpu ÷ best webgpu peer"], medianRows));
  console.log(gflops(libs));
  console.log("\nWebGPU — first call ms (trace + shader compilation + run, read-back included)");
  const firstRows = WORKLOADS.map(({ id, what }) => [id, what, ...libs.map((l) => cell(l, id, "firstMs"))]);
  console.log(table(["id", "workload", ...columns], firstRows));
  if (fallback)
    console.log(
      `\nNOTE: the adapter (${names.join("; ")}) is a software (fallback) one: it emulates a GPU on the CPU, ` +
        "100–1000× slower than a real GPU.\n" +
        "These WebGPU numbers compare the libraries' WebGPU code paths on that emulation; they say nothing about GPU speed.",
    );
  const missing = libs.filter((l) => !l.available);
  if (missing.length) console.log("WebGPU columns that read n/a:");
  for (const l of missing) console.log(`  ${l.library}: ${describe(l)}`);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const date = new Date();
  const libs: LibraryResult[] = [];
  for (const c of CHILDREN) {
    process.stderr.write(`${c.name}:\n`);
    const r = await runChild(c);
    if (!r.available) process.stderr.write(`  unavailable: ${r.reason}\n`);
    libs.push(r);
  }
  const wallS = (Date.now() - t0) / 1000;
  const inGroup = (g: Group) => ({
    children: CHILDREN.filter((c) => c.group === g),
    libs: libs.filter((_, i) => CHILDREN[i]!.group === g),
  });
  const cpuPart = inGroup("cpu");
  const gpuPart = inGroup("webgpu");

  const machine = `${cpus()[0]?.model?.trim() ?? "?"}, ${cpus().length} cores`;
  console.log(`graft vs JS peers — ${date.toISOString()} — ${machine} — node ${process.version}`);
  console.log("same seeded float32 inputs for every library, results checked against float64");
  console.log(
    "graft wasm 1t: GRAFT_THREADS=1; graft wasm all-t: GRAFT_THREADS unset (all threads); CPU peers: 1 thread",
  );
  for (const l of libs) console.log(`  ${l.library}: ${describe(l)}`);
  printCpu(cpuPart.children, cpuPart.libs);
  printWebGpu(gpuPart.children, gpuPart.libs);
  console.log(
    `\n"—": not expressible in that library (no vmap / hessian); "wrong": failed the float64 check; "skipped": the child's time cap ran out`,
  );
  for (const l of libs)
    for (const r of l.results)
      if (r.detail && r.status !== "unsupported") console.log(`  ${l.library} ${r.id}: ${r.detail}`);

  const out = new URL("../out/", import.meta.url);
  mkdirSync(out, { recursive: true });
  const meta = {
    date: date.toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    wallS,
    webgpu: adapters(gpuPart.libs),
  };
  const libraries = libs.map((l, i) => ({ ...l, group: CHILDREN[i]!.group }));
  writeFileSync(new URL("peers.json", out), `${JSON.stringify({ meta, workloads: WORKLOADS, libraries }, null, 2)}\n`);
  console.log(`\nwrote bench/out/peers.json (whole run ${wallS.toFixed(1)} s)`);
}

await main();
