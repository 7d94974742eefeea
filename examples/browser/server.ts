/**
 * Bundles the browser demo with esbuild and serves it on 127.0.0.1: index.html, main.js (the page),
 * worker.js (the trainer in a Worker), their source maps, and examples/data/digits.csv.gz. Used by
 * `npm run example:browser` (serve.ts) and by test/browser/demo.browser.test.ts.
 *
 * The bundle is rebuilt (incrementally) whenever the page is requested, so reloading the page
 * picks up edits to the demo or to graft's sources.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type BuildContext, context } from "esbuild";

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".gz": "application/gzip",
};

/** Files read from disk on every request, by URL path. */
const FILES: Record<string, string> = {
  "/index.html": here("index.html"),
  // The same copy of the data set the Node examples read (examples/data/README.md: source, licence).
  "/digits.csv.gz": here("../data/digits.csv.gz"),
};

export interface DemoServerOptions {
  /** The port to listen on (default 0: any free port). */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
}

export interface DemoServer {
  /** The page's URL, e.g. http://127.0.0.1:5180/ (append a query string for options). */
  readonly url: string;
  /** Stops serving and releases esbuild. */
  close(): Promise<void>;
}

/** Bundles the page (main.ts) and the worker (worker.ts) into browser scripts, in memory. */
async function bundler(): Promise<{ build(): Promise<Map<string, Uint8Array>>; dispose(): Promise<void> }> {
  const ctx: BuildContext = await context({
    entryPoints: { main: here("main.ts"), worker: here("worker.ts") },
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    outdir: here("out"), // names the outputs; write: false keeps them in memory
    write: false,
    sourcemap: "linked",
    logLevel: "error",
  });
  return {
    async build() {
      const result = await ctx.rebuild();
      return new Map((result.outputFiles ?? []).map((f) => [`/${f.path.split(/[\\/]/).pop()}`, f.contents]));
    },
    dispose: () => ctx.dispose(),
  };
}

/** Bundles the demo and serves it until close(). Rejects if the bundle does not build or the port is taken. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const { build, dispose } = await bundler();
  let bundle = build();
  try {
    await bundle;
  } catch (e) {
    await dispose();
    throw e;
  }

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const name = path === "/" ? "/index.html" : path;
    const send = (status: number, body: string | Uint8Array, type: string): void => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    };
    try {
      if (name === "/index.html") bundle = build(); // a page load: pick up edits
      const file = FILES[name];
      const body = file ? await readFile(file) : (await bundle).get(name);
      if (!body) return send(404, `not found: ${path}\n`, "text/plain; charset=utf-8");
      send(200, body, TYPES[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream");
    } catch (e) {
      send(500, `${e instanceof Error ? e.message : String(e)}\n`, "text/plain; charset=utf-8");
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
  } catch (e) {
    await dispose();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      // Browsers keep connections alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispose();
    },
  };
}
