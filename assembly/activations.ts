// Element-wise activations and their derivatives, by id (table in src/ids.ts).
//   y  (n) pre-activation, read      a  (n) post-activation a = f(y)
//   dA (n) dLoss/da, read            dY (n) dLoss/dy = dA * f'(y), may alias dA
// p0, p1 carry the activation's parameters (alpha, negativeSlope, minVal/maxVal,
// lambda, beta/threshold, gelu's approximate flag). Transcendentals run in f64
// and round once to f32. Derivatives at kinks follow PyTorch's convention.
// prelu and rrelu in training need per-layer state and have their own kernels.
// relu, tanh and sigmoid (the common cases) take f32x4 paths (simdmath.ts),
// and so do the piecewise-linear family and elu, celu, selu, silu, gelu (below).
// Shortcoming: softplus, logsigmoid, mish, atan and the rest run one element
// at a time in f64, 1.5-3x the JS twin only (bench/RESULTS.md).
import { mapLanes, LANE_TANH, LANE_SIGMOID, expV, expm1V, sigmoidV } from './simdmath';
import { nextUniform } from './rng';

export const IDENTITY = 0, RELU = 1, TANH = 2, SIGMOID = 3, ELU = 4, LEAKY_RELU = 5;
export const ATAN = 6, HARDSIGMOID = 7, HARDTANH = 8, PRELU = 9, RELU6 = 10, RRELU = 11;
export const CELU = 12, SELU = 13, GELU = 14, HARDSHRINK = 15, SOFTSHRINK = 16;
export const LOGSIGMOID = 17, SOFTSIGN = 18, TANHSHRINK = 19, SOFTPLUS = 20, SILU = 21;
export const MISH = 22, HARDSWISH = 23, HARD_ATAN = 24;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = 0.7978845608028654;   // sqrt(2/pi), gelu's tanh form
const GELU_CUBIC = 0.044715;
const INV_SQRT_2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;     // 1/sqrt(2*pi), the normal density at 0
const HALF_PI = 1.5707963267948966;

