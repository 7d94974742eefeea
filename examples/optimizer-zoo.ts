/**
 * An optimizer zoo: nine optimizers from `graft/optim` race on two classic 2-D test problems.
 *
 * - **Rosenbrock** f(x, y) = (1 − x)² + 100 (y − x²)², from (−1.2, 1); minimum f = 0 at (1, 1),
 *   at the end of a long, curved, flat-bottomed valley (Hessian condition number ≈ 2500 there).
 * - **An ill-conditioned quadratic** f(x) = ½ xᵀA x with eigenvalues 1 and 64 (condition number
 *   64) along axes rotated by 30°, so that per-coordinate (diagonal) methods get no free help;
 *   from (−4, −1.5), minimum at the origin.
 *
 * Every first-order method and Newton's method is a traceable `GradientTransformation`, so a whole
 * run — up to 20 000 steps of gradient, update and bookkeeping — is one `scan` compiled by `jit`.
 * L-BFGS runs a line search on the host, so it is an ordinary JS loop over `update`.
 *
 * Hyperparameters were tuned per problem by a small grid search (learning rate, momentum, decay)
 * for the fewest iterations to tolerance; the values are in the `ZOO` table below. RMSProp and
 * Adam use an exponentially decaying learning rate: with a constant one their normalized steps keep
 * a length of about the learning rate, so the iterates hover around the minimum instead of
 * converging to it.
 *
 * "Iterations to tolerance" is the first iteration after which ‖x − x*‖ < 1e-3 holds for the rest
 * of the run (a method that passes through the ball and leaves it again does not count until it
 * stays); "—" means it never settled within the cap.
 *
 * Writes examples/out/zoo-trajectories.svg (contour maps with every optimizer's path) and
 * examples/out/zoo-loss.svg (loss against iteration, both axes logarithmic).
 *
 * Run: `npm run example:zoo` (or `npx tsx examples/optimizer-zoo.ts`), a few seconds.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { np, jit, scan, valueAndGrad, vmap } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { PALETTE, legend, panel, svgDocument, text, type Grid } from "./svg.js";

type Array = np.Array;
type Point = [number, number];

const TOL = 1e-3;
/** Iteration caps: first-order methods, Newton, L-BFGS. */
const MAX_FIRST_ORDER = 20_000;
const MAX_NEWTON = 50;
const MAX_LBFGS = 500;

// ------------------------------------------------------------------------------------------------
// The problems (float64 throughout, so the loss curves can go far below float32's resolution).

interface Problem {
  key: "rosenbrock" | "quadratic";
  title: string;
  f: (p: Array) => Array;
  x0: Point;
  xStar: Point;
  /** The region drawn in the trajectory plot. */
  view: { x: [number, number]; y: [number, number] };
}

const rosenbrock: Problem = {
  key: "rosenbrock",
  title: "Rosenbrock from (−1.2, 1)",
  f: (p) => {
    const [x, y] = [p.get(0), p.get(1)];
    return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
  },
  x0: [-1.2, 1],
  xStar: [1, 1],
  view: { x: [-2, 2], y: [-1, 3] },
};

const KAPPA = 64;
const THETA = Math.PI / 6;
/** A = R diag(1, κ) Rᵀ with R the rotation by θ: eigenvalue 1 along (cos θ, sin θ), κ across it. */
const A = (() => {
  const [c, s] = [Math.cos(THETA), Math.sin(THETA)];
  return np.array(
    [
      [c * c + KAPPA * s * s, c * s - KAPPA * c * s],
      [c * s - KAPPA * c * s, s * s + KAPPA * c * c],
    ],
    { dtype: "float64" },
  );
})();

const quadratic: Problem = {
  key: "quadratic",
  title: `Quadratic, condition number ${KAPPA}, from (−4, −1.5)`,
  f: (p) => np.dot(p, np.matmul(A, p)).mul(0.5),
  x0: [-4, -1.5],
  xStar: [0, 0],
  view: { x: [-4.75, 1.25], y: [-3.5, 2.5] },
};

const PROBLEMS = [rosenbrock, quadratic];

// ------------------------------------------------------------------------------------------------
// The zoo: per problem, a description of the hyperparameters and the optimizer.

type Maker =
  | { label: string; make: (f: (p: Array) => Array) => optim.GradientTransformation }
  | { label: string; lbfgs: optim.LbfgsOptions };
