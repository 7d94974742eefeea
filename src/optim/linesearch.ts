/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, *Numerical Optimization*,
 * 2nd ed., Algorithms 3.5 and 3.6: bracketing, then "zoom" with safeguarded cubic interpolation).
 *
 * It runs on the host: the one-dimensional function φ(α) = f(x + α·d) is evaluated by the caller
 * (with graft ops, typically a jitted `valueAndGrad`) and handed back as JS numbers, and the search
 * decides where to evaluate next with ordinary JS control flow. The search is a state machine
 * (`wolfeSearch`: ask for the next α, tell it φ there) so that the solvers can await φ's reads
 * (WebGPU); `lineSearchWolfe` drives it with a plain, synchronous φ. It is a coarse-to-fine search:
 * the trial step grows geometrically until an interval is known to contain acceptable steps, and
 * the interval is then shrunk by interpolation.
 */
import { checkOptions } from "../core/options.js";

/** φ(α) and φ'(α) = ∇f(x + αd)·d at one trial step, with any payload the caller wants back. */
export interface LineSearchPoint<T = unknown> {
  value: number;
  slope: number;
  /** Carried through to the result when this point is accepted (e.g. the new x and gradient). */
  aux?: T;
}

/** Options of {@link lineSearchWolfe}. */
export interface WolfeOptions {
  /** Sufficient-decrease (Armijo) constant, 0 < c1 < c2. Default 1e-4. */
  c1?: number;
  /** Curvature constant, c1 < c2 < 1: 0.9 for (quasi-)Newton, 0.1 for conjugate gradient. Default 0.9. */
  c2?: number;
  /** First trial step (> 0). Default 1. */
  alpha0?: number;
  /** Largest step tried (≥ alpha0). Default 1e10. */
  alphaMax?: number;
  /** Most evaluations of φ (≥ 1). Default 30. */
  maxIter?: number;
}

/** The names of {@link WolfeOptions}. @internal */
export const WOLFE_OPTIONS = [
  "c1",
  "c2",
  "alpha0",
  "alphaMax",
  "maxIter",
] as const satisfies readonly (keyof WolfeOptions)[];

/** What {@link lineSearchWolfe} found. */
export interface LineSearchResult<T = unknown> {
  /**
   * The step. When `success` is false it is the best step found that satisfies sufficient
   * decrease (curvature possibly not), or 0 if there is none.
   */
  alpha: number;
  /** φ(alpha) (φ(0) when alpha is 0). */
  value: number;
  /** φ'(alpha). */
  slope: number;
  /** The payload of the accepted point (undefined when alpha is 0). */
  aux: T | undefined;
  /** Both strong Wolfe conditions hold at alpha. */
  success: boolean;
  /** Evaluations of φ made. */
  evaluations: number;
}

interface Pt<T> {
  a: number;
  value: number;
  slope: number;
  aux: T | undefined;
}

/**
 * Finds a step α > 0 satisfying the strong Wolfe conditions along a descent direction:
 *
 *   φ(α) ≤ φ(0) + c1·α·φ'(0)        (sufficient decrease)
 *   |φ'(α)| ≤ c2·|φ'(0)|             (curvature)
 *
 * `phi(α)` returns φ and φ' at α (one gradient evaluation gives both); `start` is φ(0), φ'(0),
 * and φ'(0) must be negative. A non-finite φ(α) is treated as "too far".
 *
 * @example
 * // φ(α) = (α − 2)², from α = 0 (φ'(0) = −4).
 * const phi = (a: number) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2) });
 * lineSearchWolfe(phi, { value: 4, slope: -4 }).alpha;                     // 1: |φ'(1)| = 2 ≤ 0.9·4 already
 * lineSearchWolfe(phi, { value: 4, slope: -4 }, { c2: 0.1, alpha0: 10 }).alpha; // 2: bracketed, then the cubic's minimizer
 */
export function lineSearchWolfe<T = unknown>(
  phi: (alpha: number) => LineSearchPoint<T>,
  start: { value: number; slope: number },
  opts: WolfeOptions = {},
): LineSearchResult<T> {
  const search = wolfeSearch<T>(start, opts);
  for (let a = search.trial(); a !== undefined; a = search.trial()) search.tell(phi(a));
  return search.result();
}

/**
 * The search of {@link lineSearchWolfe} as a state machine, so that a caller can evaluate φ however
 * it likes between steps (the solvers read φ and φ' through their drivers, awaiting them on WebGPU):
 * `trial()` gives the next α to evaluate (undefined once the search is over), `tell(point)` hands
 * back φ and φ' there, and `result()` is the outcome. Validates `start` and `opts` when created.
 * @internal
 */
export interface WolfeSearch<T> {
  trial(): number | undefined;
  tell(point: LineSearchPoint<T>): void;
  result(): LineSearchResult<T>;
}

