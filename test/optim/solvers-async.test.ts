/**
 * The asynchronous forms of the host-reading solvers (minimizeAsync, levenbergMarquardtAsync,
 * updateAsync of lbfgs(f), nonlinearCG(f) and newton(f)) run the same generator core as the
 * synchronous forms, only awaiting each read: on one backend they must give the same numbers bit
 * for bit, stop at the same iteration (callbacks, maxIter 0) and raise the same errors. A backend
 * that can only read asynchronously (the CPU interpreter without its synchronous read) checks that
 * the synchronous forms name their asynchronous form there, and that the asynchronous forms run on
 * it with the CPU's results.
 */
import { describe, expect, it } from "vitest";
import { type Backend, registerBackend } from "../../src/core/backend.js";
import { cpuBackend, devicePut, withBackend } from "../../src/index.js";
import { illConditioned, rosen, rosenResiduals } from "./_problems.js";
import { type Arr, type DT, grad, np, optim, tree } from "./_util.js";

type Result = optim.MinimizeResult<unknown>;
type LineSearchMethod = "lbfgs" | "cg-fr" | "cg-pr" | "newton";
const LINE_SEARCH_METHODS: readonly LineSearchMethod[] = ["lbfgs", "cg-fr", "cg-pr", "newton"];

/** An array's bytes, as hex (bitwise comparison: -0, NaN payloads and all). */
async function bits(a: Arr): Promise<string> {
  const d = await a.data();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString("hex");
}

/** Two pytrees have the same structure, dtypes, shapes and bits (non-array leaves: Object.is). */
async function expectIdentical(a: unknown, b: unknown, what: string): Promise<void> {
  const [la, da] = tree.flatten(a);
  const [lb, db] = tree.flatten(b);
  expect(db.toString(), `${what}: structure`).toBe(da.toString());
  expect(lb.length, `${what}: leaves`).toBe(la.length);
  for (const [i, x] of la.entries()) {
    const y = lb[i];
    if (x instanceof np.Array) {
      expect(y, `${what}: leaf ${i}`).toBeInstanceOf(np.Array);
      const ya = y as Arr;
      expect([ya.dtype, ...ya.shape], `${what}: leaf ${i} dtype and shape`).toEqual([x.dtype, ...x.shape]);
      expect(await bits(ya), `${what}: leaf ${i} bits`).toBe(await bits(x));
    } else expect(Object.is(x, y), `${what}: leaf ${i}: ${String(x)} vs ${String(y)}`).toBe(true);
  }
}

/** Same x (bitwise) and the same reported numbers, messages and history. */
async function expectSameResult(want: Result, got: Result, what: string): Promise<void> {
  await expectIdentical(want.x, got.x, `${what}: x`);
  const { x: _wx, ...wantRest } = want;
  const { x: _gx, ...gotRest } = got;
  expect(gotRest, what).toStrictEqual(wantRest);
}

/** The error the synchronous form throws; the asynchronous form must reject with the same class and message. */
async function expectSameError(sync: () => unknown, run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  let thrown: unknown;
  try {
    sync();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "the synchronous form throws").toBeInstanceOf(Error);
  const want = thrown as Error;
  expect(want.message).toMatch(pattern);
  const got: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(got, "the asynchronous form rejects").toBeInstanceOf(Error);
  expect((got as Error).constructor).toBe(want.constructor);
  expect((got as Error).message).toBe(want.message);
}

const rosenStart = (dtype: DT): Arr => np.array([-1.2, 1], { dtype });

/** A pytree quadratic: ½Σλᵢ(wᵢ − cᵢ)² + 2(b + 1)², with λ from 1 to 10. */
const pytreeQuadratic = (p: { w: Arr; b: Arr }): Arr =>
  p.w
    .sub(np.array([1, -2, 3], { dtype: p.w.dtype }))
    .square()
    .mul(np.array([0.5, 2, 5], { dtype: p.w.dtype }))
    .sum()
    .add(p.b.add(1).square().mul(2).sum());
const pytreeStart = () => ({ w: np.zeros([3], { dtype: "float64" }), b: np.zeros([1], { dtype: "float32" }) });

