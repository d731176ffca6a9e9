// The plain TypeScript backend: the same kernels as the wasm core, with the
// same names, arguments and loop order, written as the naive reference (no
// blocking, no SIMD). Pointers are byte offsets into a JsMemory; `>> 2` turns
// an f32 byte offset into a Float32Array index, `>> 3` an f64 one.
// Layout conventions: assembly/dense.ts, assembly/plan.ts.
import type { Kernels } from '../types.js';
import { JsMemory } from './memory.js';
import { act, actGrad, sigmoid, softplus1, toF32 } from './math.js';
import * as P from '../../plan-words.js';
import { nextU32At } from '../../rng.js';
import * as constructive from './constructive.js';
import { svmSolve } from './svm.js';

const IDENTITY = 0, RELU = 1, TANH = 2, SIGMOID = 3, PRELU = 9, RRELU = 11;
const MSE = 0, HINGE = 1, CROSS_ENTROPY = 2, SQUARED_HINGE = 3, LOGISTIC = 4, BCE = 5;
const MULTI_MARGIN = 6, MC_HINGE_WW = 7, MC_HINGE_CS = 8;
const SGD = 0, ADAGRAD = 1, ADADELTA = 2, RMSPROP = 3, ADAM = 4, ADAMW = 5;

export class JsKernels implements Kernels {
  readonly name = 'js' as const;
  readonly mem = new JsMemory();

  alloc(bytes: number): number { return this.mem.alloc(bytes); }
  free(ptr: number): void { this.mem.free(ptr); }
  f32(): Float32Array { return this.mem.f32; }
  i32(): Int32Array { return this.mem.i32; }
  u32(): Uint32Array { return this.mem.u32; }
  f64(): Float64Array { return this.mem.f64; }

  // C[m, n] += sum_k A[m, k] * Bm[k, n]; A[m, k] at a + (m*aRow + k*aCol)*4.
  gemmAcc(c: number, a: number, aRow: number, aCol: number, bm: number,
          M: number, N: number, K: number, actPtr: number): void {
    const f = this.mem.f32, c0 = c >> 2, a0 = a >> 2, b0 = bm >> 2, d0 = actPtr >> 2;
    for (let m = 0; m < M; m++) {
      for (let k = 0; k < K; k++) {
        const amk = f[a0 + m * aRow + k * aCol];
        const bRow = b0 + k * N, cRow = c0 + m * N;
        for (let n = 0; n < N; n++) f[cRow + n] += amk * f[bRow + n];
      }
      if (actPtr) for (let n = 0; n < N; n++) f[d0 + m * N + n] = Math.max(f[c0 + m * N + n], 0);
    }
  }

