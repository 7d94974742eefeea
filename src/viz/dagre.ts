/**
 * Loads the layout library, `@dagrejs/dagre`, an optional peer dependency of `graft-ad/viz`:
 * only drawing needs it, so it is imported on first use (a dynamic import, which the ESM build
 * keeps and the CJS build turns into `require`), and a missing install is reported by name.
 * Only the few calls graft makes are typed here, so graft's types never reference the package.
 */

/** A point of a laid-out edge. */
export interface LayoutPoint {
  x: number;
  y: number;
}

/** The graphlib Graph calls the layout uses (a compound multigraph). */
export interface DagreGraph {
  setGraph(label: Record<string, unknown>): unknown;
  setDefaultEdgeLabel(f: () => Record<string, unknown>): unknown;
  setNode(id: string, label: Record<string, unknown>): unknown;
  setParent(id: string, parent: string): unknown;
  setEdge(from: string, to: string, label: Record<string, unknown>, name: string): unknown;
  node(id: string): { x: number; y: number; width: number; height: number };
  edge(from: string, to: string, name: string): { points: LayoutPoint[]; x?: number; y?: number };
  graph(): { width?: number; height?: number };
}

/** The part of dagre's module graft uses. */
export interface Dagre {
  layout(graph: DagreGraph): void;
  graphlib: { Graph: new (options: { compound: boolean; multigraph: boolean }) => DagreGraph };
}

const PACKAGE = "@dagrejs/dagre";

let loading: Promise<Dagre> | undefined;

/** True when `m` has the calls graft makes (checked so a wrong module fails here, clearly). */
export const isDagre = (m: unknown): m is Dagre =>
  typeof m === "object" &&
  m !== null &&
  typeof (m as Partial<Dagre>).layout === "function" &&
  typeof (m as Partial<Dagre>).graphlib?.Graph === "function";

/**
 * The dagre module, imported once. Rejects with an error naming the package to install when it is
 * missing (the rejection is not cached, so installing it and calling again works).
 *
 * @example
 * const dagre = await loadDagre();
 */
export function loadDagre(): Promise<Dagre> {
  // A literal specifier, so bundlers (and tsup's CJS build) can see and resolve it.
  loading ??= import("@dagrejs/dagre").then(
    (m: unknown) => {
      // ESM gives the namespace; a CJS interop may put the module under `default`.
      const mod = isDagre(m) ? m : (m as { default?: unknown }).default;
      if (!isDagre(mod))
        throw new Error(
          `graft-ad/viz: the installed '${PACKAGE}' lacks layout() and graphlib.Graph; install ${PACKAGE}@^3`,
        );
      return mod;
    },
    (cause: unknown) => {
      loading = undefined;
      throw new Error(
        `graft-ad/viz: drawing a program needs the optional peer dependency '${PACKAGE}', which could not be loaded; install it with \`npm install ${PACKAGE}\` (or use program.toDot(), which needs nothing)`,
        { cause },
      );
    },
  );
  return loading;
}
