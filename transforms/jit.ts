/**
 * `jit`: stages a function to a Program once per signature and runs the compiled Program.
 * It binds the `jit_call` primitive, whose own JVP, batching, partial-evaluation and transpose
 * rules make `grad(jit(f))`, `jit(grad(f))` and `vmap(jit(f))` compose.
 */
import { Array as ArrayClass, type Array } from "../src/core/array.js";
import { config } from "../src/core/config.js";
import { numberKey, type Program } from "../src/core/program.js";
import { traceToProgram } from "../src/interpreters/staging.js";
import { bind, currentTrace } from "../src/core/trace.js";
import { defaultBackend } from "../src/core/backend.js";
import { simplify } from "../src/interpreters/passes.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { flattenArrays, flatFn, frozen, recordedDef } from "../src/interpreters/args.js";

export interface JitOptions {
  /** Positions of arguments that are compile-time constants (any JS value; part of the cache key). */
  staticArgnums?: number | readonly number[];
}

/** A jitted function, with its cache exposed for inspection. */
export interface Jitted<A extends unknown[], R> {
  (...args: A): R;
  /** How many distinct signatures have been staged so far. */
  readonly cacheSize: number;
  /** The simplified Program for these arguments (stages it if needed). */
  lower(...args: A): Program;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/**
 * Static arguments are compared by value: primitives, lists and plain objects structurally (so a
 * mutated or re-created config object is seen as what it now is); functions and class instances by
 * identity. Graft arrays cannot be static: their values belong in the traced arguments.
 */
function staticKey(v: unknown, position: number): string {
  if (typeof v === "number") return `n:${numberKey(v)}`;
  if (v === null || (typeof v !== "object" && typeof v !== "function"))
    return `${typeof v}:${JSON.stringify(typeof v === "bigint" || typeof v === "symbol" ? String(v) : v)}`;
  if (v instanceof ArrayClass)
    throw new TypeError(
      `jit: static argument ${position} is a graft Array (shape [${v.shape.join(", ")}]); arrays cannot be static — pass it as a regular argument`,
    );
  if (globalThis.Array.isArray(v)) return `[${v.map((x) => staticKey(x, position)).join(",")}]`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${staticKey((v as Record<string, unknown>)[k], position)}`)
      .join(",")}}`;
  let id = objectIds.get(v as object);
  if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
  return `#${id}`;
}

interface Staged {
  program: Program;
  outDef: PyTreeDef;
  extraArgs: Array[];
}

/**
 * Compiles `f`: the first call with a new signature (pytree structure, shapes, dtypes, weak types,
 * static argument values, backend) traces it to a Program; later calls reuse the compiled Program.
 *
 * @example
 * const f = jit((x: Array) => x.mul(2).add(1).tanh());
 * f(np.ones([3])); // traced and compiled once
 * f(np.zeros([3])); // reuses the compiled Program
 */
export function jit<A extends unknown[], R>(f: (...args: A) => R, opts: JitOptions = {}): Jitted<A, R> {
  const statics = new Set(
    opts.staticArgnums === undefined
      ? []
      : typeof opts.staticArgnums === "number"
        ? [opts.staticArgnums]
        : opts.staticArgnums,
  );
  const cache = new Map<string, Staged>();
  const name = f.name || "jitted";

  const stage = (args: A): { staged: Staged; leaves: Array[] } => {
    const n = args.length;
    for (const s of statics)
      if (!Number.isInteger(s) || s < -n || s >= n)
        throw new RangeError(`jit: staticArgnums ${s} is out of range for a call with ${n} argument(s)`);
    const isStatic = (i: number) => statics.has(i) || statics.has(i - n);
    const dynamic = args.filter((_, i) => !isStatic(i));
    // JS numbers behave as they do eagerly: integers are weak int32, others weak float32.
    const [leaves, inDef] = flattenArrays(dynamic, "jit", "arguments", "asArray");
    const key = [
      inDef.key,
      leaves.map((l) => l.aval.key).join(";"),
      JSON.stringify(args.map((a, i) => (isStatic(i) ? staticKey(a, i) : ""))),
      defaultBackend().name,
    ].join("/");
    let staged = cache.get(key);
    if (!staged) {
      const out: { def?: PyTreeDef } = {};
      const rebuild = (...dyn: unknown[]) => {
        let k = 0;
        return f(...(args.map((a, i) => (isStatic(i) ? a : dyn[k++])) as A));
      };
      const { program, extraArgs } = traceToProgram(
        flatFn(rebuild, inDef, "jit", out),
        leaves.map((l) => l.aval),
        currentTrace(),
        "jit",
      );
      staged = { program: simplify(program), outDef: recordedDef(out, "jit"), extraArgs };
      // A Program that captured tracers of an enclosing transform is only valid for this call.
      if (extraArgs.length === 0) cache.set(key, staged);
    }
    return { staged, leaves };
  };

  const jitted = (...args: A): R => {
    if (config.disableJit) return f(...args);
    const { staged, leaves } = stage(args);
    const outs = bind("jit_call", [...staged.extraArgs, ...leaves], { program: staged.program, name });
    return frozen(unflatten(staged.outDef, outs) as R);
  };
  Object.defineProperty(jitted, "cacheSize", { get: () => cache.size });
  (jitted as unknown as { lower: (...a: A) => Program }).lower = (...args: A) => stage(args).staged.program;
  return jitted as Jitted<A, R>;
}
