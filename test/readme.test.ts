/**
 * Every ```ts block in README.md is typechecked (with the repo's tsconfig.json options) and run as
 * a module (imports of "graft-ad" and its sub-paths point at src/), so the README's examples cannot rot.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = join(root, "test", ".readme-snippets");
const files = blocks.map((_, i) => join(outDir, `block-${i + 1}.ts`));

/** Writes each block to test/.readme-snippets/block-N.ts, with "graft-ad" imports pointing at src/. */
function writeSnippets(): void {
  mkdirSync(outDir, { recursive: true });
  blocks.forEach((code, i) => {
    const src = code
      .replace(
        /from "graft-ad\/([a-z]+)"/g,
        (_m, sub: string) => `from ${JSON.stringify(join(root, `src/entry/${sub}.js`))}`,
      )
      .replace(/from "graft-ad"/g, `from ${JSON.stringify(join(root, "src/index.js"))}`);
    writeFileSync(files[i]!, `${src}\nexport {};\n`);
  });
}

/** Type errors in the snippet files (one program for all of them), as `file:line: message` lines. */
function typecheckSnippets(): string[] {
  const configPath = join(root, "tsconfig.json");
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) return [ts.flattenDiagnosticMessageText(read.error.messageText, "\n")];
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, { noEmit: true }, configPath);
  // Snippets show a result by naming it (`const [y, dy] = jvp(...)`): unused names are fine in examples.
  const options = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const program = ts.createProgram({ rootNames: files, options });
  // Only the snippets' own errors (plus global ones, e.g. bad options): src/ is checked by `tsc`,
  // and checking just these files keeps this fast.
  const diags: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (!sf) {
      diags.push({
        category: ts.DiagnosticCategory.Error,
        code: 0,
        file: undefined,
        start: undefined,
        length: undefined,
        messageText: `${f} was not loaded`,
      });
      continue;
    }
    diags.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  }
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return `error TS${d.code}: ${msg}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(root, d.file.fileName)}:${line + 1}:${character + 1}: error TS${d.code}: ${msg}`;
  });
}

describe("README examples", () => {
  beforeAll(writeSnippets);

  it("has examples", () => {
    expect(blocks.length).toBeGreaterThan(8);
  });

  it("typecheck", () => {
    const errors = typecheckSnippets();
    if (errors.length) expect.fail(`README snippets have ${errors.length} type error(s):\n${errors.join("\n")}`);
  });

  blocks.forEach((code, i) => {
    const title = code.split("\n").find((l) => l.startsWith("//") || l.startsWith("const")) ?? "";
    it(`block ${i + 1}: ${title.slice(0, 60)}`, async () => {
      const logs: unknown[][] = [];
      const orig = console.log;
      console.log = (...a: unknown[]) => void logs.push(a);
      try {
        await import(/* @vite-ignore */ files[i]!);
      } finally {
        console.log = orig;
      }
      expect(logs.length).toBeGreaterThan(0);
    });
  });
});
