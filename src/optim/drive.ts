/**
 * The two drivers of the host-reading solvers (minimize, levenbergMarquardt, and the line-search
 * transformations). Each solver is written once as a generator core that yields the size-1 arrays
 * whose values steer it (a line search's φ and φ', a stopping test's norm) and is resumed with
 * those values as JS numbers. {@link runSync} answers with `item()` (today's synchronous behaviour,
 * CPU and wasm); {@link runAsync} answers with `await x.data()`, so the same core runs on backends
 * that read only asynchronously (WebGPU), with the same numbers. Asking for several values in one
 * request lets the asynchronous driver wait for them together (one round trip instead of several).
 */
import type { Array } from "../core/array.js";
import { defaultBackendName, withBackend } from "../core/backend-choice.js";
import { canReadSync, isConcrete } from "../core/concrete.js";

/** The values a solver core needs on the host next: size-1 arrays, answered in order. */
export type ReadRequest = readonly Array[];

/** A solver core: yields read requests, is resumed with their values, returns an R. */
export type Reads<R> = Generator<ReadRequest, R, readonly number[]>;

/** Who is reading, for the error a synchronous read on an asynchronous backend raises. */
export interface SyncCaller {
  /** The public function or method, e.g. "minimize" or "lbfgs(f).update". */
  readonly op: string;
  /** Its asynchronous form, e.g. "minimizeAsync" or "lbfgs(f).updateAsync". */
  readonly asyncForm: string;
}

/** Runs `core` to its end, reading every requested value synchronously (`item()`). */
export function runSync<R>(core: Reads<R>, caller: SyncCaller): R {
  let step = core.next();
  while (!step.done) step = core.next(step.value.map((a) => readSync(a, caller)));
  return step.value;
}

/**
 * Runs the core that `start` makes, awaiting each request's values (`x.data()`, all of one
 * request together). The core runs in stretches between awaits; `withBackend` scopes do not
 * survive an await, so every stretch runs with the default backend of the moment of the call
 * (where the caller's arrays live), like the synchronous form.
 */
export async function runAsync<R>(start: () => Reads<R>): Promise<R> {
  const home = defaultBackendName();
  const core = start();
  let step = withBackend(home, () => core.next());
  while (!step.done) {
    const values = await Promise.all(step.value.map(readAsync));
    step = withBackend(home, () => core.next(values));
  }
  return step.value;
}

/** A core step that reads nothing: returns `value` without yielding (for `yield*` where a step may read). */
// biome-ignore lint/correctness/useYield: a step without reads is still a generator, so callers can yield* it
export function* noReads<R>(value: R): Generator<never, R, unknown> {
  return value;
}

function readSync(a: Array, caller: SyncCaller): number {
  if (isConcrete(a) && !canReadSync(a))
    throw new Error(
      `${caller.op}: the arrays live on the '${a.backend}' backend, which reads only asynchronously; ` +
        `use ${caller.asyncForm} (the same solver, awaiting each read)`,
    );
  return Number(a.item());
}

async function readAsync(a: Array): Promise<number> {
  return Number((await a.data())[0]);
}
