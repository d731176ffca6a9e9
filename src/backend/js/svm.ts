// The plain TypeScript twin of assembly/svm.ts: the same pairwise dual solver
// for the linear SVM, same names, same loop order, and the same two partial
// sums in every dot product (the wasm f64x2 lanes), so both backends give
// bit-identical results. Layout and the algorithm: see assembly/svm.ts.
// `f` is a Float64Array over the whole memory, `i` an Int32Array over it;
// pointers are byte offsets (>> 3 for f64, >> 2 for i32).

const TAU = 1e-200; // curvature floor, for identical points only (see assembly/svm.ts)

// dot(x[t, :], v): even features in one partial sum, odd in the other (the f64x2 lanes).
function dotRow(f: Float64Array, xRow: number, v: number, d: number): number {
  const d2 = d & ~1;
  let acc0 = 0, acc1 = 0;
  for (let j = 0; j < d2; j += 2) {
    acc0 += f[xRow + j] * f[v + j];
    acc1 += f[xRow + j + 1] * f[v + j + 1];
  }
  let sum = acc0 + acc1;
  for (let j = d2; j < d; j++) sum += f[xRow + j] * f[v + j];
  return sum;
}

// ‖x[i, :] − x[k, :]‖²: the differences first, even and odd features in two partial sums (the f64x2 lanes).
function distSq(f: Float64Array, xi: number, xk: number, d: number): number {
  const d2 = d & ~1;
  let acc0 = 0, acc1 = 0;
  for (let j = 0; j < d2; j += 2) {
    const e0 = f[xi + j] - f[xk + j], e1 = f[xi + j + 1] - f[xk + j + 1];
    acc0 += e0 * e0;
    acc1 += e1 * e1;
  }
  let sum = acc0 + acc1;
  for (let j = d2; j < d; j++) {
    const e = f[xi + j] - f[xk + j];
    sum += e * e;
  }
  return sum;
}

// w[j] += s * (x[i, j] − x[k, j])
function addPairToW(f: Float64Array, w: number, xi: number, xk: number, s: number, d: number): void {
  for (let j = 0; j < d; j++) f[w + j] += s * (f[xi + j] - f[xk + j]);
}

// Heap sort of idx[0..count) by key[idx], ascending, or descending when desc.
function sortByKey(ix: Int32Array, idx: number, count: number, f: Float64Array, key: number, desc: boolean): void {
  for (let start = (count >> 1) - 1; start >= 0; start--) siftDown(ix, idx, start, count, f, key, desc);
  for (let end = count - 1; end > 0; end--) {
    const top = ix[idx];
    ix[idx] = ix[idx + end];
    ix[idx + end] = top;
    siftDown(ix, idx, 0, end, f, key, desc);
  }
}

function siftDown(ix: Int32Array, idx: number, root: number, count: number, f: Float64Array, key: number, desc: boolean): void {
  const later = (a: number, b: number) => (desc ? a < b : a > b);
  let r = root;
  while (true) {
    let child = 2 * r + 1;
    if (child >= count) return;
    if (child + 1 < count && later(f[key + ix[idx + child + 1]], f[key + ix[idx + child]])) child++;
    if (!later(f[key + ix[idx + child]], f[key + ix[idx + r]])) return;
    const a = ix[idx + r];
    ix[idx + r] = ix[idx + child];
    ix[idx + child] = a;
    r = child;
  }
}

const inUp = (yt: number, at: number, C: number) => (yt > 0 ? at < C : at > 0);
const inLow = (yt: number, at: number, C: number) => (yt > 0 ? at > 0 : at < C);

// One pair step on (i, k); f64 indices (not bytes) for every pointer here.
function pairStep(f: Float64Array, x: number, y: number, alpha: number, w: number, F: number,
                  i: number, k: number, d: number, C: number, tol: number): number {
  if (i === k) return 0;
  const xi = x + i * d, xk = x + k * d; // x[i, :], x[k, :]
  const yi = f[y + i], yk = f[y + k];
  const Fi = yi - dotRow(f, xi, w, d), Fk = yk - dotRow(f, xk, w, d);
  f[F + i] = Fi;
  f[F + k] = Fk;

  const viol = Fi - Fk;
  if (viol <= tol) return 0;

  let curv = distSq(f, xi, xk, d);
  if (curv < TAU) curv = TAU;
  let s = viol / curv;

  const ai = f[alpha + i], ak = f[alpha + k];
  const roomI = yi > 0 ? C - ai : ai;
  const roomK = yk > 0 ? ak : C - ak;
  if (s > roomI) s = roomI;
  if (s > roomK) s = roomK;
  if (!(s > 0)) return 0;

  f[alpha + i] = s === roomI ? (yi > 0 ? C : 0) : ai + yi * s;
  f[alpha + k] = s === roomK ? (yk > 0 ? 0 : C) : ak - yk * s;
  addPairToW(f, w, xi, xk, s, d);
  return 1;
}

