/**
 * A tiny static server for the browser tests: in-memory files on 127.0.0.1 (a secure context, so
 * WebAssembly, workers and SharedArrayBuffer behave as on a real HTTPS site) with the headers a
 * test asks for.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One served file. */
export interface Route {
  readonly body: string;
  readonly contentType: string;
}

export interface ServeOptions {
  /**
   * Send COOP same-origin + COEP require-corp on every response, so the page (and the workers it
   * starts) are cross-origin isolated: `crossOriginIsolated` is true and SharedArrayBuffer exists.
   */
  readonly isolated?: boolean;
  /** A Content-Security-Policy header for every response (for the CSP fallback tests). */
  readonly csp?: string;
}

export interface Server {
  /** The origin with a trailing slash, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `routes` (keys are paths such as "/index.html") until `close()`. Unknown paths get 404. */
export async function serve(routes: Readonly<Record<string, Route>>, options: ServeOptions = {}): Promise<Server> {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (options.isolated) {
    headers["cross-origin-opener-policy"] = "same-origin";
    headers["cross-origin-embedder-policy"] = "require-corp";
  }
  if (options.csp !== undefined) headers["content-security-policy"] = options.csp;

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = routes[path === "/" ? "/index.html" : path];
    if (!route) {
      res.writeHead(404, { ...headers, "content-type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { ...headers, "content-type": route.contentType }).end(route.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        // Chromium keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