// @ts-ignore: decorator
@inline function sigmoid(x: f64): f64 {
  // never exp of a large positive number
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// log(1 + e^x) without overflow
// @ts-ignore: decorator
@inline function softplus1(x: f64): f64 {
  return max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

// erfc with fractional error below 1.2e-7 everywhere: the Chebyshev fit
// published in Numerical Recipes (erfcc), enough for an f32 result.
export function erfc(z: f64): f64 {
  const x = Math.abs(z);
  const t = 1 / (1 + 0.5 * x);
  const r = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? r : 2 - r;
}

// The standard normal CDF, Phi(x) = erfc(-x/sqrt 2)/2, accurate in the tails.
// @ts-ignore: decorator
@inline function normalCdf(x: f64): f64 { return 0.5 * erfc(-x * INV_SQRT_2); }

// f(x) for one element.
export function act(id: i32, x: f64, p0: f64, p1: f64): f64 {
  switch (id) {
    case IDENTITY: return x;
    case RELU: return x > 0 ? x : 0;
    case TANH: return Math.tanh(x);
    case SIGMOID: return sigmoid(x);
    case ELU: return x > 0 ? x : p0 * Math.expm1(x);
    case LEAKY_RELU: case PRELU: case RRELU: return x > 0 ? x : p0 * x; // p0 = slope
    case ATAN: return Math.atan(x);
    case HARDSIGMOID: return x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
    case HARDTANH: return x < p0 ? p0 : x > p1 ? p1 : x;
    case RELU6: return x < 0 ? 0 : x > 6 ? 6 : x;
    case CELU: return x > 0 ? x : p0 * Math.expm1(x / p0);
    case SELU: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case GELU: {
      if (p0 != 0) { // approximate: 'tanh'
        const u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
        return 0.5 * x * (1 + Math.tanh(u));
      }
      return x * normalCdf(x);
    }
    case HARDSHRINK: return x > p0 || x < -p0 ? x : 0;
    case SOFTSHRINK: return x > p0 ? x - p0 : x < -p0 ? x + p0 : 0;
    case LOGSIGMOID: return -softplus1(-x);
    case SOFTSIGN: return x / (1 + Math.abs(x));
    case TANHSHRINK: return x - Math.tanh(x);
    case SOFTPLUS: { // p0 = beta, p1 = threshold: linear above threshold, as PyTorch
      const bx = p0 * x;
      return bx > p1 ? x : softplus1(bx) / p0;
    }
    case SILU: return x * sigmoid(x);
    case MISH: return x * Math.tanh(softplus1(x));
    case HARDSWISH: return x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6;
    case HARD_ATAN: return x < -HALF_PI ? -HALF_PI : x > HALF_PI ? HALF_PI : x;
    default: return NaN; // unreachable: ids are checked in TypeScript
  }
}

// f'(x) for one element; `fx` is f(x) when the derivative is cheaper from it.
export function actGrad(id: i32, x: f64, fx: f64, p0: f64, p1: f64): f64 {
  switch (id) {
    case IDENTITY: return 1;
    case RELU: return x > 0 ? 1 : 0;
    case TANH: return 1 - fx * fx;
    case SIGMOID: return fx * (1 - fx);
    case ELU: return x > 0 ? 1 : p0 * Math.exp(x);
    case LEAKY_RELU: case PRELU: case RRELU: return x > 0 ? 1 : p0;
    case ATAN: return 1 / (1 + x * x);
    case HARDSIGMOID: return x > -3 && x < 3 ? 1.0 / 6.0 : 0;
    case HARDTANH: return x > p0 && x < p1 ? 1 : 0;
    case RELU6: return x > 0 && x < 6 ? 1 : 0;
    case CELU: return x > 0 ? 1 : Math.exp(x / p0);
    case SELU: return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
    case GELU: {
      if (p0 != 0) {
        const u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
        const th = Math.tanh(u);
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
      }
      return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
    case HARDSHRINK: case SOFTSHRINK: return x > p0 || x < -p0 ? 1 : 0;
    case LOGSIGMOID: return sigmoid(-x);
    case SOFTSIGN: { const d = 1 + Math.abs(x); return 1 / (d * d); }
    case TANHSHRINK: { const th = Math.tanh(x); return th * th; }
    case SOFTPLUS: { const bx = p0 * x; return bx > p1 ? 1 : sigmoid(bx); }
    case SILU: { const s = sigmoid(x); return s * (1 + x * (1 - s)); }
    case MISH: {
      const sp = softplus1(x), th = Math.tanh(sp);
      return th + x * (1 - th * th) * sigmoid(x);
    }
    // PyTorch: the right derivative at both kinks (-0.5 at -3, 1 at 3)
    case HARDSWISH: return x < -3 ? 0 : x < 3 ? x / 3 + 0.5 : 1;
    case HARD_ATAN: return x > -HALF_PI && x < HALF_PI ? 1 : 0;
    default: return NaN;
  }
}

const F32_MAX: f64 = 3.4028234663852886e38;

// f(x) for a finite f32 x, rounded to f32 without overflow: a value past f32's
// range (selu's scale takes x near 3.4e38 past it) saturates at +-F32_MAX.
// @ts-ignore: decorator
@inline function toF32(v: f64): f32 {
  return <f32>(v > F32_MAX ? F32_MAX : v < -F32_MAX ? -F32_MAX : v);
}

// a[k] = f(y[k]) for k < n.
export function activationForward(id: i32, a: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  if (id == RELU) {
    // SIMD body and scalar tail
    const n4 = n & ~3, z = f32x4.splat(0);
    for (let k = 0; k < n4; k += 4) {
      const off = <usize>k << 2;
      v128.store(a + off, f32x4.max(v128.load(y + off), z));
    }
    for (let k = n4; k < n; k++) {
      const off = <usize>k << 2;
      store<f32>(a + off, max<f32>(load<f32>(y + off), 0));
    }
    return;
  }
  if (id == IDENTITY) {
    if (a != y) memory.copy(a, y, <usize>n << 2);
    return;
  }
  if (id == TANH) { mapLanes(a, y, n, LANE_TANH); return; }
  if (id == SIGMOID) { mapLanes(a, y, n, LANE_SIGMOID); return; }
  if (isPiecewise(id, p0)) { piecewiseForward(id, a, y, n, p0, p1); return; }
  if (isExpFamily(id, p0)) { expFamily(id, a, 0, y, n, p0); return; }
  for (let k = 0; k < n; k++) {
    const off = <usize>k << 2;
    const x = <f64>load<f32>(y + off);
    // an infinite pre-activation (an overflowing layer) stays infinite
    const v = act(id, x, p0, p1);
    store<f32>(a + off, isFinite(x) ? toF32(v) : <f32>v);
  }
}

// dY[k] = dA[k] * f'(y[k]) for k < n (dY may alias dA).
export function activationBackward(id: i32, dY: usize, dA: usize, y: usize, a: usize,
                                   n: i32, p0: f32, p1: f32): void {
  if (id == IDENTITY) {
    if (dY != dA) memory.copy(dY, dA, <usize>n << 2);
    return;
  }
  if (id == RELU) {
    // mask dA by y > 0 (relu'(0) = 0)
    const n4 = n & ~3, z = f32x4.splat(0);
    for (let k = 0; k < n4; k += 4) {
      const off = <usize>k << 2;
      const keep = f32x4.gt(v128.load(y + off), z);
      v128.store(dY + off, v128.and(v128.load(dA + off), keep));
    }
    for (let k = n4; k < n; k++) {
      const off = <usize>k << 2;
      store<f32>(dY + off, load<f32>(y + off) > 0 ? load<f32>(dA + off) : 0);
    }
    return;
  }
  if (id == TANH || id == SIGMOID) {
    // f' from the stored output: 1 - a^2 (tanh), a (1 - a) (sigmoid)
    const n4 = n & ~3, one = f32x4.splat(1);
    for (let k = 0; k < n4; k += 4) {
      const off = <usize>k << 2;
      const av = v128.load(a + off);
      const d = id == TANH ? f32x4.sub(one, f32x4.mul(av, av)) : f32x4.mul(av, f32x4.sub(one, av));
      v128.store(dY + off, f32x4.mul(v128.load(dA + off), d));
    }
    for (let k = n4; k < n; k++) {
      const off = <usize>k << 2;
      const av = load<f32>(a + off);
      store<f32>(dY + off, load<f32>(dA + off) * (id == TANH ? 1 - av * av : av * (1 - av)));
    }
    return;
  }
  if (isPiecewise(id, p0)) { piecewiseBackward(id, dY, dA, y, n, p0, p1); return; }
  if (isExpFamily(id, p0)) { expFamily(id, dY, dA, y, n, p0); return; }
  for (let k = 0; k < n; k++) {
    const off = <usize>k << 2;
    const x = <f64>load<f32>(y + off);
    // tanh and sigmoid read f(x) back from `a` instead of recomputing it
    const fx = id == TANH || id == SIGMOID ? <f64>load<f32>(a + off) : 0;
    store<f32>(dY + off, <f32>(<f64>load<f32>(dA + off) * actGrad(id, x, fx, p0, p1)));
  }
}

// --- piecewise-linear activations, four lanes at a time ----------------------
// Each lane is one f32 compare, select, multiply or subtract, so the results
// are bit for bit those of the scalar f64 path (one rounding of an exact f64
// value) and of the JS twin: zeros keep their sign, NaN stays NaN. The scaled
// branch of leaky_relu takes this path only for |slope| <= 1, where it cannot
// overflow (the scalar path saturates an overflow at the f32 maximum).

// @ts-ignore: decorator
@inline function isPiecewise(id: i32, p0: f32): bool {
  if (id == LEAKY_RELU || id == PRELU || id == RRELU) return abs<f32>(p0) <= 1;
  return id == HARDTANH || id == RELU6 || id == HARD_ATAN || id == HARDSHRINK || id == SOFTSHRINK;
}

// the lower and upper clamp of hardtanh, relu6 and hard_atan
// @ts-ignore: decorator
@inline function clampLow(id: i32, p0: f32, p1: f32): f32 {
  return id == HARDTANH ? p0 : id == RELU6 ? 0 : <f32>-HALF_PI;
}
// @ts-ignore: decorator
@inline function clampHigh(id: i32, p0: f32, p1: f32): f32 {
  return id == HARDTANH ? p1 : id == RELU6 ? 6 : <f32>HALF_PI;
}

// a = f(y) for the piecewise-linear ids: SIMD body, then the scalar tail by act().
function piecewiseForward(id: i32, a: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  const n4 = n & ~3, zero = f32x4.splat(0), s = f32x4.splat(p0);
  const lo = f32x4.splat(clampLow(id, p0, p1)), hi = f32x4.splat(clampHigh(id, p0, p1));
  for (let k = 0; k < n4; k += 4) {
    const off = <usize>k << 2;
    const x = v128.load(y + off);
    let v: v128;
    if (id == HARDTANH || id == RELU6 || id == HARD_ATAN) {
      // x < lo ? lo : x > hi ? hi : x (hard_atan compares in f64 against pi/2:
      // no f32 lies between pi/2 and its f32 rounding, so f32 compares agree)
      v = v128.bitselect(lo, v128.bitselect(hi, x, f32x4.gt(x, hi)), f32x4.lt(x, lo));
    } else if (id == HARDSHRINK) {
      v = v128.and(x, v128.or(f32x4.gt(x, s), f32x4.lt(x, f32x4.neg(s)))); // x if |x| > lambda, else +0
    } else if (id == SOFTSHRINK) {
      v = v128.bitselect(f32x4.sub(x, s), v128.bitselect(f32x4.add(x, s), zero, f32x4.lt(x, f32x4.neg(s))), f32x4.gt(x, s));
    } else {
      v = v128.bitselect(x, f32x4.mul(s, x), f32x4.gt(x, zero)); // leaky_relu, prelu, rrelu (eval)
    }
    v128.store(a + off, v);
  }
  for (let k = n4; k < n; k++) {
    const off = <usize>k << 2;
    store<f32>(a + off, <f32>act(id, <f64>load<f32>(y + off), p0, p1));
  }
}

// dY = dA * f'(y) for the piecewise-linear ids (f' is 0, 1 or the slope; dY may alias dA).
function piecewiseBackward(id: i32, dY: usize, dA: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  const n4 = n & ~3, zero = f32x4.splat(0), one = f32x4.splat(1), s = f32x4.splat(p0);
  const lo = f32x4.splat(clampLow(id, p0, p1)), hi = f32x4.splat(clampHigh(id, p0, p1));
  for (let k = 0; k < n4; k += 4) {
    const off = <usize>k << 2;
    const x = v128.load(y + off);
    let keep: v128, other = zero; // f' = 1 where keep, else `other`
    if (id == HARDTANH || id == RELU6 || id == HARD_ATAN) {
      keep = v128.and(f32x4.gt(x, lo), f32x4.lt(x, hi));
    } else if (id == HARDSHRINK || id == SOFTSHRINK) {
      keep = v128.or(f32x4.gt(x, s), f32x4.lt(x, f32x4.neg(s)));
    } else {
      keep = f32x4.gt(x, zero);
      other = s;
    }
    // a multiply, not a mask, so that dA * 0 keeps dA's sign as the scalar path does
    v128.store(dY + off, f32x4.mul(v128.load(dA + off), v128.bitselect(one, other, keep)));
  }
  for (let k = n4; k < n; k++) {
    const off = <usize>k << 2;
    store<f32>(dY + off, <f32>(<f64>load<f32>(dA + off) * actGrad(id, <f64>load<f32>(y + off), 0, p0, p1)));
  }
}

// --- elu, celu, selu, silu and gelu, four lanes at a time --------------------
// With expV, expm1V and sigmoidV of simdmath.ts (a few f32 ulps from the f64
// formulas of act() and actGrad(), which the JS backend keeps). The negative
// branches only ever see min(x, 0), so no lane overflows; celu takes this path
// for alpha > 0 only (x/alpha <= 0 there). selu's scale can take x past f32:
// finite lanes saturate at the f32 maximum, as in the scalar path.

// @ts-ignore: decorator
@inline function isExpFamily(id: i32, p0: f32): bool {
  return id == ELU || id == SELU || id == SILU || id == GELU || (id == CELU && p0 > 0);
}

// erfc(z), lane by lane: the same Chebyshev fit as erfc() above, in f32 with expV.
// @ts-ignore: decorator
@inline function erfcV(z: v128): v128 {
  const x = f32x4.abs(z);
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(0.5), x)));
  let q = f32x4.splat(0.17087277);
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(-0.82215223));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(1.48851587));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(-1.13520398));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(0.27886807));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(-0.18628806));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(0.09678418));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(0.37409196));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(1.00002368));
  const arg = f32x4.add(f32x4.sub(f32x4.mul(t, q), f32x4.mul(x, x)), f32x4.splat(-1.26551223));
  const r = f32x4.mul(t, expV(arg));
  return v128.bitselect(r, f32x4.sub(f32x4.splat(2), r), f32x4.ge(z, f32x4.splat(0)));
}

