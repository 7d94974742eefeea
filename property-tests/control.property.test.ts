/**
 * Control flow (scan, cond, switchCase, whileLoop) on random inputs, float64:
 * - scan equals the unrolled JS loop, values and gradients (w.r.t. init, xs and a closed-over
 *   parameter), forward and reverse, for a few step functions;
 * - cond's / switchCase's gradient equals the taken branch's gradient;
 * - vmap of cond / switchCase / whileLoop / scan equals a loop over the batch;
 * - jit of each equals eager;
 * - checkGrads (order 2, fwd + rev) on scan and cond functions;
 * - jvp through a whileLoop (Newton's method) equals central differences and the implicit-function value.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { cond, grad, jit, jvp, np, scan, switchCase, vmap, whileLoop, type Array } from "../src/index.js";
import { checkGrads, type CheckGradsOptions } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectClose, expectTreeClose, sliceAxis, stackAxis, type Domain } from "./helpers.js";

const TOL = { atol: 1e-12, rtol: 1e-10 };
const TIGHT: CheckGradsOptions = { order: 2, eps: 1e-5, atol: 1e-6, rtol: 1e-5 };
const UNIT: Domain = { min: -1, max: 1 };
const f64 = (v: number | number[]): Array => np.array(v, { dtype: "float64" });

// ---------------------------------------------------------------------------------------------
// scan vs the unrolled loop

/** A step function family: the carry is a list of [n] leaves, x is [n], ys a list of leaves. */
interface StepSpec {
  name: string;
  carryLeaves: number;
  step: (w: Array) => (c: Array[], x: Array) => [Array[], Array[]];
}
const STEPS: StepSpec[] = [
  {
    name: "tanh RNN",
    carryLeaves: 1,
    step:
      (w) =>
      ([h], x) => {
        const hn = h!.mul(w).add(x).tanh();
        return [[hn], [h!.mul(x)]];
      },
  },
  {
    name: "trig mix, scalar y",
    carryLeaves: 1,
    step:
      (w) =>
      ([c], x) => [[c!.mul(x.cos()).add(c!.mul(w).sin())], [c!.add(x.mul(w)).sum()]],
  },
  {
    name: "two-leaf carry, two ys",
    carryLeaves: 2,
    step:
      (w) =>
      ([a, b], x) => [
        [a!.mul(b!).mul(w).add(x), b!.sub(a!.mul(x)).tanh()],
        [a!.mul(b!), b!.sin().mul(w)],
      ],
  },
  {
    name: "rational",
    carryLeaves: 1,
    step:
      (w) =>
      ([c], x) => [[c!.div(c!.square().add(1)).add(w.mul(x))], [c!.exp()]],
  },
];

/** Σ leaf + ½ Σ leaf²: a nonlinear read-out of every leaf (so cotangents differ per element). */
const readout = (leaves: readonly Array[]): Array =>
  leaves.reduce((s, l) => s.add(l.sum()).add(l.square().sum().mul(0.5)), f64(0));

const runScan =
  (spec: StepSpec, reverse: boolean) =>
  (w: Array, init: Array[], xs: Array): [Array[], Array[]] =>
    scan(spec.step(w), init, xs, { reverse });
const runUnrolled =
  (spec: StepSpec, reverse: boolean) =>
  (w: Array, init: Array[], xs: Array): [Array[], Array[][]] => {
    const L = xs.shape[0]!;
    const ys: Array[][] = new globalThis.Array(L);
    let c = init;
    for (let k = 0; k < L; k++) {
      const t = reverse ? L - 1 - k : k;
      const [cn, y] = spec.step(w)(c, xs.get(t));
      ys[t] = y;
      c = cn;
    }
    return [c, ys];
  };
const scanLoss =
  (spec: StepSpec, reverse: boolean) =>
  (w: Array, init: Array[], xs: Array): Array => {
    const [c, ys] = runScan(spec, reverse)(w, init, xs);
    return readout(c).add(readout(ys));
  };
const unrolledLoss =
  (spec: StepSpec, reverse: boolean) =>
  (w: Array, init: Array[], xs: Array): Array => {
    const [c, ys] = runUnrolled(spec, reverse)(w, init, xs);
    return readout(c).add(ys.reduce((s, y) => s.add(readout(y)), f64(0)));
  };

