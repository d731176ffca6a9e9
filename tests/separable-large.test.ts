// separable() on sets larger than its first working set (constraint generation):
// the verdict and its proof hold for every point.
import { describe, it, expect } from 'vitest';
import { separable, certificateResidual, Rng } from '../src/index.js';

function cloud(n: number, d: number, seed: number) {
  const r = new Rng(seed), x = new Float64Array(n * d), y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) { x[t * d + j] = r.range(-1, 1); s += (j + 1) * x[t * d + j]; }
    y[t] = s > 0 ? 1 : -1;
    x[t * d] += 0.05 * y[t]; // a small gap around the plane sum_j (j+1) x_j = 0
  }
  return { x: { data: x, rows: n, cols: d }, y };
}

describe('separable on 3,000 points (working sets of 1,000)', () => {
  it('finds a hyperplane that separates every point', async () => {
    const { x, y } = cloud(3000, 5, 1);
    const r = await separable(x, y);
    expect(r.separable).toBe(true);
    if (!r.separable) return;
    let worst = Infinity;
    for (let t = 0; t < 3000; t++) {
      let f = r.b;
      for (let j = 0; j < 5; j++) f += r.w[j] * x.data[t * 5 + j];
      worst = Math.min(worst, y[t] * f);
    }
    expect(worst).toBeGreaterThan(0);
    expect(r.minMargin).toBeCloseTo(worst, 9);
  });

  it('proves non-separability with a certificate checked on all points when one label is flipped', async () => {
    const { x, y } = cloud(3000, 5, 2);
    // a copy of point 2999 with the opposite label: no hyperplane can split them
    const data = new Float64Array(3001 * 5);
    data.set(x.data);
    data.set(x.data.subarray(2999 * 5, 3000 * 5), 3000 * 5);
    const y2 = Float64Array.from([...y, -y[2999]]);
    const r = await separable({ data, rows: 3001, cols: 5 }, y2);
    expect(r.separable).toBe(false);
    if (r.separable) return;
    expect(r.certificate.lambda.length).toBe(3001);
    expect(certificateResidual({ data, rows: 3001, cols: 5 }, y2, r.certificate.lambda)).toBeLessThan(1e-9);
  });
});
