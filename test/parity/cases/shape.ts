/** Shape ops, joins and splits, matrix structure, and pad modes. */
import { np } from "../../../src/index.js";
import { arg, axisOf, num, nums, param, type Impl } from "./types.js";

type PadModeName = "constant" | "edge" | "reflect" | "symmetric" | "wrap";

const all = (args: readonly unknown[]): np.Array[] => args.map((_, i) => arg(args as never, i));

export const SHAPE_CASES: Record<string, Impl> = {
  reshape: (args, kw) => np.reshape(arg(args, 0), nums(kw, "shape")),
  transpose: (args, kw) => np.transpose(arg(args, 0), kw.axes === undefined ? undefined : nums(kw, "axes")),
  moveaxis: (args, kw) => np.moveaxis(arg(args, 0), num(kw, "src"), num(kw, "dst")),
  swapaxes: (args, kw) => np.swapaxes(arg(args, 0), num(kw, "a"), num(kw, "b")),
  expandDims: (args, kw) => np.expandDims(arg(args, 0), num(kw, "axis")),
  squeeze: (args, kw) => np.squeeze(arg(args, 0), axisOf(kw)),
  broadcastTo: (args, kw) => np.broadcastTo(arg(args, 0), nums(kw, "shape")),
  ravel: (args) => np.ravel(arg(args, 0)),
  concatenate: (args, kw) => np.concatenate(all(args), num(kw, "axis")),
  stack: (args, kw) => np.stack(all(args), num(kw, "axis")),
  vstack: (args) => np.vstack(all(args)),
  hstack: (args) => np.hstack(all(args)),
  split: (args, kw) => np.split(arg(args, 0), param<number | number[]>(kw, "sections"), num(kw, "axis")),
  tile: (args, kw) => np.tile(arg(args, 0), param<number | number[]>(kw, "reps")),
  repeat: (args, kw) => np.repeat(arg(args, 0), param<number | number[]>(kw, "repeats"), axisOf(kw) as number),
  flip: (args, kw) => np.flip(arg(args, 0), axisOf(kw)),
  roll: (args, kw) => np.roll(arg(args, 0), param<number | number[]>(kw, "shift"), axisOf(kw)),
  tril: (args, kw) => np.tril(arg(args, 0), num(kw, "k", 0)),
  triu: (args, kw) => np.triu(arg(args, 0), num(kw, "k", 0)),
  diagonal: (args, kw) =>
    np.diagonal(arg(args, 0), { offset: num(kw, "offset", 0), axis1: num(kw, "axis1", 0), axis2: num(kw, "axis2", 1) }),
  trace: (args, kw) => np.trace(arg(args, 0), { offset: num(kw, "offset", 0) }),
  diag: (args, kw) => np.diag(arg(args, 0), num(kw, "k", 0)),
  kron: (args) => np.kron(arg(args, 0), arg(args, 1)),
  meshgrid: (args, kw) => np.meshgrid(...all(args), { indexing: param<"xy" | "ij">(kw, "indexing") }),
  diff: (args, kw) => np.diff(arg(args, 0), num(kw, "n", 1), num(kw, "axis", -1)),
  pad: (args, kw) =>
    np.pad(arg(args, 0), param<number | number[] | number[][]>(kw, "width"), {
      mode: param<PadModeName>(kw, "mode"),
      ...(kw.constant_values === undefined ? {} : { constantValues: num(kw, "constant_values") }),
    }),
};
