/** `reduceOnPlateau().update` returns frozen updates, like every other transformation. */
import { describe, expect, it } from "vitest";
import { np } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";

type Array = np.Array;

const grads = () => ({ w: np.ones([2]), layers: [{ b: np.zeros([1]) }] });

describe("reduceOnPlateau freezes its updates", () => {
  it("the updates pytree is deeply frozen", () => {
    const opt = optim.reduceOnPlateau({ patience: 1 });
    const g = grads();
    const [u] = opt.update(g, opt.init(g), null, { value: 1 });
    expect(Object.isFrozen(u)).toBe(true);
    expect(Object.isFrozen(u.layers)).toBe(true);
    expect(Object.isFrozen(u.layers[0])).toBe(true);
    expect(() => {
      (u as { w: Array }).w = np.zeros([2]);
    }).toThrow(TypeError);
  });

  it("as every other optimizer's updates are", () => {
    const g = grads();
    for (const opt of [optim.sgd(0.1), optim.adam(0.1), optim.chain(optim.clipByGlobalNorm(1), optim.sgd(0.1))]) {
      const [u] = opt.update(g, opt.init(g), g);
      expect(Object.isFrozen(u)).toBe(true);
    }
  });

  it("leaves the caller's gradients alone", () => {
    const opt = optim.reduceOnPlateau();
    const g = grads();
    opt.update(g, opt.init(g), null, { value: 1 });
    expect(Object.isFrozen(g)).toBe(false);
  });
});
