// The universality construction: every hand-built net against the exact
// values of constructive.json (compared exactly: the values are small dyadic
// rationals, exact in f32), the counts against the lecture's formulas, the
// zero output off the balls, the structured memoriser against the dense one,
// and every error path.
import { describe, it, expect, beforeAll } from 'vitest';
import { absNet, l1NormNet, l1DistanceNet, pseudoDiracNet, memorizerNet, memorizerCounts, scaleMargin,
         Memorizer, minPairL1Distance, Mlp, Rng, type Matrix } from '../src/index.js';
import { setup, fixture } from './helpers.js';

beforeAll(setup);

const fx = fixture('constructive.json');
const backends = ['wasm', 'js'] as const;

// The net's layers in the fixture's format: W (out, in) as nested rows, b, activation.
function layersOf(net: Mlp) {
  return Array.from({ length: net.depth }, (_, l) => {
    const { weight, bias, activation } = net.getLayer(l);
    const W = Array.from({ length: weight.rows }, (_, i) => Array.from(weight.data.subarray(i * weight.cols, (i + 1) * weight.cols)));
    return { W, b: Array.from(bias), activation };
  });
}
// -0 and 0 are the same weight
const norm0 = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_, x) => (Object.is(x, -0) ? 0 : x)));
const col = (xs: number[]) => xs.map((v) => [v]);
const rows = (m: Matrix) => Array.from(m.data);

describe.each(backends)('the constructions on the %s backend', (backend) => {
  it.skipIf(!fx)('absNet matches constructive.json abs: weights and exact outputs', () => {
    const net = absNet({ backend });
    expect(norm0(layersOf(net))).toEqual(norm0(fx.abs.layers));
    expect(rows(net.predict(col(fx.abs.x)))).toEqual(fx.abs.expected);
  });

  it.skipIf(!fx)('l1NormNet matches constructive.json l1_norm', () => {
    const c = fx.l1_norm, net = l1NormNet(c.D, { backend });
    expect(norm0(layersOf(net))).toEqual(norm0(c.layers));
    expect(net.sizes[1]).toBe(c.hidden_neurons);
    expect(rows(net.predict(c.x))).toEqual(c.expected);
  });

  it.skipIf(!fx)('l1DistanceNet matches constructive.json l1_dist, biases [-q; q]', () => {
    const c = fx.l1_dist, net = l1DistanceNet(c.q, { backend });
    expect(norm0(layersOf(net))).toEqual(norm0(c.layers));
    expect(rows(net.predict(c.x))).toEqual(c.expected);
  });

  it.skipIf(!fx)('pseudoDiracNet matches constructive.json pseudo_dirac', () => {
    const c = fx.pseudo_dirac, net = pseudoDiracNet(c.q, { backend });
    expect(norm0(layersOf(net))).toEqual(norm0(c.layers));
    expect(rows(net.predict(c.x))).toEqual(c.expected);
  });

  it.skipIf(!fx)('memorizerNet matches every constructive.json memorization case: layers, counts, outputs', () => {
    for (const c of fx.memorization) {
      const net = memorizerNet(c.points, c.labels, { backend });
      expect(norm0(layersOf(net))).toEqual(norm0(c.layers));
      expect(net.sizes.slice(1)).toEqual([c.neurons.layer1, c.neurons.layer2, c.neurons.output]);
      expect(net.neurons).toBe(c.neurons.total);
      expect(rows(net.predict(c.queries))).toEqual(c.expected);

      // the structured form gives the very same numbers
      const mem = new Memorizer(c.points, c.labels, { backend });
      expect(mem.scale).toBe(1);
      expect(mem.neurons).toBe(c.neurons.total);
      expect(rows(mem.predict(c.queries))).toEqual(c.expected);
    }
  });

  it('absNet gives |x| on a grid, with 3 neurons and 7 parameters', () => {
    const net = absNet({ backend });
    expect([net.neurons, net.nParams]).toEqual([3, 7]);
    expect(rows(net.predict(col([-2, -0.5, 0, 1.25, 4])))).toEqual([2, 0.5, 0, 1.25, 4]);
  });

  it('l1NormNet(D) has 2D + 1 neurons and 2D·D + 2D + 2D + 1 parameters', () => {
    for (const D of [1, 3, 7]) {
      const net = l1NormNet(D, { backend });
      expect(net.neurons).toBe(2 * D + 1);
      expect(net.nParams).toBe(2 * D * D + 2 * D + 2 * D + 1);
    }
    expect(rows(l1NormNet(5, { backend }).predict([[1, -2, 3, -4, 0.5]]))).toEqual([10.5]);
  });

  it('pseudoDiracNet is 1 at q and exactly 0 at every integer point at distance >= 1', () => {
    const q = [2, -1, 0], net = pseudoDiracNet(q, { backend });
    const pts: number[][] = [];
    for (let a = -1; a <= 5; a++) for (let b = -4; b <= 2; b++) for (let c = -3; c <= 3; c++) pts.push([a, b, c]);
    const out = rows(net.predict(pts));
    pts.forEach((p, k) => expect(out[k]).toBe(p.every((v, j) => v === q[j]) ? 1 : 0));
  });
});

