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

/** Checks and copies features to float64; `where` names the function in errors. */
export function toMatrix64(m: Features, where: string): Matrix64 {
  let rows: number, cols: number, data: Float64Array;
  if (Array.isArray(m)) {
    rows = m.length;
    cols = rows ? (m[0] as ArrayLike<number>)?.length ?? 0 : 0;
    data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = m[r] as ArrayLike<number>;
      if (!row || typeof row !== 'object' || row.length !== cols) {
        throw new Error(`${where}: x row ${r} has ${row?.length} values, row 0 has ${cols}`);
      }
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
    }
  } else if (m && typeof m === 'object' && 'data' in m) {
    ({ rows, cols } = m);
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new Error(`${where}: x.rows and x.cols must be non-negative integers, got rows=${rows}, cols=${cols}`);
    }
    if (!m.data || m.data.length !== rows * cols) {
      throw new Error(`${where}: x.data has ${m.data?.length} values but rows*cols = ${rows}*${cols} = ${rows * cols}`);
    }
    data = Float64Array.from(m.data);
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
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: label ${t} is ${v}; labels must be finite numbers`);
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

// ---------------------------------------------------------------- linear feasibility

// NOTE: the package's types describe a CommonJS module with a default export; under
// NodeNext the default arrives as `.default` of the namespace, at run time as the default.
const loadHighs = ((highsModule as any).default ?? highsModule) as () => Promise<Highs>;
let highsPromise: Promise<Highs> | null = null;
/** Loads HiGHS once (it is a wasm module too). */
function highs(): Promise<Highs> { return (highsPromise ??= loadHighs()); }

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
}

type LpOutcome = { status: 'optimal'; x: Float64Array } | { status: 'infeasible' } | { status: 'other'; text: string };

// Solves  min 0  s.t. rowLower ≤ A v ≤ rowUpper, colLower ≤ v ≤ colUpper with A given by rows (dense).
async function solveLp(nCols: number, rowsDense: Float64Array, nRows: number,
                       rowLower: Float64Array, rowUpper: Float64Array,
                       colLower: Float64Array, colUpper: Float64Array, timeLimit: number): Promise<LpOutcome> {
  const h = await highs();
  const starts = new Int32Array(nRows + 1), idx: number[] = [], val: number[] = [];
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const a = rowsDense[r * nCols + c];
      if (a !== 0) { idx.push(c); val.push(a); }
    }
    starts[r + 1] = idx.length;
  }
  const model = h.createModel({
    numCols: nCols, numRows: nRows, colCost: new Float64Array(nCols), colLower, colUpper, rowLower, rowUpper,
    matrix: { format: 'csr', numRows: nRows, numCols: nCols, starts, indices: Int32Array.from(idx), values: Float64Array.from(val) },
  });
  try {
    model.options.set({ output_flag: false });
    if (Number.isFinite(timeLimit)) model.options.set({ time_limit: timeLimit });
    model.run();
    const s = model.getModelStatus();
    if (s === h.constants.modelStatus.timeLimit) return { status: 'other', text: `time limit (${timeLimit} s)` };
    if (s === h.constants.modelStatus.optimal) return { status: 'optimal', x: Float64Array.from(model.getSolution().colValue) };
    if (s === h.constants.modelStatus.infeasible) return { status: 'infeasible' };
    return { status: 'other', text: String(s) };
  } finally {
    model.dispose();
  }
}

/**
 * Decides exactly (by linear programming, HiGHS) whether ±1-labelled points are linearly
 * separable: is there (w, b) with y_n (wᵀx_n + b) ≥ 1 for every n?
 * @example
 *   const r = await separable([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, -1, -1]);
 *   r.separable // false; r.certificate.lambda = [¼, ¼, ¼, ¼]
 * @param x (n, d) features; @param y n labels, ±1 or two distinct values (the smaller becomes −1)
 * Large sets are solved by constraint generation: the LPs run on a working set that grows
 * by the worst-violated points; every answer is checked on all points.
 * @param options.timeLimit seconds in all (default: no limit)
 * @param options.onRound called before each round with the working-set size (progress)
 * @returns a separating (w, b) with its smallest functional margin, or a checked certificate λ
 * @throws Error on bad input, or when HiGHS's answer fails the float64 check (numerical trouble)
 */
export async function separable(x: Features, y: ArrayLike<number>,
                                options: { timeLimit?: number; onRound?: (round: number, workingSet: number) => void } = {}): Promise<Separability> {
  const where = 'separable';
  options = checkOptions(options, ['timeLimit', 'onRound'], where);
  const timeLimit = options.timeLimit ?? Infinity;
  if (typeof timeLimit !== 'number' || !(timeLimit > 0)) throw new RangeError(`${where}: timeLimit must be a positive number of seconds, got ${timeLimit}`);
  const X = toMatrix64(x, where), n = X.rows, d = X.cols;
  const L = binaryLabels(y, n, where);
  const deadline = performance.now() + timeLimit * 1000;
  const left = () => (Number.isFinite(timeLimit) ? Math.max((deadline - performance.now()) / 1000, 1e-3) : Infinity);

  // Constraint generation: solve the LPs on a working set S of points. If S
  // admits no hyperplane, its certificate (λ = 0 off S) is one for all points;
  // if it does, the hyperplane is checked on every point and the worst
  // violators join S. S only grows, so this ends, at worst with S = all.
  const inS = new Uint8Array(n);
  const S: number[] = [];
  const step = n <= WORKING_SET ? 1 : Math.ceil(n / WORKING_SET);
  for (let t = 0; t < n; t += step) { S.push(t); inS[t] = 1; }
  for (let round = 1; ; round++) {
    options.onRound?.(round, S.length);
    const r = await separableOn(X, L.y, S, left(), where);
    if (r.kind === 'certificate') {
      const lambda = new Float64Array(n);
      S.forEach((t, k) => { lambda[t] = r.lambda[k]; });
      return checkedCertificate(X, L, lambda, where);
    }
    // margins of every point under the working set's hyperplane
    const margins = new Float64Array(n);
    let minMargin = Infinity;
    for (let t = 0; t < n; t++) {
      margins[t] = L.y[t] * (dot(X.data, t, d, r.w) + r.b);
      minMargin = Math.min(minMargin, margins[t]);
    }
    if (minMargin > 0) return { separable: true, w: r.w, b: r.b, minMargin, classes: L.classes, mapped: L.mapped };
    const out: number[] = [];
    for (let t = 0; t < n; t++) if (!inS[t] && margins[t] < 1) out.push(t);
    out.sort((a, b) => margins[a] - margins[b]);
    if (out.length === 0) {
      throw new Error(`${where}: the LP's hyperplane should give every point of its working set margin >= 1, but the smallest is ${minMargin}; ` +
        'the data may be badly scaled: try standardising the features');
    }
    for (const t of out.slice(0, WORKING_SET)) { inS[t] = 1; S.push(t); }
  }
}

