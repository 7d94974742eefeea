import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", testing: "src/testing/index.ts", nn: "src/nn/index.ts", random: "src/random/index.ts", train: "src/train/index.ts", curvature: "src/curvature/index.ts", optim: "src/optim/index.ts" },
  format: ["esm", "cjs"],
  // Declarations come from `tsc -p tsconfig.build.json` (namespaces such as `np` keep their types that way).
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
  // Shared chunks keep one copy of the core (one Array class) across the sub-path entries, in CJS too.
  splitting: true,
});