/** See assembly/svm.ts svmSolve: same arguments (byte offsets), same result. */
export function svmSolve(f: Float64Array, ix: Int32Array,
                         xP: number, yP: number, alphaP: number, wP: number, FP: number, sqP: number,
                         upP: number, lowP: number, workP: number, statsP: number,
                         n: number, d: number, C: number, tol: number, maxIter: number): number {
  const x = xP >> 3, y = yP >> 3, alpha = alphaP >> 3, w = wP >> 3, F = FP >> 3, sq = sqP >> 3;
  const up = upP >> 2, low = lowP >> 2, work = workP >> 2, stats = statsP >> 3;
  for (let t = 0; t < n; t++) f[sq + t] = dotRow(f, x + t * d, x + t * d, d);
  const mM = [0, 0];
  let iter = 0, rounds = 0, steps = 0, gap = Infinity, converged = 0, visits = 0;
  while (true) {

    // 1. exact F over all points, and the gap
    rounds++;
    for (let t = 0; t < n; t++) ix[work + t] = t;
    gap = refreshGap(f, ix, x, y, alpha, w, F, work, n, d, C, mM);
    if (gap <= tol) { converged = 1; break; }
    if (iter >= maxIter) break;

    // 2. the working set: violators and free points
    const [m, M] = mM;
    let nw = 0;
    for (let t = 0; t < n; t++) {
      const yt = f[y + t], at = f[alpha + t], Ft = f[F + t];
      if ((at > 0 && at < C) || (inUp(yt, at, C) && Ft > M + tol) || (inLow(yt, at, C) && Ft < m - tol)) ix[work + nw++] = t;
    }

    // 3. iterate on the working set until it is solved (or the budget is spent)
    while (iter < maxIter) {
      iter++;
      visits += nw;
      const gw = refreshGap(f, ix, x, y, alpha, w, F, work, nw, d, C, mM);
      if (gw <= tol) break;
      nw = shrink(f, ix, y, alpha, F, work, nw, C, mM);
      steps += iterate(f, ix, x, y, alpha, w, F, up, low, work, nw, d, C, tol, mM);
    }
  }
  f[stats] = iter; f[stats + 1] = gap; f[stats + 2] = steps; f[stats + 3] = converged;
  f[stats + 4] = rounds; f[stats + 5] = visits;
  return iter;
}

// F[t] = y_t − wᵀx_t for t in work[0..nw); returns max_up F − min_low F, both left in mM.
function refreshGap(f: Float64Array, ix: Int32Array, x: number, y: number, alpha: number, w: number, F: number,
                    work: number, nw: number, d: number, C: number, mM: number[]): number {
  let m = -Infinity, M = Infinity;
  for (let q = 0; q < nw; q++) {
    const t = ix[work + q];
    const yt = f[y + t], at = f[alpha + t];
    const Ft = yt - dotRow(f, x + t * d, w, d);
    f[F + t] = Ft;
    if (inUp(yt, at, C) && Ft > m) m = Ft;
    if (inLow(yt, at, C) && Ft < M) M = Ft;
  }
  mM[0] = m; mM[1] = M;
  return m - M;
}

// Drops the points at a bound that no pair can use any more (see assembly/svm.ts shrink).
function shrink(f: Float64Array, ix: Int32Array, y: number, alpha: number, F: number,
                work: number, nw: number, C: number, mM: number[]): number {
  const [m, M] = mM;
  let kept = 0;
  for (let q = 0; q < nw; q++) {
    const t = ix[work + q];
    const yt = f[y + t], at = f[alpha + t], Ft = f[F + t];
    if ((inUp(yt, at, C) && Ft > M) || (inLow(yt, at, C) && Ft < m)) ix[work + kept++] = t;
  }
  return kept;
}

// One iteration on the working set: violators sorted, then pair steps (see assembly/svm.ts).
function iterate(f: Float64Array, ix: Int32Array, x: number, y: number, alpha: number, w: number, F: number,
                 up: number, low: number, work: number, nw: number, d: number, C: number,
                 tol: number, mM: number[]): number {
  const [m, M] = mM;

  // a. violators, sorted
  let nu = 0, nl = 0;
  for (let q = 0; q < nw; q++) {
    const t = ix[work + q];
    const yt = f[y + t], at = f[alpha + t], Ft = f[F + t];
    if (inUp(yt, at, C) && Ft > M + tol) ix[up + nu++] = t;
    if (inLow(yt, at, C) && Ft < m - tol) ix[low + nl++] = t;
  }
  sortByKey(ix, up, nu, f, F, true);
  sortByKey(ix, low, nl, f, F, false);

  // b. pair steps, the shorter list cycled
  let steps = 0;
  const q1 = Math.max(nu, nl);
  for (let q = 0; q < q1; q++) {
    steps += pairStep(f, x, y, alpha, w, F, ix[up + (q % nu)], ix[low + (q % nl)], d, C, tol);
  }
  return steps;
}
