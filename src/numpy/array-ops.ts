/** The numpy functions behind the Array methods (`x.add(y)` is `np.add(x, y)`), checked against the core's list. */
import type { ArrayOps } from "../core/array.js";
import { flip } from "./join.js";
import * as e from "./elementwise.js";
import * as r from "./reductions.js";
import * as s from "./shape.js";
import { dot, matmul } from "./linalg.js";
import { at, getIndex } from "./indexing.js";
import { take } from "./take.js";
import { item, tolist } from "./io.js";

export const arrayOps: ArrayOps = {
  tolist,
  item,
  add: e.add,
  subtract: e.subtract,
  multiply: e.multiply,
  divide: e.divide,
  power: e.power,
  mod: e.mod,
  maximum: e.maximum,
  minimum: e.minimum,
  negative: e.negative,
  abs: e.abs,
  sign: e.sign,
  square: e.square,
  sqrt: e.sqrt,
  reciprocal: e.reciprocal,
  exp: e.exp,
  log: e.log,
  sin: e.sin,
  cos: e.cos,
  tanh: e.tanh,
  floor: e.floor,
  ceil: e.ceil,
  round: e.round,
  clip: e.clip,
  astype: e.astype,
  equal: e.equal,
  notEqual: e.notEqual,
  less: e.less,
  lessEqual: e.lessEqual,
  greater: e.greater,
  greaterEqual: e.greaterEqual,
  sum: r.sum,
  mean: r.mean,
  prod: r.prod,
  max: r.max,
  min: r.min,
  all: r.all,
  any: r.any,
  argmax: r.argmax,
  argmin: r.argmin,
  var_: r.var_,
  std: r.std,
  cumsum: r.cumsum,
  matmul,
  dot,
  reshape: s.reshape,
  transpose: s.transpose,
  expandDims: s.expandDims,
  squeeze: s.squeeze,
  broadcastTo: s.broadcastTo,
  flip,
  getIndex,
  at,
  take,
};
