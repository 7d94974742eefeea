import { defineConfig } from "tsup";

const subpaths = ["testing", "nn", "random", "train", "curvature", "optim", "io", "fp", "viz"] as const;

export default defineConfig({
  // Each entry file calls install() in its own body (src/install.ts explains why).
  entry: { index: "src/index.ts", ...Object.fromEntries(subpaths.map((s) => [s, `src/entry/${s}.ts`])) },
  format: ["esm", "cjs"],
  // Declarations come from `tsc -p tsconfig.build.json` (namespaces such as `np` keep their types that way).
  dts: false,
  clean: true,
  // Source maps ship so stack traces from users' programs point into graft's TypeScript sources.
  sourcemap: true,
  target: "es2022",
  treeshake: true,
  // Shared chunks keep one copy of the core (one Array class) across the sub-path entries, in CJS too.
  splitting: true,
  // Chunks live in their own folder so package.json's `sideEffects` can name the entry files alone.
  esbuildOptions(options) {
    options.chunkNames = "chunks/[name]-[hash]";
  },
});
