// Bad input gets a clear error naming the problem, before any wasm call:
// never a trap, a hang or a silent NaN; the model keeps its weights.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, matrix, parseCsv } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

const x = matrix([0, 1, 1, 0, 1, 1], 3, 2);

describe('bad input', () => {
  it('mismatched shapes name both sides', () => {
    const net = new Mlp({ sizes: [3, 4, 2] });
    expect(() => net.predict(x)).toThrow(/x has 2 columns, the net takes 3 inputs/);
    expect(() => matrix([1, 2, 3], 2, 2)).toThrow(/data has 3 values but rows\*cols = 2\*2 = 4/);
    const n2 = new Mlp({ sizes: [2, 2] });
    expect(() => n2.fit(x, [0, 1], { loss: 'cross_entropy' })).toThrow(/2 labels for 3 rows/);
  });

  it('labels that do not fit the loss name the label and the expectation', () => {
    const bin = new Mlp({ sizes: [2, 1] });
    expect(() => bin.fit(x, [1, 0, -1], { loss: 'hinge' })).toThrow(/needs labels \+1 or -1, y\[1\] is 0/);
    const multi = new Mlp({ sizes: [2, 3] });
    expect(() => multi.fit(x, [0, 1, 3], { loss: 'cross_entropy' })).toThrow(/class indices 0\.\.2, y\[2\] is 3/);
    expect(() => multi.fit(x, [0, 1, 1.5], { loss: 'cross_entropy' })).toThrow(/y\[2\] is 1\.5/);
    expect(() => multi.fit(x, [1, -1, 1], { loss: 'hinge' })).toThrow(/needs a net with 1 output/);
    expect(() => bin.fit(x, [0, 1, 1], { loss: 'cross_entropy' })).toThrow(/at least 2 outputs/);
  });

  it('an empty dataset is refused', () => {
    const net = new Mlp({ sizes: [2, 2] });
    expect(() => net.fit({ data: new Float32Array(0), rows: 0, cols: 2 }, [], {})).toThrow(/empty/);
    expect(() => parseCsv('a,b,label\n', 'empty.csv')).toThrow(/no data rows/);
  });

  it('NaN and infinite inputs are refused with their position', () => {
    const net = new Mlp({ sizes: [2, 2] });
    expect(() => net.predict(matrix([0, 1, NaN, 0], 2, 2))).toThrow(/entry \(1, 0\) is NaN/);
    expect(() => net.fit(matrix([0, Infinity, 1, 0], 2, 2), [0, 1])).toThrow(/entry \(0, 1\) is Infinity/);
  });

  it('unknown names list the accepted ones; bad hyper-parameters name the parameter', () => {
    expect(() => new Mlp({ sizes: [2, 2], activation: 'relux' })).toThrow(/unknown activation "relux"; accepted: identity, relu, tanh/);
    const net = new Mlp({ sizes: [2, 2] });
    expect(() => net.fit(x, [0, 1, 1], { loss: 'hinje' })).toThrow(/accepted: mse, hinge/);
    expect(() => net.fit(x, [0, 1, 1], { optimizer: 'adamm' })).toThrow(/accepted: sgd, adagrad/);
    expect(() => net.fit(x, [0, 1, 1], { lr: -1 })).toThrow(/lr=-1 must be a finite number > 0/);
    expect(() => net.fit(x, [0, 1, 1], { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new Mlp({ sizes: [2, 0, 1] })).toThrow(/layer 0 out must be a positive integer/);
    expect(() => new Mlp({ sizes: [2, 2], backend: 'gpu' as any })).toThrow(/backend must be 'wasm' or 'js'/);
  });

  it('a diverging run stops with the epoch and step named, keeping the weights from before that step', () => {
    const net = new Mlp({ sizes: [2, 1], seed: 1 });
    const big = matrix([1e18, 1e18, -1e18, 1e18, 1e18, -1e18], 3, 2);
    let before: Float32Array | null = net.getParameters();
    expect(() => net.fit(big, [1, -1, 1], {
      loss: 'squared_hinge', lr: 1e10, batchSize: 1, epochs: 50, shuffle: false,
      onStep: () => { before = net.getParameters(); },
    })).toThrow(/(the loss became (Infinity|NaN)|the update made a parameter infinite or NaN) at epoch \d+, step \d+/);
    expect(before).not.toBeNull();
    expect(Array.from(net.getParameters())).toEqual(Array.from(before!));
    expect(net.getParameters().every(Number.isFinite)).toBe(true);
  });

  it('a disposed model says so', () => {
    const net = new Mlp({ sizes: [2, 2] });
    net.dispose();
    expect(() => net.predict(x)).toThrow(/disposed/);
  });
});
