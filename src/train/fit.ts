/**
 * `fit`: the epoch/mini-batch loop around a pure (typically jitted) update step
 * `step(params, optState, batch) → [params, optState, metrics]`. It reshuffles every epoch
 * (one key per epoch from `random.split`), records metrics per step and per-epoch means, runs an
 * optional validation function after each epoch, stops early when a validation metric stops
 * improving (restoring the best parameters), and prints rate-limited progress lines.
 */
import { Array as NDArray } from "../core/array.js";
import { batches, numExamples, type BatchOptions } from "./data.js";
import { splitKeys, type KeyLike } from "./keys.js";

/** A metric value: a size-1 array (read back on the host) or a number. */
export type MetricValue = NDArray | number;
/** What a step or evaluation function reports: one value (taken as `loss`) or named values. */
export type Metrics = MetricValue | Readonly<Record<string, MetricValue>>;
/** A pure update step. */
export type StepFn<P, S, B> = (params: P, optState: S, batch: B) => readonly [P, S, Metrics];

/** One recorded update step (1-based `step` over the whole run, 1-based `epoch`). */
export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  /** The number of examples in the batch. */
  readonly size: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** One finished epoch: example-weighted means of the step metrics and the validation metrics. */
export interface EpochRecord {
  readonly epoch: number;
  readonly steps: number;
  readonly train: Readonly<Record<string, number>>;
  readonly val?: Readonly<Record<string, number>>;
  /** Milliseconds since `fit` started, at the end of this epoch. */
  readonly elapsedMs: number;
}

/** The metrics history of a run. */
export interface History {
  readonly steps: readonly StepRecord[];
  readonly epochs: readonly EpochRecord[];
}

/** Stop when `metric` has not improved for `patience` epochs. */
export interface EarlyStoppingOptions {
  /** A validation metric name (looked up in `validate`'s result, then in the train epoch means). */
  readonly metric: string;
  /** Stop after this many epochs in a row without improvement (an integer >= 0; 0 and 1 both stop at the first). */
  readonly patience: number;
  /** `"min"` (default: losses) or `"max"` (accuracies). */
  readonly mode?: "min" | "max";
  /** The smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Return the parameters of the best epoch instead of the last (default true). */
  readonly restoreBest?: boolean;
}

/** Options for {@link fit}. */
export interface FitOptions<P, S, B> extends BatchOptions {
  readonly params: P;
  readonly optState: S;
  /** `(params, optState, batch) → [params, optState, metrics]`; metrics as in {@link Metrics}. */
  readonly step: StepFn<P, S, B>;
  /** The training data: a pytree of arrays sharing a leading axis (e.g. `{ x, y }`). */
  readonly data: B;
  readonly batchSize: number;
  /** The maximum number of epochs (an integer >= 1). */
  readonly epochs: number;
  /** The PRNG key (or integer seed) that shuffles; split into one key per epoch. */
  readonly key?: KeyLike | null;
  /** Run after every epoch on the current parameters, e.g. loss/accuracy on a validation set. */
  readonly validate?: (params: P, epoch: number) => Metrics;
  readonly earlyStopping?: EarlyStoppingOptions;
  /**
   * Progress output: `true` (default) prints with `console.log`, a function receives each line,
   * `false` is silent. Lines are rate-limited by `logEvery`, so short runs print nothing.
   */
  readonly log?: boolean | ((line: string) => void);
  /** The least milliseconds between two progress lines (default 1000; 0 prints every step and epoch). */
  readonly logEvery?: number;
  /** Called after each epoch (after validation); return `"stop"` to end the run. */
  readonly onEpochEnd?: (info: {
    readonly epoch: number;
    readonly record: EpochRecord;
    readonly params: P;
    readonly optState: S;
  }) => void | "stop";
}

/** What {@link fit} returns. */
export interface FitResult<P, S> {
  /** The final parameters: the best epoch's when early stopping restored them, else the last. */
  readonly params: P;
  /** The optimizer state that goes with `params`. */
  readonly optState: S;
  /** The parameters and state after the last step run. */
  readonly lastParams: P;
  readonly lastOptState: S;
  readonly history: History;
  /** Epochs completed. */
  readonly epochs: number;
  /** Update steps taken. */
  readonly steps: number;
  readonly stoppedEarly: boolean;
  /** With early stopping: the best epoch (1-based) and its metric value; otherwise `null`. */
  readonly bestEpoch: number | null;
  readonly bestScore: number | null;
  readonly elapsedMs: number;
}

