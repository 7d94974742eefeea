/**
 * `reduceOnPlateau`: the scale drops after `patience` non-improving values, improvements reset the
 * count, cooldowns are respected, `minScale` floors the scale, values are averaged over
 * `accumulationSize` calls, `rtol`/`atol` define "improving"; the same sequence eagerly and under
 * `jit` (one compile), frozen states, dtypes kept, and the error paths.
 */
import { describe, expect, it } from "vitest";
import { jit, np } from "../../src/index.js";
import { reduceOnPlateau, type ReduceOnPlateauOptions, type ReduceOnPlateauState } from "../../src/optim/plateau.js";
import { reduceOnPlateau as reExported } from "../../src/optim/index.js";

type Array = np.Array;

/** Feeds `values` one per update with unit gradients; returns the scale (= the update) after each. */
function scales(opts: ReduceOnPlateauOptions, values: readonly number[], useJit = false): number[] {
  const opt = reduceOnPlateau(opts);
  let state = opt.init(null);
  const step = (g: Array, s: ReduceOnPlateauState, v: Array) => opt.update(g, s, null, { value: v });
  const jitted = jit(step);
  const run = useJit ? jitted : step;
  const out: number[] = [];
  for (const v of values) {
    const [u, next] = run(np.ones([2]), state, np.array(v));
    state = next as ReduceOnPlateauState;
    const got = Array.from((u as Array).dataSync());
    expect(got[0]).toBe(got[1]);
    expect(Number(state.scale.item())).toBeCloseTo(got[0]!, 7);
    out.push(got[0]!);
  }
  if (useJit) expect(jitted.cacheSize).toBe(1);
  return out;
}

describe("reduceOnPlateau", () => {
  it("drops the scale after `patience` consecutive non-improving values", () => {
    // 10 and 9 improve; then three 9s: the third makes the plateau count reach patience = 3.
    expect(scales({ factor: 0.5, patience: 3 }, [10, 9, 9, 9, 9, 9, 9, 9])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  it("an improvement resets the plateau count", () => {
    expect(scales({ factor: 0.5, patience: 2 }, [5, 5, 4, 4, 4, 3, 3, 3])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  it("respects the cooldown after a reduction", () => {
    // patience 1: every non-improving check counts; after a drop, 2 checks are ignored.
    expect(scales({ factor: 0.5, patience: 1, cooldown: 2 }, [5, 5, 5, 5, 5, 5, 5, 5])).toEqual([
      1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125,
    ]);
    // Without cooldown it drops every step.
    expect(scales({ factor: 0.5, patience: 1 }, [5, 5, 5, 5])).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it("never goes below minScale", () => {
    expect(scales({ factor: 0.1, patience: 1, minScale: 0.05 }, [1, 1, 1, 1])).toEqual(
      [1, 0.1, 0.05, 0.05].map(Math.fround),
    );
  });

  it("rtol and atol decide what counts as an improvement", () => {
    // rtol 0.1: 9.5 is not below 0.9·10 = 9, so it is a plateau step; 8 is.
    expect(scales({ factor: 0.5, patience: 1, rtol: 0.1 }, [10, 9.5, 8])).toEqual([1, 0.5, 0.5]);
    // atol 1 (rtol 0): 9.5 is not below 10 − 1.
    expect(scales({ factor: 0.5, patience: 1, rtol: 0, atol: 1 }, [10, 9.5, 8.9])).toEqual([1, 0.5, 0.5]);
  });

  it("averages accumulationSize values per check", () => {
    // Checks happen on calls 2, 4, 6 with means 5, 5, 5: the second check is a plateau.
    expect(scales({ factor: 0.5, patience: 1, accumulationSize: 2 }, [4, 6, 6, 4, 5, 5])).toEqual([
      1, 1, 1, 0.5, 0.5, 0.25,
    ]);
    const opt = reduceOnPlateau({ accumulationSize: 3 });
    let s = opt.init(null);
    [, s] = opt.update(np.ones([1]), s, null, { value: 2 });
    [, s] = opt.update(np.ones([1]), s, null, { value: np.array(4) });
    expect(Number(s.count.item())).toBe(2);
    expect(Number(s.avgValue.item())).toBe(3);
    [, s] = opt.update(np.ones([1]), s, null, { value: 6 });
    expect(Number(s.count.item())).toBe(0);
    expect(Number(s.bestValue.item())).toBe(4);
  });

  it("gives the same sequence under jit (traced loss, one compile)", () => {
    const values = [10, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8];
    const opts = { factor: 0.5, patience: 2, cooldown: 1 };
    expect(scales(opts, values, true)).toEqual(scales(opts, values));
  });

  it("scales every leaf of an updates pytree in its own dtype; states are frozen", () => {
    const opt = reduceOnPlateau({ factor: 0.5, patience: 1 });
    let state = opt.init({});
    expect(Object.isFrozen(state)).toBe(true);
    expect(state.scale.dtype).toBe("float32");
    expect(state.plateauCount.dtype).toBe("int32");
    const grads = { w: np.array([2, 4]), b: np.array(1, { dtype: "float64" }) };
    [, state] = opt.update(grads, state, null, { value: np.array(3, { dtype: "float64" }) });
    const [u, next] = opt.update(grads, state, null, { value: 3 });
    const upd = u as { w: Array; b: Array };
    expect(upd.w.dtype).toBe("float32");
    expect(upd.b.dtype).toBe("float64");
    expect(Array.from(upd.w.dataSync())).toEqual([1, 2]);
    expect(upd.b.item()).toBe(0.5);
    expect(Object.isFrozen(next)).toBe(true);
    expect(() => {
      (next as { scale: unknown }).scale = np.array(1);
    }).toThrow(TypeError);
  });

  it("is exported by graft/optim (src/optim/index.ts)", () => {
    expect(reExported).toBe(reduceOnPlateau);
  });

  it("rejects bad options and a missing or non-scalar value", () => {
    const bad: ReduceOnPlateauOptions[] = [
      { factor: 0 },
      { factor: 1 },
      { factor: NaN },
      { patience: 0 },
      { patience: 1.5 },
      { cooldown: -1 },
      { rtol: 0, atol: 0 },
      { atol: -1 },
      { rtol: 1 },
      { accumulationSize: 0 },
      { minScale: -0.1 },
    ];
    for (const o of bad) expect(() => reduceOnPlateau(o), JSON.stringify(o)).toThrow(RangeError);
    const opt = reduceOnPlateau();
    const s = opt.init(null);
    expect(() => opt.update(np.ones([2]), s)).toThrow(/fourth argument: update\(updates, state, params, \{ value \}\)/);
    expect(() => opt.update(np.ones([2]), s, null, { value: np.ones([3]) })).toThrow(/value must be a scalar/);
    expect(() => opt.update(np.ones([2]), {} as ReduceOnPlateauState, null, { value: 1 })).toThrow(
      /state must come from reduceOnPlateau/,
    );
  });
});
