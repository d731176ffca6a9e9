// Linear separability, the perceptron and the linear SVM (lecture: linear
// feasibility and the hard-margin SVM  min wᵀw  s.t.  y_n (wᵀx_n + b) ≥ 1).
// Conventions: x is (n, d) row-major, x[t, j] = data[t*d + j]; binary labels
// are ±1 inside (two other values are mapped, and the mapping is returned).
// Everything here is float64. The LPs are solved by HiGHS (the `highs`
// package); the SVM dual by our own solver in the wasm core (assembly/svm.ts).
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { getKernels } from './backend/index.js';
import type { Kernels } from './backend/types.js';
import { describe, isVector } from './matrix.js';
import { checkOptions } from './options.js';

/** A row-major float64 matrix: `data[r * cols + c]`. */
export interface Matrix64 {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Features: `{ data, rows, cols }` (any numeric array) or an array of rows. */
export type Features = { data: ArrayLike<number>; rows: number; cols: number } | ArrayLike<number>[];

// ---------------------------------------------------------------- validation

/** Checks and copies features to float64; `where` names the function in errors.
 *  @throws Error naming the problem: a flat array, a ragged or non-array row, an entry that is not
 *  a number (null, true, "1", a bigint: never coerced), NaN or ±Infinity, no rows or no columns. */
export function toMatrix64(m: Features, where: string): Matrix64 {
  let rows: number, cols: number, data: Float64Array;
  if (Array.isArray(m)) {
    if (m.length > 0 && !isRow(m[0])) {
      if (typeof m[0] === 'number') {
        throw new Error(`${where}: x must be an array of rows (number[][]) or { data, rows, cols }, got a flat array of ${m.length} values; ` +
          `for ${m.length} points with one feature each write [[${m[0]}], [${m[1] ?? '...'}], ...], for one point write [[...]], ` +
          'or give the shape as { data, rows, cols }');
      }
      throw new Error(`${where}: x row 0 is ${show(m[0])}, not an array of numbers; x must be an array of rows (number[][]) or { data, rows, cols }`);
    }
    rows = m.length;
    cols = rows ? (m[0] as ArrayLike<number>).length : 0;
    data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = m[r] as ArrayLike<number>;
      if (!isRow(row)) throw new Error(`${where}: x row ${r} is ${show(row)}, not an array of numbers`);
      if (row.length !== cols) throw new Error(`${where}: x row ${r} has ${row.length} values, row 0 has ${cols}`);
      for (let c = 0; c < cols; c++) {
        const v = row[c];
        if (typeof v !== 'number') throw new Error(`${where}: x[${r}, ${c}] is ${show(v)}, not a number; features must be numbers (nothing is coerced)`);
        data[r * cols + c] = v;
      }
    }
  } else if (m && typeof m === 'object' && 'data' in m) {
    ({ rows, cols } = m);
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new Error(`${where}: x.rows and x.cols must be non-negative integers, got rows=${rows}, cols=${cols}`);
    }
    const src = m.data as unknown;
    if (!Array.isArray(src) && !(ArrayBuffer.isView(src) && !(src instanceof DataView) && !(src instanceof BigInt64Array) && !(src instanceof BigUint64Array))) {
      throw new Error(`${where}: x.data must be an array of numbers or a numeric typed array such as Float64Array, got ${show(src)}`);
    }
    const arr = src as ArrayLike<unknown>;
    if (arr.length !== rows * cols) {
      throw new Error(`${where}: x.data has ${arr.length} values but rows*cols = ${rows}*${cols} = ${rows * cols}`);
    }
    if (Array.isArray(arr)) {
      for (let k = 0; k < arr.length; k++) {
        if (typeof arr[k] !== 'number') {
          throw new Error(`${where}: x.data[${k}] (x[${Math.floor(k / Math.max(cols, 1))}, ${k % Math.max(cols, 1)}]) is ${show(arr[k])}, not a number; ` +
            'features must be numbers (nothing is coerced)');
        }
      }
    }
    data = Float64Array.from(arr as ArrayLike<number>);
  } else {
    throw new TypeError(`${where}: x must be { data, rows, cols } or an array of rows, got ${describe(m)}`);
  }
  if (rows === 0) throw new Error(`${where}: x has zero rows; need at least one point of each class`);
  if (cols === 0) throw new Error(`${where}: x has zero columns (no features)`);
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new Error(`${where}: x[${Math.floor(k / cols)}, ${k % cols}] is ${data[k]}; features must be finite numbers`);
    }
  }
  return { data, rows, cols };
}

// A row of an array-of-rows: an array or a numeric typed array.
function isRow(v: unknown): boolean {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

// A value as it reads in an error message: "1" (a string), null, true, undefined, 3n, an array of length 2, ...
function show(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + '...' : v)}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (v === null || v === undefined || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return `the number ${v}`;
  return describe(v);
}

/** Binary labels as ±1, with the two original values (negative first). */
export interface BinaryLabels {
  /** ±1 per row */
  y: Float64Array;
  /** the original label mapped to −1 and the one mapped to +1 */
  classes: [number, number];
  /** true when the labels were not already −1/+1 */
  mapped: boolean;
}

