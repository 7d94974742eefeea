/**
 * `programToSvg`: a standalone SVG of a Program, laid out with dagre. The drawing is parsed back as
 * XML and checked against what the traced function must stage: one box per input, equation and
 * output, one labelled arrow per value, clusters around sub-programs' nodes.
 */
import { describe, expect, it } from "vitest";
import { jit, makeJaxpr, np } from "../../src/index.js";
import * as dagre from "@dagrejs/dagre";
import { programGraph, programToSvg, programToSvgWith } from "../../src/entry/viz.js";
import { descendants, parseXml, textOf, type XmlElement } from "./xml.js";

// No literals or constants: every node is an input, an equation or an output.
const loss = (w: np.Array, x: np.Array) => np.tanh(np.dot(x, w)).square().sum();
const lossProgram = () => makeJaxpr(loss)(np.ones([3, 2]), np.ones([4, 3]));

const byClass = (svg: XmlElement, cls: string): XmlElement[] =>
  descendants(svg).filter((e) => e.name === "g" && (e.attrs.class ?? "").split(" ").includes(cls));
/** A node's first label line: its name or primitive. */
const firstLine = (g: XmlElement): string => descendants(g).find((e) => e.name === "text")!.text;
const rectOf = (g: XmlElement) => {
  const r = g.children.find((c) => c.name === "rect")!;
  const [x, y, w, h] = ["x", "y", "width", "height"].map((k) => Number(r.attrs[k]));
  return { x: x!, y: y!, w: w!, h: h!, stroke: r.attrs.stroke };
};

