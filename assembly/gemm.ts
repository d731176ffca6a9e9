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

// Cache blocking, for products big enough to pay for packing (the BLIS loop
// order): K in blocks of KC, N in panels of NC columns, M in blocks of MC rows.
// One Bm panel (KC x NC) is packed strip by strip into PACKED_B (256 KiB, L2),
// one A block (MC x KC) into PACKED_A (64 KiB); the micro-kernel then streams
// a KC x 8 strip of Bm (8 KiB, L1) against four rows of A, both contiguous.
// Packing also removes the strides: every orientation runs the same loop.
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 256;

// Reserved when the module starts, so that no product ever allocates.
//   PACKED_A[g][k][r] = A[m0 + 4g + r, k0 + k]     (r = 0..3)
//   PACKED_B[s][k][q] = Bm[k0 + k, n0 + 8s + q]    (q = 0..7)
const PACKED_A: usize = heap.alloc(<usize>(MC * KC) << 2);
const PACKED_B: usize = heap.alloc(<usize>(KC * NC) << 2);

// Below this many multiply-adds, or for fewer than 32 columns, the product
// reads A and Bm in place (tiny nets: packing would cost as much as the math).
const PACK_MIN_WORK: i32 = 64 * 64 * 64;

// A[m, k] as a byte address.
// @ts-ignore: decorator
@inline function aAt(a: usize, aRow: i32, aCol: i32, m: i32, k: i32): usize {
  return a + (<usize>(m * aRow + k * aCol) << 2);
}

// C += A·Bm. C (M, N), A (M, K) with strides (aRow, aCol), Bm (K, N).
// If act != 0, after the last K block also writes max(C, 0) to `act`
// (same layout as C): the relu fused into the write-back.
export function gemmAcc(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                        M: i32, N: i32, K: i32, act: usize): void {
  const packed = N >= 32 && M >= 4 && M * N * K >= PACK_MIN_WORK;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const k1 = min(k0 + KC, K);
    const last = k1 == K ? act : 0;
    if (!packed) {
      gemmInPlace(c, a, aRow, aCol, bm, M, N, k0, k1, last);
      continue;
    }
    for (let n0 = 0; n0 < N; n0 += NC) {
      const nc = min(NC, N - n0);
      packB(bm, N, n0, nc & ~7, k0, k1);
      for (let m0 = 0; m0 < M; m0 += MC) {
        const mc = min(MC, M - m0);
        packA(a, aRow, aCol, m0, mc & ~3, k0, k1);
        gemmPacked(c, a, aRow, aCol, bm, N, m0, mc, n0, nc, k0, k1, last);
      }
    }
  }
}

// Rows [m0, m0+mc4) and columns [k0, k1) of A into PACKED_A.
function packA(a: usize, aRow: i32, aCol: i32, m0: i32, mc4: i32, k0: i32, k1: i32): void {
  const kc = k1 - k0, rowStep = <usize>aRow << 2;
  for (let g = 0; g < mc4; g += 4) {
    let dst = PACKED_A + (<usize>(g * kc) << 2); // PACKED_A[g/4][0][0]
    for (let k = k0; k < k1; k++) {
      const src = aAt(a, aRow, aCol, m0 + g, k);  // A[m0+g, k]
      store<f32>(dst, load<f32>(src));
      store<f32>(dst, load<f32>(src + rowStep), 4);
      store<f32>(dst, load<f32>(src + 2 * rowStep), 8);
      store<f32>(dst, load<f32>(src + 3 * rowStep), 12);
      dst += 16;
    }
  }
}

// Columns [n0, n0+nc8) and rows [k0, k1) of Bm (row length N) into PACKED_B.
function packB(bm: usize, N: i32, n0: i32, nc8: i32, k0: i32, k1: i32): void {
  const kc = k1 - k0;
  for (let s = 0; s < nc8; s += 8) {
    let dst = PACKED_B + (<usize>(s * kc) << 2); // PACKED_B[s/8][0][0]
    let src = bm + (<usize>(k0 * N + n0 + s) << 2);
    for (let k = k0; k < k1; k++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      dst += 32;
      src += <usize>N << 2;
    }
  }
}