/** The distinct values of a label vector, ascending, after checking it. */
function labelValues(y: unknown, n: number, where: string): { v: number[]; arr: ArrayLike<number> } {
  if (!isVector(y)) throw new TypeError(`${where}: y must be an array of numbers, got ${describe(y)}`);
  const arr = y as ArrayLike<number>;
  if (arr.length !== n) throw new Error(`${where}: y has ${arr.length} labels for ${n} rows of x; give one label per row`);
  const seen = new Set<number>();
  for (let t = 0; t < n; t++) {
    const v = arr[t];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: y[${t}] is ${v}; labels must be finite numbers`);
    seen.add(v);
  }
  return { v: [...seen].sort((a, b) => a - b), arr };
}

/** Maps labels with exactly two distinct values to ±1 (the smaller to −1). */
export function binaryLabels(y: ArrayLike<number>, n: number, where: string): BinaryLabels {
  const { v, arr } = labelValues(y, n, where);
  if (v.length === 1) throw new Error(`${where}: every label is ${v[0]}; need two classes (one class only)`);
  if (v.length > 2) throw new Error(`${where}: y has ${v.length} distinct values (${v.slice(0, 5).join(', ')}${v.length > 5 ? ', ...' : ''}); need exactly two`);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = arr[t] === v[1] ? 1 : -1;
  return { y: out, classes: [v[0], v[1]], mapped: !(v[0] === -1 && v[1] === 1) };
}

function dot(x: Float64Array, t: number, d: number, w: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += x[t * d + j] * w[j];
  return s;
}

// ---------------------------------------------------------------- scaling by powers of two

/** v·2^e, exact whenever the result is a normal float64 (the multiplications stay in range). */
function ldexp(v: number, e: number): number {
  while (e > 1000) { v *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { v *= 2 ** -1000; e += 1000; }
  return v * 2 ** e;
}

/** The smallest integer e with m ≤ 2^e, for a finite m > 0 (so m / 2^e is in (½, 1]). */
function ceilLog2(m: number): number {
  let e = Math.ceil(Math.log2(m));
  while (ldexp(1, e) < m) e++;
  while (ldexp(1, e - 1) >= m) e--;
  return e;
}

// The largest |x[t, j]| of each column j.
function columnMaxAbs(X: Matrix64): Float64Array {
  const d = X.cols, M = new Float64Array(d);
  for (let k = 0; k < X.data.length; k++) {
    const j = k % d, v = Math.abs(X.data[k]);
    if (v > M[j]) M[j] = v;
  }
  return M;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

// ---------------------------------------------------------------- linear feasibility

// NOTE: the package's types describe a CommonJS module with a default export; under
// NodeNext the default arrives as `.default` of the namespace, at run time as the default.
const loadHighs = ((highsModule as any).default ?? highsModule) as () => Promise<Highs>;
let highsPromise: Promise<Highs> | null = null;
/** Loads HiGHS once (it is a wasm module too). */
function highs(where: string): Promise<Highs> {
  return (highsPromise ??= loadHighs().catch((e) => {
    highsPromise = null;
    throw new Error(`${where}: could not load the HiGHS LP solver (the highs package): ${(e as Error)?.message ?? e}`);
  }));
}

/** The answer of {@link separable}. */
export type Separability =
  | { separable: true; w: Float64Array; b: number; /** min_n y_n (wᵀx_n + b), ≥ 1 up to the LP tolerance */ minMargin: number;
      classes: [number, number]; mapped: boolean }
  | { separable: false; certificate: Certificate; classes: [number, number]; mapped: boolean };

/** λ ≥ 0 with Σλ = 1, Σ λ_n y_n x_n = 0 and Σ λ_n y_n = 0: then Σ λ_n y_n (wᵀx_n + b) = 0 for
 *  every (w, b), so the y_n (wᵀx_n + b) cannot all be positive. */
export interface Certificate {
  lambda: Float64Array;
  /** max(‖Σ λ_n y_n x_n‖∞, |Σ λ_n y_n|, |Σλ − 1|) as computed here in float64 */
  residual: number;
  /** the same with each sum measured against the size of its terms: max over features j of
   *  |Σ λ_n y_n x_n[j]| / Σ λ_n |x_n[j]|, and |Σ λ_n y_n|, |Σλ − 1|; at most {@link CERTIFICATE_TOLERANCE}.
   *  Then any (w, b) with every y_n (wᵀx_n + b) ≥ μ > 0 has, averaged with the weights λ over the
   *  certificate's points, Σ_j |w_j x_n[j]| + |b| ≥ μ / relativeResidual: its margin is at most that
   *  fraction of the terms of wᵀx + b. */
  relativeResidual: number;
}

/** The largest relative residual (see {@link Certificate}) for which {@link separable} answers "not separable".
 *  Data separable only with a margin below about this fraction of the terms of wᵀx + b is beyond what a
 *  float64 LP can resolve: separable() then answers "not separable" with the certificate that shows it. */
export const CERTIFICATE_TOLERANCE = 1e-9;

type LpOutcome = { status: 'optimal'; x: Float64Array } | { status: 'infeasible' } | { status: 'other'; text: string };

// Solves  min 0  s.t. rowLower ≤ A v ≤ rowUpper, colLower ≤ v ≤ colUpper with A given by rows (dense).
// HiGHS's own failures (it refuses a model, runs out of memory) become errors naming the LP.
async function solveLp(nCols: number, rowsDense: Float64Array, nRows: number,
                       rowLower: Float64Array, rowUpper: Float64Array,
                       colLower: Float64Array, colUpper: Float64Array, timeLimit: number,
                       what: string, where: string): Promise<LpOutcome> {
  const h = await highs(where);
  const starts = new Int32Array(nRows + 1), idx: number[] = [], val: number[] = [];
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const a = rowsDense[r * nCols + c];
      if (a !== 0) { idx.push(c); val.push(a); }
    }
    starts[r + 1] = idx.length;
  }
  let model: ReturnType<Highs['createModel']> | undefined;
  try {
    // options first, so that they hold when the matrix is passed: entries are in [−1, 1] here
    // (the features are scaled), and only those below HiGHS's smallest threshold are dropped
    model = h.createModel();
    model.options.set({ output_flag: false, small_matrix_value: 1e-12 });
    if (Number.isFinite(timeLimit)) model.options.set({ time_limit: timeLimit });
    model.passModel({
      numCols: nCols, numRows: nRows, colCost: new Float64Array(nCols), colLower, colUpper, rowLower, rowUpper,
      matrix: { format: 'csr', numRows: nRows, numCols: nCols, starts, indices: Int32Array.from(idx), values: Float64Array.from(val) },
    });
    model.run();
    const s = model.getModelStatus();
    if (s === h.constants.modelStatus.timeLimit) return { status: 'other', text: `time limit (${timeLimit} s)` };
    if (s === h.constants.modelStatus.optimal) return { status: 'optimal', x: Float64Array.from(model.getSolution().colValue) };
    if (s === h.constants.modelStatus.infeasible) return { status: 'infeasible' };
    return { status: 'other', text: `model status ${String(s)}` };
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    throw new Error(`${where}: the LP solver HiGHS failed on the ${what} (${nRows} rows, ${nCols} unknowns, ${idx.length} nonzeros): ${msg}`);
  } finally {
    model?.dispose();
  }
}

/**
 * Decides (by linear programming, HiGHS) whether ±1-labelled points are linearly
 * separable: is there (w, b) with y_n (wᵀx_n + b) ≥ 1 for every n?
 * @example
 *   const r = await separable([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, -1, -1]);
 *   r.separable // false; r.certificate.lambda = [¼, ¼, ¼, ¼]
 * @param x (n, d) features; @param y n labels, ±1 or two distinct values (the smaller becomes −1)
 * Each feature is scaled by a power of two to at most 1 in magnitude before the LPs (exact, and
 * separability does not change), so any magnitude a float64 holds works. Both answers are
 * checked in float64 on the original data: a hyperplane must put every point strictly on its
 * side beyond the rounding of wᵀx_n + b; a certificate must have a relative residual (each sum
 * Σ λ_n y_n x_n[j] measured against the size of its terms) of at most {@link CERTIFICATE_TOLERANCE}.
 * Large sets are solved by constraint generation: the LPs run on a working set that grows
 * by the worst-violated points; every answer is checked on all points.
 * @param options.timeLimit seconds in all (default: no limit)
 * @param options.onRound called before each round with the working-set size (progress)
 * @returns a separating (w, b) with its smallest functional margin, or a checked certificate λ
 * @throws Error on bad input, or when neither answer of HiGHS passes the float64 check (numerical trouble)
 */
export async function separable(x: Features, y: ArrayLike<number>,
                                options: { timeLimit?: number; onRound?: (round: number, workingSet: number) => void } = {}): Promise<Separability> {
  const where = 'separable';
  options = checkOptions(options, ['timeLimit', 'onRound'], where);
  const timeLimit = options.timeLimit ?? Infinity;
  if (typeof timeLimit !== 'number' || !(timeLimit > 0)) throw new RangeError(`${where}: timeLimit must be a positive number of seconds, got ${timeLimit}`);
  const onRound = options.onRound;
  if (onRound !== undefined && typeof onRound !== 'function') {
    throw new TypeError(`${where}: options.onRound must be a function (round, workingSetSize) => void, got ${show(onRound)}`);
  }
  const X = toMatrix64(x, where), n = X.rows, d = X.cols;
  const L = binaryLabels(y, n, where);
  const deadline = performance.now() + timeLimit * 1000;
  const left = () => (Number.isFinite(timeLimit) ? Math.max((deadline - performance.now()) / 1000, 1e-3) : Infinity);

  // feature j scaled by 2^−e_j to (½, 1] in magnitude: w_j = w'_j · 2^−e_j maps the LP's answer back
  const M = columnMaxAbs(X), e = Int32Array.from(M, (m) => (m > 0 ? ceilLog2(m) : 0));
  const Xs: Matrix64 = { data: X.data.map((v, k) => ldexp(v, -e[k % d])), rows: n, cols: d };
  const gamma = roundingFactor(d);

  // Constraint generation: solve the LPs on a working set S of points. If S
  // admits no hyperplane, its certificate (λ = 0 off S) is one for all points;
  // if it does, the hyperplane is checked on every point and the points below
  // margin 1 (worst first) join S. S only grows, so this ends, at worst with S = all.
  const inS = new Uint8Array(n);
  const S: number[] = [];
  const step = n <= WORKING_SET ? 1 : Math.ceil(n / WORKING_SET);
  for (let t = 0; t < n; t += step) { S.push(t); inS[t] = 1; }
  for (let round = 1; ; round++) {
    onRound?.(round, S.length);
    const r = await separableOn(X, Xs, M, e, L.y, S, gamma, left(), where);
    if (r.kind === 'certificate') return { separable: false, certificate: r.certificate, classes: L.classes, mapped: L.mapped };

    // the hyperplane on every point, in float64 on the original data
    const margins = new Float64Array(n), ok = new Uint8Array(n);
    let minMargin = Infinity, all = true;
    for (let t = 0; t < n; t++) {
      const c = checkedMargin(X.data, t, d, r.w, r.b, L.y[t], gamma);
      margins[t] = c.margin;
      ok[t] = c.ok ? 1 : 0;
      all &&= c.ok;
      minMargin = Math.min(minMargin, c.margin);
    }
    if (all) return { separable: true, w: r.w, b: r.b, minMargin, classes: L.classes, mapped: L.mapped };
    // S passed the check, so the points that failed it are outside S; with them, the others below
    // the LP's margin 1 (worst first) make the next working set
    const out: number[] = [];
    for (let t = 0; t < n; t++) if (!inS[t] && (!ok[t] || margins[t] < 1)) out.push(t);
    out.sort((a, b) => margins[a] - margins[b]);
    for (const t of out.slice(0, WORKING_SET)) { inS[t] = 1; S.push(t); }
  }
}

// Points in the first working set, and added per round.
const WORKING_SET = 1000;

// A bound on the relative rounding error of a float64 sum of d + 1 products (γ_{d+2}, with room).
function roundingFactor(d: number): number {
  const u = 2 ** -53;
  return 2 * (d + 2) * u;
}

// y_t (wᵀx_t + b) in float64 and whether its sign is certain: the computed value exceeds the
// rounding bound γ (Σ_j |w_j x_t[j]| + |b|), so the exact value is positive.
function checkedMargin(x: Float64Array, t: number, d: number, w: ArrayLike<number>, b: number, y: number, gamma: number): { margin: number; ok: boolean } {
  let s = b, a = Math.abs(b);
  for (let j = 0; j < d; j++) {
    const p = x[t * d + j] * w[j];
    s += p;
    a += Math.abs(p);
  }
  const margin = y * s;
  return { margin, ok: Number.isFinite(a) && margin > gamma * a };
}

type OnSubset = { kind: 'hyperplane'; w: Float64Array; b: number } | { kind: 'certificate'; certificate: Certificate };

// The two LPs on the rows S of the scaled features Xs: the primal (w', b) with y_n (w'·x'_n + b) >= 1,
// or, when it is infeasible or its answer fails the float64 check, the alternative (Gordan)
// λ >= 0, Σλ = 1, Σ λ_n y_n [x'_n; 1] = 0. Both answers are checked on the original X.
async function separableOn(X: Matrix64, Xs: Matrix64, M: Float64Array, e: Int32Array, y: Float64Array, S: number[],
                           gamma: number, timeLimit: number, where: string): Promise<OnSubset> {
  const d = X.cols, m = S.length;
  const filled = (k: number, v: number) => new Float64Array(k).fill(v);

  // 1. primal: unknowns (w', b); row k reads y_n x'_nᵀ w' + y_n b ≥ 1 for n = S[k]
  const A = new Float64Array(m * (d + 1));
  S.forEach((t, k) => {
    for (let j = 0; j < d; j++) A[k * (d + 1) + j] = y[t] * Xs.data[t * d + j];
    A[k * (d + 1) + d] = y[t];
  });
  const primal = await solveLp(d + 1, A, m, filled(m, 1), filled(m, Infinity), filled(d + 1, -Infinity), filled(d + 1, Infinity),
    timeLimit, 'feasibility LP', where);
  if (primal.status === 'other' && primal.text.startsWith('time limit')) {
    throw new Error(`${where}: HiGHS stopped (${primal.text}) on the feasibility LP with ${m} rows and ${d + 1} unknowns; ` +
      'raise options.timeLimit, or fit a soft-margin SVM (finite C) instead');
  }
  let primalNote = primal.status === 'optimal' ? '' : primal.status === 'infeasible' ? 'infeasible' : `stopped: ${primal.text}`;
  if (primal.status === 'optimal') {
    const w = new Float64Array(d);
    for (let j = 0; j < d; j++) w[j] = ldexp(primal.x[j], -e[j]);
    const b = primal.x[d];
    const bad = w.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new Error(`${where}: the separating w would overflow float64: feature ${bad} is at most ${M[bad]} in magnitude, ` +
        `so w[${bad}] ≈ ${primal.x[bad]} / ${M[bad]}; scale that feature up`);
    }
    let failed = 0, worst = Infinity;
    for (const t of S) {
      const c = checkedMargin(X.data, t, d, w, b, y[t], gamma);
      if (!c.ok) failed++;
      worst = Math.min(worst, c.margin);
    }
    if (failed === 0) return { kind: 'hyperplane', w, b };
    primalNote = `a hyperplane that leaves ${failed} of its ${m} points on the wrong side or on it in float64 (smallest y(wᵀx + b) = ${worst})`;
  }

  // 2. the alternative: unknowns λ (m); rows Σ_k λ_k y_k x'_k[j] = 0 (j < d), Σ λ_k y_k = 0, Σ λ_k = 1
  const B = new Float64Array((d + 2) * m);
  S.forEach((t, k) => {
    for (let j = 0; j < d; j++) B[j * m + k] = y[t] * Xs.data[t * d + j];
    B[d * m + k] = y[t];
    B[(d + 1) * m + k] = 1;
  });
  const rhs = new Float64Array(d + 2); rhs[d + 1] = 1;
  const dual = await solveLp(m, B, d + 2, rhs, rhs, filled(m, 0), filled(m, Infinity), timeLimit, 'certificate LP', where);
  const advice = () => spanAdvice(X, Xs, S, M) ??
    'the classes may be separable only with a margin too thin for float64 to resolve; check for near-duplicate points with opposite labels';
  if (dual.status !== 'optimal') {
    const what = dual.status === 'other' ? `stopped: ${dual.text}` : dual.status;
    throw new Error(`${where}: HiGHS found neither a hyperplane nor a certificate on ${m} points (feasibility LP: ${primalNote}; certificate LP: ${what}); ${advice()}`);
  }
  const lambda = new Float64Array(X.rows);
  S.forEach((t, k) => { lambda[t] = dual.x[k]; });
  const certificate = checkedCertificate(X, Xs, y, lambda);
  if (!(certificate.relativeResidual <= CERTIFICATE_TOLERANCE)) {
    throw new Error(`${where}: HiGHS's certificate of non-separability fails the float64 check (relative residual ` +
      `${certificate.relativeResidual.toExponential(2)} > ${CERTIFICATE_TOLERANCE}; feasibility LP: ${primalNote}), so neither answer is proven; ${advice()}`);
  }
  return { kind: 'certificate', certificate };
}

