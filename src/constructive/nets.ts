// The lecture's universality construction, piece by piece, as ordinary Mlp
// objects whose weights are set by hand (no training): |x|, ||x||_1,
// ||x - q||_1, the pseudo-dirac g_q and the memoriser
//   f(x) = sum_n y_n relu(1 - ||x - x_n||_1).
// Weights use PyTorch's nn.Linear layout (nOut, nIn); every net runs through
// the same forward pass as a trained one.
// Exactness: f32 holds every integer up to 2^24, so with integer inputs and
// training points of magnitude <= 2^23 each x_j - x_nj is exact, and so are the
// sums that matter (a sum of non-negative terms that reaches 1 stays >= 1).
import { Mlp } from '../mlp.js';
import type { Kernels } from '../backend/index.js';
import { toMatrix, F32_MAX, type Matrix, type MatrixLike } from '../matrix.js';
import { checkOptions } from '../options.js';

/** Options shared by the builders. */
export interface ConstructiveOptions {
  /** 'wasm' (default; needs `await init()`) or 'js' */
  backend?: 'wasm' | 'js' | Kernels;
}

/** Options of the dense builders ({@link l1NormNet}, {@link l1DistanceNet}, {@link pseudoDiracNet}). */
export interface DenseOptions extends ConstructiveOptions {
  /** Refuse to build a dense net with more parameters than this (default 2^24; Infinity: no limit). */
  maxParameters?: number;
}

/** Options of {@link memorizerNet}. */
export interface MemorizerNetOptions extends DenseOptions {
  /** When given, y are class indices 0..classes-1 and the net has one output
   *  per class, fed by the points of that class (one-hot y_n). Default: one
   *  output, y_n real (±1 for the lecture's classification). */
  classes?: number;
}

/** The largest coordinate magnitude of the integer construction: differences stay within 2^24. */
export const MAX_INTEGER_COORDINATE = 2 ** 23;
const DEFAULT_MAX_PARAMETERS = 2 ** 24;

/** A value as an error message shows it: numbers as numbers (NaN, Infinity), strings quoted. */
export function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The parameter limit of `o`, checked: a positive integer or Infinity (default 2^24). */
export function parameterLimit(o: DenseOptions, where: string): number {
  const v = o.maxParameters;
  if (v === undefined) return DEFAULT_MAX_PARAMETERS;
  if (typeof v !== 'number' || !(v === Infinity || (Number.isInteger(v) && v >= 1))) {
    throw new RangeError(`${where}: maxParameters must be a positive integer (or Infinity for no limit), got ${show(v)}`);
  }
  return v;
}

/** Throws when a dense net of `parameters` (and `neurons`) is above the limit; before anything is allocated. */
function checkSize(parameters: number, neurons: number, limit: number, where: string, hint: string): void {
  if (parameters <= limit) return;
  throw new RangeError(`${where}: the dense net would have ${parameters.toLocaleString('en-US')} parameters ` +
    `(${(parameters * 4 / 2 ** 30).toFixed(2)} GiB of f32, ${neurons.toLocaleString('en-US')} neurons), ` +
    `above the limit of ${limit.toLocaleString('en-US')}; ${hint}`);
}

/** Neuron and parameter counts of the memoriser on N points of dimension D with C outputs. */
export function memorizerCounts(N: number, D: number, C = 1) {
  const layer1 = 2 * N * D, layer2 = N, output = C;
  return {
    neurons: { layer1, layer2, output, total: layer1 + layer2 + output },
    // dense weights and biases: (2ND x D) + 2ND, (N x 2ND) + N, (C x N) + C
    parameters: layer1 * D + layer1 + layer2 * layer1 + layer2 + output * layer2 + output,
    // what the structured form stores: the points and one output weight each
    storedFloats: N * D + N,
  };
}

function net(sizes: number[], acts: string[], o: ConstructiveOptions): Mlp {
  const layers = acts.map((activation, l) => ({ in: sizes[l], out: sizes[l + 1], activation }));
  return new Mlp({ layers, backend: o.backend ?? 'wasm' });
}

// Parameters of the one-point nets D -> 2D -> 1: (2D x D) + 2D, (1 x 2D) + 1.
const onePointParameters = (D: number) => 2 * D * D + 4 * D + 1;

