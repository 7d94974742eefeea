/** Without the optional peer `@dagrejs/dagre`, drawing fails with an error that says what to install. */
import { describe, expect, it, vi } from "vitest";
import { makeJaxpr, np } from "../../src/index.js";
import { programToSvg } from "../../src/entry/viz.js";

vi.mock("@dagrejs/dagre", () => {
  throw new Error("Cannot find package '@dagrejs/dagre'");
});

describe("graft-ad/viz without @dagrejs/dagre", () => {
  it("names the package to install, and toDot still works", async () => {
    const p = makeJaxpr((x: np.Array) => x.sin())(np.ones([2]));
    await expect(programToSvg(p)).rejects.toThrow(
      /optional peer dependency '@dagrejs\/dagre'.*npm install @dagrejs\/dagre/,
    );
    expect(p.toDot()).toContain('label="sin"');
  });
});
