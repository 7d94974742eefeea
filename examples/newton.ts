/**
 * Newton's method with `whileLoop`: the loop runs until the update is tiny, however many steps
 * that takes, as one primitive (so it works eagerly, under `jit`, `jvp` and `vmap`).
 *
 * - the real root of x³ − 2x − 5 = 0 (Newton's own example, 1669) and sqrt(a), with iteration counts;
 * - `jvp` through the loop: the derivative of the root of x³ − 2x − c w.r.t. c, against the
 *   implicit-function-theorem value dx/dc = 1 / (3x² − 2);
 * - `vmap` over several c at once: every lane steps until all have converged, finished lanes keep
 *   their values (and their own iteration counts).
 *
 * Reverse mode (grad) through `whileLoop` is not supported (the trip count is only known at run
 * time); use `scan` or `fori` with fixed bounds for that.
 *
 * Run: `npx tsx examples/newton.ts`. Exits with code 1 if a result is off.
 */
import { np, jit, jvp, vmap, whileLoop } from "../src/index.js";

type Array = np.Array;
type State = [x: Array, step: Array, iters: Array];

/** Newton's method for f(x) = 0 from x0: stops when a step is below 1e-12 (or after 50 steps). */
function newton(f: (x: Array) => Array, df: (x: Array) => Array, x0: Array): [root: Array, iters: Array] {
  const [root, , iters] = whileLoop(
    ([, step, i]: State) => np.logicalAnd(step.abs().greater(1e-12), i.less(50)),
    ([x, , i]: State): State => {
      const step = f(x).div(df(x));
      return [x.sub(step), step, i.add(1)];
    },
    [x0, np.onesLike(x0), np.array(0, { dtype: "int32" })] as State,
  );
  return [root, iters];
}

const f64 = (v: number | number[]): Array => np.array(v, { dtype: "float64" });
const num = (x: Array): number => x.item() as number;

/** The root of x³ − 2x − c, starting from x = 2. */
const cubicRoot = (c: Array): Array =>
  newton(
    (x) => x.mul(x).mul(x).sub(x.mul(2)).sub(c),
    (x) => x.mul(x).mul(3).sub(2),
    f64(2),
  )[0];
const sqrt = jit((a: Array) =>
  newton(
    (x) => x.mul(x).sub(a),
    (x) => x.mul(2),
    f64(1),
  ),
);

let ok = true;
const check = (what: string, got: number, want: number, tol = 1e-10): void => {
  const good = Math.abs(got - want) <= tol * (1 + Math.abs(want));
  ok &&= good;
  console.log(
    `${what.padEnd(34)} ${got.toPrecision(16).padStart(20)}   expected ${want.toPrecision(16)}${good ? "" : "   <-- MISMATCH"}`,
  );
};

// 1. x³ − 2x − 5 = 0
const [root, iters] = newton(
  (x) => x.mul(x).mul(x).sub(x.mul(2)).sub(5),
  (x) => x.mul(x).mul(3).sub(2),
  f64(2),
);
console.log(`x^3 - 2x - 5 = 0: ${iters.item()} iterations`);
check("root", num(root), 2.0945514815423265);

// 2. sqrt(a), jitted (one compile, any a)
for (const a of [2, 10, 1e6]) {
  const [r, n] = sqrt(f64(a));
  check(`sqrt(${a}) in ${n.item()} iterations`, num(r), Math.sqrt(a));
}

// 3. jvp through the loop vs the implicit function theorem
const c = 5;
const [x, dxdc] = jvp(cubicRoot, [f64(c)], [f64(1)]);
const ift = 1 / (3 * num(x) ** 2 - 2);
console.log(`\nd root / dc of x^3 - 2x - c at c = ${c}:`);
check("jvp through whileLoop", num(dxdc), ift);

// 4. vmap over several c: one batched loop; each lane keeps its own result and count
const cs = f64([-1, 0, 5, 20, 100]);
const [roots, counts] = vmap((ci: Array) =>
  newton(
    (x) => x.mul(x).mul(x).sub(x.mul(2)).sub(ci),
    (x) => x.mul(x).mul(3).sub(2),
    f64(2),
  ),
)(cs);
const slopes = vmap((ci: Array) => jvp(cubicRoot, [ci], [f64(1)])[1])(cs);
console.log("\nvmap over c:");
Array.from(cs.dataSync()).forEach((ci, k) => {
  const r = roots.dataSync()[k]!;
  check(`c = ${ci}: root (${counts.dataSync()[k]} iters)`, r, num(cubicRoot(f64(ci))));
  check(`c = ${ci}: d root / dc`, slopes.dataSync()[k]!, 1 / (3 * r * r - 2));
});

if (!ok) {
  console.error("some results are off");
  process.exit(1);
}
