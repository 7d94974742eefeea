import { describe, it, expect } from "vitest";
import { np, grad, jit, vmap, jvp, vjp, makeJaxpr, Program } from "../../src/index.js";
import { checkpoint, remat } from "../../transforms/checkpoint.js";
import { linearizeFlat } from "../../transforms/linearize.js";
import { cond } from "../../src/lax/control/cond.js";
import { itemSize } from "../../src/core/dtype.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

const f = (x: Array) => x.sin().mul(x.cos()).exp();
const x0 = np.array([0.3, -0.7, 1.1]);
const sumOf = (h: (x: Array) => Array) => (x: Array) => h(x).sum();
const expectSame = (got: Array, want: Array, tol = 1e-5) => {
  expect(got.shape).toEqual(want.shape);
  expectClose(got, flat(want), tol);
};

/** Bytes of the values reverse mode keeps: the linear Program's captured constants and extra args. */
function residualBytes(fn: (...xs: Array[]) => Array, primals: Array[]): number {
  const lin = linearizeFlat((...xs) => [fn(...xs)], primals, "grad");
  return [...lin.program.consts, ...lin.extraArgs].reduce((s, a) => s + a.size * itemSize(a.dtype), 0);
}

/** Every primitive name in a Program, with the names of the sub-programs' call chain. */
function primPaths(p: Program, path = ""): string[] {
  const out: string[] = [];
  for (const e of p.eqns) {
    out.push(`${path}${e.prim}`);
    for (const v of Object.values(e.params)) {
      const subs =
        v instanceof Program
          ? [v]
          : globalThis.Array.isArray(v)
            ? v.filter((s): s is Program => s instanceof Program)
            : [];
      const label = typeof e.params.name === "string" ? `${e.prim}(${e.params.name})` : e.prim;
      for (const s of subs) out.push(...primPaths(s, `${path}${label}/`));
    }
  }
  return out;
}

describe("checkpoint: values", () => {
  it("computes the same values as f, eagerly, with pytrees and numbers", () => {
    const g = (p: { a: Array; b: [Array, number] }) => ({ u: p.a.mul(p.b[0]).tanh(), v: [p.a.sin().mul(p.b[1])] });
    const p = { a: x0, b: [x0.mul(2), 3] as [Array, number] };
    const got = checkpoint(g)(p);
    const want = g(p);
    expectSame(got.u, want.u);
    expectSame(got.v[0]!, want.v[0]!);
    expectSame(checkpoint(f)(x0), f(x0));
  });

  it("binds remat_call with the given name; remat is an alias", () => {
    expect(remat).toBe(checkpoint);
    const p = makeJaxpr(checkpoint(f, { name: "block" }))(x0);
    expect(p.eqns.map((e) => e.prim)).toEqual(["remat_call"]);
    expect(String(p)).toContain('name="block"');
    expect(String(makeJaxpr(checkpoint(f))(x0))).toContain('name="f"');
  });

  it("works under jit, vmap and jvp", () => {
    expectSame(jit(checkpoint(f))(x0), f(x0));
    const xs = np.array([
      [0.1, 0.2],
      [0.3, 0.4],
      [0.5, 0.6],
    ]);
    expectSame(vmap(checkpoint(f))(xs), vmap(f)(xs));
    expectSame(vmap(checkpoint(f), { inAxes: 1 })(xs), vmap(f, { inAxes: 1 })(xs));
    const [p1, t1] = jvp(checkpoint(f), [x0], [np.array([1, -2, 0.5])]);
    const [p2, t2] = jvp(f, [x0], [np.array([1, -2, 0.5])]);
    expectSame(p1, p2);
    expectSame(t1, t2);
  });

  it("keeps the remat boundary under jvp and vmap", () => {
    const prims = (p: Program) => p.eqns.map((e) => e.prim);
    expect(prims(makeJaxpr((x: Array) => jvp(checkpoint(f), [x], [x])[1])(x0))).toContain("remat_call");
    expect(prims(makeJaxpr(vmap(checkpoint(f)))(np.ones([2, 3])))).toContain("remat_call");
  });

  it("rejects non-functions and undefined arguments", () => {
    expect(() => checkpoint(3 as never)).toThrow(/expected a function/);
    expect(() => checkpoint(f)(undefined as never)).toThrow(/undefined/);
  });
});

