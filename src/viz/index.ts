/**
 * `graft-ad/viz`: pictures of programs. {@link programToSvg} draws what `makeJaxpr` stages (primitives
 * as nodes, types on edges, sub-programs as clusters) as a standalone SVG, laid out by the optional
 * peer dependency `@dagrejs/dagre` (`npm install @dagrejs/dagre`). `program.toDot()` gives the same
 * graph as Graphviz DOT text and needs nothing.
 *
 * @example
 * import { grad, makeJaxpr, np } from "graft-ad";
 * import { programToSvg } from "graft-ad/viz";
 * const loss = (w: np.Array, x: np.Array) => np.tanh(np.dot(x, w)).square().mean();
 * const svg = await programToSvg(makeJaxpr(grad(loss))(np.ones([3, 2]), np.ones([4, 3])));
 */
import type { Program } from "../core/program.js";
import { type ProgramGraph, type ProgramGraphOptions, programGraph } from "../core/program-graph.js";
import { isDagre, loadDagre } from "./dagre.js";
import { type LayoutOptions, layoutGraph } from "./layout.js";
import { type SvgOptions, layoutToSvg } from "./svg.js";

export type {
  GraphCluster,
  GraphEdge,
  GraphNode,
  GraphNodeKind,
  ProgramGraph,
  ProgramGraphOptions,
} from "../core/program-graph.js";
export { programGraph } from "../core/program-graph.js";
export { type DotOptions, graphToDot, programToDot } from "../core/dot.js";
export { type Dagre, loadDagre } from "./dagre.js";
export { xmlEscape } from "./svg.js";

/** Options of {@link programToSvg}: graph contents, layout direction and SVG ids/title. */
export interface ProgramSvgOptions extends ProgramGraphOptions, LayoutOptions, SvgOptions {}

/**
 * A standalone SVG of a graph made by `programGraph`, laid out with the dagre module given, synchronously.
 * `dagre` is typed loosely (`object`, checked at run time) so that any dagre 3 release's own types fit.
 *
 * @example
 * import * as dagre from "@dagrejs/dagre";
 * const svg = graphToSvgWith(dagre, programGraph(program, { inputNames: ["w", "x"] }));
 */
export function graphToSvgWith(dagre: object, graph: ProgramGraph, options: ProgramSvgOptions = {}): string {
  if (!isDagre(dagre))
    throw new Error(
      `programToSvg: expected the @dagrejs/dagre module (with layout and graphlib.Graph), got ${typeof dagre === "object" && dagre !== null ? `an object with keys [${Object.keys(dagre).join(", ")}]` : String(dagre)}; pass \`import * as dagre from "@dagrejs/dagre"\``,
    );
  const rankdir = options.rankdir ?? "TB";
  if (rankdir !== "TB" && rankdir !== "LR")
    throw new Error(`programToSvg: rankdir must be "TB" or "LR", got ${JSON.stringify(rankdir)}`);
  return layoutToSvg(layoutGraph(graph, dagre, { rankdir }), options);
}

/**
 * A standalone SVG of a graph made by `programGraph` (or built by hand in the same shape).
 *
 * @example
 * const svg = await graphToSvg(programGraph(program, { inputNames: ["w", "x"] }));
 */
export async function graphToSvg(graph: ProgramGraph, options: ProgramSvgOptions = {}): Promise<string> {
  return graphToSvgWith(await loadDagre(), graph, options);
}

/**
 * A standalone SVG of a Program: equations as rounded boxes named by primitive, inputs (blue) and
 * outputs (green) set apart, edges as arrows labelled with their type, sub-programs as titled boxes.
 * Async because the layout library is imported on first use.
 *
 * @example
 * const svg = await programToSvg(makeJaxpr((x: Array) => x.sin().mul(2))(np.ones([3])), { title: "sin·2" });
 * writeFileSync("program.svg", svg);
 */
export async function programToSvg(program: Program, options: ProgramSvgOptions = {}): Promise<string> {
  return graphToSvg(programGraph(program, options), options);
}

/**
 * {@link programToSvg}, synchronously, with a dagre module the caller imported (for code that
 * cannot await, or bundles that load dagre their own way).
 *
 * @example
 * import * as dagre from "@dagrejs/dagre";
 * const svg = programToSvgWith(dagre, makeJaxpr((x: Array) => x.sin())(np.ones([3])));
 */
export function programToSvgWith(dagre: object, program: Program, options: ProgramSvgOptions = {}): string {
  return graphToSvgWith(dagre, programGraph(program, options), options);
}
