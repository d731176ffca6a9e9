// The f32x4 tanh and sigmoid of the wasm core against f64 Math over the f32
// range: a few ulps, no NaN or Infinity, exact limits.
import { describe, it, expect, beforeAll } from 'vitest';
import { getKernels, Rng } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

function inputs(): Float32Array {
  const r = new Rng(5), xs: number[] = [0, -0, 1e-30, -1e-30, 1e-8, 1e-4, 0.2499, 0.25, 0.2501, 1, 5, 9, 10, 20, 40, 87, 88, 100, 1e4, 3e38];
  for (let k = 0; k < 2000; k++) xs.push(r.range(-12, 12));
  for (let k = 0; k < 200; k++) xs.push(Math.exp(r.range(-30, 5)));
  const all = [...xs, ...xs.map((v) => -v), 7, 8, 9]; // odd length: the tail lanes too
  return Float32Array.from(all);
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

describe('f32x4 activations in the wasm core', () => {
  it.each([['tanh', 2, Math.tanh], ['sigmoid', 3, sigmoid]] as const)('%s is within 5e-7 relative (or 1e-30 absolute) of f64', (_name, id, ref) => {
    const k = getKernels('wasm'), x = inputs(), n = x.length;
    const py = k.alloc(n * 4), pa = k.alloc(n * 4);
    k.f32().set(x, py >> 2);
    k.activationForward(id, pa, py, n, 0, 0);
    const out = k.f32().slice(pa >> 2, (pa >> 2) + n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(out[i])).toBe(true);
      const want = ref(x[i]);
      const err = Math.abs(out[i] - want);
      if (err > 1e-30) worst = Math.max(worst, err / Math.abs(want));
    }
    expect(worst).toBeLessThan(5e-7);
    k.free(py); k.free(pa);
  });

  it('saturates exactly: tanh(±40) = ±1, sigmoid(-1e4) = 0, sigmoid(1e4) = 1', () => {
    const k = getKernels('wasm'), x = Float32Array.from([40, -40, -1e4, 1e4]);
    const py = k.alloc(16), pa = k.alloc(16);
    k.f32().set(x, py >> 2);
    k.activationForward(2, pa, py, 2, 0, 0);
    k.activationForward(3, pa + 8, py + 8, 2, 0, 0);
    expect(Array.from(k.f32().slice(pa >> 2, (pa >> 2) + 4))).toEqual([1, -1, 0, 1]);
  });
});

describe('the f32x4 piecewise-linear activations', () => {
  // ids of src/ids.ts with their kernel parameters; leaky_relu with slope 2
  // takes the scalar path (it could overflow), the others the SIMD one
  const cases: [string, number, number, number][] = [
    ['leaky_relu 0.01', 5, 0.01, 0], ['leaky_relu -0.5', 5, -0.5, 0], ['leaky_relu 2', 5, 2, 0],
    ['prelu 0.25', 9, 0.25, 0], ['rrelu (eval)', 11, 11 / 48, 0], ['hardtanh', 8, -1, 1], ['hardtanh (-2, 3)', 8, -2, 3],
    ['relu6', 10, 0, 0], ['hard_atan', 24, 0, 0], ['hardshrink', 15, 0.5, 0], ['softshrink', 16, 0.25, 0],
  ];
  const specials = [0, -0, NaN, Infinity, -Infinity, 3e38, -3e38, 1, -1, 0.5, -0.5, 0.25, -0.25, 6, 3, -2,
    Math.fround(Math.PI / 2), -Math.fround(Math.PI / 2), 1.5707962513, -1.5707962513];
  const x = Float32Array.from([...specials, ...inputs()]);
  const dA = Float32Array.from(x, (_, k) => (k % 3 === 0 ? -1.5 : k % 3 === 1 ? 0.75 : -0)); // negative, positive, -0
  it.each(cases)('%s gives bit for bit the plain-JS values, forward and backward', (_name, id, p0, p1) => {
    const out: Float32Array[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const k = getKernels(name), n = x.length;
      const y = k.alloc(4 * n), a = k.alloc(4 * n), d = k.alloc(4 * n), g = k.alloc(4 * n);
      k.f32().set(x, y >> 2); k.f32().set(dA, g >> 2);
      k.activationForward(id, a, y, n, p0, p1);
      k.activationBackward(id, d, g, y, a, n, p0, p1);
      const f = k.f32();
      out.push([f.slice(a >> 2, (a >> 2) + n), f.slice(d >> 2, (d >> 2) + n)]);
      [y, a, d, g].forEach((p) => k.free(p));
    }
    for (let j = 0; j < 2; j++) {
      const bad = [];
      for (let i = 0; i < x.length; i++) if (!Object.is(out[0][j][i], out[1][j][i])) bad.push(`x=${x[i]}: ${out[0][j][i]} vs ${out[1][j][i]}`);
      expect(bad.slice(0, 5), j ? 'backward' : 'forward').toEqual([]);
    }
  });
});

