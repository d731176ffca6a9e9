// Plain TypeScript twins of assembly/constructive.ts: the same loops, the four
// SIMD lanes written out as four accumulators rounded like f32 (Math.fround),
// summed in the same order, so both backends give bit-identical results.
import type { JsMemory } from './memory.js';

const CHECK = 32; // columns between two early-exit checks, as in assembly/

// out[b, cls[n]] += val[n] * relu(1 - sum_j |x[b, j] - q[n, j]|); see assembly/constructive.ts.
export function memorizerForward(mem: JsMemory, out: number, x: number, q: number, cls: number,
                                 val: number, B: number, N: number, D: number, C: number): void {
  const f = mem.f32, ci = mem.i32, fr = Math.fround;
  const o0 = out >> 2, x0 = x >> 2, q0 = q >> 2, cls0 = cls >> 2, val0 = val >> 2;
  f.fill(0, o0, o0 + B * C);
  const D4 = D & ~3;
  for (let b = 0; b < B; b++) {
    const xRow = x0 + b * D, outRow = o0 + b * C;
    for (let n = 0; n < N; n++) {
      const qRow = q0 + n * D;

      // 1. d = ||x[b, :] - q[n, :]||_1, lane k holding the columns j = k mod 4
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0, far = false;
      for (let j = 0; j < D4; j += 4) {
        l0 = fr(l0 + Math.abs(fr(f[xRow + j] - f[qRow + j])));
        l1 = fr(l1 + Math.abs(fr(f[xRow + j + 1] - f[qRow + j + 1])));
        l2 = fr(l2 + Math.abs(fr(f[xRow + j + 2] - f[qRow + j + 2])));
        l3 = fr(l3 + Math.abs(fr(f[xRow + j + 3] - f[qRow + j + 3])));
        if ((j + 4) % CHECK === 0 && fr(fr(l0 + l1) + fr(l2 + l3)) >= 1) { far = true; break; }
      }
      if (far) continue;
      let d = fr(fr(l0 + l1) + fr(l2 + l3));

      // scalar tail
      for (let j = D4; j < D; j++) d = fr(d + Math.abs(fr(f[xRow + j] - f[qRow + j])));

      // 2. g = relu(1 - d), weighted into its output unit
      if (d >= 1) continue;
      const at = outRow + ci[cls0 + n];
      f[at] = fr(f[at] + fr(f[val0 + n] * fr(1 - d)));
    }
  }
}

// Smallest L1 distance between two rows of x, in f64; see assembly/constructive.ts.
export function l1MinPairDistance(mem: JsMemory, x: number, order: number, norm: number, pair: number,
                                  N: number, D: number): number {
  const f = mem.f32, ci = mem.i32, f64 = mem.f64;
  const x0 = x >> 2, ord0 = order >> 2, norm0 = norm >> 3, pair0 = pair >> 2;
  let best = Infinity;
  const D4 = D & ~3;
  for (let k = 0; k < N && best > 0; k++) {
    const rowK = ci[ord0 + k], xK = x0 + rowK * D, normK = f64[norm0 + k];
    for (let m = k + 1; m < N; m++) {
      if (f64[norm0 + m] - normK >= best) break;
      const rowM = ci[ord0 + m], xM = x0 + rowM * D;
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0, worse = false;
      for (let j = 0; j < D4; j += 4) {
        l0 += Math.abs(f[xK + j] - f[xM + j]);
        l1 += Math.abs(f[xK + j + 1] - f[xM + j + 1]);
        l2 += Math.abs(f[xK + j + 2] - f[xM + j + 2]);
        l3 += Math.abs(f[xK + j + 3] - f[xM + j + 3]);
        if ((j + 4) % CHECK === 0 && (l0 + l1) + (l2 + l3) >= best) { worse = true; break; }
      }
      if (worse) continue;
      let d = (l0 + l1) + (l2 + l3);
      for (let j = D4; j < D; j++) d += Math.abs(f[xK + j] - f[xM + j]);
      if (d < best) { best = d; ci[pair0] = rowK; ci[pair0 + 1] = rowM; }
    }
  }
  return best;
}
