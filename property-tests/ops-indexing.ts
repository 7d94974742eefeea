/** Advanced indexing and take modes for the gradient / hessian / vmap / jit tables (all in-range or constant-filled, so finite differences apply). */
import { np } from "../src/index.js";
import { REAL } from "./helpers.js";
import type { UnarySpec } from "./ops.js";

const u = (name: string, f: UnarySpec["f"], extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom: REAL,
  minRank: 2,
  minDim: 2,
  ...extra,
});
const i32 = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });

export const ADVANCED_INDEXING: UnarySpec[] = [
  u("get(int32, int32) adjacent", (x) => x.get(i32([1, 0, 1]), i32([0, 1, 1]))),
  u('get(int32, "...", int32) separated', (x) => x.get(i32([1, 0]), "...", i32([0, -1]))),
  u("get(int32 [2,1], int32 [3]) broadcast", (x) => x.get(i32([[0], [1]]), i32([1, 0, 1]))),
  u("get(slice, int32, null)", (x) => x.get(np.slice(null, null, -1), i32([-1, 0]), null)),
  // A JS list of booleans: concrete under every transform and on every backend (no device read).
  u("get(static mask)", (x) => x.get(Array.from({ length: x.shape[0]! }, (_, i) => i > 0))),
  u("at(int32, int32).add(sin x[...]) duplicates", (x) =>
    x.at(i32([0, 1, 0]), i32([1, 1, 1])).add(x.get(i32([1, 0, 1]), i32([0, 0, 0])).sin()),
  ),
  u('at(int32, "...", int32).set(2 x[...])', (x) =>
    x.at(i32([0, 1]), "...", i32([1, 0])).set(x.get(i32([1, 1]), "...", i32([0, 0])).mul(2)),
  ),
  u("take fill (fillValue 0.5)", (x) => np.take(x, i32([0, 99, -1, -99]), null, { fillValue: 0.5 }), {
    minRank: 1,
    minDim: 1,
  }),
  u("take wrap", (x) => np.take(x, i32([7, -3, 1]), -1, { mode: "wrap" }), { minRank: 1, minDim: 1 }),
  u("take clip", (x) => np.take(x, i32([7, -3, 1]), 0, { mode: "clip" }), { minRank: 1, minDim: 1 }),
  u("takeAlongAxis clip", (x) => np.takeAlongAxis(x, np.zerosLike(x).astype("int32").add(-1), -1, { mode: "clip" }), {
    minRank: 1,
  }),
];
