/**
 * SVG text for a laid-out ProgramGraph. Self-contained so it renders where SVG is shown as an
 * image (GitHub's README, an `<img>` tag): presentation attributes only, system fonts, no scripts
 * or external references, an opaque background (readable in dark themes too) and a viewBox.
 */
import type { GraphNodeKind } from "../core/program-graph.js";
import type { LayoutPoint } from "./dagre.js";
import { FONT, type GraphLayout, type PlacedCluster, type PlacedEdge, type PlacedNode, textWidth } from "./layout.js";

export interface SvgOptions {
  /** The accessible title (`<title>`), also shown as a tooltip (default: none). */
  readonly title?: string;
  /** Prefix of the ids inside the SVG, so several drawings can share one HTML page (default `graft`). */
  readonly idPrefix?: string;
}

/**
 * Text for XML content and attribute values.
 *
 * @example
 * xmlEscape(`a<b & "c"`); // "a&lt;b &amp; &quot;c&quot;"
 */
export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

/** Coordinates to one decimal: enough for a drawing, and the text stays stable. */
const n = (v: number): string => String(Math.round(v * 10) / 10);

const NODE_COLORS: Record<GraphNodeKind, { fill: string; stroke: string; width: number }> = {
  input: { fill: "#dbeafe", stroke: "#1d4ed8", width: 1.6 },
  const: { fill: "#ede9fe", stroke: "#6d28d9", width: 1 },
  literal: { fill: "#f3f4f6", stroke: "#9ca3af", width: 1 },
  eqn: { fill: "#fef3c7", stroke: "#b45309", width: 1 },
  output: { fill: "#dcfce7", stroke: "#15803d", width: 1.6 },
};

function nodeSvg(p: PlacedNode): string {
  const c = NODE_COLORS[p.node.kind];
  const size = p.node.kind === "literal" ? FONT.edge : FONT.node;
  const radius = p.node.kind === "literal" ? p.height / 2 : 6;
  const lineHeight = size * FONT.lineHeight;
  const top = p.y - ((p.node.lines.length - 1) * lineHeight) / 2;
  const text = p.node.lines
    .map((line, i) => {
      const style =
        i === 0
          ? ` font-weight="${p.node.kind === "eqn" ? "bold" : "normal"}"`
          : ` fill="#4b5563" font-size="${n(size - 1)}"`;
      return `<text x="${n(p.x)}" y="${n(top + i * lineHeight)}" dominant-baseline="central"${style}>${xmlEscape(line)}</text>`;
    })
    .join("");
  return (
    `<g class="node ${p.node.kind}" id="${xmlEscape(p.node.id)}">` +
    `<rect x="${n(p.x - p.width / 2)}" y="${n(p.y - p.height / 2)}" width="${n(p.width)}" height="${n(p.height)}" rx="${n(radius)}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="${c.width}"/>` +
    `<g font-size="${size}" text-anchor="middle" fill="#111827">${text}</g></g>`
  );
}

