// The memoriser in structured form: the training points, their output weights
// and a scale, evaluated by one kernel (assembly/constructive.ts) without ever
// forming the dense matrices (for 10,000 MNIST images layer 1 alone would be
// 15.7M x 784 f32, ~49 GB; the structured form stores N·D + N floats).
// Real-valued data are scaled so that every two training points are at L1
// distance >= 1, the lecture's integer-grid condition; data far from the
// origin are first shifted by a per-feature offset (L1 distances do not
// change) so that f32 rounding of the scaled coordinates stays small; see `Memorizer`.
import { getKernels, arenaRegistry as registry, type Kernels } from '../backend/index.js';
import { toMatrix, F32_MAX, type Matrix, type MatrixLike } from '../matrix.js';
import { checkIntegerPoints, checkMemorizerData, denseMemorizer, memorizerCounts, parameterLimit, show, MAX_INTEGER_COORDINATE,
         type ConstructiveOptions, type DenseOptions } from './nets.js';
import type { Mlp } from '../mlp.js';
import { checkOptions } from '../options.js';

/** Options of {@link Memorizer}. */
export interface MemorizerOptions extends ConstructiveOptions {
  /** y are class indices 0..classes-1: one output per class, one-hot y_n, argmax.
   *  Default: one output and real y_n (±1 for the lecture's classification). */
  classes?: number;
  /** 'auto' (default): 1 for integer points, else about (1 + eps)/dmin; or a number. */
  scale?: 'auto' | number;
}

/** Margin on the scale that covers f32 rounding of the scaled coordinates and of an L1 sum over D terms. */
export function scaleMargin(D: number): number { return (2 * D + 8) * 2 ** -24; }

/** The smallest f32 >= v, for v > 0. */
function f32Up(v: number): number {
  const f = Math.fround(v);
  if (f >= v) return f;
  const b = Float32Array.of(f);
  new Int32Array(b.buffer)[0]++; // the next f32 above a positive one
  return b[0];
}

/** Bound on how much f32 rounding of s·(x - c) can shorten the L1 distance of two points whose
 *  shifted L1 norms are at most M, divided by s: each coordinate moves by at most 2^-24·|s·(x - c)|
 *  (one rounding to f32 after an f64 product), with a little room for the f64 steps. */
const roundingShift = (M: number) => 2 ** -23 * (1 + 2 ** -20) * M;

/** The smallest power of two s with s·d >= t (finite f32), or Infinity. */
function powerOfTwoScale(t: number, d: number): number {
  let s = 2 ** Math.ceil(Math.log2(t / d));
  if (!(s > 0 && s <= 2 ** 127)) return Infinity; // (also keeps the loops below finite)
  while (s * d < t) s *= 2;
  while (s / 2 * d >= t) s /= 2;
  return s > 0 && s <= 2 ** 127 ? s : Infinity;
}

const CHUNK = 256; // query rows per kernel call

// s·(x - offset) rounded to f32, or the index of the first value that overflows f32.
function shiftScale(points: Matrix, s: number, offset: Float32Array): Float32Array | number {
  const D = points.cols, x = points.data, out = new Float32Array(x.length);
  for (let k = 0; k < x.length; k++) {
    out[k] = s * (x[k] - offset[k % D]);
    if (!Number.isFinite(out[k])) return k;
  }
  return out;
}


/**
 * The smallest L1 distance between two rows of x, computed in f64 from the f32
 * values (exact for pixel-like or integer data), with the two row indices.
 * Fast: rows are scanned in order of their L1 norm and a pair is skipped once
 * the norm gap (a lower bound, by the triangle inequality) or its partial sum
 * reaches the best distance so far; both skips are exact.
 * @returns { distance: +Infinity when there are fewer than 2 rows, pair: [i, j] with i, j rows of x }
 */