interface Entry {
  name: string;
  rosenbrock: Maker;
  quadratic: Maker;
}

const decaying = (lr: number, rate: number) => optim.exponentialDecay(lr, { transitionSteps: 1, decayRate: rate });

const ZOO: Entry[] = [
  {
    name: "SGD",
    rosenbrock: { label: "lr 1.7e-3", make: () => optim.sgd(1.7e-3) },
    quadratic: { label: "lr 0.03", make: () => optim.sgd(0.03) },
  },
  {
    name: "Momentum",
    rosenbrock: { label: "lr 1.8e-3, γ 0.95", make: () => optim.sgd(1.8e-3, { momentum: 0.95 }) },
    quadratic: { label: "lr 0.02, γ 0.8", make: () => optim.sgd(0.02, { momentum: 0.8 }) },
  },
  {
    name: "Nesterov",
    rosenbrock: { label: "lr 1.3e-3, γ 0.95", make: () => optim.sgd(1.3e-3, { momentum: 0.95, nesterov: true }) },
    quadratic: { label: "lr 0.015, γ 0.8", make: () => optim.sgd(0.015, { momentum: 0.8, nesterov: true }) },
  },
  {
    name: "AdaGrad",
    rosenbrock: { label: "lr 1.3", make: () => optim.adagrad(1.3) },
    quadratic: { label: "lr 1.3", make: () => optim.adagrad(1.3) },
  },
  {
    name: "RMSProp",
    rosenbrock: { label: "lr 0.015·0.999^t, decay 0.9", make: () => optim.rmsprop(decaying(0.015, 0.999)) },
    quadratic: { label: "lr 0.05·0.99^t, decay 0.9", make: () => optim.rmsprop(decaying(0.05, 0.99)) },
  },
  {
    name: "Adam",
    rosenbrock: { label: "lr 0.75·0.999^t", make: () => optim.adam(decaying(0.75, 0.999)) },
    quadratic: { label: "lr 0.75·0.995^t", make: () => optim.adam(decaying(0.75, 0.995)) },
  },
  {
    name: "Rprop",
    rosenbrock: { label: "Δ₀ 3e-3, η± 1.2/0.5", make: () => optim.rprop(3e-3) },
    quadratic: { label: "Δ₀ 0.1, η± 1.2/0.5", make: () => optim.rprop(0.1) },
  },
  {
    name: "Newton",
    rosenbrock: { label: "damping 1e-3, lr 1", make: (f) => optim.newton(f, { damping: 1e-3 }) },
    quadratic: { label: "damping 0, lr 1", make: (f) => optim.newton(f, { damping: 0 }) },
  },
  {
    name: "L-BFGS",
    rosenbrock: { label: "memory 10, strong Wolfe", lbfgs: { memorySize: 10 } },
    quadratic: { label: "memory 10, strong Wolfe", lbfgs: { memorySize: 10 } },
  },
];

// ------------------------------------------------------------------------------------------------
// Running an optimizer.

interface Run {
  /** Iterates x₀, x₁, ... (x₀ the start). */
  xs: Point[];
  /** f at each iterate. */
  losses: number[];
  ms: number;
}

/** A traceable transformation for `steps` steps: one jitted `scan` returns the whole path. */
function runScan(opt: optim.GradientTransformation, f: (p: Array) => Array, x0: Array, steps: number): Run {
  const t0 = performance.now();
  const run = jit((x0: Array) => {
    type Carry = [Array, unknown];
    const [, path] = scan(
      ([x, state]: Carry, _: null) => {
        const [, g] = valueAndGrad(f)(x);
        const [updates, next] = opt.update(g, state, x);
        const x1 = optim.applyUpdates(x, updates);
        return [[x1, next] as Carry, [x1, f(x1)] as const];
      },
      [x0, opt.init(x0)] as Carry,
      null,
      { length: steps },
    );
    return path;
  });
  const [xs, losses] = run(x0);
  const xd = xs.dataSync();
  const ld = losses.dataSync();
  const out: Run = {
    xs: [[x0.get(0).item() as number, x0.get(1).item() as number]],
    losses: [f(x0).item() as number],
    ms: 0,
  };
  for (let k = 0; k < steps; k++) {
    out.xs.push([Number(xd[2 * k]), Number(xd[2 * k + 1])]);
    out.losses.push(Number(ld[k]));
  }
  out.ms = performance.now() - t0;
  return out;
}

