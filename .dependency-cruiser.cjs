/**
 * Import rules for graft (see docs/architecture.md). Layers, from the bottom:
 *   tree → core → interpreters → lax → numpy → transforms → libraries → entry points.
 * A file may import its own layer and the layers below it; backends/ sees only src/core.
 * Cycles are checked on runtime imports (type-only imports are erased by the compiler).
 */
const below = {
  tree: ["^src/tree/"],
  core: ["^src/tree/", "^src/core/"],
  interpreters: ["^src/tree/", "^src/core/", "^src/interpreters/"],
  lax: ["^src/tree/", "^src/core/", "^src/interpreters/", "^src/lax/"],
  numpy: ["^src/tree/", "^src/core/", "^src/interpreters/", "^src/lax/", "^src/numpy/"],
  transforms: ["^src/tree/", "^src/core/", "^src/interpreters/", "^src/lax/", "^src/numpy/", "^transforms/"],
};
const layerRule = (name, from) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${below[name].join(", ")} (and packages)`,
  severity: "error",
  from: { path: from },
  to: { path: "^(src|transforms|backends)/", pathNot: below[name] },
});

module.exports = {
  forbidden: [
    {
      name: "no-runtime-cycles",
      comment: "No runtime import cycle between files.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    layerRule("tree", "^src/tree/"),
    layerRule("core", "^src/core/"),
    layerRule("interpreters", "^src/interpreters/"),
    layerRule("lax", "^src/lax/"),
    layerRule("numpy", "^src/numpy/"),
    layerRule("transforms", "^transforms/"),
    {
      name: "libraries-not-entries",
      comment: "Libraries import the modules they use, never a package entry point or a backend.",
      severity: "error",
      from: { path: "^src/(random|nn|optim|train|curvature|testing|fp|io|viz)/" },
      to: { path: ["^src/index\\.ts$", "^src/install\\.ts$", "^backends/"] },
    },
    {
      name: "backends-see-core-only",
      comment: "Backends import core types, primitive parameters and each other (kernel plan, reference kernels).",
      severity: "error",
      from: { path: "^backends/" },
      to: { path: "^(src|transforms)/", pathNot: ["^src/core/"] },
    },
    {
      name: "only-install-registers-backends",
      comment: "The core never imports a backend: src/install.ts registers them.",
      severity: "error",
      from: { path: "^(src|transforms)/", pathNot: ["^src/install\\.ts$", "^src/index\\.ts$"] },
      to: { path: "^backends/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
