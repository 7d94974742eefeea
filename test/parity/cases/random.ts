/** Random bits and samplers (threefry2x32 keys), and jax.nn.initializers. */
import { nn, random, type DType } from "../../../src/index.js";
import { arg, num, nums, param, type Impl } from "./types.js";

const key = (kw: Readonly<Record<string, unknown>>) => random.key(num(kw, "seed"));
const floatOpts = (kw: Readonly<Record<string, unknown>>) => ({
  dtype: param<"float32" | "float64" | undefined>(kw, "dtype") ?? "float32",
});

export const RANDOM_CASES: Record<string, Impl> = {
  key: (_args, kw) => key(kw),
  randomSplit: (_args, kw) => random.split(key(kw), num(kw, "num")),
  foldIn: (_args, kw) => random.foldIn(key(kw), num(kw, "data")),
  splitFoldIn: (_args, kw) => random.split(random.foldIn(key(kw), num(kw, "data"))).get(1),
  bits: (_args, kw) => random.bits(key(kw), nums(kw, "shape")),
  uniform: (_args, kw) =>
    random.uniform(key(kw), nums(kw, "shape"), {
      ...floatOpts(kw),
      minval: num(kw, "minval", 0),
      maxval: num(kw, "maxval", 1),
    }),
  normal: (_args, kw) => random.normal(key(kw), nums(kw, "shape"), floatOpts(kw)),
  truncatedNormal: (_args, kw) =>
    random.truncatedNormal(key(kw), num(kw, "lower"), num(kw, "upper"), nums(kw, "shape")),
  bernoulli: (_args, kw) => random.bernoulli(key(kw), num(kw, "p"), nums(kw, "shape")),
  randint: (_args, kw) => random.randint(key(kw), nums(kw, "shape"), num(kw, "minval"), num(kw, "maxval")),
  permutation: (_args, kw) => random.permutation(key(kw), num(kw, "n")),
  choice: (_args, kw) =>
    random.choice(key(kw), num(kw, "n"), nums(kw, "shape"), { replace: param<boolean>(kw, "replace") }),
  gumbel: (_args, kw) => random.gumbel(key(kw), nums(kw, "shape")),
  exponential: (_args, kw) => random.exponential(key(kw), nums(kw, "shape")),
  categorical: (args, kw) => random.categorical(key(kw), arg(args, 0)),
  uniformSplitChild: (_args, kw) => random.uniform(random.split(key(kw)).get(1), nums(kw, "shape")),
};

type FanMode = "fanIn" | "fanOut" | "fanAvg";
type Distribution = "truncatedNormal" | "normal" | "uniform";

/** jax.nn.initializers by the generator's names; JAX's factories without arguments are graft's initializers. */
const initializer = (name: string, a: readonly unknown[]): nn.initializers.Initializer => {
  const I = nn.initializers;
  const plain: Record<string, nn.initializers.Initializer> = {
    glorotUniform: I.glorotUniform,
    glorotNormal: I.glorotNormal,
    heUniform: I.heUniform,
    heNormal: I.heNormal,
    lecunUniform: I.lecunUniform,
    lecunNormal: I.lecunNormal,
    zeros: I.zeros,
    ones: I.ones,
  };
  if (name in plain) return plain[name]!;
  if (name === "normal") return I.normal(a[0] as number);
  if (name === "uniform") return I.uniform(a[0] as number);
  if (name === "constant") return I.constant(a[0] as number);
  if (name === "varianceScaling") return I.varianceScaling(a[0] as number, a[1] as FanMode, a[2] as Distribution);
  if (name === "orthogonal") return I.orthogonal();
  throw new Error(`parity case: no initializer ${name}`);
};

export const INIT_CASES: Record<string, Impl> = {
  init: (_args, kw) =>
    initializer(param<string>(kw, "name"), param<unknown[] | undefined>(kw, "args") ?? [])(
      random.key(num(kw, "seed", 0)),
      nums(kw, "shape"),
      param<DType | undefined>(kw, "dtype") ?? "float32",
    ),
};