/** (spec, reverse, w [n], init [n]×k, xs [L, n]) with L in [0, 5], n in [1, 3]. */
const arbScanCase = (spec: StepSpec, maxLen = 5, maxN = 3) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxLen }), fc.integer({ min: 1, max: maxN }), fc.boolean())
    .chain(([L, n, reverse]) =>
      fc.tuple(
        fc.constant(reverse),
        arbIn(UNIT, [n]),
        fc.tuple(...globalThis.Array.from({ length: spec.carryLeaves }, () => arbIn(UNIT, [n]))),
        arbIn(UNIT, [L, n]),
      ),
    );

describe("scan equals the unrolled loop", () => {
  for (const spec of STEPS) {
    it(`values: ${spec.name}`, () => {
      assertProperty(
        fc.property(arbScanCase(spec), ([reverse, w, init, xs]) => {
          const [c, ys] = runScan(spec, reverse)(w, init, xs);
          const [cu, ysu] = runUnrolled(spec, reverse)(w, init, xs);
          expectTreeClose(c, cu, TOL, "final carry");
          if (xs.shape[0]! > 0) ys.forEach((y, j) => expectClose(y, np.stack(ysu.map((s) => s[j]!)), TOL, `ys[${j}]`));
          else ys.forEach((y) => expect0(y.shape[0]!));
        }),
        25,
      );
    });

    it(`gradients w.r.t. the parameter, init and xs: ${spec.name}`, () => {
      assertProperty(
        fc.property(arbScanCase(spec), ([reverse, w, init, xs]) => {
          const got = grad(scanLoss(spec, reverse), { argnums: [0, 1, 2] })(w, init, xs);
          const want = grad(unrolledLoss(spec, reverse), { argnums: [0, 1, 2] })(w, init, xs);
          expectTreeClose(got, want, TOL, "grad");
        }),
        20,
      );
    });

    it(`forward mode (jvp) equals the unrolled jvp: ${spec.name}`, () => {
      const arb = arbScanCase(spec, 4).chain(([reverse, w, init, xs]) =>
        fc.tuple(
          fc.constant({ reverse, w, init, xs }),
          arbIn(UNIT, w.shape),
          fc.tuple(...init.map((i) => arbIn(UNIT, i.shape))),
          arbIn(UNIT, xs.shape),
        ),
      );
      assertProperty(
        fc.property(arb, ([{ reverse, w, init, xs }, dw, dinit, dxs]) => {
          const [p, t] = jvp(scanLoss(spec, reverse), [w, init, xs], [dw, dinit, dxs]);
          const [pu, tu] = jvp(unrolledLoss(spec, reverse), [w, init, xs], [dw, dinit, dxs]);
          expectClose(p, pu, TOL, "primal");
          expectClose(t, tu, TOL, "tangent");
        }),
        12,
      );
    });
  }

  it("grad of grad w.r.t. the parameter (tanh RNN)", () => {
    const spec = STEPS[0]!;
    const arb = arbScanCase(spec, 4, 1);
    assertProperty(
      fc.property(arb, ([reverse, w, init, xs]) => {
        const g2 = grad((v: Array) => grad(scanLoss(spec, reverse))(v, init, xs).sum());
        const u2 = grad((v: Array) => grad(unrolledLoss(spec, reverse))(v, init, xs).sum());
        expectClose(g2(w), u2(w), TOL, "grad of grad");
      }),
      8,
    );
  });
});

function expect0(n: number): void {
  if (n !== 0) throw new Error(`expected empty ys, got ${n} rows`);
}

// ---------------------------------------------------------------------------------------------
// cond / switchCase: the gradient of the taken branch

type Branch = (x: Array, w: Array) => Array;
const BRANCHES: Branch[] = [
  (x, w) => x.sin().mul(w),
  (x, w) => x.mul(x).mul(x).add(w),
  (x, w) => x.mul(w).tanh(),
  (x, w) => x.exp().mul(w.cos()),
  (x, w) => x.square().mul(w).add(x.mul(w.sin())),
];
const arbBranch = fc.integer({ min: 0, max: BRANCHES.length - 1 });
const arbXW = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(arbIn({ min: -2, max: 2 }, [n]), arbIn({ min: -2, max: 2 }, [n])));
/** Pushes x's sum at least 0.5 away from 0 (so a predicate on it is stable under small perturbations). */
const awaySum = (x: Array): Array => {
  const s = Number(x.sum().item());
  return s >= 0 ? x.add(0.5 / x.size) : x.sub(0.5 / x.size);
};
const sumOut = (f: (x: Array, w: Array) => Array) => (x: Array, w: Array) => f(x, w).square().sum();