describe("checkpoint: gradients equal those of f", () => {
  it("grad, vjp and jit(grad)", () => {
    const want = grad(sumOf(f))(x0);
    expectSame(grad(sumOf(checkpoint(f)))(x0), want);
    expectSame(jit(grad(sumOf(checkpoint(f))))(x0), want);
    expectSame(grad(sumOf(jit(checkpoint(f))))(x0), want);
    expectSame(grad(sumOf(checkpoint(jit(f))))(x0), want);
    const [y, pull] = vjp(checkpoint(f), x0);
    expectSame(y, f(x0));
    const ct = np.array([1, 2, -1]);
    expectSame(pull(ct)[0], vjp(f, x0)[1](ct)[0]);
  });

  it("pytrees of arguments and outputs, numbers, and arguments that are not differentiated", () => {
    const g = (p: { a: Array; b: [Array, number] }) => ({ u: p.a.mul(p.b[0]).tanh(), v: [p.a.sin().mul(p.b[1])] });
    const loss = (h: typeof g) => (p: { a: Array; b: [Array, number] }) => {
      const o = h(p);
      return o.u.sum().add(o.v[0]!.sum());
    };
    const p = { a: x0, b: [x0.mul(2), 3] as [Array, number] };
    const got = grad(loss(checkpoint(g)))(p);
    const want = grad(loss(g))(p);
    expectSame(got.a, want.a);
    expectSame(got.b[0], want.b[0]);
    expectClose(np.array(got.b[1] as unknown as number), [flat(want.b[1] as unknown as Array)[0]!]);
    // Only the first argument differentiated: the others have symbolic-zero tangents.
    const h = (x: Array, w: Array) => x.mul(w).tanh();
    expectSame(grad((x: Array) => checkpoint(h)(x, x0).sum())(x0), grad((x: Array) => h(x, x0).sum())(x0));
  });

  it("integer outputs of the checkpointed function", () => {
    const g = (x: Array) => [x.sin(), x.argmax()] as const;
    const loss = (h: typeof g) => (x: Array) => h(x)[0].mul(h(x)[1].astype("float32")).sum();
    expectSame(grad(loss(checkpoint(g)))(x0), grad(loss(g))(x0));
  });

  it("closures over concrete arrays and over tracers of enclosing transforms", () => {
    const w = np.array([2, -1, 0.5]);
    expectSame(
      grad(sumOf(checkpoint((x: Array) => x.mul(w).sin())))(x0),
      grad(sumOf((x: Array) => x.mul(w).sin()))(x0),
    );
    const inner = (ck: boolean) => (y: Array) => {
      const g = (z: Array) => z.mul(y).sin();
      return grad(sumOf(ck ? checkpoint(g) : g))(x0);
    };
    expectSame(inner(true)(np.array(2)), inner(false)(np.array(2)));
    // d/dy of a gradient that closed over y
    const outer = (ck: boolean) => grad((y: Array) => inner(ck)(y).sum())(np.array(2));
    expectSame(outer(true), outer(false));
    // an outer grad variable used inside the checkpointed function of a jvp
    const mixed = (ck: boolean) =>
      grad((y: Array) => {
        const g = (z: Array) => z.mul(y).tanh();
        return jvp(ck ? checkpoint(g) : g, [x0], [np.ones([3])])[1].sum();
      })(np.array(0.7));
    expectSame(mixed(true), mixed(false));
  });

  it("under vmap, in both orders", () => {
    const xs = np.array([
      [0.1, 0.2, 0.3],
      [-0.4, 0.5, 0.6],
    ]);
    expectSame(vmap(grad(sumOf(checkpoint(f))))(xs), vmap(grad(sumOf(f)))(xs));
    expectSame(grad((v: Array) => vmap(checkpoint(f))(v).sum())(xs), grad((v: Array) => vmap(f)(v).sum())(xs));
    expectSame(jit(vmap(grad(sumOf(checkpoint(f)))))(xs), vmap(grad(sumOf(f)))(xs));
  });

  it("nested checkpoints and control flow inside", () => {
    const nested = checkpoint((x: Array) => checkpoint(f)(checkpoint(f)(x)).mul(x));
    const plain = (x: Array) => f(f(x)).mul(x);
    expectSame(grad(sumOf(nested))(x0), grad(sumOf(plain))(x0));
    expectSame(jit(grad(sumOf(nested)))(x0), grad(sumOf(plain))(x0));
    const branchy = (x: Array) =>
      cond(
        x.sum().greater(0),
        (v: Array) => v.sin().mul(v),
        (v: Array) => v.cos().exp(),
        x,
      ).tanh();
    for (const x of [x0, x0.neg()]) expectSame(grad(sumOf(checkpoint(branchy)))(x), grad(sumOf(branchy))(x));
  });

  it("grad of grad", () => {
    const gg = (h: (x: Array) => Array) => (x: Array) => grad((v: Array) => grad(sumOf(h))(v).sum())(x);
    expectSame(gg(checkpoint(f))(x0), gg(f)(x0), 1e-4);
    const nested = checkpoint((x: Array) => checkpoint(f)(checkpoint(f)(x)).mul(x));
    const plain = (x: Array) => f(f(x)).mul(x);
    expectSame(gg(nested)(x0), gg(plain)(x0), 1e-4);
    expectSame(jit(gg(nested))(x0), gg(plain)(x0), 1e-4);
  });
});

