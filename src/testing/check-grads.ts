/** `checkGrads`: JAX's `check_grads` — AD derivatives against float64 central differences. */
import type { Array } from "../core/array.js";
import { checkOptions } from "../core/options.js";
import * as np from "../numpy/index.js";
import { jvp } from "../../transforms/jvp.js";
import { vjp } from "../../transforms/vjp.js";
import { unflatten } from "../tree/index.js";
import { Rng } from "./random.js";
import { checkFloatArguments, forwardModeHint, normalizeArgnums } from "./check-grads-args.js";
import {
  assertArgsList,
  centralDifference,
  defaultEps,
  defaultTol,
  f64,
  flattenOutput,
  toF64Data,
  toFloat64Tree,
  type FlatTree,
} from "./numerical.js";

/** `"fwd"` checks `jvp`; `"rev"` checks `vjp`. */
export type GradCheckMode = "fwd" | "rev";

/** Options of `checkGrads`. */
export interface CheckGradsOptions {
  /** Derivative order to check (default 2): order k also checks the derivatives of the jvp/vjp functions, recursively. */
  order?: number;
  /** Which modes to check (default both). */
  modes?: readonly GradCheckMode[];
  /** Central-difference step (default 1e-4 when every argument is float64, 1e-3 when any is float32 or a JS number). */
  eps?: number;
  /** Absolute tolerance (default 1e-5 for float64 arguments, 2e-3 otherwise). */
  atol?: number;
  /** Relative tolerance, times |expected| (same defaults as `atol`). */
  rtol?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
  /**
   * Which positional arguments to perturb and check (a number or a list; default all). The others
   * are passed through unchanged, so they may be integer labels, masks or any other value.
   */
  argnums?: number | readonly number[];
}

const CHECK_GRADS_OPTIONS = ["order", "modes", "eps", "atol", "rtol", "seed", "argnums"] as const;

/** Details of a failed gradient check (also spelled out in the message). */
export interface GradCheckFailure {
  /** `"fwd"` (jvp), `"rev"` (vjp) or `"primal"` (the jvp/vjp value differs from calling the function). */
  readonly mode: GradCheckMode | "primal";
  /** 1 for derivatives of `f`, 2 for derivatives of its jvp/vjp functions, and so on. */
  readonly order: number;
  /** What was checked, like JAX: `"JVP"`, `"VJP of JVP"`, ... */
  readonly check: string;
  /** The input leaf perturbed, e.g. `argument 0 (leaf .w)`. */
  readonly input: string;
  /** The output leaf compared (for `"rev"`, the inner product over all outputs). */
  readonly output: string;
  readonly maxAbsError: number;
  /** Tolerance at the worst element: atol + rtol·|expected|. */
  readonly tolerance: number;
  readonly expected: readonly number[];
  readonly got: readonly number[];
}

/** Thrown by `checkGrads`; `failure` holds the structured details. */
export class GradCheckError extends Error {
  constructor(
    readonly failure: GradCheckFailure,
    message: string,
  ) {
    super(message);
    this.name = "GradCheckError";
  }
}

type Fn = (...args: unknown[]) => unknown;
interface Names {
  input: (path: string) => string;
  output: (path: string) => string;
}
interface Ctx {
  eps: number;
  atol: number;
  rtol: number;
  seed: number;
  modes: readonly GradCheckMode[];
  rng: Rng;
}

const fmt = (x: number): string => fmtP(x, 6);
/** Formats two numbers with just enough digits to tell them apart. */
const fmtPair = (a: number, b: number): [string, string] => {
  for (let p = 6; p < 17; p++) if (a.toPrecision(p) !== b.toPrecision(p)) return [fmtP(a, p), fmtP(b, p)];
  return [fmt(a), fmt(b)];
};
const fmtP = (x: number, p: number): string =>
  Number.isFinite(x) && x !== 0
    ? x
        .toPrecision(p)
        .replace(/(\.\d*?)0+(e|$)/, "$1$2")
        .replace(/\.(e|$)/, "$1")
    : String(x);
