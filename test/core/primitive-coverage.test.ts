/**
 * Every primitive in PRIMITIVE_NAMES has what the transforms, the CPU backend and the gradient
 * property table need: a registered rule with abstractEval, jvp and batch rules, a transpose rule
 * when it is linear in some operand, a CPU kernel (or sub-program runner, for primitives whose
 * params hold Programs) and at least one function in the gradient table that uses it.
 *
 * Each check has an exemption map { primitive: reason }. An exemption that no longer applies (the
 * primitive now has the rule, or appears in the table) fails too, so the maps stay honest.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cpuSubProgramRunners } from "../../backends/cpu/control.js";
import { cpuKernels } from "../../backends/cpu/kernels/index.js";
import { type Array, jvp, makeJaxpr, np, random } from "../../src/index.js";
import { PRIMITIVE_NAMES, type PrimName, type SubProgramPrim } from "../../src/core/primitives.js";
import { holdsPrograms, type Program, subPrograms } from "../../src/core/program.js";
import { registeredPrimitives, rulesFor } from "../../src/core/rules.js";
import { COVERAGE } from "../../property-tests/coverage-ops.js";
import { arbIn } from "../../property-tests/helpers.js";
import { BINARY, PRODUCTS, UNARY_ALL } from "../../property-tests/ops.js";

/** Primitive → why it is exempt from a check (one reason each). */
type Exemptions = Partial<Record<PrimName, string>>;

const NO_ABSTRACT_EVAL: Exemptions = {};

const NO_JVP: Exemptions = {
  iota: "no operands, so it never carries a tangent: the JVP interpreter evaluates it without a rule",
};

const NO_BATCH: Exemptions = {
  iota: "no operands, so it is never batched: vmap evaluates it without a rule",
};

/**
 * Primitives linear in at least one operand (mul and dot_general in either one given the other,
 * div in its numerator, select/gather/scatter_add/dynamic_* in their array operands, the call and
 * control-flow primitives in the operands their sub-programs are linear in): each needs a transpose
 * rule. A primitive with a transpose rule must be listed here.
 */
const LINEAR: ReadonlySet<PrimName> = new Set<PrimName>([
  "neg",
  "add",
  "sub",
  "mul",
  "div",
  "select",
  "convert",
  "reduce_sum",
  "cumsum",
  "dot_general",
  "conv_general_dilated",
  "broadcast_in_dim",
  "reshape",
  "transpose",
  "slice",
  "pad",
  "concatenate",
  "rev",
  "gather",
  "scatter_add",
  "dynamic_slice",
  "dynamic_update_slice",
  "jit_call",
  "remat_call",
  "cond",
  "while",
  "scan",
  "custom_jvp_call",
  "custom_vjp_call",
  "custom_vjp_lin",
]);

const NO_TRANSPOSE: Exemptions = {
  while: "no reverse mode through while loops (the trip count is only known at run time; JAX has none either)",
};

/** The primitives whose params hold sub-programs (type-checked against SubProgramPrim both ways). */
const SUB_PROGRAM = {
  jit_call: true,
  remat_call: true,
  cond: true,
  while: true,
  scan: true,
  custom_jvp_call: true,
  custom_vjp_call: true,
  custom_vjp_lin: true,
} as const satisfies Record<SubProgramPrim, true>;
const isSubProgram = (p: PrimName): boolean => Object.hasOwn(SUB_PROGRAM, p);

const NO_CPU_IMPL: Exemptions = {};

const NOT_IN_GRAD_TABLE: Exemptions = {
  xor: "bitwise op on integers (or bools): no float output, so no derivative to check",
  shift_left: "integer-only shift: no derivative",
  shift_right_logical: "integer-only shift: no derivative",
  threefry2x32: "uint32 hash (random bits): not differentiable",
  custom_vjp_lin:
    "internal: only custom_vjp_call's JVP emits it (never a traced function); its transpose runs under the customVjp entries' reverse-mode checks",
};

/**
 * Walks PRIMITIVE_NAMES: a primitive that `needs` the thing must `have` it or be exempt, and an
 * exemption must name a primitive that needs the thing and lacks it. Returns one line per problem.
 */
function audit(
  what: string,
  exempt: Exemptions,
  has: (p: PrimName) => boolean,
  needs: (p: PrimName) => boolean = () => true,
): string[] {
  const problems: string[] = [];
  for (const p of PRIMITIVE_NAMES) {
    const reason = exempt[p];
    if (!needs(p)) {
      if (reason !== undefined) problems.push(`'${p}': exempt from "${what}", which it does not need; drop it`);
    } else if (has(p)) {
      if (reason !== undefined)
        problems.push(`'${p}': stale exemption from "${what}" ("${reason}"): it has it now; remove the exemption`);
    } else if (reason === undefined) problems.push(`'${p}': missing ${what}`);
  }
  for (const p of Object.keys(exempt))
    if (!PRIMITIVE_NAMES.includes(p as PrimName)) problems.push(`'${p}': exempt from "${what}" but not a primitive`);
  return problems;
}

const registered = new Set<PrimName>(registeredPrimitives());
const rule = (p: PrimName) => (registered.has(p) ? rulesFor(p) : undefined);

// ---------------------------------------------------------------------------------------------
// The gradient table, traced

/** One sample of `arb` (fixed seed: the trace only depends on shapes, dtypes and control flow). */
const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: 1, numRuns: 1 })[0]!;