function toNumber(v: unknown, name: string, fn: string): number {
  if (typeof v === "number") return v;
  if (v instanceof NDArray) {
    if (v.size !== 1)
      throw new TypeError(`${fn}: metric "${name}" must be a scalar, got shape [${v.shape.join(", ")}]`);
    return Number(v.dataSync()[0]);
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new TypeError(
    `${fn}: metric "${name}" must be a number or a size-1 array, got ${v === null ? "null" : typeof v}`,
  );
}

/** Reads metrics back to the host: a single value becomes `{ loss }`. */
export function readMetrics(m: Metrics, fn = "readMetrics"): Record<string, number> {
  if (typeof m === "number" || m instanceof NDArray) return { loss: toNumber(m, "loss", fn) };
  if (m === null || typeof m !== "object")
    throw new TypeError(`${fn}: metrics must be a number, a scalar array or an object of them`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) out[k] = toNumber(v, k, fn);
  return out;
}

class WeightedMeans {
  private readonly sums = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  add(m: Readonly<Record<string, number>>, w: number): void {
    for (const [k, v] of Object.entries(m)) {
      this.sums.set(k, (this.sums.get(k) ?? 0) + v * w);
      this.weights.set(k, (this.weights.get(k) ?? 0) + w);
    }
  }
  result(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, s] of this.sums) out[k] = s / this.weights.get(k)!;
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

/** A number for progress lines: 4 significant digits, exponent form when very small or large. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e6) return String(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(4)));
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s - 60 * m)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

const formatMetrics = (m: Readonly<Record<string, number>>, prefix = ""): string =>
  Object.entries(m)
    .map(([k, v]) => `${prefix}${k} ${formatNumber(v)}`)
    .join("  ");

/**
 * Trains `params` with `step` over `epochs` epochs of shuffled mini-batches of `data`.
 *
 * Each epoch uses its own key (from `random.split(key, epochs)`), so the batches differ between
 * epochs and every example is used once per epoch. Every step's metrics are read back and kept in
 * `history.steps`; `history.epochs` holds example-weighted means per epoch plus `validate`'s result.
 * With `earlyStopping`, the run ends once the metric has not improved for `patience` epochs, and
 * the best epoch's parameters are returned (`restoreBest`, default true).
 *
 * @example
 * const step = jit((p, s, b) => { const [l, g] = valueAndGrad(loss)(p, b); const [u, s2] = opt.update(g, s, p); return [applyUpdates(p, u), s2, { loss: l }]; });
 * const { params, history } = fit({ params: p0, optState: opt.init(p0), step, data: { x, y }, batchSize: 32, epochs: 20, key: random.key(0) });
 */
export function fit<P, S, B>(opts: FitOptions<P, S, B>): FitResult<P, S> {
  const fn = "fit";
  const { step, data, batchSize, validate, earlyStopping } = opts;
  if (typeof step !== "function")
    throw new TypeError(`${fn}: step must be a function (params, optState, batch) => [params, optState, metrics]`);
  const numEpochs = opts.epochs;
  if (!Number.isInteger(numEpochs) || numEpochs < 1)
    throw new RangeError(`${fn}: epochs must be an integer >= 1, got ${String(numEpochs)}`);
  const shuffle = opts.shuffle ?? true;
  const batchOpts: BatchOptions = { shuffle, dropLast: opts.dropLast ?? false };
  // Validates the data and batch size up front (the per-epoch calls below reuse the checks).
  const first = batches(null, data, batchSize, { ...batchOpts, shuffle: false });
  const logEvery = opts.logEvery ?? 1000;
  if (!(logEvery >= 0)) throw new RangeError(`${fn}: logEvery must be >= 0 milliseconds, got ${logEvery}`);
  let es: Required<EarlyStoppingOptions> | null = null;
  if (earlyStopping) {
    const { metric, patience } = earlyStopping;
    if (typeof metric !== "string" || metric === "")
      throw new TypeError(`${fn}: earlyStopping.metric must be a metric name`);
    if (!Number.isInteger(patience) || patience < 0)
      throw new RangeError(`${fn}: earlyStopping.patience must be an integer >= 0, got ${String(patience)}`);
    const mode = earlyStopping.mode ?? "min";
    if (mode !== "min" && mode !== "max")
      throw new RangeError(`${fn}: earlyStopping.mode must be "min" or "max", got ${String(mode)}`);
    const minDelta = earlyStopping.minDelta ?? 0;
    if (!(minDelta >= 0)) throw new RangeError(`${fn}: earlyStopping.minDelta must be >= 0, got ${minDelta}`);
    es = { metric, patience, mode, minDelta, restoreBest: earlyStopping.restoreBest ?? true };
  }
  if (shuffle && (opts.key === undefined || opts.key === null))
    throw new TypeError(
      `${fn}: shuffling needs a key (random.key(seed) or an integer seed); pass shuffle: false to keep the data order`,
    );
  const keys = shuffle ? splitKeys(opts.key!, numEpochs, fn) : null;

  const sink =
    opts.log === false ? null : typeof opts.log === "function" ? opts.log : (line: string) => console.log(line);
  const t0 = performance.now();
  let lastLine = t0;
  let printed = false;
  const emit = (line: string, force = false) => {
    if (!sink) return;
    const now = performance.now();
    if (!force && now - lastLine < logEvery) return;
    lastLine = now;
    printed = true;
    sink(line);
  };

  let params = opts.params;
  let optState = opts.optState;
  let bestParams = params;
  let bestOptState = optState;
  let bestEpoch: number | null = null;
  let bestScore: number | null = null;
  let wait = 0;
  let stoppedEarly = false;
  let stopReason = "";
  let globalStep = 0;
  const stepRecords: StepRecord[] = [];
  const epochRecords: EpochRecord[] = [];
  const stepsPerEpoch = first.length;
  const totalSteps = stepsPerEpoch * numEpochs;
  const epochWidth = String(numEpochs).length;

  let epoch = 0;
  while (epoch < numEpochs) {
    epoch++;
    const bt = keys ? batches(keys[epoch - 1]!, data, batchSize, batchOpts) : first;
    const means = new WeightedMeans();
    for (let i = 0; i < bt.length; i++) {
      const size = bt.sizeOf(i);
      const out = step(params, optState, bt.get(i));
      const raw: unknown = out;
      if (!globalThis.Array.isArray(raw) || raw.length !== 3)
        throw new TypeError(
          `${fn}: step must return [params, optState, metrics], got ${globalThis.Array.isArray(raw) ? `a list of ${raw.length}` : typeof raw}`,
        );
      params = out[0];
      optState = out[1];
      const metrics = readMetrics(out[2], fn);
      globalStep++;
      stepRecords.push({ step: globalStep, epoch, size, metrics });
      means.add(metrics, size);
      emit(
        `epoch ${String(epoch).padStart(epochWidth)}/${numEpochs}  step ${i + 1}/${bt.length} (${globalStep}/${totalSteps})  ${formatMetrics(metrics)}  ${formatSeconds(performance.now() - t0)}`,
        logEvery === 0,
      );
    }
    const train = means.result();
    const val = validate ? readMetrics(validate(params, epoch), `${fn} (validate)`) : undefined;
    const record: EpochRecord = {
      epoch,
      steps: bt.length,
      train,
      ...(val ? { val } : {}),
      elapsedMs: performance.now() - t0,
    };
    epochRecords.push(record);

    let note = "";
    if (es) {
      const score = val && es.metric in val ? val[es.metric]! : train[es.metric];
      if (score === undefined) {
        const have = [
          ...Object.keys(val ?? {}).map((k) => `${k} (validate)`),
          ...Object.keys(train).map((k) => `${k} (train)`),
        ];
        throw new RangeError(
          `${fn}: earlyStopping.metric "${es.metric}" is not among the metrics: ${have.join(", ") || "none"}`,
        );
      }
      const improved =
        bestScore === null
          ? !Number.isNaN(score)
          : es.mode === "min"
            ? score < bestScore - es.minDelta
            : score > bestScore + es.minDelta;
      if (improved) {
        bestScore = score;
        bestEpoch = epoch;
        bestParams = params;
        bestOptState = optState;
        wait = 0;
        note = "  *";
      } else {
        wait++;
        if (wait >= es.patience) {
          stoppedEarly = true;
          stopReason = `early stop at epoch ${epoch}: ${es.metric} did not improve for ${wait} epoch${wait === 1 ? "" : "s"} (best ${bestScore === null ? "none" : formatNumber(bestScore)} at epoch ${bestEpoch ?? "-"})`;
        }
      }
    }
    emit(
      `epoch ${String(epoch).padStart(epochWidth)}/${numEpochs}  ${formatMetrics(train)}${val ? `  ${formatMetrics(val, "val_")}` : ""}  ${formatSeconds(record.elapsedMs)}${note}`,
      logEvery === 0,
    );
    if (opts.onEpochEnd?.({ epoch, record, params, optState }) === "stop" && !stoppedEarly) {
      stoppedEarly = true;
      stopReason = `stopped by onEpochEnd at epoch ${epoch}`;
    }
    if (stoppedEarly) break;
  }

  const restore = es?.restoreBest && bestEpoch !== null;
  const elapsedMs = performance.now() - t0;
  if (sink && (printed || elapsedMs >= logEvery)) {
    const parts = [`done: ${epoch} epoch${epoch === 1 ? "" : "s"}, ${globalStep} steps in ${formatSeconds(elapsedMs)}`];
    if (stopReason) parts.push(stopReason);
    if (restore && bestEpoch !== epoch) parts.push(`restored the parameters of epoch ${bestEpoch}`);
    sink(parts.join("; "));
  }
  return {
    params: restore ? bestParams : params,
    optState: restore ? bestOptState : optState,
    lastParams: params,
    lastOptState: optState,
    history: { steps: stepRecords, epochs: epochRecords },
    epochs: epoch,
    steps: globalStep,
    stoppedEarly,
    bestEpoch,
    bestScore,
    elapsedMs,
  };
}
