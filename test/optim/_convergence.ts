/**
 * The convergence table's problems and runner, shared by convergence.test.ts and
 * convergence-more.test.ts: three 2-D problems, float32 and float64, the whole training step
 * (grad + update + applyUpdates) jitted, each run required to end within the problem's distance of
 * the minimizer with the params and every float leaf of the state still in the run's dtype.
 */
import { describe, expect, it } from "vitest";
import { expectStateDtype, grad, jit, np, optim, type Arr, type DT } from "./_util.js";

export type P = { x: Arr; y: Arr };
export type GT = optim.GradientTransformation;

// Ill-conditioned quadratic ½ dᵀ A d, d = w − w*, A = R diag(1, 100) Rᵀ with R a 30° rotation.
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const [l1, l2] = [1, 100];
const a11 = l1 * c * c + l2 * s * s;
const a22 = l1 * s * s + l2 * c * c;
const a12 = (l1 - l2) * c * s;

export interface Problem {
  f: (p: P) => Arr;
  start: [number, number];
  min: [number, number];
  /** Required final distance ‖w − w*‖. */
  tol: number;
}
export const problems = {
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
export type ProblemName = keyof typeof problems;

/** One row of the table: per problem, the optimizer and the number of steps (given the run's dtype). */
export type Row = Record<ProblemName, (dtype: DT) => [GT, number]>;

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

/** Registers the table's tests: every row on every problem, in float32 and float64. */
export function convergenceTable(title: string, table: Record<string, Row>): void {
  const cases = Object.entries(table).flatMap(([name, row]) =>
    (Object.keys(problems) as ProblemName[]).flatMap((prob) =>
      (["float32", "float64"] as const).map((dtype) => ({ name, prob, dtype, row })),
    ),
  );
  describe(title, () => {
    it.each(cases)("$name on $prob ($dtype)", ({ row, prob, dtype }) => {
      const problem = problems[prob];
      const [opt, steps] = row[prob](dtype);
      const { params, state } = run(opt, problem, steps, dtype);
      expect(params.x.dtype).toBe(dtype);
      expect(params.y.dtype).toBe(dtype);
      expectStateDtype(state, dtype);
      const dist = Math.hypot(
        (params.x.item() as number) - problem.min[0],
        (params.y.item() as number) - problem.min[1],
      );
      expect(dist, `distance to the minimizer after ${steps} steps`).toBeLessThan(problem.tol);
    });
  });
}
