/**
 * Purity: no op or transform changes its inputs (array contents, pytree containers, frozenness),
 * arrays cannot be changed through `dataSync()`, and transformed functions are deterministic.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import {
  Array,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  np,
  stopGradient,
  tree,
  valueAndGrad,
  vjp,
  vmap,
} from "../src/index.js";
import { arbArray, arbPytree } from "../src/testing/index.js";
import { assertProperty } from "./seed.js";
import { arbIn, expectTreeClose, REAL } from "./helpers.js";
import { arbExpr, exprFn } from "./exprs.js";
import { BINARY, PRODUCTS, UNARY_ALL } from "./ops.js";

interface Snapshot {
  data: Float64Array[];
  leaves: unknown[];
  def: string;
  frozen: boolean[];
}
/** Copies every leaf's contents and records the containers (identity of leaves, frozenness). */
function snapshot(t: unknown): Snapshot {
  const [leaves, def] = tree.flatten(t);
  const containers: unknown[] = [];
  const walk = (x: unknown): void => {
    if (x !== null && typeof x === "object" && !(x instanceof Array)) {
      containers.push(x);
      Object.values(x).forEach(walk);
    }
  };
  walk(t);
  return {
    data: leaves.map((l) => Float64Array.from((l as Array).dataSync() as ArrayLike<number>)),
    leaves,
    def: def.toString(),
    frozen: containers.map((c) => Object.isFrozen(c)),
  };
}
function expectUnchanged(before: Snapshot, t: unknown, what: string): void {
  const after = snapshot(t);
  if (after.def !== before.def)
    throw new Error(`${what} changed the structure of its input: ${before.def} → ${after.def}`);
  after.leaves.forEach((l, i) => {
    if (l !== before.leaves[i]) throw new Error(`${what} replaced input leaf ${i}`);
    const a = after.data[i]!;
    const b = before.data[i]!;
    for (let k = 0; k < a.length; k++)
      if (!Object.is(a[k], b[k])) throw new Error(`${what} changed input leaf ${i} at element ${k}: ${b[k]} → ${a[k]}`);
  });
  after.frozen.forEach((f, i) => {
    if (f !== before.frozen[i]) throw new Error(`${what} froze (or unfroze) an input container`);
  });
}

describe("ops do not change their inputs", () => {
  it("unary ops", () => {
    const specs = UNARY_ALL;
    const arb = fc
      .integer({ min: 0, max: specs.length - 1 })
      .chain((i) =>
        fc.tuple(
          fc.constant(i),
          arbIn(specs[i]!.dom, { minRank: specs[i]!.minRank ?? 0, minDim: specs[i]!.minDim ?? 1 }),
        ),
      );
    assertProperty(
      fc.property(arb, ([i, x]) => {
        const s = snapshot(x);
        specs[i]!.f(x).dataSync();
        expectUnchanged(s, x, specs[i]!.name);
      }),
      100,
    );
  });

  it("binary ops and products", () => {
    const all = [
      ...BINARY.map((b) => ({ name: b.name, f: b.f, args: fc.tuple(arbIn(b.x, [2, 3]), arbIn(b.y, [3])) })),
      ...PRODUCTS,
    ];
    const arb = fc.integer({ min: 0, max: all.length - 1 }).chain((i) => fc.tuple(fc.constant(i), all[i]!.args));
    assertProperty(
      fc.property(arb, ([i, args]) => {
        const s = snapshot(args);
        all[i]!.f(args[0]!, args[1]!).dataSync();
        expectUnchanged(s, args, all[i]!.name);
      }),
      60,
    );
  });

  it("float32 and int32 inputs through casts and promotion", () => {
    const arb = fc.tuple(arbArray({ dtype: "float32", shape: [2, 3] }), arbArray({ dtype: "int32", shape: [3] }));
    assertProperty(
      fc.property(arb, ([x, k]) => {
        const s = snapshot([x, k]);
        x.add(k).astype("float64").mul(k.astype("float32")).sum().dataSync();
        np.where(k.greater(0), x, k).dataSync();
        expectUnchanged(s, [x, k], "casts");
      }),
      30,
    );
  });
});

type Params = { w: Array; b: Array };
const TRANSFORMS: [string, (f: (p: Params, x: Array) => Array, p: Params, x: Array) => unknown][] = [
  ["grad", (f, p, x) => grad(f)(p, x)],
  ["valueAndGrad argnums [0, 1]", (f, p, x) => valueAndGrad(f, { argnums: [0, 1] })(p, x)],
  ["jvp", (f, p, x) => jvp(f, [p, x], [tree.map((l: Array) => l.mul(0.5), p), x])],
  ["vjp + pullback", (f, p, x) => vjp(f, p, x)[1](np.array(1, { dtype: "float64" }))],
  ["linearize + jvp", (f, p, x) => linearize(f, p, x)[1](p, x)],
  ["vmap", (f, p, x) => vmap(f, { inAxes: [null, 0] })(p, x.reshape(1, ...x.shape))],
  ["jit", (f, p, x) => jit(f)(p, x)],
  ["jit(grad)", (f, p, x) => jit(grad(f))(p, x)],
  ["jacfwd", (f, p, x) => jacfwd(f)(p, x)],
  ["jacrev", (f, p, x) => jacrev(f)(p, x)],
  ["hessian", (f, p, x) => hessian(f)(p, x)],
  ["makeJaxpr", (f, p, x) => String(makeJaxpr(f)(p, x))],
  ["stopGradient", (_f, p) => stopGradient(p)],
];

describe("transforms do not change their inputs and are deterministic", () => {
  const arb = fc.tuple(arbExpr(2), arbIn(REAL, [2, 2]), arbIn(REAL, [2]), arbIn(REAL, [3, 2]), fc.boolean());
  for (const [name, run] of TRANSFORMS)
    it(name, () => {
      assertProperty(
        fc.property(arb, ([e, w, b, x, freeze]) => {
          const f = (p: Params, xx: Array) => exprFn(e)(np.matmul(xx, p.w), p.b.add(xx.sum(0))).sum();
          const p = freeze ? Object.freeze({ w, b }) : { w, b };
          const s = snapshot([p, x]);
          const first = run(f, p, x);
          expectUnchanged(s, [p, x], name);
          const again = run(f, p, x);
          if (typeof first === "string") {
            if (again !== first) throw new Error(`${name} called twice gave different programs:\n${first}\n${again}`);
          } else expectTreeClose(again, first, { atol: 0, rtol: 0 }, `${name} called twice`);
        }),
        10,
      );
    });

  it("pytree arguments of any shape are left as they were", () => {
    const arb = arbPytree(arbIn(REAL, [2]), { maxDepth: 3 });
    assertProperty(
      fc.property(arb, (t) => {
        const s = snapshot(t);
        const loss = (q: unknown) =>
          (tree.leaves(q) as Array[]).reduce(
            (acc: Array, l) => acc.add(l.sin().sum()),
            np.zeros([], { dtype: "float64" }),
          );
        grad(loss)(t);
        jit(loss)(t);
        jacfwd(loss)(t);
        expectUnchanged(s, t, "grad/jit/jacfwd over a pytree");
      }),
      30,
    );
  });
});

describe("arrays are immutable", () => {
  it("writing into dataSync()'s result does not change the array", () => {
    assertProperty(
      fc.property(arbArray({ dtype: "float64", minRank: 1 }), (x) => {
        const s = snapshot(x);
        const view = x.dataSync();
        view.fill(42);
        expectUnchanged(s, x, "writing into dataSync()");
      }),
      30,
    );
  });
});
