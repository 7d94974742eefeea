/**
 * The synchronous reads of concrete arrays (`dataSync`, `tolist`, `item`, printing, `Number(x)`,
 * `JSON.stringify`), patched for the webgpu-unit mode: a read of a WebGPU array made by a test is
 * answered by the current test's {@link ReplayLog}. Reads graft's own code makes (an optimizer's
 * `.item()`, a metric's `dataSync()`) keep WebGPU's behaviour, an error saying to await: those are
 * limits of the library on WebGPU that the mode must show, not hide. Reads of other backends and
 * reads outside a test (collection, beforeAll) are untouched.
 */
import { fileURLToPath } from "node:url";
import { getBackend } from "../../src/core/backend.js";
import { ConcreteArray, canReadSync, concreteArray } from "../../src/core/concrete.js";
import type { TypedArray } from "../../src/core/dtype.js";
import { formatArray } from "../../src/core/format.js";
import type { ReplayLog } from "./replay.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Frames between a read and whoever asked for it: the array methods, numpy's tolist/item, this
 * harness, and graft's testing library (assertion helpers such as checkGrads, which read what a
 * test checks).
 */
const PLUMBING = ["src/core/array.ts", "src/core/concrete.ts", "src/numpy/io.ts", "src/testing/", "test/webgpu-unit/"];
/** Where graft's own code lives: a read asked for from there is the library's, not the test's. */
const LIBRARY = ["src/", "transforms/", "backends/"];

/** The repository-relative file of a V8 stack frame, or undefined for frames outside the repository. */
function frameFile(frame: string): string | undefined {
  const at = frame.indexOf(root);
  if (at < 0) return undefined;
  return frame.slice(at + root.length);
}

/** True when the nearest caller outside the read plumbing is a test, not graft's code. */
function askedByTest(): boolean {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const frame of frames) {
    const file = frameFile(frame);
    if (file === undefined || PLUMBING.some((p) => file.startsWith(p))) continue;
    return !LIBRARY.some((p) => file.startsWith(p));
  }
  return true;
}

let current: ReplayLog | undefined;

/** Makes `log` answer the synchronous reads from now on (undefined: none answered, outside a test). */
export function answerReadsWith(log: ReplayLog | undefined): void {
  current = log;
}

/** The log answering `x`'s synchronous read, or undefined where the original read must run. */
function replayFor(x: ConcreteArray): ReplayLog | undefined {
  if (!current || canReadSync(x) || !askedByTest()) return undefined;
  return current;
}

/** A CPU array holding `data` with `x`'s shape and dtype: tolist/item then format exactly as graft does. */
function hostTwin(x: ConcreteArray, data: TypedArray): ConcreteArray {
  const cpu = getBackend("cpu");
  return concreteArray(x.aval, cpu, cpu.upload(data, x.aval));
}

let installed = false;

/** Patches ConcreteArray's synchronous reads (idempotent; the setup file runs once per test file). */
export function installReadHooks(): void {
  if (installed) return;
  installed = true;
  const proto = ConcreteArray.prototype;
  const dataSync = proto.dataSync;
  const toString = proto.toString;
  const toPrimitive = proto[Symbol.toPrimitive];
  const tolist = proto.tolist;
  const item = proto.item;
  Object.defineProperties(proto, {
    tolist: {
      value: function tolistReplayed(this: ConcreteArray): unknown {
        const log = replayFor(this);
        return log ? tolist.call(hostTwin(this, log.read(this))) : tolist.call(this);
      },
      writable: true,
      configurable: true,
    },
    item: {
      value: function itemReplayed(this: ConcreteArray): number {
        const log = this.size === 1 ? replayFor(this) : undefined; // item's own size error first
        return log ? item.call(hostTwin(this, log.read(this))) : item.call(this);
      },
      writable: true,
      configurable: true,
    },
    dataSync: {
      value: function dataSyncReplayed(this: ConcreteArray): TypedArray {
        return replayFor(this)?.read(this) ?? dataSync.call(this);
      },
      writable: true,
      configurable: true,
    },
    toString: {
      value: function toStringReplayed(this: ConcreteArray): string {
        const log = replayFor(this);
        return log ? formatArray(log.read(this), this.aval) : toString.call(this);
      },
      writable: true,
      configurable: true,
    },
    [Symbol.toPrimitive]: {
      value: function toPrimitiveReplayed(this: ConcreteArray, hint: string): string | number {
        const log = hint === "string" ? undefined : replayFor(this);
        // A size-1 check first, as the original does, so that its error is the one a test sees.
        if (!log || this.aval.size !== 1) return toPrimitive.call(this, hint);
        return Number(log.read(this)[0]);
      },
      writable: true,
      configurable: true,
    },
  });
}