// HiGHS treats matrix entries below 1e-12 as zero; the features are scaled to |x'| ≤ 1, so a
// feature whose nonzero values span more than 12 decades loses its small ones. Names the first.
function spanAdvice(X: Matrix64, Xs: Matrix64, S: number[], M: Float64Array): string | undefined {
  const d = Xs.cols;
  for (let j = 0; j < d; j++) {
    let small = Infinity, at = -1;
    for (const t of S) {
      const v = Math.abs(Xs.data[t * d + j]);
      if (v > 0 && v < small) { small = v; at = t; }
    }
    if (small < 1e-12) {
      return `feature ${j} spans more than 12 decades (|x| from ${Math.abs(X.data[at * d + j])} to ${M[j]}), more than the LP solver ` +
        'represents at once (it drops entries below 1e-12 of the largest): transform that feature (e.g. take logarithms) or clip it';
    }
  }
  return undefined;
}

// Normalises λ (clipped at 0, summing to 1) and measures it in float64 on the original data.
function checkedCertificate(X: Matrix64, Xs: Matrix64, y: Float64Array, raw: Float64Array): Certificate {
  const n = X.rows, d = X.cols;
  const lambda = raw.map((v) => Math.max(v, 0));
  const sum = lambda.reduce((a, v) => a + v, 0);
  for (let t = 0; t < n; t++) lambda[t] /= sum;
  const residual = certificateResidual(X, y, lambda);

  // the relative residual: component j of Σ λ y x against the size Σ λ |x[j]| of its terms, in
  // the scaled features x' (exactly the original ones times 2^−e_j, which the ratio does not see;
  // and neither sum can overflow)
  const s = new Float64Array(d), size = new Float64Array(d);
  let sy = 0, sl = 0;
  for (let t = 0; t < n; t++) {
    if (lambda[t] === 0) continue;
    for (let j = 0; j < d; j++) {
      const v = Xs.data[t * d + j];
      s[j] += lambda[t] * y[t] * v;
      size[j] += lambda[t] * Math.abs(v);
    }
    sy += lambda[t] * y[t];
    sl += lambda[t];
  }
  let relativeResidual = Math.max(Math.abs(sy), Math.abs(sl - 1));
  for (let j = 0; j < d; j++) if (size[j] > 0) relativeResidual = Math.max(relativeResidual, Math.abs(s[j]) / size[j]);
  if (!Number.isFinite(sum) || !(sum > 0)) relativeResidual = Infinity;
  return { lambda, residual, relativeResidual };
}

