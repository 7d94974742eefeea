/**
 * Graphviz DOT text for a Program (`program.toDot()`): the graph of ./program-graph.ts with
 * sub-programs as `subgraph cluster_…` boxes. Pure text: no Graphviz is needed to make it, and
 * `dot -Tsvg` (or any DOT viewer) draws it.
 */
import type { Program } from "./program.js";
import {
  type GraphNode,
  type GraphNodeKind,
  type ProgramGraph,
  type ProgramGraphOptions,
  programGraph,
} from "./program-graph.js";

export interface DotOptions extends ProgramGraphOptions {
  /** Layout direction: top to bottom (default) or left to right. */
  readonly rankdir?: "TB" | "LR";
  /** The graph's name (default `program`). */
  readonly graphName?: string;
}

/**
 * A DOT quoted string. DOT itself only escapes `"`, but label text then reads `\` as the start of
 * an escape (`\n`, `\l`, `\N`…), so a backslash is doubled to print as itself; line breaks in the
 * text become `\n`, which centers the next line.
 */
export function dotString(s: string): string {
  return `"${s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, "\\n")}"`;
}

/** A node's label: its lines joined by DOT's centered line break. */
const dotLabel = (lines: readonly string[]): string => lines.map((l) => dotString(l).slice(1, -1)).join("\\n");

const NODE_STYLE: Record<GraphNodeKind, string> = {
  input: 'shape=box style="rounded,filled,bold" fillcolor="#dbeafe" color="#1d4ed8"',
  const: 'shape=box style="rounded,filled" fillcolor="#ede9fe" color="#6d28d9"',
  literal: 'shape=ellipse style=filled fillcolor="#f3f4f6" color="#9ca3af" fontsize=9',
  eqn: 'shape=box style="rounded,filled" fillcolor="#fef3c7" color="#b45309"',
  output: 'shape=box style="rounded,filled,bold" fillcolor="#dcfce7" color="#15803d"',
};

const nodeLine = (n: GraphNode, indent: string): string =>
  `${indent}${dotString(n.id)} [label="${dotLabel(n.lines)}" ${NODE_STYLE[n.kind]}];`;

/**
 * The DOT text of a graph made by `programGraph` (or built by hand in the same shape).
 *
 * @example
 * graphToDot(programGraph(makeJaxpr((x: Array) => x.sin())(np.ones([3]))));
 */
export function graphToDot(graph: ProgramGraph, options: DotOptions = {}): string {
  const rankdir = options.rankdir ?? "TB";
  if (rankdir !== "TB" && rankdir !== "LR")
    throw new Error(`toDot: rankdir must be "TB" or "LR", got ${JSON.stringify(rankdir)}`);
  const lines = [
    `digraph ${dotString(options.graphName ?? "program")} {`,
    `  rankdir=${rankdir};`,
    '  node [fontname="Helvetica" fontsize=10];',
    '  edge [fontname="Helvetica" fontsize=9 color="#4b5563" fontcolor="#374151"];',
  ];
  const emit = (cluster: string | null, indent: string): void => {
    for (const n of graph.nodes) if (n.cluster === cluster) lines.push(nodeLine(n, indent));
    for (const c of graph.clusters) {
      if (c.parent !== cluster) continue;
      lines.push(`${indent}subgraph ${dotString(c.id)} {`);
      lines.push(`${indent}  label=${dotString(c.title)}; style="rounded,dashed"; color="#6b7280"; fontsize=10;`);
      emit(c.id, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(null, "  ");
  for (const e of graph.edges) {
    const style = e.kind === "call" ? " style=dashed" : "";
    lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * The DOT text of a Program (what `program.toDot(options)` returns).
 *
 * @example
 * const dot = programToDot(makeJaxpr((x: Array) => x.sin().mul(2))(np.ones([3])));
 * // digraph "program" { … "e0" [label="sin" …]; "in0" -> "e0" [label="f32[3]"]; … }
 */
export function programToDot(program: Program, options: DotOptions = {}): string {
  return graphToDot(programGraph(program, options), options);
}
