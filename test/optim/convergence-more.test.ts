/**
 * The convergence table (see convergence.test.ts) for the Optax 0.2.8 additions and Quickprop:
 * the same three 2-D problems, float32 and float64, jitted training steps, and the same required
 * final distances. RAdam runs behind clipByGlobalNorm(1): its first steps (ρₜ < 5) are momentum SGD
 * on the raw gradient, which the large gradients at these starting points would blow up, as they
 * do SGD's. LAMB and LARS are left out: their per-leaf trust ratio makes every step proportional to
 * |w|, so on these one-number leaves that must cross 0 they stall (their math is checked against
 * Optax in optax-parity.test.ts).
 */
import { describe, expect, it } from "vitest";
import { expDecay, expectStateDtype, grad, jit, np, optim, type Arr, type DT } from "./_util.js";

type P = { x: Arr; y: Arr };
type GT = optim.GradientTransformation;

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

const O = optim;
type Row = Record<ProblemName, (dtype: DT) => [GT, number]>;
const table: Record<string, Row> = {
  radam: {
    parabola: () => [O.chain(O.clipByGlobalNorm(1), O.radam(0.1)), 1000],
    rosenbrock: () => [O.chain(O.clipByGlobalNorm(1), O.radam(0.01)), 5000],
    illConditioned: () => [O.chain(O.clipByGlobalNorm(1), O.radam(0.1)), 1000],
  },
  adabelief: {
    parabola: () => [O.adabelief(0.1), 1000],
    rosenbrock: () => [O.adabelief(0.01), 5000],
    illConditioned: () => [O.adabelief(0.1), 1000],
  },
  yogi: {
    parabola: () => [O.yogi(0.1), 1000],
    rosenbrock: () => [O.yogi(0.05), 5000],
    illConditioned: () => [O.yogi(0.1), 1000],
  },
  adafactor: {
    parabola: () => [O.adafactor(expDecay(0.5, 0.99)), 1000],
    rosenbrock: (dtype) => [O.adafactor(expDecay(0.03, 0.9995), { momentum: 0.9, dtypeMomentum: dtype }), 6000],
    illConditioned: () => [O.adafactor(expDecay(0.2, 0.995)), 2000],
  },
  quickprop: {
    parabola: () => [O.quickprop(0.1), 100],
    rosenbrock: () => [O.quickprop(0.001), 3000],
    illConditioned: () => [O.quickprop(0.01), 300],
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

describe("convergence table: Optax 0.2.8 additions and Quickprop", () => {
  it.each(cases)("$name on $prob ($dtype)", ({ row, prob, dtype }) => {
    const problem = problems[prob];
    const [opt, steps] = row[prob](dtype);
    const { params, state } = run(opt, problem, steps, dtype);
    expect(params.x.dtype).toBe(dtype);
    expectStateDtype(state, dtype);
    const dist = Math.hypot((params.x.item() as number) - problem.min[0], (params.y.item() as number) - problem.min[1]);
    expect(dist, `distance to the minimizer after ${steps} steps`).toBeLessThan(problem.tol);
  });
});
