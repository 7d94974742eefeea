import { describe, it, expect } from "vitest";
import { np, linearize, jvp, grad, jit, vmap } from "../../src/index.js";
import { flat, expectClose } from "../helpers.js";

type Array = np.Array;

describe("linearize", () => {
  it("returns the primal output and a JVP function", () => {
    const xs = [0, 1, 2];
    const [y, fJvp] = linearize((x: Array) => x.sin(), np.array(xs));
    expectClose(y, xs.map(Math.sin));
    expectClose(fJvp(np.ones([3])), xs.map(Math.cos));
    expectClose(
      fJvp(np.array([2, 0, -1])),
      xs.map((v, i) => Math.cos(v) * [2, 0, -1][i]!),
    );
  });

  it("agrees with jvp for several tangents", () => {
    const f = (x: Array, w: Array) => np.matmul(w, x).tanh().sum();
    const x = np.array([0.5, -1]);
    const w = np.array([
      [1, 2],
      [3, -4],
    ]);
    const [, fJvp] = linearize(f, x, w);
    for (const [tx, tw] of [
      [np.array([1, 0]), np.zeros([2, 2])],
      [
        np.array([0, 1]),
        np.array([
          [1, 0],
          [0, 1],
        ]),
      ],
      [
        np.array([-2, 3]),
        np.array([
          [0.5, 0.5],
          [1, -1],
        ]),
      ],
    ] as const) {
      const [, want] = jvp(f, [x, w], [tx, tw]);
      expectClose(fJvp(tx, tw), want.item() as number);
    }
  });

  it("the JVP function is linear", () => {
    const f = (x: Array) => x.exp().mul(x.cos());
    const [, l] = linearize(f, np.array([0.1, 0.7]));
    const a = np.array([1, -2]);
    const b = np.array([0.5, 3]);
    const lhs = flat(l(a.mul(3).add(b)));
    const la = flat(l(a));
    const lb = flat(l(b));
    expectClose(
      np.array(lhs),
      la.map((v, i) => 3 * v + lb[i]!),
    );
    expectClose(l(np.zeros([2])), [0, 0]);
  });

  it("does not re-run the primal computation when the JVP function is called", () => {
    let calls = 0;
    const f = (x: Array) => {
      calls++;
      return x.square();
    };
    const [, l] = linearize(f, np.array([3]));
    expect(calls).toBe(1);
    l(np.array([1]));
    l(np.array([2]));
    expect(calls).toBe(1);
    expectClose(l(np.array([2])), 12);
  });

  it("works on pytrees", () => {
    const p = { a: np.array([1, 2]), b: [np.array(3)] };
    const [y, l] = linearize((q: typeof p) => ({ out: q.a.mul(q.b[0]!) }), p);
    expectClose(y.out, [3, 6]);
    const t = l({ a: np.array([1, 1]), b: [np.array(1)] });
    expectClose(t.out, [3 + 1, 3 + 2]);
  });

  it("constant outputs have zero tangents", () => {
    const [, l] = linearize((x: Array) => [x.mul(2), np.ones([2])], np.array([1, 2]));
    const [t0, t1] = l(np.array([1, 1]));
    expectClose(t0!, [2, 2]);
    expectClose(t1!, [0, 0]);
  });

  it("composes with jit, vmap and grad", () => {
    const f = jit((x: Array) => x.sin().mul(x));
    const [, l] = linearize(f, np.array([1, 2]));
    expectClose(
      l(np.array([1, 1])),
      [1, 2].map((v) => Math.cos(v) * v + Math.sin(v)),
    );
    // the JVP function can be vmapped over tangents: rows of the Jacobian (diagonal here)
    const J = vmap(l)(np.eye(2));
    expectClose(J, [Math.cos(1) + Math.sin(1), 0, 0, 2 * Math.cos(2) + Math.sin(2)]);
    // linearize inside grad: d/dx of (d/dt f(x + t)) at t=0 is f''
    const g = grad((x: Array) => linearize((y: Array) => y.sin(), x)[1](np.onesLike(x)).sum());
    expectClose(g(np.array([0.3])), -Math.sin(0.3));
  });

  it("rejects tangents of the wrong structure", () => {
    const [, l] = linearize((p: { a: Array }) => p.a, { a: np.ones([2]) });
    expect(() => l({ b: np.ones([2]) } as never)).toThrow(
      /linearize: tangent structure .* does not match primal structure/,
    );
  });
});