const preview = (xs: ArrayLike<number>): string => {
  const shown = globalThis.Array.from(xs).slice(0, 8).map(fmt).join(", ");
  return `[${shown}${xs.length > 8 ? `, … (${xs.length} values)` : ""}]`;
};
const splitHead = (path: string): [string, string] | null => {
  const m = /^\[(\d+)\](.*)$/.exec(path);
  return m ? [m[1]!, m[2]!] : null;
};
// Inputs are the checked arguments: `[k]` is argument argnums[k] of the function.
const topNames = (argnums: readonly number[]): Names => ({
  input: (p) => {
    const s = splitHead(p);
    return s ? `argument ${argnums[Number(s[0])] ?? s[0]}${s[1] ? ` (leaf ${s[1]})` : ""}` : `argument leaf ${p}`;
  },
  output: (p) => (p ? `output leaf ${p}` : "the output"),
});
// The jvp function (primals, tangents) => [out, tangentOut].
const jvpNames = (inner: Names): Names => {
  const pick = (p: string, of: (q: string) => string): string => {
    const s = splitHead(p);
    return s ? `${s[0] === "0" ? "primal" : "tangent"} of ${of(s[1])}` : p;
  };
  return { input: (p) => pick(p, inner.input), output: (p) => pick(p, inner.output) };
};
// The vjp function (...args) => pullback(out): same inputs, outputs are cotangents of the inputs.
const vjpNames = (inner: Names): Names => ({ input: inner.input, output: (p) => `cotangent of ${inner.input(p)}` });

function compare(
  ctx: Ctx,
  fail: Omit<GradCheckFailure, "maxAbsError" | "tolerance" | "expected" | "got">,
  expected: ArrayLike<number>,
  got: ArrayLike<number>,
  note: string,
): void {
  if (got.length !== expected.length)
    throw new Error(
      `checkGrads: ${fail.check} (order ${fail.order}, mode ${fail.mode}) for ${fail.input} → ${fail.output}: ` +
        `got ${got.length} values where ${expected.length} were expected; the function must return outputs of the same shapes on every call`,
    );
  let worst = -1;
  let worstRatio = 0;
  let maxErr = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k]!;
    const g = got[k]!;
    if ((Number.isNaN(e) && Number.isNaN(g)) || e === g) continue;
    const err = Math.abs(e - g);
    const tol = ctx.atol + ctx.rtol * Math.abs(e);
    const ratio = Number.isNaN(err) ? Infinity : err / tol;
    maxErr = Number.isNaN(err) || Number.isNaN(maxErr) ? NaN : Math.max(maxErr, err);
    if (ratio > 1 && ratio > worstRatio) [worst, worstRatio] = [k, ratio];
  }
  if (worst < 0) return;
  const e = expected[worst]!;
  const tolerance = ctx.atol + ctx.rtol * Math.abs(e);
  const failure: GradCheckFailure = {
    ...fail,
    maxAbsError: maxErr,
    tolerance,
    expected: globalThis.Array.from(expected),
    got: globalThis.Array.from(got),
  };
  const where = expected.length > 1 ? `worst at element ${worst}: ` : "";
  const [es, gs] = fmtPair(e, got[worst]!);
  throw new GradCheckError(
    failure,
    `checkGrads: ${fail.check} check failed (order ${fail.order}, mode ${fail.mode}) for ${fail.input} → ${fail.output}: ` +
      `max abs error ${fmt(maxErr)} (tolerance atol ${ctx.atol} + rtol ${ctx.rtol}·|expected|); ${where}` +
      `expected ${es}, got ${gs}, error ${fmt(Math.abs(e - got[worst]!))} > tolerance ${fmt(tolerance)}. ${note}` +
      `\n  expected: ${preview(expected)}\n  got:      ${preview(got)}\n  (eps ${ctx.eps}, seed ${ctx.seed})`,
  );
}

