/**
 * `jit`: stages a function to a Program once per signature and runs the compiled Program.
 * It binds the `jit_call` primitive, whose own JVP, batching, partial-evaluation and transpose
 * rules make `grad(jit(f))`, `jit(grad(f))` and `vmap(jit(f))` compose.
 *
 * Traces are cached per function object and options (as JAX does), so `jit(f)(x)` in a loop reuses
 * the trace of the previous iteration's wrapper; each cache keeps the `config.cacheSize` most
 * recently used signatures.
 */
import { type Array, describeValue, isArray } from "../src/core/array.js";
import type { ShapedArray } from "../src/core/aval.js";
import { config } from "../src/core/config.js";
import { LruCache, cacheGeneration } from "../src/core/caches.js";
import { checkOptions } from "../src/core/options.js";
import { checkFunction } from "../src/core/validate.js";
import { numberKey, type Program } from "../src/core/program.js";
import { traceToProgram } from "../src/interpreters/staging.js";
import { bind, currentTrace } from "../src/core/trace.js";
import { defaultBackend, getBackend } from "../src/core/backend.js";
import { withBackend } from "../src/core/backend-choice.js";
import { constantBuffers, isConcrete } from "../src/core/concrete.js";
import { simplify } from "../src/interpreters/passes.js";
import { flattenWithPath, unflatten, type PyTreeDef } from "../src/tree/index.js";
import { auxToString, symbolKey } from "../src/tree/aux.js";
import { flattenArrays, flatFn, frozen, recordedDef } from "../src/interpreters/args.js";

export interface JitOptions {
  /** Positions of arguments that are compile-time constants (any JS value; part of the cache key). */
  staticArgnums?: number | readonly number[];
  /**
   * The backend to run on (a registered name). Array arguments must live there (move them with
   * `devicePut`); JS numbers and arrays the function creates go there. Default: the arguments'
   * backend, or the default backend when no argument is an array.
   */
  backend?: string;
}

const JIT_OPTIONS = ["staticArgnums", "backend"] as const;

/** A jitted function, with its cache exposed for inspection. */
export interface Jitted<A extends unknown[], R> {
  (...args: A): R;
  /** How many distinct signatures are cached now (at most `config.cacheSize`; shared by every `jit(f)` of the same `f` and options). */
  readonly cacheSize: number;
  /**
   * Stages the function for these arguments (or reuses the cached staging), as JAX's `lower`:
   * `.asText()` prints the Program, `.compile().asText()` the backend's kernels.
   */
  lower(...args: A): Lowered;
}

/** A function staged for one signature: its Program, and the backend it would run on. */
export interface Lowered {
  /** The simplified Program. */
  readonly program: Program;
  /** The backend's name the arguments select. */
  readonly backend: string;
  /** The Program as text (JAX's `jaxpr` notation). */
  asText(): string;
  /** Compiles the Program on its backend (cached per Program) and describes the result. */
  compile(): Compiled;
  /** The same as `asText()`. */
  toString(): string;
}