/** L-BFGS: `update` runs a line search on the host, so this is a plain loop (eager). */
function runLbfgs(opts: optim.LbfgsOptions, f: (p: Array) => Array, x0: Array, maxIter: number): Run {
  const t0 = performance.now();
  const opt = optim.lbfgs(f, opts);
  const vg = jit(valueAndGrad(f));
  let x = x0;
  let state = opt.init(x);
  let [value, g] = vg(x);
  const out: Run = {
    xs: [[x.get(0).item() as number, x.get(1).item() as number]],
    losses: [value.item() as number],
    ms: 0,
  };
  for (let k = 0; k < maxIter; k++) {
    const [u, next] = opt.update(g, state, x);
    const step = u as Array;
    if ((np.max(np.abs(step)).item() as number) === 0) break; // converged, or no further decrease possible
    x = optim.applyUpdates(x, step);
    state = next;
    [value, g] = vg(x);
    const [a, b] = x.dataSync();
    out.xs.push([Number(a), Number(b)]);
    out.losses.push(value.item() as number);
  }
  out.ms = performance.now() - t0;
  return out;
}

/** The first iteration after which every iterate is within TOL of x* (null if the last one is not). */
function iterationsToTolerance(run: Run, xStar: Point): number | null {
  const dist = ([x, y]: Point) => Math.hypot(x - xStar[0], y - xStar[1]);
  let k = run.xs.length - 1;
  if (!(dist(run.xs[k]!) < TOL)) return null;
  while (k > 0 && dist(run.xs[k - 1]!) < TOL) k--;
  return k;
}

// ------------------------------------------------------------------------------------------------
// Plots.

/** f on a grid over the problem's view, evaluated with one jitted vmap. */
function gridOf(p: Problem, n = 161): Grid {
  const lin = ([lo, hi]: [number, number]) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const xs = lin(p.view.x);
  const ys = lin(p.view.y);
  const pts = new Float64Array(2 * n * n);
  ys.forEach((y, j) => xs.forEach((x, i) => pts.set([x, y], 2 * (j * n + i))));
  const values = jit(vmap(p.f))(np.array(pts, { shape: [n * n, 2], dtype: "float64" })).dataSync() as Float64Array;
  return { xs, ys, values };
}

/** Log-spaced contour levels from just above the grid's minimum to its 90th percentile. */
function levelsOf(grid: Grid, count: number): number[] {
  const sorted = Float64Array.from(grid.values).sort();
  const lo = Math.max(sorted[Math.floor(0.002 * sorted.length)]!, 1e-3);
  const hi = sorted[Math.floor(0.9 * sorted.length)]!;
  return Array.from({ length: count }, (_, i) => lo * (hi / lo) ** (i / (count - 1)));
}

/** The plot colour of optimizer `k` (of ZOO). */
const color = (k: number): string => PALETTE[k % PALETTE.length]!;

/** `runs[k][pi]`: the run of optimizer ZOO[k] on problem PROBLEMS[pi]. */
function trajectoriesSvg(runs: readonly Run[][]): string {
  const size = 420;
  const margin = { left: 56, top: 40, gap: 70 };
  const width = margin.left + 2 * size + margin.gap + 24;
  const height = margin.top + size + 48 + 3 * 18 + 10;
  const body: string[] = [];
  PROBLEMS.forEach((prob, pi) => {
    const pn = panel({
      x: margin.left + pi * (size + margin.gap),
      y: margin.top,
      width: size,
      height: size,
      xDomain: prob.view.x,
      yDomain: prob.view.y,
    });
    const grid = gridOf(prob);
    body.push(pn.frame({ title: prob.title, xLabel: "x", yLabel: "y" }), pn.contours(grid, levelsOf(grid, 14)));
    runs.forEach((rs, k) => body.push(pn.polyline(rs[pi]!.xs, color(k), { width: 1.6, opacity: 0.9 })));
    body.push(
      pn.marker(prob.x0[0], prob.x0[1], "#000", "circle", 4),
      pn.marker(prob.xStar[0], prob.xStar[1], "#000", "cross", 5),
    );
  });
  const legendY = margin.top + size + 52;
  body.push(
    legend(
      margin.left,
      legendY,
      ZOO.map((e, k) => ({ label: e.name, color: color(k) })),
      { columns: 5, columnWidth: 150, rowHeight: 18 },
    ),
  );
  body.push(text(width - 24, legendY + 40, "● start   ✕ minimum", { anchor: "end" }));
  return svgDocument(width, height, body, "optimizer zoo: trajectories");
}

