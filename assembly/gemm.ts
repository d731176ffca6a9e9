// Matrix products for dense layers, in the "broadcast" form that suits f32x4:
//   C[m, n:n+8] += A[m, k] * Bm[k, n:n+8]   for k = 0..K-1
// C (M, N) and Bm (K, N) are row-major with unit column stride. A is read one
// scalar at a time, A[m, k] at a + (m*aRow + k*aCol)*4, so the same kernel
// serves X (aRow = K, aCol = 1) and a transposed dY (aRow = 1, aCol = M).
// Every pointer is a byte address of f32 data; counts are element counts.
// Inputs are validated by the TypeScript API before any call lands here.

// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  // relaxed_madd may fuse (one rounding) or not: the relaxed build is faster,
  // the plain build is bit-reproducible across engines.
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// K is cut in blocks of KC so that the Bm panel a micro-kernel sweeps
// (KC x 8 floats = 8 KiB) stays in L1 while every row block of A passes by.
const KC: i32 = 256;

// A[m, k] as a byte address.
// @ts-ignore: decorator
@inline function aAt(a: usize, aRow: i32, aCol: i32, m: i32, k: i32): usize {
  return a + (<usize>(m * aRow + k * aCol) << 2);
}

// C += A·Bm. C (M, N), A (M, K) with strides (aRow, aCol), Bm (K, N).
// If relu != 0, after the last K block also writes max(C, 0) to `act`
// (same layout as C): the activation fused into the write-back.
export function gemmAcc(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                        M: i32, N: i32, K: i32, act: usize): void {
  for (let k0 = 0; k0 < K; k0 += KC) {
    const k1 = min(k0 + KC, K);
    const last = k1 == K && act != 0;
    gemmBlock(c, a, aRow, aCol, bm, M, N, k0, k1, last ? act : 0);
  }
}

// One K block [k0, k1) of C += A·Bm, column strips of 8 outermost so that the
// Bm strip is reused by all rows of A.
function gemmBlock(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                   M: i32, N: i32, k0: i32, k1: i32, act: usize): void {
  const M4 = M & ~3;  // rows below M4 go four at a time, the rest one by one
  const N8 = N & ~7;  // columns below N8 go eight at a time (two f32x4)
  const N4 = N & ~3;  // then one f32x4, then scalars
  for (let n0 = 0; n0 < N8; n0 += 8) {
    for (let m0 = 0; m0 < M4; m0 += 4) micro4x8(c, a, aRow, aCol, bm, N, m0, n0, k0, k1, act);
    for (let m = M4; m < M; m++) micro1x8(c, a, aRow, aCol, bm, N, m, n0, k0, k1, act);
  }
  if (N4 > N8) {
    for (let m = 0; m < M; m++) micro1x4(c, a, aRow, aCol, bm, N, m, N8, k0, k1, act);
  }
  for (let n = N4; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const cAt = c + (<usize>(m * N + n) << 2); // C[m, n]
      let sum = load<f32>(cAt);
      for (let k = k0; k < k1; k++) {
        sum += load<f32>(aAt(a, aRow, aCol, m, k)) * load<f32>(bm + (<usize>(k * N + n) << 2));
      }
      store<f32>(cAt, sum);
      if (act != 0) store<f32>(act + (<usize>(m * N + n) << 2), max<f32>(sum, 0));
    }
  }
}

// The register block: C[m0:m0+4, n0:n0+8] in eight f32x4 accumulators.
// Per k: one splat per row of A, two loads of Bm, eight multiply-adds.
// @ts-ignore: decorator
@inline function micro4x8(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                          N: i32, m0: i32, n0: i32, k0: i32, k1: i32, act: usize): void {
  const rowBytes = <usize>N << 2;
  const c0 = c + (<usize>(m0 * N + n0) << 2); // C[m0, n0]
  const c1 = c0 + rowBytes, c2 = c1 + rowBytes, c3 = c2 + rowBytes;
  let x00 = v128.load(c0), x01 = v128.load(c0, 16);
  let x10 = v128.load(c1), x11 = v128.load(c1, 16);
  let x20 = v128.load(c2), x21 = v128.load(c2, 16);
  let x30 = v128.load(c3), x31 = v128.load(c3, 16);
  const aStep = <usize>aCol << 2;       // bytes from A[m, k] to A[m, k+1]
  const aRowBytes = <usize>aRow << 2;   // bytes from A[m, k] to A[m+1, k]
  let ak = aAt(a, aRow, aCol, m0, k0);  // A[m0, k]
  let bk = bm + (<usize>(k0 * N + n0) << 2); // Bm[k, n0]
  for (let k = k0; k < k1; k++) {
    const b0 = v128.load(bk), b1 = v128.load(bk, 16);
    const a0 = f32x4.splat(load<f32>(ak));
    const a1 = f32x4.splat(load<f32>(ak + aRowBytes));
    const a2 = f32x4.splat(load<f32>(ak + 2 * aRowBytes));
    const a3 = f32x4.splat(load<f32>(ak + 3 * aRowBytes));
    x00 = madd(a0, b0, x00); x01 = madd(a0, b1, x01);
    x10 = madd(a1, b0, x10); x11 = madd(a1, b1, x11);
    x20 = madd(a2, b0, x20); x21 = madd(a2, b1, x21);
    x30 = madd(a3, b0, x30); x31 = madd(a3, b1, x31);
    ak += aStep;
    bk += rowBytes;
  }
  v128.store(c0, x00); v128.store(c0, x01, 16);
  v128.store(c1, x10); v128.store(c1, x11, 16);
  v128.store(c2, x20); v128.store(c2, x21, 16);
  v128.store(c3, x30); v128.store(c3, x31, 16);
  if (act != 0) {
    // fused relu write-back into the activation buffer (same layout as C)
    const z = f32x4.splat(0);
    const d0 = act + (c0 - c);
    const d1 = d0 + rowBytes, d2 = d1 + rowBytes, d3 = d2 + rowBytes;
    v128.store(d0, f32x4.max(x00, z)); v128.store(d0, f32x4.max(x01, z), 16);
    v128.store(d1, f32x4.max(x10, z)); v128.store(d1, f32x4.max(x11, z), 16);
    v128.store(d2, f32x4.max(x20, z)); v128.store(d2, f32x4.max(x21, z), 16);
    v128.store(d3, f32x4.max(x30, z)); v128.store(d3, f32x4.max(x31, z), 16);
  }
}

