/**
 * The curvature of a trained network's loss: a small MLP (64 → 32 tanh → 10) is trained on the
 * handwritten digits with plain full-batch gradient descent (valueAndGrad + jit), tracking the
 * gradient norm; then, at the trained parameters, `graft/curvature` computes from Hessian-vector
 * products alone (the Hessian, 2410 × 2410, is never formed):
 *
 * - the top-5 Hessian eigenvalues (Lanczos with full reorthogonalization),
 * - the smallest eigenvalue (negative: the trained point is not a strict minimum — there are
 *   directions of negative curvature, typical of high-dimensional losses: Dauphin et al. 2014),
 * - the condition number |λmax| / |λmin| and what λmax means for the step size (GD is stable only
 *   for lr < 2 / λmax),
 * - a 1-D loss slice along a filter-normalized random direction (Li et al. 2018), as an ASCII plot.
 *
 * Run: `npx tsx examples/hessian-spectrum.ts` (under 10 s on the CPU backend).
 */
import { np, nn, jit, valueAndGrad, tree, curvature, random } from "../src/index.js";
import { loadDigits, mulberry32, normals, trainTestSplit } from "./data/load.js";

type Array = np.Array;
interface Params {
  w1: Array;
  b1: Array;
  w2: Array;
  b2: Array;
}

const HIDDEN = 32;
const CLASSES = 10;
const STEPS = 300;
const LR = 0.5;
const SEED = 0;

function glorot(rand: () => number, fanIn: number, fanOut: number): Array {
  const w = normals(rand, fanIn * fanOut).map((v) => v * Math.sqrt(2 / (fanIn + fanOut)));
  return np.array(w, { shape: [fanIn, fanOut] });
}

const predict = (p: Params, x: Array): Array => np.matmul(np.matmul(x, p.w1).add(p.b1).tanh(), p.w2).add(p.b2);

function loss(p: Params, x: Array, y: Array): Array {
  const oneHot = y
    .reshape([-1, 1])
    .equal(np.arange(0, CLASSES, 1, { dtype: "int32" }))
    .astype("float32");
  return nn.logSoftmax(predict(p, x)).mul(oneHot).sum(1).mean().neg();
}

/** One full-batch gradient-descent step; also returns the loss and the gradient's global norm. */
const step = jit((p: Params, x: Array, y: Array): [Params, Array, Array] => {
  const [value, g] = valueAndGrad(loss)(p, x, y);
  return [tree.map((pi: Array, gi: Array) => pi.sub(gi.mul(LR)), p, g) as Params, value, curvature.gradNorm(g)];
});

/** The first entry of `xs`; throws, naming `what`, when there is none. */
function first(xs: readonly number[], what: string): number {
  const [x] = xs;
  if (x === undefined) throw new Error(`hessian-spectrum: ${what} is empty`);
  return x;
}

/** A small ASCII plot of y against x: `height` rows, one column per point. */
function asciiPlot(xs: number[], ys: number[], height = 12): string[] {
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const row = (v: number) => Math.round(((hi - v) / (hi - lo || 1)) * (height - 1));
  const grid = Array.from({ length: height }, () => new Array<string>(xs.length).fill(" "));
  ys.forEach((v, i) => {
    const r = grid[row(v)]; // undefined only for a non-finite v, which is not plotted
    if (r) r[i] = "*";
  });
  const mid = xs.findIndex((x) => Math.abs(x) < 1e-9);
  const lines = grid.map((r, k) => {
    const label = k === 0 ? hi.toFixed(3) : k === height - 1 ? lo.toFixed(3) : "";
    if (mid >= 0 && r[mid] === " ") r[mid] = ":";
    return `${label.padStart(8)} |${r.join("")}`;
  });
  lines.push(`${"".padStart(8)} +${"-".repeat(xs.length)}`);
  // tick labels under the first, middle (α = 0) and last columns
  const ticks = new globalThis.Array<string>(10 + xs.length + 4).fill(" ");
  const put = (col: number, text: string) => [...text].forEach((ch, i) => (ticks[col + i] = ch));
  put(7, "α");
  put(10, String(xs[0]));
  if (mid >= 0) put(10 + mid, "0");
  const last = String(xs[xs.length - 1]);
  put(10 + xs.length - last.length, last);
  lines.push(ticks.join("").trimEnd());
  return lines;
}