/** max(‖Σ λ_n y_n x_n‖∞, |Σ λ_n y_n|, |Σ λ_n − 1|, max(−λ_n)) for a candidate certificate. */
export function certificateResidual(x: Matrix64, y: ArrayLike<number>, lambda: ArrayLike<number>): number {
  const n = x.rows, d = x.cols, s = new Float64Array(d);
  let sy = 0, sl = 0, neg = 0;
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < d; j++) s[j] += lambda[t] * y[t] * x.data[t * d + j];
    sy += lambda[t] * y[t];
    sl += lambda[t];
    neg = Math.max(neg, -lambda[t]);
  }
  let r = Math.max(Math.abs(sy), Math.abs(sl - 1), neg);
  for (let j = 0; j < d; j++) r = Math.max(r, Math.abs(s[j]));
  return r;
}

// ---------------------------------------------------------------- perceptron

/** The answer of {@link perceptron}. */
export type PerceptronResult =
  | { converged: true; w: Float64Array; b: number; epochs: number; updates: number; classes: [number, number] }
  | { converged: false; w: Float64Array; b: number; epochs: number; updates: number; mistakes: number; classes: [number, number] };

/**
 * The classical perceptron (Rosenblatt): sweep the points in order; on a point with
 * y_n (wᵀx_n + b) ≤ 0, set w += y_n x_n, b += y_n. Stops after a sweep without a mistake.
 * @param options.maxEpochs sweeps allowed (default 1000)
 * @returns `converged: true` with a separator, or `converged: false` and the mistakes of the last sweep
 * @throws Error on bad input; RangeError on a bad maxEpochs
 */
