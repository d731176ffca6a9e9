// Scalar activations and their derivatives in f64, the plain-TypeScript twin of
// assembly/activations.ts (same ids, same formulas, same kink conventions).

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;
const INV_SQRT_2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;
const HALF_PI = 1.5707963267948966;

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow. */
export function softplus1(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** erfc, fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit). */
export function erfc(z: number): number {
  const x = Math.abs(z);
  const t = 1 / (1 + 0.5 * x);
  const r = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? r : 2 - r;
}

const normalCdf = (x: number) => 0.5 * erfc(-x * INV_SQRT_2);

/** f(x) for activation `id` with kernel parameters p0, p1. */
export function act(id: number, x: number, p0: number, p1: number): number {
  switch (id) {
    case 0: return x;
    case 1: return x > 0 ? x : 0;
    case 2: return Math.tanh(x);
    case 3: return sigmoid(x);
    case 4: return x > 0 ? x : p0 * Math.expm1(x);
    case 5: case 9: case 11: return x > 0 ? x : p0 * x;
    case 6: return Math.atan(x);
    case 7: return x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
    case 8: return x < p0 ? p0 : x > p1 ? p1 : x;
    case 10: return x < 0 ? 0 : x > 6 ? 6 : x;
    case 12: return x > 0 ? x : p0 * Math.expm1(x / p0);
    case 13: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case 14: {
      if (p0 !== 0) return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
      return x * normalCdf(x);
    }
    case 15: return x > p0 || x < -p0 ? x : 0;
    case 16: return x > p0 ? x - p0 : x < -p0 ? x + p0 : 0;
    case 17: return -softplus1(-x);
    case 18: return x / (1 + Math.abs(x));
    case 19: return x - Math.tanh(x);
    case 20: { const bx = p0 * x; return bx > p1 ? x : softplus1(bx) / p0; }
    case 21: return x * sigmoid(x);
    case 22: return x * Math.tanh(softplus1(x));
    case 23: return x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6;
    case 24: return x < -HALF_PI ? -HALF_PI : x > HALF_PI ? HALF_PI : x;
    default: return NaN;
  }
}

/** f'(x); `fx` is f(x) (used by tanh and sigmoid). */
export function actGrad(id: number, x: number, fx: number, p0: number, p1: number): number {
  switch (id) {
    case 0: return 1;
    case 1: return x > 0 ? 1 : 0;
    case 2: return 1 - fx * fx;
    case 3: return fx * (1 - fx);
    case 4: return x > 0 ? 1 : p0 * Math.exp(x);
    case 5: case 9: case 11: return x > 0 ? 1 : p0;
    case 6: return 1 / (1 + x * x);
    case 7: return x > -3 && x < 3 ? 1 / 6 : 0;
    case 8: return x > p0 && x < p1 ? 1 : 0;
    case 10: return x > 0 && x < 6 ? 1 : 0;
    case 12: return x > 0 ? 1 : Math.exp(x / p0);
    case 13: return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
    case 14: {
      if (p0 !== 0) {
        const th = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
      }
      return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
    case 15: case 16: return x > p0 || x < -p0 ? 1 : 0;
    case 17: return sigmoid(-x);
    case 18: { const d = 1 + Math.abs(x); return 1 / (d * d); }
    case 19: { const th = Math.tanh(x); return th * th; }
    case 20: { const bx = p0 * x; return bx > p1 ? 1 : sigmoid(bx); }
    case 21: { const s = sigmoid(x); return s * (1 + x * (1 - s)); }
    case 22: { const th = Math.tanh(softplus1(x)); return th + x * (1 - th * th) * sigmoid(x); }
    case 23: return x < -3 ? 0 : x < 3 ? x / 3 + 0.5 : 1; // PyTorch: right derivative at both kinks
    case 24: return x > -HALF_PI && x < HALF_PI ? 1 : 0;
    default: return NaN;
  }
}

const F32_MAX = 3.4028234663852886e38;

/** f(x) for a finite f32 x, kept inside f32's range: a value past it (selu's
 *  scale takes x near 3.4e38 past it) saturates at +-F32_MAX instead of
 *  rounding to Infinity (assembly/activations.ts toF32). */
export function toF32(v: number): number {
  return v > F32_MAX ? F32_MAX : v < -F32_MAX ? -F32_MAX : v;
}