// gelu and its derivative, exact (erf) form or tanh form (p0 != 0).
// @ts-ignore: decorator
@inline function geluLanes(x: v128, dA: v128, backward: bool, p0: f32): v128 {
  const half = f32x4.splat(0.5), one = f32x4.splat(1);
  if (p0 != 0) {
    // 0.5 x (1 + tanh u) = x s with s = sigmoid(2u), u = c (x + k x^3): no
    // cancellation in 1 + tanh u where tanh u is near -1 (sigmoidV is exact-ish
    // in its tails); f' = s + 2 x s (1 - s) c (1 + 3k x^2)
    const c = f32x4.splat(<f32>SQRT_2_OVER_PI), k = f32x4.splat(<f32>GELU_CUBIC);
    const x2 = f32x4.mul(x, x);
    const sg = sigmoidV(f32x4.mul(f32x4.splat(2), f32x4.mul(c, f32x4.add(x, f32x4.mul(k, f32x4.mul(x2, x))))));
    if (!backward) return f32x4.mul(x, sg);
    const du = f32x4.mul(c, f32x4.add(one, f32x4.mul(f32x4.splat(3 * <f32>GELU_CUBIC), x2)));
    const d = f32x4.add(sg, f32x4.mul(f32x4.mul(f32x4.mul(f32x4.splat(2), x), f32x4.mul(sg, f32x4.sub(one, sg))), du));
    // past |x| = 20, f' is 1 or 0 to f32's resolution, and x^2 may overflow into 0 * Infinity
    const far = v128.bitselect(one, f32x4.splat(0), f32x4.gt(x, f32x4.splat(0)));
    return f32x4.mul(dA, v128.bitselect(far, d, f32x4.gt(f32x4.abs(x), f32x4.splat(20))));
  }
  const cdf = f32x4.mul(half, erfcV(f32x4.mul(x, f32x4.splat(-<f32>INV_SQRT_2)))); // Phi(x)
  if (!backward) return f32x4.mul(x, cdf);
  // Phi(x) + x phi(x); e^(-x^2/2) is 0 (not NaN) once x^2 overflows
  const pdf = f32x4.mul(f32x4.splat(<f32>INV_SQRT_2PI), expV(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(x, x))));
  return f32x4.mul(dA, f32x4.add(cdf, f32x4.mul(x, pdf)));
}

