/**
 * A Program as a plain graph, the one description both pictures of a program draw from (DOT text
 * in ./dot.ts, SVG in src/viz): inputs, captured constants, literals, equations and outputs as
 * nodes; values as edges labelled with their type (`f32[4,2]`); every sub-program an equation holds
 * (jit_call's program, cond's branches, while's cond and body, scan's body, custom rules) as a
 * nested cluster whose outputs feed the equation that calls it.
 *
 * Only type imports from ./program.ts: program.ts imports this file (through ./dot.ts) for
 * `Program.toDot`, and a runtime import back would be an import cycle. Literals and Programs are
 * therefore told apart by their fields.
 */
import type { Atom, Eqn, Literal, Program, Var } from "./program.js";

/** What a node stands for: the styles of both renderers key on it. */
export type GraphNodeKind = "input" | "const" | "literal" | "eqn" | "output";

export interface GraphNode {
  /** Unique and deterministic: derived from the node's place in the program, not from variable ids. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The label's lines: a primitive's name then its key params, or an input's name. */
  readonly lines: readonly string[];
  /** The id of the innermost cluster holding the node, or null at the top level. */
  readonly cluster: string | null;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The value's type as the Program printer writes it, e.g. `f32[4,2]`. */
  readonly label: string;
  /** `data`: a value flowing into an equation or output; `call`: a sub-program's result feeding the equation that runs it. */
  readonly kind: "data" | "call";
}

export interface GraphCluster {
  /** Starts with `cluster_`, as Graphviz requires of a subgraph drawn as a box. */
  readonly id: string;
  readonly title: string;
  readonly parent: string | null;
}

export interface ProgramGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly clusters: readonly GraphCluster[];
}

export interface ProgramGraphOptions {
  /** Names for the top-level inputs, in order (defaults: the printer's `a`, `b`, …). */
  readonly inputNames?: readonly string[];
  /** Names for the top-level outputs, in order (defaults: `out 0`, `out 1`, …). */
  readonly outputNames?: readonly string[];
  /** Longest text shown for one param before it is cut with `…` (default 40). */
  readonly maxParamLength?: number;
}

const isLiteral = (a: Atom): a is Literal => "value" in a;

const isProgram = (v: unknown): v is Program =>
  typeof v === "object" && v !== null && "eqns" in v && "inVars" in v && "outs" in v && "constVars" in v;

/** The printer's variable names (a, b, …, z, v26, …), given in order of definition. */
const varName = (i: number): string => (i < 26 ? String.fromCharCode(97 + i) : `v${i}`);

function paramText(v: unknown): string {
  if (globalThis.Array.isArray(v) && v.some((p) => typeof p === "object" && p !== null && !globalThis.Array.isArray(p)))
    return `[${v.map(String).join(", ")}]`;
  try {
    const s = JSON.stringify(v, (_k, x: unknown) =>
      typeof x === "number" && (!Number.isFinite(x) || Object.is(x, -0)) ? String(x) : x,
    );
    return s ?? String(v);
  } catch {
    // BigInts and cyclic objects: their own text is still informative.
    return String(v);
  }
}

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s);

/** The params worth printing under the primitive's name: everything but sub-programs. */
function paramLines(e: Eqn, max: number): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(e.params)) {
    if (isProgram(v) || (globalThis.Array.isArray(v) && v.length > 0 && v.every(isProgram))) continue;
    lines.push(cut(`${k}=${paramText(v)}`, max));
  }
  return lines;
}

/** The sub-programs of an equation, each with the param (and index) naming it. */
function namedSubPrograms(e: Eqn): [string, Program][] {
  const out: [string, Program][] = [];
  for (const [k, v] of Object.entries(e.params)) {
    if (isProgram(v)) out.push([k, v]);
    else if (globalThis.Array.isArray(v)) v.forEach((p, i) => isProgram(p) && out.push([`${k}[${i}]`, p]));
  }
  return out;
}

