/** `nn.conv`: a convolution layer in channels-last layout (Flax's `nn.Conv`). */
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";
import * as np from "../numpy/index.js";
import { type ConvPadding, convGeneralDilated, paddingPairs } from "../lax/conv.js";
import { convOutSpatial, dilateDim } from "../lax/prims/conv.js";
import { lecunNormal, zeros, type Initializer } from "./initializers.js";
import { splitKeys, statelessLayer, type StatelessLayer } from "./layers/types.js";

/** Options of {@link conv}. */
export interface ConvOptions {
  /** Output features (channels). */
  features: number;
  /** Window size per spatial axis, e.g. `[3, 3]`. */
  kernelSize: readonly number[];
  /** Strides per spatial axis (default 1s). */
  strides?: readonly number[];
  /** "SAME" (default), "VALID", "SAME_LOWER" or [lo, hi] pairs per spatial axis. */
  padding?: ConvPadding;
  /** Input dilation per spatial axis (default 1s; > 1 is a transposed convolution's stride). */
  inputDilation?: readonly number[];
  /** Kernel dilation per spatial axis (default 1s; atrous convolution). */
  kernelDilation?: readonly number[];
  /** Groups of input features, each with its own output features (default 1; in features = groups for depthwise). */
  featureGroupCount?: number;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the `[...kernelSize, in / groups, features]` kernel (default `lecunNormal`, as in Flax). */
  kernelInit?: Initializer;
  /** Initializer of the `[features]` bias (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Parameters of a {@link conv} layer. */
export interface ConvLayerParams {
  /** `[...kernelSize, in / featureGroupCount, features]` (HWIO). */
  kernel: Array;
  /** `[features]`; absent with `useBias: false`. */
  bias?: Array;
}

const KEYS = optionKeys<ConvOptions>()(
  "features",
  "kernelSize",
  "strides",
  "padding",
  "inputDilation",
  "kernelDilation",
  "featureGroupCount",
  "useBias",
  "kernelInit",
  "biasInit",
  "dtype",
);

const positiveInts = (xs: readonly number[]): boolean => xs.every((v) => Number.isInteger(v) && v >= 1);

/**
 * A convolution layer over channels-last inputs `[batch..., ...spatial, in]` (NHWC for 2-d; an
 * input without a batch axis works too), giving `[batch..., ...spatial out, features]`. Params:
 * `{ kernel: [...kernelSize, in / featureGroupCount, features], bias: [features] }`.
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const layer = nn.conv({ features: 16, kernelSize: [3, 3] });
 * const { params } = layer.init(random.key(0), [8, 28, 28, 1]); // kernel [3, 3, 1, 16]
 * layer.apply(params, np.ones([8, 28, 28, 1])).shape;          // [8, 28, 28, 16]
 */
export function conv(opts: ConvOptions): StatelessLayer<ConvLayerParams> {
  checkOptions("conv", opts, KEYS);
  const { features, kernelSize } = opts;
  if (!Number.isInteger(features) || features <= 0)
    throw new Error(`conv: features must be a positive integer, got ${features}`);
  if (!globalThis.Array.isArray(kernelSize) || kernelSize.length === 0 || !positiveInts(kernelSize))
    throw new Error(
      `conv: kernelSize must be a non-empty list of positive integers, got ${JSON.stringify(kernelSize)}`,
    );
  const ns = kernelSize.length;
  const ones = kernelSize.map(() => 1);
  const strides = opts.strides ?? ones;
  const inputDilation = opts.inputDilation ?? ones;
  const kernelDilation = opts.kernelDilation ?? ones;
  for (const [name, v] of [
    ["strides", strides],
    ["inputDilation", inputDilation],
    ["kernelDilation", kernelDilation],
  ] as const)
    if (v.length !== ns || !positiveInts(v))
      throw new Error(`conv: ${name} needs ${ns} positive integers (one per kernel axis), got ${JSON.stringify(v)}`);
  const padding = opts.padding ?? "SAME";
  const groups = opts.featureGroupCount ?? 1;
  const useBias = opts.useBias ?? true;
  const kernelInit = opts.kernelInit ?? lecunNormal;
  const biasInit = opts.biasInit ?? zeros;
  const dtype = opts.dtype ?? "float32";
  const name = `conv(${features}, [${kernelSize.join(", ")}])`;
  // Layout letters for the spatial axes ("HW" for 2-d); lower-case letters past three axes.
  const letters =
    ns <= 3
      ? "DHW".slice(3 - ns)
      : globalThis.Array.from({ length: ns }, (_, i) => String.fromCharCode(97 + i)).join("");

  const checkIn = (shape: readonly number[], what: string): number => {
    if (shape.length < ns + 1)
      throw new Error(
        `${name}: ${what} needs ${ns} spatial axes and a feature axis (channels last), got shape [${shape.join(", ")}]`,
      );
    const cin = shape[shape.length - 1]!;
    if (cin % groups !== 0)
      throw new Error(`${name}: input features (${cin}) must be divisible by featureGroupCount (${groups})`);
    return cin;
  };
  const pads = (inSpatial: readonly number[]) =>
    paddingPairs(
      name,
      padding,
      inSpatial,
      kernelSize.map((k, d) => dilateDim(k, kernelDilation[d]!)),
      strides,
    );

  return statelessLayer<ConvLayerParams>(
    name,
    (key, inputShape) => {
      const cin = checkIn(inputShape, "inputShape");
      const [kKey, bKey] = splitKeys(key, 2) as [Parameters<Initializer>[0], Parameters<Initializer>[0]];
      const params: ConvLayerParams = { kernel: kernelInit(kKey, [...kernelSize, cin / groups, features], dtype) };
      if (useBias) params.bias = biasInit(bKey, [features], dtype);
      const inSpatial = inputShape.slice(-ns - 1, -1);
      const outSpatial = convOutSpatial(inSpatial, kernelSize, {
        windowStrides: [...strides],
        padding: pads(inSpatial),
        lhsDilation: [...inputDilation],
        rhsDilation: [...kernelDilation],
      });
      return { params, outputShape: [...inputShape.slice(0, -ns - 1), ...outSpatial, features] };
    },
    (params, x) => {
      const cin = checkIn(x.shape, "the input");
      const expected = [...kernelSize, cin / groups, features];
      if (params.kernel.ndim !== expected.length || params.kernel.shape.some((s, i) => s !== expected[i]))
        throw new Error(
          `${name}: params.kernel must have shape [${expected.join(", ")}] for this input, got [${params.kernel.shape.join(", ")}]`,
        );
      // Any number of leading batch axes (or none): fold them into one.
      const lead = x.shape.slice(0, -ns - 1);
      const xb = np.reshape(x, [lead.reduce((a, b) => a * b, 1), ...x.shape.slice(-ns - 1)]);
      const layout = `N${letters}C`;
      const y = convGeneralDilated(xb, params.kernel, strides, padding, {
        lhsDilation: inputDilation,
        rhsDilation: kernelDilation,
        dimensionNumbers: [layout, `${letters}IO`, layout],
        featureGroupCount: groups,
      });
      const out = np.reshape(y, [...lead, ...y.shape.slice(1)]);
      return params.bias === undefined ? out : np.add(out, params.bias);
    },
  );
}