/** Starts a strong Wolfe search (see {@link WolfeSearch}). @internal */
export function wolfeSearch<T>(start: { value: number; slope: number }, opts: WolfeOptions = {}): WolfeSearch<T> {
  checkOptions("lineSearchWolfe", opts, WOLFE_OPTIONS);
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const alpha0 = opts.alpha0 ?? 1;
  const alphaMax = opts.alphaMax ?? 1e10;
  const maxIter = opts.maxIter ?? 30;
  if (!(c1 > 0 && c1 < c2 && c2 < 1))
    throw new RangeError(`lineSearchWolfe: need 0 < c1 < c2 < 1, got c1 = ${c1}, c2 = ${c2}`);
  if (!(alpha0 > 0 && Number.isFinite(alpha0)))
    throw new RangeError(`lineSearchWolfe: alpha0 must be a finite number > 0, got ${alpha0}`);
  if (!(alphaMax >= alpha0))
    throw new RangeError(`lineSearchWolfe: alphaMax (${alphaMax}) must be >= alpha0 (${alpha0})`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1))
    throw new RangeError(`lineSearchWolfe: maxIter must be an integer >= 1, got ${maxIter}`);
  const f0 = start.value;
  const g0 = start.slope;
  if (!Number.isFinite(f0)) throw new RangeError(`lineSearchWolfe: φ(0) must be finite, got ${f0}`);
  if (!(g0 < 0))
    throw new RangeError(`lineSearchWolfe: the direction must be a descent direction (φ'(0) < 0), got φ'(0) = ${g0}`);

  let evaluations = 0;
  const armijo = (p: Pt<T>): boolean => Number.isFinite(p.value) && p.value <= f0 + c1 * p.a * g0;
  const curvature = (p: Pt<T>): boolean => Math.abs(p.slope) <= -c2 * g0;
  const done = (p: Pt<T>, success: boolean): LineSearchResult<T> => ({
    alpha: p.a,
    value: p.value,
    slope: p.slope,
    aux: p.aux,
    success,
    evaluations,
  });
  const origin: Pt<T> = { a: 0, value: f0, slope: g0, aux: undefined };

  // Algorithm 3.5 (bracketing: grow α until [α_prev, α] brackets acceptable steps), then
  // Algorithm 3.6 (zoom: shrink [lo, hi], lo the best point satisfying sufficient decrease so far).
  let zooming = false;
  let prev = origin; // bracketing
  let a = alpha0; // bracketing: the next trial
  let lo = origin; // zoom
  let hi = origin; // zoom
  let pending: number | undefined; // the α handed out by trial(), awaiting tell()
  let outcome: LineSearchResult<T> | undefined;

  const startZoom = (l: Pt<T>, h: Pt<T>): void => {
    zooming = true;
    lo = l;
    hi = h;
  };
  const bracketStep = (p: Pt<T>): void => {
    if (!armijo(p) || (prev.a > 0 && p.value >= prev.value)) startZoom(prev, p);
    else if (curvature(p)) outcome = done(p, true);
    else if (p.slope >= 0) startZoom(p, prev);
    else if (a >= alphaMax || evaluations >= maxIter) outcome = done(p, false);
    else {
      const next = extrapolate(prev, p);
      prev = p;
      a = Math.min(next, alphaMax);
    }
  };
  const zoomStep = (p: Pt<T>): void => {
    if (!armijo(p) || p.value >= lo.value) hi = p;
    else if (curvature(p)) outcome = done(p, true);
    else {
      if (p.slope * (hi.a - lo.a) >= 0) hi = lo;
      lo = p;
    }
  };

  return {
    trial(): number | undefined {
      if (outcome !== undefined) return undefined;
      if (!zooming) pending = a;
      else if (evaluations < maxIter && Math.abs(hi.a - lo.a) > 1e-14 * Math.max(1, Math.abs(lo.a)))
        pending = interpolate(lo, hi);
      else {
        outcome = lo.a > 0 ? done(lo, false) : done(origin, false);
        return undefined;
      }
      return pending;
    },
    tell(point: LineSearchPoint<T>): void {
      if (pending === undefined) throw new Error("internal error: lineSearchWolfe was told a point it did not ask for");
      evaluations++;
      const p: Pt<T> = { a: pending, value: point.value, slope: point.slope, aux: point.aux };
      pending = undefined;
      if (zooming) zoomStep(p);
      else bracketStep(p);
    },
    result(): LineSearchResult<T> {
      if (outcome === undefined)
        throw new Error("internal error: lineSearchWolfe's result asked before the search ended");
      return outcome;
    },
  };
}

/**
 * The next bracketing trial beyond p (φ still decreasing there): the zero of the secant of φ'
 * through prev and p when the slope is rising, kept within [1.1·α, 10·α]; else 2α.
 */
function extrapolate<T>(prev: Pt<T>, p: Pt<T>): number {
  const rising = p.slope - prev.slope;
  if (!(rising > 0) || !Number.isFinite(prev.slope)) return 2 * p.a;
  const t = p.a - (p.slope * (p.a - prev.a)) / rising;
  if (!Number.isFinite(t)) return 2 * p.a;
  return Math.min(Math.max(t, 1.1 * p.a), 10 * p.a);
}

/**
 * The trial step inside the interval between lo and hi: the minimizer of the cubic matching φ and φ'
 * at both ends (N&W eq. 3.59), clamped to stay at least 10% of the width away from either end (so
 * the interval shrinks by at least 10% per trial, and by up to 90% when the minimizer is near an
 * end); bisection when the cubic has no real minimizer or hi's values are not finite.
 */
function interpolate<T>(lo: Pt<T>, hi: Pt<T>): number {
  const mid = (lo.a + hi.a) / 2;
  const width = hi.a - lo.a;
  if (!Number.isFinite(hi.value) || !Number.isFinite(hi.slope)) return mid;
  const d1 = lo.slope + hi.slope - (3 * (lo.value - hi.value)) / (lo.a - hi.a);
  const disc = d1 * d1 - lo.slope * hi.slope;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(hi.a - lo.a) * Math.sqrt(disc);
  const t = hi.a - (hi.a - lo.a) * ((hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2));
  if (!Number.isFinite(t)) return mid;
  const lowEnd = Math.min(lo.a + 0.1 * width, hi.a - 0.1 * width);
  const highEnd = Math.max(lo.a + 0.1 * width, hi.a - 0.1 * width);
  return Math.min(Math.max(t, lowEnd), highEnd);
}