describe("programToSvg", () => {
  it("draws one node per input, equation and output, and one labelled arrow per edge", async () => {
    const p = lossProgram();
    const svg = parseXml(await programToSvg(p, { inputNames: ["w", "x"] }));
    expect(svg.name).toBe("svg");
    expect(svg.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    const nodes = byClass(svg, "node");
    expect(nodes).toHaveLength(p.eqns.length + p.inVars.length + p.outs.length);
    expect(nodes.map(firstLine)).toEqual(["w", "x", ...p.eqns.map((e) => e.prim), "out 0"]);
    expect(p.eqns.map((e) => e.prim)).toEqual(["dot_general", "tanh", "integer_pow", "reduce_sum"]);
    expect(byClass(svg, "eqn").map(firstLine)).toEqual(p.eqns.map((e) => e.prim));
    // Edges: x and w into dot_general, then one per step, then the scalar out: the labels are the types.
    const edges = byClass(svg, "edge");
    expect(edges.map((g) => textOf(g))).toEqual(["f32[4,3]", "f32[3,2]", "f32[4,2]", "f32[4,2]", "f32[4,2]", "f32[]"]);
    for (const g of edges) {
      const path = g.children.find((c) => c.name === "path")!;
      expect(path.attrs.d).toMatch(/^M[\d.,-]+ .*L[\d.,-]+$/);
      expect(path.attrs["marker-end"]).toBe("url(#graft-arrow)");
    }
    expect(
      descendants(svg)
        .filter((e) => e.name === "marker")
        .map((m) => m.attrs.id),
    ).toEqual(["graft-arrow"]);
  });

  it("sets inputs and outputs apart from equations", async () => {
    const svg = parseXml(await programToSvg(lossProgram()));
    const strokes = (cls: string) => new Set(byClass(svg, cls).map((g) => rectOf(g).stroke));
    const [input, eqn, output] = [strokes("input"), strokes("eqn"), strokes("output")];
    expect([input.size, eqn.size, output.size]).toEqual([1, 1, 1]);
    expect(new Set([...input, ...eqn, ...output]).size).toBe(3);
  });

  it("is self-contained for an <img>: viewBox covering every box, no scripts or external references", async () => {
    const text = await programToSvg(lossProgram(), { title: "loss" });
    const svg = parseXml(text);
    const [vx, vy, vw, vh] = svg.attrs.viewBox!.split(" ").map(Number) as [number, number, number, number];
    expect([vw, vh]).toEqual([Number(svg.attrs.width), Number(svg.attrs.height)]);
    for (const g of byClass(svg, "node")) {
      const r = rectOf(g);
      expect(r.x).toBeGreaterThanOrEqual(vx);
      expect(r.y).toBeGreaterThanOrEqual(vy);
      expect(r.x + r.w).toBeLessThanOrEqual(vx + vw);
      expect(r.y + r.h).toBeLessThanOrEqual(vy + vh);
    }
    expect(text).not.toMatch(/<script|<foreignObject|href=|@import|url\((?!#)/);
    expect(svg.children.find((c) => c.name === "title")?.text).toBe("loss");
  });

  it("boxes a sub-program's nodes in a titled cluster", async () => {
    const p = makeJaxpr((x: np.Array) =>
      jit(function inner(y: np.Array) {
        return y.sin().exp();
      })(x).mul(x),
    )(np.ones([2]));
    const svg = parseXml(await programToSvg(p));
    const clusters = byClass(svg, "cluster");
    expect(clusters).toHaveLength(1);
    expect(textOf(clusters[0]!)).toBe("jit_call inner: program");
    const box = rectOf(clusters[0]!);
    const inside = programGraph(p).nodes.filter((n) => n.cluster === clusters[0]!.attrs.id);
    // The sub-program's input, sin, exp and output.
    expect(inside.map((n) => n.lines[0])).toEqual(["a", "sin", "exp", "out 0"]);
    for (const n of inside) {
      const r = rectOf(byClass(svg, "node").find((g) => g.attrs.id === n.id)!);
      expect(r.x).toBeGreaterThan(box.x);
      expect(r.y).toBeGreaterThan(box.y);
      expect(r.x + r.w).toBeLessThan(box.x + box.w);
      expect(r.y + r.h).toBeLessThan(box.y + box.h);
    }
    // The call edge from the sub-program's output into jit_call is dashed.
    const calls = byClass(svg, "call");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.children[0]!.attrs["stroke-dasharray"]).toBeDefined();
  });

  it("escapes markup in names and titles", async () => {
    const name = `<w & "v">'`;
    const text = await programToSvg(lossProgram(), { inputNames: [name, "x"], title: "a<b>&c" });
    const svg = parseXml(text);
    expect(textOf(byClass(svg, "input")[0]!)).toBe(name);
    expect(svg.children.find((c) => c.name === "title")?.text).toBe("a<b>&c");
    expect(text).not.toContain(name);
  });

  it("is deterministic and lets several drawings share a page through idPrefix", async () => {
    expect(await programToSvg(lossProgram())).toBe(await programToSvg(lossProgram()));
    const other = await programToSvg(lossProgram(), { idPrefix: "second", rankdir: "LR" });
    expect(other).toContain('marker id="second-arrow"');
    expect(other).not.toContain("graft-arrow");
  });

  it("rejects bad options by name", async () => {
    await expect(programToSvg(lossProgram(), { idPrefix: "1 bad" })).rejects.toThrow(
      /programToSvg: idPrefix must be a letter then letters, digits, '_' or '-', got "1 bad"/,
    );
    // @ts-expect-error: a bad direction, as plain JavaScript could pass it
    await expect(programToSvg(lossProgram(), { rankdir: "up" })).rejects.toThrow(
      /programToSvg: rankdir must be "TB" or "LR", got "up"/,
    );
  });
});

describe("the tests' XML checker", () => {
  it("rejects what an SVG viewer would reject", () => {
    expect(() => parseXml("<a><b></a>")).toThrow(/closes/);
    expect(() => parseXml("<a>x & y</a>")).toThrow(/bad '&'/);
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow(/duplicate attribute/);
    expect(() => parseXml("<a b=1/>")).toThrow(/malformed tag/);
    expect(() => parseXml("<a>")).toThrow(/unclosed/);
    expect(parseXml('<a t="&lt;&amp;">1 &gt; 0</a>')).toMatchObject({ name: "a", attrs: { t: "<&" }, text: "1 > 0" });
  });
});

describe("programToSvgWith", () => {
  it("draws synchronously with the dagre module a caller imported, the same picture", async () => {
    const p = lossProgram();
    const svg = programToSvgWith(dagre, p, { title: "t" });
    expect(svg).toBe(await programToSvg(p, { title: "t" }));
  });

  it("rejects something that is not dagre, saying what it got", () => {
    expect(() => programToSvgWith({ layout: 1 }, lossProgram())).toThrow(
      /programToSvg: expected the @dagrejs\/dagre module .* got an object with keys \[layout\]/,
    );
  });
});
