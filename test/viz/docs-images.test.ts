/**
 * The README's pictures (docs/images/*.svg, copied from the examples' output) must render where
 * GitHub shows them, as images: well-formed XML, an SVG root with a viewBox and an opaque
 * background, no scripts, external references or web fonts (an <img> loads none of them).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { descendants, parseXml } from "./xml.js";

const dir = new URL("../../docs/images/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".svg"))
  .sort();

describe("docs/images", () => {
  it("holds the README's four pictures", () => {
    expect(files).toEqual(["digits-loss.svg", "mlp-grad-graph.svg", "mlp-loss-graph.svg", "zoo-trajectories.svg"]);
  });

  it.each(files)("%s is a standalone SVG an <img> can show", (file) => {
    const text = readFileSync(new URL(file, dir), "utf8");
    const svg = parseXml(text);
    expect(svg.name).toBe("svg");
    expect(svg.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    const box = svg.attrs.viewBox!.split(/\s+/).map(Number);
    expect(box).toHaveLength(4);
    expect(box[2]).toBeGreaterThan(0);
    expect(box[3]).toBeGreaterThan(0);
    expect(text).not.toMatch(/<script|<foreignObject|href=|@import|@font-face|url\((?!#)/i);
    // An opaque rect covering the viewBox first, so dark themes do not show through.
    const bg = descendants(svg).find((e) => e.name === "rect")!;
    expect(["white", "#ffffff", "#fff"]).toContain(bg.attrs.fill);
    expect([bg.attrs.width, bg.attrs.height].map(Number)).toEqual([box[2], box[3]]);
  });
});
