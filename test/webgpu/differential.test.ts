/**
 * Differential suite: the WebGPU backend against the reference backend ("cpu"), float32 only.
 * Random Programs — jit(f), jit(grad(Σf)) and jit(vmap(f)) of the random expressions of
 * property-tests/exprs.ts, and jit(f) and jit(grad(Σf)) of every op of property-tests/ops.ts —
 * run on both, and every output must lie within the running first-order error bound of
 * property-tests/error-bound.ts (its header states the rules), with the WebGPU backend's accuracy:
 * float32 + − × ÷ √ correctly rounded (as on lavapipe), transcendentals within WGSL_ULP_BOUNDS
 * ulps of the reference, rsqrt 1 ulp (1/√x), integer_pow exact for y ∈ {−1, 0, 1, 2} and
 * WGSL_ULP_BOUNDS.integer_pow otherwise, sums in float32 in a fixed order and matmuls in float32
 * along k (the (m−1)·u·Σ|x| and γ_k terms of the bound).
 *
 * A Program with a primitive that has no WebGPU kernel yet must be refused when it compiles, with
 * the documented error (/has no WebGPU kernel yet/), naming a primitive of the Program that is
 * not one the backend fuses (elementwise, float reductions and products, views, pad, concatenate);
 * such cases are counted and printed at the end with the primitives that were refused.
 *
 * Every distinct shader compiles on the software adapter, so the runs are few and the shapes
 * small; seeded through property-tests/seed.ts (FC_SEED, FC_RUNS, FC_PATH as everywhere else).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  type Array as GArray,
  closeWebGpu,
  devicePut,
  grad,
  initWebGpu,
  jit,
  np,
  Program,
  tree,
  vmap,
  withBackend,
} from "../../src/index.js";
import type { PrimParams } from "../../src/core/primitives.js";
import { WGSL_ULP_BOUNDS } from "../../backends/webgpu/codegen/expr.js";
import { ELEMENTWISE } from "../../backends/plan/build.js";
import {
  type BoundStats,
  compareWithinBound,
  errorBound,
  type HostArray,
  type UlpBound,
} from "../../property-tests/error-bound.js";
import { arbExpr, exprFn } from "../../property-tests/exprs.js";
import { arbIn, broadcastShapes, sizeOf } from "../../property-tests/helpers.js";
import { BINARY, PRODUCTS, UNARY_ALL } from "../../property-tests/ops.js";
import { assertAsyncProperty, SEED } from "../../property-tests/seed.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

/** The WebGPU backend's documented accuracy (backends/webgpu/codegen/expr/math/index.ts). */
const WEBGPU_ULPS: UlpBound = (prim, dtype, params) => {
  if (dtype !== "float32") throw new Error(`errorBound: the webgpu backend has no ${dtype}`);
  if (prim === "integer_pow") {
    const y = (params as PrimParams["integer_pow"]).y;
    return y >= -1 && y <= 2 ? 0 : WGSL_ULP_BOUNDS.integer_pow;
  }
  const b = (WGSL_ULP_BOUNDS as Readonly<Record<string, number>>)[prim];
  if (b === undefined) throw new Error(`errorBound: no documented WGSL ulp bound for float32 '${prim}'`);
  return b;
};

