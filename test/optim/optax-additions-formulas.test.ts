/**
 * One-step formulas by hand for the Optax 0.2.8 additions (trust ratio, adaptive clipping, ema,
 * zeroNans, lookahead, sam), and their argument errors. Full trajectories against real Optax are in
 * optax-parity.test.ts.
 */
import { describe, expect, it } from "vitest";
import { arr, closeNumber, flat, np, optim, type Arr } from "./_util.js";

const O = optim;

describe("by hand", () => {
  it("scaleByTrustRatio: u·‖w‖/‖u‖, and u unchanged where ‖w‖ = 0", () => {
    const t = O.scaleByTrustRatio();
    const p = { a: arr([3, 4]), z: arr([0, 0]) };
    const [u] = t.update({ a: arr([0, 2]), z: arr([1, 1]) }, t.init(p), p);
    expect(flat(u.a)).toEqual([0, 5]); // ratio 5/2
    expect(flat(u.z)).toEqual([1, 1]);
  });

  it("adaptiveGradClip: a vector whose gradient norm exceeds clipping·‖w‖ is rescaled to it", () => {
    const t = O.adaptiveGradClip(0.1);
    const w = arr([3, 4]); // ‖w‖ = 5, so the largest gradient norm is 0.5
    const [big] = t.update(arr([0.6, 0.8]), t.init(w), w);
    flat(big).forEach((v, i) => closeNumber(v, [0.3, 0.4][i]!, 1e-15));
    const [small] = t.update(arr([0.06, 0.08]), t.init(w), w);
    expect(flat(small)).toEqual([0.06, 0.08]);
    // A matrix is clipped column by column (axis 0 summed): column 0 has norm 5, column 1 norm 0.5.
    const m = arr([
      [3, 0.3],
      [4, 0.4],
    ]);
    const [cols] = t.update(
      m,
      t.init(m),
      arr([
        [1, 10],
        [0, 0],
      ]),
    );
    flat(cols).forEach((v, i) => closeNumber(v, [0.06, 0.3, 0.08, 0.4][i]!, 1e-15));
  });

  it("ema(0.5): averages 1 and 2.5 of gradients 2 and 4, debiased to 2 and 10/3", () => {
    const t = O.ema(0.5);
    const p = arr([0]);
    const [u1, s1] = t.update(arr([2]), t.init(p), p);
    closeNumber(flat(u1)[0]!, 2);
    const [u2, s2] = t.update(arr([4]), s1, p);
    closeNumber(flat(u2)[0]!, 10 / 3);
    closeNumber(flat(s2.ema as Arr)[0]!, 2.5);
    const raw = O.ema(0.5, { debias: false });
    closeNumber(flat(raw.update(arr([2]), raw.init(p), p)[0])[0]!, 1);
  });

  it("zeroNans: NaN entries become 0 and the state flags the leaves that held one", () => {
    const t = O.zeroNans();
    const p = { a: arr([0, 0]), b: arr([0]) };
    const [u, s] = t.update({ a: arr([Number.NaN, 1]), b: arr([Number.POSITIVE_INFINITY]) }, t.init(p), p);
    expect(flat(u.a)).toEqual([0, 1]);
    expect(flat(u.b)).toEqual([Number.POSITIVE_INFINITY]);
    const found = s.foundNan as { a: Arr; b: Arr };
    expect([found.a.dtype, found.b.dtype]).toEqual(["bool", "bool"]);
    expect([Number(found.a.item()), Number(found.b.item())]).toEqual([1, 0]);
  });

  it("lookahead(sgd(0.1), k = 2, α = 0.5) on w² from 1: fast 0.8, then both 0.82", () => {
    // Step 1: g = 2, fast 1 − 0.2 = 0.8, slow stays 1.
    // Step 2: g = 1.6, fast would be 0.64; sync: slow = 1 + 0.5·(0.64 − 1) = 0.82, fast = slow.
    const opt = O.lookahead(O.sgd(0.1), { syncPeriod: 2, slowStepSize: 0.5 });
    let params = { fast: arr([1]), slow: arr([1]) };
    let state = opt.init(params);
    const seen: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const [u, next] = opt.update(params.fast.mul(2), state, params);
      params = O.applyUpdates(params, u);
      state = next;
      seen.push([flat(params.fast)[0]!, flat(params.slow)[0]!]);
    }
    seen.flat().forEach((v, i) => closeNumber(v, [0.8, 1, 0.82, 0.82][i]!, 1e-15));
  });

  it("sam(sgd(0.1), chain(normalize(), sgd(0.05))): ascend by ρ·g/‖g‖, then step from the cached point", () => {
    // Step 1 at w = (3, 4), g = (3, 4): w + 0.05·(0.6, 0.8) = (3.03, 4.04).
    // Step 2 with the gradient g' = (1, 1) at that point: w = (3, 4) − 0.1·(1, 1) = (2.9, 3.9).
    const opt = O.sam(O.sgd(0.1), O.chain(O.normalize(), O.sgd(0.05)));
    let w = arr([3, 4]);
    let s = opt.init(w);
    let [u, n] = opt.update(arr([3, 4]), s, w);
    [w, s] = [O.applyUpdates(w, u), n];
    flat(w).forEach((v, i) => closeNumber(v, [3.03, 4.04][i]!, 1e-15));
    [u, n] = opt.update(arr([1, 1]), s, w);
    w = O.applyUpdates(w, u);
    flat(w).forEach((v, i) => closeNumber(v, [2.9, 3.9][i]!, 1e-15));
  });
});

