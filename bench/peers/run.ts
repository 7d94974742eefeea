/**
 * `npm run bench:peers`: graft against other JS array libraries on workloads W1–W6 (data.ts).
 *
 * Each library runs in its own child process (`node --import tsx bench/peers/<lib>.ts`), one after
 * another, so JIT caches, Wasm heaps and GC pressure never mix. Every library is single-threaded
 * (each child file says how). The table shows median ms per call (after warm-up; N in the JSON),
 * the first-call time (trace + compile + run where the library jits), and graft's median divided by
 * the best JS peer's (> 1: graft is slower). A library whose result fails the float64 check is
 * "wrong" and not timed; "—" means the library cannot express the workload. Results go to
 * bench/out/peers.json. Peers are installed with `npm run bench:install`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { W1_N, WORKLOADS } from "./data.js";
import { type LibraryResult, RESULT_PREFIX, type WorkloadResult } from "./harness.js";

const LIBRARIES = [
  { name: "graft", file: "graft.ts" },
  { name: "jax-js", file: "jaxjs.ts" },
  { name: "tfjs", file: "tfjs.ts" },
] as const;
const CHILD_TIMEOUT_MS = 240_000;
const root = fileURLToPath(new URL("../../", import.meta.url));

function runChild(name: string, file: string): Promise<LibraryResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", `bench/peers/${file}`], {
      cwd: root,
      env: { ...process.env, GRAFT_BACKEND: "cpu" },
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

async function main(): Promise<void> {
  const t0 = Date.now();
  const libs: LibraryResult[] = [];
  for (const { name, file } of LIBRARIES) {
    process.stderr.write(`${name}:\n`);
    const r = await runChild(name, file);
    if (!r.available) process.stderr.write(`  unavailable: ${r.reason}\n`);
    libs.push(r);
  }
  const wallS = (Date.now() - t0) / 1000;
  const find = (lib: LibraryResult, id: string) => lib.results.find((r) => r.id === id);
  const graft = libs[0]!;
  const peers = libs.slice(1);
  const names = libs.map((l) => l.library);

  const medianRows = WORKLOADS.map(({ id, what }) => {
    const g = find(graft, id);
    let best: { lib: string; ms: number } | undefined;
    for (const p of peers) {
      const r = find(p, id);
      if (r?.status === "ok" && r.medianMs !== undefined && (!best || r.medianMs < best.ms))
        best = { lib: p.library, ms: r.medianMs };
    }
    const ratio =
      g?.status === "ok" && g.medianMs !== undefined && best
        ? `${(g.medianMs / best.ms).toFixed(2)}× (${best.lib})`
        : "-";
    return [id, what, ...libs.map((l) => cell(find(l, id), l, "medianMs")), ratio];
  });
  const gflops = libs.map((l) => {
    const r = find(l, "W1");
    return r?.status === "ok" && r.medianMs
      ? `${l.library} ${((2 * W1_N ** 3) / (r.medianMs * 1e6)).toFixed(2)}`
      : undefined;
  });
  const firstRows = WORKLOADS.filter((w) => w.jitted).map(({ id, what }) => [
    id,
    what,
    ...libs.map((l) => cell(find(l, id), l, "firstMs")),
  ]);

  console.log(`graft vs JS peers — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}`);
  console.log("single-threaded for every library; same seeded float32 inputs, results checked against float64");
  for (const l of libs)
    console.log(
      `  ${l.library}: ${l.available ? `${l.version}, backend ${l.backend}, threads ${l.threads}` : `unavailable — ${l.reason}`}`,
    );
  console.log("\nmedian ms per call (after warm-up)");
  console.log(table(["id", "workload", ...names, "graft / best peer"], medianRows));
  console.log(`W1 GFLOP/s: ${gflops.filter(Boolean).join(", ") || "-"}`);
  console.log("\nfirst call ms (trace + compile + run; tfjs is eager: plain first run)");
  console.log(table(["id", "workload", ...names], firstRows));
  console.log(`\n"—": not expressible in that library (no vmap / hessian); "wrong": failed the float64 check`);
  for (const l of libs)
    for (const r of l.results)
      if (r.detail && r.status !== "unsupported") console.log(`  ${l.library} ${r.id}: ${r.detail}`);

  const out = new URL("../out/", import.meta.url);
  mkdirSync(out, { recursive: true });
  const meta = {
    date: new Date().toISOString(),
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