export function perceptron(x: Features, y: ArrayLike<number>, options: { maxEpochs?: number } = {}): PerceptronResult {
  const where = 'perceptron';
  options = checkOptions(options, ['maxEpochs'], where);
  const maxEpochs = options.maxEpochs ?? 1000;
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) throw new RangeError(`${where}: maxEpochs must be an integer >= 1, got ${maxEpochs}`);
  const X = toMatrix64(x, where), n = X.rows, d = X.cols;
  const L = binaryLabels(y, n, where);
  const w = new Float64Array(d);
  let b = 0, updates = 0, mistakes = 0;
  // with |x| near float64's limit, wᵀx can overflow (only its sign matters: scaledDot gets it),
  // and w itself can (that is refused rather than carried along as Infinity)
  const overflow = (t: number, epoch: number) => new Error(
    `${where}: w overflowed float64 at the update on point ${t} in sweep ${epoch} (the features reach |x| = ${maxAbs(X.data)}); ` +
    'scale the features down, e.g. divide them by their largest magnitude');
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    mistakes = 0;
    for (let t = 0; t < n; t++) {
      let f = dot(X.data, t, d, w) + b;
      if (!Number.isFinite(f)) f = scaledDot(X.data, t, d, w, b);
      if (L.y[t] * f > 0) continue;
      for (let j = 0; j < d; j++) {
        w[j] += L.y[t] * X.data[t * d + j];
        if (!Number.isFinite(w[j])) throw overflow(t, epoch);
      }
      b += L.y[t];
      mistakes++;
      updates++;
    }
    if (mistakes === 0) return { converged: true, w, b, epochs: epoch, updates, classes: L.classes };
  }
  return { converged: false, w, b, epochs: maxEpochs, updates, mistakes, classes: L.classes };
}