// One packed block: C[m0:m0+mc, n0:n0+nc] += A[m0:m0+mc, k0:k1]·Bm[k0:k1, n0:n0+nc].
// Full 4x8 tiles come from the packed copies; the last mc % 4 rows and nc % 8
// columns are done in place.
function gemmPacked(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize, N: i32,
                    m0: i32, mc: i32, n0: i32, nc: i32, k0: i32, k1: i32, act: usize): void {
  const kc = k1 - k0, mc4 = mc & ~3, nc8 = nc & ~7;
  for (let s = 0; s < nc8; s += 8) {
    const bp = PACKED_B + (<usize>(s * kc) << 2);
    for (let g = 0; g < mc4; g += 4) {
      micro4x8p(c, PACKED_A + (<usize>(g * kc) << 2), bp, kc, N, m0 + g, n0 + s, act);
    }
    for (let m = m0 + mc4; m < m0 + mc; m++) micro1x8(c, a, aRow, aCol, bm, N, m, n0 + s, k0, k1, act);
  }
  if (nc8 < nc) {
    // the last nc % 8 columns of the panel, all rows of the block, in place
    const cEdge = c + (<usize>(m0 * N) << 2);
    const actEdge = act != 0 ? act + (<usize>(m0 * N) << 2) : 0;
    edgeColumns(cEdge, aAt(a, aRow, aCol, m0, 0), aRow, aCol, bm, mc, N, n0 + nc8, n0 + nc, k0, k1, actEdge);
  }
}

// The whole K block [k0, k1) without packing: 4x8 tiles reading A and Bm in place.
function gemmInPlace(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize,
                     M: i32, N: i32, k0: i32, k1: i32, act: usize): void {
  const M4 = M & ~3, N8 = N & ~7;
  for (let n0 = 0; n0 < N8; n0 += 8) {
    for (let m0 = 0; m0 < M4; m0 += 4) micro4x8(c, a, aRow, aCol, bm, N, m0, n0, k0, k1, act);
    for (let m = M4; m < M; m++) micro1x8(c, a, aRow, aCol, bm, N, m, n0, k0, k1, act);
  }
  edgeColumns(c, a, aRow, aCol, bm, M, N, N8, N, k0, k1, act);
}

// Columns [nFrom, nTo) (fewer than 8) of C += A·Bm for rows [0, M): one f32x4
// while four columns remain, then scalars.
function edgeColumns(c: usize, a: usize, aRow: i32, aCol: i32, bm: usize, M: i32, N: i32,
                     nFrom: i32, nTo: i32, k0: i32, k1: i32, act: usize): void {
  let n = nFrom;
  if (nTo - n >= 4) {
    for (let m = 0; m < M; m++) micro1x4(c, a, aRow, aCol, bm, N, m, n, k0, k1, act);
    n += 4;
  }
  for (; n < nTo; n++) {
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
// Per k: one broadcast load per row of A, two loads of Bm, eight multiply-adds.
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
    const a0 = v128.load32_splat(ak);  // A[m0, k] in all four lanes
    const a1 = v128.load32_splat(ak + aRowBytes);
    const a2 = v128.load32_splat(ak + 2 * aRowBytes);
    const a3 = v128.load32_splat(ak + 3 * aRowBytes);
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

// The register block on packed data: ap = PACKED_A[g][0][0], bp = PACKED_B[s][0][0];
// per k, A[m0..m0+3, k] are the four floats at ap and Bm[k, n0..n0+7] the
// eight at bp, so every address is a pointer plus an immediate offset.
// @ts-ignore: decorator
@inline function micro4x8p(c: usize, ap: usize, bp: usize, kc: i32, N: i32,
                           m0: i32, n0: i32, act: usize): void {
  const rowBytes = <usize>N << 2;
  const c0 = c + (<usize>(m0 * N + n0) << 2); // C[m0, n0]
  const c1 = c0 + rowBytes, c2 = c1 + rowBytes, c3 = c2 + rowBytes;
  let x00 = v128.load(c0), x01 = v128.load(c0, 16);
  let x10 = v128.load(c1), x11 = v128.load(c1, 16);
  let x20 = v128.load(c2), x21 = v128.load(c2, 16);
  let x30 = v128.load(c3), x31 = v128.load(c3, 16);
  const aEnd = ap + (<usize>(kc * 4) << 2);
  for (; ap < aEnd; ap += 16) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap), a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8), a3 = v128.load32_splat(ap, 12);
    x00 = madd(a0, b0, x00); x01 = madd(a0, b1, x01);
    x10 = madd(a1, b0, x10); x11 = madd(a1, b1, x11);
    x20 = madd(a2, b0, x20); x21 = madd(a2, b1, x21);
    x30 = madd(a3, b0, x30); x31 = madd(a3, b1, x31);
    bp += 32;
  }
  v128.store(c0, x00); v128.store(c0, x01, 16);
  v128.store(c1, x10); v128.store(c1, x11, 16);
  v128.store(c2, x20); v128.store(c2, x21, 16);
  v128.store(c3, x30); v128.store(c3, x31, 16);
  if (act != 0) {
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
    const a0 = v128.load32_splat(ak);
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
    x0 = madd(v128.load32_splat(ak), v128.load(bk), x0);
    ak += aStep;
    bk += <usize>N << 2;
  }
  v128.store(c0, x0);
  if (act != 0) v128.store(act + (c0 - c), f32x4.max(x0, f32x4.splat(0)));
}