function vector(q: ArrayLike<number>, o: DenseOptions, where: string): Float32Array {
  if (!q || typeof q.length !== 'number' || !Number.isInteger(q.length) || q.length < 1) {
    throw new Error(`${where}: q must be a non-empty vector of numbers`);
  }
  const D = q.length;
  checkSize(onePointParameters(D), 2 * D + 1, parameterLimit(o, where), where, `q has ${D.toLocaleString('en-US')} coordinates; raise maxParameters to build it anyway`);
  const out = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    const v = q[j];
    if (typeof v !== 'number') throw new Error(`${where}: q[${j}] is ${show(v)}, not a number`);
    if (!Number.isFinite(v)) throw new Error(`${where}: q[${j}] is ${v}; coordinates must be finite`);
    out[j] = v;
    if (out[j] !== v) throw new Error(`${where}: q[${j}] = ${v} is not exact in f32; round it first`);
  }
  return out;
}

// Layer 1 of the construction: for each point n, the block [I; -I] with bias
// [-q_n; q_n] (rows 2Dn..2Dn+D-1 are +I, the next D rows -I), so unit 2Dn+j
// gives relu(x_j - q_nj) and unit 2Dn+D+j gives relu(q_nj - x_j). The lecture
// writes all +I blocks first; this order keeps each point's block together.
// `w` is the weight on x (1, or the scale s of real-valued data).
function stackedIdentity(points: Matrix, w = 1): { weight: Float32Array; bias: Float32Array } {
  const N = points.rows, D = points.cols, H = 2 * N * D;
  const weight = new Float32Array(H * D), bias = new Float32Array(H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < D; j++) {
      const up = 2 * D * n + j, down = 2 * D * n + D + j; // the two units of coordinate j
      weight[up * D + j] = w; bias[up] = -points.data[n * D + j];
      weight[down * D + j] = -w; bias[down] = points.data[n * D + j];
    }
  }
  return { weight, bias };
}

// Layer 2: unit n = relu(1 - sum of block n), weight -1 on its 2D units, bias 1.
function blockSums(N: number, D: number): { weight: Float32Array; bias: Float32Array } {
  const weight = new Float32Array(N * 2 * N * D), bias = new Float32Array(N).fill(1);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < 2 * D; k++) weight[n * 2 * N * D + 2 * D * n + k] = -1;
  }
  return { weight, bias };
}

/** |x| = relu(x) + relu(-x): 2 hidden relu neurons and 1 linear output (3 neurons, 7 parameters). */
export function absNet(o: ConstructiveOptions = {}): Mlp {
  o = checkOptions(o, ['backend'], 'absNet');
  const m = net([1, 2, 1], ['relu', 'identity'], o);
  m.setLayer(0, { weight: [1, -1], bias: [0, 0] });
  m.setLayer(1, { weight: [1, 1], bias: [0] });
  return m;
}

/** ||x||_1 = 1·relu([I; -I] x): 2D hidden relu neurons and one summing output (2D + 1 neurons). */
export function l1NormNet(D: number, o: DenseOptions = {}): Mlp {
  const where = 'l1NormNet';
  o = checkOptions(o, ['backend', 'maxParameters'], where);
  if (typeof D !== 'number' || !Number.isInteger(D) || D < 1) throw new RangeError(`${where}: D must be a positive integer, got ${show(D)}`);
  // the size first: the zero vector below would be D floats
  checkSize(onePointParameters(D), 2 * D + 1, parameterLimit(o, where), where, `D = ${D.toLocaleString('en-US')}; raise maxParameters to build it anyway`);
  return oneDistance(new Float32Array(D), o);
}

/** ||x - q||_1 = 1·relu([I; -I] x + [-q; q]): 2D hidden relu neurons and one summing output. */
export function l1DistanceNet(q: ArrayLike<number>, o: DenseOptions = {}): Mlp {
  const where = 'l1DistanceNet';
  o = checkOptions(o, ['backend', 'maxParameters'], where);
  return oneDistance(vector(q, o, where), o);
}

// ||x - p||_1 as a net, p already checked
function oneDistance(p: Float32Array, o: ConstructiveOptions): Mlp {
  const D = p.length;
  const m = net([D, 2 * D, 1], ['relu', 'identity'], o);
  m.setLayer(0, stackedIdentity({ data: p, rows: 1, cols: D }));
  m.setLayer(1, { weight: new Float32Array(2 * D).fill(1), bias: [0] });
  return m;
}

/** The pseudo-dirac g_q(x) = relu(1 - ||x - q||_1): 1 at q, 0 wherever ||x - q||_1 >= 1 (2D + 1 neurons). */
export function pseudoDiracNet(q: ArrayLike<number>, o: DenseOptions = {}): Mlp {
  o = checkOptions(o, ['backend', 'maxParameters'], 'pseudoDiracNet');
  const p = vector(q, o, 'pseudoDiracNet'), D = p.length;
  const m = net([D, 2 * D, 1], ['relu', 'relu'], o);
  m.setLayer(0, stackedIdentity({ data: p, rows: 1, cols: D }));
  m.setLayer(1, blockSums(1, D));
  return m;
}

