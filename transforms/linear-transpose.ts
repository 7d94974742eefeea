/**
 * `linearTranspose`: the transpose of a linear function (JAX's `linear_transpose`). The function is
 * traced once to a Program, which is then run backwards with every input marked linear; the
 * backward pass is itself staged as a Program, so a non-linear function is rejected up front.
 */
import { isFloat } from "../src/core/dtype.js";
import { Var, type Program } from "../src/core/program.js";
import { checkFunction } from "../src/core/validate.js";
import { traceToProgram } from "../src/interpreters/staging.js";
import { bind, currentTrace } from "../src/core/trace.js";
import { dce } from "../src/interpreters/passes.js";
import { transposeProgram } from "../src/interpreters/program-transforms.js";
import type { PrimParams } from "../src/core/primitives.js";
import { convert } from "../src/core/ops.js";
import { rulesFor } from "../src/core/rules.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { checkArgsDefined, flattenArrays, flatFn, frozen, recordedDef } from "../src/interpreters/args.js";
import { abstractLeaves, type AbstractArgs } from "./eval-shape.js";

class NotLinear extends Error {}

/**
 * Checks the uses the transpose rules cannot check themselves: a product of two values that both
 * depend on the inputs (`mul`), including inside sub-programs (jit, checkpoint, cond).
 */
function checkLinearUses(p: Program, linearIn: readonly boolean[]): void {
  const linear = new Set<Var>(p.inVars.filter((_, i) => linearIn[i]));
  for (const e of p.eqns) {
    const mask = e.inputs.map((a) => a instanceof Var && linear.has(a));
    if (!mask.some(Boolean)) continue;
    if (e.prim === "mul" && mask.every(Boolean))
      throw new NotLinear(
        "it multiplies two values that both depend on the inputs ('mul' is linear in one operand at a time)",
      );
    const callee = rulesFor(e.prim).callee?.(e.params as never);
    if (callee) checkLinearUses(callee, mask);
    if (e.prim === "cond") for (const b of (e.params as PrimParams["cond"]).branches) checkLinearUses(b, mask.slice(1));
    e.outputs.forEach((v) => linear.add(v));
  }
}

/**
 * For `f` linear in its arguments, returns `fT` mapping a cotangent of `f`'s output to the tuple of
 * cotangents of its arguments: `⟨ct, f(x)⟩ = ⟨fT(ct), x⟩` for every `x` and `ct`. The primals only
 * give shapes and dtypes (graft arrays, JS numbers, `ShapedArray`s, or pytrees of them); they must
 * be floating point. Throws `linearTranspose: f is not linear in its inputs (…)` when `f` uses a
 * non-linear operation on its inputs. Terms of `f` that do not depend on its inputs are ignored,
 * so for an affine `f` this is the transpose of its linear part (as in JAX).
 *
 * @example
 * const A = np.array([[1, 2], [3, 4], [5, 6]]);
 * const fT = linearTranspose((x: Array) => np.matmul(A, x), np.zeros([2]));
 * fT(np.array([1, 0, 0])); // [array([1., 2.])] — that is, Aᵀ·ct
 */
export function linearTranspose<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: AbstractArgs<A>
): (ct: R) => A {
  checkFunction("linearTranspose", f);
  checkArgsDefined(primals, "linearTranspose");
  const [inAvals, inDef] = abstractLeaves(primals, "linearTranspose", "primals", "float");
  inAvals.forEach((a, i) => {
    if (!isFloat(a.dtype))
      throw new TypeError(
        `linearTranspose: primal ${i} has dtype ${a.dtype}; only float32/float64 inputs can be transposed`,
      );
  });
  const out: { def?: PyTreeDef } = {};
  const { program, extraArgs } = traceToProgram(
    flatFn(f, inDef, "linearTranspose", out),
    inAvals,
    currentTrace(),
    "linearTranspose",
  );
  const outDef = recordedDef(out, "linearTranspose");
  const outAvals = program.outAvals;
  outAvals.forEach((a, i) => {
    if (!isFloat(a.dtype))
      throw new TypeError(
        `linearTranspose: output ${i} has dtype ${a.dtype}; only float32/float64 outputs can be transposed`,
      );
  });
  // Inputs: [...values captured from enclosing transforms (not linear), ...f's arguments (linear)].
  const linMask = [...extraArgs.map(() => false), ...inAvals.map(() => true)];
  let bwd: Program;
  try {
    const live = dce(program);
    checkLinearUses(live, linMask);
    bwd = transposeProgram(live, linMask, outAvals);
    // A transpose rule that received a linear input where it needed a value captures it as an
    // extra input of the staged backward pass: another sign that f is not linear.
    if (bwd.inVars.length !== extraArgs.length + outAvals.length)
      throw new NotLinear("a non-linear operation was applied to the inputs");
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`linearTranspose: f is not linear in its inputs (${msg})`, { cause: e });
  }
  const name = `transpose(${f.name || "linear"})`;
  return (ct: R): A => {
    const [cts, ctDef] = flattenArrays(ct, "linearTranspose", "cotangents");
    if (!ctDef.equals(outDef))
      throw new Error(`linearTranspose: cotangent structure ${ctDef} does not match output structure ${outDef}`);
    const matched = cts.map((c, i) => {
      const o = outAvals[i]!; // same structure as the outputs, so as many leaves
      if (c.shape.join() !== o.shape.join())
        throw new Error(`linearTranspose: cotangent ${i} has shape [${c.shape}] but the output has shape [${o.shape}]`);
      return c.dtype === o.dtype ? c : convert(c, o.dtype);
    });
    const outs = bind("jit_call", [...extraArgs, ...matched], { program: bwd, name });
    return frozen(unflatten(inDef, outs) as A);
  };
}
