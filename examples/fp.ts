/**
 * graft with fp-ts (`graft-ad/fp`): transforms as curried functions for `pipe`/`flow`, a training
 * loop as a `State`, failures as `Either`, pytrees as a `Traversable`, host reads as a `Task`.
 *
 * - per-example gradients of a linear least-squares loss: `pipe(loss, fp.grad, fp.vmap, jit)`,
 *   checked against the closed form 2·(x·w − y)·x;
 * - 300 Adam steps as `S.traverseArray` over `fp.trainStep`, then `minimizeE` from the same start,
 *   which must reach the exact least-squares solution;
 * - a parameter check with `fp.traverse(E.Applicative)` (the first non-finite leaf is a `Left`),
 *   and a shape error caught by `fp.tryGraft`;
 * - `fp.downloadTree(params)()` brings the result to the host.
 *
 * Run: `npx tsx examples/fp.ts`. Exits with code 1 if a result is off.
 */
import * as E from "fp-ts/Either";
import { flow, pipe } from "fp-ts/function";
import * as S from "fp-ts/State";
import * as fp from "../src/entry/fp.js";
import { jit, np, optim } from "../src/index.js";

type Array = np.Array;
type Params = { w: Array; b: Array };

let failures = 0;
function check(what: string, ok: boolean, detail: string): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${detail}`);
  if (!ok) failures++;
}

// Data: y = 2·x₀ − x₁ + 0.5, four examples.
const X = [
  [1, 0],
  [0, 1],
  [1, 1],
  [2, -1],
];
const Y = [2.5, -0.5, 1.5, 5.5];
const xs = np.array(X, { dtype: "float64" });
const ys = np.array(Y, { dtype: "float64" });

const exampleLoss = (p: Params, x: Array, y: Array): Array => np.dot(x, p.w).add(p.b).sub(y).square();
const meanLoss = (p: Params): Array => np.mean(exampleLoss(p, xs, ys));

// 1. Per-example gradients: differentiate one example's loss, vectorize over the examples, compile.
const perExampleGrads = pipe(exampleLoss, fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0, 0] }), jit);
const p0: Params = { w: np.zeros([2], { dtype: "float64" }), b: np.array(0, { dtype: "float64" }) };
const g = perExampleGrads(p0, xs, ys);
// At w = 0, b = 0 the residual is −y, so ∂/∂w = −2·y·x and ∂/∂b = −2·y for each example.
const wantW = X.flatMap((row, i) => row.map((xij) => -2 * Y[i]! * xij));
const gotW = Array.from(g.w.dataSync());
check(
  "per-example gradients",
  g.w.shape.join("x") === "4x2" && gotW.every((v, i) => Math.abs(v - wantW[i]!) < 1e-12),
  `dL/dw has shape [${g.w.shape}], first row ${gotW.slice(0, 2)}`,
);

// The same transformer, built point-free with flow and applied later.
const batchedGrad = flow(fp.grad({ argnums: 0 }), fp.vmap({ inAxes: [null, 0, 0] }));
check(
  "flow == pipe",
  Array.from(batchedGrad(exampleLoss)(p0, xs, ys).b.dataSync()).every((v, i) => v === g.b.dataSync()[i]),
  "same dL/db",
);

// 2. A training loop as a State: each step reads and returns { params, optState }.
const opt = optim.adam(0.1);
const steps = Array.from({ length: 300 }, (_, i) => i);
const [losses, trained] = pipe(
  steps,
  S.traverseArray(() => fp.trainStep(opt, meanLoss)),
)({ params: p0, optState: opt.init(p0) });
const first = losses[0]!.item();
const last = meanLoss(trained.params).item();
check(
  "adam via State",
  last < first * 1e-3,
  `loss ${first.toFixed(4)} → ${last.toExponential(2)} in ${losses.length} steps`,
);

// 3. Either at the edges: minimize to convergence, or say why not.
const solved = pipe(
  fp.minimizeE(meanLoss, p0),
  E.match(
    (err) => `no solution (${err._tag})`,
    (r) => `w = [${Array.from(r.x.w.dataSync(), (v) => v.toFixed(6))}], b = ${r.x.b.item().toFixed(6)}`,
  ),
);
check("minimizeE", solved === "w = [2.000000,-1.000000], b = 0.500000", solved);

const shapeError = fp.tryGraft(() => np.dot(xs, np.ones([3])));
check(
  "tryGraft",
  E.isLeft(shapeError),
  E.isLeft(shapeError) ? `${shapeError.left._tag}: ${shapeError.left.error.message.slice(0, 70)}…` : "no error",
);

// 4. Pytrees as a Traversable: the first non-finite leaf (in flatten order) becomes a Left.
const finite = (x: Array): E.Either<string, Array> =>
  np.all(np.isfinite(x)).item() ? E.right(x) : E.left(`a leaf of shape [${x.shape}] is not finite`);
const bad = { ...trained.params, b: np.array(Number.NaN) };
check("traverse(Either)", E.isRight(fp.traverse(E.Applicative)(trained.params, finite)), "trained params are finite");
check("traverse(Either) Left", E.isLeft(fp.traverse(E.Applicative)(bad, finite)), "NaN bias found");
const leafCount = pipe(
  trained.params,
  fp.reduce(0, (n: number, x: Array) => n + x.size),
);
check("reduce", leafCount === 3, `${leafCount} parameters`);

// 5. A Task that brings the parameters to the host.
const host = await fp.downloadTree(trained.params)();
check("downloadTree", host.w.backend === "cpu", `w on ${host.w.backend}`);

if (failures > 0) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
