/**
 * Places a ProgramGraph with dagre: node boxes sized from their text, edge routes with a spot for
 * each label, and cluster boxes around their members (a compound graph, so clusters nest).
 */
import type { GraphCluster, GraphEdge, GraphNode, ProgramGraph } from "../core/program-graph.js";
import type { Dagre, LayoutPoint } from "./dagre.js";

/** Text metrics: the SVG uses a monospace font, so a line's width follows from its length. */
export const FONT = {
  family: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
  node: 11,
  edge: 9,
  title: 10,
  /** A monospace glyph's advance, as a fraction of the font size (0.6 in the usual system monospaces). */
  advance: 0.6,
  lineHeight: 1.35,
} as const;

/** The width in px of `text` set at `size` in the monospace font. */
export const textWidth = (text: string, size: number): number => [...text].length * size * FONT.advance;

export interface PlacedNode {
  readonly node: GraphNode;
  /** The center, as dagre gives it. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly edge: GraphEdge;
  readonly points: readonly LayoutPoint[];
  /** The label's center. */
  readonly labelX: number;
  readonly labelY: number;
}

export interface PlacedCluster {
  readonly cluster: GraphCluster;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly clusters: readonly PlacedCluster[];
}

export interface LayoutOptions {
  readonly rankdir?: "TB" | "LR";
}

const PAD_X = 10;
const PAD_Y = 6;

/** A node's box: its widest line plus padding, one line height per line. */
function nodeSize(n: GraphNode): { width: number; height: number } {
  const size = n.kind === "literal" ? FONT.edge : FONT.node;
  const widest = Math.max(...n.lines.map((l) => textWidth(l, size)));
  const pad = n.kind === "literal" ? PAD_X / 2 : PAD_X;
  return { width: Math.ceil(widest + 2 * pad), height: Math.ceil(n.lines.length * size * FONT.lineHeight + 2 * PAD_Y) };
}

/**
 * Lays out `graph` with `dagre` (see ./dagre.ts for loading it). Deterministic: dagre's result
 * depends only on the graph and the order nodes and edges are added, which follows the Program.
 *
 * @example
 * const placed = layoutGraph(programGraph(program), await loadDagre());
 */
export function layoutGraph(graph: ProgramGraph, dagre: Dagre, options: LayoutOptions = {}): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: options.rankdir ?? "TB", nodesep: 22, ranksep: 34, edgesep: 8, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of graph.clusters) g.setNode(c.id, {});
  for (const c of graph.clusters) if (c.parent !== null) g.setParent(c.id, c.parent);
  for (const n of graph.nodes) {
    g.setNode(n.id, nodeSize(n));
    if (n.cluster !== null) g.setParent(n.id, n.cluster);
  }
  graph.edges.forEach((e, i) => {
    const height = Math.ceil(FONT.edge * FONT.lineHeight + 2);
    g.setEdge(e.from, e.to, { width: Math.ceil(textWidth(e.label, FONT.edge) + 6), height, labelpos: "c" }, `edge${i}`);
  });
  dagre.layout(g);
  const nodes = graph.nodes.map((node) => {
    const { x, y, width, height } = g.node(node.id);
    return { node, x, y, width, height };
  });
  const clusters = graph.clusters.map((cluster) => {
    const { x, y, width, height } = g.node(cluster.id);
    return { cluster, x, y, width, height };
  });
  const edges = graph.edges.map((edge, i) => {
    const route = g.edge(edge.from, edge.to, `edge${i}`);
    const mid = route.points[Math.floor(route.points.length / 2)] ?? { x: 0, y: 0 };
    return { edge, points: route.points, labelX: route.x ?? mid.x, labelY: route.y ?? mid.y };
  });
  return { nodes, edges, clusters };
}