/** Checks the training points and labels of a memoriser; returns them as f32 plus output weights. */
export function checkMemorizerData(x: MatrixLike, y: ArrayLike<number>, classes: number | undefined, where: string) {
  const points = toMatrix(x, `${where} (x)`);
  const N = points.rows;
  if (!y || typeof y.length !== 'number') throw new Error(`${where}: y must be a vector of ${N} labels`);
  if (y.length !== N) throw new Error(`${where}: x has ${N} points but y has ${y.length} labels`);
  if (classes !== undefined && (!Number.isInteger(classes) || classes < 2)) {
    throw new RangeError(`${where}: classes must be an integer >= 2, got ${classes}`);
  }
  const C = classes ?? 1;
  const cls = new Int32Array(N), val = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const v = y[n];
    if (typeof v !== 'number') throw new Error(`${where}: y[${n}] is ${show(v)}, not a number`);
    if (!Number.isFinite(v)) throw new Error(`${where}: y[${n}] is ${v}; labels must be finite`);
    if (classes === undefined) {
      val[n] = v;
      if (!Number.isFinite(val[n])) {
        throw new RangeError(`${where}: y[${n}] = ${v} overflows f32 (labels must be below ${F32_MAX.toExponential(3)} in magnitude); scale the labels down`);
      }
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new Error(`${where}: y[${n}] = ${v} is not a class index in 0..${classes - 1}`);
    }
    cls[n] = v; val[n] = 1;
  }
  return { points, cls, val, C };
}

/** Throws unless every coordinate is an integer of magnitude <= 2^23 and the points are distinct. */
export function checkIntegerPoints(points: Matrix, where: string): void {
  const D = points.cols, seen = new Map<string, number>();
  for (let n = 0; n < points.rows; n++) {
    const row = points.data.subarray(n * D, (n + 1) * D);
    for (let j = 0; j < D; j++) {
      const v = row[j];
      if (!Number.isInteger(v)) {
        throw new Error(`${where}: x[${n}][${j}] = ${v} is not an integer; the construction needs points of Z^D ` +
          '(scale real-valued data first, or use new Memorizer(x, y), which does)');
      }
      if (Math.abs(v) > MAX_INTEGER_COORDINATE) {
        throw new RangeError(`${where}: x[${n}][${j}] = ${v} exceeds 2^23 in magnitude; beyond it f32 differences are not exact`);
      }
    }
    const key = row.join(',');
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}: points ${first} and ${n} are equal (${key}); the points must be distinct`);
    seen.set(key, n);
  }
}

/** The dense memoriser layers; `w` is the weight on x (the scale), points already scaled. */
export function denseMemorizer(points: Matrix, cls: Int32Array, val: Float32Array, C: number, w: number,
                               o: MemorizerNetOptions, where: string): Mlp {
  const N = points.rows, D = points.cols;
  const counts = memorizerCounts(N, D, C);
  checkSize(counts.parameters, counts.neurons.total, parameterLimit(o, where), where,
    'evaluate the structured Memorizer instead, or raise maxParameters');
  const H = 2 * N * D;
  const m = net([D, H, N, C], ['relu', 'relu', 'identity'], o);
  m.setLayer(0, stackedIdentity(points, w));
  m.setLayer(1, blockSums(N, D));

  // output: unit c weighs hidden unit n by val[n] when point n feeds c
  const weight = new Float32Array(C * N);
  for (let n = 0; n < N; n++) weight[cls[n] * N + n] = val[n];
  m.setLayer(2, { weight, bias: new Float32Array(C) });
  return m;
}

/**
 * The lecture's memoriser f(x) = sum_n y_n relu(1 - ||x - x_n||_1) as a dense
 * Mlp D -> 2ND (relu) -> N (relu) -> 1 (linear): 2·N·D + N + 1 neurons. At a
 * training point it gives y_n exactly; wherever the L1 distance to every
 * training point is >= 1 it gives exactly 0.
 * @param x N distinct points of Z^D, (N, D), coordinates of magnitude <= 2^23
 * @param y N labels: reals (±1 for classification), or class indices with `classes`
 * @throws Error on non-integer, non-finite or repeated points, mismatched
 *         lengths, bad labels, or a net above `maxParameters`.
 */
export function memorizerNet(x: MatrixLike, y: ArrayLike<number>, o: MemorizerNetOptions = {}): Mlp {
  const where = 'memorizerNet';
  o = checkOptions(o, ['classes', 'maxParameters', 'backend'], where);
  parameterLimit(o, where); // a bad limit is refused before the data are examined
  const { points, cls, val, C } = checkMemorizerData(x, y, o.classes, where);
  checkIntegerPoints(points, where);
  return denseMemorizer(points, cls, val, C, 1, o, where);
}