// Points in the first working set, and added per round.
const WORKING_SET = 1000;

type OnSubset = { kind: 'hyperplane'; w: Float64Array; b: number } | { kind: 'certificate'; lambda: Float64Array };

// The two LPs on the rows S of X: the primal (w, b) with y_n (w·x_n + b) >= 1,
// or, when it is infeasible, the alternative (Gordan) λ >= 0, Σλ = 1,
// Σ λ_n y_n [x_n; 1] = 0.
async function separableOn(X: Matrix64, y: Float64Array, S: number[], timeLimit: number, where: string): Promise<OnSubset> {
  const d = X.cols, m = S.length;
  const filled = (k: number, v: number) => new Float64Array(k).fill(v);

  // 1. primal: unknowns (w, b); row k reads y_n x_nᵀ w + y_n b ≥ 1 for n = S[k]
  const A = new Float64Array(m * (d + 1));
  S.forEach((t, k) => {
    for (let j = 0; j < d; j++) A[k * (d + 1) + j] = y[t] * X.data[t * d + j];
    A[k * (d + 1) + d] = y[t];
  });
  const primal = await solveLp(d + 1, A, m, filled(m, 1), filled(m, Infinity), filled(d + 1, -Infinity), filled(d + 1, Infinity), timeLimit);
  if (primal.status === 'optimal') return { kind: 'hyperplane', w: primal.x.slice(0, d), b: primal.x[d] };
  if (primal.status === 'other' && primal.text.startsWith('time limit')) {
    throw new Error(`${where}: HiGHS stopped (${primal.text}) on the feasibility LP with ${m} rows and ${d + 1} unknowns; ` +
      'raise options.timeLimit, or fit a soft-margin SVM (finite C) instead');
  }

  // 2. the alternative (also when HiGHS could not decide the primal: a
  // certificate that passes the float64 check settles it): unknowns λ (m); rows Σ_k λ_k y_k x_k[j] = 0 (j < d), Σ λ_k y_k = 0, Σ λ_k = 1
  const B = new Float64Array((d + 2) * m);
  S.forEach((t, k) => {
    for (let j = 0; j < d; j++) B[j * m + k] = y[t] * X.data[t * d + j];
    B[d * m + k] = y[t];
    B[(d + 1) * m + k] = 1;
  });
  const rhs = new Float64Array(d + 2); rhs[d + 1] = 1;
  const dual = await solveLp(m, B, d + 2, rhs, rhs, filled(m, 0), filled(m, Infinity), timeLimit);
  if (dual.status !== 'optimal') {
    const what = (o: LpOutcome) => (o.status === 'other' ? `stopped: ${o.text}` : o.status);
    throw new Error(`${where}: HiGHS found neither a hyperplane nor a certificate on ${m} points (primal ${what(primal)}, certificate LP ${what(dual)}); ` +
      'the data may be badly scaled: try standardising the features');
  }
  return { kind: 'certificate', lambda: dual.x };
}

