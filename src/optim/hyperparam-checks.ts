/**
 * Hyperparameter validation at construction time, shared by every gradient transformation: a JS
 * number must be finite (or +Infinity where allowed) and in range; scalar arrays (injected
 * hyperparameters) and schedules (where allowed) are accepted as they are.
 */
import { Array } from "../core/array.js";

/** A valid range for a numeric hyperparameter. */
export interface Range {
  min?: number;
  max?: number;
  /** Exclude `min` itself. */
  minExclusive?: boolean;
  /** Exclude `max` itself. */
  maxExclusive?: boolean;
  /** Require an integer. */
  integer?: boolean;
  /** Accept a schedule (a function of the step). */
  schedule?: boolean;
  /** Accept +Infinity. */
  infinity?: boolean;
  /** Accept `undefined` (an optional setting). */
  optional?: boolean;
}

function rangeText(r: Range): string {
  const parts: string[] = [];
  if (r.min !== undefined && r.max !== undefined)
    parts.push(`in ${r.minExclusive ? "(" : "["}${r.min}, ${r.max}${r.maxExclusive ? ")" : "]"}`);
  else if (r.min !== undefined) parts.push(`${r.minExclusive ? ">" : ">="} ${r.min}`);
  else if (r.max !== undefined) parts.push(`${r.maxExclusive ? "<" : "<="} ${r.max}`);
  return parts.join(" ");
}

/**
 * Validates a hyperparameter at construction: a JS number must be finite (or +Infinity where
 * allowed) and in range; arrays (injected hyperparameters) and schedules (where allowed) are
 * accepted as they are, since their values are only known when `update` runs.
 * @example
 * checkHyperparam("adam", "learningRate", -1, { min: 0, schedule: true });
 * // Error: adam: learningRate must be a finite number >= 0, got -1
 */
export function checkHyperparam(op: string, name: string, v: unknown, r: Range = {}): void {
  if (v === undefined && r.optional) return;
  if (v instanceof Array) {
    if (v.ndim !== 0)
      throw new TypeError(
        `${op}: ${name} must be a number or a scalar array, got an array of shape [${v.shape.join(", ")}]`,
      );
    return;
  }
  if (typeof v === "function") {
    if (r.schedule) return;
    throw new TypeError(
      `${op}: ${name} must be a number or a scalar array, not a function (a schedule is not accepted here)`,
    );
  }
  const expect = `${r.integer ? "an integer" : r.infinity ? "a number" : "a finite number"}${rangeText(r) ? ` ${rangeText(r)}` : ""}`;
  if (typeof v !== "number")
    throw new TypeError(
      `${op}: ${name} must be ${expect}${r.schedule ? " or a schedule" : ""}, got ${v === null ? "null" : typeof v}`,
    );
  const bad =
    Number.isNaN(v) ||
    (v === Infinity ? !r.infinity : !Number.isFinite(v)) ||
    (r.integer && !Number.isInteger(v)) ||
    (r.min !== undefined && (r.minExclusive ? v <= r.min : v < r.min)) ||
    (r.max !== undefined && (r.maxExclusive ? v >= r.max : v > r.max));
  if (bad) throw new RangeError(`${op}: ${name} must be ${expect}, got ${v}`);
}

/** Validates a learning rate: a number ≥ 0, a schedule or a scalar array. */
export function checkLearningRate(op: string, lr: unknown, name = "learningRate"): void {
  checkHyperparam(op, name, lr, { min: 0, schedule: true });
}

/** Validates a decay rate (β, ρ, momentum) in [0, 1]. */
export function checkDecay(
  op: string,
  name: string,
  v: unknown,
  opts: { optional?: boolean; maxExclusive?: boolean } = {},
): void {
  checkHyperparam(op, name, v, {
    min: 0,
    max: 1,
    maxExclusive: opts.maxExclusive ?? false,
    optional: opts.optional ?? false,
  });
}

/** Validates an epsilon (≥ 0). */
export function checkEps(op: string, name: string, v: unknown): void {
  checkHyperparam(op, name, v, { min: 0 });
}
