/**
 * `triangularSolve` (jax.lax.linalg.triangular_solve): solves op(A) X = B or X op(A) = B for
 * triangular A, with a custom JVP (dX = op(A)⁻¹ (dB − op(dA) X), or its right-side mirror) so
 * derivatives reuse the solve instead of differentiating the substitution loop.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import { checkOptions } from "../../core/options.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { selfReferentialJvp } from "./rule-chain.js";
import { promote } from "../../core/convert.js";
import { matmul } from "../linalg.js";
import { tril, triu } from "../matrix-shape.js";
import { broadcastTo } from "../shape.js";
import { floatInput, mT, squareInput } from "./common.js";
import { lowerSolveCore, upperSolveCore } from "./factor.js";

/** Options of {@link triangularSolve} (JAX's names and defaults). */
export interface TriangularSolveOptions {
  /** true: solve op(A) X = B (B is [..., n, m]); false (default): X op(A) = B (B is [..., m, n]). */
  leftSide?: boolean;
  /** Read A's lower triangle (true) or its upper triangle (false, default). */
  lower?: boolean;
  /** op(A) = Aᵀ instead of A (default false). */
  transposeA?: boolean;
  /** Take A's diagonal as ones without reading it (default false). */
  unitDiagonal?: boolean;
}

type Flags = Required<TriangularSolveOptions>;

/** The part of A the solve reads: its triangle, without the diagonal when it is taken as ones. */
const readPart = (A: Array, f: Flags): Array =>
  f.lower ? tril(A, f.unitDiagonal ? -1 : 0) : triu(A, f.unitDiagonal ? 1 : 0);

function solveWith(A: Array, B: Array, f: Flags): Array {
  // Reduce to T X = B: a right-side solve X op(A) = B is op(A)ᵀ Xᵀ = Bᵀ.
  let lowerT = f.lower !== f.transposeA;
  let T = f.transposeA ? mT(A) : A;
  if (!f.leftSide) {
    T = mT(T);
    lowerT = !lowerT;
    return mT(lowerT ? lowerSolveCore(T, mT(B), f.unitDiagonal) : upperSolveCore(T, mT(B), f.unitDiagonal));
  }
  return lowerT ? lowerSolveCore(T, B, f.unitDiagonal) : upperSolveCore(T, B, f.unitDiagonal);
}

const rules = new Map<string, CustomJvp<[Array, Array], Array>>();

function ruleFor(f: Flags): CustomJvp<[Array, Array], Array> {
  const key = `${f.leftSide}|${f.lower}|${f.transposeA}|${f.unitDiagonal}`;
  let g = rules.get(key);
  if (!g) {
    const solve: CustomJvp<[Array, Array], Array> = selfReferentialJvp(
      (A: Array, B: Array) => solveWith(A, B, f),
      (self, [A, B], [dA, dB]) => {
        const X = self(A, B);
        const dT = readPart(dA, f);
        const opdA = f.transposeA ? mT(dT) : dT;
        const rhs = dB.sub(f.leftSide ? matmul(opdA, X) : matmul(X, opdA));
        return [X, self(A, rhs)];
      },
    );
    rules.set(key, (g = solve));
  }
  return g;
}

/**
 * Solves a triangular system (jax.lax.linalg.triangular_solve): `leftSide` op(A) X = B, else
 * X op(A) = B, with op(A) = Aᵀ when `transposeA`. A is [..., n, n]; only its `lower` (or upper)
 * triangle is read. Leading batch axes broadcast. A zero on the diagonal gives ±∞/NaN, as in JAX.
 *
 * @example
 * lax.linalg.triangularSolve(np.array([[2, 0], [1, 1]]), np.array([[2], [3]]), { leftSide: true, lower: true })
 * // [[1], [2]]
 */
export function triangularSolve(a: ArrayOrScalar, b: ArrayOrScalar, opts: TriangularSolveOptions = {}): Array {
  checkOptions("triangularSolve", opts, ["leftSide", "lower", "transposeA", "unitDiagonal"]);
  const flags: Flags = {
    leftSide: opts.leftSide ?? false,
    lower: opts.lower ?? false,
    transposeA: opts.transposeA ?? false,
    unitDiagonal: opts.unitDiagonal ?? false,
  };
  let [A, n] = squareInput("triangularSolve", a, "a");
  let B = floatInput("triangularSolve", b, "b");
  const side = flags.leftSide ? "second-to-last" : "last";
  if (B.ndim < 2 || B.shape[B.ndim - (flags.leftSide ? 2 : 1)] !== n)
    throw new TypeError(
      `triangularSolve: b must be [..., ${flags.leftSide ? `${n}, m` : `m, ${n}`}] (its ${side} axis equal to a's ` +
        `size ${n}, leftSide=${flags.leftSide}), got a ${shapeStr(A.shape)} and b ${shapeStr(B.shape)}`,
    );
  const batch = broadcastShapes("triangularSolve (batch axes)", A.shape.slice(0, -2), B.shape.slice(0, -2));
  [A, B] = promote("triangularSolve", A, B) as [Array, Array];
  A = broadcastTo(A, [...batch, n, n]);
  B = broadcastTo(B, [...batch, ...B.shape.slice(-2)]);
  return ruleFor(flags)(A, B);
}
