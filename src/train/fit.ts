/**
 * `fit`: the epoch/mini-batch loop around a pure (typically jitted) update step
 * `step(params, optState, batch) → [params, optState, metrics]`. It reshuffles every epoch
 * (one key per epoch from `random.split`), records metrics per step and per-epoch means, runs an
 * optional validation function after each epoch, stops early when a validation metric stops
 * improving (restoring the best parameters), and prints rate-limited progress lines.
 */
import { balanceMembers, batches, type BatchOptions, type Batches } from "./data.js";
import { formatMetrics, formatSeconds } from "./format-number.js";
import { splitKeys, type Key, type KeyLike } from "./keys.js";
import { readMetrics, readMetricsAsync, WeightedMeans, type Metrics } from "./read-metrics.js";
import { defaultBackendName, withBackend } from "../core/backend-choice.js";
import { EarlyStopper, earlyStoppingOptions, type EarlyStoppingOptions } from "./early-stopping.js";

export type { EarlyStoppingOptions } from "./early-stopping.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";

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
  const run = fitRun(opts, "fit");
  let r = run.next();
  while (!r.done) r = run.next(readMetrics(r.value.metrics, r.value.fn));
  return r.value;
}

/**
 * {@link fit} for backends that read asynchronously (WebGPU): the same loop, options and result,
 * with every step's metrics read by `await x.data()`. Awaiting each step also lets the garbage
 * collector return the buffers of earlier steps.
 *
 * @example
 * const { params, history } = await fitAsync({ params: p0, optState: opt.init(p0), step, data: { x, y }, batchSize: 32, epochs: 20, key: 0 });
 */
export async function fitAsync<P, S, B>(opts: FitOptions<P, S, B>): Promise<FitResult<P, S>> {
  // `withBackend` scopes do not survive an await: every stretch of the loop runs on the backend
  // that was the default when fitAsync was called.
  const home = defaultBackendName();
  const run = fitRun(opts, "fitAsync");
  let r = withBackend(home, () => run.next());
  while (!r.done) {
    const metrics = await readMetricsAsync(r.value.metrics, r.value.fn);
    r = withBackend(home, () => run.next(metrics));
  }
  return r.value;
}

/** Metrics the loop needs as numbers: `fit` reads them synchronously, `fitAsync` awaits them. */
interface MetricsRead {
  readonly metrics: Metrics;
  readonly fn: string;
}

/** The training loop, yielding each metrics read to its driver (fit or fitAsync). */
function* fitRun<P, S, B>(
  opts: FitOptions<P, S, B>,
  fn: string,
): Generator<MetricsRead, FitResult<P, S>, Record<string, number>> {
  const plan = fitPlan(opts, fn);
  const log = progressLog(opts.log, plan.logEvery);
  const stopper = plan.es ? new EarlyStopper(plan.es, opts.params, opts.optState) : null;
  const run: RunState<P, S> = { params: opts.params, optState: opts.optState, globalStep: 0, steps: [] };
  const epochRecords: EpochRecord[] = [];
  let stoppedEarly = false;
  let stopReason = "";
  let epoch = 0;
  while (epoch < plan.numEpochs) {
    epoch++;
    // keys has one key per epoch, and 1 <= epoch <= numEpochs.
    const bt = plan.keys ? batches(plan.keys[epoch - 1]!, opts.data, opts.batchSize, plan.batchOpts) : plan.first;
    const train = yield* runEpoch(opts.step, bt, epoch, plan, run, log, fn);
    const val = opts.validate ? yield { metrics: opts.validate(run.params, epoch), fn: `${fn} (validate)` } : undefined;
    const record: EpochRecord = { epoch, steps: bt.length, train, ...(val ? { val } : {}), elapsedMs: log.elapsed() };
    epochRecords.push(record);
    const seen = stopper?.observe(epoch, train, val, run.params, run.optState);
    if (seen?.stop) {
      stoppedEarly = true;
      stopReason = seen.stop;
    }
    log.emit(
      `${epochLabel(epoch, plan.numEpochs)}  ${formatMetrics(train)}${val ? `  ${formatMetrics(val, "val_")}` : ""}  ${formatSeconds(record.elapsedMs)}${seen?.improved ? "  *" : ""}`,
      plan.logEvery === 0,
    );
    if (opts.onEpochEnd?.({ epoch, record, params: run.params, optState: run.optState }) === "stop" && !stoppedEarly) {
      stoppedEarly = true;
      stopReason = `stopped by onEpochEnd at epoch ${epoch}`;
    }
    if (stoppedEarly) break;
  }

  const restoredEpoch = plan.es?.restoreBest ? (stopper?.bestEpoch ?? null) : null;
  const elapsedMs = log.elapsed();
  if (log.sink && (log.printed || elapsedMs >= plan.logEvery))
    log.sink(summaryLine(epoch, run.globalStep, elapsedMs, stopReason, restoredEpoch));
  const restore = restoredEpoch !== null && stopper !== null;
  return {
    params: restore ? stopper.bestParams : run.params,
    optState: restore ? stopper.bestOptState : run.optState,
    lastParams: run.params,
    lastOptState: run.optState,
    history: { steps: run.steps, epochs: epochRecords },
    epochs: epoch,
    steps: run.globalStep,
    stoppedEarly,
    bestEpoch: stopper?.bestEpoch ?? null,
    bestScore: stopper?.bestScore ?? null,
    elapsedMs,
  };
}

