// Inputs found by attacking the API: each gets a clear error naming the
// problem, and a failure leaves the backend usable.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, resolveSchedule, matrix, toMatrix } from '../src/index.js';
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
});
