/** `embedding`: a lookup table from integer ids to learned vectors. */
import type { Array } from "../../core/array.js";
import { isInt, type DType } from "../../core/dtype.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";
import * as np from "../../numpy/index.js";
import { varianceScaling, type Initializer } from "../initializers.js";
import { statelessLayer, type StatelessLayer } from "./types.js";

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Initializer of the `[numEmbeddings, features]` table (default normal with variance 1/features, as Flax's `Embed`). */
  embeddingInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Parameters of an {@link embedding} layer. */
export interface EmbeddingParams {
  /** `[numEmbeddings, features]`: row i is the vector of id i. */
  embedding: Array;
}

/** Flax's default: variance 1/features (fan-in taken over the feature axis). */
const defaultEmbeddingInit: Initializer = varianceScaling(1, "fanIn", "normal", { outAxis: 0 });

/**
 * An embedding layer: `apply(params, ids)` gathers rows of the `[numEmbeddings, features]` table,
 * so int ids of any shape `[...]` give `[..., features]` (Flax's `Embed`). `init(key, idsShape)`
 * takes the shape of the id array. Ids must be int32/uint32. An id outside [0, numEmbeddings) is no
 * error (it cannot be checked under jit): as in `table.get(ids)`, a negative id counts once from the end
 * and the rest are clamped to the last row (Flax's `jnp.take` would give NaN rows, as `np.take` does).
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const embed = nn.embedding(1000, 16);
 * const { params } = embed.init(random.key(0), [8, 20]);          // table [1000, 16]
 * embed.apply(params, np.zeros([8, 20], { dtype: "int32" })).shape; // [8, 20, 16]
 */
export function embedding(
  numEmbeddings: number,
  features: number,
  opts: EmbeddingOptions = {},
): StatelessLayer<EmbeddingParams> {
  if (!Number.isInteger(numEmbeddings) || numEmbeddings <= 0)
    throw new RangeError(
      `embedding: numEmbeddings must be a positive integer (the table's rows), got ${numEmbeddings}`,
    );
  if (!Number.isInteger(features) || features <= 0)
    throw new RangeError(`embedding: features must be a positive integer (the vector length), got ${features}`);
  checkOptions("embedding", opts, optionKeys<EmbeddingOptions>()("embeddingInit", "dtype"));
  const init = opts.embeddingInit ?? defaultEmbeddingInit;
  const dtype = opts.dtype ?? "float32";
  const name = `embedding(${numEmbeddings}, ${features})`;
  return statelessLayer<EmbeddingParams>(
    name,
    (key, inputShape) => ({
      params: { embedding: init(key, [numEmbeddings, features], dtype) },
      outputShape: [...inputShape, features],
    }),
    (params, ids) => {
      const table = params.embedding;
      if (table.ndim !== 2)
        throw new Error(
          `${name}: params.embedding must have shape [numEmbeddings, features], got [${table.shape.join(", ")}]`,
        );
      if (!isInt(ids.dtype))
        throw new TypeError(
          `${name}: ids must be an int32 or uint32 array, got ${ids.dtype}; convert them with ids.astype("int32")`,
        );
      return np.getIndex(table, [ids]); // jnp indexing: negatives count from the end, then clamped
    },
  );
}
