// Linear SVM in float64: the dual of the lecture's problem with an
// unregularised bias, solved by pairwise (SMO-type) steps on a primal w kept
// in memory. Layout, stated once: x is (n, d) f64 row-major, x[t, j] at
// x + (t*d + j)*8; vectors over points (y, alpha, F, sq) have n f64 entries.
// Letters: t, i, k over points (i and k are the pair of a step), j over features.
//
// Dual:  min_a  ½ aᵀQa − Σ a_t,  Q[i, k] = y_i y_k x_iᵀx_k,  Σ a_t y_t = 0,  0 ≤ a_t ≤ C
// with w = Σ a_t y_t x_t. The gradient of point t is y_t (wᵀx_t) − 1, so
//   F[t] = y_t − wᵀx_t  (= −y_t · gradient)
// is all a working-set rule needs, and one dot product with w gives it
// exactly (Keerthi et al. 2001 / Fan, Chen & Lin 2005 for the sets below):
//   up  = { t : a_t < C, y_t = +1  or  a_t > 0, y_t = −1 }   (y_t a_t may grow)
//   low = { t : a_t < C, y_t = −1  or  a_t > 0, y_t = +1 }   (y_t a_t may shrink)
// and the solution is optimal when gap = max_up F − min_low F ≤ tol.
// Inputs are validated by the TypeScript API (src/svm.ts); nothing here checks.
// It also scales x by a power of two to |x| ≤ 1 (C by its square; exact), so no
// x_iᵀx_k can overflow.

// Curvature floor, for identical points only (‖x_i − x_k‖² = 0, where the dual is
// linear along the pair and the step goes to the bound). The curvature is computed
// from the differences (distSq), accurately even for near-duplicates, which thin
// margins are made of: a floor like libsvm's 1e-12 would shrink their steps a millionfold.
const TAU: f64 = 1e-200;