/** Primitives the backend always compiles (in float32): fused elementwise, views, pad, concatenate. */
const ALWAYS_KERNEL = new Set([
  ...ELEMENTWISE,
  ...["stop_gradient", "iota", "broadcast_in_dim", "transpose", "slice", "rev", "reshape", "pad", "concatenate"],
]);
/** …and these with a float result (integer ones are documented to be refused). */
const FLOAT_KERNEL = new Set(["reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "dot_general"]);

/** The same float32 data on cpu and on webgpu. */
interface Pair {
  cpu: GArray;
  gpu: GArray;
}

function pairOf(data: ArrayLike<number>, shape: readonly number[]): Pair {
  const cpu = withBackend("cpu", () => np.array(Float64Array.from(data), { shape: [...shape], dtype: "float32" }));
  return { cpu, gpu: devicePut(cpu, "webgpu") };
}

const leaves = (x: unknown): GArray[] => tree.leaves(x) as GArray[];

/** What the cases did, by test: compared or refused, with the largest |webgpu − cpu| / B seen. */
interface Tally {
  compared: number;
  elements: number;
  differing: number;
  maxRatio: number;
  maxRatioAt: string;
  refused: Map<string, string[]>;
  ms: number;
}
const tallies = new Map<string, Tally>();
const tally = (name: string): Tally => {
  let t = tallies.get(name);
  if (!t) {
    t = { compared: 0, elements: 0, differing: 0, maxRatio: 0, maxRatioAt: "", refused: new Map(), ms: 0 };
    tallies.set(name, t);
  }
  return t;
};

/** The primitives of `program`, its calls' and control flow's sub-Programs included. */
function primsOf(program: Program, into = new Set<string>()): Set<string> {
  for (const eq of program.eqns) {
    into.add(eq.prim);
    for (const v of Object.values(eq.params)) {
      if (v instanceof Program) primsOf(v, into);
      else if (Array.isArray(v)) for (const w of v) if (w instanceof Program) primsOf(w, into);
    }
  }
  return into;
}

/**
 * Runs `g` jitted on webgpu and on cpu; either the webgpu compile refuses it (a primitive without
 * a kernel: checked against the Program, and counted) or every output is within the error bound.
 */
async function checkCase(
  t: Tally,
  g: (...xs: GArray[]) => unknown,
  inputs: readonly Pair[],
  what: string,
): Promise<void> {
  const jg = jit(g);
  const cpuIns = inputs.map((p) => p.cpu);
  const program: Program = withBackend("cpu", () => jg.lower(...cpuIns)).program;
  let outs: GArray[];
  try {
    // Under webgpu, so arrays the function creates while tracing live there too.
    outs = leaves(withBackend("webgpu", () => jg(...inputs.map((p) => p.gpu))));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/has no WebGPU kernel yet/.test(message)) throw new Error(`${what}: ${message}\nProgram:\n${program}`);
    const prim = /webgpu backend: '([^']+)'/.exec(message)?.[1];
    const used = primsOf(program);
    if (prim === undefined || !used.has(prim) || ALWAYS_KERNEL.has(prim))
      throw new Error(`${what}: refused for '${prim}', not a kernel-less primitive of the Program:\n${program}`);
    if (
      FLOAT_KERNEL.has(prim) &&
      !program.eqns.some((eq) => eq.prim === prim && !eq.outputs[0]?.aval.dtype.startsWith("float"))
    )
      throw new Error(`${what}: a float '${prim}' was refused:\n${program}`);
    t.refused.set(prim, [...(t.refused.get(prim) ?? []), what]);
    return;
  }
  const host = await Promise.all(
    outs.map(async (x, o): Promise<HostArray> => {
      if (x.backend !== "webgpu") throw new Error(`${what}: output ${o} is on ${x.backend}, expected webgpu`);
      return { dtype: x.dtype, shape: x.shape, data: await x.data() };
    }),
  );
  const want = leaves(withBackend("cpu", () => jg(...cpuIns)));
  const bounds = errorBound(program, cpuIns, WEBGPU_ULPS);
  const s: BoundStats = compareWithinBound(host, want, bounds, { backend: "webgpu", what, program });
  t.compared++;
  t.elements += s.elements;
  t.differing += s.differing;
  if (s.maxRatio > t.maxRatio) [t.maxRatio, t.maxRatioAt] = [s.maxRatio, what];
}

// ---------------------------------------------------------------------------------------------
// Random shapes and inputs (small: every distinct shader compiles)
// ---------------------------------------------------------------------------------------------

/** Axis sizes: mostly small, some past a 64-invocation workgroup when multiplied out. */
const DIM = fc.constantFrom(1, 1, 2, 3, 4, 5, 7, 8, 16, 17);
const MAX_SIZE = 300;
const { pair: arbShapePair } = broadcastShapes(DIM, MAX_SIZE);
/** Inputs in [-3, 3] (exprs.ts's domain): mostly on a 2^-20 grid, some anywhere (tiny values included). */
const ELEMENT = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: -3 * 2 ** 20, max: 3 * 2 ** 20 }).map((i) => i / 2 ** 20) },
  { weight: 1, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
);
const arbData = (shape: readonly number[]): fc.Arbitrary<number[]> =>
  fc.array(ELEMENT, { minLength: sizeOf(shape), maxLength: sizeOf(shape) });

/** An expression, two broadcasting shapes, and data for them unbatched and with a leading batch axis. */
const exprCase = fc.tuple(arbExpr(2, 4), arbShapePair, fc.constantFrom(1, 3)).chain(([e, shapes, b]) => {
  const batched = shapes.map((s) => [b, ...s]);
  return fc.tuple(
    fc.constant({ e, shapes, batched }),
    fc.tuple(...shapes.map(arbData)),
    fc.tuple(...batched.map(arbData)),
  );
});

