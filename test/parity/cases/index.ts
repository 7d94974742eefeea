/** Every op of the suite's vocabulary, graft's side: one table merged from the per-category files. */
import { CONTROL_CASES } from "./control.js";
import { EINSUM_CASES } from "./einsum.js";
import { ELEMENTWISE_CASES } from "./elementwise.js";
import { INDEXING_CASES } from "./indexing.js";
import { OPTIM_CASES } from "./optim.js";
import { INIT_CASES, RANDOM_CASES } from "./random.js";
import { REDUCTION_CASES } from "./reductions.js";
import { SHAPE_CASES } from "./shape.js";
import { TRANSFORM_CASES } from "./transforms.js";
import type { Impl } from "./types.js";

const TABLES: readonly Readonly<Record<string, Impl>>[] = [
  ELEMENTWISE_CASES,
  REDUCTION_CASES,
  SHAPE_CASES,
  INDEXING_CASES,
  EINSUM_CASES,
  TRANSFORM_CASES,
  CONTROL_CASES,
  RANDOM_CASES,
  INIT_CASES,
  OPTIM_CASES,
];

/** The op names defined by more than one table (must stay empty: an op means one thing). */
export const DUPLICATE_OPS: readonly string[] = TABLES.flatMap((t, i) =>
  Object.keys(t).filter((k) => TABLES.slice(0, i).some((u) => k in u)),
);

export const IMPLS: Readonly<Record<string, Impl>> = Object.assign({}, ...TABLES);
