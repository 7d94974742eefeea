/**
 * The convergence table: every first-order optimizer on three 2-D problems — a parabola, the
 * Rosenbrock function and an ill-conditioned quadratic (condition number 100, rotated so that no
 * per-coordinate scaling fixes it) — in float32 and float64. Learning rates and step counts are
 * tuned per optimizer and problem; each run must end within the stated distance of the minimizer,
 * with the params and every float leaf of the state still in the run's dtype. The whole training
 * step (grad + update + applyUpdates) is jitted.
 */
import { expDecay, optim } from "./_util.js";
import { convergenceTable, type Row } from "./_convergence.js";

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

convergenceTable("convergence table", table);
