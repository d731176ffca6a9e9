// Forward and backward passes of small MLPs against backprop.json (torch 1.13
// autograd in float64; nn.Linear layout W[out][in]), for sum and mean
// reductions, on both backends; and gradCheck on the same nets.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, F, gradCheck } from '../src/index.js';
import { setup, fixture, expectF32Close, F32_REL, F32_ABS } from './helpers.js';

beforeAll(setup);

const fx = fixture('backprop.json');
const BACKENDS = ['wasm', 'js'] as const;



interface Reduced { loss: number; grad_weights: number[][][]; grad_biases: number[][]; grad_inputs: number[][] }
interface Case {
  sizes: number[]; hidden_activation: string; output_activation: string; loss: string;
  weights: number[][][]; biases: number[][]; inputs: number[][]; labels: number[];
  preactivations: number[][][]; activations: number[][][]; outputs: number[][]; per_sample_loss: number[];
  sum: Reduced; mean: Reduced;
}

const label = (c: Case) => `${c.sizes.join('-')} ${c.hidden_activation} net with ${c.loss}`;

function build(c: Case, backend: 'wasm' | 'js'): Mlp {
  const L = c.sizes.length - 1;
  expect(c.output_activation).toBe('identity');
  const net = new Mlp({
    layers: c.sizes.slice(1).map((out, l) => ({ in: c.sizes[l], out, activation: l < L - 1 ? c.hidden_activation : 'identity' })),
    backend,
  });
  for (let l = 0; l < L; l++) net.setLayer(l, { weight: c.weights[l], bias: c.biases[l] });
  return net;
}

describe.skipIf(!fx).each(BACKENDS)('backpropagation against backprop.json (%s backend)', (backend) => {
  const cases: Case[] = fx?.cases ?? [];
  const named = cases.map((c) => [label(c), c] as const);

  it.each(named)('%s: pre-activations, activations, outputs, loss and every gradient match torch for sum and mean', (_, c) => {
    const net = build(c, backend);
    const L = c.sizes.length - 1;
    for (const reduction of ['sum', 'mean'] as const) {
      const what = `${label(c)} (${reduction})`;
      const r = net.backward(c.inputs, c.labels, { loss: { name: c.loss, reduction } });
      expect(r.layers.length).toBe(L);
      for (let l = 0; l < L; l++) {
        expectF32Close(r.layers[l].preactivation.data, c.preactivations[l].flat(), `${what}: z of layer ${l}`);
        expectF32Close(r.layers[l].activation.data, c.activations[l].flat(), `${what}: a of layer ${l}`);
      }
      expectF32Close(r.layers[L - 1].activation.data, c.outputs.flat(), `${what}: outputs`);
      const ref = c[reduction];
      expect(Math.abs(r.loss - ref.loss), `${what}: loss ${r.loss}, expected ${ref.loss}`).toBeLessThanOrEqual(Math.max(F32_REL * Math.abs(ref.loss), F32_ABS));
      // grads: per layer W row-major (out, in), then the bias
      const flat: number[] = [];
      for (let l = 0; l < L; l++) flat.push(...ref.grad_weights[l].flat(), ...ref.grad_biases[l]);
      expectF32Close(r.grads, flat, `${what}: grads`);
      // dLoss/dx = dLoss/dz_0 · W_0, from the first layer's recorded dLoss/dz (f64 here)
      const dz = r.layers[0].grad, nIn = c.sizes[0], nOut = c.sizes[1];
      const dx = new Float64Array(c.inputs.length * nIn);
      for (let b = 0; b < c.inputs.length; b++) for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) {
        dx[b * nIn + j] += dz.data[b * nOut + i] * c.weights[0][i][j];
      }
      expectF32Close(dx, ref.grad_inputs.flat(), `${what}: grad_inputs`);
    }
    net.dispose();
  });

  it.each(named)('%s: the loss of each sample matches torch\'s, from the net\'s outputs', (_, c) => {
    const net = build(c, backend);
    const out = net.predict(c.inputs);
    const scores = out.cols === 1 ? out.data : out;
    const r = F.loss(c.loss, scores, c.labels, { backend });
    expectF32Close(r.perSample, c.per_sample_loss, `${label(c)}: per-sample loss`);
    net.dispose();
  });

  it.each(named)('%s: gradCheck finds backpropagation within 1e-4 of central finite differences (sum and mean)', (_, c) => {
    const net = build(c, backend);
    for (const reduction of ['sum', 'mean'] as const) {
      // floor 1e-3: relative errors of gradients below 1e-3 are taken against
      // 1e-3. The gradient is f32: an entry whose batch terms cancel carries
      // the terms' rounding (a few ulps of ~0.1); in the 3-5-4-1 tanh/hinge
      // net one entry is 2.5e-4 from terms of ±0.09, 3.5e-8 off on wasm, which
      // is 1.4e-4 relative with the default floor 1e-4.
      const g = gradCheck(net, c.inputs, c.labels, { name: c.loss, reduction }, { floor: 1e-3 });
      expect(g.checked).toBe(net.getParameters().length);
      expect(g.maxRelError, `${label(c)} (${reduction}): worst ${JSON.stringify(g.worst)}`).toBeLessThan(1e-4);
      expect(g.maxAbsError).toBeLessThan(1e-6);
      expect(Math.abs(g.loss - c[reduction].loss)).toBeLessThanOrEqual(F32_REL * c[reduction].loss);
    }
    net.dispose();
  });
});
