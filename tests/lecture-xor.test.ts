// The lecture's argument on xor4 (x1=(1,0), x2=(−1,0) → +1; x3=(0,1), x4=(0,−1) → −1):
// one neuron (a hyperplane) cannot classify it, the LP proves why, one hidden layer can.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, xor4, separable, perceptron, certificateResidual, toMatrix64 } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

describe('xor4: the lecture example', () => {
  const ds = xor4();
  const { x, y } = ds.train;

  it('a single neuron trained with hinge keeps at least one of the four points wrong', () => {
    for (const seed of [1, 2, 3]) {
      const net = new Mlp({ sizes: [2, 1], seed });
      net.fit(x, y, { loss: 'hinge', lr: 0.1, epochs: 200, batchSize: 4, seed });
      // any hyperplane gets at least one of the four wrong: error ≥ 1/4
      expect(net.evaluate(x, y, { loss: 'hinge' }).error).toBeGreaterThanOrEqual(0.25);
    }
  });

  it('separable proves it: a certificate λ with Σ λ y [x; 1] = 0', async () => {
    const r = await separable(x, y);
    expect(r.separable).toBe(false);
    if (r.separable) return;
    expect(certificateResidual(toMatrix64(x, 'test'), y, r.certificate.lambda)).toBeLessThan(1e-12);
    expect(Array.from(r.certificate.lambda)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(perceptron(x, y, { maxEpochs: 100 }).converged).toBe(false);
  });

  it('an MLP with one hidden layer reaches zero training error', () => {
    const net = new Mlp({ sizes: [2, 8, 1], activation: 'relu', seed: 1 });
    net.fit(x, y, { loss: 'hinge', lr: 0.1, epochs: 500, batchSize: 4, seed: 1 });
    const r = net.evaluate(x, y, { loss: 'hinge' });
    expect(r.error).toBe(0);
    expect(r.loss).toBeLessThan(0.5);
  });
});