const objectives = [
  { name: "Rosenbrock (float64)", f: rosen, x0: () => rosenStart("float64") },
  { name: "Rosenbrock (float32)", f: rosen, x0: () => rosenStart("float32") },
  { name: "a pytree quadratic", f: pytreeQuadratic, x0: pytreeStart },
  { name: "an ill-conditioned quadratic (float32)", f: illConditioned(6, 1e3, "float32").f, x0: () => np.zeros([6]) },
] as const;

describe("minimizeAsync returns exactly what minimize returns", () => {
  for (const { name, f, x0 } of objectives)
    for (const method of LINE_SEARCH_METHODS)
      it(`${method} on ${name}`, async () => {
        const start = x0();
        const opts = { method, maxIter: 80 };
        const want = optim.minimize(f as optim.Objective<unknown>, start, opts);
        const got = await optim.minimizeAsync(f as optim.Objective<unknown>, start, opts);
        expect(want.iterations, "the solver did some work").toBeGreaterThan(0);
        await expectSameResult(want, got, `${method} on ${name}`);
      });

  it("lm (Rosenbrock's residuals in float64 and float32, and an exponential fit)", async () => {
    const t = np.linspace(0, 1, 8, { dtype: "float64" });
    const y = t.mul(-1.5).exp().mul(2);
    const expFit = (p: Arr): Arr => p.get(0).mul(p.get(1).mul(t).exp()).sub(y);
    const cases: [string, (p: Arr) => Arr, Arr][] = [
      ["rosenbrock f64", rosenResiduals, rosenStart("float64")],
      ["rosenbrock f32", rosenResiduals, rosenStart("float32")],
      ["exp fit", expFit, np.array([1, 0], { dtype: "float64" })],
    ];
    for (const [name, r, start] of cases) {
      const want = optim.minimize(r, start, { method: "lm", damping: 0.1 });
      const got = await optim.minimizeAsync(r, start, { method: "lm", damping: 0.1 });
      expect(want.iterations).toBeGreaterThan(0);
      await expectSameResult(want, got, `minimize lm, ${name}`);
      const opts = { scaling: "marquardt", lambda0: 10 } as const;
      const direct = optim.levenbergMarquardt(r, start, opts);
      await expectSameResult(
        direct,
        await optim.levenbergMarquardtAsync(r, start, opts),
        `levenbergMarquardt, ${name}`,
      );
    }
  });

  it("a callback that stops early sees the same iterations and stops both at the same point", async () => {
    for (const method of [...LINE_SEARCH_METHODS, "lm"] as const) {
      const f = method === "lm" ? rosenResiduals : rosen;
      const seen: [optim.IterationInfo[], optim.IterationInfo[]] = [[], []];
      const opts = (k: 0 | 1) => ({
        method,
        callback: (info: optim.IterationInfo) => {
          seen[k].push(info);
          return info.iteration === 3;
        },
      });
      const want = optim.minimize(f, rosenStart("float64"), opts(0));
      const got = await optim.minimizeAsync(f, rosenStart("float64"), opts(1));
      expect(want.iterations, method).toBe(3);
      expect(want.message, method).toBe("stopped by the callback");
      expect(seen[1], method).toStrictEqual(seen[0]);
      expect(seen[0].map((s) => s.iteration)).toEqual([1, 2, 3]);
      await expectSameResult(want, got, `${method} with a callback`);
    }
  });

  it("maxIter 0 reports the starting point in both forms", async () => {
    for (const method of [...LINE_SEARCH_METHODS, "lm"] as const) {
      const f = method === "lm" ? rosenResiduals : rosen;
      const want = optim.minimize(f, rosenStart("float32"), { method, maxIter: 0 });
      const got = await optim.minimizeAsync(f, rosenStart("float32"), { method, maxIter: 0 });
      expect([want.iterations, want.history.length, want.message], method).toEqual([
        0,
        1,
        "reached maxIter (0) iterations",
      ]);
      await expectSameResult(want, got, `${method}, maxIter 0`);
    }
  });

  it("bad options and bad objectives raise the same errors (the async form rejects)", async () => {
    const x0 = rosenStart("float64");
    const m = (opts: unknown, f: unknown = rosen) =>
      [
        () => optim.minimize(f as optim.Objective<Arr>, x0, opts as optim.MinimizeOptions),
        () => optim.minimizeAsync(f as optim.Objective<Arr>, x0, opts as optim.MinimizeOptions),
      ] as const;
    await expectSameError(...m({ method: "dfp" }), /minimize: method must be/);
    await expectSameError(...m({ maxIter: -1 }), /minimize: maxIter must be an integer >= 0/);
    await expectSameError(...m({ memorySize: 0 }), /minimize: memorySize must be an integer >= 1/);
    await expectSameError(...m({ tolerance: 1 }), /tolerance/);
    await expectSameError(...m(null), /minimize: options must be an object/);
    await expectSameError(...m({}, 3), /minimize: f must be a function/);
    // Raised mid-run: by the first line search, and by the first evaluation.
    await expectSameError(...m({ lineSearch: { c1: 0.95 } }), /lineSearchWolfe: need 0 < c1 < c2 < 1/);
    await expectSameError(...m({}, (p: Arr) => p.mul(2)), /must return a scalar/);
    await expectSameError(...m({ method: "lm", damping: 1, lambda0: 2 }), /either damping or lambda0/);
    await expectSameError(
      () => optim.levenbergMarquardt(rosenResiduals, x0, { scaling: "diag" as "identity" }),
      () => optim.levenbergMarquardtAsync(rosenResiduals, x0, { scaling: "diag" as "identity" }),
      /levenbergMarquardt: scaling must be/,
    );
  });
});