describe("argument errors name the op", () => {
  it.each([
    [
      () => O.lookahead(O.sgd(0.1), { syncPeriod: 0, slowStepSize: 0.5 }),
      /lookahead: syncPeriod must be an integer >= 1, got 0/,
    ],
    [
      () => O.lookahead(O.sgd(0.1), { syncPeriod: 2, slowStepSize: 1.5 }),
      /lookahead: slowStepSize must be .* in \[0, 1\], got 1.5/,
    ],
    [() => O.sam(O.sgd(0.1), O.sgd(0.1), { syncPeriod: 1.5 }), /sam: syncPeriod must be an integer/],
    [() => O.sam(O.sgd(0.1), null as never), /sam: advOptimizer must be a gradient transformation/],
    [() => O.radam(0.1, { b2: 1 }), /scaleByRadam: b2 must be .* in \[0, 1\), got 1/],
    [() => O.yogi(-1), /yogi: learningRate must be a finite number >= 0/],
    [() => O.lamb(0.1, { weightDecay: -1 }), /lamb: weightDecay must be/],
    [() => O.lars(0.1, { momentum: 2 }), /lars: momentum must be/],
    [() => O.adafactor(0.1, { minDimSizeToFactor: 1.5 }), /adafactor: minDimSizeToFactor must be an integer/],
    [() => O.ema(1.5), /ema: decay must be/],
    [() => O.ema(0.9, { accumulatorDtype: "int32" as never }), /ema: accumulatorDtype must be "float32" or "float64"/],
    [() => O.adaptiveGradClip(-1), /adaptiveGradClip: clipping must be/],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });

  it("update-time errors: lookahead without { fast, slow }, a rank-6 leaf in adaptiveGradClip, params missing", () => {
    const la = O.lookahead(O.sgd(0.1), { syncPeriod: 2, slowStepSize: 0.5 });
    const w = arr([1]);
    expect(() => la.update(w, la.init(w), w)).toThrow(/lookahead: update needs the params as \{ fast, slow \}/);
    const agc = O.adaptiveGradClip(0.1);
    const six = np.ones([2, 2, 1, 1, 1, 2], { dtype: "float64" }); // rank 6 after squeezing too
    expect(() => agc.update(six, agc.init(six), six)).toThrow(
      /adaptiveGradClip: cannot pick the unit axes .* pass \{ axis \}/,
    );
    const tr = O.scaleByTrustRatio();
    expect(() => tr.update(w, tr.init(w))).toThrow(/scaleByTrustRatio: update needs the current params/);
  });
});
