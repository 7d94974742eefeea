/**
 * `program.toDot()`: the DOT text of a Program. Graphviz is not needed in CI: a small DOT parser
 * below checks the syntax (the grammar of https://graphviz.org/doc/info/lang.html, for the
 * statements toDot writes) and gives back nodes, edges and clusters to check the structure against
 * what each traced function must stage.
 */
import { describe, expect, it } from "vitest";
import { cond, jit, makeJaxpr, np, scan, whileLoop } from "../../src/index.js";
import { dotString } from "../../src/core/dot.js";
import { programGraph } from "../../src/core/program-graph.js";

interface ParsedDot {
  name: string;
  /** id → [label, enclosing cluster ids from the outside in] */
  nodes: Map<string, { label: string; clusters: string[] }>;
  edges: { from: string; to: string; label: string; dashed: boolean }[];
  clusters: Map<string, { label: string; parents: string[] }>;
}

/** DOT tokens: quoted strings (with `\"` escapes), bare ids and numerals, `->` and punctuation. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw new Error(`unterminated string at ${i}`);
      tokens.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (text.startsWith("->", i)) {
      tokens.push("->");
      i += 2;
    } else if ("{}[];=,".includes(c)) {
      tokens.push(c);
      i++;
    } else {
      const m = /^(?:[A-Za-z_][\w]*|-?(?:\.\d+|\d+(?:\.\d*)?))/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
      tokens.push(m[0]);
      i += m[0].length;
    }
  }
  return tokens;
}

/** The value of an id token: a quoted string unescaped the way DOT does (only `\"`). */
const idValue = (t: string): string => (t.startsWith('"') ? t.slice(1, -1).replace(/\\"/g, '"') : t);
const isId = (t: string | undefined): t is string => t !== undefined && !"{}[];=,->".includes(t);

function parseDot(text: string): ParsedDot {
  const tk = tokenize(text);
  let pos = 0;
  const expect_ = (t: string): void => {
    if (tk[pos] !== t) throw new Error(`expected ${t} at token ${pos}, got ${tk[pos]}`);
    pos++;
  };
  const id = (): string => {
    const t = tk[pos++];
    if (!isId(t)) throw new Error(`expected an id at token ${pos - 1}, got ${t}`);
    return idValue(t);
  };
  const attrs = (): Map<string, string> => {
    const out = new Map<string, string>();
    while (tk[pos] === "[") {
      pos++;
      while (tk[pos] !== "]") {
        const k = id();
        expect_("=");
        out.set(k, id());
        if (tk[pos] === "," || tk[pos] === ";") pos++;
      }
      pos++;
    }
    return out;
  };
  const out: ParsedDot = { name: "", nodes: new Map(), edges: [], clusters: new Map() };
  expect_("digraph");
  out.name = id();
  const stmts = (stack: string[]): void => {
    expect_("{");
    while (tk[pos] !== "}") {
      if (tk[pos] === undefined) throw new Error("unbalanced braces");
      if (tk[pos] === "subgraph") {
        pos++;
        const name = id();
        const before = pos;
        out.clusters.set(name, { label: "", parents: [...stack] });
        stmts([...stack, name]);
        // A cluster's own `label=…;` statements were recorded under the key "label:<name>".
        const label = out.clusters.get(`label:${name}`)?.label ?? "";
        out.clusters.delete(`label:${name}`);
        out.clusters.set(name, { label, parents: out.clusters.get(name)!.parents });
        expect(pos).toBeGreaterThan(before);
      } else if (["node", "edge", "graph"].includes(tk[pos]!) && tk[pos + 1] === "[") {
        pos++;
        attrs();
      } else {
        const a = id();
        if (tk[pos] === "=") {
          pos++;
          const v = id();
          if (a === "label" && stack.length > 0) out.clusters.set(`label:${stack.at(-1)}`, { label: v, parents: [] });
        } else if (tk[pos] === "->") {
          pos++;
          const b = id();
          const at = attrs();
          out.edges.push({ from: a, to: b, label: at.get("label") ?? "", dashed: at.get("style") === "dashed" });
        } else {
          const at = attrs();
          if (out.nodes.has(a)) throw new Error(`node ${a} declared twice`);
          out.nodes.set(a, { label: at.get("label") ?? a, clusters: [...stack] });
        }
      }
      if (tk[pos] === ";") pos++;
    }
    pos++;
  };
  stmts([]);
  if (pos !== tk.length) throw new Error(`trailing tokens after the graph: ${tk.slice(pos).join(" ")}`);
  for (const e of out.edges)
    if (!out.nodes.has(e.from) || !out.nodes.has(e.to))
      throw new Error(`edge ${e.from} -> ${e.to} names an undeclared node`);
  return out;
}

const labelsOf = (d: ParsedDot, kind: "first" | "all" = "first"): string[] =>
  [...d.nodes.values()].map((n) => (kind === "first" ? n.label.split("\\n")[0]! : n.label));

// An MLP-style loss: its Program has a known list of equations (one per jnp call, in order).
const loss = (w: np.Array, x: np.Array) => np.tanh(np.dot(x, w)).square().sum();
const lossProgram = () => makeJaxpr(loss)(np.ones([3, 2]), np.ones([4, 3]));

describe("toDot", () => {
  it("writes inputs, one node per equation, outputs, and typed edges between them", () => {
    const p = lossProgram();
    const d = parseDot(p.toDot({ inputNames: ["w", "x"] }));
    expect(d.name).toBe("program");
    const prims = p.eqns.map((e) => e.prim);
    expect(prims).toEqual(["dot_general", "tanh", "integer_pow", "reduce_sum"]);
    expect(labelsOf(d)).toEqual(["w", "x", ...prims, "out 0"]);
    // dot(x, w): x (f32[4,3]) and w (f32[3,2]) flow into dot_general, whose f32[4,2] goes to tanh …
    const edge = (from: string, to: string) =>
      d.edges.filter((e) => e.from === from && e.to === to).map((e) => e.label);
    expect(edge("in1", "e0")).toEqual(["f32[4,3]"]);
    expect(edge("in0", "e0")).toEqual(["f32[3,2]"]);
    expect(edge("e0", "e1")).toEqual(["f32[4,2]"]);
    expect(edge("e2", "e3")).toEqual(["f32[4,2]"]);
    // … and the sum is a scalar.
    expect(edge("e3", "out0")).toEqual(["f32[]"]);
    expect(d.edges).toHaveLength(6);
    // Key params go under the primitive's name.
    expect(d.nodes.get("e2")!.label).toBe("integer_pow\\ny=2");
    expect(d.nodes.get("e3")!.label).toBe("reduce_sum\\naxes=[0,1]");
  });

  it("gives each literal use a node of its own", () => {
    const p = makeJaxpr((x: np.Array) => x.mul(3).add(3))(np.ones([2]));
    const d = parseDot(p.toDot());
    const literals = p.eqns.flatMap((e) => e.inputs).filter((a) => "value" in a);
    const literalNodes = [...d.nodes.keys()].filter((k) => k.includes("_lit"));
    expect(literalNodes).toHaveLength(literals.length);
    expect(literals.length).toBeGreaterThan(0);
    for (const k of literalNodes) expect(d.nodes.get(k)!.label).toBe("3");
  });

  it("draws captured constants as nodes", () => {
    const c = np.array([1, 2]);
    const p = makeJaxpr((x: np.Array) => x.add(c.exp()))(np.ones([2]));
    const d = parseDot(p.toDot());
    expect(p.constVars.length).toBeGreaterThan(0);
    const consts = [...d.nodes.entries()].filter(([k]) => k.startsWith("const"));
    expect(consts).toHaveLength(p.constVars.length);
    expect(consts[0]![1].label).toMatch(/^const [a-z]\\nf32\[2\]$/);
  });

  it("draws sub-programs as clusters whose outputs feed the calling equation", () => {
    const inner = (y: np.Array) => y.sin();
    const p = makeJaxpr((x: np.Array) => jit((y: np.Array) => jit(inner)(y).mul(2))(x))(np.ones([2]));
    const d = parseDot(p.toDot());
    const clusters = [...d.clusters.entries()];
    expect(clusters).toHaveLength(2);
    const [outer, nested] = clusters;
    expect(outer![0]).toMatch(/^cluster_/);
    expect(outer![1].parents).toEqual([]);
    expect(nested![1].parents).toEqual([outer![0]]);
    expect(nested![1].label).toContain("jit_call inner");
    // sin lives in the nested cluster, and its program's output flows (dashed) into its jit_call.
    const sin = [...d.nodes.entries()].find(([, n]) => n.label === "sin")!;
    expect(sin[1].clusters).toEqual([outer![0], nested![0]]);
    const calls = d.edges.filter((e) => e.dashed);
    expect(calls).toHaveLength(2);
    for (const e of calls) expect(d.nodes.get(e.to)!.label.split("\\n")[0]).toBe("jit_call");
  });

  it("draws cond's branches, whileLoop's cond and body, and scan's body as clusters", () => {
    const pc = makeJaxpr((x: np.Array) =>
      cond(
        np.greater(x.sum(), 0),
        (y: np.Array) => y.exp(),
        (y: np.Array) => y.neg(),
        x,
      ),
    )(np.ones([2]));
    const c = parseDot(pc.toDot());
    expect([...c.clusters.values()].map((v) => v.label)).toEqual(["cond: branches[0]", "cond: branches[1]"]);
    const pw = makeJaxpr((x: np.Array) =>
      whileLoop(
        (v: np.Array) => np.less(v.sum(), 10),
        (v: np.Array) => v.mul(2),
        x,
      ),
    )(np.ones([2]));
    expect([...parseDot(pw.toDot()).clusters.values()].map((v) => v.label)).toEqual(["while: cond", "while: body"]);
    const ps = makeJaxpr((xs: np.Array) =>
      scan((carry: np.Array, x: np.Array) => [carry.add(x), carry] as const, np.zeros([2]), xs),
    )(np.ones([3, 2]));
    const s = parseDot(ps.toDot());
    expect([...s.clusters.values()].map((v) => v.label)).toEqual(["scan: body"]);
    // The body's two outputs (new carry, y) feed the scan equation.
    expect(s.edges.filter((e) => e.dashed).map((e) => e.label)).toEqual(["f32[2]", "f32[2]"]);
  });

  it("escapes quotes, backslashes and line breaks in labels and names", () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    const f = (y: np.Array) => y.sin();
    Object.defineProperty(f, "name", { value: 'my "fun" \\ {x}' });
    const p = makeJaxpr((x: np.Array) => jit(f)(x))(np.ones([2]));
    const text = p.toDot({ inputNames: ['x"]; evil -> "y'], graphName: "g{1}" });
    const d = parseDot(text);
    expect(d.name).toBe("g{1}");
    expect(d.nodes.get("in0")!.label).toBe('x"]; evil -> "y');
    expect([...d.clusters.values()][0]!.label).toBe('jit_call my "fun" \\\\ {x}: program');
    // Nothing but the declared nodes (input, jit_call, output; inside: input, sin, output): the
    // quotes did not open new statements.
    expect(d.nodes.size).toBe(6);
  });

  it("is deterministic: the same function traced twice gives the same text (ids do not leak)", () => {
    expect(lossProgram().toDot()).toBe(lossProgram().toDot());
    expect(lossProgram().toDot({ rankdir: "LR" })).toContain("rankdir=LR;");
  });

  it("cuts long params and rejects bad options by name", () => {
    const p = makeJaxpr((x: np.Array) => x.reshape([1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))(np.ones([2]));
    const g = programGraph(p, { maxParamLength: 12 });
    const line = g.nodes.find((n) => n.kind === "eqn")!.lines[1]!;
    expect(line).toHaveLength(12);
    expect(line.endsWith("…")).toBe(true);
    expect(() => programGraph(p, { maxParamLength: 2 })).toThrow(
      /programGraph: maxParamLength must be an integer >= 4, got 2/,
    );
    // @ts-expect-error: a bad direction, as plain JavaScript could pass it
    expect(() => p.toDot({ rankdir: "up" })).toThrow(/toDot: rankdir must be "TB" or "LR", got "up"/);
  });

  it("rejects what is not a Program, naming how to stage one", () => {
    const f = (x: np.Array) => x.sin();
    expect(() => programGraph(f as never)).toThrow(
      /programGraph: expected a Program, got a function; stage .*makeJaxpr/,
    );
    expect(() => programGraph({} as never)).toThrow(/got an object that is not a Program/);
    expect(() => programGraph(undefined as never)).toThrow(/got undefined/);
  });
});