// A seeded set of N distinct points of Z^D with coordinates in [-R, R].
function integerPoints(N: number, D: number, R: number, seed: number): number[][] {
  const rng = new Rng(seed), seen = new Set<string>(), out: number[][] = [];
  while (out.length < N) {
    const p = Array.from({ length: D }, () => Math.floor(rng.range(-R, R + 1)));
    if (!seen.has(p.join())) { seen.add(p.join()); out.push(p); }
  }
  return out;
}

describe.each(backends)('the memoriser on the %s backend', (backend) => {
  it('memorizerNet uses 2·N·D + N + 1 neurons and reproduces real labels at the training points', () => {
    const x = integerPoints(12, 3, 4, 1), y = x.map((_, n) => (n % 3) - 1.5);
    const net = memorizerNet(x, y, { backend });
    const c = memorizerCounts(12, 3);
    expect(net.neurons).toBe(2 * 12 * 3 + 12 + 1);
    expect(c.neurons.total).toBe(net.neurons);
    expect(net.nParams).toBe(c.parameters);
    expect(rows(net.predict(x))).toEqual(y);
  });

  it('memorizerNet classifies ±1 labels correctly and outputs exactly 0 off the unit balls', () => {
    const x = integerPoints(20, 2, 6, 2), y = x.map((_, n) => (n % 2 ? 1 : -1));
    const net = memorizerNet(x, y, { backend });
    expect(Array.from(net.predictLabels(x))).toEqual(y);

    // every integer point that is not a training point is >= 1 away from all of them
    const train = new Set(x.map((p) => p.join())), off: number[][] = [];
    for (let a = -8; a <= 8; a++) for (let b = -8; b <= 8; b++) if (!train.has(`${a},${b}`)) off.push([a, b]);
    expect(rows(net.predict(off)).every((v) => v === 0)).toBe(true);
  });

  it('the structured Memorizer and its dense toMlp agree exactly on an integer set with classes', () => {
    const x = integerPoints(15, 4, 3, 3), y = x.map((_, n) => n % 3);
    const mem = new Memorizer(x, y, { classes: 3, backend });
    const dense = mem.toMlp();
    expect(dense.neurons).toBe(2 * 15 * 4 + 15 + 3);
    expect(mem.neurons).toBe(dense.neurons);
    expect(mem.parameters).toBe(dense.nParams);

    // training points, their neighbours at half steps, and far points
    const q: number[][] = [...x];
    for (const p of x.slice(0, 6)) q.push(p.map((v, j) => v + (j === 0 ? 0.5 : j === 1 ? -0.25 : 0)));
    q.push([10, 10, 10, 10], [-0.5, 0.5, 0.125, 0]);
    expect(rows(mem.predict(q))).toEqual(rows(dense.predict(q)));
    expect(Array.from(mem.predictLabels(x))).toEqual(y);
    expect(mem.errorRate(x, y)).toEqual({ error: 0, abstained: 0, rows: 15 });
    expect(Array.from(mem.predictLabels([[10, 10, 10, 10]]))).toEqual([-1]); // abstains
  });

  it('Memorizer scales real-valued points to be >= 1 apart: exact labels on training points, 0 far off', () => {
    const rng = new Rng(4), N = 40, D = 9;
    const data = Float32Array.from({ length: N * D }, () => rng.uniform());
    const y = Array.from({ length: N }, (_, n) => n % 4);
    const mem = new Memorizer({ data, rows: N, cols: D }, y, { classes: 4, backend });
    const { distance } = minPairL1Distance({ data, rows: N, cols: D }, { backend });
    expect(mem.minDistance).toBe(distance);
    expect(mem.scale * distance).toBeGreaterThanOrEqual(1);
    expect(minPairL1Distance(mem.points).distance).toBeGreaterThanOrEqual(1);

    // at the training points: the one-hot label, exactly
    const out = mem.predict({ data, rows: N, cols: D });
    for (let n = 0; n < N; n++) for (let c = 0; c < 4; c++) expect(out.data[n * 4 + c]).toBe(c === y[n] ? 1 : 0);

    // far away: exactly 0; the dense form agrees within f32 rounding elsewhere
    expect(rows(mem.predict([Array(D).fill(50)]))).toEqual([0, 0, 0, 0]);
    const mid = Array.from({ length: D }, (_, j) => (data[j] + data[D + j]) / 2);
    const dense = mem.toMlp().predict([mid, Array.from(data.subarray(0, D))]);
    const structured = mem.predict([mid, Array.from(data.subarray(0, D))]);
    for (let k = 0; k < 8; k++) expect(Math.abs(dense.data[k] - structured.data[k])).toBeLessThanOrEqual(1e-5);
  });
});

