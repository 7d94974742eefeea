/**
 * `npm run bench:peers`: graft against other JS array libraries on workloads W1–W6 (data.ts).
 *
 * Each library runs in its own child process (`node --import tsx bench/peers/<lib>.ts`), one after
 * another, so JIT caches, Wasm heaps and GC pressure never mix. graft runs three times: on its `cpu`
 * reference backend (GRAFT_BACKEND=cpu), on `wasm` with one thread (GRAFT_BACKEND=wasm,
 * GRAFT_THREADS=1) and on `wasm` with all threads (GRAFT_THREADS unset; the row says how many
 * threads the backend reports). The peers are single-threaded (each child file says how). A graft
 * backend that is not registered gives "n/a" in its column instead of failing the run.
 *
 * The table shows median ms per call (after warm-up; N in the JSON), the first-call time (trace +
 * compile + run where the library jits), and graft wasm's median divided by the best JS peer's
 * (< 1: graft is faster; > 1: graft is slower). A library whose result fails the float64 check is
 * "wrong" and not timed; "—" means the library cannot express the workload. Results go to
 * bench/out/peers.json. Peers are installed with `npm run bench:install`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { W1_N, WORKLOADS } from "./data.js";
import { type LibraryResult, RESULT_PREFIX, type WorkloadResult } from "./harness.js";

interface Child {
  /** The library's name in the table, the JSON and progress lines. */
  name: string;
  /** The table's column heading. */
  column: string;
  file: string;
  /** Environment overrides; `undefined` removes the variable. */
  env: Record<string, string | undefined>;
}

const CHILDREN: readonly Child[] = [
  { name: "graft cpu", column: "graft cpu", file: "graft.ts", env: { GRAFT_BACKEND: "cpu", GRAFT_THREADS: undefined } },
  {
    name: "graft wasm 1 thread",
    column: "graft wasm 1t",
    file: "graft.ts",
    env: { GRAFT_BACKEND: "wasm", GRAFT_THREADS: "1" },
  },
  {
    name: "graft wasm all threads",
    column: "graft wasm all-t",
    file: "graft.ts",
    env: { GRAFT_BACKEND: "wasm", GRAFT_THREADS: undefined },
  },
  { name: "jax-js", column: "jax-js", file: "jaxjs.ts", env: { GRAFT_BACKEND: "cpu" } },
  { name: "tfjs", column: "tfjs", file: "tfjs.ts", env: { GRAFT_BACKEND: "cpu" } },
];
const [CPU, WASM1, WASM_ALL] = [0, 1, 2] as const;
const FIRST_PEER = 3;
const CHILD_TIMEOUT_MS = 240_000;
const root = fileURLToPath(new URL("../../", import.meta.url));