// f (dA == 0) or dA * f' (dA != 0) of one vector of pre-activations x.
// @ts-ignore: decorator
@inline function expLanes(id: i32, x: v128, dA: v128, backward: bool, p0: f32): v128 {
  const zero = f32x4.splat(0), pos = f32x4.gt(x, zero);
  if (id == GELU) return geluLanes(x, dA, backward, p0);
  if (id == SILU) {
    const s = sigmoidV(x);
    if (!backward) return f32x4.mul(x, s);
    // s (1 + x (1 - s))
    const d = f32x4.mul(s, f32x4.add(f32x4.splat(1), f32x4.mul(x, f32x4.sub(f32x4.splat(1), s))));
    return f32x4.mul(dA, d);
  }
  // the negative branch on u = min(x, 0) (divided by alpha for celu)
  let u = f32x4.min(x, zero);
  if (id == CELU) u = f32x4.div(u, f32x4.splat(p0));
  const alpha = f32x4.splat(id == SELU ? <f32>SELU_ALPHA : p0);
  const scale = f32x4.splat(id == SELU ? <f32>SELU_SCALE : 1);
  let v: v128;
  if (!backward) {
    v = v128.bitselect(x, f32x4.mul(alpha, expm1V(u)), pos); // alpha (e^u - 1)
  } else {
    // f' = e^(x/alpha) for celu, alpha e^x for elu and selu
    v = v128.bitselect(f32x4.splat(1), id == CELU ? expV(u) : f32x4.mul(alpha, expV(u)), pos);
  }
  if (id == SELU) {
    v = f32x4.mul(scale, v);
    // a finite lane that scale took past f32 saturates (an infinite x stays infinite)
    const big = f32x4.splat(<f32>F32_MAX);
    const finite = f32x4.eq(f32x4.sub(x, x), zero);
    v = v128.bitselect(f32x4.max(f32x4.min(v, big), f32x4.neg(big)), v, finite);
  }
  return backward ? f32x4.mul(dA, v) : v;
}