describe("checkpoint: residuals", () => {
  const L = 50;
  const N = 256;
  const ws = Array.from({ length: L }, (_, i) => np.full([N], 0.9 + 0.001 * i));
  const bs = Array.from({ length: L }, (_, i) => np.full([N], 0.01 * i));
  const layer = (i: number) => (h: Array) => h.mul(ws[i]!).add(bs[i]!).tanh();
  const chain = (x: Array) => ws.reduce((h, _, i) => layer(i)(h), x);
  const perLayer = (x: Array) => ws.reduce((h, _, i) => checkpoint(layer(i))(h), x);
  const x = np.linspace(-1, 1, N);
  const vec = N * 4;

  it("a whole-chain checkpoint keeps only its input; a per-layer one only the layer inputs", () => {
    const none = residualBytes(chain, [x]);
    const per = residualBytes(perLayer, [x]);
    const whole = residualBytes(checkpoint(chain), [x]);
    // Without checkpointing each layer keeps tanh's derivative and the weight it multiplies by.
    expect(none).toBe(2 * L * vec);
    expect(per).toBe(L * vec);
    expect(whole).toBe(vec);
    // and the gradients agree
    for (const g of [perLayer, checkpoint(chain)]) expectSame(grad(sumOf(g))(x), grad(sumOf(chain))(x), 1e-4);
  });

  it("matmul chain with the weights as differentiated arguments: activations are not kept", () => {
    const n = 16;
    const Ws = Array.from({ length: L }, (_, i) =>
      np
        .eye(n)
        .mul(0.8)
        .add(0.01 * ((i % 5) - 2)),
    );
    const mm = (h: Array, w: Array) => np.matmul(h, w).tanh();
    const plain = (x: Array, w: Array[]) => w.reduce(mm, x).sum();
    const per = (x: Array, w: Array[]) => w.reduce((h, wi) => checkpoint(mm)(h, wi), x).sum();
    const whole = (x: Array, w: Array[]) => checkpoint((x: Array, w: Array[]) => w.reduce(mm, x))(x, w).sum();
    const xm = np.ones([n, n]).mul(0.1);
    const mat = n * n * 4;
    const inputs = (L + 1) * mat;
    const bytes = (fn: typeof plain) => residualBytes((x, ...w) => fn(x, w), [xm, ...Ws]);
    expect(bytes(plain)).toBe(inputs + (L - 1) * mat + L * mat); // + activations + tanh'
    expect(bytes(per)).toBe(inputs + (L - 1) * mat); // + layer inputs
    expect(bytes(whole)).toBe(inputs);
    const [gx, gw] = grad(plain, { argnums: [0, 1] })(xm, Ws);
    for (const fn of [per, whole]) {
      const [hx, hw] = grad(fn, { argnums: [0, 1] })(xm, Ws);
      expectSame(hx, gx, 1e-4);
      hw.forEach((g, i) => expectSame(g, gw[i]!, 1e-4));
    }
  });

  it("the recomputation runs inside the transposed sub-program, not merged into the forward pass", () => {
    const p = jit(grad(sumOf(checkpoint(f, { name: "blk" })))).lower(x0).program;
    const paths = primPaths(p);
    // sin runs once in the forward call and once in the backward pass's own Program
    const sins = paths.filter((s) => s.endsWith("/sin") || s === "sin");
    expect(sins.length).toBe(2);
    expect(sins.some((s) => s.includes("transpose(blk)"))).toBe(true);
    expect(sins.every((s) => s.includes("remat_call(blk)") || s.includes("transpose(blk)"))).toBe(true);
  });
});