const isFloatArr = (a: Array): boolean => a.dtype === "float32" || a.dtype === "float64";
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`internal error: checkGrads: dot of lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
};

function checkPrimal(ctx: Ctx, check: string, order: number, names: Names, expected: FlatTree, got: unknown): void {
  const g = flattenOutput(got, "checkGrads");
  if (g.leaves.length !== expected.leaves.length)
    throw new Error(
      `checkGrads: the primal output of ${check} has ${g.leaves.length} leaves but calling the function gives ${expected.leaves.length}; the function must return outputs of the same structure on every call`,
    );
  expected.leaves.forEach((e, o) => {
    const fail = {
      mode: "primal" as const,
      order,
      check,
      input: "all arguments",
      output: names.output(expected.paths[o]!),
    };
    compare(
      ctx,
      fail,
      toF64Data(e),
      toF64Data(g.leaves[o]!),
      `The primal output of ${check} differs from calling the function.`,
    );
  });
}

function checkJvp(ctx: Ctx, f: Fn, x: FlatTree, check: string, order: number, names: Names): void {
  const fn = (leaves: Array[]) => f(...(unflatten(x.def, leaves) as unknown[]));
  const expectedOut = flattenOutput(fn(x.leaves), "checkGrads");
  x.leaves.forEach((leaf, i) => {
    if (leaf.size === 0) return;
    const dir = ctx.rng.unitVector(leaf.size);
    const tangents = x.leaves.map((l, j) => (j === i ? f64(dir, l.shape) : np.zeros(l.shape, { dtype: "float64" })));
    const [y, ty] = jvp(f, unflatten(x.def, x.leaves) as unknown[], unflatten(x.def, tangents) as unknown[]);
    if (i === 0) checkPrimal(ctx, check, order, names, expectedOut, y);
    const got = flattenOutput(ty, "checkGrads").leaves;
    if (got.length !== expectedOut.leaves.length)
      throw new Error(
        `internal error: checkGrads: ${check} gave ${got.length} tangent leaves for ${expectedOut.leaves.length} outputs`,
      );
    const numeric = centralDifference(fn, x.leaves, expectedOut.leaves, i, dir, ctx.eps, "checkGrads");
    expectedOut.leaves.forEach((o, k) => {
      if (!isFloatArr(o) || o.size === 0) return;
      const fail = {
        mode: "fwd" as const,
        order,
        check,
        input: names.input(x.paths[i]!),
        output: names.output(expectedOut.paths[k]!),
      };
      compare(
        ctx,
        fail,
        numeric[k]!,
        toF64Data(got[k]!),
        "Expected: central differences along a random unit direction in this input; got: the jvp tangent.",
      );
    });
  });
}

function checkVjp(ctx: Ctx, f: Fn, x: FlatTree, check: string, order: number, names: Names): void {
  const fn = (leaves: Array[]) => f(...(unflatten(x.def, leaves) as unknown[]));
  const expectedOut = flattenOutput(fn(x.leaves), "checkGrads");
  const [y, pullback] = vjp(f, ...(unflatten(x.def, x.leaves) as unknown[]));
  checkPrimal(ctx, check, order, names, expectedOut, y);
  const outs = flattenOutput(y, "checkGrads").leaves;
  const total = outs.reduce((s, o) => s + (isFloatArr(o) ? o.size : 0), 0);
  const uAll = ctx.rng.unitVector(total);
  let off = 0;
  const u = outs.map((o) => {
    if (!isFloatArr(o)) return new Float64Array(o.size);
    off += o.size;
    return uAll.subarray(off - o.size, off);
  });
  const uTree = unflatten(
    expectedOut.def,
    outs.map((o, k) => (isFloatArr(o) ? f64(u[k]!, o.shape).astype(o.dtype) : np.zeros(o.shape, { dtype: o.dtype }))),
  );
  const cts = flattenOutput(pullback(uTree), "checkGrads").leaves;
  if (cts.length !== x.leaves.length)
    throw new Error(
      `internal error: checkGrads: ${check} gave ${cts.length} cotangent leaves for ${x.leaves.length} inputs`,
    );
  x.leaves.forEach((leaf, i) => {
    if (leaf.size === 0) return;
    const v = ctx.rng.unitVector(leaf.size);
    const numeric = centralDifference(fn, x.leaves, expectedOut.leaves, i, v, ctx.eps, "checkGrads");
    const expected = numeric.reduce((s, col, k) => s + dot(u[k]!, col), 0);
    const got = dot(toF64Data(cts[i]!), v);
    const fail = {
      mode: "rev" as const,
      order,
      check,
      input: names.input(x.paths[i]!),
      output: "⟨u, ·⟩ over all outputs",
    };
    compare(
      ctx,
      fail,
      [expected],
      [got],
      "Expected: ⟨u, J v⟩ with J v by central differences; got: ⟨vjp(u), v⟩ (u, v random unit vectors).",
    );
  });
}

function checkLevel(ctx: Ctx, f: Fn, args: unknown[], order: number, depth: number, fname: string, names: Names): void {
  const x = toFloat64Tree(args, "checkGrads");
  if (ctx.modes.includes("fwd")) {
    const check = fname ? `JVP of ${fname}` : "JVP";
    try {
      checkJvp(ctx, f, x, check, depth, names);
      if (order > 1) {
        const t = unflatten(
          x.def,
          x.leaves.map((l) => f64(ctx.rng.unitVector(l.size), l.shape)),
        );
        const g = (p: unknown, tt: unknown): unknown => jvp(f, p as unknown[], tt as unknown[]);
        checkLevel(ctx, g as Fn, [args, t], order - 1, depth + 1, check, jvpNames(names));
      }
    } catch (e) {
      throw forwardModeHint(e);
    }
  }
  if (ctx.modes.includes("rev")) {
    const check = fname ? `VJP of ${fname}` : "VJP";
    checkVjp(ctx, f, x, check, depth, names);
    if (order > 1) {
      const g = (...a: unknown[]): unknown => {
        const [y, pullback] = vjp(f, ...a);
        return pullback(y);
      };
      checkLevel(ctx, g, args, order - 1, depth + 1, check, vjpNames(names));
    }
  }
}

/**
 * Checks `f`'s automatic derivatives against float64 central differences, like JAX's
 * `jax.test_util.check_grads`. The arguments (pytrees of float arrays or numbers) are copied to
 * float64. For each input leaf a random unit direction v is drawn (seeded):
 *
 * - mode `"fwd"`: the `jvp` output tangents must match (f(x + eps·v) - f(x - eps·v)) / 2eps;
 * - mode `"rev"`: for a random unit output cotangent u, ⟨vjp(u), v⟩ must match ⟨u, J v⟩ with the
 *   numerical J v.
 *
 * With `order` ≥ 2 the same checks run, recursively, on the jvp function `(x, t) => jvp(f, x, t)`
 * and the vjp function `x => vjp(f, x)[1](f(x))`, so second derivatives (forward-over-forward,
 * reverse-over-forward, ...) are checked too. Throws a {@link GradCheckError} naming the check
 * (e.g. `"VJP of JVP"`), order, mode, argument leaf, output leaf, max abs error and tolerance,
 * with the expected and obtained values. Arguments must be inside the function's smooth domain
 * (at least `eps` away from kinks such as 0 for `abs`).
 *
 * - `argnums` picks the arguments to check (default all); the others (integer labels, masks, ...)
 *   are passed through unchanged.
 * - A function that calls a `customVjp` function has no forward-mode derivative: check it with
 *   `{ modes: ["rev"] }`.
 * - Inside `fc.assert`, fast-check 4 reports the counterexample and attaches the thrown
 *   `GradCheckError` as the error's `cause` (vitest prints it as "Caused by: GradCheckError: …");
 *   pass `{ includeErrorInReport: true }` to `fc.assert` to have the full check text in the message.
 *
 * @example
 * checkGrads((x: Array) => x.sin().mul(x), [np.array([0.5, 1.5])]); // passes
 * checkGrads((p: { w: Array; b: Array }, x: Array) => np.tanh(np.dot(x, p.w).add(p.b)),
 *   [{ w: np.array([1, 2]), b: np.array(0.5) }, np.array([[1, 0], [0, 1]])], { order: 1, modes: ["rev"] });
 * checkGrads((x: Array, labels: Array) => np.take(x, labels).sum(), [np.array([1, 2, 3]), np.array([0, 2])], {
 *   argnums: 0, // labels is an int32 array: leave it out
 * });
 */
export function checkGrads<A extends unknown[]>(
  f: (...args: A) => unknown,
  args: A,
  opts: CheckGradsOptions = {},
): void {
  assertArgsList("checkGrads", args);
  checkOptions("checkGrads", opts, CHECK_GRADS_OPTIONS);
  const argnums = normalizeArgnums(opts.argnums, args.length);
  checkFloatArguments(args, argnums);
  const order = opts.order ?? 2;
  if (!Number.isInteger(order) || order < 1)
    throw new RangeError(`checkGrads: order must be a positive integer, got ${order}`);
  const modes = opts.modes ?? ["fwd", "rev"];
  for (const m of modes)
    if (m !== "fwd" && m !== "rev")
      throw new RangeError(`checkGrads: unknown mode ${JSON.stringify(m)}; expected "fwd" or "rev"`);
  const { sawFloat32, tree } = toFloat64Tree(
    argnums.map((i) => args[i]),
    "checkGrads",
  );
  const seed = opts.seed ?? 0;
  const ctx: Ctx = {
    eps: opts.eps ?? defaultEps(sawFloat32),
    atol: opts.atol ?? defaultTol(sawFloat32),
    rtol: opts.rtol ?? defaultTol(sawFloat32),
    seed,
    modes,
    rng: new Rng(seed),
  };
  // The function of the checked arguments only; the others are passed through unchanged.
  const all = argnums.length === args.length && argnums.every((a, k) => a === k);
  const g: Fn = all
    ? (f as Fn)
    : (...checked) => {
        const full: unknown[] = [...args];
        argnums.forEach((a, k) => {
          full[a] = checked[k];
        });
        return (f as Fn)(...full);
      };
  checkLevel(ctx, g, tree as unknown[], order, 1, "", topNames(argnums));
}
