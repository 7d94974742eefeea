/**
 * The Program IR: a flat SSA list of equations `outs = prim(ins; params)` over typed variables.
 * Programs may hold sub-programs in their params (calls such as jit_call, control flow such as
 * cond/while/scan, custom rules) and print readably.
 */
import type { ShapedArray } from "./aval.js";
import type { PrimName } from "./primitives.js";
import type { Array as GArray } from "./array.js";
import { WeakCache } from "./caches.js";
import { type DotOptions, programToDot } from "./dot.js";

let nextVarId = 0;

export class Var {
  readonly id = nextVarId++;
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant inlined into an equation. */
export class Literal {
  constructor(
    readonly value: number,
    readonly aval: ShapedArray,
  ) {}
}

export type Atom = Var | Literal;

export interface Eqn {
  readonly prim: PrimName;
  readonly inputs: readonly Atom[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly outputs: readonly Var[];
}

/**
 * `constVars` are bound to the concrete arrays in `consts` (captured when tracing);
 * callers pass values for `inVars` only.
 */
export class Program {
  constructor(
    readonly constVars: readonly Var[],
    readonly consts: readonly GArray[],
    readonly inVars: readonly Var[],
    readonly eqns: readonly Eqn[],
    readonly outs: readonly Atom[],
  ) {
    if (constVars.length !== consts.length) throw new Error("Program: constVars and consts differ in length");
  }
  get inAvals(): ShapedArray[] {
    return this.inVars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outs.map((a) => a.aval);
  }
  toString(): string {
    return printProgram(this, "");
  }
  /**
   * The Program as Graphviz DOT text: equations as nodes, typed values as edges, sub-programs as clusters.
   *
   * @example
   * makeJaxpr((x: Array) => x.sin())(np.ones([3])).toDot(); // pipe into `dot -Tsvg`
   */
  toDot(options?: DotOptions): string {
    return programToDot(this, options);
  }
}

/** The sub-programs an equation's params hold (a Program or a list of them per param), in param order. */
export function subPrograms(params: Readonly<Record<string, unknown>>): Program[] {
  const out: Program[] = [];
  for (const v of Object.values(params)) {
    if (v instanceof Program) out.push(v);
    else if (globalThis.Array.isArray(v)) for (const p of v) if (p instanceof Program) out.push(p);
  }
  return out;
}

/**
 * True when params hold sub-programs: the one test, at run time, of `SubProgramPrim`. The eager
 * path, constant folding and the backends' control-flow runners all use it.
 */
export function holdsPrograms(params: Readonly<Record<string, unknown>>): boolean {
  // No allocation: every eager operation asks (and most params are `{}`).
  for (const k in params) {
    const v = params[k];
    if (v instanceof Program) return true;
    if (globalThis.Array.isArray(v)) for (const p of v) if (p instanceof Program) return true;
  }
  return false;
}

const programIds = new WeakMap<object, number>();
let nextProgramId = 0;

/**
 * A cache for values derived from an equation's params, held through the first sub-Program in the
 * params (weakly): when a control-flow function is traced anew, its old Programs and everything
 * derived from them can be collected, instead of filling a global cache.
 */
export function paramsCache<V>(): (params: Readonly<Record<string, unknown>>, key: string, make: () => V) => V {
  const byProgram = new WeakCache<Program, Map<string, V>>();
  return (params, key, make) => {
    const anchor = subPrograms(params)[0];
    if (!anchor) return make();
    let m = byProgram.get(anchor);
    if (!m) byProgram.set(anchor, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) m.set(key, (v = make()));
    return v;
  };
}

/** A number's key text: unlike JSON and String, it tells NaN, ±Infinity and -0 apart. */
export const numberKey = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** A string identifying params: sub-programs (and other objects) by identity, the rest by value. */
export function paramsKey(params: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(params, (_k, v: unknown) => {
    if (v instanceof Program || typeof v === "function") {
      let id = programIds.get(v as object);
      if (id === undefined) programIds.set(v as object, (id = nextProgramId++));
      return `#${id}`;
    }
    // JSON would write NaN and ±Infinity as null and -0 as 0, merging different params.
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) return `n:${numberKey(v)}`;
    return v;
  });
}

function printProgram(p: Program, indent: string): string {
  const names = new Map<Var, string>();
  const name = (v: Var): string => {
    let n = names.get(v);
    if (n === undefined) {
      const i = names.size;
      n = i < 26 ? String.fromCharCode(97 + i) : `v${i}`;
      names.set(v, n);
    }
    return n;
  };
  const atom = (a: Atom): string => (a instanceof Literal ? fmtLiteral(a) : name(a));
  const decl = (v: Var): string => `${name(v)}:${v.aval}`;
  const lines: string[] = [];
  const consts = p.constVars.map(decl).join(" ");
  lines.push(`${indent}{ lambda ${consts}${consts ? " ; " : ""}${p.inVars.map(decl).join(" ")}. let`);
  for (const e of p.eqns) {
    const subs: Program[] = [];
    const params = Object.entries(e.params)
      .map(([k, v]) => {
        if (v instanceof Program) {
          subs.push(v);
          return `${k}={...}`;
        }
        if (globalThis.Array.isArray(v) && v.length > 0 && v.every((p) => p instanceof Program)) {
          subs.push(...(v as Program[]));
          return `${k}=[${v.map(() => "{...}").join(", ")}]`;
        }
        if (
          globalThis.Array.isArray(v) &&
          v.some((p) => typeof p === "object" && p !== null && "toString" in p && !globalThis.Array.isArray(p))
        )
          return `${k}=[${v.map(String).join(", ")}]`;
        return `${k}=${JSON.stringify(v)}`;
      })
      .join(" ");
    const outs = e.outputs.map(decl).join(" ");
    lines.push(`${indent}    ${outs} = ${e.prim}${params ? `[${params}]` : ""} ${e.inputs.map(atom).join(" ")}`);
    for (const s of subs) lines.push(printProgram(s, `${indent}      `));
  }
  lines.push(`${indent}  in ( ${p.outs.map(atom).join(" ")} ) }`);
  return lines.join("\n");
}

function fmtLiteral(l: Literal): string {
  const v = l.aval.dtype === "bool" ? (l.value ? "true" : "false") : String(l.value);
  return `${v}:${l.aval}`;
}