// out = f(y) (dA == 0), or out = dA * f'(y); out may alias dA. The last n % 4
// elements go through the same lanes, so every element gets one formula.
function expFamily(id: i32, out: usize, dA: usize, y: usize, n: i32, p0: f32): void {
  const n4 = n & ~3, backward = dA != 0;
  for (let k = 0; k < n4; k += 4) {
    const off = <usize>k << 2;
    const g = backward ? v128.load(dA + off) : f32x4.splat(0);
    v128.store(out + off, expLanes(id, v128.load(y + off), g, backward, p0));
  }
  if (n4 == n) return;
  let x = f32x4.splat(0), g = f32x4.splat(0);
  for (let k = n4; k < n; k++) {
    const off = <usize>k << 2, lane = k - n4;
    const xv = load<f32>(y + off), gv = backward ? load<f32>(dA + off) : <f32>0;
    if (lane == 0) { x = f32x4.replace_lane(x, 0, xv); g = f32x4.replace_lane(g, 0, gv); }
    else if (lane == 1) { x = f32x4.replace_lane(x, 1, xv); g = f32x4.replace_lane(g, 1, gv); }
    else { x = f32x4.replace_lane(x, 2, xv); g = f32x4.replace_lane(g, 2, gv); }
  }
  const r = expLanes(id, x, g, backward, p0);
  for (let k = n4; k < n; k++) {
    const off = <usize>k << 2, lane = k - n4;
    store<f32>(out + off, lane == 0 ? f32x4.extract_lane(r, 0) : lane == 1 ? f32x4.extract_lane(r, 1) : f32x4.extract_lane(r, 2));
  }
}

