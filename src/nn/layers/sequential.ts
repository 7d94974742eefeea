/** `sequential`: layers applied one after another. */
import type { Array } from "../../core/array.js";
import {
  checkApplyOptions,
  checkInputShape,
  splitKeys,
  type ApplyOptions,
  type Key,
  type Layer,
  type LayerBase,
  type StatefulLayer,
  type StatelessLayer,
} from "./types.js";

/** A layer, or a plain function of the input (an activation such as `nn.relu`) used as a parameterless layer. */
export type SequentialItem = Layer | ((x: Array) => Array);

// biome-ignore lint/suspicious/noExplicitAny: a pattern that matches a layer of any parameters or state (any is bivariant here; unknown would not match)
type ItemParams<L> = L extends LayerBase<infer P, any> ? P : null;
// biome-ignore lint/suspicious/noExplicitAny: a pattern that matches a layer of any parameters or state (any is bivariant here; unknown would not match)
type ItemState<L> = L extends LayerBase<any, infer S> ? S : null;
/** Parameters of a sequential model: one entry per item (`null` for parameterless ones). */
export type SequentialParams<Ls extends readonly unknown[]> = { -readonly [K in keyof Ls]: ItemParams<Ls[K]> };
/** State of a sequential model with stateful layers: one entry per item (`null` for stateless ones). */
export type SequentialState<Ls extends readonly unknown[]> = { -readonly [K in keyof Ls]: ItemState<Ls[K]> };
/** The layer type `sequential` returns: stateful when any item is. */
// biome-ignore lint/suspicious/noExplicitAny: a pattern that matches a layer of any parameters or state (any is bivariant here; unknown would not match)
export type Sequential<Ls extends readonly SequentialItem[]> = [Extract<Ls[number], StatefulLayer<any, any>>] extends [
  never,
]
  ? StatelessLayer<SequentialParams<Ls>>
  : StatefulLayer<SequentialParams<Ls>, SequentialState<Ls>>;

const asLayer = (item: SequentialItem, i: number): Layer => {
  if (typeof item === "function") {
    const f = item;
    const name = f.name || `fn${i}`;
    return {
      name,
      stateful: false,
      init: (_key: Key, inputShape: readonly number[]) => ({ params: null, state: null, outputShape: [...inputShape] }),
      apply: (_p: unknown, x: Array) => f(x),
      call: (_p: unknown, x: Array): [Array, null] => [f(x), null],
    };
  }
  if (item === null || typeof item !== "object" || typeof item.init !== "function" || typeof item.call !== "function")
    throw new Error(`sequential: item ${i} is neither a layer (with init/apply/call) nor a function`);
  return item;
};

/**
 * Chains layers (and plain functions such as activations): the output of each is the input of
 * the next. Params are a list with one entry per item (`null` for parameterless ones). If any item
 * is stateful (batch norm), the model is stateful: its state is a list with one entry per item
 * (`null` for stateless ones) and `apply` returns `[y, newState]` in training, `y` in evaluation;
 * otherwise `apply` returns `y`. A training `key` is split so that every item gets its own.
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const model = nn.sequential(nn.dense(64), nn.relu, nn.dropout(0.1), nn.dense(10));
 * const { params } = model.init(random.key(0), [784]);
 * const logits = model.apply(params, x, { train: true, key: random.key(1) }); // [batch, 10]
 *
 * const bnModel = nn.sequential(nn.dense(64), nn.batchNorm(), nn.relu, nn.dense(10));
 * const init = bnModel.init(random.key(0), [784]);
 * const [y, newState] = bnModel.apply(init.params, x, { train: true, state: init.state });
 */
export function sequential<const Ls extends readonly SequentialItem[]>(...items: Ls): Sequential<Ls> {
  const layers = items.map(asLayer);
  const stateful = layers.some((l) => l.stateful);
  const name = `sequential(${layers.map((l) => l.name).join(", ")})`;

  const init = (key: Key, inputShape: readonly number[]) => {
    checkInputShape(name, inputShape);
    const keys = splitKeys(key, layers.length);
    const params: unknown[] = [];
    const states: unknown[] = [];
    let shape: readonly number[] = inputShape;
    layers.forEach((layer, i) => {
      const r = layer.init(keys[i]!, shape);
      params.push(r.params);
      states.push(r.state);
      shape = r.outputShape;
    });
    return { params, state: stateful ? states : null, outputShape: [...shape] };
  };

  const call = (params: unknown, x: Array, o: ApplyOptions<unknown> = {}): [Array, unknown] => {
    checkApplyOptions(name, o);
    if (!globalThis.Array.isArray(params) || params.length !== layers.length)
      throw new Error(
        `${name}: expected a list of ${layers.length} parameter entries, got ${globalThis.Array.isArray(params) ? params.length : typeof params}`,
      );
    let states: unknown[] | null = null;
    if (stateful) {
      if (!globalThis.Array.isArray(o.state) || o.state.length !== layers.length)
        throw new Error(
          `${name}: this model has stateful layers; pass apply(params, x, { state }) with the state list from init (or the previous training step)`,
        );
      states = o.state;
    }
    const keys = o.train && o.key !== undefined && o.key !== null ? splitKeys(o.key, layers.length) : null;
    const newStates: unknown[] = [];
    let h = x;
    layers.forEach((layer, i) => {
      const sub: ApplyOptions<unknown> = { train: o.train ?? false };
      if (keys) sub.key = keys[i];
      if (states) sub.state = states[i];
      const [y, s] = layer.call(params[i] as never, h, sub as never);
      h = y;
      newStates.push(s);
    });
    return [h, stateful ? newStates : null];
  };

  const layer = stateful
    ? {
        name,
        stateful: true as const,
        init,
        call,
        apply: (params: unknown, x: Array, o: ApplyOptions<unknown> = {}) => {
          const r = call(params, x, o);
          return o.train ? r : r[0];
        },
      }
    : {
        name,
        stateful: false as const,
        init,
        call,
        apply: (params: unknown, x: Array, o: ApplyOptions<unknown> = {}) => call(params, x, o)[0],
      };
  return Object.freeze(layer) as unknown as Sequential<Ls>;
}