describe("updateAsync returns exactly what update returns", () => {
  /** `steps` updates from x0, once with update and once with updateAsync, compared at every step. */
  async function compareSteps<S>(
    opt: optim.GradientTransformation<S> & optim.AsyncUpdate<S>,
    f: (x: Arr) => Arr,
    x0: Arr,
    steps: number,
    gradOf: (x: Arr) => Arr = (x) => grad(f)(x) as Arr,
  ): Promise<Arr> {
    let [x, state] = [x0, opt.init(x0)];
    for (let k = 0; k < steps; k++) {
      const g = gradOf(x);
      const want = opt.update(g, state, x);
      const got = await opt.updateAsync(g, state, x);
      await expectIdentical(want, got, `step ${k + 1}`);
      [x, state] = [x.add(want[0]), want[1]];
    }
    return x;
  }

  it("lbfgs(f) (memory 3, so pairs are dropped) on Rosenbrock, float64 and float32", async () => {
    for (const dtype of ["float64", "float32"] as const) {
      const x = await compareSteps(optim.lbfgs(rosen, { memorySize: 3 }), rosen, rosenStart(dtype), 12);
      expect(rosen(x).item(), "the steps made progress").toBeLessThan(rosen(rosenStart(dtype)).item() / 10);
    }
  });

  it("nonlinearCG(f), Polak–Ribière+ and Fletcher–Reeves", async () => {
    for (const variant of ["pr", "fr"] as const) {
      const x = await compareSteps(optim.nonlinearCG(rosen, { variant }), rosen, rosenStart("float64"), 10);
      expect(rosen(x).item()).toBeLessThan(rosen(rosenStart("float64")).item());
    }
  });

  it("newton(f), with a schedule", async () => {
    const opt = optim.newton(rosen, { damping: 1e-2, lr: (t) => np.power(0.9, t) });
    const x = await compareSteps(opt, rosen, rosenStart("float64"), 4);
    expect(rosen(x).item()).toBeLessThan(rosen(rosenStart("float64")).item());
  });

  it("a zero gradient and a failed line search (an ascent direction passed as the gradient)", async () => {
    const { f, xStar } = illConditioned(4, 10, "float64");
    const zero = () => np.zeros([4], { dtype: "float64" });
    const atMin = np.array(xStar, { dtype: "float64" });
    const x0 = zero();
    // −∇f passed as the gradient: the search along ∇f finds no decrease.
    const wrong = (x: Arr) => (grad(f)(x) as Arr).neg();
    const opts: optim.LineSearchTransformation<unknown>[] = [optim.lbfgs(f), optim.nonlinearCG(f)];
    for (const opt of opts) {
      await compareSteps(opt, f, atMin, 1, zero);
      expect(Array.from((opt.update(zero(), opt.init(atMin), atMin)[0] as Arr).dataSync())).toEqual([0, 0, 0, 0]);
      await compareSteps(opt, f, x0, 2, wrong);
      expect(Array.from((opt.update(wrong(x0), opt.init(x0), x0)[0] as Arr).dataSync())).toEqual([0, 0, 0, 0]);
    }
  });

  it("bad states and missing params raise the same errors", async () => {
    const x = rosenStart("float64");
    const g = grad(rosen)(x) as Arr;
    for (const [name, opt] of [
      ["lbfgs", optim.lbfgs(rosen)],
      ["nonlinearCG", optim.nonlinearCG(rosen)],
      ["newton", optim.newton(rosen)],
    ] as const) {
      const t = opt as optim.GradientTransformation<unknown> & optim.AsyncUpdate<unknown>;
      await expectSameError(
        () => t.update(g, {}, x),
        () => t.updateAsync(g, {}, x),
        new RegExp(`${name}: state must come from`),
      );
      await expectSameError(
        () => t.update(g, t.init(x)),
        () => t.updateAsync(g, t.init(x)),
        new RegExp(`${name}: update needs params`),
      );
    }
  });
});

