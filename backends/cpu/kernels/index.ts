/** The CPU reference backend's kernel table: one plain-loop kernel per primitive (primitives holding sub-programs excepted). */
import { convGeneralDilated } from "./conv.js";
import { dotGeneral } from "./dot.js";
import {
  binaryKernels,
  compareKernels,
  convert,
  integerPow,
  select,
  stopGradient,
  unaryKernels,
} from "./elementwise.js";
import { dynamicSlice, dynamicUpdateSlice, gather, scatterAdd } from "./indexing.js";
import type { KernelTable } from "./kernel.js";
import { argmax, argmin, cumsum, reduceMax, reduceMin, reduceProd, reduceSum } from "./reduce.js";
import { argsort } from "./sort.js";
import { threefry2x32 } from "./threefry.js";
import { broadcastInDim, concatenate, iota, pad, reshape, rev, slice, transpose } from "./shape-ops.js";

export const cpuKernels: KernelTable = {
  ...unaryKernels,
  ...binaryKernels,
  ...compareKernels,
  integer_pow: integerPow,
  select,
  convert,
  reduce_sum: reduceSum,
  reduce_max: reduceMax,
  reduce_min: reduceMin,
  reduce_prod: reduceProd,
  argmax,
  argmin,
  argsort,
  cumsum,
  dot_general: dotGeneral,
  conv_general_dilated: convGeneralDilated,
  broadcast_in_dim: broadcastInDim,
  reshape,
  transpose,
  slice,
  pad,
  concatenate,
  rev,
  iota,
  gather,
  scatter_add: scatterAdd,
  dynamic_slice: dynamicSlice,
  dynamic_update_slice: dynamicUpdateSlice,
  stop_gradient: stopGradient,
  threefry2x32,
};
