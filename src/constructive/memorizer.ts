// The memoriser in structured form: the training points, their output weights
// and a scale, evaluated by one kernel (assembly/constructive.ts) without ever
// forming the dense matrices (for 10,000 MNIST images layer 1 alone would be
// 15.7M x 784 f32, ~49 GB; the structured form stores N·D + N floats).
// Real-valued data are scaled so that every two training points are at L1
// distance >= 1, the lecture's integer-grid condition; see `Memorizer`.
import { getKernels, type Kernels } from '../backend/index.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { checkIntegerPoints, checkMemorizerData, denseMemorizer, memorizerCounts, MAX_INTEGER_COORDINATE,
         type ConstructiveOptions, type MemorizerNetOptions } from './nets.js';
import type { Mlp } from '../mlp.js';
import { checkOptions } from '../options.js';

/** Options of {@link Memorizer}. */
export interface MemorizerOptions extends ConstructiveOptions {
  /** y are class indices 0..classes-1: one output per class, one-hot y_n, argmax.
   *  Default: one output and real y_n (±1 for the lecture's classification). */
  classes?: number;
  /** 'auto' (default): 1 for integer points, else (1 + eps)/dmin; or a number. */
  scale?: 'auto' | number;
}

/** Margin on the scale that covers f32 rounding of the scaled coordinates and of an L1 sum over D terms. */
export function scaleMargin(D: number): number { return (2 * D + 8) * 2 ** -24; }

const CHUNK = 256; // query rows per kernel call

const registry = typeof FinalizationRegistry === 'undefined' ? null
  : new FinalizationRegistry<{ k: Kernels; ptr: number }>(({ k, ptr }) => k.free(ptr));

/**
 * The smallest L1 distance between two rows of x, computed in f64 from the f32
 * values (exact for pixel-like or integer data), with the two row indices.
 * Fast: rows are scanned in order of their L1 norm and a pair is skipped once
 * the norm gap (a lower bound, by the triangle inequality) or its partial sum
 * reaches the best distance so far; both skips are exact.
 * @returns { distance: +Infinity when there are fewer than 2 rows, pair: [i, j] with i, j rows of x }
 */
export function minPairL1Distance(x: MatrixLike, o: ConstructiveOptions = {}): { distance: number; pair: [number, number] } {
  const m = toMatrix(x, 'minPairL1Distance (x)');
  const k = getKernels(o.backend ?? 'wasm', 'minPairL1Distance');
  const N = m.rows, D = m.cols;
  if (N < 2) return { distance: Infinity, pair: [-1, -1] };

  // norms in f64, rows sorted by them
  const norms = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += Math.abs(m.data[n * D + j]);
    norms[n] = s;
  }
  const order = Int32Array.from({ length: N }, (_, n) => n).sort((a, b) => norms[a] - norms[b]);
  const sorted = Float64Array.from(order, (n) => norms[n]);

  // one block: x (N*D f32), order (N i32), norm (N f64), pair (2 i32); views after the alloc
  const xBytes = N * D * 4, oBytes = Math.ceil(N / 4) * 16, nBytes = Math.ceil(N / 2) * 16;
  const base = k.alloc(xBytes + oBytes + nBytes + 16);
  try {
    const px = base, po = base + xBytes, pn = po + oBytes, pp = pn + nBytes;
    k.f32().set(m.data, px >>> 2);
    k.i32().set(order, po >>> 2);
    k.f64().set(sorted, pn >>> 3);
    const distance = k.l1MinPairDistance(px, po, pn, pp, N, D);
    const i32 = k.i32(), a = i32[pp >>> 2], b = i32[(pp >>> 2) + 1];
    return { distance, pair: [Math.min(a, b), Math.max(a, b)] };
  } finally {
    k.free(base);
  }
}

/**
 * The lecture's memoriser f(x) = sum_n y_n relu(1 - ||s·x - s·x_n||_1), held
 * in structured form and evaluated exactly by a SIMD kernel.
 *
 * Scale s: integer points of magnitude <= 2^23 keep s = 1 (the lecture's grid;
 * every value is exact in f32). Otherwise s = (1 + eps)/dmin, dmin the smallest
 * L1 distance between two training points (computed exactly in f64) and
 * eps = (2D + 8)·2^-24 a margin covering the f32 rounding of an L1 sum; the
 * scaled f32 points are measured again (exactly) and s widened if their
 * rounding took the margin, so every two scaled training points are >= 1
 * apart as the kernel computes it. Then f(x_n) = y_n
 * exactly, and f(x) = 0 exactly wherever s·x is >= 1 from every scaled point.
 *
 * Classes: with `classes: K` there are K outputs; output c sums the
 * pseudo-diracs of the points of class c (one-hot y_n), the label is the
 * argmax, and a point where every output is 0 gets no label (abstention).
 * Neurons: 2·N·D + N + K (the lecture's 2·N·D + N + 1 for one output).
 * @example
 *   const mem = new Memorizer(train.x, train.y, { classes: 10 });
 *   mem.errorRate(test.x, test.y); // { error, abstained, rows }
 * @throws Error on non-finite or repeated points, mismatched lengths, bad
 *         labels, or a scale that would leave two points closer than 1.
 */
