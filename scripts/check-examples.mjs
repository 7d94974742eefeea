/**
 * Lists the exported functions of graft's public entry points (typedoc.json's entryPoints) whose
 * TSDoc has no `@example` block, and prints how many there are. Informational: it exits 0 whatever
 * the count (1 only if TypeDoc cannot convert the project).
 *
 *   node scripts/check-examples.mjs          # the count, then one qualified name per line
 *   node scripts/check-examples.mjs --json   # the same as JSON
 *
 * It runs TypeDoc's converter with the options of typedoc.json, so it sees what `npm run docs`
 * documents (`@internal` and private members excluded). "Functions" are function declarations and
 * exported constants whose type is callable (`export const relu = (x) => ...`, `export const split =
 * API.split`). A function exported from several entry points (`nn.relu` from `graft`, `relu` from
 * `graft/nn`) is converted once and counted once, under its first name.
 */
import { Application, Converter, LogLevel, ReflectionKind } from "typedoc";

const app = await Application.bootstrapWithPlugins({ logLevel: LogLevel.Error });

/** Ids of variable reflections whose type has call signatures (decided while the checker is at hand). */
const callableVariables = new Set();
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  if (!reflection.kindOf(ReflectionKind.Variable)) return;
  const symbol = context.getSymbolFromReflection(reflection);
  if (symbol && context.checker.getTypeOfSymbol(symbol).getCallSignatures().length > 0)
    callableVariables.add(reflection.id);
});

const project = await app.convert();
if (!project) {
  console.error("check-examples: TypeDoc could not convert the project");
  process.exit(1);
}

const hasExampleTag = (c) => Boolean(c?.getTag("@example"));
/** True when the reflection, its call signatures, or those of its inline function type carry `@example`. */
function hasExample(r) {
  const sigs = [
    ...(r.signatures ?? []),
    ...(r.type?.type === "reflection" ? (r.type.declaration.signatures ?? []) : []),
  ];
  return hasExampleTag(r.comment) || sigs.some((s) => hasExampleTag(s.comment));
}

const functions = [
  ...project.getReflectionsByKind(ReflectionKind.Function),
  ...project.getReflectionsByKind(ReflectionKind.Variable).filter((r) => callableVariables.has(r.id)),
];
const missing = functions
  .filter((r) => !hasExample(r))
  .map((r) => r.getFullName())
  .sort((a, b) => a.localeCompare(b));

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ functions: functions.length, withoutExample: missing.length, names: missing }, null, 2));
} else {
  console.log(`${missing.length} of ${functions.length} exported functions have no @example:`);
  for (const name of missing) console.log(`  ${name}`);
}
