// exp, expm1, tanh and sigmoid on four f32 lanes at once, for the activations
// that networks spend their time in (tanh, sigmoid, elu, selu, celu, silu). Accuracy: a few f32 ulps (relative error
// below 5e-7 over the whole f32 range), far inside the 1e-5 the tests ask of
// f32 kernels. The scalar f64 versions in activations.ts stay the reference
// (and the plain-JS backend's formulas), so the backends differ only in the
// last bits of these three functions.

const LOG2E: f32 = 1.4426950408889634;
// ln 2 in two parts (Cody and Waite): LN2_HI has few enough bits that n*LN2_HI
// is exact for |n| <= 128, LN2_LO carries the rest.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// below this, e^x is under f32's smallest normal and flushed to 0
const EXP_MIN: f32 = -87.33654;
const EXP_MAX: f32 = 88.37626;

// e^x, lane by lane: x = n ln2 + r with |r| <= ln2/2, e^r by its Taylor
// polynomial to r^6 (remainder below 1.2e-7 relative), 2^n built in the
// exponent bits. Lanes below EXP_MIN give 0, above EXP_MAX +Infinity.
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_MIN));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  // 1 + r + r^2/2! + ... + r^6/6!, Horner form
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^n as f32 bits: (n + 127) << 23; n in [-126, 128) after the clamp
  const twoN = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  let y = f32x4.mul(p, twoN);
  y = v128.bitselect(f32x4.splat(0), y, f32x4.lt(x, f32x4.splat(EXP_MIN)));
  return v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(EXP_MAX)));
}

// e^x - 1, lane by lane, without the cancellation of expV(x) - 1 near 0: for
// |x| < 1/2 the Taylor series to x^7 (the next term is below 1e-7 relative
// there), else expV(x) - 1.
// @ts-ignore: decorator
@inline export function expm1V(x: v128): v128 {
  let q = f32x4.splat(1.0 / 5040.0);
  q = f32x4.add(f32x4.mul(q, x), f32x4.splat(1.0 / 720.0));
  q = f32x4.add(f32x4.mul(q, x), f32x4.splat(1.0 / 120.0));
  q = f32x4.add(f32x4.mul(q, x), f32x4.splat(1.0 / 24.0));
  q = f32x4.add(f32x4.mul(q, x), f32x4.splat(1.0 / 6.0));
  q = f32x4.add(f32x4.mul(q, x), f32x4.splat(0.5));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(q, x), x)); // x + x^2 q(x)
  const big = f32x4.sub(expV(x), f32x4.splat(1));
  return v128.bitselect(small, big, f32x4.lt(f32x4.abs(x), f32x4.splat(0.5)));
}

// tanh, lane by lane. For |x| >= 1/4: (1 - t)/(1 + t) with t = e^(-2|x|), the
// sign put back; below, the odd Taylor series to x^11 (the next term is under
// 2e-10 there), which avoids the cancellation in 1 - t.
// @ts-ignore: decorator
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const t = expV(f32x4.mul(ax, f32x4.splat(-2)));
  const big = f32x4.div(f32x4.sub(f32x4.splat(1), t), f32x4.add(f32x4.splat(1), t));
  const x2 = f32x4.mul(x, x);
  let q = f32x4.splat(-1382.0 / 155925.0);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(62.0 / 2835.0));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-17.0 / 315.0));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.0 / 15.0));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(q, x2), x)); // x + x^3 q(x^2)
  // |big| with the sign bit of x
  const signed = v128.or(big, v128.and(x, f32x4.splat(-0.0)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.25)));
}

// sigmoid, lane by lane: with t = e^(-|x|), 1/(1 + t) for x >= 0 and
// t/(1 + t) for x < 0 (no e^x of a large positive x, no cancellation).
// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  const t = expV(f32x4.neg(f32x4.abs(x)));
  const inv = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), t));
  return v128.bitselect(f32x4.mul(t, inv), inv, f32x4.lt(x, f32x4.splat(0)));
}

// Applies a lane function to n floats from src into dst: f32x4 body, and the
// last n % 4 floats through the same lane function (lanes loaded one by one),
// so every element gets the same formula wherever it sits.
// @ts-ignore: decorator
@inline export function mapLanes(dst: usize, src: usize, n: i32, which: i32): void {
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) {
    const off = <usize>k << 2;
    v128.store(dst + off, apply(which, v128.load(src + off)));
  }
  if (n4 < n) {
    let v = f32x4.splat(0);
    const rest = n - n4;
    v = f32x4.replace_lane(v, 0, load<f32>(src + (<usize>n4 << 2)));
    if (rest > 1) v = f32x4.replace_lane(v, 1, load<f32>(src + (<usize>(n4 + 1) << 2)));
    if (rest > 2) v = f32x4.replace_lane(v, 2, load<f32>(src + (<usize>(n4 + 2) << 2)));
    v = apply(which, v);
    store<f32>(dst + (<usize>n4 << 2), f32x4.extract_lane(v, 0));
    if (rest > 1) store<f32>(dst + (<usize>(n4 + 1) << 2), f32x4.extract_lane(v, 1));
    if (rest > 2) store<f32>(dst + (<usize>(n4 + 2) << 2), f32x4.extract_lane(v, 2));
  }
}

export const LANE_TANH = 0, LANE_SIGMOID = 1;

// @ts-ignore: decorator
@inline function apply(which: i32, v: v128): v128 {
  return which == LANE_TANH ? tanhV(v) : sigmoidV(v);
}