function lossSvg(runs: readonly Run[][]): string {
  const [w, h] = [440, 320];
  const margin = { left: 64, top: 40, gap: 80 };
  const width = margin.left + 2 * w + margin.gap + 24;
  const height = margin.top + h + 48 + 3 * 18 + 10;
  const floor = 1e-16;
  const body: string[] = [];
  PROBLEMS.forEach((prob, pi) => {
    const all = runs.map((rs) => rs[pi]!);
    const top =
      10 ** Math.ceil(Math.log10(Math.max(...all.flatMap((r) => r.losses.slice(0, 20)).filter(Number.isFinite))));
    const pn = panel({
      x: margin.left + pi * (w + margin.gap),
      y: margin.top,
      width: w,
      height: h,
      xDomain: [0, MAX_FIRST_ORDER],
      yDomain: [floor, top],
      xLog1p: true,
      yLog: true,
    });
    body.push(pn.frame({ title: prob.title, xLabel: "iteration (log scale)", yLabel: "f(x) − f(x*)" }));
    all.forEach((run, k) => {
      // The curve stops at the floor (f(x*) = 0, so the loss can reach exactly 0).
      const pts: [number, number][] = [];
      for (let i = 0; i < run.losses.length; i++) {
        pts.push([i, Math.max(run.losses[i]!, floor)]);
        if (run.losses[i]! <= floor) break;
      }
      body.push(pn.polyline(pts, color(k), { width: 1.6 }));
    });
  });
  body.push(
    legend(
      margin.left,
      margin.top + h + 52,
      ZOO.map((e, k) => ({ label: e.name, color: color(k) })),
      { columns: 5, columnWidth: 150, rowHeight: 18 },
    ),
  );
  return svgDocument(width, height, body, "optimizer zoo: loss curves");
}

// ------------------------------------------------------------------------------------------------

function main(): void {
  const t0 = performance.now();
  const runs = ZOO.map((entry) =>
    PROBLEMS.map((prob) => {
      const x0 = np.array(prob.x0, { dtype: "float64" });
      const m = entry[prob.key];
      if ("lbfgs" in m) return runLbfgs(m.lbfgs, prob.f, x0, MAX_LBFGS);
      return runScan(m.make(prob.f), prob.f, x0, entry.name === "Newton" ? MAX_NEWTON : MAX_FIRST_ORDER);
    }),
  );

  // The table.
  const fmtLoss = (v: number) => (v === 0 ? "0" : v.toExponential(1));
  const header = ["optimizer", ...PROBLEMS.flatMap((p) => [`${p.key}: iters`, "final f", "ms"])];
  const rows = ZOO.map((e, k) => [
    e.name,
    ...runs[k]!.flatMap((run, pi) => {
      const it = iterationsToTolerance(run, PROBLEMS[pi]!.xStar);
      return [
        it === null ? `— (>${run.xs.length - 1})` : String(it),
        fmtLoss(run.losses[run.losses.length - 1]!),
        run.ms.toFixed(0),
      ];
    }),
  ]);
  const widths = header.map((hd, c) => Math.max(hd.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join("   ");
  console.log(
    `Iterations until ‖x − x*‖ < ${TOL} for good (caps: ${MAX_FIRST_ORDER} first-order, ${MAX_NEWTON} Newton, ${MAX_LBFGS} L-BFGS), float64:\n`,
  );
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("   "));
  for (const r of rows) console.log(line(r));
  console.log("\nhyperparameters (tuned per problem):");
  for (const e of ZOO)
    console.log(`  ${e.name.padEnd(9)} rosenbrock: ${e.rosenbrock.label.padEnd(28)} quadratic: ${e.quadratic.label}`);

  const outDir = fileURLToPath(new URL("out/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}zoo-trajectories.svg`, trajectoriesSvg(runs));
  writeFileSync(`${outDir}zoo-loss.svg`, lossSvg(runs));
  console.log(
    `\nwrote ${outDir}zoo-trajectories.svg and zoo-loss.svg (total ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

main();