// Normalises λ and checks it in float64 on all points before it is returned.
function checkedCertificate(X: Matrix64, L: BinaryLabels, raw: Float64Array, where: string): Separability {
  const n = X.rows;
  const lambda = raw.map((v) => Math.max(v, 0));
  const sum = lambda.reduce((a, v) => a + v, 0);
  for (let t = 0; t < n; t++) lambda[t] /= sum;
  const residual = certificateResidual(X, L.y, lambda);
  let scale = 1;
  for (let k = 0; k < X.data.length; k++) scale = Math.max(scale, Math.abs(X.data[k]));
  if (!(residual <= 1e-7 * scale)) {
    throw new Error(`${where}: HiGHS reports no separating hyperplane but its certificate has residual ${residual}; ` +
      'the data may be badly scaled: try standardising the features');
  }
  return { separable: false, certificate: { lambda, residual }, classes: L.classes, mapped: L.mapped };
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
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    mistakes = 0;
    for (let t = 0; t < n; t++) {
      if (L.y[t] * (dot(X.data, t, d, w) + b) > 0) continue;
      for (let j = 0; j < d; j++) w[j] += L.y[t] * X.data[t * d + j];
      b += L.y[t];
      mistakes++;
      updates++;
    }
    if (mistakes === 0) return { converged: true, w, b, epochs: epoch, updates, classes: L.classes };
  }
  return { converged: false, w, b, epochs: maxEpochs, updates, mistakes, classes: L.classes };
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
  /** 2/‖w‖ */
  margin: number;
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
 * @throws Error on bad input; for the hard margin, when the data is not linearly separable
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

