/**
 * The convergence table: every first-order optimizer on three 2-D problems — a parabola, the
 * Rosenbrock function and an ill-conditioned quadratic (condition number 100, rotated so that no
 * per-coordinate scaling fixes it) — in float32 and float64. Learning rates and step counts are
 * tuned per optimizer and problem; each run must end within the stated distance of the minimizer,
 * with the params and every float leaf of the state still in the run's dtype. The whole training
 * step (grad + update + applyUpdates) is jitted.
 */
import { describe, expect, it } from "vitest";
import { expDecay, expectStateDtype, grad, jit, np, optim, type Arr, type DT } from "./_util.js";

type P = { x: Arr; y: Arr };
type GT = optim.GradientTransformation;

// Ill-conditioned quadratic ½ dᵀ A d, d = w − w*, A = R diag(1, 100) Rᵀ with R a 30° rotation.
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const [l1, l2] = [1, 100];
const a11 = l1 * c * c + l2 * s * s;
const a22 = l1 * s * s + l2 * c * c;
const a12 = (l1 - l2) * c * s;

interface Problem {
  f: (p: P) => Arr;
  start: [number, number];
  min: [number, number];
  /** Required final distance ‖w − w*‖. */
  tol: number;
}
const problems = {
  parabola: {
    f: (p: P) => p.x.sub(1).square().add(p.y.add(2).square().mul(2)),
    start: [-3, 4],
    min: [1, -2],
    tol: 1e-4,
  },
  rosenbrock: {
    f: (p: P) => np.subtract(1, p.x).square().add(p.y.sub(p.x.square()).square().mul(100)),
    start: [-1.2, 1],
    min: [1, 1],
    tol: 1e-3,
  },
  illConditioned: {
    f: (p: P) => {
      const dx = p.x.sub(1);
      const dy = p.y.add(1);
      return dx
        .square()
        .mul(a11 / 2)
        .add(dx.mul(dy).mul(a12))
        .add(dy.square().mul(a22 / 2));
    },
    start: [-2, 2],
    min: [1, -1],
    tol: 1e-4,
  },
} satisfies Record<string, Problem>;
type ProblemName = keyof typeof problems;

