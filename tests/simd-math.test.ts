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
