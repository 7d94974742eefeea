/** Control flow (cond, switch, while, fori, scan, map) and custom derivative rules. */
import {
  cond,
  customJvp,
  customVjp,
  fori,
  grad,
  lax,
  np,
  nn,
  scan,
  stopGradient,
  switchCase,
  vmap,
  whileLoop,
  type Array,
} from "../../../src/index.js";
import { arg, type Impl } from "./types.js";

const condCase = (x: Array, p: Array): Array =>
  cond(
    p,
    (v: Array) => np.sin(v).mul(2),
    (v: Array) => np.cos(v).sub(1),
    x,
  );

/** carry' = carry·x + 1, emitting the old carry (a running product-plus-one). */
const scanCase = (xs: Array): [Array, Array] =>
  scan((c: Array, x: Array) => [c.mul(x).add(1), c] as const, np.ones([], { dtype: xs.dtype }), xs);

/** softplus with a deliberately different derivative (3·sigmoid), so the rule is visibly used. */
const softplusCj = customJvp((x: Array) => np.log1p(np.exp(x)));
softplusCj.defJvp(([x], [t]) => [softplusCj(x!), t!.mul(nn.sigmoid(x!)).mul(3)]);

/** x² whose gradient is clipped to [−1, 1]. */
const clipGrad = customVjp((x: Array) => x.mul(x));
clipGrad.defVjp(
  (x: Array) => [x.mul(x), x],
  (x: Array, g: Array) => [np.clip(x.mul(2).mul(g), -1, 1)],
);

export const CONTROL_CASES: Record<string, Impl> = {
  cond: (args) => condCase(arg(args, 0), arg(args, 1)),
  gradCond: (args) => grad((x: Array, p: Array) => np.sum(condCase(x, p)))(arg(args, 0), arg(args, 1)),
  switch: (args) =>
    switchCase(arg(args, 0), [(v: Array) => np.sin(v), (v: Array) => np.cos(v), (v: Array) => v.mul(3)], arg(args, 1)),
  whileDouble: (args) =>
    whileLoop(
      ([, x]: [Array, Array]) => x.less(100),
      ([i, x]: [Array, Array]): [Array, Array] => [i.add(1), x.mul(2)],
      [np.array(0, { dtype: "int32" }), arg(args, 0)] as [Array, Array],
    ),
  fori: (args) => fori(0, 5, (i: Array, c: Array) => c.mul(1.5).add(i), arg(args, 0)),
  scan: (args) => scanCase(arg(args, 0)),
  gradScan: (args) => grad((xs: Array) => np.sum(scanCase(xs)[1]))(arg(args, 0)),
  laxMap: (args) => lax.map((r: Array) => np.sum(r.square()), arg(args, 0)),
  vmapCond: (args) =>
    vmap((x: Array) =>
      cond(
        x.greater(0),
        (v: Array) => np.sin(v),
        (v: Array) => np.cos(v),
        x,
      ),
    )(arg(args, 0)),
  gradFori: (args) => grad((x: Array) => fori(0, 4, (_i: Array, c: Array) => np.sin(c).mul(1.5), x))(arg(args, 0)),
  customJvpValue: (args) => softplusCj(arg(args, 0)),
  customJvpGrad: (args) => grad((x: Array) => np.sum(softplusCj(x)))(arg(args, 0)),
  customJvpVmapGrad: (args) => vmap(grad((x: Array) => softplusCj(x)))(arg(args, 0)),
  customVjpValue: (args) => clipGrad(arg(args, 0)),
  customVjpGrad: (args) => grad((x: Array) => np.sum(clipGrad(x)))(arg(args, 0)),
  stopGradient: (args) => grad((x: Array) => np.sum(x.mul(stopGradient(x))))(arg(args, 0)),
};
