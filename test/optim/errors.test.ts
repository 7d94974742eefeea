/** Error paths: bad hyperparameters at construction, mismatched structures in update. */
import { describe, expect, it } from "vitest";
import { arr, jit, optim, type Arr } from "./_util.js";

const O = optim;
type Ctor = (lr: number) => unknown;

const byLearningRate: Record<string, Ctor> = {
  sgd: (lr) => O.sgd(lr),
  adagrad: (lr) => O.adagrad(lr),
  adadelta: (lr) => O.adadelta(lr),
  rmsprop: (lr) => O.rmsprop(lr),
  adam: (lr) => O.adam(lr),
  adamw: (lr) => O.adamw(lr),
  nadam: (lr) => O.nadam(lr),
  adamax: (lr) => O.adamax(lr),
  amsgrad: (lr) => O.amsgrad(lr),
  lion: (lr) => O.lion(lr),
  rprop: (lr) => O.rprop(lr),
};

describe("bad learning rates fail at construction, naming the optimizer", () => {
  for (const [name, make] of Object.entries(byLearningRate)) {
    it(name, () => {
      for (const bad of [-0.1, NaN, Infinity]) {
        expect(() => make(bad), `${name}(${bad})`).toThrow(
          new RegExp(`^${name}: learningRate must be .*, got ${String(bad)}$`),
        );
      }
      expect(() => make("0.1" as unknown as number)).toThrow(new RegExp(`^${name}: learningRate must be`));
      expect(() => make(0.01)).not.toThrow();
    });
  }
});