describe("on a backend that reads only asynchronously", () => {
  // The CPU interpreter without its synchronous read: WebGPU's situation, in the unit suite.
  const ASYNC_ONLY = "optim-async-only-test";
  const asyncOnly: Backend = {
    ...(cpuBackend as Backend),
    name: ASYNC_ONLY,
    adopt: undefined,
    downloadSync: undefined,
  };
  registerBackend(asyncOnly);
  const onAsyncOnly = <R>(f: () => R): R => withBackend(ASYNC_ONLY, f);
  const start = () => onAsyncOnly(() => devicePut(rosenStart("float32"), ASYNC_ONLY));

  it("the synchronous forms name their asynchronous form", () => {
    const x = start();
    const where = `the arrays live on the '${ASYNC_ONLY}' backend, which reads only asynchronously`;
    onAsyncOnly(() => {
      expect(() => optim.minimize(rosen, x)).toThrow(`minimize: ${where}; use minimizeAsync`);
      expect(() => optim.minimize(rosenResiduals, x, { method: "lm" })).toThrow(
        `minimize: ${where}; use minimizeAsync`,
      );
      expect(() => optim.levenbergMarquardt(rosenResiduals, x)).toThrow(
        `levenbergMarquardt: ${where}; use levenbergMarquardtAsync`,
      );
      const g = grad(rosen)(x) as Arr;
      const lb = optim.lbfgs(rosen);
      expect(() => lb.update(g, lb.init(x), x)).toThrow(`lbfgs(f).update: ${where}; use lbfgs(f).updateAsync`);
      const cg = optim.nonlinearCG(rosen);
      expect(() => cg.update(g, cg.init(x), x)).toThrow(
        `nonlinearCG(f).update: ${where}; use nonlinearCG(f).updateAsync`,
      );
    });
  });

  // Only the methods without loops in their programs: the CPU interpreter compiles a loop's body for
  // the CPU backend object itself, not for a renamed copy (newton and lm run on WebGPU in test/webgpu).
  it("the asynchronous forms run there and give the CPU's results (float32)", async () => {
    for (const method of ["lbfgs", "cg-pr", "cg-fr"] as const) {
      const want = withBackend("cpu", () => optim.minimize(rosen, devicePut(rosenStart("float32"), "cpu"), { method }));
      const got = await onAsyncOnly(() => optim.minimizeAsync(rosen, start(), { method }));
      expect((got.x as Arr).backend).toBe(ASYNC_ONLY);
      expect(want.converged || want.message === "the line search found no decrease", method).toBe(true);
      await expectSameResult(want, got, `${method} on the async-only backend`);
    }
    const x = start();
    const [u, s] = await onAsyncOnly(() => {
      const opt = optim.lbfgs(rosen);
      return opt.updateAsync(grad(rosen)(x) as Arr, opt.init(x), x);
    });
    const opt = optim.lbfgs(rosen);
    const xc = devicePut(rosenStart("float32"), "cpu");
    const want = withBackend("cpu", () => opt.update(grad(rosen)(xc) as Arr, opt.init(xc), xc));
    await expectIdentical(want, [u, s], "lbfgs(f).updateAsync on the async-only backend");
  });
});