/** One row of the table: per problem, the optimizer and the number of steps. */
type Row = Record<ProblemName, () => [GT, number]>;
const O = optim;
const table: Record<string, Row> = {
  sgd: {
    parabola: () => [O.sgd(0.2), 60],
    rosenbrock: () => [O.sgd(0.0015), 14000],
    illConditioned: () => [O.sgd(0.019), 800],
  },
  "sgd+momentum": {
    parabola: () => [O.sgd(0.05, { momentum: 0.9 }), 300],
    rosenbrock: () => [O.sgd(0.001, { momentum: 0.9 }), 2500],
    illConditioned: () => [O.sgd(0.01, { momentum: 0.9 }), 400],
  },
  "sgd+nesterov": {
    parabola: () => [O.sgd(0.05, { momentum: 0.9, nesterov: true }), 300],
    rosenbrock: () => [O.sgd(0.001, { momentum: 0.9, nesterov: true }), 2500],
    illConditioned: () => [O.sgd(0.01, { momentum: 0.9, nesterov: true }), 400],
  },
  adagrad: {
    parabola: () => [O.adagrad(2), 300],
    rosenbrock: () => [O.adagrad(0.25), 13000],
    illConditioned: () => [O.adagrad(1), 600],
  },
  adadelta: {
    parabola: () => [O.adadelta(expDecay(1, 0.995), { eps: 1e-3 }), 1000],
    rosenbrock: () => [O.adadelta(expDecay(0.3, 0.9993), { eps: 1e-3, rho: 0.99 }), 10000],
    illConditioned: () => [O.adadelta(expDecay(1, 0.995), { eps: 1e-3 }), 1000],
  },
  rmsprop: {
    parabola: () => [O.rmsprop(expDecay(0.1, 0.99)), 1000],
    rosenbrock: () => [O.rmsprop(expDecay(0.01, 0.999)), 7500],
    illConditioned: () => [O.rmsprop(expDecay(0.05, 0.995)), 2000],
  },
  "rmsprop centered+momentum": {
    parabola: () => [O.rmsprop(expDecay(0.05, 0.995), { centered: true, momentum: 0.5 }), 1500],
    rosenbrock: () => [O.rmsprop(expDecay(0.05, 0.995), { centered: true, momentum: 0.5 }), 3000],
    illConditioned: () => [O.rmsprop(expDecay(0.05, 0.995), { centered: true, momentum: 0.5 }), 1500],
  },
  adam: {
    parabola: () => [O.adam(0.1), 1000],
    rosenbrock: () => [O.adam(0.01), 5000],
    illConditioned: () => [O.adam(0.1), 1000],
  },
  adamw: {
    parabola: () => [O.adamw(0.1, { weightDecay: 1e-5 }), 1000],
    rosenbrock: () => [O.adamw(0.01, { weightDecay: 1e-4 }), 5000],
    illConditioned: () => [O.adamw(0.1, { weightDecay: 1e-4 }), 1000],
  },
  nadam: {
    parabola: () => [O.nadam(0.1), 1000],
    rosenbrock: () => [O.nadam(0.01), 5000],
    illConditioned: () => [O.nadam(0.1), 1000],
  },
  adamax: {
    parabola: () => [O.adamax(0.1), 1000],
    rosenbrock: () => [O.adamax(0.05), 5000],
    illConditioned: () => [O.adamax(0.1), 1000],
  },
  amsgrad: {
    parabola: () => [O.amsgrad(0.1), 1000],
    rosenbrock: () => [O.amsgrad(1), 5500],
    illConditioned: () => [O.amsgrad(0.1), 1000],
  },
  lion: {
    parabola: () => [O.lion(expDecay(0.2, 0.995), { weightDecay: 0 }), 2000],
    rosenbrock: () => [O.lion(expDecay(0.01, 0.998), { weightDecay: 0 }), 3000],
    illConditioned: () => [O.lion(expDecay(0.1, 0.99), { weightDecay: 0 }), 1000],
  },
  rprop: {
    parabola: () => [O.rprop(0.1), 500],
    rosenbrock: () => [O.rprop(0.01, { etaMinus: 0.7, minStepSize: 1e-10 }), 4000],
    illConditioned: () => [O.rprop(0.1), 500],
  },
};

function run(opt: GT, problem: Problem, steps: number, dtype: DT): { params: P; state: unknown } {
  const step = jit((p: P, st: unknown) => {
    const [updates, next] = opt.update(grad(problem.f)(p), st, p);
    return [optim.applyUpdates(p, updates), next] as const;
  });
  let params: P = { x: np.array(problem.start[0], { dtype }), y: np.array(problem.start[1], { dtype }) };
  let state: unknown = opt.init(params);
  for (let i = 0; i < steps; i++) [params, state] = step(params, state);
  return { params, state };
}

const cases = Object.entries(table).flatMap(([name, row]) =>
  (Object.keys(problems) as ProblemName[]).flatMap((prob) =>
    (["float32", "float64"] as const).map((dtype) => ({ name, prob, dtype, row })),
  ),
);

describe("convergence table", () => {
  it.each(cases)("$name on $prob ($dtype)", ({ row, prob, dtype }) => {
    const problem = problems[prob];
    const [opt, steps] = row[prob]();
    const { params, state } = run(opt, problem, steps, dtype);
    expect(params.x.dtype).toBe(dtype);
    expect(params.y.dtype).toBe(dtype);
    expectStateDtype(state, dtype);
    const dist = Math.hypot((params.x.item() as number) - problem.min[0], (params.y.item() as number) - problem.min[1]);
    expect(dist, `distance to the minimizer after ${steps} steps`).toBeLessThan(problem.tol);
  });
});
