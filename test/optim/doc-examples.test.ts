/**
 * The `@example` blocks of the optimizers' TSDoc (sgd.ts, adaptive.ts and the module doc of
 * index.ts) are type-checked and run, so the documented examples stay correct.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as graft from "./_graft.js";
import { optim } from "./_util.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const sources = ["src/optim/sgd.ts", "src/optim/adaptive.ts", "src/optim/index.ts"];

/** The @example blocks of a file: the comment lines after `@example` up to the next tag or the end. */
function examples(file: string): { name: string; code: string }[] {
  const text = readFileSync(join(root, file), "utf8");
  const out: { name: string; code: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export\s+(?:function|const)\s+(\w+))?/g)) {
    const body = (m[1] ?? "").split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    const start = body.findIndex((l) => l.startsWith("@example"));
    if (start < 0) continue;
    const lines: string[] = [];
    for (const l of body.slice(start + 1)) {
      if (l.startsWith("@")) break;
      lines.push(l);
    }
    out.push({ name: `${file}: ${m[2] ?? "module"}`, code: lines.join("\n").trim() });
  }
  return out;
}

const all = sources.flatMap(examples);
const rewriteImports = (code: string, to: (mod: string) => string) =>
  code.replace(/import\s*\{([^}]*)\}\s*from\s*"(graft-ad(?:\/optim)?)";/g, (_m, names: string, mod: string) =>
    to(mod).replace("NAMES", names),
  );

describe("optimizer doc examples", () => {
  it("every optimizer has one", () => {
    const names = all.map((e) => e.name.split(": ")[1]);
    for (const opt of [
      "sgd",
      "adagrad",
      "adadelta",
      "rmsprop",
      "adam",
      "adamw",
      "nadam",
      "adamax",
      "amsgrad",
      "lion",
      "rprop",
      "module",
    ])
      expect(names, opt).toContain(opt);
  });

  it("typecheck", () => {
    const virtual = new Map<string, string>();
    all.forEach((e, i) => {
      const code = rewriteImports(e.code, (mod) =>
        mod === "graft-ad"
          ? `import {NAMES} from ${JSON.stringify(join(here, "_graft.js"))};`
          : `import {NAMES} from ${JSON.stringify(join(root, "src/optim/index.js"))};`,
      );
      virtual.set(join(here, `__doc_example_${i}.ts`), `${code}\nexport {};\n`);
    });
    const configPath = join(root, "tsconfig.json");
    const parsed = ts.parseJsonConfigFileContent(
      ts.readConfigFile(configPath, (p) => ts.sys.readFile(p)).config,
      ts.sys,
      root,
      { noEmit: true },
      configPath,
    );
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, ...rest) => {
      const text = virtual.get(f);
      return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, ...rest);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => virtual.has(f) || fileExists(f);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => virtual.get(f) ?? readFile(f);
    // An example may end on a value it only shows (`const opt = adadelta(1)`), so the unused-locals
    // checks, meant for the library's own code, are off for the snippets.
    const program = ts.createProgram({
      rootNames: [...virtual.keys()],
      options: { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
      host,
    });
    const errors: string[] = [];
    [...virtual.keys()].forEach((f, i) => {
      const sf = program.getSourceFile(f);
      if (sf === undefined) throw new Error(`doc-examples: the program has no source file ${f}`);
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1;
        errors.push(`${all[i]?.name} (line ${line}): ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      }
    });
    if (errors.length) expect.fail(`doc examples have type errors:\n${errors.join("\n")}`);
  });

  it.each(all)("runs: $name", ({ code }) => {
    const js = ts.transpileModule(
      rewriteImports(code, (mod) => (mod === "graft-ad" ? "const {NAMES} = __graft;" : "const {NAMES} = __optim;")),
      { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } },
    ).outputText;
    const logs: unknown[][] = [];
    const run = new Function("__graft", "__optim", "console", js) as (g: unknown, o: unknown, c: unknown) => void;
    run(graft, optim, { log: (...a: unknown[]) => logs.push(a) });
    if (code.includes("console.log(x.item())"))
      expect(logs.map((l) => Number(l[0]))).toEqual([6, 3.5999999046325684, 2.1599998474121094]);
  });
});