describe("other hyperparameters out of range", () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "sgd momentum",
      () => O.sgd(0.1, { momentum: -0.5 }),
      /^sgd: momentum must be a finite number in \[0, 1\], got -0.5$/,
    ],
    ["sgd momentum NaN", () => O.sgd(0.1, { momentum: NaN }), /^sgd: momentum .* got NaN$/],
    ["sgd nesterov without momentum", () => O.sgd(0.1, { nesterov: true }), /^sgd: nesterov: true needs a momentum/],
    ["adam b1", () => O.adam(0.1, { b1: 1 }), /^adam: b1 must be a finite number in \[0, 1\), got 1$/],
    ["adam b2", () => O.adam(0.1, { b2: -0.1 }), /^adam: b2 /],
    ["adam eps", () => O.adam(0.1, { eps: -1e-8 }), /^adam: eps must be a finite number >= 0/],
    ["adamw weightDecay", () => O.adamw(0.1, { weightDecay: -1 }), /^adamw: weightDecay /],
    ["nadam b1", () => O.nadam(0.1, { b1: 2 }), /^nadam: b1 /],
    ["amsgrad epsRoot", () => O.amsgrad(0.1, { epsRoot: NaN }), /^amsgrad: epsRoot /],
    ["adamax b2", () => O.adamax(0.1, { b2: 1.5 }), /^adamax: b2 /],
    ["rmsprop decay", () => O.rmsprop(0.1, { decay: 1.1 }), /^rmsprop: decay /],
    ["rmsprop momentum", () => O.rmsprop(0.1, { momentum: -1 }), /^rmsprop: momentum /],
    ["adagrad eps", () => O.adagrad(0.1, { eps: -1 }), /^adagrad: eps /],
    [
      "adagrad initial accumulator",
      () => O.adagrad(0.1, { initialAccumulatorValue: -1 }),
      /^adagrad: initialAccumulatorValue /,
    ],
    ["adadelta rho", () => O.adadelta(1, { rho: 2 }), /^adadelta: rho /],
    ["lion b2", () => O.lion(0.1, { b2: 3 }), /^lion: b2 /],
    ["rprop learning rate 0", () => O.rprop(0), /^rprop: learningRate must be a finite number > 0, got 0$/],
    ["rprop etaPlus", () => O.rprop(0.1, { etaPlus: 0.5 }), /^rprop: etaPlus must be a finite number >= 1, got 0.5$/],
    [
      "rprop etaMinus",
      () => O.rprop(0.1, { etaMinus: 1.5 }),
      /^rprop: etaMinus must be a finite number in \(0, 1\], got 1.5$/,
    ],
    [
      "rprop max < min",
      () => O.rprop(0.1, { minStepSize: 1, maxStepSize: 0.5 }),
      /^rprop: maxStepSize must be a number >= 1, got 0.5$/,
    ],
    ["clipByGlobalNorm", () => O.clipByGlobalNorm(0), /^clipByGlobalNorm: maxNorm must be a number > 0, got 0$/],
    ["clip", () => O.clip(-1), /^clip: maxDelta /],
    ["traceMomentum", () => O.traceMomentum({ decay: 7 }), /^traceMomentum: decay /],
    ["multiSteps everyK 0", () => O.multiSteps(O.sgd(0.1), 0), /^multiSteps: everyK must be an integer >= 1, got 0$/],
    [
      "multiSteps everyK 1.5",
      () => O.multiSteps(O.sgd(0.1), 1.5),
      /^multiSteps: everyK must be an integer >= 1, got 1.5$/,
    ],
    [
      "applyIfFinite",
      () => O.applyIfFinite(O.sgd(0.1), -1),
      /^applyIfFinite: maxConsecutiveErrors must be an integer >= 0, got -1$/,
    ],
    ["scaleByAdam b1", () => O.scaleByAdam({ b1: -1 }), /^scaleByAdam: b1 /],
    ["addDecayedWeights", () => O.addDecayedWeights(-1), /^addDecayedWeights: weightDecay /],
    [
      "chain of a non-transformation",
      () => O.chain(O.sgd(0.1), {} as optim.GradientTransformation),
      /^chain: argument 1 is not a gradient transformation/,
    ],
    [
      "non-scalar array hyperparameter",
      () => O.adam(arr([0.1, 0.2])),
      /^adam: learningRate must be a number or a scalar array, got an array of shape \[2\]$/,
    ],
  ];
  it.each(cases)("%s", (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe("mismatched params/grads structures in update", () => {
  const params = { w: arr([1, 2]), b: arr([0]) };

  it("names both structures when params are passed", () => {
    const opt = O.adam(0.1);
    const s = opt.init(params);
    expect(() => opt.update({ w: arr([1, 2]) }, s, params)).toThrow(
      "adam.update: structure mismatch between the updates (gradients) {w: *} and the params {b: *, w: *}",
    );
  });

  it("names both structures (gradients vs the state from init) without params", () => {
    const opt = O.sgd(0.1, { momentum: 0.9 });
    const s = opt.init(params);
    expect(() => opt.update({ w: arr([1, 2]), c: arr([0]) }, s)).toThrow(
      /^sgd\.update: traceMomentum: structure mismatch between the updates \{c: \*, w: \*\} and the optimizer state \(built by init from the params\) \{b: \*, w: \*\}/,
    );
  });

  it("reports a leaf whose shape changed", () => {
    const opt = O.rmsprop(0.1);
    const s = opt.init(params);
    expect(() => opt.update({ w: arr([1, 2, 3]), b: arr([0]) }, s)).toThrow(
      /^rmsprop\.update: scaleByRms: leaf \.w of the updates has shape float64\[3\] but the same leaf of the optimizer state .* has shape float64\[2\]$/,
    );
  });

  it("applyUpdates names both structures", () => {
    expect(() => O.applyUpdates(params, [arr([1])])).toThrow(
      /^applyUpdates: structure mismatch between params \{b: \*, w: \*\} and updates \[\*\]/,
    );
  });

  it("weight decay without params is a clear error", () => {
    const opt = O.adamw(0.1);
    expect(() => opt.update(params, opt.init(params))).toThrow(/addDecayedWeights: update needs the current params/);
  });

  it("a mask that does not fit the params names both structures", () => {
    const opt = O.masked(O.sgd(0.1), { w: true, x: false });
    expect(() => opt.init(params)).toThrow(
      /^masked: the mask has structure \{w: \*, x: \*\}, which is not the structure \(or a prefix of it\) of the params\/updates \{b: \*, w: \*\}$/,
    );
    expect(() => O.masked(O.sgd(0.1), { w: true, b: 1 }).init(params)).toThrow(
      /^masked: every leaf of the mask must be a boolean; at \.b got number$/,
    );
  });

  it("a state from another optimizer is rejected", () => {
    const a = O.adam(0.1);
    const b = O.chain(O.scale(1));
    expect(() => a.update(params, b.init(params) as readonly unknown[], params)).toThrow(
      /chain: the state must be a list of 2 inner states/,
    );
  });

  it("grads that are not arrays are rejected", () => {
    const opt = O.sgd(0.1);
    expect(() => opt.update({ w: "x", b: arr([0]) } as unknown as typeof params, opt.init(params))).toThrow(
      /expected a pytree of graft arrays, found a leaf that is string/,
    );
  });
});

describe("a state from another optimizer is an OptimStructureError naming the expected fields", () => {
  const params = { w: arr([1, 2]) };
  const g = { w: arr([0.5, -1]) };

  it("the trial's case: sgd's state given to adam", () => {
    const s = O.sgd(0.1).init(params);
    let err: unknown;
    try {
      O.adam(0.1).update(g, s as never, params);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(O.OptimStructureError);
    expect((err as Error).message).toBe(
      "adam.update: scaleByAdam: the state does not come from this optimizer's init (expected fields count, mu, nu; got an empty state {})",
    );
  });

  it("adam's state given to sgd, amsgrad, and a wrongly typed count", () => {
    const adamState = O.adam(0.1).init(params);
    expect(() => O.sgd(0.1).update(g, adamState, params)).toThrow(
      /^sgd\.update: identity: the state does not come from this optimizer's init \(expected an empty state \{\}; got fields count, mu, nu\)$/,
    );
    expect(() => O.amsgrad(0.1).update(g, adamState, params)).toThrow(
      /^amsgrad\.update: scaleByAmsgrad: .*expected fields count, mu, nu, nuMax; got fields count, mu, nu\)$/,
    );
    expect(() => O.scaleByAdam().update(g, { count: 0, mu: g, nu: g } as never)).toThrow(
      /got fields count \(number, not a graft array\), mu, nu\)$/,
    );
  });

  // Every transformation that keeps a state, with the fields its init gives it.
  const cases: [string, () => optim.GradientTransformation<unknown>, string][] = [
    ["scaleBySchedule", () => O.scaleBySchedule(() => 1), "count"],
    ["scaleBySchedule", () => O.scaleByLearningRate(() => 0.1), "count"],
    ["traceMomentum", () => O.traceMomentum(), "trace"],
    ["scaleByRms", () => O.scaleByRms(), "nu"],
    ["scaleByStddev", () => O.scaleByStddev(), "mu, nu"],
    ["scaleByRss", () => O.scaleByRss(), "sumOfSquares"],
    ["scaleByAdadelta", () => O.scaleByAdadelta(), "eG, eX"],
    ["scaleByAdam", () => O.scaleByAdam(), "count, mu, nu"],
    ["scaleByAdamax", () => O.scaleByAdamax(), "count, mu, nu"],
    ["scaleByAmsgrad", () => O.scaleByAmsgrad(), "count, mu, nu, nuMax"],
    ["scaleByLion", () => O.scaleByLion(), "mu"],
    ["scaleByRprop", () => O.scaleByRprop(0.1), "stepSizes, prevUpdates"],
    ["masked", () => O.masked(O.sgd(0.1), { w: true }), "innerState"],
    ["multiTransform", () => O.multiTransform({ a: O.sgd(0.1) }, { w: "a" }), "innerStates"],
    [
      "injectHyperparams",
      () => O.injectHyperparams((h: { lr: Arr }) => O.sgd(h.lr))({ lr: 0.1 }),
      "count, hyperparams, innerState",
    ],
    ["applyIfFinite", () => O.applyIfFinite(O.sgd(0.1), 2), "notfiniteCount, lastFinite, totalNotfinite, innerState"],
    ["multiSteps", () => O.multiSteps(O.sgd(0.1), 2), "miniStep, gradientStep, innerState, accGrads"],
  ];
  it.each(cases)("%s (%#)", (op, make, fields) => {
    const t = make();
    expect(() => t.update(g, t.init(params), params)).not.toThrow();
    const want = new RegExp(
      `^${op}: the state does not come from this optimizer's init \\(expected fields ${fields}; got `,
    );
    for (const bad of [{}, null, undefined, 3, [{}, {}], { other: arr([0]) }, { mu: params, other: arr([0]) }]) {
      let err: unknown;
      try {
        t.update(g, bad as never, params);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(O.OptimStructureError);
      expect((err as Error).message).toMatch(want);
    }
  });

  it.each([
    ["scale", () => O.scale(2)],
    ["scaleBySign", () => O.scaleBySign()],
    ["clip", () => O.clip(1)],
    ["clipByGlobalNorm", () => O.clipByGlobalNorm(1)],
    ["addDecayedWeights", () => O.addDecayedWeights(0.1)],
    ["identity", () => O.identity()],
    ["setToZero", () => O.setToZero()],
    ["stateless", () => O.stateless((u) => u)],
  ] as [string, () => optim.GradientTransformation<unknown>][])("stateless %s expects an empty state", (op, make) => {
    const t = make();
    expect(() => t.update(g, t.init(params), params)).not.toThrow();
    expect(() => t.update(g, { count: arr(0) } as never, params)).toThrow(
      new RegExp(
        `^${op}: the state does not come from this optimizer's init \\(expected an empty state \\{\\}; got fields count\\)$`,
      ),
    );
  });

  it("states still pass through jit", () => {
    const opt = O.chain(
      O.scaleByAdam(),
      O.scaleByLearningRate(() => 0.1),
    );
    const step = jit(opt.update);
    let s = opt.init(params);
    for (let i = 0; i < 2; i++) s = step(g, s, params)[1];
    expect(() => step(g, O.sgd(0.1).init(params) as never, params)).toThrow(
      /scaleByAdam: the state does not come from/,
    );
  });
});
