/**
 * The convergence table (see convergence.test.ts) for the Optax 0.2.8 additions and Quickprop:
 * the same three 2-D problems, float32 and float64, jitted training steps, and the same required
 * final distances. RAdam runs behind clipByGlobalNorm(1): its first steps (ρₜ < 5) are momentum SGD
 * on the raw gradient, which the large gradients at these starting points would blow up, as they
 * do SGD's. LAMB and LARS are left out: their per-leaf trust ratio makes every step proportional to
 * |w|, so on these one-number leaves that must cross 0 they stall (their math is checked against
 * Optax in optax-parity.test.ts).
 */
import { expDecay, optim } from "./_util.js";
import { convergenceTable, type Row } from "./_convergence.js";

const O = optim;
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

convergenceTable("convergence table: Optax 0.2.8 additions and Quickprop", table);
