/**
 * Reading curvature results back to the host, synchronously or asynchronously, from one code path.
 * The reading code is a generator ({@link Reading}) that yields each read ({@link HostRead}) and
 * receives the arrays' contents as float64; {@link runSync} serves the reads with `dataSync` (the
 * synchronous API), {@link runAsync} with `await x.data()` (the `…Async` API, which WebGPU needs).
 * The same pattern as src/train/fit.ts (`fitRun` shared by `fit` and `fitAsync`).
 */
import type { Array } from "../core/array.js";
import { defaultBackendName, withBackend } from "../core/backend-choice.js";
import { canReadSync, isConcrete } from "../core/concrete.js";
import type { TypedArray } from "../core/dtype.js";

/** A request to bring `arrays` to the host; `op` names the public function that reads (for errors). */
export interface HostRead {
  readonly arrays: readonly Array[];
  readonly op: string;
}

/** Code that reads arrays back: yields reads, receives each array's contents as a Float64Array, returns T. */
export type Reading<T> = Generator<HostRead, T, Float64Array[]>;

/** The contents of `arrays` (all read at once, so an asynchronous driver awaits them together). */
export function* readVectors(arrays: readonly Array[], op: string): Reading<Float64Array[]> {
  if (arrays.length === 0) return [];
  return yield { arrays, op };
}

/** The value of a size-1 array. */
export function* readScalar(x: Array, op: string): Reading<number> {
  const [v] = yield* readVectors([x], op);
  // One array was requested, so one vector comes back; a size-1 array has one entry.
  return v![0]!;
}

/** Whether `x` can be read synchronously (a concrete array on a backend with a synchronous read). */
export function readsSync(x: Array): boolean {
  return isConcrete(x) && canReadSync(x);
}

function toFloat64(data: TypedArray): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** One array read with `dataSync`, or an error naming the asynchronous twin where the backend has no synchronous read. */
function readNow(x: Array, op: string, asyncName: string): Float64Array {
  if (isConcrete(x) && !canReadSync(x))
    throw new Error(
      `${op}: an array lives on the '${x.backend}' backend, which reads only asynchronously; ` +
        `use ${asyncName} (await it) instead`,
    );
  return toFloat64(x.dataSync());
}

/** Runs `reading` to the end, serving every read synchronously; `asyncName` is named where that is impossible. */
export function runSync<T>(reading: Reading<T>, asyncName: string): T {
  let r = reading.next();
  while (!r.done) {
    const { arrays, op } = r.value;
    r = reading.next(arrays.map((a) => readNow(a, op, asyncName)));
  }
  return r.value;
}

/** Runs `reading` to the end, awaiting every read (`x.data()`); validation errors reject the promise. */
export async function runAsync<T>(reading: Reading<T>): Promise<T> {
  // `withBackend` scopes do not survive an await: every stretch of the computation runs on the
  // backend that was the default when the async function was called.
  const home = defaultBackendName();
  let r = withBackend(home, () => reading.next());
  while (!r.done) {
    const values = await Promise.all(r.value.arrays.map(async (a) => toFloat64(await a.data())));
    r = withBackend(home, () => reading.next(values));
  }
  return r.value;
}
