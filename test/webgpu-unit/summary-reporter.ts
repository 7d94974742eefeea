/**
 * The webgpu-unit run's summary, printed after vitest's own: tests passed and failed, tests skipped
 * per exclusion reason, whole files left out per reason, and how many synchronous reads were
 * replayed. Reasons come from the skip notes the setup writes ("webgpu-unit: <reason>: <why>").
 */
import type { Reporter, TestModule } from "vitest/node";
import { activeExclusions } from "./exclusions.js";

const NOTE = /^webgpu-unit: ([^:]+)(?::|$)/;

/** `counts` plus one for `key`. */
function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** The summary lines of a finished run. */
export function summarize(modules: readonly TestModule[], env: Readonly<Record<string, string | undefined>>): string[] {
  let passed = 0;
  let failed = 0;
  let reads = 0;
  let replayed = 0;
  let unloaded = 0;
  const skipped = new Map<string, number>();
  for (const m of modules) {
    if (m.errors().length > 0) unloaded++;
    for (const t of m.children.allTests()) {
      const r = t.result();
      if (r.state === "passed") passed++;
      else if (r.state === "failed") failed++;
      else if (r.state === "skipped") bump(skipped, NOTE.exec(r.note ?? "")?.[1] ?? "skipped in the test file");
      const n = t.meta().webgpuReads ?? 0;
      reads += n;
      if (n > 0) replayed++;
    }
  }
  const files = new Map<string, string[]>();
  for (const e of activeExclusions(env)) if (!e.tests) files.set(e.reason, [...(files.get(e.reason) ?? []), e.path]);
  const lines = [
    `webgpu-unit: ${passed} passed, ${failed} failed, ${unloaded} files failed to load; ` +
      `${reads} synchronous reads replayed in ${replayed} tests`,
  ];
  for (const [reason, n] of [...skipped].sort((a, b) => b[1] - a[1])) lines.push(`  skipped, ${reason}: ${n}`);
  for (const [reason, paths] of files) lines.push(`  not run, ${reason}: ${paths.join(", ")}`);
  return lines;
}

/** Prints {@link summarize} at the end of the run. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    process.stdout.write(`\n${summarize(modules, process.env).join("\n")}\n`);
  }
}