export class Memorizer {
  /** the training points, scaled: (N, D) f32 */
  readonly points: Matrix;
  /** the output unit each point feeds (its class; 0 with one output) */
  readonly cls: Int32Array;
  /** each point's output weight: y_n, or 1 for a class */
  readonly val: Float32Array;
  /** number of outputs C (classes, or 1) */
  readonly outputs: number;
  readonly classes: number | undefined;
  /** the scale s applied to every input */
  readonly scale: number;
  /** smallest L1 distance between two training points, before scaling */
  readonly minDistance: number;
  /** the two training points at that distance */
  readonly closestPair: [number, number];
  /** true when s = 1 on integer points: the lecture's construction, all exact */
  readonly integer: boolean;
  readonly kernels: Kernels;
  private base = 0;
  private readonly token = {};

  constructor(x: MatrixLike, y: ArrayLike<number>, o: MemorizerOptions = {}) {
    const where = 'new Memorizer';
    o = checkOptions(o, ['classes', 'scale', 'backend'], where);
    this.kernels = getKernels(o.backend ?? 'wasm', where);
    const { points, cls, val, C } = checkMemorizerData(x, y, o.classes, where);
    const N = points.rows, D = points.cols;

    // integer points keep the lecture's grid
    let integer = true;
    for (let k = 0; k < points.data.length && integer; k++) {
      const v = points.data[k];
      integer = Number.isInteger(v) && Math.abs(v) <= MAX_INTEGER_COORDINATE;
    }
    const { distance, pair } = minPairL1Distance(points, { backend: this.kernels });
    if (distance === 0) {
      throw new Error(`${where}: training points ${pair[0]} and ${pair[1]} are equal; the points must be distinct`);
    }
    if (integer) checkIntegerPoints(points, where);

    // the scale; for s != 1 the scaled f32 points are checked again, exactly
    const eps = scaleMargin(D), spec = o.scale ?? 'auto';
    let s: number;
    if (spec === 'auto') s = integer || N < 2 ? 1 : (1 + eps) / distance;
    else if (typeof spec === 'number' && Number.isFinite(spec) && spec > 0) s = spec;
    else throw new RangeError(`${where}: scale must be 'auto' or a positive finite number, got ${JSON.stringify(spec)}`);
    let scaled = points.data.slice();
    for (let attempt = 0; !(integer && s === 1) && N >= 2; attempt++) {
      s = Math.fround(s);
      scaled = new Float32Array(N * D);
      for (let k = 0; k < scaled.length; k++) {
        scaled[k] = s * points.data[k];
        if (!Number.isFinite(scaled[k])) throw new RangeError(`${where}: scale ${s} makes x[${Math.floor(k / D)}][${k % D}] overflow f32`);
      }
      const after = minPairL1Distance({ data: scaled, rows: N, cols: D }, { backend: this.kernels });
      if (after.distance >= 1 + eps) break;
      if (spec !== 'auto' || attempt === 8) {
        throw new RangeError(`${where}: scale ${s} leaves training points ${after.pair[0]} and ${after.pair[1]} at L1 distance ` +
          `${after.distance} (in f32); it must be at least 1 + ${eps.toExponential(2)} (about ${(1 + eps) / distance} for these points)`);
      }
      s *= (1 + eps) / after.distance * (1 + eps); // rounding of s·x took the margin: widen and redo
    }
    this.points = { data: scaled, rows: N, cols: D };
    this.cls = cls; this.val = val; this.outputs = C; this.classes = o.classes;
    this.scale = s; this.minDistance = distance; this.closestPair = pair;
    this.integer = integer && s === 1;

    // backend copy: q (N*D f32), cls (N i32), val (N f32)
    const k = this.kernels, qBytes = N * D * 4, vBytes = Math.ceil(N / 4) * 16;
    this.base = k.alloc(qBytes + 2 * vBytes);
    k.f32().set(scaled, this.base >>> 2);
    k.i32().set(cls, (this.base + qBytes) >>> 2);
    k.f32().set(val, (this.base + qBytes + vBytes) >>> 2);
    registry?.register(this, { k, ptr: this.base }, this.token);
  }

