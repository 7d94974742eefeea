/**
 * The worker's code, as a string run with `new Worker(code, { eval: true })`, so no worker file
 * has to ship with the package or be found by a bundler. Plain CommonJS JavaScript: it instantiates
 * the modules it was given over the shared memory (importing only env.memory), then loops
 * forever: Atomics.wait for a job, claim slices, run them, count them done. It never returns to
 * its event loop, so modules registered later are read synchronously from its port with
 * receiveMessageOnPort when a job names one it has not seen. Errors are reported through the
 * control block (FAILED, then DONE/ACTIVE notified) and the port, never by hanging.
 */
import { CTL } from "./control.js";

export const WORKER_SOURCE = `"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { control, memory, port, index, modules } = workerData;
const C = ${JSON.stringify(CTL)};
const c = new Int32Array(control);
const fns = new Map();
let inJob = false;
function fail(why) {
  try { port.postMessage({ worker: index, error: why }); } catch {}
  Atomics.store(c, C.FAILED, 1);
  Atomics.notify(c, C.DONE);
  Atomics.notify(c, C.ACTIVE);
}
function describe(e) { return (e && e.stack) || String(e); }
function add(m) {
  const inst = new WebAssembly.Instance(m.module, { env: { memory } });
  fns.set(m.id, m.exports.map((n) => inst.exports[n]));
}
function lookup(id, i) {
  let f = fns.get(id);
  while (f === undefined) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) throw new Error("module " + id + " never reached worker " + index);
    add(m.message);
    f = fns.get(id);
  }
  const fn = f[i];
  if (typeof fn !== "function") throw new Error("module " + id + " has no function " + i);
  return fn;
}
function job() {
  const n = c[C.SLICES], nArgs = c[C.NARGS], wsArg = c[C.WS_ARG];
  const fn = lookup(c[C.MODULE], c[C.FUNC]);
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
process.on("exit", (code) => {
  if (inJob) Atomics.sub(c, C.ACTIVE, 1);
  fail("worker " + index + " exited (code " + code + ")");
});
try {
  for (const m of modules) add(m);
} catch (e) {
  fail("worker " + index + " could not instantiate its modules: " + describe(e));
}
Atomics.add(c, C.BOOTED, 1);
let seen = 0;
for (;;) {
  Atomics.wait(c, C.GEN, seen);
  seen = Atomics.load(c, C.GEN);
  Atomics.add(c, C.ACTIVE, 1);
  inJob = true;
  try {
    if (Atomics.load(c, C.OPEN) === 1) job();
  } catch (e) {
    fail("worker " + index + ": " + describe(e));
  }
  inJob = false;
  if (Atomics.sub(c, C.ACTIVE, 1) === 1) Atomics.notify(c, C.ACTIVE);
}
`;
