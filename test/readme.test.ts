/**
 * Every ```ts block in README.md is run as a module (imports of "graft" point at src/), so the
 * README's examples cannot rot.
 */
import { describe, it, expect } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = join(root, "test", ".readme-snippets");

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThan(8);
  });
  blocks.forEach((code, i) => {
    const title = code.split("\n").find((l) => l.startsWith("//") || l.startsWith("const")) ?? "";
    it(`block ${i + 1}: ${title.slice(0, 60)}`, async () => {
      mkdirSync(outDir, { recursive: true });
      const src = code
        .replace(/from "graft\/testing"/g, `from ${JSON.stringify(join(root, "src/testing/index.js"))}`)
        .replace(/from "graft"/g, `from ${JSON.stringify(join(root, "src/index.js"))}`);
      const file = join(outDir, `block-${i + 1}.ts`);
      writeFileSync(file, `${src}\nexport {};\n`);
      const logs: unknown[][] = [];
      const orig = console.log;
      console.log = (...a: unknown[]) => void logs.push(a);
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        console.log = orig;
      }
      expect(logs.length).toBeGreaterThan(0);
    });
  });
});