describe('the f32x4 elu, celu, selu and silu', () => {
  const SA = 1.6732632423543772, SS = 1.0507009873554805;
  const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  // [name, id, p0, f, f'] in f64
  const cases: [string, number, number, (x: number) => number, (x: number) => number][] = [
    ['elu', 4, 1, (x) => (x > 0 ? x : Math.expm1(x)), (x) => (x > 0 ? 1 : Math.exp(x))],
    ['elu alpha 0.5', 4, 0.5, (x) => (x > 0 ? x : 0.5 * Math.expm1(x)), (x) => (x > 0 ? 1 : 0.5 * Math.exp(x))],
    ['celu alpha 2', 12, 2, (x) => (x > 0 ? x : 2 * Math.expm1(x / 2)), (x) => (x > 0 ? 1 : Math.exp(x / 2))],
    ['selu', 13, 0, (x) => SS * (x > 0 ? x : SA * Math.expm1(x)), (x) => SS * (x > 0 ? 1 : SA * Math.exp(x))],
    ['silu', 21, 0, (x) => x * sig(x), (x) => sig(x) * (1 + x * (1 - sig(x)))],
  ];
  it.each(cases)('%s is within 1e-6 of f64 (relative; the derivative relative to max(|f\'|, 0.1)) and never overflows', (_n, id, p0, f, df) => {
    const k = getKernels('wasm'), x = inputs(), n = x.length;
    const y = k.alloc(4 * n), a = k.alloc(4 * n), d = k.alloc(4 * n);
    k.f32().set(x, y >> 2);
    k.activationForward(id, a, y, n, p0, 0);
    k.f32().fill(1, d >> 2, (d >> 2) + n);
    k.activationBackward(id, d, d, y, a, n, p0, 0);
    const fa = k.f32().slice(a >> 2, (a >> 2) + n), fd = k.f32().slice(d >> 2, (d >> 2) + n);
    [y, a, d].forEach((p) => k.free(p));
    let worst = 0;
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(fa[i]) && Number.isFinite(fd[i])).toBe(true);
      const e = Math.min(f(x[i]), 3.4028234663852886e38), g = df(x[i]);
      // f relative to itself; f' relative to max(|f'|, 0.1): silu' crosses 0 near x = -1.28,
      // where its 1 + x (1 - s) cancels (an absolute error of 1e-8 there)
      for (const [got, want, floor] of [[fa[i], e, 1e-30], [fd[i], g, 0.1]]) {
        if (Math.abs(got - want) > 1e-30) worst = Math.max(worst, Math.abs(got - want) / Math.max(Math.abs(want), floor));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('the f32x4 gelu', () => {
  it.each([['exact (erf)', 0], ['tanh approximation', 1]] as const)('gelu, %s, is within the f32 tolerance of the f64 formulas of the JS backend and never overflows', (_n, p0) => {
    const x = inputs(), n = x.length;
    const run = (name: 'wasm' | 'js') => {
      const k = getKernels(name), y = k.alloc(4 * n), a = k.alloc(4 * n), d = k.alloc(4 * n);
      k.f32().set(x, y >> 2);
      k.activationForward(14, a, y, n, p0, 0);
      k.f32().fill(1, d >> 2, (d >> 2) + n);
      k.activationBackward(14, d, d, y, a, n, p0, 0);
      const r = [k.f32().slice(a >> 2, (a >> 2) + n), k.f32().slice(d >> 2, (d >> 2) + n)];
      [y, a, d].forEach((p) => k.free(p));
      return r;
    };
    const [wf, wd] = run('wasm'), [jf, jd] = run('js');
    // the f32 tolerance of the fixtures (relative 1e-5, or absolute 1e-6 near zero): in
    // the far negative tail f32's 1 + tanh(u) and Phi(x) lose their relative digits
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(wf[i]) && Number.isFinite(wd[i])).toBe(true);
      for (const [w, j, what] of [[wf[i], jf[i], 'f'], [wd[i], jd[i], "f'"]] as const) {
        if (!(Math.abs(w - j) <= Math.max(1e-5 * Math.abs(j), 1e-6))) bad.push(`${what}(${x[i]}) = ${w}, f64 ${j}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