// wᵀx_t + b when the plain sum overflows (w and b finite): the sum of the terms with w and x_t
// scaled by powers of two to at most 1, which cannot overflow, scaled back: ±Infinity when the
// exact value is beyond float64's range, the value itself when the terms cancel.
function scaledDot(x: Float64Array, t: number, d: number, w: Float64Array, b: number): number {
  const kw = ceilLog2(maxAbs(w)), kx = ceilLog2(maxAbs(x.subarray(t * d, (t + 1) * d)));
  let s = 0;
  for (let j = 0; j < d; j++) s += ldexp(x[t * d + j], -kx) * ldexp(w[j], -kw);
  return ldexp(s, kw + kx) + b;
}

// ---------------------------------------------------------------- SVM

/** Options of {@link fitSvm}. */
export interface SvmOptions {
  /** hinge penalty; omitted or Infinity for the hard margin */
  C?: number;
  /** stop when max_up F − min_low F ≤ tol (the KKT gap, assembly/svm.ts); default 1e-8 */
  tol?: number;
  /** solver iterations allowed (each one pass over the working set, assembly/svm.ts); default 100000 */
  maxIter?: number;
  /** 'wasm' (default) or 'js' (the reference twin) */
  backend?: 'wasm' | 'js';
}

/** A fitted binary linear SVM. Labels in and out are the caller's original values. */
export interface BinarySvm {
  kind: 'binary';
  w: Float64Array;
  b: number;
  /** 2/‖w‖: Infinity when w = 0 (a legitimate soft-margin optimum: see `note`) */
  margin: number;
  /** set when the margin is infinite: why w = 0 (or ‖w‖ below float64's range) and what that means */
  note?: string;
  /** points with α_n > 0, ascending */
  supportIndices: Int32Array;
  /** α_n y_n for each support index (same order) */
  dualCoef: Float64Array;
  /** ½‖w‖² + C Σ max(0, 1 − y_n(wᵀx_n + b)) (the hinge term only for a finite C) */
  primalObjective: number;
  /** Σ α_n − ½‖w‖² */
  dualObjective: number;
  C: number;
  /** [label mapped to −1, label mapped to +1] */
  classes: [number, number];
  converged: boolean;
  /** solver iterations (passes over the working set) */
  iterations: number;
  /** full passes over all points (each re-checks the KKT conditions and rebuilds the working set) */
  rounds: number;
  /** pair steps taken */
  pairSteps: number;
  /** points visited by the iterations (working-set sizes summed): the work beside the full rounds */
  visits: number;
  /** the KKT gap at the end */
  gap: number;
  /** wᵀx_n + b for each row */
  decisionFunction(x: Features): Float64Array;
  /** the original label of the side of each row (ties go to the +1 class) */
  predict(x: Features): Float64Array;
}

/** One-vs-rest: one binary SVM per class (that class as +1 against all the others as −1). */
export interface OvrSvm {
  kind: 'ovr';
  classes: number[];
  machines: BinarySvm[];
  C: number;
  /** the machines' notes, as "class c: ...", when any machine has one (w = 0) */
  notes?: string[];
  /** (rows, classes): column c is machine c's wᵀx + b */
  decisionFunction(x: Features): Matrix64;
  /** the class whose machine gives the largest decision value */
  predict(x: Features): Float64Array;
}

/**
 * Fits a linear SVM: the lecture's hard margin (no C, or C: Infinity) or the soft margin with
 * hinge penalty C, with an unregularised bias; more than two label values give one-vs-rest.
 * @example
 *   await init();
 *   const svm = await fitSvm([[2, 2], [0, 0], [3, 1], [-1, 1]], [1, -1, 1, -1]);
 *   svm.margin; svm.predict([[4, 4]]); // [1]
 * @param x (n, d) features; @param y n labels (±1, two values, or more for one-vs-rest)
 * The solver runs on the features scaled by a power of two to |x| ≤ 1 (exact: see fitBinary), so
 * any magnitude works whose solution float64 can hold; for |x| beyond about 1e154 the dual
 * coefficients and objectives (of order 1/max|x|²) are correspondingly tiny, possibly subnormal.
 * w = 0 is a legitimate soft-margin optimum (classes that overlap completely): the margin is
 * then Infinity and `note` says why.
 * @throws Error on bad input; for the hard margin, when the data is not linearly separable;
 *   RangeError when C·max|x|² leaves float64's range; Error when w, b or the objectives would overflow
 */
