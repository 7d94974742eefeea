import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lossCurveSvg, writeLossCurveSvg, type History } from "../../src/train/index.js";

/** A history of 3 epochs × 4 steps with a decaying loss and a validation loss. */
function makeHistory(): History {
  const steps = Array.from({ length: 12 }, (_, i) => ({
    step: i + 1,
    epoch: Math.floor(i / 4) + 1,
    size: 8,
    metrics: { loss: 2 * Math.exp(-i / 4), acc: i / 12 },
  }));
  const epochs = [1, 2, 3].map((e) => ({
    epoch: e,
    steps: 4,
    train: { loss: steps.slice(4 * (e - 1), 4 * e).reduce((a, s) => a + s.metrics.loss, 0) / 4 },
    val: { loss: 1.5 / e },
    elapsedMs: 10 * e,
  }));
  return { steps, epochs };
}

const polyline = (svg: string, cls: string): [number, number][] => {
  const m = new RegExp(`<polyline class="${cls}"[^>]* points="([^"]*)"`).exec(svg);
  if (!m) throw new Error(`no polyline ${cls}`);
  return m[1]!.split(" ").map((p) => p.split(",").map(Number) as [number, number]);
};

describe("lossCurveSvg", () => {
  it("draws one point per recorded step, plus epoch-mean and validation curves", () => {
    const h = makeHistory();
    const svg = lossCurveSvg(h, { width: 500, height: 300, title: "Training loss" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('width="500"');
    expect(svg).toContain('height="300"');
    expect(svg).toContain("Training loss");
    const pts = polyline(svg, "steps");
    expect(pts.length).toBe(h.steps.length);
    // x increases with the step; the loss falls, so y (pixels, downwards) increases.
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
      expect(pts[i]![1]).toBeGreaterThan(pts[i - 1]![1]);
    }
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(500);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(300);
    }
    expect(polyline(svg, "epochs").length).toBe(3);
    expect(polyline(svg, "val").length).toBe(3);
    expect(svg).toContain("val loss");
  });

  it("plots another metric, a plain list of values, a log scale; skips non-finite values", () => {
    const h = makeHistory();
    expect(polyline(lossCurveSvg(h, { metric: "acc" }), "steps").length).toBe(12);
    expect(lossCurveSvg(h, { metric: "acc" })).not.toContain('class="val"');
    expect(polyline(lossCurveSvg([3, 2, 1.5, NaN, 1]), "steps").length).toBe(4);
    expect(polyline(lossCurveSvg([5]), "steps").length).toBe(1);
    const log = lossCurveSvg(h, { logScale: true, epochs: false });
    expect(polyline(log, "steps").length).toBe(12);
    expect(log).not.toContain('class="epochs"');
    expect(() => lossCurveSvg([1, 0, -1], { logScale: true })).toThrow(
      /logScale needs every plotted loss value to be > 0/,
    );
    expect(lossCurveSvg([])).toContain("no loss values recorded");
  });

  it("escapes the title and validates the size", () => {
    const svg = lossCurveSvg([1, 2], { title: `a <b> & "c"` });
    expect(svg).toContain("a &lt;b&gt; &amp; &quot;c&quot;");
    expect(svg).not.toContain("<b>");
    expect(() => lossCurveSvg([1], { width: 10 })).toThrow(/at least 100/);
    expect(() => lossCurveSvg({} as History)).toThrow(/expected a fit History/);
  });

  it("writeLossCurveSvg saves the same SVG", async () => {
    const dir = mkdtempSync(join(tmpdir(), "graft-svg-"));
    try {
      const path = join(dir, "loss.svg");
      await writeLossCurveSvg(path, makeHistory(), { title: "t" });
      expect(readFileSync(path, "utf8")).toBe(lossCurveSvg(makeHistory(), { title: "t" }));
      await expect(writeLossCurveSvg("", makeHistory())).rejects.toThrow(/path must be a non-empty string/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
