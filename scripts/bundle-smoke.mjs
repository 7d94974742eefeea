// Bundling smoke test (run by .ci/run after `npm run build`): each program in test/bundle/programs
// is bundled with esbuild for the browser (run in a bare node:vm context, without Node's globals)
// and for Node (run in a child process), and each result must equal the unbundled program's.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import assert from "node:assert/strict";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const pkgName = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).name;
const programsDir = path.join(root, "test/bundle/programs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "graft-bundle-"));
// The programs import the package by name, resolved through its exports map like a user's would.
fs.mkdirSync(path.join(work, "node_modules"), { recursive: true });
fs.symlinkSync(root, path.join(work, "node_modules", pkgName), "dir");
// Programs may import graft's optional peers themselves (as a user who installed them would): link
// the installed ones next to the package (scoped names need their scope folder).
const peers = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).peerDependencies ?? {};
for (const peer of Object.keys(peers)) {
  const installed = path.join(root, "node_modules", peer);
  if (!fs.existsSync(installed)) continue;
  fs.mkdirSync(path.dirname(path.join(work, "node_modules", peer)), { recursive: true });
  fs.symlinkSync(installed, path.join(work, "node_modules", peer), "dir");
}

const runNode = (file, env = {}) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `await import(${JSON.stringify(file)}); console.log(JSON.stringify(globalThis.__graftResult));`,
      ],
      { cwd: work, encoding: "utf8", env: { ...process.env, ...env } },
    ),
  );

let failures = 0;
for (const name of fs
  .readdirSync(programsDir)
  .filter((f) => f.endsWith(".mjs"))
  .sort()) {
  const src = path.join(work, name);
  fs.copyFileSync(path.join(programsDir, name), src);
  const expected = runNode(src);
  const results = {};
  try {
    const browser = await build({
      entryPoints: [src],
      bundle: true,
      platform: "browser",
      format: "iife",
      write: false,
      logLevel: "error",
      absWorkingDir: work,
    });
    // A bare context: only the language's own globals (no process, Buffer, require, console).
    const context = vm.createContext({});
    vm.runInContext(browser.outputFiles[0].text, context);
    results.browser = JSON.parse(JSON.stringify(context.__graftResult));
    // Where WebAssembly may not be compiled (a CSP without 'wasm-unsafe-eval'; here a vm context
    // with wasm code generation off), graft warns once and runs on the reference backend.
    const warnings = [];
    const csp = vm.createContext(
      { console: { warn: (m) => warnings.push(String(m)) } },
      { codeGeneration: { strings: true, wasm: false } },
    );
    vm.runInContext(browser.outputFiles[0].text, csp);
    assert.deepEqual(
      JSON.parse(JSON.stringify(csp.__graftResult)),
      runNode(src, { GRAFT_BACKEND: "cpu" }),
      `${name}: the bundle without WebAssembly differs from the unbundled run on the cpu backend`,
    );
    assert.equal(
      warnings.length,
      1,
      `${name}: expected one warning without WebAssembly, got ${JSON.stringify(warnings)}`,
    );
    assert.match(warnings[0], /WebAssembly cannot be compiled here.*'cpu' backend/);
    const nodeOut = path.join(work, name.replace(/\.mjs$/, ".bundle.mjs"));
    await build({
      entryPoints: [src],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: nodeOut,
      logLevel: "error",
      absWorkingDir: work,
    });
    results.node = runNode(nodeOut);
    for (const [platform, got] of Object.entries(results))
      assert.deepEqual(got, expected, `${name}: ${platform} bundle differs from the unbundled run`);
    console.log(`bundle ok: ${name} (browser in a bare vm context, also without WebAssembly; node)`);
  } catch (e) {
    failures++;
    console.error(`bundle FAILED: ${name}: ${e instanceof Error ? e.stack : e}`);
  }
}
fs.rmSync(work, { recursive: true, force: true });
if (failures) {
  console.error(`${failures} bundling smoke test(s) failed`);
  process.exit(1);
}