  /** Training points N. */
  get size(): number { return this.points.rows; }
  /** Input width D. */
  get inputs(): number { return this.points.cols; }
  /** Neurons of the equivalent dense net: 2·N·D + N + C. */
  get neurons(): number { return memorizerCounts(this.size, this.inputs, this.outputs).neurons.total; }
  /** Parameters of the equivalent dense net (weights and biases, zeros included). */
  get parameters(): number { return memorizerCounts(this.size, this.inputs, this.outputs).parameters; }
  /** Floats the structured form stores: N·D + N. */
  get storedFloats(): number { return memorizerCounts(this.size, this.inputs, this.outputs).storedFloats; }
  /** Neuron counts by layer, as the lecture counts them. */
  get counts() { return memorizerCounts(this.size, this.inputs, this.outputs); }

  /**
   * The outputs f(x) for every row of x (unscaled, as the training data were given).
   * @returns a (rows, C) Matrix
   * @throws Error on a shape mismatch or non-finite input, or after dispose().
   */
  predict(x: MatrixLike): Matrix {
    const where = 'Memorizer.predict';
    if (!this.base) throw new Error(`${where}: this memoriser was disposed`);
    const m = toMatrix(x, `${where} (x)`);
    const D = this.inputs, C = this.outputs, N = this.size;
    if (m.cols !== D) throw new Error(`${where}: x has ${m.cols} columns, the memoriser takes ${D} inputs`);
    const out = new Float32Array(m.rows * C);
    const k = this.kernels, qBytes = N * D * 4, vBytes = Math.ceil(N / 4) * 16;
    const rows = Math.min(CHUNK, m.rows);
    const buf = k.alloc(rows * D * 4 + Math.ceil((rows * C) / 4) * 16);
    try {
      const px = buf, pOut = buf + rows * D * 4;
      for (let from = 0; from < m.rows; from += rows) {
        const n = Math.min(rows, m.rows - from), f = k.f32(), x0 = px >>> 2;
        for (let e = 0; e < n * D; e++) f[x0 + e] = this.scale * m.data[from * D + e]; // f32 store rounds s·x
        k.memorizerForward(pOut, px, this.base, this.base + qBytes, this.base + qBytes + vBytes, n, N, D, C);
        out.set(k.f32().subarray(pOut >>> 2, (pOut >>> 2) + n * C), from * C);
      }
    } finally {
      k.free(buf);
    }
    return { data: out, rows: m.rows, cols: C };
  }

  /**
   * Labels: with classes, the argmax class, or -1 where every output is 0
   * (abstention); with one output, the sign (±1), or 0 where f(x) = 0.
   */
  predictLabels(x: MatrixLike): Int32Array {
    const s = this.predict(x), C = s.cols, out = new Int32Array(s.rows);
    for (let r = 0; r < s.rows; r++) {
      if (this.classes === undefined) { out[r] = Math.sign(s.data[r]); continue; }
      let best = -1, top = 0;
      for (let c = 0; c < C; c++) if (s.data[r * C + c] > top) { top = s.data[r * C + c]; best = c; }
      out[r] = best;
    }
    return out;
  }

  /**
   * The 0-1 error on (x, y), abstentions counted as errors, and the fraction of
   * rows where the memoriser abstained (output 0: no training point within
   * distance 1 after scaling). With one output, y is compared by sign.
   */
  errorRate(x: MatrixLike, y: ArrayLike<number>): { error: number; abstained: number; rows: number } {
    const where = 'Memorizer.errorRate';
    const labels = this.predictLabels(x);
    if (!y || y.length !== labels.length) throw new Error(`${where}: x has ${labels.length} rows but y has ${y?.length} labels`);
    const none = this.classes === undefined ? 0 : -1;
    let wrong = 0, abstained = 0;
    for (let r = 0; r < labels.length; r++) {
      if (labels[r] === none) { abstained++; wrong++; continue; }
      const want = this.classes === undefined ? Math.sign(y[r]) : y[r];
      if (labels[r] !== want) wrong++;
    }
    const rows = labels.length;
    return { error: rows ? wrong / rows : 0, abstained: rows ? abstained / rows : 0, rows };
  }

  /**
   * The same function as an ordinary dense Mlp D -> 2ND -> N -> C, the scale
   * folded into layer 1 (weights ±s, biases [-s·x_n; s·x_n]).
   * @throws RangeError with the would-be size when it has more than `maxParameters` (default 2^24).
   */
  toMlp(o: MemorizerNetOptions = {}): Mlp {
    return denseMemorizer(this.points, this.cls, this.val, this.outputs, this.scale,
      { backend: o.backend ?? this.kernels, maxParameters: o.maxParameters }, 'Memorizer.toMlp');
  }

  /** Frees the backend memory; the memoriser cannot predict afterwards. */
  dispose(): void {
    if (!this.base) return;
    registry?.unregister(this.token);
    this.kernels.free(this.base);
    this.base = 0;
  }
}