/** Every op of ops.ts with its inputs (float64 host arrays in the op's domain). */
const OP_SPECS: readonly { name: string; f: (...xs: GArray[]) => GArray; args: fc.Arbitrary<GArray[]> }[] = [
  ...UNARY_ALL.map((u) => ({
    name: u.name,
    f: (x: GArray): GArray => u.f(x),
    args: arbIn(u.dom, { minRank: u.minRank ?? 0, minDim: u.minDim ?? 1, maxRank: 2, maxDim: 9 }).map((x) => [x]),
  })),
  ...BINARY.map((b) => ({
    name: b.name,
    f: (x: GArray, y: GArray): GArray => b.f(x, y),
    args: arbShapePair.chain(([s0, s1]) => fc.tuple(arbIn(b.x, s0), arbIn(b.y, s1))),
  })),
  ...PRODUCTS.map((p) => ({ name: p.name, f: (x: GArray, y: GArray): GArray => p.f(x, y), args: p.args })),
];

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

describe.skipIf(skip !== undefined)(`webgpu vs cpu within the error bound${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if ("skip" in got) return;
    await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => {
    closeWebGpu();
    const lines = [...tallies].map(([name, t]) => {
      // Each refused primitive with its cases, shapes left out.
      const refused = [...t.refused]
        .map(([p, cases]) => {
          const names = [...new Set(cases.map((c) => c.replace(/( \[[\d,]*\])+$/, "")))];
          return `${p} ×${cases.length}: ${names.join(", ")}`;
        })
        .join("; ");
      return (
        `${name}: ${t.compared} compared (${t.elements} elements, ${t.differing} differing; max |webgpu − cpu|/B ` +
        `${t.maxRatio.toFixed(3)}${t.maxRatioAt ? ` at ${t.maxRatioAt}` : ""}), ` +
        `${[...t.refused.values()].reduce((a, c) => a + c.length, 0)} refused${refused ? ` (${refused})` : ""}, ` +
        `${(t.ms / 1000).toFixed(1)} s`
      );
    });
    console.log(`webgpu differential (FC_SEED=${SEED}):\n  ${lines.join("\n  ")}`);
  });

  it("jit(f), jit(grad(Σf)) and jit(vmap(f)) of random expressions, float32", async () => {
    const t = tally("expressions");
    const start = performance.now();
    await assertAsyncProperty(
      fc.asyncProperty(exprCase, async ([{ e, shapes, batched }, data, batchedData]) => {
        const f = exprFn(e);
        const xs = shapes.map((s, k) => pairOf(data[k]!, s));
        const bxs = batched.map((s, k) => pairOf(batchedData[k]!, s));
        const at = `${e} [${shapes[0]}] [${shapes[1]}]`;
        await checkCase(t, f, xs, `jit(${at})`);
        const g = grad((a: GArray, b: GArray) => f(a, b).sum(), { argnums: [0, 1] });
        await checkCase(t, (a: GArray, b: GArray) => g(a, b), xs, `jit(grad(Σ ${at}))`);
        await checkCase(t, vmap(f), bxs, `jit(vmap(${e})) [${batched[0]}] [${batched[1]}]`);
      }),
      20,
    );
    t.ms += performance.now() - start;
    expect(t.compared).toBeGreaterThan(0);
  });

  describe("every op of ops.ts, once each (× FC_RUNS): jit(f) and jit(grad(Σf))", () => {
    for (const spec of OP_SPECS)
      it(spec.name, async () => {
        const t = tally("ops.ts");
        const start = performance.now();
        await assertAsyncProperty(
          fc.asyncProperty(spec.args, async (args) => {
            const inputs = args.map((a) => pairOf(a.dataSync(), a.shape));
            const shapes = args.map((a) => `[${a.shape}]`).join(" ");
            await checkCase(t, spec.f, inputs, `jit(${spec.name}) ${shapes}`);
            const gf = grad((...xs: GArray[]) => np.sum(spec.f(...xs)), { argnums: args.map((_, k) => k) });
            await checkCase(t, (...xs: GArray[]) => gf(...xs), inputs, `jit(grad(Σ ${spec.name})) ${shapes}`);
          }),
          1,
        );
        t.ms += performance.now() - start;
      });
  });
});
