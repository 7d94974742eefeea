import { describe, it, expect } from "vitest";
import { np, nn, grad, jit } from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

const R = nn.regularizers;
type P = { w: np.Array; layers: { k: np.Array }[]; b: np.Array };
const params = (): P => ({
  w: np.array([
    [1, -2],
    [0.5, 0],
  ]),
  layers: [{ k: np.array([3]) }],
  b: np.array([-1]),
});
// leaves: 1, -2, 0.5, 0, 3, -1

describe("regularizers over a parameter pytree", () => {
  it("l1 = Σ|w| over every leaf", () => {
    expectClose(R.l1(params()), 7.5);
    // |w|' is 1 at w = 0, as in JAX (jnp.abs's derivative there).
    expectClose(grad((p: P) => R.l1(p))(params()).w, [1, -1, 1, 1]);
  });

  it("l2 = ‖w‖² = Σw² (no ½, as in the notes' λ|W|²); gradient 2w", () => {
    expectClose(R.l2(params()), 1 + 4 + 0.25 + 0 + 9 + 1);
    const g = grad((p: P) => R.l2(p))(params());
    expectClose(g.w, [2, -4, 1, 0]);
    expectClose(g.layers[0]!.k, [6]);
    expectClose(g.b, [-2]);
    expect(R.l2(params()).shape).toEqual([]);
  });

  it("elasticNet = alpha·(l1Ratio·‖w‖₁ + (1 − l1Ratio)·‖w‖²)", () => {
    expectClose(R.elasticNet(params(), { l1Ratio: 0.3, alpha: 2 }), 2 * (0.3 * 7.5 + 0.7 * 15.25));
    expectClose(R.elasticNet(params()), 0.5 * 7.5 + 0.5 * 15.25);
    expectClose(R.elasticNet(params(), { l1Ratio: 1 }), flat(R.l1(params())));
    expectClose(R.elasticNet(params(), { l1Ratio: 0 }), flat(R.l2(params())));
    const g = grad((p: P) => R.elasticNet(p, { l1Ratio: 0.25, alpha: 4 }))(params());
    expectClose(g.w, [1 + 3 * 2, -1 + 3 * -4, 1 + 3 * 1, 1]);
    expect(() => R.elasticNet(params(), { l1Ratio: 2 })).toThrow(/l1Ratio/);
  });

  it("an empty tree gives 0; works under jit", () => {
    expectClose(R.l2({}), 0);
    expectClose(jit((p: P) => R.l2(p).add(R.l1(p)))(params()), 15.25 + 7.5);
  });
});