/** `fit`'s options, validated, with what the epochs share: the unshuffled batches and the per-epoch keys. */
interface FitPlan<B> {
  readonly numEpochs: number;
  readonly batchOpts: BatchOptions;
  /** The batches in data order (used as they are when not shuffling). */
  readonly first: Batches<B>;
  readonly logEvery: number;
  readonly es: Required<EarlyStoppingOptions> | null;
  /** One key per epoch when shuffling. */
  readonly keys: Key[] | null;
  readonly stepsPerEpoch: number;
}

const FIT_OPTIONS = optionKeys<FitOptions<unknown, unknown, unknown>>()(
  "params",
  "optState",
  "step",
  "data",
  "batchSize",
  "epochs",
  "key",
  "validate",
  "earlyStopping",
  "log",
  "logEvery",
  "onEpochEnd",
  "shuffle",
  "dropLast",
  "balanceBy",
);

/** Validates `fit`'s options, in the order their errors are reported. */
function fitPlan<P, S, B>(opts: FitOptions<P, S, B>, fn: string): FitPlan<B> {
  if (opts === null || typeof opts !== "object" || globalThis.Array.isArray(opts))
    throw new TypeError(`${fn}: expected an options object { params, optState, step, data, batchSize, epochs, ... }`);
  checkOptions(fn, opts, FIT_OPTIONS);
  if (typeof opts.step !== "function")
    throw new TypeError(`${fn}: step must be a function (params, optState, batch) => [params, optState, metrics]`);
  const numEpochs = opts.epochs;
  if (!Number.isInteger(numEpochs) || numEpochs < 1)
    throw new RangeError(`${fn}: epochs must be an integer >= 1, got ${String(numEpochs)}`);
  const shuffle = opts.shuffle ?? true;
  const dropLast = opts.dropLast ?? false;
  const batchOpts: BatchOptions =
    opts.balanceBy === undefined ? { shuffle, dropLast } : { shuffle, dropLast, balanceBy: opts.balanceBy };
  // Validates the data, batch size and balancing labels up front (the per-epoch calls reuse the checks).
  const first = batches(null, opts.data, opts.batchSize, { shuffle: false, dropLast });
  balanceMembers(fn, batchOpts, first.numExamples);
  const logEvery = opts.logEvery ?? 1000;
  if (!(logEvery >= 0)) throw new RangeError(`${fn}: logEvery must be >= 0 milliseconds, got ${logEvery}`);
  const es = opts.earlyStopping ? earlyStoppingOptions(fn, opts.earlyStopping) : null;
  return {
    numEpochs,
    batchOpts,
    first,
    logEvery,
    es,
    keys: epochKeys(fn, shuffle, opts.key, numEpochs),
    stepsPerEpoch: first.length,
  };
}