describe('the memoriser kernels', () => {
  it('memorizerForward and l1MinPairDistance give bit-identical results on wasm and js', () => {
    const rng = new Rng(5), N = 60, D = 37; // D not a multiple of 4 or 32: tail and checks both run
    const data = Float32Array.from({ length: N * D }, () => Math.round(rng.uniform() * 255) / 255);
    const x = { data, rows: N, cols: D };
    const a = minPairL1Distance(x, { backend: 'wasm' }), b = minPairL1Distance(x, { backend: 'js' });
    expect(a).toEqual(b);

    // brute force in f64 over every pair
    let best = Infinity;
    for (let i = 0; i < N; i++) for (let k = i + 1; k < N; k++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += Math.abs(data[i * D + j] - data[k * D + j]);
      best = Math.min(best, s);
    }
    expect(a.distance).toBe(best);

    const y = Array.from({ length: N }, (_, n) => (n % 2 ? 1 : -1));
    const mw = new Memorizer(x, y, { backend: 'wasm' }), mj = new Memorizer(x, y, { backend: 'js' });
    expect(mw.scale).toBe(mj.scale);
    const q = { data: Float32Array.from({ length: 30 * D }, (_, k) => data[k] + (k % 7) * 0.002), rows: 30, cols: D };
    expect(rows(mw.predict(q))).toEqual(rows(mj.predict(q)));
    expect(rows(mw.predict(x))).toEqual(y);
  });
});

describe('minPairL1Distance with an odd number of values (N·D odd)', () => {
  // the f64 norms follow the N·D f32 values in one block; with N·D odd they
  // were 4 bytes off the 8-byte grid, the wasm kernel read garbage norms,
  // pruned the true closest pair away, and the memoriser's scale came out too small
  it.each(backends)('%s: finds the brute-force minimum, and the memoriser is exact on the set', (backend) => {
    const rng = new Rng(7), N = 19, D = 3;
    const data = Float32Array.from({ length: N * D }, () => rng.uniform());
    let best = Infinity, pair = [-1, -1];
    for (let i = 0; i < N; i++) for (let k = i + 1; k < N; k++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += Math.abs(data[i * D + j] - data[k * D + j]);
      if (s < best) { best = s; pair = [i, k]; }
    }
    const x = { data, rows: N, cols: D };
    expect(minPairL1Distance(x, { backend })).toEqual({ distance: best, pair });
    const y = Array.from({ length: N }, (_, n) => (n % 2 ? 1 : -1));
    const mem = new Memorizer(x, y, { backend });
    expect(mem.minDistance).toBe(best);
    expect(rows(mem.predict(x))).toEqual(y);
  });
});