  transpose(dst: number, src: number, rows: number, cols: number): void {
    const f = this.mem.f32, d = dst >> 2, s = src >> 2;
    for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) f[d + q * rows + r] = f[s + r * cols + q];
  }

  // y[b, i] = bias[i] + sum_j x[b, j] * w[i, j]; `wt` is unused (no packing here).
  denseForward(y: number, x: number, w: number, bias: number, _wt: number,
               B: number, nIn: number, nOut: number, actPtr: number): void {
    const f = this.mem.f32, y0 = y >> 2, x0 = x >> 2, w0 = w >> 2, bias0 = bias >> 2, a0 = actPtr >> 2;
    for (let b = 0; b < B; b++) {
      const xRow = x0 + b * nIn;
      for (let i = 0; i < nOut; i++) {
        const wRow = w0 + i * nIn;
        let sum = 0;
        for (let j = 0; j < nIn; j++) sum += f[xRow + j] * f[wRow + j];
        const v = Math.fround(f[bias0 + i] + Math.fround(sum));
        f[y0 + b * nOut + i] = v;
        if (actPtr) f[a0 + b * nOut + i] = Math.max(v, 0);
      }
    }
  }

  // dW += dYᵀ·X, dBias += column sums of dY, dX = dY·W (skipped if dX == 0).
  denseBackward(dX: number, dW: number, dBias: number, dY: number, x: number, w: number,
                B: number, nIn: number, nOut: number): void {
    const f = this.mem.f32, dx0 = dX >> 2, dw0 = dW >> 2, db0 = dBias >> 2, dy0 = dY >> 2;
    const x0 = x >> 2, w0 = w >> 2;
    if (dX) f.fill(0, dx0, dx0 + B * nIn);
    for (let b = 0; b < B; b++) {
      const xRow = x0 + b * nIn, dxRow = dx0 + b * nIn;
      for (let i = 0; i < nOut; i++) {
        const g = f[dy0 + b * nOut + i];
        f[db0 + i] += g;
        const dwRow = dw0 + i * nIn, wRow = w0 + i * nIn;
        for (let j = 0; j < nIn; j++) f[dwRow + j] += g * f[xRow + j];
        if (dX) for (let j = 0; j < nIn; j++) f[dxRow + j] += g * f[wRow + j];
      }
    }
  }

  activationForward(id: number, a: number, y: number, n: number, p0: number, p1: number): void {
    const f = this.mem.f32, a0 = a >> 2, y0 = y >> 2;
    p0 = Math.fround(p0); p1 = Math.fround(p1);
    for (let k = 0; k < n; k++) {
      const x = f[y0 + k];
      // an infinite pre-activation (an overflowing layer) stays infinite
      const v = act(id, x, p0, p1);
      f[a0 + k] = Number.isFinite(x) ? toF32(v) : v;
    }
  }

  activationBackward(id: number, dY: number, dA: number, y: number, a: number,
                     n: number, p0: number, p1: number): void {
    const f = this.mem.f32, d0 = dY >> 2, g0 = dA >> 2, y0 = y >> 2, a0 = a >> 2;
    p0 = Math.fround(p0); p1 = Math.fround(p1);
    if (id === TANH || id === SIGMOID) {
      // f' from the stored output, in f32 like the wasm lanes
      for (let k = 0; k < n; k++) {
        const av = f[a0 + k];
        const d = id === TANH ? Math.fround(1 - Math.fround(av * av)) : Math.fround(av * Math.fround(1 - av));
        f[d0 + k] = f[g0 + k] * d;
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      const x = f[y0 + k];
      const fx = 0;
      f[d0 + k] = f[g0 + k] * actGrad(id, x, fx, p0, p1);
    }
  }

  preluForward(a: number, y: number, slope: number, B: number, nOut: number, nSlope: number): void {
    const f = this.mem.f32, a0 = a >> 2, y0 = y >> 2, s0 = slope >> 2;
    for (let b = 0; b < B; b++) for (let i = 0; i < nOut; i++) {
      const x = f[y0 + b * nOut + i];
      f[a0 + b * nOut + i] = x > 0 ? x : f[s0 + (nSlope === 1 ? 0 : i)] * x;
    }
  }

  preluBackward(dY: number, dSlope: number, dA: number, y: number, slope: number,
                B: number, nOut: number, nSlope: number): void {
    const f = this.mem.f32, d0 = dY >> 2, ds0 = dSlope >> 2, g0 = dA >> 2, y0 = y >> 2, s0 = slope >> 2;
    for (let b = 0; b < B; b++) for (let i = 0; i < nOut; i++) {
      const k = b * nOut + i, si = nSlope === 1 ? 0 : i;
      const x = f[y0 + k], g = f[g0 + k];
      if (x > 0) f[d0 + k] = g;
      else { f[ds0 + si] += g * x; f[d0 + k] = g * f[s0 + si]; }
    }
  }

  lossForward(id: number, dS: number, s: number, t: number, B: number, C: number,
              reduction: number, p0: number, p1: number): number {
    return lossRows(this.mem.f32, id, dS ? dS >> 2 : -1, s >> 2, t >> 2, B, C, reduction, p0, p1);
  }

  errorCount(kind: number, s: number, t: number, B: number, C: number): number {
    const f = this.mem.f32, s0 = s >> 2, t0 = t >> 2;
    const argmax = (row: number) => {
      let best = 0, bestV = f[row];
      for (let i = 1; i < C; i++) if (f[row + i] > bestV) { bestV = f[row + i]; best = i; }
      return best;
    };
    let errors = 0;
    for (let b = 0; b < B; b++) {
      const sRow = s0 + b * C;
      if (kind === 0) { if (f[t0 + b] * f[sRow] <= 0) errors++; }
      else if (kind === 3) {
        for (let i = 0; i < C; i++) if ((f[sRow + i] > 0) !== (f[t0 + b * C + i] > 0.5)) errors++;
      } else {
        const label = kind === 1 ? f[t0 + b] | 0 : argmax(t0 + b * C);
        if (argmax(sRow) !== label) errors++;
      }
    }
    return errors;
  }

  optimStep(id: number, p: number, g: number, state: number, n: number, hp: number, t: number): void {
    const f = this.mem.f32, h = this.mem.f64, h0 = hp >> 3;
    const p0 = p >> 2, g0 = g >> 2, s0 = state >> 2, s1 = s0 + n, s2 = s0 + 2 * n;
    const lr = h[h0];
    switch (id) {
      case SGD: {
        const mu = h[h0 + 1], damp = h[h0 + 2], nesterov = h[h0 + 3] !== 0, wd = h[h0 + 4];
        if (mu === 0 && wd === 0) {
          const lr32 = Math.fround(lr);
          for (let k = 0; k < n; k++) f[p0 + k] = f[p0 + k] - Math.fround(lr32 * f[g0 + k]);
          break;
        }
        for (let k = 0; k < n; k++) {
          let d = f[g0 + k] + wd * f[p0 + k];
          if (mu !== 0) {
            const buf = t === 1 ? d : mu * f[s0 + k] + (1 - damp) * d;
            f[s0 + k] = buf;
            d = nesterov ? d + mu * buf : buf;
          }
          f[p0 + k] = f[p0 + k] - lr * d;
        }
        break;
      }
      case ADAGRAD: {
        const clr = lr / (1 + (t - 1) * h[h0 + 1]), wd = h[h0 + 2], init = h[h0 + 3], eps = h[h0 + 4];
        for (let k = 0; k < n; k++) {
          const d = f[g0 + k] + wd * f[p0 + k];
          const sum = (t === 1 ? init : f[s0 + k]) + d * d;
          f[s0 + k] = sum;
          f[p0 + k] = f[p0 + k] - clr * d / (Math.sqrt(sum) + eps);
        }
        break;
      }
      case ADADELTA: {
        const rho = h[h0 + 1], eps = h[h0 + 2], wd = h[h0 + 3];
        for (let k = 0; k < n; k++) {
          const d = f[g0 + k] + wd * f[p0 + k];
          const v = rho * f[s0 + k] + (1 - rho) * d * d;
          const u = f[s1 + k];
          const delta = Math.sqrt(u + eps) / Math.sqrt(v + eps) * d;
          f[s0 + k] = v;
          f[s1 + k] = rho * u + (1 - rho) * delta * delta;
          f[p0 + k] = f[p0 + k] - lr * delta;
        }
        break;
      }
      case RMSPROP: {
        const alpha = h[h0 + 1], eps = h[h0 + 2], wd = h[h0 + 3], mu = h[h0 + 4], centered = h[h0 + 5] !== 0;
        for (let k = 0; k < n; k++) {
          const d = f[g0 + k] + wd * f[p0 + k];
          const v = alpha * f[s0 + k] + (1 - alpha) * d * d;
          f[s0 + k] = v;
          let avg: number;
          if (centered) {
            const ga = alpha * f[s2 + k] + (1 - alpha) * d;
            f[s2 + k] = ga;
            avg = Math.sqrt(v - ga * ga) + eps;
          } else avg = Math.sqrt(v) + eps;
          if (mu > 0) {
            const buf = mu * f[s1 + k] + d / avg;
            f[s1 + k] = buf;
            f[p0 + k] = f[p0 + k] - lr * buf;
          } else f[p0 + k] = f[p0 + k] - lr * d / avg;
        }
        break;
      }
      case ADAM: case ADAMW: {
        const b1 = h[h0 + 1], b2 = h[h0 + 2], eps = h[h0 + 3], wd = h[h0 + 4], amsgrad = h[h0 + 5] !== 0;
        const bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
        const stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
        for (let k = 0; k < n; k++) {
          let x = f[p0 + k], d = f[g0 + k];
          if (id === ADAMW) x *= 1 - lr * wd;
          else d += wd * x;
          const m = b1 * f[s0 + k] + (1 - b1) * d;
          const v = b2 * f[s1 + k] + (1 - b2) * d * d;
          f[s0 + k] = m; f[s1 + k] = v;
          let vUse = v;
          if (amsgrad) { vUse = Math.max(f[s2 + k], v); f[s2 + k] = vUse; }
          f[p0 + k] = x - stepSize * m / (Math.sqrt(vUse) / bc2Sqrt + eps);
        }
        break;
      }
    }
  }

  // --- whole steps, mirroring assembly/train.ts ---------------------------------

  forward(plan: number, rows: number): void {
    const w = this.mem.i32, f = this.mem.f32, q = plan >> 2;
    const L = w[q + P.P_L], training = w[q + P.P_TRAINING] !== 0, wt = w[q + P.P_WT];
    let input = w[q + P.P_X];
    for (let l = 0; l < L; l++) {
      const base = q + P.P_LAYERS + l * P.LAYER_WORDS;
      const nIn = w[base + P.L_NIN], nOut = w[base + P.L_NOUT], id = w[base + P.L_ACT];
      const p0 = f[base + P.L_P0], p1 = f[base + P.L_P1];
      const y = w[base + P.L_Y], a = w[base + P.L_A], n = rows * nOut;
      this.denseForward(y, input, w[base + P.L_W], w[base + P.L_BIAS], wt, rows, nIn, nOut, id === RELU ? a : 0);
      if (id === PRELU) this.preluForward(a, y, w[base + P.L_SLOPE], rows, nOut, w[base + P.L_NSLOPE]);
      else if (id === RRELU) {
        if (training) this.rreluForward(a, y, w[base + P.L_NOISE], n, p0, p1, plan + P.P_RNG * 4);
        else this.activationForward(RRELU, a, y, n, Math.fround((p0 + p1) / 2), 0);
      } else if (id !== RELU && id !== IDENTITY) this.activationForward(id, a, y, n, p0, p1);
      input = a;
    }
  }

  rreluForward(a: number, y: number, noise: number, n: number, lower: number, upper: number, rng: number): void {
    const f = this.mem.f32, a0 = a >> 2, y0 = y >> 2, z0 = noise >> 2;
    lower = Math.fround(lower); upper = Math.fround(upper); // f32 arguments, as the wasm export
    for (let k = 0; k < n; k++) {
      const x = f[y0 + k];
      let r = 1;
      if (x <= 0) r = Math.fround(lower + Math.fround(Math.fround(upper - lower) * ((nextU32At(this.mem.u32, rng >> 2) >>> 8) / 16777216)));
      f[z0 + k] = r;
      f[a0 + k] = x * r;
    }
  }

  trainStep(plan: number, rows: number, update: number): number {
    const w = this.mem.i32, f = this.mem.f32, q = plan >> 2;
    const L = w[q + P.P_L], C = w[q + P.P_C];
    f.fill(0, w[q + P.P_GRADS] >> 2, (w[q + P.P_GRADS] >> 2) + w[q + P.P_NPARAMS]);

    // 1. forward
    w[q + P.P_TRAINING] = 1;
    this.forward(plan, rows);

    // 2. loss and dLoss/dScores
    const last = q + P.P_LAYERS + (L - 1) * P.LAYER_WORDS;
    let dA = w[q + P.P_DA0], dNext = w[q + P.P_DA1];
    const loss = this.lossForward(w[q + P.P_LOSS], dA, w[last + P.L_A], w[q + P.P_TARGET], rows, C,
      w[q + P.P_REDUCTION], f[q + P.P_LOSS_P0], f[q + P.P_LOSS_P1]);

    // 3. backward
    for (let l = L - 1; l >= 0; l--) {
      const base = q + P.P_LAYERS + l * P.LAYER_WORDS;
      const nIn = w[base + P.L_NIN], nOut = w[base + P.L_NOUT], id = w[base + P.L_ACT];
      const y = w[base + P.L_Y], a = w[base + P.L_A], n = rows * nOut;
      if (id === PRELU) {
        this.preluBackward(dA, w[base + P.L_DSLOPE], dA, y, w[base + P.L_SLOPE], rows, nOut, w[base + P.L_NSLOPE]);
      } else if (id === RRELU) {
        const d0 = dA >> 2, z0 = w[base + P.L_NOISE] >> 2;
        for (let k = 0; k < n; k++) f[d0 + k] *= f[z0 + k];
      } else {
        this.activationBackward(id, dA, dA, y, a, n, f[base + P.L_P0], f[base + P.L_P1]);
      }
      const save = w[base + P.L_DYSAVE];
      if (save) f.copyWithin(save >> 2, dA >> 2, (dA >> 2) + n);
      const input = l === 0 ? w[q + P.P_X] : w[base - P.LAYER_WORDS + P.L_A];
      this.denseBackward(l === 0 ? 0 : dNext, w[base + P.L_DW], w[base + P.L_DBIAS], dA, input, w[base + P.L_W], rows, nIn, nOut);
      const swap = dA; dA = dNext; dNext = swap;
    }

    // 4. update, with a backup to take back an update that overflows
    w[q + P.P_STATUS] = P.STATUS_OK;
    if (!Number.isFinite(loss)) w[q + P.P_STATUS] = P.STATUS_BAD_LOSS;
    else if (update !== 0) {
      const p0 = w[q + P.P_PARAMS] >> 2, n = w[q + P.P_NPARAMS], b0 = w[q + P.P_BACKUP] >> 2;
      f.copyWithin(b0, p0, p0 + n);
      const t = w[q + P.P_T] + 1;
      w[q + P.P_T] = t;
      this.optimStep(w[q + P.P_OPTIM], w[q + P.P_PARAMS], w[q + P.P_GRADS], w[q + P.P_STATE], n, w[q + P.P_HP], t);
      let finite = true;
      for (let j = 0; j < n && finite; j++) finite = Number.isFinite(f[p0 + j]);
      if (!finite) { f.copyWithin(p0, b0, b0 + n); w[q + P.P_STATUS] = P.STATUS_BAD_UPDATE; }
    }
    return loss;
  }

  evaluate(plan: number, rows: number): number {
    const w = this.mem.i32, f = this.mem.f32, q = plan >> 2;
    w[q + P.P_TRAINING] = 0;
    this.forward(plan, rows);
    const last = q + P.P_LAYERS + (w[q + P.P_L] - 1) * P.LAYER_WORDS;
    const s = w[last + P.L_A], t = w[q + P.P_TARGET], C = w[q + P.P_C];
    const loss = this.lossForward(w[q + P.P_LOSS], 0, s, t, rows, C, w[q + P.P_REDUCTION], f[q + P.P_LOSS_P0], f[q + P.P_LOSS_P1]);
    w[q + P.P_ERRORS] = this.errorCount(w[q + P.P_ERROR_KIND], s, t, rows, C);
    return loss;
  }

  predict(plan: number, rows: number): void {
    this.mem.i32[(plan >> 2) + P.P_TRAINING] = 0;
    this.forward(plan, rows);
  }

  peakFlopsPerIter(): number { return 20; }

  peakProbe(iters: number): number {
    // the scalar version of assembly/gemm.ts peakProbe: 10 chains of one lane
    let x0 = 1, x1 = 2, x2 = 3, x3 = 4, x4 = 5, x5 = 6, x6 = 7, x7 = 8, x8 = 1, x9 = 2;
    const m = 0.999999, d = 1e-7;
    for (let i = 0; i < iters; i++) {
      x0 = x0 * m + d; x1 = x1 * m + d; x2 = x2 * m + d; x3 = x3 * m + d; x4 = x4 * m + d;
      x5 = x5 * m + d; x6 = x6 * m + d; x7 = x7 * m + d; x8 = x8 * m + d; x9 = x9 * m + d;
    }
    return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9;
  }
  memorizerForward(out: number, x: number, q: number, cls: number, val: number,
                   B: number, N: number, D: number, C: number): void {
    constructive.memorizerForward(this.mem, out, x, q, cls, val, B, N, D, C);
  }
  l1MinPairDistance(x: number, order: number, norm: number, pair: number, N: number, D: number): number {
    return constructive.l1MinPairDistance(this.mem, x, order, norm, pair, N, D);
  }

  svmSolve(x: number, y: number, alpha: number, w: number, F: number, sq: number,
           up: number, low: number, work: number, stats: number,
           n: number, d: number, C: number, tol: number, maxIter: number): number {
    return svmSolve(this.mem.f64, this.mem.i32, x, y, alpha, w, F, sq, up, low, work, stats, n, d, C, tol, maxIter);
  }
}

