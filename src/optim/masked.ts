// `masked` and `multiTransform`: apply transformations to the leaves selected by a mask or label tree.
import { Array } from "../core/array.js";
import { tree } from "../tree/index.js";
import {
  checkSameStructure,
  checkState,
  freezeState,
  frozenPair,
  given,
  leafPath,
  OptimStructureError,
  setOwn,
} from "./base.js";
import type { GradientTransformation, OptState } from "./types.js";

/**
 * Which leaves a transformation applies to: a pytree of booleans with the params' structure (or a
 * prefix of it: `{ w: true, b: false }` covers whole subtrees, `true` covers everything), or a
 * function from the params (in `update`: from the updates, which share their structure) to one.
 */
export type MaskSpec = unknown;
/** Labels of the leaves for `multiTransform`: a pytree (or prefix) of strings, or a function of the params. */
export type LabelSpec = unknown;

/** Expands a prefix pytree of `kind` leaves (checked by `accept`) to one value per leaf of `t`. */
function expandPrefix<T>(
  op: string,
  what: string,
  spec: unknown,
  t: unknown,
  accept: (v: unknown) => v is T,
  expected: string,
): T[] {
  const resolved = typeof spec === "function" ? (spec as (p: unknown) => unknown)(t) : spec;
  const [specLeaves, specDef] = tree.flatten(resolved);
  let subtrees: unknown[];
  try {
    subtrees = tree.flattenUpTo(specDef, t);
  } catch {
    throw new OptimStructureError(
      `${op}: the ${what} has structure ${specDef.toString()}, which is not the structure (or a prefix of it) of the params/updates ${tree.structure(t).toString()}`,
    );
  }
  const out: T[] = [];
  specLeaves.forEach((v, i) => {
    if (!accept(v)) {
      throw new TypeError(
        `${op}: every leaf of the ${what} must be ${expected}; at ${leafPath(resolved, i)} got ${v instanceof Array ? "a graft array" : typeof v}`,
      );
    }
    const n = tree.leaves(subtrees[i]).length;
    for (let k = 0; k < n; k++) out.push(v);
  });
  return out;
}

const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isString = (v: unknown): v is string => typeof v === "string";

/** `t` with the leaves where `keep` is false replaced by `null` (a pytree node without leaves). */
function view(t: unknown, keep: readonly boolean[]): unknown {
  const [leaves, def] = tree.flatten(t);
  return tree.unflatten(
    def,
    leaves.map((l, i) => (keep[i] ? l : null)),
  );
}

/** Writes the leaves of `sub` (a `view` of `t`) back into `t`'s positions where `keep` is true. */
function merge(op: string, base: unknown[], sub: unknown, keep: readonly boolean[]): void {
  const subLeaves = tree.leaves(sub);
  const expected = keep.filter(Boolean).length;
  if (subLeaves.length !== expected)
    throw new OptimStructureError(
      `${op}: the inner transformation returned ${subLeaves.length} updates for ${expected} selected leaves`,
    );
  let k = 0;
  keep.forEach((m, i) => {
    if (m) base[i] = subLeaves[k++];
  });
}

/** The state of `masked`. */
export interface MaskedState<S = OptState> {
  readonly innerState: S;
}

/**
 * Applies `inner` only to the leaves selected by `mask`; the other leaves' updates pass through
 * unchanged (and `inner` keeps no state for them: it sees those leaves as `null`).
 * @example
 * // Weight decay on matrices only (not on biases):
 * const decay = masked(addDecayedWeights(1e-4), (p) => tree.map((x: np.Array) => x.ndim > 1, p));
 * // Or with an explicit mask: masked(sgd(0.1), { w: true, b: false })
 */
export function masked<S>(inner: GradientTransformation<S>, mask: MaskSpec): GradientTransformation<MaskedState<S>> {
  const keepOf = (t: unknown) => expandPrefix("masked", "mask", mask, t, isBool, "a boolean");
  return {
    init: (params) => freezeState({ innerState: inner.init(view(params, keepOf(params))) }),
    update: (updates, state, params, extra) => {
      checkState("masked", state, ["innerState"]);
      if (given(params)) checkSameStructure("masked", "the updates", updates, "the params", params);
      const keep = keepOf(updates);
      const [leaves, def] = tree.flatten(updates);
      const [innerU, innerS] = inner.update(
        view(updates, keep),
        state.innerState,
        given(params) ? view(params, keep) : undefined,
        extra,
      );
      merge("masked", leaves, innerU, keep);
      return frozenPair(tree.unflatten(def, leaves) as typeof updates, { innerState: innerS });
    },
  };
}

/** The state of `multiTransform`: one inner state per label. */
export interface MultiTransformState {
  readonly innerStates: Readonly<Record<string, OptState>>;
}

/**
 * Different transformations for different parts of the params: `labels` gives each leaf a label
 * (a pytree of strings shaped like the params or a prefix of it, or a function of the params), and
 * `transforms[label]` updates the leaves with that label.
 * @example
 * const opt = multiTransform({ fast: adam(1e-2), slow: sgd(1e-3) }, { encoder: "slow", head: "fast" });
 */
export function multiTransform(
  transforms: Readonly<Record<string, GradientTransformation>>,
  labels: LabelSpec,
): GradientTransformation<MultiTransformState> {
  // One [label, transformation] pair per label, sorted by label (the order of the inner states).
  const labelled = Object.entries(transforms).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = labelled.map(([name]) => name);
  if (names.length === 0) throw new TypeError("multiTransform: transforms must have at least one label");
  const labelsOf = (t: unknown): string[] => {
    const ls = expandPrefix("multiTransform", "labels", labels, t, isString, "a string label");
    const unknown = [...new Set(ls.filter((l) => !Object.hasOwn(transforms, l)))];
    if (unknown.length > 0)
      throw new TypeError(
        `multiTransform: label(s) ${unknown.map((l) => JSON.stringify(l)).join(", ")} have no transformation (known: ${names.join(", ")})`,
      );
    return ls;
  };
  return {
    init: (params) => {
      const ls = labelsOf(params);
      const innerStates: Record<string, OptState> = {};
      for (const [name, t] of labelled)
        setOwn(
          innerStates,
          name,
          t.init(
            view(
              params,
              ls.map((l) => l === name),
            ),
          ),
        );
      return freezeState({ innerStates });
    },
    update: (updates, state, params, extra) => {
      checkState("multiTransform", state, ["innerStates"]);
      if (state.innerStates === null || typeof state.innerStates !== "object")
        throw new OptimStructureError(
          "multiTransform: the state's innerStates must be an object of inner states, one per label",
        );
      if (given(params)) checkSameStructure("multiTransform", "the updates", updates, "the params", params);
      const ls = labelsOf(updates);
      const [leaves, def] = tree.flatten(updates);
      const innerStates: Record<string, OptState> = {};
      for (const [name, t] of labelled) {
        if (!Object.hasOwn(state.innerStates, name))
          throw new OptimStructureError(`multiTransform: the state has no inner state for label "${name}"`);
        const keep = ls.map((l) => l === name);
        const [u, s] = t.update(
          view(updates, keep),
          state.innerStates[name],
          given(params) ? view(params, keep) : undefined,
          extra,
        );
        merge(`multiTransform (label "${name}")`, leaves, u, keep);
        setOwn(innerStates, name, s);
      }
      return frozenPair(tree.unflatten(def, leaves) as typeof updates, { innerStates });
    },
  };
}
