// Full-batch gradient descent with the lecture's backtracking line search, on
// any differentiable objective F: R^n -> R given as two functions, in f64:
//
//   u = u0
//   repeat: g = grad F(u); stop if ||g|| <= tol (or early stopping)
//           lambda = 1; while F(u - lambda g) >= F(u): lambda = lambda / 2
//           u = u - lambda g
//
// F(u) of the next iteration is the accepted candidate's value, so each
// iteration costs one gradient and (halvings + 1) values of F.
import { checkOptions } from './options.js';

/** One iteration of {@link lineSearchDescent}: the state before its step. */
export interface LineSearchStep {
  /** iteration number, from 0 */
  k: number;
  /** u before the step (a copy; absent with keepU: false) */
  u?: Float64Array;
  /** F(u) */
  f: number;
  /** ||grad F(u)||_2 */
  gradNorm: number;
  /** the accepted step length (0 when no halving gave a decrease) */
  lambda: number;
  /** how many times lambda was halved */
  halvings: number;
  /** F at every tried lambda = 1, 1/2, ...; the last one is accepted */
  candidates: number[];
}

/** Options of {@link lineSearchDescent}. */
export interface LineSearchOptions {
  /** iterations at most (default 100) */
  maxIter?: number;
  /** stop when ||grad F(u)|| <= tol (default 1e-6) */
  tol?: number;
  /** give up an iteration after this many halvings without a decrease (default 60: lambda ~ 1e-18) */
  maxHalvings?: number;
  /** called after each iteration; return false to stop (early stopping) */
  onIteration?: (step: LineSearchStep) => void | boolean;
  /** keep a copy of u in every trajectory entry (default true; Mlp.fitLineSearch: false) */
  keepU?: boolean;
}

/** Why {@link lineSearchDescent} stopped. */
export type LineSearchStop = 'tolerance' | 'max-iterations' | 'no-decrease' | 'early-stopping';

/** The result of {@link lineSearchDescent}. */
export interface LineSearchResult {
  /** the final point */
  u: Float64Array;
  /** F(u) at the final point */
  f: number;
  /** ||grad F|| at the final point when it was computed (the tolerance stop), else at the last step */
  gradNorm: number;
  iterations: number;
  stopReason: LineSearchStop;
  trajectory: LineSearchStep[];
}