export function minPairL1Distance(x: MatrixLike, o: ConstructiveOptions = {}): { distance: number; pair: [number, number] } {
  o = checkOptions(o, ['backend'], 'minPairL1Distance');
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

  // one block: x (N*D f32), order (N i32), norm (N f64), pair (2 i32); views after the alloc.
  // Every part starts on 16 bytes: the f64 norms must be 8-aligned, since the
  // f64 view indexes them by pn >> 3 while the kernel reads at pn itself
  const xBytes = Math.ceil((N * D) / 4) * 16, oBytes = Math.ceil(N / 4) * 16, nBytes = Math.ceil(N / 2) * 16;
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

// The scales to try, best first: { s, offset }. A given scale: itself (with the
// offset when it helps). 'auto': the bounded (1 + eps)/(dmin - rounding) and
// the exact power of two, the smaller first.
function scalePlans(points: Matrix, dmin: number, eps: number, spec: 'auto' | number): { s: number; offset: Float32Array }[] {
  const N = points.rows, D = points.cols, x = points.data;
  const lo = new Float64Array(D).fill(Infinity), hi = new Float64Array(D).fill(-Infinity);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < D; j++) { const v = x[n * D + j]; if (v < lo[j]) lo[j] = v; if (v > hi[j]) hi[j] = v; }
  }
  const mid = Float32Array.from(lo, (l, j) => (l + hi[j]) / 2);
  let M0 = 0, M1 = 0; // largest L1 norm of a point, as given and shifted by the midrange
  for (let n = 0; n < N; n++) {
    let a = 0, b = 0;
    for (let j = 0; j < D; j++) { const v = x[n * D + j]; a += Math.abs(v); b += Math.abs(v - mid[j]); }
    if (a > M0) M0 = a;
    if (b > M1) M1 = b;
  }
  const dLow = dmin * (1 - (D + 2) * 2 ** -52); // dmin is an f64 sum of D exact terms
  // shift only when the offset costs precision: rounding would widen s by more than 2^-10
  const shift = roundingShift(M0) > Math.max(roundingShift(M1), dLow * 2 ** -10);
  const offset = shift ? mid : new Float32Array(D);
  if (spec !== 'auto') return [{ s: Math.fround(spec), offset }];
  const target = (1 + eps) * (1 + 2 ** -40) + D * 2 ** -140; // what the exact re-measure must reach, with room
  const room = dLow - roundingShift(shift ? M1 : M0);
  const bounded = room > 0 ? f32Up(target / room) : Infinity;
  const pow2 = powerOfTwoScale(target, dmin);
  const plans = [{ s: bounded, offset }, { s: pow2, offset: new Float32Array(D) }].filter((p) => p.s <= F32_MAX);
  return plans.sort((p, q) => p.s - q.s);
}

/**
 * The lecture's memoriser f(x) = sum_n y_n relu(1 - ||s·x - s·x_n||_1), held
 * in structured form and evaluated exactly by a SIMD kernel.
 *
 * Scale s: integer points of magnitude <= 2^23 keep s = 1 (the lecture's grid;
 * every value is exact in f32). Otherwise every input is mapped to
 * s·(x - offset) in f32, where
 * - offset: 0, or, when the data sit far from the origin (so that f32
 *   rounding of s·x would matter), the per-feature midrange (min + max)/2;
 *   L1 distances do not change, and queries are shifted the same way;
 * - s = (1 + eps)/(dmin - 2^-23·M), rounded up to f32: dmin the smallest L1
 *   distance between two training points (computed exactly in f64),
 *   eps = (2D + 8)·2^-24 a margin covering the f32 rounding of an L1 sum,
 *   2^-23·M a bound on how much rounding s·(x - offset) to f32 can shorten
 *   a distance (M the largest L1 norm of a shifted point); or, when that is
 *   larger, the smallest power of two >= (1 + eps)/dmin with no offset (a
 *   power of two scales f32 values exactly).
 * The scaled f32 points are measured again, exactly, so every two scaled
 * training points are >= 1 + eps apart and the kernel sees them >= 1 apart.
 * Then f(x_n) = y_n exactly, and f(x) = 0 exactly wherever s·(x - offset) is
 * >= 1 from every scaled point. Only data whose closest pair is too close
 * for the spread of the coordinates to fit f32 at any scale are refused.
 *
 * Classes: with `classes: K` there are K outputs; output c sums the
 * pseudo-diracs of the points of class c (one-hot y_n), the label is the
 * argmax, and a point where every output is 0 gets no label (abstention).
 * Neurons: 2·N·D + N + K (the lecture's 2·N·D + N + 1 for one output).
 * @example
 *   const mem = new Memorizer(train.x, train.y, { classes: 10 });
 *   mem.errorRate(test.x, test.y); // { error, abstained, rows }
 * @throws Error on non-finite or repeated points, mismatched lengths, bad
 *         labels (or labels beyond f32), or a scale that would leave two
 *         points closer than 1 (the message says what to do).
 */
