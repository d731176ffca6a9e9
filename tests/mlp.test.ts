// The foundation: backprop against finite differences in f64, the two backends
// against each other, learning xor4, and reproducible seeds.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, xor4, moons } from '../src/index.js';
import { setup, randomMatrix, maxRelDiff } from './helpers.js';

beforeAll(setup);

// f64 reference of the net and the loss, from the net's own f32 parameters.
function refLoss(net: Mlp, params: Float64Array, x: { data: Float32Array; rows: number; cols: number },
                 y: ArrayLike<number>, loss: string, acts: string[]): number {
  const f = (id: string, v: number) => id === 'relu' ? Math.max(v, 0) : id === 'tanh' ? Math.tanh(v)
    : id === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v;
  let total = 0;
  for (let b = 0; b < x.rows; b++) {
    let a = Array.from(x.data.subarray(b * x.cols, (b + 1) * x.cols));
    let off = 0;
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l], nOut = net.sizes[l + 1];
      const out: number[] = [];
      for (let i = 0; i < nOut; i++) {
        let s = params[off + nIn * nOut + i];
        for (let j = 0; j < nIn; j++) s += params[off + i * nIn + j] * a[j];
        out.push(f(acts[l], s));
      }
      off += nIn * nOut + nOut;
      a = out;
    }
    if (loss === 'hinge') total += Math.max(0, 1 - y[b] * a[0]);
    else if (loss === 'mse') a.forEach((v, i) => { total += (v - (y[b] === i ? 1 : 0)) ** 2 / a.length; });
    else {
      const m = Math.max(...a), lse = m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
      total += lse - a[y[b]];
    }
  }
  return total / (loss === 'hinge' ? 1 : x.rows);
}

describe('backpropagation', () => {
  const cases: [string, string][] = [];
  for (const act of ['relu', 'tanh', 'sigmoid', 'identity']) for (const loss of ['hinge', 'mse', 'cross_entropy']) cases.push([act, loss]);

  it.each(cases)('matches central finite differences in f64 for %s with %s, every weight and bias', (act, loss) => {
    const C = loss === 'hinge' ? 1 : 3;
    const net = new Mlp({ sizes: [4, 6, 5, C], activation: act, seed: 3 });
    const x = randomMatrix(7, 4, 11);
    const y = loss === 'hinge' ? [1, -1, 1, 1, -1, -1, 1] : [0, 2, 1, 1, 0, 2, 2];
    const { grads } = net.backward(x, y, { loss });
    const p = Float64Array.from(net.getParameters());
    const acts = [act, act, 'identity'];
    const h = 1e-6;
    let worst = 0;
    for (let k = 0; k < p.length; k++) {
      const keep = p[k];
      p[k] = keep + h; const up = refLoss(net, p, x, y, loss, acts);
      p[k] = keep - h; const down = refLoss(net, p, x, y, loss, acts);
      p[k] = keep;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - grads[k]) / Math.max(1e-3, Math.abs(fd) + Math.abs(grads[k])));
    }
    expect(worst).toBeLessThan(1e-3);
    net.dispose();
  });
});

describe('the wasm and js backends', () => {
  it('agree on forward outputs, gradients, and after 100 SGD steps', () => {
    const ds = moons({ n: 256, seed: 4 });
    const make = (backend: 'wasm' | 'js') => new Mlp({ sizes: [2, 32, 16, 2], activation: 'tanh', seed: 9, backend });
    const w = make('wasm'), j = make('js');
    expect(w.backend).toMatch(/^wasm/);
    expect(j.backend).toBe('js');
    expect(maxRelDiff(w.getParameters(), j.getParameters())).toBe(0);
    expect(maxRelDiff(w.predict(ds.train.x).data, j.predict(ds.train.x).data)).toBeLessThan(1e-5);
    const gw = w.backward(ds.train.x, ds.train.y).grads, gj = j.backward(ds.train.x, ds.train.y).grads;
    expect(maxRelDiff(gw, gj)).toBeLessThan(1e-5);
    const opts = { loss: 'cross_entropy', lr: 0.1, batchSize: 64, epochs: 25, seed: 2 } as const; // 4 steps an epoch
    const rw = w.fit(ds.train.x, ds.train.y, opts), rj = j.fit(ds.train.x, ds.train.y, opts);
    expect(rw.steps).toBe(100);
    expect(maxRelDiff(w.getParameters(), j.getParameters())).toBeLessThan(1e-4);
    expect(Math.abs(rw.history[24].loss - rj.history[24].loss)).toBeLessThan(1e-4);
  });

  it('give bit-identical initial weights for the same seed, run after run', () => {
    const a = new Mlp({ sizes: [784, 128, 10], seed: 1 }).getParameters();
    const b = new Mlp({ sizes: [784, 128, 10], seed: 1 }).getParameters();
    const c = new Mlp({ sizes: [784, 128, 10], seed: 2 }).getParameters();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    // He uniform for relu layers: |w| <= sqrt(6 / nIn)
    expect(Math.max(...a.subarray(0, 784 * 128).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 784));
  });

  it('train to the same weights twice with the same seeds', () => {
    const ds = moons({ n: 100, seed: 1 });
    const run = () => {
      const n = new Mlp({ sizes: [2, 8, 2], seed: 5 });
      n.fit(ds.train.x, ds.train.y, { lr: 0.05, epochs: 3, batchSize: 10, seed: 7 });
      return n.getParameters();
    };
    expect(Array.from(run())).toEqual(Array.from(run()));
  });
});

describe('the lecture\'s four points (xor4)', () => {
  const { train } = xor4();

  it('are learnt to zero training error by a one-hidden-layer relu MLP', () => {
    const net = new Mlp({ sizes: [2, 8, 1], activation: 'relu', seed: 1 });
    net.fit(train.x, train.y, { loss: 'hinge', lr: 0.1, epochs: 200, batchSize: 4 });
    const r = net.evaluate(train.x, train.y, { loss: 'hinge' });
    expect(r.error).toBe(0);
    expect(Array.from(net.predictLabels(train.x))).toEqual([1, 1, -1, -1]);
  });

  it('cannot be learnt by a single linear neuron: its error stays >= 1/4', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const net = new Mlp({ sizes: [2, 1], seed });
      net.fit(train.x, train.y, { loss: 'hinge', lr: 0.05, epochs: 500, batchSize: 4 });
      expect(net.evaluate(train.x, train.y, { loss: 'hinge' }).error).toBeGreaterThanOrEqual(0.25);
    }
  });
});