/** Every table function with example float64 arguments. */
function tableCases(): { name: string; f: (...args: Array[]) => unknown; args: Array[] }[] {
  const unary = [...UNARY_ALL, ...COVERAGE].map((s) => ({
    name: s.name,
    f: s.f as (...args: Array[]) => unknown,
    // [2, 3] meets every spec's minRank / minDim (at most 2).
    args: [sample(arbIn(s.dom, [2, 3]))],
  }));
  const binary = BINARY.map((s) => ({
    name: s.name,
    f: s.f as (...args: Array[]) => unknown,
    args: [sample(arbIn(s.x, [2, 3])), sample(arbIn(s.y, [3]))],
  }));
  const products = PRODUCTS.map((s) => ({
    name: s.name,
    f: s.f as (...args: Array[]) => unknown,
    args: sample(s.args),
  }));
  return [...unary, ...binary, ...products];
}

/** Every equation of `p`, its sub-programs' included. */
function* eqnsOf(p: Program): Generator<Program["eqns"][number]> {
  for (const e of p.eqns) {
    yield e;
    for (const s of subPrograms(e.params)) yield* eqnsOf(s);
  }
}

const cases = tableCases();
const tablePrograms = cases.map((c) => makeJaxpr(c.f)(...c.args));
/** Primitive → the first table entry that uses it. */
const inTable = new Map<PrimName, string>();
tablePrograms.forEach((p, i) => {
  for (const e of eqnsOf(p)) if (!inTable.has(e.prim)) inTable.set(e.prim, cases[i]!.name);
});

// ---------------------------------------------------------------------------------------------

describe("primitive coverage", () => {
  it("PRIMITIVE_NAMES has no duplicates and every registered primitive is listed", () => {
    expect(new Set(PRIMITIVE_NAMES).size).toBe(PRIMITIVE_NAMES.length);
    expect([...registered].filter((p) => !PRIMITIVE_NAMES.includes(p))).toEqual([]);
  });

  it("every primitive has a registered rule with abstractEval", () => {
    expect(audit("a registered rule with abstractEval", NO_ABSTRACT_EVAL, (p) => !!rule(p)?.abstractEval)).toEqual([]);
  });

  it("every primitive has a jvp rule", () => {
    expect(audit("a jvp rule", NO_JVP, (p) => !!rule(p)?.jvp)).toEqual([]);
  });

  it("every primitive has a batch rule", () => {
    expect(audit("a batch rule", NO_BATCH, (p) => !!rule(p)?.batch)).toEqual([]);
  });

  it("every linear primitive has a transpose rule, and every transposable primitive is in LINEAR", () => {
    const problems = audit(
      "a transpose rule (it is linear in some operand)",
      NO_TRANSPOSE,
      (p) => !!rule(p)?.transpose,
      (p) => LINEAR.has(p),
    );
    for (const p of PRIMITIVE_NAMES)
      if (!LINEAR.has(p) && rule(p)?.transpose) problems.push(`'${p}': has a transpose rule but is not in LINEAR`);
    expect(problems).toEqual([]);
  });

  it("every primitive has a CPU kernel, or a sub-program runner when its params hold Programs", () => {
    const kernels: Readonly<Record<string, unknown>> = cpuKernels;
    const runners: Readonly<Record<string, unknown>> = cpuSubProgramRunners;
    const problems = audit("a CPU kernel or sub-program runner", NO_CPU_IMPL, (p) =>
      isSubProgram(p) ? Object.hasOwn(runners, p) : Object.hasOwn(kernels, p),
    );
    for (const p of PRIMITIVE_NAMES) {
      if (isSubProgram(p) && Object.hasOwn(kernels, p))
        problems.push(`'${p}': holds sub-programs but has a CPU kernel`);
      if (!isSubProgram(p) && Object.hasOwn(runners, p))
        problems.push(`'${p}': holds no sub-program but has a CPU sub-program runner`);
    }
    for (const k of [...Object.keys(kernels), ...Object.keys(runners)])
      if (!PRIMITIVE_NAMES.includes(k as PrimName)) problems.push(`'${k}': CPU implementation of an unknown primitive`);
    expect(problems).toEqual([]);
  });

  it("holdsPrograms(params) agrees with SubProgramPrim on traced equations, for every sub-program primitive", () => {
    const programs = [
      ...tablePrograms,
      // JVPs of the control-flow entries (custom_vjp_lin only appears there), and random bits.
      ...COVERAGE.map((s) => {
        const x = sample(arbIn(s.dom, [2, 3]));
        return makeJaxpr((v: Array) => jvp(s.f, [v], [np.onesLike(v)]))(x);
      }),
      makeJaxpr((k: Array) => random.normal(k, [3]))(random.key(0)),
    ];
    const seen = new Set<PrimName>();
    const problems: string[] = [];
    for (const p of programs)
      for (const e of eqnsOf(p)) {
        seen.add(e.prim);
        if (holdsPrograms(e.params) !== isSubProgram(e.prim))
          problems.push(
            `'${e.prim}': holdsPrograms(params) is ${holdsPrograms(e.params)} but SUB_PROGRAM says ${isSubProgram(e.prim)}`,
          );
      }
    for (const p of Object.keys(SUB_PROGRAM) as PrimName[])
      if (!seen.has(p)) problems.push(`'${p}': no traced equation to check holdsPrograms on`);
    expect([...new Set(problems)]).toEqual([]);
  });

  it("every primitive appears in a function of the gradient property table", () => {
    expect(tablePrograms.length).toBeGreaterThan(100);
    const problems = audit("an entry in the gradient property table", NOT_IN_GRAD_TABLE, (p) => inTable.has(p));
    expect(problems).toEqual([]);
  });
});