export async function fitSvm(x: Features, y: ArrayLike<number>, options: SvmOptions = {}): Promise<BinarySvm | OvrSvm> {
  const where = 'fitSvm';
  options = checkOptions(options, ['C', 'tol', 'maxIter', 'backend'], where);
  const C = options.C ?? Infinity, tol = options.tol ?? 1e-8, maxIter = options.maxIter ?? 100000;
  if (typeof C !== 'number' || !(C > 0)) throw new RangeError(`${where}: C must be a positive number (or Infinity for the hard margin), got ${C}`);
  if (typeof tol !== 'number' || !(tol > 0 && tol < 1)) throw new RangeError(`${where}: tol must be in (0, 1), got ${tol}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`${where}: maxIter must be an integer >= 1, got ${maxIter}`);
  const kernels = getKernels(options.backend ?? 'wasm', where);
  const X = toMatrix64(x, where), n = X.rows;
  const { v: values, arr } = labelValues(y, n, where);
  if (values.length === 1) throw new Error(`${where}: every label is ${values[0]}; need two classes (one class only)`);

  // one-vs-rest: class c is +1, the rest −1
  if (values.length > 2) {
    const machines: BinarySvm[] = [];
    for (const c of values) {
      const yc = new Float64Array(n);
      for (let t = 0; t < n; t++) yc[t] = arr[t] === c ? 1 : -1;
      machines.push(await fitBinary(kernels, X, yc, [-1, 1], C, tol, maxIter, `${where} (class ${c} vs rest)`));
    }
    return ovr(values, machines, C, X.cols);
  }
  const L = binaryLabels(y, n, where);
  return fitBinary(kernels, X, L.y, L.classes, C, tol, maxIter, where);
}

// The solver works on x' = x·2^−k, with 2^k the smallest power of two ≥ max |x| (so |x'| ≤ 1):
// w'ᵀx' = wᵀx, so F and b are unchanged, and with C' = C·4^k the problem is the same one with
// w = w'·2^−k, α = α'·4^−k and both objectives ·4^−k. Powers of two make every step exact, so
// the iterates are those of the unscaled problem bit for bit (barring subnormals), while
// x'ᵀx' cannot overflow and nothing depends on how far from 1 the data's magnitude is.
async function fitBinary(kernels: Kernels, X: Matrix64, y: Float64Array, classes: [number, number],
                         C: number, tol: number, maxIter: number, where: string): Promise<BinarySvm> {
  const n = X.rows, d = X.cols;
  const M = maxAbs(X.data), k = M > 0 ? ceilLog2(M) : 0;
  let Cs = C === Infinity ? Infinity : ldexp(C, 2 * k);
  if (Cs < MIN_NORMAL) {
    throw new RangeError(`${where}: C = ${C} is too small for features of magnitude ${M}: C·max|x|² ≈ 1e${Math.round(Math.log10(C) + 2 * Math.log10(M))} ` +
      'is below float64\'s normal range, so the features could not move the decision value off the constant b; ' +
      'use a larger C or scale the features up');
  }

  // the hard margin exists only for separable data: ask the LP first (else the dual is unbounded).
  // A finite C with C·4^k past float64's range is numerically the hard margin (the box α' ≤ C' never binds).
  if (Cs === Infinity) {
    const sep = await separable(X, y);
    if (!sep.separable) {
      const rel = sep.certificate.relativeResidual.toExponential(1);
      if (C === Infinity) {
        throw new Error(`${where}: the data is not linearly separable, so the hard-margin SVM has no solution ` +
          `(certificate relative residual ${rel}; see separable()). Use a finite C for the soft margin.`);
      }
      throw new RangeError(`${where}: C = ${C} is too large for features of magnitude ${M}: C·max|x|² overflows float64, ` +
        `so this is numerically the hard margin, and the data is not linearly separable (certificate relative residual ${rel}). ` +
        'Use a smaller C or scale the features down');
    }
    Cs = Infinity;
  }

  // lay out the solver's buffers (assembly/svm.ts svmSolve) in one block:
  //   x (n·d) | y (n) | alpha (n) | w (d) | F (n) | sq (n) | stats (6)  f64, then up | low | work (n each) i32
  const f64s = n * d + 4 * n + d + 6;
  const bytes = f64s * 8 + 3 * n * 4;
  const base = kernels.alloc(bytes); // may grow memory: views are taken after this
  const px = base, py = px + n * d * 8, pa = py + n * 8, pw = pa + n * 8, pF = pw + d * 8, psq = pF + n * 8;
  const pst = psq + n * 8, pup = pst + 6 * 8, plow = pup + n * 4, pwork = plow + n * 4;
  try {
    const f = kernels.f64();
    const xo = px >>> 3;
    for (let q = 0; q < n * d; q++) f[xo + q] = ldexp(X.data[q], -k);
    f.set(y, py >>> 3);
    kernels.svmSolve(px, py, pa, pw, pF, psq, pup, plow, pwork, pst, n, d, Cs, tol, maxIter);

    // read the results back (views again: the call cannot grow memory, but stay safe)
    const g = kernels.f64();
    const alpha = g.slice(pa >>> 3, (pa >>> 3) + n), w = g.slice(pw >>> 3, (pw >>> 3) + d);
    const F = g.slice(pF >>> 3, (pF >>> 3) + n), st = g.slice(pst >>> 3, (pst >>> 3) + 6);
    return buildBinary(X, y, alpha, w, F, classes, C, Cs, k, M, where,
      { iterations: st[0], rounds: st[4], gap: st[1], converged: st[3] === 1, pairSteps: st[2], visits: st[5] });
  } finally {
    kernels.free(base);
  }
}

const MIN_NORMAL = 2 ** -1022;

// ‖v‖ without overflow or underflow of the squares.
function norm(v: ArrayLike<number>): number {
  const m = maxAbs(v);
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (v[j] / m) ** 2;
  return Math.sqrt(s) * m;
}

// b, the support set and both objectives from the solver's α', w' and F = y − w'ᵀx' (scaled units:
// C' = C·4^k, see fitBinary), then everything mapped back to the caller's units.
function buildBinary(X: Matrix64, y: Float64Array, alpha: Float64Array, ws: Float64Array, F: Float64Array,
                     classes: [number, number], C: number, Cs: number, k: number, M: number, where: string,
                     s: { iterations: number; rounds: number; gap: number; converged: boolean; pairSteps: number; visits: number }): BinarySvm {
  const n = X.rows, d = X.cols;

  // b: the mean of F over free support vectors (0 < α < C), where y(wᵀx + b) = 1 holds;
  // without any, the middle of the interval the KKT conditions allow for b
  let sumFree = 0, nFree = 0, lo = -Infinity, hi = Infinity;
  for (let t = 0; t < n; t++) {
    const a = alpha[t];
    if (a > 0 && a < Cs) { sumFree += F[t]; nFree++; }
    const up = y[t] > 0 ? a < Cs : a > 0, low = y[t] > 0 ? a > 0 : a < Cs;
    if (up && !low) lo = Math.max(lo, F[t]); // KKT there: b ≥ F_t
    if (low && !up) hi = Math.min(hi, F[t]); // KKT there: b ≤ F_t
  }
  const b = nFree > 0 ? sumFree / nFree : midpoint(lo, hi);

  // objectives: ½‖w‖² + C Σ hinge, and Σα − ½‖w‖² (the quadratic parts in scaled units, ·4^−k)
  let ww = 0, sumA = 0, hinge = 0;
  for (let j = 0; j < d; j++) ww += ws[j] * ws[j];
  const support: number[] = [];
  for (let t = 0; t < n; t++) {
    sumA += alpha[t];
    if (alpha[t] > 0) support.push(t);
    hinge += Math.max(0, 1 - y[t] * (y[t] - F[t] + b));
  }
  const w = ws.map((v) => ldexp(v, -k));
  const supportIndices = Int32Array.from(support);
  const dualCoef = Float64Array.from(support, (t) => ldexp(alpha[t] * y[t], -2 * k));
  const primalObjective = ldexp(0.5 * ww, -2 * k) + (C === Infinity ? 0 : C * hinge);
  const dualObjective = ldexp(sumA - 0.5 * ww, -2 * k);
  const wNorm = norm(ws);
  // 2/‖w‖ = 2^k · 2/‖w'‖, with ‖w'‖ = m·2^q, m in (½, 1], so that nothing under- or overflows on the way
  const q = wNorm > 0 ? ceilLog2(wNorm) : 0;
  const margin = wNorm > 0 ? ldexp(2 / ldexp(wNorm, -q), k - q) : Infinity;
  const sizes = `the features reach |x| = ${M}`;
  const bad = (what: string, v: number) => new Error(`${where}: the solution does not fit in float64: ${what} = ${v} (${sizes}); ` +
    'scale the features ' + (M < 1 ? 'up' : 'down') + ' (e.g. divide them by their largest magnitude)');
  const wBad = w.findIndex((v) => !Number.isFinite(v));
  if (wBad >= 0) throw bad(`w[${wBad}]`, w[wBad]);
  if (!Number.isFinite(b)) throw bad('b', b);
  if (!Number.isFinite(primalObjective)) throw bad('the primal objective ½‖w‖² + C Σ hinge', primalObjective);
  if (!Number.isFinite(dualObjective)) throw bad('the dual objective', dualObjective);
  const cBad = dualCoef.findIndex((v) => !Number.isFinite(v));
  if (cBad >= 0) throw bad(`the dual coefficient of point ${support[cBad]}`, dualCoef[cBad]);
  let note: string | undefined;
  if (margin === Infinity) {
    note = wNorm === 0
      ? 'w = 0: no w lowers the hinge penalty Σ max(0, 1 − y(wᵀx + b)) below its value at w = 0 (the classes overlap completely, ' +
        `as in XOR or for identical points with opposite labels), so the optimum ignores the features whatever C is: ` +
        `the decision value is the constant b = ${b} for every point and the margin 2/‖w‖ is infinite`
      : `‖w‖ = ${ldexp(wNorm, -k)} is so small that the margin 2/‖w‖ exceeds float64's range, so it is reported as Infinity ` +
        '(w itself is exact, and the decision value is wᵀx + b as always)';
  }

  const pos = classes[1], neg = classes[0];
  const decisionFunction = (x: Features): Float64Array => {
    const Q = toMatrix64(x, 'BinarySvm.decisionFunction');
    if (Q.cols !== d) throw new Error(`BinarySvm.decisionFunction: x has ${Q.cols} columns, the model was fitted on ${d}`);
    const out = new Float64Array(Q.rows);
    for (let t = 0; t < Q.rows; t++) out[t] = dot(Q.data, t, d, w) + b;
    return out;
  };
  return {
    kind: 'binary', w, b, margin, ...(note ? { note } : {}), supportIndices, dualCoef, primalObjective,
    dualObjective, C, classes, converged: s.converged, iterations: s.iterations, rounds: s.rounds, pairSteps: s.pairSteps, visits: s.visits, gap: s.gap,
    decisionFunction,
    predict: (x) => decisionFunction(x).map((v) => (v >= 0 ? pos : neg)),
  };
}