async function fitBinary(kernels: Kernels, X: Matrix64, y: Float64Array, classes: [number, number],
                         C: number, tol: number, maxIter: number, where: string): Promise<BinarySvm> {
  const n = X.rows, d = X.cols;

  // the hard margin exists only for separable data: ask the LP first (else the dual is unbounded)
  if (C === Infinity) {
    const sep = await separable(X, y);
    if (!sep.separable) {
      throw new Error(`${where}: the data is not linearly separable, so the hard-margin SVM has no solution ` +
        `(certificate residual ${sep.certificate.residual.toExponential(1)}; see separable()). Use a finite C for the soft margin.`);
    }
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
    f.set(X.data, px >>> 3);
    f.set(y, py >>> 3);
    kernels.svmSolve(px, py, pa, pw, pF, psq, pup, plow, pwork, pst, n, d, C, tol, maxIter);

    // read the results back (views again: the call cannot grow memory, but stay safe)
    const g = kernels.f64();
    const alpha = g.slice(pa >>> 3, (pa >>> 3) + n), w = g.slice(pw >>> 3, (pw >>> 3) + d);
    const F = g.slice(pF >>> 3, (pF >>> 3) + n), st = g.slice(pst >>> 3, (pst >>> 3) + 6);
    return buildBinary(X, y, alpha, w, F, classes, C, { iterations: st[0], rounds: st[4], gap: st[1], converged: st[3] === 1, pairSteps: st[2], visits: st[5] });
  } finally {
    kernels.free(base);
  }
}

// b, the support set and both objectives from the solver's α, w and F = y − wᵀx.
function buildBinary(X: Matrix64, y: Float64Array, alpha: Float64Array, w: Float64Array, F: Float64Array,
                     classes: [number, number], C: number, s: { iterations: number; rounds: number; gap: number; converged: boolean; pairSteps: number; visits: number }): BinarySvm {
  const n = X.rows, d = X.cols;

  // b: the mean of F over free support vectors (0 < α < C), where y(wᵀx + b) = 1 holds;
  // without any, the middle of the interval the KKT conditions allow for b
  let sumFree = 0, nFree = 0, lo = -Infinity, hi = Infinity;
  for (let t = 0; t < n; t++) {
    const a = alpha[t];
    if (a > 0 && a < C) { sumFree += F[t]; nFree++; }
    const up = y[t] > 0 ? a < C : a > 0, low = y[t] > 0 ? a > 0 : a < C;
    if (up && !low) lo = Math.max(lo, F[t]); // KKT there: b ≥ F_t
    if (low && !up) hi = Math.min(hi, F[t]); // KKT there: b ≤ F_t
  }
  const b = nFree > 0 ? sumFree / nFree : midpoint(lo, hi);

  // objectives: ½‖w‖² + C Σ hinge, and Σα − ½‖w‖²
  let ww = 0, sumA = 0, hinge = 0;
  for (let j = 0; j < d; j++) ww += w[j] * w[j];
  const support: number[] = [];
  for (let t = 0; t < n; t++) {
    sumA += alpha[t];
    if (alpha[t] > 0) support.push(t);
    hinge += Math.max(0, 1 - y[t] * (y[t] - F[t] + b));
  }
  const supportIndices = Int32Array.from(support);
  const dualCoef = Float64Array.from(support, (t) => alpha[t] * y[t]);
  const primalObjective = 0.5 * ww + (C === Infinity ? 0 : C * hinge);
  const pos = classes[1], neg = classes[0];
  const decisionFunction = (x: Features): Float64Array => {
    const Q = toMatrix64(x, 'BinarySvm.decisionFunction');
    if (Q.cols !== d) throw new Error(`BinarySvm.decisionFunction: x has ${Q.cols} columns, the model was fitted on ${d}`);
    const out = new Float64Array(Q.rows);
    for (let t = 0; t < Q.rows; t++) out[t] = dot(Q.data, t, d, w) + b;
    return out;
  };
  return {
    kind: 'binary', w, b, margin: 2 / Math.sqrt(ww), supportIndices, dualCoef, primalObjective,
    dualObjective: sumA - 0.5 * ww, C, classes, converged: s.converged, iterations: s.iterations, rounds: s.rounds, pairSteps: s.pairSteps, visits: s.visits, gap: s.gap,
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
  return { kind: 'ovr', classes, machines, C, decisionFunction, predict };
}