// dst (cols, rows) = src (rows, cols)ᵀ, both row-major. Used to lay W out as
// Wᵀ for the forward product; costs rows*cols moves against B*rows*cols
// multiply-adds for the product that reads it. 4x4 tiles go through registers
// (two rounds of lane shuffles), the edges one element at a time.
export function transpose(dst: usize, src: usize, rows: i32, cols: i32): void {
  const rows4 = rows & ~3, cols4 = cols & ~3;
  const srcRowBytes = <usize>cols << 2, dstRowBytes = <usize>rows << 2;
  for (let r = 0; r < rows4; r += 4) {
    for (let q = 0; q < cols4; q += 4) {
      const s0 = src + (<usize>(r * cols + q) << 2); // src[r, q]
      const v0 = v128.load(s0), v1 = v128.load(s0 + srcRowBytes);
      const v2 = v128.load(s0 + 2 * srcRowBytes), v3 = v128.load(s0 + 3 * srcRowBytes);
      // round 1: interleave rows pairwise; round 2: gather the columns
      const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      const d0 = dst + (<usize>(q * rows + r) << 2); // dst[q, r]
      v128.store(d0, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(d0 + dstRowBytes, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(d0 + 2 * dstRowBytes, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(d0 + 3 * dstRowBytes, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
    for (let q = cols4; q < cols; q++) {
      for (let rr = r; rr < r + 4; rr++) {
        store<f32>(dst + (<usize>(q * rows + rr) << 2), load<f32>(src + (<usize>(rr * cols + q) << 2)));
      }
    }
  }
  for (let r = rows4; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      store<f32>(dst + (<usize>(q * rows + r) << 2), load<f32>(src + (<usize>(r * cols + q) << 2)));
    }
  }
}

// A register-resident multiply-add loop with no memory traffic: its GFLOP/s
// is the practical SIMD ceiling the benchmark compares the products against.
// Twelve independent chains x = x*m + d, so that a multiply-add can issue on
// every pipe every cycle despite the latencies, the same code in both builds:
//   relaxed build: madd is fma, one fused instruction
//   plain build:   madd is a multiply then an add (a 6-cycle chain here; 12
//                  chains still cover it, with 14 of the 16 vector registers)
// 48 lane-madds a round. Returns a value so the loop is not removed.
export function peakProbe(iters: i32): f32 {
  const m = f32x4.splat(0.999999), d = f32x4.splat(1e-7);
  let x0 = f32x4.splat(1), x1 = f32x4.splat(2), x2 = f32x4.splat(3), x3 = f32x4.splat(4);
  let x4 = f32x4.splat(5), x5 = f32x4.splat(6), x6 = f32x4.splat(7), x7 = f32x4.splat(8);
  let x8 = f32x4.splat(9), x9 = f32x4.splat(10), x10 = f32x4.splat(11), x11 = f32x4.splat(12);
  for (let i = 0; i < iters; i++) {
    x0 = madd(x0, m, d); x1 = madd(x1, m, d); x2 = madd(x2, m, d); x3 = madd(x3, m, d);
    x4 = madd(x4, m, d); x5 = madd(x5, m, d); x6 = madd(x6, m, d); x7 = madd(x7, m, d);
    x8 = madd(x8, m, d); x9 = madd(x9, m, d); x10 = madd(x10, m, d); x11 = madd(x11, m, d);
  }
  const s0 = f32x4.add(f32x4.add(x0, x1), f32x4.add(x2, x3));
  const s1 = f32x4.add(f32x4.add(x4, x5), f32x4.add(x6, x7));
  const s2 = f32x4.add(f32x4.add(x8, x9), f32x4.add(x10, x11));
  return f32x4.extract_lane(f32x4.add(s0, f32x4.add(s1, s2)), 0);
}

/** Flops in one round of peakProbe (a multiply-add counts two per lane). */
export function peakFlopsPerIter(): i32 {
  return 12 * 4 * 2;
}
