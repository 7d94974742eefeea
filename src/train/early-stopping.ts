/** `fit`'s early stopping: its options, their validation, and the bookkeeping of the best epoch. */
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";
import { formatNumber } from "./format-number.js";

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

/** Checks `earlyStopping` and fills in its defaults. */
export function earlyStoppingOptions(fn: string, earlyStopping: EarlyStoppingOptions): Required<EarlyStoppingOptions> {
  checkOptions(
    `${fn} (earlyStopping)`,
    earlyStopping,
    optionKeys<EarlyStoppingOptions>()("metric", "patience", "mode", "minDelta", "restoreBest"),
  );
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
  return { metric, patience, mode, minDelta, restoreBest: earlyStopping.restoreBest ?? true };
}

/** Early stopping's bookkeeping: the best score, its epoch, parameters and state, and the epochs waited since. */
export class EarlyStopper<P, S> {
  bestEpoch: number | null = null;
  bestScore: number | null = null;
  private wait = 0;

  constructor(
    private readonly es: Required<EarlyStoppingOptions>,
    public bestParams: P,
    public bestOptState: S,
  ) {}

  /** Scores an epoch (the validation metric, else the train mean); says whether it improved and, once patience runs out, why the run stops. */
  observe(
    epoch: number,
    train: Readonly<Record<string, number>>,
    val: Readonly<Record<string, number>> | undefined,
    params: P,
    optState: S,
  ): { improved: boolean; stop: string | null } {
    const { es } = this;
    const score = val && es.metric in val ? val[es.metric] : train[es.metric];
    if (score === undefined) {
      const have = [
        ...Object.keys(val ?? {}).map((k) => `${k} (validate)`),
        ...Object.keys(train).map((k) => `${k} (train)`),
      ];
      throw new RangeError(
        `fit: earlyStopping.metric "${es.metric}" is not among the metrics: ${have.join(", ") || "none"}`,
      );
    }
    const best = this.bestScore;
    const improved =
      best === null
        ? !Number.isNaN(score)
        : es.mode === "min"
          ? score < best - es.minDelta
          : score > best + es.minDelta;
    if (improved) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.bestParams = params;
      this.bestOptState = optState;
      this.wait = 0;
      return { improved, stop: null };
    }
    this.wait++;
    if (this.wait < es.patience) return { improved, stop: null };
    const { wait } = this;
    return {
      improved,
      stop: `early stop at epoch ${epoch}: ${es.metric} did not improve for ${wait} epoch${wait === 1 ? "" : "s"} (best ${best === null ? "none" : formatNumber(best)} at epoch ${this.bestEpoch ?? "-"})`,
    };
  }
}
