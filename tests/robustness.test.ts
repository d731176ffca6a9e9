// Inputs found by attacking the API: each gets a clear error naming the
// problem, and a failure leaves the backend usable.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, resolveSchedule, matrix, toMatrix, getKernels, LOSSES } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

const ok = () => new Mlp({ sizes: [2, 4, 3], seed: 1 }).evaluate([[0, 1], [1, 0], [1, 1]], [0, 1, 2]).loss;

describe('robustness', () => {
  it('names that exist on every object are unknown names, not crashes', () => {
    for (const bad of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(() => new Mlp({ sizes: [2, 2, 2], activation: bad })).toThrow(/unknown activation/);
      expect(() => resolveSchedule(bad, 0.1)).toThrow(/unknown schedule/);
    }
  });

  it('values finite in f64 but not in f32 are refused where they would reach a kernel', () => {
    expect(() => new Mlp({ sizes: [2, 2, 2], activation: { name: 'leaky_relu', negativeSlope: 1e39 } })).toThrow(/negativeSlope=1e\+39/);
    expect(() => new Mlp({ sizes: [2, 2, 2], activation: { name: 'softplus', beta: 1e-46 } })).toThrow(/beta=1e-46 must be a finite number > 0/);
    expect(() => matrix([1e39, 0], 1, 2)).toThrow(/entry \(0, 0\) is Infinity in f32/);
  });

  it('NaN parameters are shown as NaN', () => {
    const net = new Mlp({ sizes: [2, 2] });
    expect(() => net.fit([[0, 1]], [0], { lr: NaN })).toThrow(/lr=NaN/);
  });

  it('schedules cannot make the learning rate negative', () => {
    expect(() => resolveSchedule({ name: 'inverse_time', a: -1 }, 0.1)).toThrow(/a=-1 must be > 0/);
    expect(() => resolveSchedule({ name: 'cosine', tMax: 2, etaMin: -1 }, 0.1)).toThrow(/etaMin=-1 must be in \[0, lr=0.1\]/);
    expect(() => resolveSchedule({ name: 'linear_warmup', startFactor: -5 }, 0.1)).toThrow(/startFactor=-5 must be in \(0, 1\]/);
    expect(() => resolveSchedule({ name: 'step', stepSize: 1, gamma: -1 }, 0.1)).toThrow(/gamma=-1 must be > 0/);
  });

  it('matrices of non-numbers, and a flat array where rows were expected, are refused', () => {
    expect(() => toMatrix({ data: [1, null as any], rows: 1, cols: 2 }, 'f')).toThrow(/data\[1\] is null, not a number/);
    expect(() => toMatrix([['1', '2'] as any], 'f')).toThrow(/entry \(0, 0\) is "1", not a number/);
    expect(() => toMatrix([1, 2] as any, 'f')).toThrow(/flat array of 2 values/);
  });

  it.each(['wasm', 'js'] as const)('a model too large for memory is refused and the %s backend keeps working', (backend) => {
    const before = new Mlp({ sizes: [2, 4, 3], seed: 1, backend }).evaluate([[0, 1], [1, 0], [1, 1]], [0, 1, 2]).loss;
    for (const sizes of [[32768, 32768], [100000, 100000]]) {
      expect(() => new Mlp({ sizes, backend })).toThrow(/GiB|cannot grow memory/);
    }
    const after = new Mlp({ sizes: [2, 4, 3], seed: 1, backend }).evaluate([[0, 1], [1, 0], [1, 1]], [0, 1, 2]).loss;
    expect(after).toBe(before);
    expect(Number.isFinite(ok())).toBe(true);
  });

  it('backward after dispose is refused and leaves the backend working', () => {
    const before = ok();
    const d = new Mlp({ sizes: [2, 4, 3] });
    d.dispose();
    expect(() => d.backward([[0, 1]], [0])).toThrow(/disposed/);
    expect(ok()).toBe(before);
  });

  it('validation labels and callbacks are checked before any weight changes', () => {
    const net = new Mlp({ sizes: [2, 4, 3], seed: 1 });
    const w0 = Array.from(net.getParameters());
    const x = [[0, 1], [1, 0], [1, 1]], y = [0, 1, 2];
    expect(() => net.fit(x, y, { epochs: 3, validation: { x: [[1, 2]], y: [7] } })).toThrow(/validation labels.*y\[0\] is 7/);
    expect(() => net.fit(x, y, { onEpoch: 5 as any })).toThrow(/onEpoch must be a function/);
    expect(Array.from(net.getParameters())).toEqual(w0);
  });

  it('a diverging run hands back the weights it had before fit()', () => {
    const net = new Mlp({ sizes: [2, 4, 3], seed: 1 });
    const w0 = net.getParameters();
    let err: any;
    try { net.fit([[0, 1], [1, 0], [1, 1]], [0, 1, 2], { lr: 1e30, epochs: 5, batchSize: 1 }); } catch (e) { err = e; }
    expect(err?.message).toMatch(/at epoch \d+, step \d+/);
    expect(Array.from(err.parametersBeforeFit)).toEqual(Array.from(w0));
    net.setParameters(err.parametersBeforeFit);
    expect(Number.isFinite(net.evaluate([[0, 1]], [0]).loss)).toBe(true);
  });

  it('setLayer checks the shape and every value before writing any of them', () => {
    const net = new Mlp({ sizes: [2, 4, 3] });
    const w0 = Array.from(net.getParameters());
    expect(() => net.setLayer(0, { weight: [[1, 2, 3, 4], [5, 6, 7, 8]] })).toThrow(/weight must be \(4, 2\) \(nOut, nIn\), got \(2, 4\)/);
    expect(() => net.setLayer(0, { weight: new Float32Array(8), bias: [1] })).toThrow(/bias needs 4 values, got 1/);
    expect(() => net.setLayer(0, { bias: [1e39, 0, 0, 0] })).toThrow(/bias\[0\] is 1e\+39/);
    expect(() => net.setParameters(new Array(net.nParams).fill(1e39))).toThrow(/value 0 is 1e\+39/);
    expect(Array.from(net.getParameters())).toEqual(w0);
  });

  it('scores that overflow f32 are an error, not NaN', () => {
    const net = new Mlp({ sizes: [2, 4, 3], seed: 1 });
    expect(() => net.predict([[3e38, 3e38]])).toThrow(/overflow f32/);
    expect(() => new Mlp({ sizes: [2, 2], seed: 1.5 })).toThrow(/seed must be an integer/);
  });

  it('an update that makes the scores overflow on its last step is caught, and the net still predicts', () => {
    const x = [[1, 0], [-1, 0], [0, 1], [0, -1]], y = [1, 1, -1, -1];
    const net = new Mlp({ sizes: [2, 128, 1], seed: 1 });
    const start = net.getParameters();
    expect(() => net.fit(x, y, { lr: 1e36, epochs: 1, batchSize: 4 })).toThrow(/the scores became (Infinity|NaN) after the last step of epoch 1; the weights are those from before the update/);
    expect(Array.from(net.getParameters())).toEqual(Array.from(start));
    expect(net.predict(x).data.every(Number.isFinite)).toBe(true);
  });

  it('a loss that overflows after finite updates puts back the weights from before the update that caused it', () => {
    const net = new Mlp({ sizes: [2, 1], seed: 1 });
    const x = [[1e15, 1e15], [-1e15, 1e15]];
    const seen: Float32Array[] = [net.getParameters()];
    let err: any;
    try {
      net.fit(x, [[0], [1]], { loss: 'mse', lr: 1e-3, batchSize: 1, epochs: 20, shuffle: false, onStep: () => { seen.push(net.getParameters()); } });
    } catch (e) { err = e; }
    expect(String(err?.message)).toMatch(/the loss became (Infinity|NaN) at epoch \d+, step \d+; the weights are those from before the update that made it overflow/);
    expect(Array.from(net.getParameters())).toEqual(Array.from(seen[seen.length - 2]));
  });

  it('backward refuses gradients that overflow f32, naming the parameter', () => {
    const net = new Mlp({ sizes: [1, 1], seed: 1 });
    net.setLayer(0, { weight: [1], bias: [0] });
    expect(() => net.backward([[1e20]], [[0]], { loss: 'mse' })).toThrow(/gradient of parameter 0 is Infinity/);
    expect(() => net.backward([[1]], [1], null as any)).not.toThrow();
  });

  it('labels that are not numbers, and specs that are not names, say so', () => {
    const net = new Mlp({ sizes: [2, 3], seed: 1 });
    expect(() => net.fit([[0, 1], [1, 0]], ['a', 'b'] as any)).toThrow(/labels must be numbers.*y\[0\] is string a/);
    expect(() => net.fit([[0, 1], [1, 0]], [0, '1'] as any)).toThrow(/y\[1\] is string 1, not a number/);
    expect(() => new Mlp({ sizes: [2, 3], activation: 5 as any })).toThrow(/a activation is a name or \{ name, ...params \}, got 5/);
    expect(() => net.fit([[0, 1]], [0], { schedule: { lrAt: () => 0.1, per: 'batch' } as any })).toThrow(/custom schedule's per must be 'step' or 'epoch'/);
    const r = net.fit([[0, 1]], [0], { schedule: { lrAt: (t: number) => 0.1 / (1 + t) } as any, epochs: 2 });
    expect(r.history[1].lr).toBeCloseTo(0.1 / 2, 6);
  });

  it.each(['wasm', 'js'] as const)('every loss kernel (%s) turns a NaN score into a NaN loss, never a zero term', (name) => {
    const k = getKernels(name);
    const B = 2, C = 3, s = k.alloc(4 * B * C), t = k.alloc(4 * B * C), d = k.alloc(4 * B * C);
    for (const [loss, e] of Object.entries(LOSSES)) {
      const binary = e.labels === 'pm1', width = binary ? 1 : C;
      const f = k.f32();
      f.set(binary ? [NaN, 2] : [0.5, NaN, -1, 1, 2, 3], s >> 2);
      f.set(binary ? [1, -1] : e.labels === 'class' ? [0, 2] : [0, 1, 0, 1, 0, 0], t >> 2);
      const value = k.lossForward(e.id, d, s, t, B, width, 0, 1, 1);
      expect(value, loss).toBeNaN();
    }
    [s, t, d].forEach((p) => k.free(p));
  });
});