/**
 * The graph of `program` (see the file's comment for what becomes a node, an edge and a cluster).
 * Deterministic: the same Program gives the same graph, ids included.
 *
 * @example
 * const g = programGraph(makeJaxpr((x: Array) => x.sin())(np.ones([3])));
 * g.nodes.map((n) => n.kind); // ["input", "eqn", "output"]
 */
export function programGraph(program: Program, options: ProgramGraphOptions = {}): ProgramGraph {
  const looksLikeProgram = (p: unknown): p is Program =>
    typeof p === "object" && p !== null && globalThis.Array.isArray((p as Program).eqns);
  if (!looksLikeProgram(program))
    throw new TypeError(
      `programGraph: expected a Program, got ${typeof program === "function" ? "a function" : typeof program === "object" && program !== null ? "an object that is not a Program" : String(program)}; ` +
        "stage the function first: makeJaxpr(f)(...exampleArgs) or jit(f).lower(...args).program",
    );
  const maxParam = options.maxParamLength ?? 40;
  if (!(Number.isInteger(maxParam) && maxParam >= 4))
    throw new Error(`programGraph: maxParamLength must be an integer >= 4, got ${String(maxParam)}`);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const clusters: GraphCluster[] = [];

  /** Adds `p`'s nodes under `prefix` in `cluster`; returns the ids of its output nodes. */
  const addProgram = (p: Program, prefix: string, cluster: string | null, top: boolean): string[] => {
    const producer = new Map<Var, string>();
    let defined = 0;
    const define = (v: Var, id: string): string => {
      producer.set(v, id);
      return varName(defined++);
    };
    p.constVars.forEach((v, i) => {
      const id = `${prefix}const${i}`;
      nodes.push({ id, kind: "const", lines: [`const ${define(v, id)}`, String(v.aval)], cluster });
    });
    p.inVars.forEach((v, i) => {
      const id = `${prefix}in${i}`;
      const name = define(v, id);
      nodes.push({ id, kind: "input", lines: [(top && options.inputNames?.[i]) || name], cluster });
    });
    /** The node an atom comes from: a literal gets a node of its own at each use. */
    const source = (a: Atom, literalId: string): string => {
      if (isLiteral(a)) {
        const text = a.aval.dtype === "bool" ? (a.value ? "true" : "false") : String(a.value);
        nodes.push({ id: literalId, kind: "literal", lines: [text], cluster });
        return literalId;
      }
      const from = producer.get(a);
      if (from === undefined) throw new Error("programGraph: the Program uses a variable it never defines");
      return from;
    };
    p.eqns.forEach((e, j) => {
      const id = `${prefix}e${j}`;
      nodes.push({ id, kind: "eqn", lines: [e.prim, ...paramLines(e, maxParam)], cluster });
      e.inputs.forEach((a, k) =>
        edges.push({ from: source(a, `${id}_lit${k}`), to: id, label: String(a.aval), kind: "data" }),
      );
      for (const [param, sub] of namedSubPrograms(e)) {
        const clusterId = `cluster_${id}_${param.replace(/\W/g, "")}`;
        const name = typeof e.params.name === "string" ? ` ${e.params.name}` : "";
        clusters.push({ id: clusterId, title: `${e.prim}${name}: ${param}`, parent: cluster });
        const subOuts = addProgram(sub, `${clusterId.slice("cluster_".length)}_`, clusterId, false);
        subOuts.forEach((o, k) => edges.push({ from: o, to: id, label: String(sub.outs[k]!.aval), kind: "call" }));
      }
      for (const v of e.outputs) define(v, id);
    });
    return p.outs.map((a, i) => {
      const id = `${prefix}out${i}`;
      const from = source(a, `${id}_lit`);
      nodes.push({ id, kind: "output", lines: [(top && options.outputNames?.[i]) || `out ${i}`], cluster });
      edges.push({ from, to: id, label: String(a.aval), kind: "data" });
      return id;
    });
  };
  addProgram(program, "", null, true);
  return { nodes, edges, clusters };
}