// dot(x[t, :], v) for a row of x and a d-vector v, two lanes at a time.
function dotRow(xRow: usize, v: usize, d: i32): f64 {
  const d2 = d & ~1; // features below d2 go two at a time (f64x2), the last one alone
  let acc = f64x2.splat(0);
  for (let j = 0; j < d2; j += 2) {
    const off = <usize>j << 3; // f64: 8 bytes
    acc = f64x2.add(acc, f64x2.mul(v128.load(xRow + off), v128.load(v + off)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);

  // scalar tail: the last feature when d is odd
  for (let j = d2; j < d; j++) sum += load<f64>(xRow + (<usize>j << 3)) * load<f64>(v + (<usize>j << 3));
  return sum;
}

// ‖x[i, :] − x[k, :]‖², two lanes at a time, the differences taken first (no cancellation).
function distSq(xi: usize, xk: usize, d: i32): f64 {
  const d2 = d & ~1;
  let acc = f64x2.splat(0);
  for (let j = 0; j < d2; j += 2) {
    const off = <usize>j << 3;
    const diff = f64x2.sub(v128.load(xi + off), v128.load(xk + off));
    acc = f64x2.add(acc, f64x2.mul(diff, diff));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);

  // scalar tail
  for (let j = d2; j < d; j++) {
    const off = <usize>j << 3;
    const diff = load<f64>(xi + off) - load<f64>(xk + off);
    sum += diff * diff;
  }
  return sum;
}

// w[j] += s * (x[i, j] − x[k, j]): the change of w = Σ a_t y_t x_t after a pair step.
function addPairToW(w: usize, xi: usize, xk: usize, s: f64, d: i32): void {
  const d2 = d & ~1;
  const sv = f64x2.splat(s);
  for (let j = 0; j < d2; j += 2) {
    const off = <usize>j << 3;
    const diff = f64x2.sub(v128.load(xi + off), v128.load(xk + off));
    v128.store(w + off, f64x2.add(v128.load(w + off), f64x2.mul(sv, diff)));
  }

  // scalar tail
  for (let j = d2; j < d; j++) {
    const off = <usize>j << 3;
    store<f64>(w + off, load<f64>(w + off) + s * (load<f64>(xi + off) - load<f64>(xk + off)));
  }
}

// Heap sort of idx[0..count) by key[idx] (f64), ascending, or descending when desc.
function sortByKey(idx: usize, count: i32, key: usize, desc: bool): void {
  for (let start = (count >> 1) - 1; start >= 0; start--) siftDown(idx, start, count, key, desc);
  for (let end = count - 1; end > 0; end--) {
    const top = load<i32>(idx);
    store<i32>(idx, load<i32>(idx + (<usize>end << 2)));
    store<i32>(idx + (<usize>end << 2), top);
    siftDown(idx, 0, end, key, desc);
  }
}

// NOTE: "before" is the heap order: the element that must end up later in the
// sorted output sits nearer the root.
function siftDown(idx: usize, root: i32, count: i32, key: usize, desc: bool): void {
  let r = root;
  while (true) {
    let child = 2 * r + 1;
    if (child >= count) return;
    const kc = keyAt(idx, child, key);
    if (child + 1 < count && later(keyAt(idx, child + 1, key), kc, desc)) child++;
    if (!later(keyAt(idx, child, key), keyAt(idx, r, key), desc)) return;
    const a = load<i32>(idx + (<usize>r << 2));
    store<i32>(idx + (<usize>r << 2), load<i32>(idx + (<usize>child << 2)));
    store<i32>(idx + (<usize>child << 2), a);
    r = child;
  }
}

// @ts-ignore: decorator
@inline function keyAt(idx: usize, pos: i32, key: usize): f64 {
  return load<f64>(key + (<usize>load<i32>(idx + (<usize>pos << 2)) << 3));
}

// @ts-ignore: decorator
@inline function later(a: f64, b: f64, desc: bool): bool { return desc ? a < b : a > b; }

// One pair step on (i, k), i from `up`, k from `low`: move along
// a_i += y_i·s, a_k −= y_k·s (keeps Σ a_t y_t), s ≥ 0 minimising the dual
// exactly on the box. F[i], F[k] are recomputed from w first, so a stale
// ordering never makes a wrong step. Returns 1 if a step was taken.
function pairStep(x: usize, y: usize, alpha: usize, w: usize, F: usize,
                  i: i32, k: i32, d: i32, C: f64, tol: f64): i32 {
  if (i == k) return 0;
  const xi = x + (<usize>i * <usize>d << 3); // x[i, :]
  const xk = x + (<usize>k * <usize>d << 3); // x[k, :]
  const yi = load<f64>(y + (<usize>i << 3)), yk = load<f64>(y + (<usize>k << 3));
  const Fi = yi - dotRow(xi, w, d), Fk = yk - dotRow(xk, w, d);
  store<f64>(F + (<usize>i << 3), Fi);
  store<f64>(F + (<usize>k << 3), Fk);

  // slope −(Fi − Fk) along the direction; skip a pair that no longer violates
  const viol = Fi - Fk;
  if (viol <= tol) return 0;

  // curvature ‖x_i − x_k‖², floored at TAU (identical points)
  let curv = distSq(xi, xk, d);
  if (curv < TAU) curv = TAU;
  let s = viol / curv;

  // clip: a_i + y_i s and a_k − y_k s stay in [0, C]
  const ai = load<f64>(alpha + (<usize>i << 3)), ak = load<f64>(alpha + (<usize>k << 3));
  const roomI = yi > 0 ? C - ai : ai;
  const roomK = yk > 0 ? ak : C - ak;
  if (s > roomI) s = roomI;
  if (s > roomK) s = roomK;
  if (!(s > 0)) return 0;

  // land exactly on a bound when clipped, so support sets are exact
  store<f64>(alpha + (<usize>i << 3), s == roomI ? (yi > 0 ? C : 0) : ai + yi * s);
  store<f64>(alpha + (<usize>k << 3), s == roomK ? (yk > 0 ? 0 : C) : ak - yk * s);
  addPairToW(w, xi, xk, s, d);
  return 1;
}

// Solves the dual, with shrinking. An outer round:
//   1. F[t] = y_t − wᵀx_t for every t (exact); gap = max_up F − min_low F; stop if gap ≤ tol;
//   2. the working set: every violator and every free α (0 < α_t < C); points at a
//      bound that satisfy their KKT condition are left out until the next round;
//   3. iterations on the working set only, until its own gap ≤ tol: `iterate`;
//      before each, `shrink` drops the points at a bound that can no longer pair.
// Only step 1 decides convergence, so the answer is the unshrunk problem's.
//   x      (n, d) f64, read          y     (n) f64 ±1, read
//   alpha  (n) f64, read and updated (a feasible start, e.g. zeros)
//   w      (d) f64, read and updated (must equal Σ alpha_t y_t x_t on entry)
//   F      (n) f64, overwritten: y_t − wᵀx_t at the last full check
//   sq     (n) f64, overwritten: ‖x_t‖² (for the caller; the steps use ‖x_i − x_k‖² directly)
//   up, low, work (n) i32, scratch
//   stats  (6) f64, overwritten: [iterations, gap, pair steps, converged 0/1, full rounds,
//                              working-set points visited, summed over iterations]
// C = Infinity gives the hard margin. maxIter bounds the iterations of step 3
// (each is one pass over the working set). Returns the iterations run.
export function svmSolve(x: usize, y: usize, alpha: usize, w: usize, F: usize, sq: usize,
                         up: usize, low: usize, work: usize, stats: usize,
                         n: i32, d: i32, C: f64, tol: f64, maxIter: i32): i32 {
  for (let t = 0; t < n; t++) {
    const xRow = x + (<usize>t * <usize>d << 3); // x[t, :]
    store<f64>(sq + (<usize>t << 3), dotRow(xRow, xRow, d));
  }
  let iter = 0, rounds = 0, steps: f64 = 0, gap: f64 = Infinity, converged = 0, visits: f64 = 0;
  while (true) {

    // 1. exact F over all points, and the gap
    rounds++;
    for (let t = 0; t < n; t++) store<i32>(work + (<usize>t << 2), t);
    gap = refreshGap(x, y, alpha, w, F, work, n, d, C);
    if (gap <= tol) { converged = 1; break; }
    if (iter >= maxIter) break;

    // 2. the working set: violators and free points
    const m = load<f64>(SCRATCH), M = load<f64>(SCRATCH + 8);
    let nw = 0;
    for (let t = 0; t < n; t++) {
      const yt = load<f64>(y + (<usize>t << 3)), at = load<f64>(alpha + (<usize>t << 3));
      const Ft = load<f64>(F + (<usize>t << 3));
      const keep = (at > 0 && at < C) || (inUp(yt, at, C) && Ft > M + tol) || (inLow(yt, at, C) && Ft < m - tol);
      if (keep) { store<i32>(work + (<usize>nw << 2), t); nw++; }
    }

    // 3. iterate on the working set until it is solved (or the budget is spent)
    while (iter < maxIter) {
      iter++;
      visits += <f64>nw;
      const gw = refreshGap(x, y, alpha, w, F, work, nw, d, C);
      if (gw <= tol) break;
      nw = shrink(y, alpha, F, work, nw, C);
      steps += <f64>iterate(x, y, alpha, w, F, up, low, work, nw, d, C, tol);
    }
  }
  store<f64>(stats, <f64>iter);
  store<f64>(stats + 8, gap);
  store<f64>(stats + 16, steps);
  store<f64>(stats + 24, <f64>converged);
  store<f64>(stats + 32, <f64>rounds);
  store<f64>(stats + 40, visits);
  return iter;
}

// m = max_up F and M = min_low F over the points work[0..nw), kept for the caller.
const SCRATCH: usize = memory.data(16);

// F[t] = y_t − wᵀx_t for t in work[0..nw); returns max_up F − min_low F
// and leaves (max_up F, min_low F) at SCRATCH.
function refreshGap(x: usize, y: usize, alpha: usize, w: usize, F: usize, work: usize,
                    nw: i32, d: i32, C: f64): f64 {
  let m = -Infinity, M = Infinity;
  for (let q = 0; q < nw; q++) {
    const t = load<i32>(work + (<usize>q << 2));
    const xRow = x + (<usize>t * <usize>d << 3); // x[t, :]
    const yt = load<f64>(y + (<usize>t << 3)), at = load<f64>(alpha + (<usize>t << 3));
    const Ft = yt - dotRow(xRow, w, d);
    store<f64>(F + (<usize>t << 3), Ft);
    if (inUp(yt, at, C) && Ft > m) m = Ft;
    if (inLow(yt, at, C) && Ft < M) M = Ft;
  }
  store<f64>(SCRATCH, m);
  store<f64>(SCRATCH + 8, M);
  return m - M;
}

// Drops from work[0..nw) the points at a bound that no pair can use any more:
// an up-only point with F ≤ min_low F, a low-only point with F ≥ max_up F
// (the extremes just left at SCRATCH by refreshGap). Free points always stay.
// The next full round brings back any that violate again. Returns the new count.
function shrink(y: usize, alpha: usize, F: usize, work: usize, nw: i32, C: f64): i32 {
  const m = load<f64>(SCRATCH), M = load<f64>(SCRATCH + 8);
  let kept = 0;
  for (let q = 0; q < nw; q++) {
    const t = load<i32>(work + (<usize>q << 2));
    const yt = load<f64>(y + (<usize>t << 3)), at = load<f64>(alpha + (<usize>t << 3));
    const Ft = load<f64>(F + (<usize>t << 3));
    const keep = (inUp(yt, at, C) && Ft > M) || (inLow(yt, at, C) && Ft < m);
    if (keep) { store<i32>(work + (<usize>kept << 2), t); kept++; }
  }
  return kept;
}

// One iteration on the working set, F fresh on it (refreshGap just ran):
//   a. its violators on each side, most violating first;
//   b. pair steps (up[q mod nu], low[q mod nl]) for q < max(nu, nl). The first is
//      the maximal violating pair, so each iteration makes at least SMO's progress.
// Returns the number of steps taken.
function iterate(x: usize, y: usize, alpha: usize, w: usize, F: usize,
                 up: usize, low: usize, work: usize, nw: i32, d: i32, C: f64, tol: f64): i32 {
  const m = load<f64>(SCRATCH), M = load<f64>(SCRATCH + 8);

  // a. violators, sorted
  let nu = 0, nl = 0;
  for (let q = 0; q < nw; q++) {
    const t = load<i32>(work + (<usize>q << 2));
    const yt = load<f64>(y + (<usize>t << 3)), at = load<f64>(alpha + (<usize>t << 3));
    const Ft = load<f64>(F + (<usize>t << 3));
    if (inUp(yt, at, C) && Ft > M + tol) { store<i32>(up + (<usize>nu << 2), t); nu++; }
    if (inLow(yt, at, C) && Ft < m - tol) { store<i32>(low + (<usize>nl << 2), t); nl++; }
  }
  sortByKey(up, nu, F, true);
  sortByKey(low, nl, F, false);

  // b. pair steps, the shorter list cycled
  let steps = 0;
  const q1 = max(nu, nl);
  for (let q = 0; q < q1; q++) {
    const i = load<i32>(up + (<usize>(q % nu) << 2));
    const k = load<i32>(low + (<usize>(q % nl) << 2));
    steps += pairStep(x, y, alpha, w, F, i, k, d, C, tol);
  }
  return steps;
}

// @ts-ignore: decorator
@inline function inUp(yt: f64, at: f64, C: f64): bool { return yt > 0 ? at < C : at > 0; }
// @ts-ignore: decorator
@inline function inLow(yt: f64, at: f64, C: f64): bool { return yt > 0 ? at > 0 : at < C; }
