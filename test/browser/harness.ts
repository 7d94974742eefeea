/**
 * The headless-Chromium harness for test/browser: find Debian's Chromium, bundle a test entry for
 * the browser, serve it, and run it on a page's main thread or in a dedicated Worker, getting back
 * the JSON value its `run()` resolves to.
 *
 * An entry is a module exporting `run(): unknown | Promise<unknown>`. It is bundled as an IIFE
 * that defines the global `__graftEntry`, so the same text loads as a classic page script and as a
 * classic worker script (`new Worker(url)`), and no inline script is needed (a page with
 * `script-src 'self'` runs it too).
 */
import fs from "node:fs";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, type TestContext } from "vitest";
import { type Route, type ServeOptions, serve } from "./serve.js";

export { type Route, type ServeOptions, type Server, serve } from "./serve.js";

/** Where Debian's `chromium` package installs the browser (scripts/setup-browser.sh). */
const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export const MISSING_CHROMIUM = "Chromium not found: run scripts/setup-browser.sh";

/** How long one page run may take: software rendering on two slow cores, plus a cold bundle. */
export const RUN_TIMEOUT_MS = 55_000;

/** The Chromium to drive: $GRAFT_CHROMIUM if set, else /usr/bin/chromium; undefined if not executable. */
export function findChromium(): string | undefined {
  const candidate = process.env.GRAFT_CHROMIUM || DEFAULT_CHROMIUM;
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

/** Launches headless Chromium, by default findChromium()'s (the caller closes it). */
export function launch(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) return Promise.reject(new Error(MISSING_CHROMIUM));
  return chromium.launch({
    executablePath,
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. WebGPU is off in
    // Chromium on Linux without --enable-unsafe-webgpu (later WebGPU tests need it; harmless here).
    args: ["--no-sandbox", "--enable-unsafe-webgpu"],
  });
}

/**
 * For a test file: returns `browser(ctx)`, which launches one Chromium for the whole file on first
 * use (closed after the file's tests). Where Chromium is missing, it skips the calling test with
 * MISSING_CHROMIUM, or fails it when GRAFT_REQUIRE_BROWSER=1 (CI, where a silent skip would hide a
 * broken setup).
 */
export function useBrowser(): (ctx: TestContext) => Promise<Browser> {
  const path = findChromium();
  let launched: Promise<Browser> | undefined;
  afterAll(async () => {
    await (await launched?.catch(() => undefined))?.close();
  });
  return async (ctx) => {
    if (!path) {
      if (process.env.GRAFT_REQUIRE_BROWSER === "1") throw new Error(`${MISSING_CHROMIUM} (GRAFT_REQUIRE_BROWSER=1)`);
      return ctx.skip(MISSING_CHROMIUM);
    }
    launched ??= launch(path);
    return launched;
  };
}

const bundles = new Map<string, Promise<string>>();

/**
 * Bundles a test entry (which imports graft from source, so no `npm run build` is needed) for the
 * browser: an IIFE defining the global `__graftEntry`. Cached per file for the test process.
 */
export function bundleForBrowser(entryFile: string): Promise<string> {
  let text = bundles.get(entryFile);
  if (!text) {
    text = build({
      entryPoints: [entryFile],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "__graftEntry",
      target: "es2022",
      write: false,
      logLevel: "error",
    }).then((r) => r.outputFiles[0]!.text);
    bundles.set(entryFile, text);
  }
  return text;
}

/** What a page run sends back: the entry's value, or the error it threw (with its stack). */
type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

// Boot scripts, appended to the bundle or served beside it. Plain JavaScript: they run as classic
// scripts in the browser, untouched by esbuild.
const settle = `(async () => {
  try { return { ok: true, value: await __graftEntry.run() }; }
  catch (e) { return { ok: false, error: String((e && e.stack) || e) }; }
})()`;
const MAIN_BOOT = `globalThis.__graftResult = ${settle};`;
const WORKER_BOOT = `${settle}.then((outcome) => postMessage(outcome));`;
const PAGE_STARTS_WORKER = `globalThis.__graftResult = new Promise((resolve) => {
  const worker = new Worker("/worker.js");
  worker.onmessage = (e) => resolve(e.data);
  worker.onerror = (e) => resolve({ ok: false, error: "worker error: " + (e.message || "(no message; did the script load?)") });
});`;

// The empty icon spares a 404 for /favicon.ico in every page's console.
const HTML = `<!doctype html>
<meta charset="utf-8">
<title>graft browser test</title>
<link rel="icon" href="data:,">
<script src="/boot.js"></script>
`;
const js = (body: string): Route => ({ body, contentType: "text/javascript; charset=utf-8" });

export interface RunOptions extends ServeOptions {
  /** "main": the page's main thread; "worker": a dedicated Worker the page starts. */
  readonly where: "main" | "worker";
}

export interface RunResult {
  /** What the entry's run() resolved to (through JSON-like structured cloning). */
  readonly value: unknown;
  /** Every console message and uncaught error of the page and its workers, as "type: text". */
  readonly console: readonly string[];
}

/**
 * Serves `bundle` (from bundleForBrowser) in a fresh browser context and runs its entry where asked.
 * Rejects with the page's error (and its console) if the entry throws or the run times out.
 */
export async function runInBrowser(browser: Browser, bundle: string, options: RunOptions): Promise<RunResult> {
  const routes: Record<string, Route> = { "/index.html": { body: HTML, contentType: "text/html; charset=utf-8" } };
  if (options.where === "main") routes["/boot.js"] = js(`${bundle}\n${MAIN_BOOT}\n`);
  else {
    routes["/boot.js"] = js(PAGE_STARTS_WORKER);
    routes["/worker.js"] = js(`${bundle}\n${WORKER_BOOT}\n`);
  }
  const server = await serve(routes, options);
  const context = await browser.newContext();
  const messages: string[] = [];
  const label = options.where === "main" ? "page" : "page+worker";
  const note = (line: string, loud: boolean): void => {
    messages.push(line);
    // Errors and warnings go to the test output: the first clue when a browser run goes wrong.
    if (loud) process.stderr.write(`[chromium ${label}] ${line}\n`);
  };
  try {
    const page = await context.newPage();
    page.on("console", (m) => note(`${m.type()}: ${m.text()}`, m.type() === "error" || m.type() === "warning"));
    page.on("pageerror", (e) => note(`pageerror: ${e.stack ?? e.message}`, true));
    page.on("crash", () => note("crash: the page crashed", true));
    await page.goto(server.url, { waitUntil: "load", timeout: RUN_TIMEOUT_MS });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS);
    });
    let outcome: Outcome | undefined;
    try {
      // page.evaluate goes through the DevTools protocol, which a page's CSP does not restrict.
      outcome = await Promise.race([
        page.evaluate(() => (globalThis as { __graftResult?: Promise<Outcome> }).__graftResult),
        timeout,
      ]);
    } catch (e) {
      throw new Error(`browser run (${options.where}) failed: ${(e as Error).message}\n${messages.join("\n")}`);
    } finally {
      clearTimeout(timer);
    }
    if (outcome === undefined)
      throw new Error(`the boot script did not run (blocked, or a syntax error?)\n${messages.join("\n")}`);
    if (!outcome.ok) throw new Error(`the entry threw in the browser (${options.where}): ${outcome.error}`);
    return { value: outcome.value, console: messages };
  } finally {
    await context.close();
    await server.close();
  }
}