/** A smooth path through dagre's points: straight ends, quadratic bends through the midpoints. */
function pathData(points: readonly LayoutPoint[]): string {
  if (points.length === 0) return "";
  let d = `M${n(points[0]!.x)},${n(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    d += ` Q${n(p.x)},${n(p.y)} ${n((p.x + q.x) / 2)},${n((p.y + q.y) / 2)}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${n(last.x)},${n(last.y)}`;
}

function edgeSvg(e: PlacedEdge, marker: string): string {
  const dash = e.edge.kind === "call" ? ' stroke-dasharray="5,3"' : "";
  const w = textWidth(e.edge.label, FONT.edge) + 4;
  const h = FONT.edge * FONT.lineHeight;
  return (
    `<g class="edge ${e.edge.kind}"><path d="${pathData(e.points)}" fill="none" stroke="#4b5563" stroke-width="1"${dash} marker-end="url(#${marker})"/>` +
    `<rect x="${n(e.labelX - w / 2)}" y="${n(e.labelY - h / 2)}" width="${n(w)}" height="${n(h)}" fill="#ffffff" fill-opacity="0.85"/>` +
    `<text x="${n(e.labelX)}" y="${n(e.labelY)}" font-size="${FONT.edge}" text-anchor="middle" dominant-baseline="central" fill="#374151">${xmlEscape(e.edge.label)}</text></g>`
  );
}

/** The title sits on the box's top border, on a background of its own, like a fieldset's legend. */
function clusterSvg(c: PlacedCluster): string {
  const left = c.x - c.width / 2;
  const top = c.y - c.height / 2;
  const w = textWidth(c.cluster.title, FONT.title) + 8;
  const h = FONT.title * FONT.lineHeight;
  return (
    `<g class="cluster" id="${xmlEscape(c.cluster.id)}">` +
    `<rect x="${n(left)}" y="${n(top)}" width="${n(c.width)}" height="${n(c.height)}" rx="8" fill="#f9fafb" fill-opacity="0.6" stroke="#6b7280" stroke-dasharray="4,3"/>` +
    `<rect x="${n(left + 8)}" y="${n(top - h / 2)}" width="${n(w)}" height="${n(h)}" fill="#ffffff"/>` +
    `<text x="${n(left + 12)}" y="${n(top)}" font-size="${FONT.title}" dominant-baseline="central" fill="#374151">${xmlEscape(c.cluster.title)}</text></g>`
  );
}

/** The box holding every drawn thing (cluster titles stick out above their boxes). */
function bounds(layout: GraphLayout): { x: number; y: number; width: number; height: number } {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number): void => {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  };
  for (const p of layout.nodes) {
    add(p.x - p.width / 2, p.y - p.height / 2);
    add(p.x + p.width / 2, p.y + p.height / 2);
  }
  for (const c of layout.clusters) {
    add(c.x - c.width / 2, c.y - c.height / 2 - FONT.title);
    add(
      Math.max(c.x + c.width / 2, c.x - c.width / 2 + 16 + textWidth(c.cluster.title, FONT.title)),
      c.y + c.height / 2,
    );
  }
  for (const e of layout.edges) {
    for (const p of e.points) add(p.x, p.y);
    const w = textWidth(e.edge.label, FONT.edge) / 2 + 2;
    add(e.labelX - w, e.labelY - FONT.edge);
    add(e.labelX + w, e.labelY + FONT.edge);
  }
  if (x0 === Infinity) return { x: 0, y: 0, width: 1, height: 1 };
  const m = 8;
  return { x: x0 - m, y: y0 - m, width: x1 - x0 + 2 * m, height: y1 - y0 + 2 * m };
}

/**
 * The SVG document of a laid-out graph (see ./layout.ts).
 *
 * @example
 * const svg = layoutToSvg(layoutGraph(programGraph(program), await loadDagre()), { title: "loss" });
 */
export function layoutToSvg(layout: GraphLayout, options: SvgOptions = {}): string {
  const prefix = options.idPrefix ?? "graft";
  if (!/^[A-Za-z][\w-]*$/.test(prefix))
    throw new Error(
      `programToSvg: idPrefix must be a letter then letters, digits, '_' or '-', got ${JSON.stringify(prefix)}`,
    );
  const marker = `${prefix}-arrow`;
  const b = bounds(layout);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(b.width)}" height="${Math.ceil(b.height)}" viewBox="${n(b.x)} ${n(b.y)} ${Math.ceil(b.width)} ${Math.ceil(b.height)}" font-family="${xmlEscape(FONT.family)}">`,
  ];
  if (options.title !== undefined) parts.push(`<title>${xmlEscape(options.title)}</title>`);
  parts.push(
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4b5563"/></marker></defs>`,
    `<rect x="${n(b.x)}" y="${n(b.y)}" width="${Math.ceil(b.width)}" height="${Math.ceil(b.height)}" fill="#ffffff"/>`,
  );
  // Outer clusters first, so inner ones (and then edges and nodes) are drawn over them.
  const depth = new Map<string, number>();
  const depthOf = (id: string | null): number => {
    if (id === null) return 0;
    const known = depth.get(id);
    if (known !== undefined) return known;
    const parent = layout.clusters.find((c) => c.cluster.id === id)?.cluster.parent ?? null;
    const d = 1 + depthOf(parent);
    depth.set(id, d);
    return d;
  };
  const clusters = [...layout.clusters].sort((a, c) => depthOf(a.cluster.id) - depthOf(c.cluster.id));
  for (const c of clusters) parts.push(clusterSvg(c));
  for (const e of layout.edges) parts.push(edgeSvg(e, marker));
  for (const p of layout.nodes) parts.push(nodeSvg(p));
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
