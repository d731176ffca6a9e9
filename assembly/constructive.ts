// The lecture's universality construction, evaluated in its structured form.
// f(x) = sum_n y_n relu(1 - ||x - x_n||_1): layer 1 is the stacked blocks
// [I; -I] x + [-x_n; x_n] (2ND relu units), layer 2 sums each block with
// weight -1 and bias 1 (N relu units), the output weighs unit n by y_n. The
// dense matrices are never formed: each block is one |x - x_n| pass.
// Layout: row-major; x[b, j] at x + (b*D + j)*4, q[n, j] at q + (n*D + j)*4.
// Letters: B queries (b), N training points (n), D coordinates (j), C outputs.
// Nothing here validates: src/constructive/memorizer.ts checks first.

// Columns between two early-exit checks (a multiple of 4).
const CHECK = 32;

// Sum of the four lanes, always in the order (l0 + l1) + (l2 + l3).
@inline function lanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// Memoriser forward: out[b, cls[n]] += val[n] * relu(1 - sum_j |x[b, j] - q[n, j]|)
//   out (B, C) f32, overwritten
//   x   (B, D) f32, read: the queries, already scaled
//   q   (N, D) f32, read: the training points x_n, already scaled
//   cls (N)    i32, read: the output unit point n feeds (0 with one output)
//   val (N)    f32, read: its output weight (y_n, or 1 for a one-hot class)
// Early exit: the partial distance is checked every CHECK columns and the
// point skipped once it reaches 1. This is exact, not an approximation: each
// lane only grows (f32 addition of non-negative terms is monotone), so the
// full sum would be >= 1 too, and relu(1 - d) = 0 for d >= 1.
export function memorizerForward(out: usize, x: usize, q: usize, cls: usize, val: usize,
                                 B: i32, N: i32, D: i32, C: i32): void {
  memory.fill(out, 0, <usize>(B * C) << 2);
  const D4 = D & ~3; // columns below D4 go 4 lanes at a time, the rest in the tail
  for (let b = 0; b < B; b++) {
    const xRow = x + (<usize>(b * D) << 2);   // x[b, :]
    const outRow = out + (<usize>(b * C) << 2); // out[b, :]
    for (let n = 0; n < N; n++) {
      const qRow = q + (<usize>(n * D) << 2); // q[n, :]

      // 1. d = ||x[b, :] - q[n, :]||_1 (layer 1, summed by layer 2), 4 lanes
      let acc = f32x4.splat(0);
      let far = false;
      for (let j = 0; j < D4; j += 4) {
        const off = <usize>j << 2;
        acc = f32x4.add(acc, f32x4.abs(f32x4.sub(v128.load(xRow + off), v128.load(qRow + off))));
        if ((j + 4) % CHECK == 0 && lanes(acc) >= 1) { far = true; break; }
      }
      if (far) continue;
      let d = lanes(acc);

      // scalar tail: the last D % 4 columns
      for (let j = D4; j < D; j++) {
        d += Mathf.abs(load<f32>(xRow + (<usize>j << 2)) - load<f32>(qRow + (<usize>j << 2)));
      }

      // 2. layer 2: g = relu(1 - d); output: out[b, cls[n]] += val[n] * g
      if (d >= 1) continue;
      const at = outRow + (<usize>load<i32>(cls + (<usize>n << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(val + (<usize>n << 2)) * (1 - d));
    }
  }
}

// Smallest L1 distance between two distinct rows of x, in f64.
//   x     (N, D) f32, read
//   order (N)    i32, read: row indices sorted by increasing L1 norm
//   norm  (N)    f64, read: norm[k] = ||x[order[k], :]||_1
//   pair  (2)    i32, overwritten: the two row indices at the minimum
// Returns the minimum (+inf when N < 2). Every |a - b| of two f32 is exact in
// f64, and so is their sum while the coordinates span less than ~29 binary
// orders of magnitude (pixels, integers); otherwise it is within f64 rounding.
// Two exact shortcuts: by the triangle inequality ||x - y||_1 >= ||x||_1 - ||y||_1,
// so along the sorted norms the inner scan stops once the norm gap reaches
// the best distance; and one distance stops once its partial sum does.
export function l1MinPairDistance(x: usize, order: usize, norm: usize, pair: usize,
                                  N: i32, D: i32): f64 {
  let best = Infinity;
  const D4 = D & ~3;
  for (let k = 0; k < N && best > 0; k++) {
    const rowK = load<i32>(order + (<usize>k << 2));
    const xK = x + (<usize>(rowK * D) << 2); // x[order[k], :]
    const normK = load<f64>(norm + (<usize>k << 3));
    for (let m = k + 1; m < N; m++) {
      if (load<f64>(norm + (<usize>m << 3)) - normK >= best) break;
      const rowM = load<i32>(order + (<usize>m << 2));
      const xM = x + (<usize>(rowM * D) << 2); // x[order[m], :]

      // sum_j |x[k, j] - x[m, j]| in two f64x2 accumulators (low and high lanes)
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      let worse = false;
      for (let j = 0; j < D4; j += 4) {
        const off = <usize>j << 2;
        const a = v128.load(xK + off), c = v128.load(xM + off);
        lo = f64x2.add(lo, f64x2.abs(f64x2.sub(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(c))));
        const aHi = v128.shuffle<f32>(a, a, 2, 3, 0, 1), cHi = v128.shuffle<f32>(c, c, 2, 3, 0, 1);
        hi = f64x2.add(hi, f64x2.abs(f64x2.sub(f64x2.promote_low_f32x4(aHi), f64x2.promote_low_f32x4(cHi))));
        if ((j + 4) % CHECK == 0) {
          const part = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) +
                       (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
          if (part >= best) { worse = true; break; }
        }
      }
      if (worse) continue;
      let d = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) +
              (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));

      // scalar tail: the last D % 4 columns
      for (let j = D4; j < D; j++) {
        d += Math.abs(<f64>load<f32>(xK + (<usize>j << 2)) - <f64>load<f32>(xM + (<usize>j << 2)));
      }
      if (d < best) {
        best = d;
        store<i32>(pair, rowK);
        store<i32>(pair + 4, rowM);
      }
    }
  }
  return best;
}