describe('bad input to the constructions', () => {
  it('memorizerNet refuses repeated points, naming both', () => {
    expect(() => memorizerNet([[0, 1], [2, 3], [0, 1]], [1, -1, 1])).toThrow(/points 0 and 2 are equal/);
    expect(() => new Memorizer([[0, 1], [2, 3], [0, 1]], [1, -1, 1])).toThrow(/points 0 and 2 are equal/);
    expect(() => new Memorizer([[0.5, 1], [0.5, 1]], [1, -1])).toThrow(/points 0 and 1 are equal/);
  });

  it('memorizerNet refuses non-integer coordinates and magnitudes above 2^23', () => {
    expect(() => memorizerNet([[0, 1.5]], [1])).toThrow(/x\[0\]\[1\] = 1.5 is not an integer/);
    expect(() => memorizerNet([[2 ** 24, 0]], [1])).toThrow(/exceeds 2\^23/);
  });

  it('the constructions refuse NaN, mismatched lengths and bad labels', () => {
    expect(() => memorizerNet([[0, NaN]], [1])).toThrow(/entry \(0, 1\) is NaN/);
    expect(() => memorizerNet([[0, 1], [1, 1]], [1])).toThrow(/x has 2 points but y has 1 labels/);
    expect(() => memorizerNet([[0, 1]], [NaN])).toThrow(/y\[0\] is NaN/);
    expect(() => memorizerNet([[0, 1]], [3], { classes: 3 })).toThrow(/y\[0\] = 3 is not a class index in 0..2/);
    expect(() => pseudoDiracNet([1, NaN])).toThrow(/q\[1\] is NaN/);
    expect(() => l1NormNet(0)).toThrow(/D must be a positive integer/);
    expect(() => new Memorizer([[0, 1]], [1]).predict([[1, 2, 3]])).toThrow(/x has 3 columns, the memoriser takes 2/);
  });

  it('a scale that leaves points closer than 1 is refused', () => {
    expect(() => new Memorizer([[0, 0], [0.25, 0.25]], [1, -1], { scale: 1 })).toThrow(/at L1 distance/);
    expect(() => new Memorizer([[0, 0], [1, 0]], [1, -1], { scale: -2 })).toThrow(/scale must be/);
  });

  it('toMlp refuses a dense net that is too large, with its size', () => {
    const x = integerPoints(1000, 20, 5, 6), y = x.map((_, n) => n % 2);
    const mem = new Memorizer(x, y, { classes: 2 });
    expect(() => mem.toMlp()).toThrow(/the dense net would have 40,843,002 parameters \(0.15 GiB of f32, 41,002 neurons\)/);
    expect(memorizerCounts(10000, 784, 10).neurons.total).toBe(2 * 10000 * 784 + 10000 + 10);
  });
});

