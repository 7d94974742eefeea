/** The shape of the suite's case tables: an op name of the shared vocabulary → graft's expression. */
import { np } from "../../../src/index.js";
import type { Arg, Kw, Out } from "../fixture.js";

/** graft's side of one op: the case's arguments and static parameters → the result. */
export type Impl = (args: readonly Arg[], kw: Kw) => Out;

/** The i-th argument as an array (a Python scalar argument becomes a weakly typed 0-d array). */
export const arg = (args: readonly Arg[], i: number): np.Array => {
  const a = args[i];
  if (a === undefined) throw new Error(`parity case: missing argument ${i}`);
  return typeof a === "number" ? np.asArray(a) : a;
};

/** A static number parameter (`fallback` when absent or null). */
export function num(kw: Kw, key: string, fallback?: number): number {
  const v = kw[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new Error(`parity case: missing parameter ${key}`);
    return fallback;
  }
  return v as number;
}

/** A static list-of-numbers parameter. */
export const nums = (kw: Kw, key: string): number[] => [...(kw[key] as number[])];

/** An axis parameter: absent/null, a number or a list. */
export const axisOf = (kw: Kw, key = "axis"): number | number[] | undefined => {
  const v = kw[key];
  return v === undefined || v === null ? undefined : typeof v === "number" ? v : [...(v as number[])];
};

/** A static parameter of any JSON type. */
export const param = <T>(kw: Kw, key: string): T => kw[key] as T;