function midpoint(lo: number, hi: number): number {
  if (Number.isFinite(lo) && Number.isFinite(hi)) return (lo + hi) / 2;
  return Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
}

function ovr(classes: number[], machines: BinarySvm[], C: number, d: number): OvrSvm {
  const decisionFunction = (x: Features): Matrix64 => {
    const Q = toMatrix64(x, 'OvrSvm.decisionFunction');
    if (Q.cols !== d) throw new Error(`OvrSvm.decisionFunction: x has ${Q.cols} columns, the model was fitted on ${d}`);
    const K = classes.length, out = new Float64Array(Q.rows * K);
    for (let c = 0; c < K; c++) {
      const s = machines[c].decisionFunction(Q);
      for (let t = 0; t < Q.rows; t++) out[t * K + c] = s[t];
    }
    return { data: out, rows: Q.rows, cols: K };
  };
  const predict = (x: Features): Float64Array => {
    const s = decisionFunction(x), K = s.cols, out = new Float64Array(s.rows);
    for (let t = 0; t < s.rows; t++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (s.data[t * K + c] > s.data[t * K + best]) best = c;
      out[t] = classes[best];
    }
    return out;
  };
  const notes = machines.flatMap((m, c) => (m.note ? [`class ${classes[c]}: ${m.note}`] : []));
  return { kind: 'ovr', classes, machines, C, ...(notes.length ? { notes } : {}), decisionFunction, predict };
}
