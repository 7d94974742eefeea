/** Indexing: reads with x.get, pure updates with x.at(...), dynamic slices, take. */
import { np, type Array } from "../../../src/index.js";
import { arg, axisOf, nums, param, type Impl } from "./types.js";

/** The generator's index JSON: ints, { slice: [start, stop, step] }, null (new axis), "...", int lists. */
type IndexJson = number | null | "..." | { slice: (number | null)[] } | number[];
type IndexSpec = Parameters<Array["get"]>[number];

const toIndex = (spec: readonly IndexJson[]): IndexSpec[] =>
  spec.map((s): IndexSpec => {
    if (globalThis.Array.isArray(s)) return np.array(s, { dtype: "int32" });
    if (s !== null && typeof s === "object") return np.slice(s.slice[0], s.slice[1], s.slice[2]);
    return s;
  });

const index = (kw: Readonly<Record<string, unknown>>): IndexSpec[] => toIndex(param<IndexJson[]>(kw, "index"));

/** A start-index vector as traced-style scalars, so out-of-range starts clamp as in lax.dynamic_slice. */
const starts = (a: np.Array): np.Array[] => [...a];

export const INDEXING_CASES: Record<string, Impl> = {
  get: (args, kw) => arg(args, 0).get(...index(kw)),
  atSet: (args, kw) =>
    arg(args, 0)
      .at(...index(kw))
      .set(args[1]!),
  atAdd: (args, kw) =>
    arg(args, 0)
      .at(...index(kw))
      .add(args[1]!),
  atMul: (args, kw) =>
    arg(args, 0)
      .at(...index(kw))
      .mul(args[1]!),
  atMin: (args, kw) =>
    arg(args, 0)
      .at(...index(kw))
      .min(args[1]!),
  atMax: (args, kw) =>
    arg(args, 0)
      .at(...index(kw))
      .max(args[1]!),
  dynamicSlice: (args, kw) => np.dynamicSlice(arg(args, 0), starts(arg(args, 1)), nums(kw, "sizes")),
  dynamicUpdateSlice: (args) => np.dynamicUpdateSlice(arg(args, 0), arg(args, 1), starts(arg(args, 2))),
  take: (args, kw) =>
    np.take(arg(args, 0), arg(args, 1), (axisOf(kw) as number | undefined) ?? null, {
      mode: kw.mode as "fill" | "clip" | "wrap" | undefined,
    }),
  takeAlongAxis: (args, kw) => np.takeAlongAxis(arg(args, 0), arg(args, 1), axisOf(kw) as number),
  getArrays: (args) => arg(args, 0).get(arg(args, 1), arg(args, 2)),
};
