/**
 * Pictures of programs: the computation graph of a small MLP's loss and of its gradient, the
 * figures course notes draw by hand for backpropagation, drawn here from what graft actually runs.
 *
 * The model has one hidden layer (2 → 4 tanh → 1) and a mean-squared-error loss. `makeJaxpr`
 * stages `loss` and `grad(loss)` to Programs; `program.toDot()` writes Graphviz text and
 * `programToSvg` (graft-ad/viz, laid out by the optional peer `@dagrejs/dagre`) draws them. In the
 * gradient's graph the forward pass comes first, then the backward pass runs the same steps in
 * reverse: the transposed matmuls, tanh's derivative 1 − tanh², and the factor 2(ŷ − y)/n from the
 * mean of squares.
 *
 * Run: `npx tsx examples/graph.ts`. Writes examples/out/mlp-loss-graph.{svg,dot} and
 * examples/out/mlp-grad-graph.{svg,dot}; exits with code 1 if a drawing misses an equation.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { grad, makeJaxpr, np } from "../src/index.js";
import { programToSvg } from "../src/viz/index.js";

type Array = np.Array;
type Params = [w1: Array, b1: Array, w2: Array, b2: Array];

const BATCH = 8;
const IN = 2;
const HIDDEN = 4;

/** The MLP's mean squared error on a batch: mean((tanh(x·W1 + b1)·W2 + b2 − y)²). */
function loss([w1, b1, w2, b2]: Params, x: Array, y: Array): Array {
  const hidden = np.tanh(np.dot(x, w1).add(b1));
  const prediction = np.dot(hidden, w2).add(b2);
  return prediction.sub(y).square().mean();
}

const params: Params = [np.ones([IN, HIDDEN]), np.ones([HIDDEN]), np.ones([HIDDEN, 1]), np.ones([1])];
const x = np.ones([BATCH, IN]);
const y = np.ones([BATCH, 1]);
const inputNames = ["W1", "b1", "W2", "b2", "x", "y"];

const figures = [
  { file: "mlp-loss-graph", title: "MLP loss", program: makeJaxpr(loss)(params, x, y), outputNames: ["loss"] },
  {
    file: "mlp-grad-graph",
    title: "gradient of the MLP loss",
    program: makeJaxpr(grad(loss))(params, x, y),
    outputNames: ["dW1", "db1", "dW2", "db2"],
  },
];

const outDir = fileURLToPath(new URL("out/", import.meta.url));
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const { file, title, program, outputNames } of figures) {
  const names = { inputNames, outputNames };
  const svg = await programToSvg(program, { ...names, title });
  writeFileSync(`${outDir}${file}.svg`, svg);
  writeFileSync(`${outDir}${file}.dot`, program.toDot({ ...names, graphName: title }));
  const drawn = svg.match(/<g class="node eqn"/g)?.length ?? 0;
  if (drawn !== program.eqns.length) failed = true;
  console.log(`${title}: ${program.eqns.length} equations (${drawn} drawn) → ${outDir}${file}.svg, .dot`);
}
if (failed) {
  console.error("a drawing does not show every equation of its program");
  process.exit(1);
}
