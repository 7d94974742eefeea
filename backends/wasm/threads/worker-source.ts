/**
 * The workers' code, as strings (a Node worker evaluates its source; a Web Worker loads it from a
 * blob: URL), so no worker file has to ship with the package or be found by a bundler. Plain
 * JavaScript: a worker instantiates the modules it is given over the shared memory (importing
 * only env.memory) and serves jobs: Atomics.wait for one, claim slices, run them, count them
 * done. A job naming a module the worker has not received yet is left to the other threads (the
 * main thread runs every slice nobody claims): Node reads pending messages synchronously first,
 * and otherwise the worker returns to its event loop, receives the module and serves again.
 * Errors are reported through the control block (FAILED, then DONE/ACTIVE notified) and a
 * message, never by hanging.
 */
import { CTL } from "./control.js";

/** Shared by both platforms; expects `post(message)` and `receive()` (a pending message or undefined). */
const CORE = `
const C = ${JSON.stringify(CTL)};
const fns = new Map();
let c, memory, index;
let seen = 0, inJob = false, serving = false;
function describe(e) { return (e && e.stack) || String(e); }
function fail(why) {
  try { post({ worker: index, error: why }); } catch {}
  Atomics.store(c, C.FAILED, 1);
  Atomics.notify(c, C.DONE);
  Atomics.notify(c, C.ACTIVE);
}
function add(m) {
  if (m.drop !== undefined) { fns.delete(m.drop); return; }
  const inst = new WebAssembly.Instance(m.module, { env: { memory } });
  fns.set(m.id, m.exports.map((n) => inst.exports[n]));
}
function init(d) {
  c = new Int32Array(d.control); memory = d.memory; index = d.index;
  try {
    for (const m of d.modules) add(m);
  } catch (e) {
    fail("worker " + index + " could not instantiate its modules: " + describe(e));
  }
  Atomics.add(c, C.BOOTED, 1);
}
function lookup(id, i) {
  let f = fns.get(id);
  while (f === undefined) {
    const m = receive();
    if (m === undefined) return undefined;
    add(m);
    f = fns.get(id);
  }
  const fn = f[i];
  if (typeof fn !== "function") throw new Error("module " + id + " has no function " + i);
  return fn;
}
function runSlices(fn) {
  const n = c[C.SLICES], nArgs = c[C.NARGS], wsArg = c[C.WS_ARG];
  const ws = c[C.WS_BASE] + index * c[C.WS_STRIDE];
  const args = new Array(nArgs);
  for (;;) {
    const s = Atomics.add(c, C.NEXT, 1);
    if (s >= n) return;
    const at = C.ARGS + s * nArgs;
    for (let i = 0; i < nArgs; i++) args[i] = c[at + i];
    if (wsArg >= 0) args[wsArg] = ws;
    try { fn(...args); } catch (e) { fail("worker " + index + ": " + describe(e)); }
    if (Atomics.add(c, C.DONE, 1) + 1 === n) Atomics.notify(c, C.DONE);
  }
}
function serve() {
  if (serving) return;
  serving = true;
  for (;;) {
    Atomics.wait(c, C.GEN, seen);
    seen = Atomics.load(c, C.GEN);
    Atomics.add(c, C.ACTIVE, 1);
    inJob = true;
    let missing = false;
    try {
      if (Atomics.load(c, C.OPEN) === 1) {
        const fn = lookup(c[C.MODULE], c[C.FUNC]);
        if (fn === undefined) missing = true;
        else runSlices(fn);
      }
    } catch (e) {
      fail("worker " + index + ": " + describe(e));
    }
    inJob = false;
    if (Atomics.sub(c, C.ACTIVE, 1) === 1) Atomics.notify(c, C.ACTIVE);
    // Back to the event loop, which delivers the module; its message handler serves again.
    if (missing) { serving = false; return; }
  }
}
`;

/** Run with `new Worker(source, { eval: true, workerData })` from node:worker_threads. */
export const NODE_WORKER_SOURCE = `"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const port = workerData.port;
const post = (m) => port.postMessage(m);
const receive = () => receiveMessageOnPort(port)?.message;
${CORE}
process.on("exit", (code) => {
  if (inJob) Atomics.sub(c, C.ACTIVE, 1);
  fail("worker " + index + " exited (code " + code + ")");
});
// The port stays referenced: a worker waiting for a module on its event loop must not exit.
port.on("message", (m) => { add(m); serve(); });
init(workerData);
serve();
`;

/** Loaded from a blob: URL as a classic Web Worker; its first message carries what workerData does in Node. */
export const WEB_WORKER_SOURCE = `"use strict";
const post = (m) => self.postMessage(m);
const receive = () => undefined;
${CORE}
self.onmessage = (ev) => {
  const m = ev.data;
  if (c === undefined) {
    init(m);
    // Tells the main thread that later errors are failures, not a worker that never started.
    post({ booted: true });
  } else add(m);
  serve();
};
`;