function main(): void {
  const t0 = performance.now();
  const { x, y } = loadDigits();
  const { train } = trainTestSplit(x, y, 0.25, SEED);
  const rand = mulberry32(SEED);
  let params: Params = {
    w1: glorot(rand, 64, HIDDEN),
    b1: np.zeros([HIDDEN]),
    w2: glorot(rand, HIDDEN, CLASSES),
    b2: np.zeros([CLASSES]),
  };
  const nParams = tree.leaves(params).reduce((s: number, l) => s + (l as Array).size, 0);
  console.log(
    `digits: ${train.x.shape[0]} training images, MLP 64-${HIDDEN}-${CLASSES} (${nParams} parameters), full-batch GD, lr ${LR}, ${STEPS} steps`,
  );

  const tracker = new curvature.GradNormTracker();
  let lossValue = NaN;
  for (let s = 0; s < STEPS; s++) {
    const [next, l, gn] = step(params, train.x, train.y);
    tracker.record(gn);
    lossValue = l.item() as number;
    params = next;
    if (s % 50 === 0 || s === STEPS - 1)
      console.log(
        `  step ${String(s).padStart(3)}  loss ${lossValue.toFixed(4)}  |grad| ${tracker.summary().last.toFixed(4)}`,
      );
  }
  const gs = tracker.summary();
  console.log(
    `gradient norm: first ${first(tracker.norms, "the gradient-norm history").toFixed(4)}, last ${gs.last.toFixed(4)}, max ${gs.max.toFixed(4)}, mean ${gs.mean.toFixed(4)}`,
  );
  const tTrain = performance.now();
  console.log(`training: ${((tTrain - t0) / 1000).toFixed(1)} s\n`);

  // The training loss as a function of the parameters alone (the data are constants).
  const f = (p: Params) => loss(p, train.x, train.y);
  const key = random.key(SEED);
  const top = curvature.topHessianEigenvalues(f, params, { k: 5, key });
  const low = curvature.smallestHessianEigenvalues(f, params, { k: 1, key });
  const ext = curvature.hessianExtremes(f, params, { key });
  const fmt = (v: number) => (Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4));
  console.log(`Hessian at the trained parameters (Lanczos, float64 on the host, float32 HVPs):`);
  console.log(
    `  top-5 eigenvalues:   ${top.eigenvalues.map(fmt).join(", ")}   (${top.hvps} HVPs, converged: ${top.converged})`,
  );
  console.log(
    `  smallest eigenvalue: ${fmt(first(low.eigenvalues, "smallestHessianEigenvalues"))}   (${low.hvps} HVPs, converged: ${low.converged})`,
  );
  console.log(`  definiteness:        ${ext.definiteness}`);
  console.log(`  condition number |λmax|/|λmin| = ${ext.conditionNumber.toFixed(1)}`);
  console.log(
    `  step-size check: lr · λmax = ${(LR * first(top.eigenvalues, "topHessianEigenvalues")).toFixed(3)} (gradient descent is stable below 2)`,
  );
  const tEig = performance.now();
  console.log(`curvature: ${((tEig - tTrain) / 1000).toFixed(1)} s\n`);

  // 1-D slice along a filter-normalized random direction (a neuron = a column of W in x @ W).
  const d = curvature.randomDirection(random.split(key, 2).get(1), params, { filterAxis: -1 });
  const alphas = Array.from({ length: 41 }, (_, i) => -1 + i * 0.05).map((a) => Math.round(a * 100) / 100);
  const slice = curvature.lossSlice1d(f, params, d, { alphas });
  console.log(`loss along θ + α·d, d a filter-normalized random direction (${alphas.length} points, α ∈ [-1, 1]):`);
  for (const line of asciiPlot(slice.alphas, slice.values)) console.log(line);
  const at = (a: number): number => {
    const v = slice.values[slice.alphas.indexOf(a)];
    if (v === undefined) throw new Error(`hessian-spectrum: α = ${a} is not one of the slice's alphas`);
    return v;
  };
  console.log(
    `  loss(α=-1) ${at(-1).toFixed(4)}   loss(α=-0.5) ${at(-0.5).toFixed(4)}   loss(α=0) ${at(0).toFixed(4)}   loss(α=0.5) ${at(0.5).toFixed(4)}   loss(α=1) ${at(1).toFixed(4)}`,
  );
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