/** One key per epoch (`random.split`) when shuffling; `null` otherwise. */
function epochKeys(fn: string, shuffle: boolean, key: KeyLike | null | undefined, numEpochs: number): Key[] | null {
  if (!shuffle) return null;
  if (key === undefined || key === null)
    throw new TypeError(
      `${fn}: shuffling needs a key (random.key(seed) or an integer seed); pass shuffle: false to keep the data order`,
    );
  return splitKeys(key, numEpochs, fn);
}

/** Rate-limited progress lines: `emit` prints at most one line per `logEvery` ms unless forced. */
interface ProgressLog {
  readonly sink: ((line: string) => void) | null;
  /** Whether any progress line was printed. */
  readonly printed: boolean;
  emit(line: string, force?: boolean): void;
  /** Milliseconds since the run started. */
  elapsed(): number;
}

function progressLog(log: FitOptions<unknown, unknown, unknown>["log"], logEvery: number): ProgressLog {
  const sink = log === false ? null : typeof log === "function" ? log : (line: string) => console.log(line);
  const t0 = performance.now();
  let lastLine = t0;
  let printed = false;
  return {
    sink,
    get printed() {
      return printed;
    },
    emit(line, force = false) {
      if (!sink) return;
      const now = performance.now();
      if (!force && now - lastLine < logEvery) return;
      lastLine = now;
      printed = true;
      sink(line);
    },
    elapsed: () => performance.now() - t0,
  };
}

/** What the epochs of a run carry forward: the current parameters and state, and the step records. */
interface RunState<P, S> {
  params: P;
  optState: S;
  globalStep: number;
  readonly steps: StepRecord[];
}

const epochLabel = (epoch: number, numEpochs: number): string =>
  `epoch ${String(epoch).padStart(String(numEpochs).length)}/${numEpochs}`;

/** Runs `step` over the batches of one epoch; returns the example-weighted means of its metrics. */
function* runEpoch<P, S, B>(
  step: StepFn<P, S, B>,
  bt: Batches<B>,
  epoch: number,
  plan: FitPlan<B>,
  run: RunState<P, S>,
  log: ProgressLog,
  fn: string,
): Generator<MetricsRead, Record<string, number>, Record<string, number>> {
  const means = new WeightedMeans();
  for (let i = 0; i < bt.length; i++) {
    const size = bt.sizeOf(i);
    const out = step(run.params, run.optState, bt.get(i));
    const raw: unknown = out;
    if (!globalThis.Array.isArray(raw) || raw.length !== 3)
      throw new TypeError(
        `${fn}: step must return [params, optState, metrics], got ${globalThis.Array.isArray(raw) ? `a list of ${raw.length}` : typeof raw}`,
      );
    run.params = out[0];
    run.optState = out[1];
    const metrics = yield { metrics: out[2], fn };
    run.globalStep++;
    run.steps.push({ step: run.globalStep, epoch, size, metrics });
    means.add(metrics, size);
    log.emit(
      `${epochLabel(epoch, plan.numEpochs)}  step ${i + 1}/${bt.length} (${run.globalStep}/${plan.stepsPerEpoch * plan.numEpochs})  ${formatMetrics(metrics)}  ${formatSeconds(log.elapsed())}`,
      plan.logEvery === 0,
    );
  }
  return means.result();
}

/** The last line of a run: epochs, steps and time, why it stopped, and which epoch's parameters it returns. */
function summaryLine(
  epoch: number,
  steps: number,
  elapsedMs: number,
  stopReason: string,
  restoredEpoch: number | null,
): string {
  const parts = [`done: ${epoch} epoch${epoch === 1 ? "" : "s"}, ${steps} steps in ${formatSeconds(elapsedMs)}`];
  if (stopReason) parts.push(stopReason);
  if (restoredEpoch !== null && restoredEpoch !== epoch)
    parts.push(`restored the parameters of epoch ${restoredEpoch}`);
  return parts.join("; ");
}