// The loss kernel on any float array (element indices, not bytes): the JS
// backend runs it on its f32 memory, gradCheck on f64 copies. d0 < 0: no
// gradient. Returns the reduced loss; see assembly/losses.ts.
export function lossRows(f: Float32Array | Float64Array, id: number, d0: number, s0: number, t0: number,
                         B: number, C: number, reduction: number, p0: number, p1: number): number {
  const dS = d0 >= 0;
  const elementwise = id === MSE || id === BCE;
  const scale = reduction === 0 ? 1 : 1 / (elementwise ? B * C : B);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const sRow = s0 + b * C, dRow = d0 + b * C;
    if (elementwise) {
      const tRow = t0 + b * C;
      for (let i = 0; i < C; i++) {
        const fi = f[sRow + i], y = f[tRow + i];
        let g: number;
        if (id === MSE) { total += (fi - y) * (fi - y); g = 2 * (fi - y); }
        else { total += softplus1(fi) - fi * y; g = sigmoid(fi) - y; }
        if (dS) f[dRow + i] = g * scale;
      }
    } else if (id === HINGE || id === SQUARED_HINGE || id === LOGISTIC) {
      const y = f[t0 + b], z = y * f[sRow];
      let g = 0;
      if (id === HINGE) { if (!(z >= 1)) { total += 1 - z; g = -y; } } // NaN scores: NaN loss
      else if (id === SQUARED_HINGE) { if (!(z >= 1)) { total += (1 - z) * (1 - z); g = -2 * y * (1 - z); } }
      else { total += softplus1(-z); g = -y * sigmoid(-z); }
      if (dS) f[dRow] = g * scale;
    } else if (id === CROSS_ENTROPY) {
      const y = f[t0 + b] | 0;
      let m = -Infinity;
      for (let i = 0; i < C; i++) m = Math.max(m, f[sRow + i]);
      let z = 0;
      for (let i = 0; i < C; i++) z += Math.exp(f[sRow + i] - m);
      const lse = m + Math.log(z);
      total += lse - f[sRow + y];
      if (dS) for (let i = 0; i < C; i++) f[dRow + i] = (Math.exp(f[sRow + i] - lse) - (i === y ? 1 : 0)) * scale;
    } else {
      const y = f[t0 + b] | 0, fy = f[sRow + y];
      if (dS) f.fill(0, dRow, dRow + C);
      if (id === MC_HINGE_CS) {
        let jStar = -1, fj = -Infinity;
        for (let j = 0; j < C; j++) {
          if (j === y) continue;
          const v = f[sRow + j];
          if (v > fj || v !== v) { fj = v; jStar = j; if (v !== v) break; } // a NaN score wins: NaN loss
        }
        const v = 1 + fj - fy;
        if (!(v <= 0) && jStar >= 0) {
          total += v;
          if (dS) { f[dRow + jStar] = scale; f[dRow + y] = -scale; }
        }
      } else {
        const pw = id === MULTI_MARGIN ? Math.round(p0) : 1;
        const margin = id === MULTI_MARGIN ? Math.fround(p1) : 1, div = id === MULTI_MARGIN ? C : 1;
        let gy = 0;
        for (let j = 0; j < C; j++) {
          if (j === y) continue;
          const v = margin - fy + f[sRow + j];
          if (!(v <= 0)) { // NaN scores give a NaN loss
            total += (pw === 2 ? v * v : v) / div;
            const g = (pw === 2 ? 2 * v : 1) / div;
            gy -= g;
            if (dS) f[dRow + j] = g * scale;
          }
        }
        if (dS) f[dRow + y] = gy * scale;
      }
    }
  }
  return total * scale;
}