/** A Program compiled by a backend. */
export interface Compiled {
  readonly backend: string;
  /** What the backend runs: the wasm backend lists its fused kernels; the reference interpreter, the equations. */
  asText(): string;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/**
 * Static arguments are compared by value: primitives, lists and plain objects structurally (so a
 * mutated or re-created config object is seen as what it now is; symbol-keyed properties included);
 * functions, symbols and class instances by identity. Graft arrays cannot be static: their values
 * belong in the traced arguments.
 */
function staticKey(v: unknown, position: number): string {
  if (typeof v === "number") return `n:${numberKey(v)}`;
  if (typeof v === "symbol") return symbolKey(v);
  if (v === null || (typeof v !== "object" && typeof v !== "function"))
    return `${typeof v}:${JSON.stringify(typeof v === "bigint" ? String(v) : v)}`;
  if (isArray(v))
    throw new TypeError(
      `jit: static argument ${position} is a graft Array (shape [${v.shape.join(", ")}]); arrays cannot be static — pass it as a regular argument`,
    );
  if (globalThis.Array.isArray(v)) return `[${v.map((x) => staticKey(x, position)).join(",")}]`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) {
    const rec = v as Record<string | symbol, unknown>;
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${staticKey(rec[k], position)}`);
    const syms = Object.getOwnPropertySymbols(v)
      .filter((s) => Object.prototype.propertyIsEnumerable.call(v, s))
      .map((s) => `${symbolKey(s)}:${staticKey(rec[s], position)}`)
      .sort();
    return `{${[...parts, ...syms].join(",")}}`;
  }
  let id = objectIds.get(v as object);
  if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
  return `#${id}`;
}

interface Staged {
  program: Program;
  outDef: PyTreeDef;
  extraArgs: Array[];
}

/** What the most recent trace was made for, to explain the next cache miss (`config.explainCacheMisses`). */
interface Signature {
  nargs: number;
  /** Per argument position: its static key, or undefined for a traced argument. */
  statics: (string | undefined)[];
  /** Per static position: a readable rendering of the value (only while explaining). */
  shown: (string | undefined)[];
  /** The structure of the traced arguments, in order. */
  inDef: PyTreeDef;
  avals: ShapedArray[];
  backend: string;
  /** Whether the trace was cached (not when it captured tracers of an enclosing transform). */
  cached: boolean;
  generation: number;
}

/** The traces of one function under one set of options, shared by every `jit(f, opts)` wrapper. */
interface TraceCache {
  entries: LruCache<Staged>;
  last?: Signature;
}

// f → options key → cache. Held weakly by the function, so a function's traces go when it does.
const traceCaches = new WeakMap<object, Map<string, TraceCache>>();

function traceCacheFor(f: object, optionsKey: string): TraceCache {
  let byOptions = traceCaches.get(f);
  if (!byOptions) traceCaches.set(f, (byOptions = new Map()));
  let c = byOptions.get(optionsKey);
  if (!c) byOptions.set(optionsKey, (c = { entries: new LruCache<Staged>() }));
  return c;
}

/** The static positions as written, checked to be integers (ranges depend on each call's arity). */
function normalizeStatics(s: JitOptions["staticArgnums"]): number[] {
  const list = s === undefined ? [] : typeof s === "number" ? [s] : globalThis.Array.isArray(s) ? [...s] : null;
  if (list === null || !list.every((i) => Number.isInteger(i)))
    throw new TypeError(
      `jit: staticArgnums must be an integer or a list of integers, got ${globalThis.Array.isArray(s) ? `[${s.map(String).join(", ")}]` : describeValue(s)}`,
    );
  return list;
}

const clip = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A non-array leaf, in an argument error. */
function describeLeaf(x: unknown): string {
  if (typeof x === "string") return `a string (${JSON.stringify(clip(x, 40))})`;
  if (typeof x === "bigint") return `a bigint (${x}n)`;
  if (typeof x === "symbol") return `a symbol (${x.toString()})`;
  return describeValue(x);
}

/**
 * The error for an argument that is not an array, number or pytree of them, naming its position
 * (and leaf) and suggesting `staticArgnums`; undefined when no such leaf is found.
 */
function argumentError(
  name: string,
  args: readonly unknown[],
  isStatic: (i: number) => boolean,
): TypeError | undefined {
  for (let i = 0; i < args.length; i++) {
    if (isStatic(i)) continue;
    for (const [path, leaf] of flattenWithPath(args[i])[0]) {
      if (isArray(leaf) || typeof leaf === "number" || typeof leaf === "boolean") continue;
      return new TypeError(
        `${name}: arguments must be graft arrays, numbers or pytrees of them; found ${describeLeaf(leaf)} as argument ${i}` +
          `${path ? ` (leaf ${path})` : ""} — mark it static with jit(f, { staticArgnums: [${i}] })`,
      );
    }
  }
  return undefined;
}

/** Why `now` needed a new trace, compared with the most recent trace `prev` (one line). */
function explainMiss(prev: Signature, now: Signature, args: readonly unknown[]): string {
  if (prev.generation !== now.generation) return "clearCaches() emptied the cache";
  const reasons: string[] = [];
  if (prev.backend !== now.backend) reasons.push(`the backend changed from ${prev.backend} to ${now.backend}`);
  if (prev.nargs !== now.nargs)
    reasons.push(`called with ${now.nargs} argument(s), the previous trace with ${prev.nargs}`);
  const dynIndex = (sig: Signature, i: number): number => sig.statics.slice(0, i).filter((s) => s === undefined).length;
  const leafOffset = (sig: Signature, k: number): number =>
    sig.inDef.children.slice(0, k).reduce((n, c) => n + c.numLeaves, 0);
  for (let i = 0; i < Math.min(prev.nargs, now.nargs); i++) {
    const ps = prev.statics[i];
    const ns = now.statics[i];
    if (ps !== undefined || ns !== undefined) {
      if (ps === undefined || ns === undefined)
        reasons.push(
          `argument ${i} is ${ns === undefined ? "traced" : "static"} now, ${ps === undefined ? "traced" : "static"} before`,
        );
      else if (ps !== ns) {
        const [a, b] = [prev.shown[i] ?? ps, now.shown[i] ?? ns];
        reasons.push(
          `static argument ${i} changed from ${a} to ${b}` +
            (a === b ? " (a different object: functions, symbols and class instances are compared by identity)" : ""),
        );
      }
      continue;
    }
    const pk = dynIndex(prev, i);
    const nk = dynIndex(now, i);
    const pd = prev.inDef.children[pk];
    const nd = now.inDef.children[nk];
    if (!pd || !nd) continue;
    if (pd.key !== nd.key) {
      reasons.push(`argument ${i} structure changed from ${clip(pd.toString())} to ${clip(nd.toString())}`);
      continue;
    }
    const p0 = leafOffset(prev, pk);
    const n0 = leafOffset(now, nk);
    let paths: string[] | undefined;
    for (let j = 0; j < nd.numLeaves; j++) {
      const a = prev.avals[p0 + j];
      const b = now.avals[n0 + j];
      if (!a || !b || a.key === b.key) continue;
      paths ??= flattenWithPath(args[i])[0].map(([p]) => p);
      const what = a.shape.join() !== b.shape.join() ? "shape" : a.dtype !== b.dtype ? "dtype" : "weak type";
      const path = paths[j] ? ` (leaf ${paths[j]})` : "";
      const note = what === "weak type" ? " (~ marks a weakly typed value, such as a JS number)" : "";
      reasons.push(`argument ${i}${path} ${what} changed from ${a} to ${b}${note}`);
    }
  }
  if (reasons.length === 0)
    return prev.cached
      ? `the same signature was traced before but evicted (config.cacheSize = ${config.cacheSize})`
      : "the previous trace closed over values of an enclosing transform, so it was not cached";
  const shown = reasons.length > 4 ? [...reasons.slice(0, 4), `and ${reasons.length - 4} more`] : reasons;
  return shown.join("; ");
}

/**
 * The backend a call runs on: the one its concrete array arguments share (`backend`, when given,
 * must be it), else `backend` or the default. Operands on different backends are an error naming
 * the explicit transfer, as for eager operations.
 */
function callBackend(leaves: readonly Array[], backend: string | undefined): string {
  let found: string | undefined;
  leaves.forEach((l, i) => {
    if (!isConcrete(l)) return;
    const b = l.backend;
    if (found === undefined) found = b;
    else if (b !== found)
      throw new Error(
        `jit: arguments live on different backends (${found} and ${b}, argument leaf ${i}); move them with devicePut(x, "${found}")`,
      );
  });
  if (backend !== undefined && found !== undefined && found !== backend)
    throw new Error(
      `jit: the function runs on the '${backend}' backend but its arguments live on '${found}'; move them with devicePut(x, "${backend}")`,
    );
  return found ?? backend ?? defaultBackend().name;
}

/**
 * Compiles `f`: the first call with a new signature (pytree structure, shapes, dtypes, weak types,
 * static argument values, backend) traces it to a Program; later calls reuse the compiled Program.
 *
 * Traces are cached per function object and options, as in JAX: `jit(f)` made again for the same
 * `f` shares the traces of the earlier wrappers, so `jit(f)(x)` in a loop traces once. Values `f`
 * closes over are constants of the trace (re-create `f`, or pass them as arguments, to change
 * them). Each cache keeps the `config.cacheSize` most recently used signatures; an evicted
 * signature is traced again. With `config.update({ explainCacheMisses: true })` every retrace logs
 * (console.warn) what changed since the most recent trace.
 *
 * @example
 * const f = jit((x: Array) => x.mul(2).add(1).tanh());
 * f(np.ones([3])); // traced and compiled once
 * f(np.zeros([3])); // reuses the compiled Program
 */
export function jit<A extends unknown[], R>(f: (...args: A) => R, opts: JitOptions = {}): Jitted<A, R> {
  checkFunction("jit", f);
  checkOptions("jit", opts, JIT_OPTIONS);
  if (opts.backend !== undefined) getBackend(opts.backend);
  const staticList = normalizeStatics(opts.staticArgnums);
  const statics = new Set(staticList);
  // Every option that changes what is traced is part of this key.
  const cache = traceCacheFor(f, `static:${[...statics].sort((a, b) => a - b).join(",")}`);
  const name = f.name || "jitted";
  const op = `jit(${f.name || "anonymous"})`;

  const stage = (args: A): { staged: Staged; leaves: Array[] } => {
    const n = args.length;
    for (const s of statics)
      if (s < -n || s >= n)
        throw new RangeError(`jit: staticArgnums ${s} is out of range for a call with ${n} argument(s)`);
    const isStatic = (i: number) => statics.has(i) || statics.has(i - n);
    const dynamic = args.filter((_, i) => !isStatic(i));
    // JS numbers behave as they do eagerly: integers are weak int32, others weak float32.
    let leaves: Array[];
    let inDef: PyTreeDef;
    try {
      [leaves, inDef] = flattenArrays(dynamic, "jit", "arguments", "asArray");
    } catch (e) {
      throw (e instanceof TypeError && argumentError("jit", args, isStatic)) || e;
    }
    const staticKeys = args.map((a, i) => (isStatic(i) ? staticKey(a, i) : undefined));
    const backend = callBackend(leaves, opts.backend);
    const key = [
      inDef.key,
      leaves.map((l) => l.aval.key).join(";"),
      JSON.stringify(staticKeys.map((k) => k ?? "")),
      backend,
    ].join("/");
    let staged = cache.entries.get(key);
    if (!staged) {
      const explain = config.explainCacheMisses;
      const sig: Signature = {
        nargs: n,
        statics: staticKeys,
        shown: explain ? args.map((a, i) => (isStatic(i) ? clip(auxToString(a)) : undefined)) : [],
        inDef,
        avals: leaves.map((l) => l.aval),
        backend,
        cached: false,
        generation: cacheGeneration(),
      };
      if (explain && cache.last) {
        const full =
          cache.entries.size >= config.cacheSize
            ? ` (the cache is full: it keeps config.cacheSize = ${config.cacheSize} signatures, least recently used dropped first)`
            : "";
        console.warn(`${op}: cache miss, tracing again: ${explainMiss(cache.last, sig, args)}${full}`);
      }
      const out: { def?: PyTreeDef } = {};
      const rebuild = (...dyn: unknown[]) => {
        let k = 0;
        return f(...(args.map((a, i) => (isStatic(i) ? a : dyn[k++])) as A));
      };
      // Arrays the function creates (constants) go where it runs: its arguments' backend.
      const { program, extraArgs } = withBackend(backend, () =>
        traceToProgram(
          flatFn(rebuild, inDef, "jit", out),
          leaves.map((l) => l.aval),
          currentTrace(),
          "jit",
        ),
      );
      staged = { program: simplify(program), outDef: recordedDef(out, "jit"), extraArgs };
      // A Program that captured tracers of an enclosing transform is only valid for this call.
      if (extraArgs.length === 0) cache.entries.set(key, staged);
      sig.cached = extraArgs.length === 0;
      cache.last = sig;
    }
    return { staged, leaves };
  };

  const call = (...args: A): R => {
    if (config.disableJit) return f(...args);
    const { staged, leaves } = stage(args);
    const outs = bind("jit_call", [...staged.extraArgs, ...leaves], { program: staged.program, name });
    return frozen(unflatten(staged.outDef, outs) as R);
  };
  const target = opts.backend;
  const jitted = target === undefined ? call : (...args: A): R => withBackend(target, () => call(...args));
  Object.defineProperty(jitted, "cacheSize", { get: () => cache.entries.size });
  (jitted as unknown as { lower: (...a: A) => Lowered }).lower = (...args: A): Lowered => {
    const { staged, leaves } = stage(args);
    const backend = callBackend(leaves, opts.backend);
    const program = staged.program;
    return {
      program,
      backend,
      asText: () => program.toString(),
      toString: () => program.toString(),
      compile: (): Compiled => {
        const b = getBackend(backend);
        const exe = b.compile(program, constantBuffers(program, b));
        return { backend, asText: () => exe.asText?.() ?? program.toString() };
      },
    };
  };
  return jitted as Jitted<A, R>;
}