// Real-valued data far from the origin: f32 rounding of s·x (|s·x| ~ 1e6) used
// to eat the margin, and the automatic scale was refused with a contradictory
// message. The memoriser now shifts such data by a per-feature offset (L1
// distances do not change) and bounds the rounding left.
describe.each(backends)('the memoriser on data far from the origin (%s backend)', (backend) => {
  it.each([
    ['0.1 apart near 1e5', [[100000.1], [100000.2]], [1, -1]],
    ['1 apart near 1e6', [[1000000.5], [1000001.5]], [1, -1]],
    ['integers near 1e7 (beyond 2^23)', [[1e7], [1e7 + 1], [1e7 + 3]], [1, -1, 1]],
  ])('%s: the automatic scale works, f(x_n) = y_n exactly, 0 far away', (_name, x, y) => {
    const mem = new Memorizer(x as number[][], y as number[], { backend });
    expect(rows(mem.predict(x as number[][]))).toEqual(y);
    expect(minPairL1Distance(mem.points).distance).toBeGreaterThanOrEqual(1);
    expect(mem.scale * mem.minDistance).toBeGreaterThanOrEqual(1);
    expect(mem.scale * mem.minDistance).toBeLessThan(1.00001); // still about (1 + eps)/dmin
    expect(mem.offset[0]).toBeGreaterThan(9e4); // shifted by the midrange
    expect(rows(mem.predict([[(x as number[][])[0][0] + 50]]))).toEqual([0]);
  });

  it('the offset is the midrange; queries are shifted the same way', () => {
    const mem = new Memorizer([[100000.1], [100000.2]], [1, -1], { backend });
    expect(mem.scale).toBe(Math.fround(mem.scale));
    expect(mem.offset[0]).toBe(Math.fround((Math.fround(100000.1) + Math.fround(100000.2)) / 2));
    expect(mem.points.data[0]).toBe(Math.fround(mem.scale * (Math.fround(100000.1) - mem.offset[0])));
    // between the two points both pseudo-diracs are on: relu(1 - s·d0) - relu(1 - s·d1), d from the f32 query
    const [a, b] = [Math.fround(100000.1), Math.fround(100000.2)], q = Math.fround(a + 0.25 * (b - a));
    expect(q).toBe(100000.125);
    const out = mem.predict([[q]]).data[0];
    expect(out).toBeCloseTo((1 - mem.scale * (q - a)) - (1 - mem.scale * (b - q)), 5);
    expect(out).toBeCloseTo(0.5385, 4);
  });

  it('a seeded set of 60 points in 3-D around 1e5 memorises exactly, on both backends alike', () => {
    const rng = new Rng(11), N = 60, D = 3;
    const data = Float32Array.from({ length: N * D }, (_, k) => 1e5 * (1 + (k % D)) + rng.uniform());
    const x = { data, rows: N, cols: D }, y = Array.from({ length: N }, (_, n) => n % 3);
    const mem = new Memorizer(x, y, { classes: 3, backend });
    expect(mem.errorRate(x, y)).toEqual({ error: 0, abstained: 0, rows: N });
    const out = mem.predict(x);
    for (let n = 0; n < N; n++) for (let c = 0; c < 3; c++) expect(out.data[n * 3 + c]).toBe(c === y[n] ? 1 : 0);
    const other = new Memorizer(x, y, { classes: 3, backend: backend === 'wasm' ? 'js' : 'wasm' });
    expect(other.scale).toBe(mem.scale);
    expect(rows(other.predict(x))).toEqual(rows(out));
    expect(Array.from(data.subarray(0, 3))).toEqual(Array.from(x.data.subarray(0, 3))); // the input is untouched
  });

  it('data near the origin keep offset 0 and s = (1 + eps)/dmin up to the rounding bound', () => {
    const mem = new Memorizer([[0, 0], [0.25, 0.25], [1, -1]], [1, -1, 1], { backend });
    expect(Array.from(mem.offset)).toEqual([0, 0]);
    expect(mem.scale).toBeCloseTo((1 + scaleMargin(2)) / 0.5, 5);
  });

  it('a close pair beside a far point falls back to an exact power-of-two scale', () => {
    const mem = new Memorizer([[0.001], [0.002], [1e7]], [1, -1, 1], { backend });
    expect(mem.scale).toBe(1024);
    expect(Array.from(mem.offset)).toEqual([0]);
    expect(rows(mem.predict([[0.001], [0.002], [1e7]]))).toEqual([1, -1, 1]);
    expect(rows(mem.toMlp().predict([[0.001], [0.002], [1e7]]))).toEqual([1, -1, 1]);
  });

  it('points no f32 scale can separate are refused with what to do', () => {
    expect(() => new Memorizer([[0], [1e-40], [1e30]], [1, -1, 1], { backend }))
      .toThrow(/no f32 scale puts every two training points at L1 distance >= 1: the closest, 0 and 1, .*Rescale the features/);
  });

  it('a given scale that is too small names the pair and the scale auto would pick', () => {
    expect(() => new Memorizer([[100000.1], [100000.2]], [1, -1], { scale: 5, backend }))
      .toThrow(/scale 5 leaves training points 0 and 1 at L1 distance 0\.5078125 \(in f32\); it must be at least 1 \+ 5\.96e-7: use scale: 'auto' \(about 9\.84616/);
    expect(rows(new Memorizer([[100000.1], [100000.2]], [1, -1], { scale: 20, backend }).predict([[100000.1], [100000.2]]))).toEqual([1, -1]);
    expect(() => new Memorizer([[0.1], [0.2]], [1, -1], { scale: 1e39, backend })).toThrow(/scale must be 'auto' or a positive number that is finite in f32, got 1e\+39/);
    expect(() => new Memorizer([[1e30], [0.2]], [1, -1], { scale: 1e30, backend })).toThrow(/makes x\[0\]\[0\] = .* overflow f32; use scale: 'auto'/);
  });

  it('toMlp refuses a dense form that f32 rounding of the unshifted s·x would break, and builds it when exact', () => {
    const mem = new Memorizer([[100000.1], [100000.2]], [1, -1], { backend });
    expect(() => mem.toMlp()).toThrow(/toMlp: the dense net cannot memorise these points exactly: .*at \|s·x\| up to 9\.85e\+5 .*Subtract a per-feature offset/);
    const wide = new Memorizer([[100000.1], [100000.2]], [1, -1], { scale: 20, backend });
    expect(rows(wide.toMlp().predict([[100000.1], [100000.2]]))).toEqual([1, -1]);
  });
});

describe('bad labels and options of the constructions', () => {
  it('labels beyond f32 are refused up front, naming y and the index', () => {
    expect(() => new Memorizer([[0], [1]], [1e39, 1])).toThrow(/new Memorizer: y\[0\] = 1e\+39 overflows f32/);
    expect(() => memorizerNet([[0], [1]], [1, -1e39])).toThrow(/memorizerNet: y\[1\] = -1e\+39 overflows f32/);
    expect(() => memorizerNet([[0], [1]], ['1', 1] as unknown as number[])).toThrow(/y\[0\] is "1", not a number/);
  });

  it('outputs that add up beyond f32 are an error, not Infinity', () => {
    const x = [[0, 0.5], [0.5, 0], [0, -0.5], [-0.5, 0]], big = 3e38;
    const mem = new Memorizer(x, [big, big, big, big], { scale: 1.01 });
    expect(rows(mem.predict(x))).toEqual(x.map(() => Math.fround(big)));
    expect(() => mem.predict([[0, 0]])).toThrow(/Memorizer\.predict: output 0 of row 0 is Infinity: .*scale the labels down/);
  });

  it('a huge D is refused by its size at once, before anything is allocated', () => {
    const t0 = performance.now();
    expect(() => l1NormNet(2 ** 31)).toThrow(/l1NormNet: the dense net would have 9,223,372,045,444,[\d,]+ parameters .*above the limit of 16,777,216; D = 2,147,483,648/);
    expect(() => l1DistanceNet({ length: 2 ** 31 } as ArrayLike<number>)).toThrow(/l1DistanceNet: the dense net would have .*q has 2,147,483,648 coordinates/);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(() => l1NormNet(2896)).toThrow(/would have 16,785,217 parameters .*above the limit of 16,777,216/); // 2D² + 4D + 1
    expect(l1NormNet(3, { maxParameters: 31 }).nParams).toBe(31);
    expect(() => l1NormNet(3, { maxParameters: 30 })).toThrow(/would have 31 parameters .*above the limit of 30/);
    expect(() => pseudoDiracNet([1, 2, 3], { maxParameters: 30 })).toThrow(/pseudoDiracNet: the dense net would have 31 parameters/);
  });

  it('maxParameters must be a positive integer or Infinity', () => {
    for (const bad of [NaN, 'x', -1, 0, 1.5, null]) {
      expect(() => memorizerNet([[0], [1]], [1, -1], { maxParameters: bad as number })).toThrow(/memorizerNet: maxParameters must be a positive integer \(or Infinity for no limit\)/);
    }
    expect(() => new Memorizer([[0], [1]], [1, -1]).toMlp({ maxParameters: NaN })).toThrow(/Memorizer\.toMlp: maxParameters must be/);
    expect(() => memorizerNet([[0], [1]], [1, -1], { maxParameters: 20 })).toThrow(/would have 21 parameters .*above the limit of 20/);
    expect(memorizerNet([[0], [1]], [1, -1], { maxParameters: 21 }).nParams).toBe(21);
    expect(memorizerNet([[0], [1]], [1, -1], { maxParameters: Infinity }).nParams).toBe(21);
  });

  it('options: null is {}, unknown names are refused with a suggestion', () => {
    expect(absNet(null as never).nParams).toBe(7);
    expect(pseudoDiracNet([1, 2], null as never).nParams).toBe(2 * 2 * 2 + 4 * 2 + 1);
    expect(memorizerNet([[0], [1]], [1, -1], null as never).nParams).toBe(21);
    expect(new Memorizer([[0], [1]], [1, -1], null as never).scale).toBe(1);
    expect(minPairL1Distance([[0], [2]], null as never).distance).toBe(2);
    expect(() => absNet({ backnd: 'js' } as never)).toThrow(/absNet: unknown option "backnd"; did you mean "backend"\?/);
    expect(() => l1NormNet(2, { maxParams: 5 } as never)).toThrow(/l1NormNet: unknown option "maxParams"/);
    expect(() => new Memorizer([[0], [1]], [1, -1]).toMlp({ classes: 2 } as never)).toThrow(/toMlp: unknown option "classes"; accepted: backend, maxParameters/);
    expect(() => l1NormNet('3' as never)).toThrow(/D must be a positive integer, got "3"/);
  });
});