// prelu with a learnable slope, one per layer (nSlope = 1) or per unit (nSlope = nOut).
//   y, a (B, nOut); slope (nSlope)
export function preluForward(a: usize, y: usize, slope: usize, B: i32, nOut: i32, nSlope: i32): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < nOut; i++) {
      const off = <usize>(b * nOut + i) << 2;
      const x = load<f32>(y + off);
      const s = load<f32>(slope + (<usize>(nSlope == 1 ? 0 : i) << 2));
      store<f32>(a + off, x > 0 ? x : s * x);
    }
  }
}

// dY = dA * prelu'(y); dSlope[i or 0] += sum over x <= 0 of dA * y (accumulated).
export function preluBackward(dY: usize, dSlope: usize, dA: usize, y: usize, slope: usize,
                              B: i32, nOut: i32, nSlope: i32): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < nOut; i++) {
      const off = <usize>(b * nOut + i) << 2;
      const x = load<f32>(y + off), g = load<f32>(dA + off);
      const sAt = <usize>(nSlope == 1 ? 0 : i) << 2;
      if (x > 0) {
        store<f32>(dY + off, g);
      } else {
        store<f32>(dSlope + sAt, load<f32>(dSlope + sAt) + g * x);
        store<f32>(dY + off, g * load<f32>(slope + sAt));
      }
    }
  }
}

// rrelu while training: a = r * y with a slope r ~ U(lower, upper) for each
// element with y <= 0, drawn from the generator state at `rng` (4 u32 words,
// advanced); noise (n) keeps the slope used (1 where y > 0): it is also a'(y).
export function rreluForward(a: usize, y: usize, noise: usize, n: i32, lower: f32, upper: f32,
                             rng: usize): void {
  for (let k = 0; k < n; k++) {
    const off = <usize>k << 2;
    const x = load<f32>(y + off);
    let r: f32 = 1;
    if (x <= 0) r = lower + (upper - lower) * nextUniform(rng);
    store<f32>(noise + off, r);
    store<f32>(a + off, x * r);
  }
}