export class Memorizer {
  /** the training points, shifted and scaled: s·(x_n - offset), (N, D) f32 */
  readonly points: Matrix;
  /** the per-feature offset subtracted before scaling (all 0 unless the data sit far from the origin) */
  readonly offset: Float32Array;
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
  // the f32 training points as given, kept only when offset != 0 (toMlp needs them)
  private readonly raw: Float32Array | null;
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
      const row = Array.from(points.data.subarray(pair[0] * D, pair[0] * D + Math.min(D, 4))).join(', ') + (D > 4 ? ', ...' : '');
      throw new Error(`${where}: training points ${pair[0]} and ${pair[1]} are equal in f32 (both [${row}]); the points must be distinct. ` +
        'If they differ in your data only beyond the ~7 significant digits of f32, subtract a per-feature offset ' +
        '(e.g. the column mean) before passing them; otherwise drop the duplicates');
    }
    if (integer) checkIntegerPoints(points, where);

    // the scale (and offset); for s != 1 the scaled f32 points are checked again, exactly
    const eps = scaleMargin(D), spec = o.scale ?? 'auto';
    if (spec !== 'auto' && !(typeof spec === 'number' && spec > 0 && Math.fround(spec) > 0 && Math.fround(spec) <= F32_MAX)) {
      throw new RangeError(`${where}: scale must be 'auto' or a positive number that is finite in f32, got ${show(spec)}`);
    }
    let s = spec === 'auto' ? 1 : Math.fround(spec);
    let offset: Float32Array = new Float32Array(D), scaled: Float32Array = points.data.slice();
    if (!(integer && s === 1) && N >= 2) {
      const plans = scalePlans(points, distance, eps, spec);
      const overflow: string[] = [], close: string[] = [];
      let done = false;
      for (const plan of plans) {
        const v = shiftScale(points, plan.s, plan.offset);
        if (typeof v === 'number') {
          overflow.push(`scale ${plan.s} makes x[${Math.floor(v / D)}][${v % D}] = ${points.data[v]} overflow f32`);
          continue;
        }
        const after = minPairL1Distance({ data: v, rows: N, cols: D }, { backend: this.kernels });
        if (after.distance >= 1 + eps) { s = plan.s; offset = plan.offset; scaled = v; done = true; break; }
        close.push(`scale ${plan.s} leaves training points ${after.pair[0]} and ${after.pair[1]} at L1 distance ${after.distance} (in f32)`);
      }
      if (!done && spec !== 'auto') {
        const auto = scalePlans(points, distance, eps, 'auto')[0]?.s;
        const hint = `use scale: 'auto'${auto ? ` (about ${+auto.toPrecision(7)} for these points)` : ''}`;
        if (overflow.length) throw new RangeError(`${where}: ${overflow[0]}; ${hint}, or a smaller scale`);
        throw new RangeError(`${where}: ${close[0]}; it must be at least 1 + ${eps.toExponential(2)}: ${hint}, or a larger scale`);
      }
      if (!done) {
        const why = [...close, ...overflow];
        if (!why.length) why.push(`it would take a scale of about ${(1 + eps) / distance}, beyond f32`);
        throw new RangeError(`${where}: no f32 scale puts every two training points at L1 distance >= 1: the closest, ` +
          `${pair[0]} and ${pair[1]}, are ${distance} apart, too close for the range of the coordinates in f32 ` +
          `(${why.join('; ')}). Rescale the features (e.g. standardise each column), drop far-out points, ` +
          'or merge points that are nearly equal');
      }
    } else if (spec !== 'auto' && s !== 1) {
      const v = shiftScale(points, s, offset); // one point: nothing to separate, only to keep finite
      if (typeof v === 'number') throw new RangeError(`${where}: scale ${s} makes x[${Math.floor(v / D)}][${v % D}] overflow f32`);
      scaled = v;
    }
    const shifted = offset.some((c) => c !== 0);
    this.offset = offset;
    this.raw = shifted ? points.data.slice() : null;
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
        const s = this.scale, c = this.offset;
        for (let r = 0; r < n; r++) {
          const at = x0 + r * D, src = (from + r) * D;
          for (let j = 0; j < D; j++) f[at + j] = s * (m.data[src + j] - c[j]); // f32 store rounds, as for the training points
        }
        k.memorizerForward(pOut, px, this.base, this.base + qBytes, this.base + qBytes + vBytes, n, N, D, C);
        out.set(k.f32().subarray(pOut >>> 2, (pOut >>> 2) + n * C), from * C);
      }
    } finally {
      k.free(buf);
    }
    const bad = out.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new RangeError(`${where}: output ${bad % C} of row ${Math.floor(bad / C)} is ${out[bad]}: the labels of the training points ` +
        'within distance 1 of it add up beyond f32 (about 3.4e38); scale the labels down');
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
   * folded into layer 1 (weights ±s, biases [-s·x_n; s·x_n], s·x_n rounded to f32).
   * The dense layer 1 computes s·x in f32 without the offset; when the
   * structured form uses one, the unshifted scaled points are measured again
   * and a net whose rounding would bring two training points closer than 1 is refused.
   * @throws RangeError with the would-be size when it has more than `maxParameters` (default 2^24),
   *         or when the data sit too far from the origin for an exact dense form.
   */
  toMlp(o: DenseOptions = {}): Mlp {
    const where = 'Memorizer.toMlp';
    o = checkOptions(o, ['backend', 'maxParameters'], where);
    const N = this.size, D = this.inputs, limit = parameterLimit(o, where);
    let points = this.points;
    if (this.raw && memorizerCounts(N, D, this.outputs).parameters <= limit) { // (too large: denseMemorizer says so)
      const data = new Float32Array(N * D);
      let top = 0;
      for (let k = 0; k < data.length; k++) { data[k] = this.scale * this.raw[k]; top = Math.max(top, Math.abs(data[k])); }
      const eps = scaleMargin(D);
      const after = Number.isFinite(top) ? minPairL1Distance({ data, rows: N, cols: D }, { backend: this.kernels }) : null;
      if (!after || after.distance < 1 + eps) {
        throw new RangeError(`${where}: the dense net cannot memorise these points exactly: its layer 1 computes s·x in f32 ` +
          `without the offset the structured Memorizer subtracts, and at |s·x| up to ${top.toPrecision(3)} that rounding ` +
          (after ? `leaves training points ${after.pair[0]} and ${after.pair[1]} at L1 distance ${after.distance} (< 1 + ${eps.toExponential(2)})` : 'overflows f32') +
          '. Subtract a per-feature offset from the data (e.g. x - mean of each column) before building, or use the structured Memorizer');
      }
      points = { data, rows: N, cols: D };
    }
    return denseMemorizer(points, this.cls, this.val, this.outputs, this.scale,
      { backend: o.backend ?? this.kernels, maxParameters: limit }, where);
  }

  /** Frees the backend memory; the memoriser cannot predict afterwards. */
  dispose(): void {
    if (!this.base) return;
    registry?.unregister(this.token);
    this.kernels.free(this.base);
    this.base = 0;
  }
}
