/**
 * The replay mechanism of the webgpu-unit mode. The ReplayLog tests run in every mode (fake arrays);
 * the WebGPU ones only under `npm run test:webgpu-unit`, where they check that a test's synchronous
 * read gives what `await x.data()` gives, that a caught marker does not let an attempt pass, and
 * that graft's own synchronous reads keep WebGPU's error.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TypedArray } from "../../src/core/dtype.js";
import { defaultBackend } from "../../src/core/backend.js";
import { np, random } from "../../src/index.js";
import { permutationHost } from "../../src/train/keys.js";
import { EXCLUSIONS, TIME_BUDGET, exclusionFor } from "./exclusions.js";
import { type AsyncReadable, ReplayLog, ReplayMismatch, ReplayPending, TooManyReads } from "./replay.js";

/** A fake array whose asynchronous reads are counted. */
function fake(values: number[], shape = [values.length], dtype = "float32"): AsyncReadable & { reads: number } {
  return {
    shape,
    dtype,
    reads: 0,
    data() {
      this.reads++;
      return Promise.resolve(Float32Array.from(values) as TypedArray);
    },
  };
}

describe("ReplayLog", () => {
  it("answers a read on the attempt after the one that started it, with what data() gave", async () => {
    const log = new ReplayLog(4);
    const x = fake([1, 2, 3]);
    await log.startAttempt();
    expect(() => log.read(x)).toThrow(ReplayPending);
    expect(log.startedRead).toBe(true);
    await log.startAttempt();
    expect(Array.from(log.read(x))).toEqual([1, 2, 3]);
    expect(log.startedRead).toBe(false);
    expect(x.reads).toBe(1);
  });

  it("starts one read per attempt: later reads of that attempt are off the test's path", async () => {
    const log = new ReplayLog(4);
    const a = fake([1]);
    const b = fake([2]);
    await log.startAttempt();
    expect(() => log.read(a)).toThrow(ReplayPending);
    expect(() => log.read(b)).toThrow(ReplayPending);
    expect([a.reads, b.reads, log.recorded]).toEqual([1, 0, 1]);
    await log.startAttempt();
    expect(Array.from(log.read(a))).toEqual([1]);
    expect(() => log.read(b)).toThrow(ReplayPending);
    await log.startAttempt();
    expect([Array.from(log.read(a)), Array.from(log.read(b))]).toEqual([[1], [2]]);
  });

  it("hands out copies: a test writing to a read does not change the next attempt's", async () => {
    const log = new ReplayLog(1);
    const x = fake([5, 6]);
    await log.startAttempt();
    expect(() => log.read(x)).toThrow(ReplayPending);
    await log.startAttempt();
    log.read(x)[0] = 99;
    await log.startAttempt();
    expect(Array.from(log.read(x))).toEqual([5, 6]);
  });

  it("refuses a replayed read of another shape or dtype (a non-deterministic test)", async () => {
    const log = new ReplayLog(2);
    await log.startAttempt();
    expect(() => log.read(fake([1, 2]))).toThrow(ReplayPending);
    await log.startAttempt();
    expect(() => log.read(fake([1, 2, 3]))).toThrow(ReplayMismatch);
    await log.startAttempt();
    expect(() => log.read(fake([1, 2], [2], "int32"))).toThrow(/not deterministic/);
  });

  it("stops at its limit instead of retrying forever", async () => {
    const log = new ReplayLog(1);
    await log.startAttempt();
    expect(() => log.read(fake([1]))).toThrow(ReplayPending);
    await log.startAttempt();
    log.read(fake([1]));
    expect(() => log.read(fake([2]))).toThrow(TooManyReads);
    expect(log.startedRead).toBe(false);
  });

  it("gives a failed asynchronous read's error to the read it answers", async () => {
    const log = new ReplayLog(1);
    const broken: AsyncReadable = { shape: [1], dtype: "float32", data: () => Promise.reject(new Error("lost")) };
    await log.startAttempt();
    expect(() => log.read(broken)).toThrow(ReplayPending);
    await log.startAttempt();
    expect(() => log.read(broken)).toThrow("lost");
  });
});

describe("exclusions", () => {
  it("name files and folders that exist (a renamed test file must not slip back in unlisted)", () => {
    const root = new URL("../../", import.meta.url);
    const missing = [...EXCLUSIONS, ...TIME_BUDGET].filter((e) => !existsSync(new URL(e.path, root)));
    expect(missing.map((e) => e.path)).toEqual([]);
  });

  it("skip a test by the end of its full name, and nothing else of its file", () => {
    const file = "test/core/backend-registry.test.ts";
    const title = "WebGPU before initWebGpu: an error that names it (its device opens asynchronously)";
    expect(exclusionFor(file, `backends > ${title}`, EXCLUSIONS)?.reason).toBe("another backend");
    expect(exclusionFor(file, "backends > registers a backend", EXCLUSIONS)).toBeUndefined();
    expect(exclusionFor("test/core/other.test.ts", `x > ${title}`, EXCLUSIONS)).toBeUndefined();
  });
});

const onWebGpu = defaultBackend().name === "webgpu";
const caughtAttempts: unknown[] = [];

const title = `replayed reads on WebGPU${onWebGpu ? "" : " (skipped: run npm run test:webgpu-unit)"}`;

describe.skipIf(!onWebGpu)(title, () => {
  it("a test's synchronous reads give what await x.data() gives", async () => {
    const x = np.arange(6).mul(2).reshape([2, 3]);
    expect(x.backend).toBe("webgpu");
    const awaited = Array.from(await x.data());
    expect(awaited).toEqual([0, 2, 4, 6, 8, 10]);
    expect(Array.from(x.dataSync())).toEqual(awaited);
    expect(x.tolist()).toEqual([
      [0, 2, 4],
      [6, 8, 10],
    ]);
    const s = x.sum();
    expect(s.item()).toBe(30);
    expect(Number(s) + 1).toBe(31);
    expect(`${s}`).toBe("array(30.)");
  });

  it("(setup for the next test) catches its read's marker, which must not end the test", () => {
    const x = np.array([3, 1, 2]).mul(2);
    expect(x.backend).toBe("webgpu");
    try {
      caughtAttempts.push(x.tolist());
    } catch (e) {
      caughtAttempts.push(e instanceof ReplayPending ? "marker" : e);
    }
  });

  it("an attempt that caught a marker was retried and the retry got the value", () => {
    expect(caughtAttempts).toEqual(["marker", [6, 2, 4]]);
  });

  it("graft's own synchronous reads keep WebGPU's error (not replayed)", () => {
    expect(() => permutationHost(random.key(0), 4, "test")).toThrow(
      /cannot read synchronously; use 'await x.data\(\)'/,
    );
  });
});
