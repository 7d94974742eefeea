/**
 * Replay reads: how a synchronous test reads arrays that only read asynchronously (WebGPU).
 *
 * A test body is deterministic, so its k-th synchronous read is of the same array in every attempt.
 * Each attempt answers the reads already recorded; the first read past them starts `await x.data()`
 * and throws a {@link ReplayPending} marker, the attempt fails, and the next attempt (after
 * {@link ReplayLog.startAttempt} has awaited the read) gets one more read answered, until the test
 * completes. Only one read is started per attempt: after a marker the body runs off its true path
 * (the value was missing), so later reads of that attempt are not the test's reads.
 */
import type { TypedArray } from "../../src/core/dtype.js";

/** What the log needs of an array: its shape and dtype (checked on replay) and an asynchronous read. */
export interface AsyncReadable {
  readonly shape: readonly number[];
  readonly dtype: string;
  data(): Promise<TypedArray>;
}

/** What one synchronous read gave: its array's shape and dtype and the contents (or the read's error). */
interface RecordedRead {
  readonly shape: readonly number[];
  readonly dtype: string;
  data?: TypedArray;
  error?: unknown;
}

/** The marker: this read's value is on its way; the attempt must fail so that it is retried. */
export class ReplayPending extends Error {
  constructor(position: number, x: AsyncReadable) {
    super(
      `webgpu-unit replay: synchronous read #${position + 1} (shape [${x.shape.join(", ")}], ${x.dtype}) ` +
        "is being read asynchronously; the test is retried with its value",
    );
    this.name = "ReplayPending";
  }
}

/** A replayed read whose array differs from the recorded one: the test is not deterministic. */
export class ReplayMismatch extends Error {
  constructor(position: number, want: RecordedRead, got: AsyncReadable) {
    super(
      `webgpu-unit replay: synchronous read #${position + 1} was of shape [${want.shape.join(", ")}] ${want.dtype} ` +
        `in an earlier attempt but is of shape [${got.shape.join(", ")}] ${got.dtype} now: the test is not ` +
        "deterministic (unseeded randomness, time, shared state), so its reads cannot be replayed; exclude it",
    );
    this.name = "ReplayMismatch";
  }
}

/** More synchronous reads than the log answers: the test is listed, not retried forever. */
export class TooManyReads extends Error {
  constructor(limit: number) {
    super(
      `webgpu-unit replay: the test makes more than ${limit} synchronous reads; ` +
        "list it in test/webgpu-unit/exclusions.ts as 'too many synchronous reads for replay'",
    );
    this.name = "TooManyReads";
  }
}

/** A marker that a test caught and did not rethrow (`expect(() => …).toThrow()`, try/catch). */
export class SwallowedPending extends Error {
  constructor() {
    super(
      "webgpu-unit replay: the attempt passed although a synchronous read threw its pending-read marker " +
        "(caught by the test?); it is retried with the value",
    );
    this.name = "SwallowedPending";
  }
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The synchronous reads of one test, across its attempts.
 * @example
 * const log = new ReplayLog(40);
 * await log.startAttempt(); // before each attempt
 * const values = log.read(x); // in the body: the value, or throws ReplayPending once per new read
 */
export class ReplayLog {
  readonly #reads: RecordedRead[] = [];
  #pending: Promise<void> | undefined;
  #position = 0;
  #startedRead = false;

  /** `limit`: the most synchronous reads answered for one test. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`ReplayLog: limit must be a non-negative integer, got ${limit}`);
  }

  /** Awaits the read the last attempt started, then rewinds to the first read. */
  async startAttempt(): Promise<void> {
    await this.#pending;
    this.#pending = undefined;
    this.#position = 0;
    this.#startedRead = false;
  }

  /** True when this attempt started a new read (so its outcome does not count: it is retried). */
  get startedRead(): boolean {
    return this.#startedRead;
  }

  /** How many reads have been answered or are on their way. */
  get recorded(): number {
    return this.#reads.length;
  }

  /** The contents of `x` (a fresh copy) if this read was recorded; else starts reading it and throws the marker. */
  read(x: AsyncReadable): TypedArray {
    const position = this.#position++;
    const got = this.#reads[position];
    if (got) {
      if (got.dtype !== x.dtype || !sameShape(got.shape, x.shape)) throw new ReplayMismatch(position, got, x);
      if (got.data) return got.data.slice();
      throw got.error;
    }
    if (this.#startedRead) throw new ReplayPending(position, x);
    if (position >= this.limit) throw new TooManyReads(this.limit);
    const entry: RecordedRead = { shape: [...x.shape], dtype: x.dtype };
    this.#reads.push(entry);
    this.#startedRead = true;
    this.#pending = x.data().then(
      (data) => {
        entry.data = data;
      },
      (error: unknown) => {
        entry.error = error;
      },
    );
    throw new ReplayPending(position, x);
  }
}
