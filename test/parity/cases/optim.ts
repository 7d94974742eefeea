/** Optax schedules (evaluated at int32 steps) and optimizers (trajectories on a fixed objective). */
import { grad, np, optim, type Array } from "../../../src/index.js";
import { arg, num, nums, param, type Impl } from "./types.js";

type Args = Readonly<Record<string, number | boolean | Readonly<Record<string, number>>>>;
const n = (a: Args, k: string): number => a[k] as number;
const opt = (a: Args, k: string): number | undefined => a[k] as number | undefined;

/** Optax's schedules by the generator's names, with Optax's keyword arguments. */
function schedule(name: string, a: Args): optim.ScheduleFn {
  switch (name) {
    case "constant":
      return optim.constantSchedule(n(a, "value"));
    case "linear":
      return optim.linearSchedule(
        n(a, "init_value"),
        n(a, "end_value"),
        n(a, "transition_steps"),
        opt(a, "transition_begin"),
      );
    case "polynomial":
      return optim.polynomialSchedule(n(a, "init_value"), n(a, "end_value"), n(a, "power"), n(a, "transition_steps"));
    case "cosineDecay":
      return optim.cosineDecay(n(a, "init_value"), n(a, "decay_steps"), {
        ...(a.alpha === undefined ? {} : { alpha: n(a, "alpha") }),
        ...(a.exponent === undefined ? {} : { exponent: n(a, "exponent") }),
      });
    case "exponentialDecay":
      return optim.exponentialDecay(n(a, "init_value"), {
        transitionSteps: n(a, "transition_steps"),
        decayRate: n(a, "decay_rate"),
        ...(a.staircase === undefined ? {} : { staircase: a.staircase as boolean }),
        ...(a.transition_begin === undefined ? {} : { transitionBegin: n(a, "transition_begin") }),
        ...(a.end_value === undefined ? {} : { endValue: n(a, "end_value") }),
      });
    case "warmupCosineDecay":
      return optim.warmupCosineDecay({
        initValue: n(a, "init_value"),
        peakValue: n(a, "peak_value"),
        warmupSteps: n(a, "warmup_steps"),
        decaySteps: n(a, "decay_steps"),
        ...(a.end_value === undefined ? {} : { endValue: n(a, "end_value") }),
        ...(a.exponent === undefined ? {} : { exponent: n(a, "exponent") }),
      });
    case "piecewiseConstant":
      return optim.piecewiseConstant(n(a, "init_value"), a.boundaries_and_scales as Record<number, number>);
    case "oneCycle":
      return optim.oneCycle({
        transitionSteps: n(a, "transition_steps"),
        peakValue: n(a, "peak_value"),
        ...(a.pct_start === undefined ? {} : { pctStart: n(a, "pct_start") }),
        ...(a.div_factor === undefined ? {} : { divFactor: n(a, "div_factor") }),
        ...(a.final_div_factor === undefined ? {} : { finalDivFactor: n(a, "final_div_factor") }),
      });
    case "joinLinearExp":
      return optim.joinSchedules(
        [optim.linearSchedule(0, 1, 5), optim.exponentialDecay(1, { transitionSteps: 1, decayRate: 0.5 })],
        [n(a, "b")],
      );
    default:
      throw new Error(`parity case: no schedule ${name}`);
  }
}

/** Optax keyword arguments in graft's camelCase (learning_rate is positional in both). */
const camel = (a: Args): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(a)
      .filter(([k]) => k !== "learning_rate")
      .map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );

function optimizer(name: string, a: Args): optim.GradientTransformation {
  const lr = opt(a, "learning_rate") as number;
  const rest = camel(a);
  switch (name) {
    case "sgd":
      return optim.sgd(lr, rest);
    case "adam":
      return optim.adam(lr, rest);
    case "adamw":
      return optim.adamw(lr, rest);
    case "rmsprop":
      return optim.rmsprop(lr, rest);
    case "adagrad":
      return optim.adagrad(lr, rest);
    case "adadelta":
      return optim.adadelta(lr, rest);
    case "adamax":
      return optim.adamax(lr, rest);
    case "amsgrad":
      return optim.amsgrad(lr, rest);
    case "lion":
      return optim.lion(lr, rest);
    case "nadam":
      return optim.nadam(lr, rest);
    case "rprop":
      return optim.rprop(lr, rest);
    case "clipAdam":
      return optim.chain(optim.clipByGlobalNorm(n(a, "max_norm")), optim.adam(lr));
    case "clipElementSgd":
      return optim.chain(optim.clip(n(a, "max_delta")), optim.sgd(lr));
    case "sgdSchedule":
      return optim.sgd(
        optim.exponentialDecay(n(a, "init_value"), {
          transitionSteps: n(a, "transition_steps"),
          decayRate: n(a, "decay_rate"),
        }),
      );
    case "adamSchedule":
      return optim.adam(
        optim.warmupCosineDecay({
          initValue: n(a, "init_value"),
          peakValue: n(a, "peak_value"),
          warmupSteps: n(a, "warmup_steps"),
          decaySteps: n(a, "decay_steps"),
        }),
      );
    default:
      throw new Error(`parity case: no optimizer ${name}`);
  }
}

/** The gradient of f(p) = Σ a·(p − c)²/2 + 0.1·Σ p⁴, the generator's objective. */
function objectiveGrad(p: Array): Array {
  const a = np.array([1, 4, 0.5, 2], { dtype: p.dtype });
  const c = np.array([1, -2, 3, 0.5], { dtype: p.dtype });
  return grad((q: Array) =>
    np
      .sum(a.mul(q.sub(c).square()))
      .div(2)
      .add(np.sum(np.power(q, 4)).mul(0.1)),
  )(p);
}

export const OPTIM_CASES: Record<string, Impl> = {
  schedule: (_args, kw) => {
    const s = schedule(param<string>(kw, "name"), param<Args | undefined>(kw, "args") ?? {});
    return s(np.array(nums(kw, "steps"), { dtype: "int32" })) as Array;
  },
  optimizer: (args, kw) => {
    const tx = optimizer(param<string>(kw, "name"), param<Args | undefined>(kw, "args") ?? {});
    let p = arg(args, 0);
    let state = tx.init(p);
    const trajectory: Array[] = [];
    for (let i = 0; i < num(kw, "steps"); i++) {
      const [u, s] = tx.update(objectiveGrad(p), state, p);
      p = optim.applyUpdates(p, u) as Array;
      state = s;
      trajectory.push(p);
    }
    return np.stack(trajectory);
  },
};