function childEnv(overrides: Child["env"]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function runChild({ name, file, env }: Child): Promise<LibraryResult> {
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
      // Forward the harness's progress lines; drop tfjs's "use tfjs-node" banner and the like.
      const lines = (pending + s).split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) if (l.startsWith("  [")) process.stderr.write(`${l}\n`);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as LibraryResult);
      const why = signal
        ? `killed (${signal}) after ${CHILD_TIMEOUT_MS / 1000} s`
        : `exited with code ${code}: ${stderrTail.trim().split("\n").at(-1) ?? ""}`;
      resolve({ library: name, available: false, reason: why, results: [] });
    });
  });
}

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function cell(r: WorkloadResult | undefined, lib: LibraryResult, key: "medianMs" | "firstMs"): string {
  if (!lib.available) return "n/a";
  if (!r) return "?";
  if (r.status === "unsupported") return "—";
  if (r.status === "wrong") return "wrong";
  if (r.status === "error") return "error";
  const v = r[key];
  return v === undefined ? "?" : fmtMs(v);
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

const find = (lib: LibraryResult, id: string): WorkloadResult | undefined => lib.results.find((r) => r.id === id);

/** A library's time for a workload, when it ran and passed its check. */
function ms(lib: LibraryResult, id: string, key: "medianMs" | "firstMs"): number | undefined {
  const r = find(lib, id);
  return lib.available && r?.status === "ok" ? r[key] : undefined;
}

/** `num ÷ den` as "0.42×" (and the denominator's name when given); "n/a" when either is missing. */
function ratio(num: number | undefined, den: { ms: number; lib?: string } | undefined, unavailable: string): string {
  if (num === undefined || !den) return unavailable;
  return `${(num / den.ms).toFixed(2)}×${den.lib ? ` (${den.lib})` : ""}`;
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
  const [cpu, wasm1, wasmAll] = [libs[CPU]!, libs[WASM1]!, libs[WASM_ALL]!];
  const peers = libs.slice(FIRST_PEER);
  const bestPeer = (id: string, key: "medianMs" | "firstMs"): { lib: string; ms: number } | undefined => {
    let best: { lib: string; ms: number } | undefined;
    for (const p of peers) {
      const t = ms(p, id, key);
      if (t !== undefined && (!best || t < best.ms)) best = { lib: p.library, ms: t };
    }
    return best;
  };
  const na = (lib: LibraryResult): string => (lib.available ? "-" : "n/a");
  const asDen = (t: number | undefined): { ms: number } | undefined => (t === undefined ? undefined : { ms: t });
  const columns = CHILDREN.map((c) => c.column);

  const medianRows = WORKLOADS.map(({ id, what }) => {
    const best = bestPeer(id, "medianMs");
    return [
      id,
      what,
      ...libs.map((l) => cell(find(l, id), l, "medianMs")),
      ratio(ms(wasm1, id, "medianMs"), best, na(wasm1)),
      ratio(ms(wasmAll, id, "medianMs"), best, na(wasmAll)),
      ratio(ms(wasm1, id, "medianMs"), asDen(ms(cpu, id, "medianMs")), na(wasm1)),
    ];
  });
  const gflops = libs.map((l) => {
    const t = ms(l, "W1", "medianMs");
    return t ? `${l.library} ${((2 * W1_N ** 3) / (t * 1e6)).toFixed(2)}` : undefined;
  });
  const jaxjs = libs.find((l) => l.library === "jax-js");
  const firstRows = WORKLOADS.filter((w) => w.jitted).map(({ id, what }) => [
    id,
    what,
    ...libs.map((l) => cell(find(l, id), l, "firstMs")),
    ratio(ms(wasm1, id, "firstMs"), jaxjs && asDen(ms(jaxjs, id, "firstMs")), na(wasm1)),
  ]);

  const machine = `${cpus()[0]?.model?.trim() ?? "?"}, ${cpus().length} cores`;
  console.log(`graft vs JS peers — ${date.toISOString()} — ${machine} — node ${process.version}`);
  console.log("same seeded float32 inputs for every library, results checked against float64");
  console.log("graft wasm 1t: GRAFT_THREADS=1; graft wasm all-t: GRAFT_THREADS unset (all threads); peers: 1 thread");
  for (const l of libs)
    console.log(
      `  ${l.library}: ${l.available ? `${l.version}, backend ${l.backend}, threads ${l.threads}` : l.reason?.startsWith("n/a") ? l.reason : `unavailable — ${l.reason}`}`,
    );
  console.log(
    "\nmedian ms per call (after warm-up); ratios are graft's time ÷ the other's: < 1 = graft faster, > 1 = graft slower",
  );
  console.log(
    table(
      ["id", "workload", ...columns, "wasm 1t ÷ best peer", "wasm all-t ÷ best peer", "wasm 1t ÷ graft cpu"],
      medianRows,
    ),
  );
  console.log(`W1 GFLOP/s: ${gflops.filter(Boolean).join(", ") || "-"}`);
  console.log(
    "\nfirst call ms (trace + compile + run; tfjs is eager: plain first run); ratio < 1 = graft's first call faster",
  );
  console.log(table(["id", "workload", ...columns, "wasm 1t ÷ jax-js"], firstRows));
  console.log(`\n"—": not expressible in that library (no vmap / hessian); "wrong": failed the float64 check`);
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
  };
  writeFileSync(
    new URL("peers.json", out),
    `${JSON.stringify({ meta, workloads: WORKLOADS, libraries: libs }, null, 2)}\n`,
  );
  console.log(`\nwrote bench/out/peers.json (whole run ${wallS.toFixed(1)} s)`);
}

await main();