function finite(v: number, where: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${where}: ${what} is ${v}; the objective must give finite numbers`);
  return v;
}

/**
 * Gradient descent with backtracking (halving) line search, step for step as
 * in the lecture.
 * @param f the objective, F(u) for a Float64Array u (must not keep or change u)
 * @param grad its gradient at u, an array of u's length
 * @param u0 the starting point (copied)
 * @example
 *   const r = lineSearchDescent((u) => (u[0] - 1) ** 2, (u) => [2 * (u[0] - 1)], [5]);
 *   r.u; // [1]; r.trajectory[0].lambda = 0.5
 * @throws Error on bad options, or when F or its gradient is not finite
 */
export function lineSearchDescent(f: (u: Float64Array) => number, grad: (u: Float64Array) => ArrayLike<number>,
                                  u0: ArrayLike<number>, options: LineSearchOptions = {}): LineSearchResult {
  const where = 'lineSearchDescent';
  if (typeof f !== 'function' || typeof grad !== 'function') throw new TypeError(`${where}: f and grad must be functions`);
  if (!u0 || typeof u0.length !== 'number' || u0.length === 0) throw new TypeError(`${where}: u0 must be a non-empty array of numbers`);
  const o = checkOptions(options, ['maxIter', 'tol', 'maxHalvings', 'onIteration', 'keepU'], where);
  const maxIter = o.maxIter ?? 100, tol = o.tol ?? 1e-6, maxHalvings = o.maxHalvings ?? 60;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`${where}: maxIter must be a non-negative integer, got ${maxIter}`);
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`${where}: tol must be a finite number >= 0, got ${tol}`);
  if (!Number.isInteger(maxHalvings) || maxHalvings < 0 || maxHalvings > 1074) {
    throw new RangeError(`${where}: maxHalvings must be an integer in 0..1074, got ${maxHalvings}`);
  }
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') throw new TypeError(`${where}: onIteration must be a function`);
  const keepU = o.keepU ?? true;
  const n = u0.length;
  for (let i = 0; i < n; i++) {
    if (typeof u0[i] !== 'number') throw new TypeError(`${where}: u0[${i}] is ${typeof u0[i]} ${String(u0[i])}, not a number`);
  }
  let u = Float64Array.from(u0);
  u.forEach((v, i) => finite(v, where, `u0[${i}]`));
  // f and grad get copies: what they do to their argument cannot touch u
  const F = (v: Float64Array, what: string) => {
    const r = f(v.slice());
    if (typeof r !== 'number') throw new TypeError(`${where}: F returned ${typeof r} ${String(r)} at ${what}, not a number`);
    if (r === -Infinity) throw new RangeError(`${where}: F is -Infinity at ${what}: the objective is unbounded below or overflowed`);
    return r;
  };
  const gradNormOf = (g: ArrayLike<number>, k: number) => {
    // ||g||_2 scaled by max |g_i|, so that large components do not overflow the sum of squares
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(finite(g[i], where, `grad F(u)[${i}] at iteration ${k}`)));
    if (big === 0) return 0;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (g[i] / big) ** 2;
    return big * Math.sqrt(sq);
  };
  const gradAt = (v: Float64Array, k: number) => {
    const g = grad(v.slice());
    if (!g || typeof g.length !== 'number' || g.length !== n) throw new Error(`${where}: grad returned ${g?.length} values, u has ${n}`);
    for (let i = 0; i < n; i++) {
      if (typeof g[i] !== 'number') throw new TypeError(`${where}: grad F(u)[${i}] at iteration ${k} is ${typeof g[i]} ${String(g[i])}, not a number`);
    }
    return g;
  };
  let fu = finite(F(u, 'u0'), where, 'F(u0)');
  const trajectory: LineSearchStep[] = [];
  const cand = new Float64Array(n);
  let stopReason: LineSearchStop = 'max-iterations', gradNorm = NaN;
  for (let k = 0; k < maxIter; k++) {
    // 1. the gradient at u_k, and the tolerance test
    const g = gradAt(u, k);
    gradNorm = gradNormOf(g, k);
    if (gradNorm <= tol) { stopReason = 'tolerance'; break; }

    // 2. lambda = 1, halved while F(u - lambda g) >= F(u)
    let lambda = 1, halvings = 0, fc = NaN;
    const candidates: number[] = [];
    for (;;) {
      for (let i = 0; i < n; i++) cand[i] = u[i] - lambda * g[i];
      fc = F(cand, `iteration ${k}, lambda ${lambda}`);
      candidates.push(fc);
      // a NaN or infinite candidate counts as no decrease (a step too long)
      if (fc < fu) break;
      if (halvings === maxHalvings) { lambda = 0; break; }
      lambda /= 2; halvings++;
    }
    const step: LineSearchStep = { k, ...(keepU ? { u: u.slice() } : {}), f: fu, gradNorm, lambda, halvings, candidates };
    trajectory.push(step);
    if (lambda === 0) { stopReason = 'no-decrease'; break; }

    // 3. u_{k+1} = u_k - lambda g
    u = cand.slice();
    fu = fc;
    if (o.onIteration && o.onIteration(step) === false) { stopReason = 'early-stopping'; break; }
  }
  // no iteration ran (maxIter 0): the gradient norm at u0 is still reported
  if (trajectory.length === 0 && stopReason === 'max-iterations') gradNorm = gradNormOf(gradAt(u, 0), 0);
  return { u, f: fu, gradNorm, iterations: trajectory.length, stopReason, trajectory };
}
