/**
 * Reading a training step's metrics back to the host (`readMetrics`), example-weighted means of
 * them, and `evaluateBatches`, which averages a function's metrics over a data set in batches.
 */
import { Array as NDArray, describeValue } from "../core/array.js";
import { batches, numExamples } from "./data.js";
import { foreignArrayNote } from "../core/validate.js";
import { canReadSync, isConcrete } from "../core/concrete.js";

/** A metric value: a size-1 array (read back on the host) or a number. */
export type MetricValue = NDArray | number;
/** What a step or evaluation function reports: one value (taken as `loss`) or named values. */
export type Metrics = MetricValue | Readonly<Record<string, MetricValue>>;
/** How a scalar array's value reaches the host: `dataSync` by default, or values read beforehand. */
type Reader = (v: NDArray) => number;

/** A synchronous read, or an error naming the asynchronous form where the backend has none. */
function readSync(v: NDArray, fn: string): number {
  if (isConcrete(v) && !canReadSync(v))
    throw new Error(
      `${fn}: a metric lives on the '${v.backend}' backend, which reads only asynchronously; ` +
        "use fitAsync / readMetricsAsync (or read it with await x.data())",
    );
  return Number(v.dataSync()[0]);
}

function toNumber(v: unknown, name: string, fn: string, read?: Reader): number {
  if (typeof v === "number") return v;
  if (v instanceof NDArray) {
    if (v.size !== 1)
      throw new TypeError(`${fn}: metric "${name}" must be a scalar, got shape [${v.shape.join(", ")}]`);
    return read ? read(v) : readSync(v, fn);
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new TypeError(
    `${fn}: metric "${name}" must be a number or a size-1 array, got ${describeValue(v)}${foreignArrayNote(v)}`,
  );
}

/**
 * A record for user-named values (metrics): no prototype, so names such as `__proto__` or
 * `constructor` are ordinary keys (a plain `{}` would drop `__proto__` and find `constructor`).
 */
export function namedRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/**
 * Reads metrics back to the host: a single value becomes `{ loss }`. The result has no prototype,
 * so every metric name (`__proto__` and `constructor` included) is kept as given.
 *
 * @example
 * readMetrics({ loss: np.array(0.5), acc: 0.75 }); // { loss: 0.5, acc: 0.75 }
 * readMetrics(np.array(2)); // { loss: 2 }
 */
export function readMetrics(m: Metrics, fn = "readMetrics", read?: Reader): Record<string, number> {
  const out = namedRecord<number>();
  if (typeof m === "number" || m instanceof NDArray) {
    out.loss = toNumber(m, "loss", fn, read);
    return out;
  }
  if (m === null || typeof m !== "object")
    throw new TypeError(`${fn}: metrics must be a number, a scalar array or an object of them`);
  for (const [k, v] of Object.entries(m)) out[k] = toNumber(v, k, fn, read);
  return out;
}

/**
 * {@link readMetrics} for backends that read asynchronously (WebGPU): every scalar array is read
 * with `await x.data()` first, then converted with the same checks.
 *
 * @example
 * await readMetricsAsync({ loss: lossOnGpu }); // { loss: 0.5 }
 */
export async function readMetricsAsync(m: Metrics, fn = "readMetricsAsync"): Promise<Record<string, number>> {
  const candidates = m instanceof NDArray ? [m] : m !== null && typeof m === "object" ? Object.values(m) : [];
  const values = new Map<NDArray, number>();
  await Promise.all(
    candidates.map(async (v) => {
      if (v instanceof NDArray && v.size === 1) values.set(v, Number((await v.data())[0]));
    }),
  );
  return readMetrics(m, fn, (v) => values.get(v) ?? readSync(v, fn));
}

/** Weighted means of named metrics: Σ w·v / Σ w per name, in the order names first appear. */
export class WeightedMeans {
  private readonly totals = new Map<string, { sum: number; weight: number }>();
  add(m: Readonly<Record<string, number>>, w: number): void {
    for (const [k, v] of Object.entries(m)) {
      let t = this.totals.get(k);
      if (t === undefined) {
        t = { sum: 0, weight: 0 };
        this.totals.set(k, t);
      }
      t.sum += v * w;
      t.weight += w;
    }
  }
  result(): Record<string, number> {
    const out = namedRecord<number>();
    for (const [k, t] of this.totals) out[k] = t.sum / t.weight;
    return out;
  }
}

/**
 * Metrics of `fn` over `data` in batches (in order, no shuffling), averaged with each batch
 * weighted by its size, so per-example means come out exact. Handy for `validate`.
 *
 * @example validate: (p) => evaluateBatches((b) => evalStep(p, b), valData, 256)
 */
export function evaluateBatches<B>(fn: (batch: B) => Metrics, data: B, batchSize: number): Record<string, number> {
  const n = numExamples(data);
  const bs = Math.min(batchSize, n);
  const bt = batches(null, data, bs, { shuffle: false });
  const means = new WeightedMeans();
  for (let i = 0; i < bt.length; i++) means.add(readMetrics(fn(bt.get(i)), "evaluateBatches"), bt.sizeOf(i));
  return means.result();
}
