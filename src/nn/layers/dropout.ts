/** `dropout`: inverted dropout. */
import * as np from "../../numpy/index.js";
import * as random from "../../random/index.js";
import { statelessLayer, type StatelessLayer } from "./types.js";

/**
 * Inverted dropout. In training (`train: true`) each element is zeroed with probability `rate`
 * and the survivors are scaled by 1/(1 − rate), so the expectation is unchanged and evaluation
 * needs no rescaling (Srivastava et al. 2014 instead scale the weights by the keep probability p
 * at test time, W·p; inverted dropout folds that into training). In evaluation
 * (`train: false`, the default) it is the identity. Training needs a PRNG `key`; a missing one is
 * an error. No parameters (`params` is `null`).
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const drop = nn.dropout(0.5);
 * const { params } = drop.init(random.key(0), [4]);
 * drop.apply(params, np.ones([4]), { train: true, key: random.key(1) }); // entries 0 or 2
 * drop.apply(params, np.ones([4]));                                      // unchanged
 */
export function dropout(rate: number): StatelessLayer<null> {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`dropout: rate must be in [0, 1], got ${rate}`);
  const name = `dropout(${rate})`;
  return statelessLayer<null>(
    name,
    (_key, inputShape) => ({ params: null, outputShape: [...inputShape] }),
    (_params, x, opts) => {
      if (!opts.train || rate === 0) return x;
      if (opts.key === undefined || opts.key === null)
        throw new Error(
          `${name}: training mode needs a PRNG key: apply(params, x, { train: true, key }) (or pass train: false for evaluation)`,
        );
      if (rate === 1) return np.zerosLike(x);
      const keep = 1 - rate;
      const u = random.uniform(opts.key, x.shape, { dtype: "float32" });
      return np.where(np.less(u, keep), np.divide(x, keep), 0);
    },
  );
}