// Row tail: C[m, n0:n0+8] for one row of A.
// @ts-ignore: decorator
@inline function micro1x8(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                          N: i32, m: i32, n0: i32, k0: i32, k1: i32, act: usize): void {
  const c0 = c + (<usize>(m * N + n0) << 2); // C[m, n0]
  let x0 = v128.load(c0), x1 = v128.load(c0, 16);
  const aStep = <usize>aCol << 2;
  let ak = aAt(a, aRow, aCol, m, k0);
  let bk = bm + (<usize>(k0 * N + n0) << 2);
  for (let k = k0; k < k1; k++) {
    const a0 = f32x4.splat(load<f32>(ak));
    x0 = madd(a0, v128.load(bk), x0);
    x1 = madd(a0, v128.load(bk, 16), x1);
    ak += aStep;
    bk += <usize>N << 2;
  }
  v128.store(c0, x0); v128.store(c0, x1, 16);
  if (act != 0) {
    const z = f32x4.splat(0);
    const d0 = act + (c0 - c);
    v128.store(d0, f32x4.max(x0, z)); v128.store(d0, f32x4.max(x1, z), 16);
  }
}

// Column tail: C[m, n0:n0+4] for one row of A.
// @ts-ignore: decorator
@inline function micro1x4(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                          N: i32, m: i32, n0: i32, k0: i32, k1: i32, act: usize): void {
  const c0 = c + (<usize>(m * N + n0) << 2);
  let x0 = v128.load(c0);
  const aStep = <usize>aCol << 2;
  let ak = aAt(a, aRow, aCol, m, k0);
  let bk = bm + (<usize>(k0 * N + n0) << 2);
  for (let k = k0; k < k1; k++) {
    x0 = madd(f32x4.splat(load<f32>(ak)), v128.load(bk), x0);
    ak += aStep;
    bk += <usize>N << 2;
  }
  v128.store(c0, x0);
  if (act != 0) v128.store(act + (c0 - c), f32x4.max(x0, f32x4.splat(0)));
}

// dst (cols, rows) = src (rows, cols)ᵀ, both row-major. Used to lay W out as
// Wᵀ for the forward product; costs rows*cols moves against B*rows*cols
// multiply-adds for the product that reads it.
export function transpose(dst: usize, src: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const srcRow = src + (<usize>(r * cols) << 2); // src[r, :]
    for (let q = 0; q < cols; q++) {
      store<f32>(dst + (<usize>(q * rows + r) << 2), load<f32>(srcRow + (<usize>q << 2)));
    }
  }
}

// A register-resident multiply-add loop: 8 independent f32x4 chains, `iters`
// rounds, no memory traffic. Its GFLOP/s is the practical SIMD ceiling that
// the benchmark compares the products against (2 flops per lane per madd).
export function peakProbe(iters: i32): f32 {
  let x0 = f32x4.splat(1), x1 = f32x4.splat(2), x2 = f32x4.splat(3), x3 = f32x4.splat(4);
  let x4 = f32x4.splat(5), x5 = f32x4.splat(6), x6 = f32x4.splat(7), x7 = f32x4.splat(8);
  let x8 = f32x4.splat(1), x9 = f32x4.splat(2);
  const m = f32x4.splat(0.999999), d = f32x4.splat(1e-7);
  for (let i = 0; i < iters; i++) {
    x0 = madd(x0, m, d); x1 = madd(x1, m, d); x2 = madd(x2, m, d); x3 = madd(x3, m, d);
    x4 = madd(x4, m, d); x5 = madd(x5, m, d); x6 = madd(x6, m, d); x7 = madd(x7, m, d);
    x8 = madd(x8, m, d); x9 = madd(x9, m, d);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(x0, x1), f32x4.add(x2, x3)),
                      f32x4.add(f32x4.add(x4, x5), f32x4.add(f32x4.add(x6, x7), f32x4.add(x8, x9))));
  return f32x4.extract_lane(s, 0);
}
