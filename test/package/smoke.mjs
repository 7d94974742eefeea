// Smoke test of the built package (run by .ci/run after `npm run build`): ESM and CJS entries load,
// primitives are registered, methods work, and the sub-path entries share one Array class.
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const esm = await import("../../dist/index.js");
const esmNn = await import("../../dist/nn.js");
const esmTesting = await import("../../dist/testing.js");
const subpaths = {};
for (const name of ["random", "optim", "train", "curvature", "io"])
  subpaths[name] = await import(`../../dist/${name}.js`);
const require = createRequire(import.meta.url);
const cjs = require("../../dist/index.cjs");

for (const [name, g] of [
  ["esm", esm],
  ["cjs", cjs],
]) {
  const x = g.np.array([1, 2, 3]);
  assert.equal(x.max().item(), 3, `${name}: max`);
  assert.deepEqual(
    g
      .grad((v) => v.mul(v).sum())(x)
      .tolist(),
    [2, 4, 6],
    `${name}: grad`,
  );
  assert.deepEqual(
    g
      .jit((v) => v.add(1))(x)
      .tolist(),
    [2, 3, 4],
    `${name}: jit`,
  );
}
assert.ok(esmNn.sigmoid(esm.np.array([0])) instanceof esm.Array, "nn entry shares the Array class");
assert.equal(typeof esmTesting.checkGrads, "function", "testing entry exports checkGrads");
assert.deepEqual(subpaths.random.key(0).tolist(), [0, 0], "random entry");
const opt = subpaths.optim.adam(0.1);
const [upd] = opt.update({ w: esm.np.array([1]) }, opt.init({ w: esm.np.array([0]) }));
assert.ok(upd.w instanceof esm.Array, "optim entry shares the Array class");
assert.equal(typeof subpaths.train.batches, "function", "train entry");
assert.equal(typeof subpaths.curvature.hvp, "function", "curvature entry");
const npyBytes = await subpaths.io.saveNpy(esm.np.array([1, 2]));
const loaded = subpaths.io.loadNpy(npyBytes);
assert.ok(loaded instanceof esm.Array, "io entry shares the Array class");
assert.deepEqual(loaded.tolist(), [1, 2], "io entry: .npy round trip");
// graft-ad/fp needs its optional peer fp-ts (a devDependency here).
const fp = await import("../../dist/fp.js");
assert.deepEqual(
  fp
    .grad()((v) => v.mul(v).sum())(esm.np.array([1, 2]))
    .tolist(),
  [2, 4],
  "fp entry: curried grad",
);
assert.deepEqual(
  fp.Functor.map({ a: 1, b: [2] }, (v) => v * 10),
  { a: 10, b: [20] },
  "fp entry: pytree functor",
);
// graft-ad/viz needs its optional peer @dagrejs/dagre (a devDependency here); the CJS build loads it too.
const viz = await import("../../dist/viz.js");
const program = esm.makeJaxpr((v) => v.mul(2).sum())(esm.np.array([1, 2]));
const svg = await viz.programToSvg(program);
assert.ok(svg.startsWith("<svg") && svg.includes("reduce_sum"), "viz entry: SVG of a Program");
assert.ok(program.toDot().startsWith("digraph"), "Program.toDot");
const vizCjs = require("../../dist/viz.cjs");
assert.ok((await vizCjs.programToSvg(program)).includes("</svg>"), "viz entry (CJS)");
console.log("dist smoke test ok: ESM and CJS entries and every sub-path");