describe("cond / switchCase: gradients equal the taken branch's", () => {
  it("cond with a data-dependent predicate", () => {
    assertProperty(
      fc.property(arbBranch, arbBranch, arbXW, (i, j, [x0, w]) => {
        const x = awaySum(x0);
        const f = (v: Array, u: Array) => cond(v.sum().greater(0), BRANCHES[i]!, BRANCHES[j]!, v, u);
        const taken = Number(x.sum().item()) > 0 ? BRANCHES[i]! : BRANCHES[j]!;
        expectClose(f(x, w), taken(x, w), TOL, "value");
        expectTreeClose(
          grad(sumOut(f), { argnums: [0, 1] })(x, w),
          grad(sumOut(taken), { argnums: [0, 1] })(x, w),
          TOL,
          "grad",
        );
        expectTreeClose(
          jit(grad(sumOut(f), { argnums: [0, 1] }))(x, w),
          grad(sumOut(taken), { argnums: [0, 1] })(x, w),
          TOL,
          "jit(grad)",
        );
      }),
      20,
    );
  });

  it("cond branches closing over the differentiated parameter", () => {
    assertProperty(
      fc.property(arbBranch, arbBranch, fc.boolean(), arbXW, (i, j, p, [x, w]) => {
        const f = (u: Array) =>
          cond(
            np.array(p),
            (v: Array) => BRANCHES[i]!(v, u),
            (v: Array) => BRANCHES[j]!(v, u),
            x,
          )
            .square()
            .sum();
        const taken = (u: Array) => (p ? BRANCHES[i]! : BRANCHES[j]!)(x, u).square().sum();
        expectClose(grad(f)(w), grad(taken)(w), TOL, "grad w.r.t. a closed-over value");
        expectClose(grad(jit(f))(w), grad(taken)(w), TOL, "grad(jit)");
      }),
      15,
    );
  });

  it("switchCase with random (possibly out-of-range) indices", () => {
    assertProperty(
      fc.property(fc.integer({ min: -3, max: BRANCHES.length + 2 }), arbXW, (k, [x, w]) => {
        const f = (v: Array, u: Array) => switchCase(np.array(k, { dtype: "int32" }), BRANCHES, v, u);
        const taken = BRANCHES[Math.min(BRANCHES.length - 1, Math.max(0, k))]!;
        expectClose(f(x, w), taken(x, w), TOL, "value");
        expectTreeClose(
          grad(sumOut(f), { argnums: [0, 1] })(x, w),
          grad(sumOut(taken), { argnums: [0, 1] })(x, w),
          TOL,
          "grad",
        );
      }),
      20,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// vmap equals a loop over the batch; jit equals eager

const arbBatch = (inner: readonly number[], d: Domain = { min: -2, max: 2 }) =>
  fc.integer({ min: 1, max: 4 }).chain((b) => arbIn(d, [b, ...inner]));
const loopOver = (f: (x: Array) => Array, xs: Array): Array =>
  stackAxis(
    globalThis.Array.from({ length: xs.shape[0]! }, (_, b) => f(sliceAxis(xs, 0, b))),
    0,
  );

/**
 * Newton's method for the real root of x³ + a·x − b (a > 0: one root), until a step is below 1e-13
 * (at least one step, so the tangent is the converged one and not the initial guess's), capped at 100.
 */
type NewtonCarry = [Array, Array, Array];
const cubicRoot = (a: Array, b: Array): Array =>
  whileLoop(
    ([, step, i]: NewtonCarry) => np.logicalAnd(step.abs().greater(1e-13), i.less(100)),
    ([x, , i]: NewtonCarry): NewtonCarry => {
      const step = x.mul(x).mul(x).add(a.mul(x)).sub(b).div(x.mul(x).mul(3).add(a));
      return [x.sub(step), step, i.add(1)];
    },
    [b.div(a.add(1)), f64(1), np.array(0, { dtype: "int32" })] as NewtonCarry,
  )[0];
const arbAB = fc.tuple(arbIn({ min: 0.5, max: 3 }, []), arbIn({ min: -3, max: 3 }, []));

describe("vmap equals a loop over the batch, jit equals eager", () => {
  it("cond with a batched predicate", () => {
    assertProperty(
      fc.property(
        arbBranch,
        arbBranch,
        fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(arbBatch([n]), arbIn({ min: -2, max: 2 }, [n]))),
        (i, j, [xs, w]) => {
          const f = (v: Array) => cond(v.sum().greater(0), BRANCHES[i]!, BRANCHES[j]!, v, w);
          const want = loopOver(f, xs);
          expectClose(vmap(f)(xs), want, TOL, "vmap(cond)");
          expectClose(jit(vmap(f))(xs), want, TOL, "jit(vmap(cond))");
          const g = grad((v: Array) => f(v).sum());
          expectClose(vmap(g)(xs), loopOver(g, xs), TOL, "vmap(grad(cond))");
          expectClose(jit(f)(sliceAxis(xs, 0, 0)), f(sliceAxis(xs, 0, 0)), TOL, "jit(cond)");
        },
      ),
      15,
    );
  });

  it("switchCase with a batched index", () => {
    const arb = fc
      .integer({ min: 1, max: 5 })
      .chain((b) =>
        fc.tuple(
          fc.array(fc.integer({ min: -3, max: BRANCHES.length + 2 }), { minLength: b, maxLength: b }),
          arbIn({ min: -2, max: 2 }, [b, 2]),
          arbIn({ min: -2, max: 2 }, [2]),
        ),
      );
    assertProperty(
      fc.property(arb, ([ks, xs, w]) => {
        const idx = np.array(ks, { dtype: "int32" });
        const f = (k: Array, v: Array) => switchCase(k, BRANCHES, v, w);
        const want = stackAxis(
          ks.map((k, b) => f(np.array(k, { dtype: "int32" }), sliceAxis(xs, 0, b))),
          0,
        );
        expectClose(vmap(f)(idx, xs), want, TOL, "vmap(switch)");
        expectClose(jit(vmap(f))(idx, xs), want, TOL, "jit(vmap(switch))");
        expectClose(
          jit(f)(np.array(ks[0]!, { dtype: "int32" }), sliceAxis(xs, 0, 0)),
          sliceAxis(want, 0, 0),
          TOL,
          "jit(switch)",
        );
      }),
      15,
    );
  });

  it("whileLoop (Newton) with a batched predicate: lanes converge after different step counts", () => {
    const arb = fc
      .integer({ min: 1, max: 5 })
      .chain((b) => fc.tuple(arbIn({ min: 0.5, max: 3 }, [b]), arbIn({ min: -3, max: 3 }, [b])));
    assertProperty(
      fc.property(arb, ([as, bs]) => {
        const want = stackAxis(
          globalThis.Array.from({ length: as.shape[0]! }, (_, k) =>
            cubicRoot(sliceAxis(as, 0, k), sliceAxis(bs, 0, k)),
          ),
          0,
        );
        expectClose(vmap(cubicRoot)(as, bs), want, TOL, "vmap(whileLoop)");
        expectClose(jit(vmap(cubicRoot))(as, bs), want, TOL, "jit(vmap(whileLoop))");
        expectClose(
          jit(cubicRoot)(sliceAxis(as, 0, 0), sliceAxis(bs, 0, 0)),
          sliceAxis(want, 0, 0),
          TOL,
          "jit(whileLoop)",
        );
        // lanes finish at different times and keep their values: a batched counting loop
        type Counter = [Array, Array];
        const steps = (a: Array, b: Array) =>
          whileLoop(
            ([x]: Counter) => x.less(b.add(4)),
            ([x, i]: Counter): Counter => [x.add(a), i.add(1)],
            [f64(0).add(b), np.array(0, { dtype: "int32" })] as Counter,
          );
        const [xs, is] = vmap(steps)(as, bs);
        const n = as.shape[0]!;
        for (let k = 0; k < n; k++) {
          const [x1, i1] = steps(sliceAxis(as, 0, k), sliceAxis(bs, 0, k));
          expectClose(sliceAxis(xs, 0, k), x1, TOL, `lane ${k} carry`);
          if (sliceAxis(is, 0, k).item() !== i1.item())
            throw new Error(`lane ${k}: ${sliceAxis(is, 0, k).item()} steps, expected ${i1.item()}`);
        }
      }),
      10,
    );
  });

  it("scan over batched xs, init and closed-over parameters", () => {
    const spec = STEPS[2]!;
    const arb = fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 2 }),
        fc.boolean(),
      )
      .chain(([B, L, n, reverse]) =>
        fc.tuple(
          fc.constant(reverse),
          arbIn(UNIT, [B, n]),
          arbIn(UNIT, [B, n]),
          arbIn(UNIT, [B, n]),
          arbIn(UNIT, [B, L, n]),
        ),
      );
    assertProperty(
      fc.property(arb, ([reverse, ws, as, bs, xss]) => {
        const f = (w: Array, a: Array, b: Array, xs: Array) => scanLoss(spec, reverse)(w, [a, b], xs);
        const B = ws.shape[0]!;
        const per = (g: (w: Array, a: Array, b: Array, xs: Array) => Array) =>
          stackAxis(
            globalThis.Array.from({ length: B }, (_, k) =>
              g(sliceAxis(ws, 0, k), sliceAxis(as, 0, k), sliceAxis(bs, 0, k), sliceAxis(xss, 0, k)),
            ),
            0,
          );
        expectClose(vmap(f)(ws, as, bs, xss), per(f), TOL, "vmap(scan)");
        expectClose(jit(vmap(f))(ws, as, bs, xss), per(f), TOL, "jit(vmap(scan))");
        expectClose(
          jit(f)(sliceAxis(ws, 0, 0), sliceAxis(as, 0, 0), sliceAxis(bs, 0, 0), sliceAxis(xss, 0, 0)),
          sliceAxis(per(f), 0, 0),
          TOL,
          "jit(scan)",
        );
        const g = grad(f);
        expectClose(vmap(g)(ws, as, bs, xss), per(g), TOL, "vmap(grad(scan))");
        // only xs batched (init and parameter shared)
        const h = (xs: Array) => f(sliceAxis(ws, 0, 0), sliceAxis(as, 0, 0), sliceAxis(bs, 0, 0), xs);
        expectClose(vmap(h)(xss), loopOver(h, xss), TOL, "vmap(scan) over xs only");
      }),
      10,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// checkGrads (order 2, fwd + rev)

describe("checkGrads on control flow (order 2, fwd + rev)", () => {
  it("scan: tanh RNN and two-leaf carry, w.r.t. parameter, init and xs", () => {
    for (const spec of [STEPS[0]!, STEPS[2]!]) {
      assertProperty(
        fc.property(arbScanCase(spec, 3, 2), ([reverse, w, init, xs]) =>
          checkGrads(scanLoss(spec, reverse), [w, init, xs], TIGHT),
        ),
        5,
      );
    }
  });

  it("cond and switchCase (predicate kept away from its switching point)", () => {
    assertProperty(
      fc.property(arbBranch, arbBranch, fc.integer({ min: -1, max: BRANCHES.length }), arbXW, (i, j, k, [x0, w]) => {
        const x = awaySum(x0);
        checkGrads((v: Array, u: Array) => cond(v.sum().greater(0), BRANCHES[i]!, BRANCHES[j]!, v, u), [x, w], TIGHT);
        checkGrads((v: Array, u: Array) => switchCase(np.array(k, { dtype: "int32" }), BRANCHES, v, u), [x, w], TIGHT);
      }),
      8,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// forward mode through whileLoop

describe("jvp through whileLoop equals central differences", () => {
  it("Newton's method for x³ + a·x = b: d root / d(a, b)", () => {
    const h = 1e-5;
    assertProperty(
      fc.property(
        arbAB,
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        ([a, b], da, db) => {
          const [x, t] = jvp(cubicRoot, [a, b], [f64(da), f64(db)]);
          const fd = cubicRoot(a.add(h * da), b.add(h * db))
            .sub(cubicRoot(a.sub(h * da), b.sub(h * db)))
            .div(2 * h);
          expectClose(t, fd, { atol: 1e-7, rtol: 1e-6 }, "jvp vs central difference");
          // implicit function theorem: dx = (db − x·da) / (3x² + a)
          const xv = Number(x.item());
          const ift = (db - xv * da) / (3 * xv * xv + Number(a.item()));
          expectClose(t, f64(ift), { atol: 1e-10, rtol: 1e-9 }, "jvp vs implicit function theorem");
          expectClose(
            jit((p: Array, q: Array) => jvp(cubicRoot, [p, q], [f64(da), f64(db)])[1])(a, b),
            t,
            TOL,
            "jit(jvp)",
          );
        },
      ),
      15,
    );
  });
});
