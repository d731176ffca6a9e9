// The lecture's toolbox around the kernels: SGD as written (random draws,
// stop conditions), gradient descent with the backtracking line search on a
// net, the full-batch gradient, gradCheck, and the functional API's errors.
// The fixture comparisons live in activations/losses/optimizers/backprop/
// line-search.test.ts.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { Mlp, F, createOptimizer, lineSearchDescent, gradCheck, moons, Rng, ACTIVATIONS } from '../src/index.js';
import { setup, randomMatrix, maxRelDiff } from './helpers.js';

beforeAll(setup);

// y = x·[2, -1, 0.5] + 0.3 + noise, and its least-squares solution in f64
function regression(n: number) {
  const r = new Rng(5), x = randomMatrix(n, 3, 9), y = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const d = x.data.subarray(3 * b, 3 * b + 3);
    y[b] = 2 * d[0] - d[1] + 0.5 * d[2] + 0.3 + 0.05 * r.range(-1, 1);
  }
  // normal equations on [x, 1]: (AᵀA) u = Aᵀy, solved by Gaussian elimination
  const A = Array.from({ length: 4 }, () => new Float64Array(5));
  for (let b = 0; b < n; b++) {
    const row = [...x.data.subarray(3 * b, 3 * b + 3), 1];
    for (let i = 0; i < 4; i++) { for (let j = 0; j < 4; j++) A[i][j] += row[i] * row[j]; A[i][4] += row[i] * y[b]; }
  }
  for (let c = 0; c < 4; c++) for (let r2 = c + 1; r2 < 4; r2++) {
    const f = A[r2][c] / A[c][c];
    for (let j = c; j < 5; j++) A[r2][j] -= f * A[c][j];
  }
  const u = new Float64Array(4);
  for (let i = 3; i >= 0; i--) { let s = A[i][4]; for (let j = i + 1; j < 4; j++) s -= A[i][j] * u[j]; u[i] = s / A[i][i]; }
  return { x, y: { data: y, rows: n, cols: 1 }, u };
}

describe('the lecture\'s SGD: one random sample per step, a decreasing rate', () => {
  it('reaches the least-squares solution with lambda(t) = a / (b + t) and batches of one drawn at random', () => {
    const { x, y, u } = regression(200);
    const net = new Mlp({ layers: [{ in: 3, out: 1 }], seed: 1 });
    const r = net.fit(x, y, {
      loss: 'mse', sampling: 'random', batchSize: 1, epochs: 200, lr: 0.1,
      schedule: { name: 'inverse_time', b: 100 }, seed: 3,
    });
    expect(r.stopReason).toBe('epochs');
    expect(r.steps).toBe(200 * 200);
    const p = net.getParameters(); // W (1, 3) then bias
    for (let i = 0; i < 4; i++) expect(Math.abs(p[i] - u[i])).toBeLessThan(0.01);
  });

  it('stops on maxSteps, on a target loss and on a plateau, and says which', () => {
    const ds = moons({ n: 100, seed: 2 });
    const mk = () => new Mlp({ sizes: [2, 16, 2], activation: 'tanh', seed: 4 });
    const a = mk().fit(ds.train.x, ds.train.y, { lr: 0.1, epochs: 50, batchSize: 10, maxSteps: 25 });
    expect(a.stopReason).toBe('max-steps');
    expect(a.steps).toBe(25);
    expect(a.history).toHaveLength(3); // 10 + 10 + 5 steps
    const b = mk().fit(ds.train.x, ds.train.y, { lr: 0.3, epochs: 500, batchSize: 10, targetLoss: 0.3 });
    expect(b.stopReason).toBe('target-loss');
    expect(b.history.at(-1)!.loss).toBeLessThanOrEqual(0.3);
    expect(b.history.slice(0, -1).every((h) => h.loss > 0.3)).toBe(true);
    const c = mk().fit(ds.train.x, ds.train.y, { lr: 1e-6, epochs: 500, batchSize: 100, shuffle: false, plateau: { patience: 3, minDelta: 0.01 } });
    expect(c.stopReason).toBe('plateau');
    expect(c.history).toHaveLength(4); // the first epoch sets the best, three more without a 0.01 gain
  });

  it('draws with replacement: the same seed gives the same run, another seed another one', () => {
    const ds = moons({ n: 50, seed: 1 });
    const run = (seed: number) => {
      const net = new Mlp({ sizes: [2, 4, 2], activation: 'relu', seed: 1 });
      net.fit(ds.train.x, ds.train.y, { sampling: 'random', batchSize: 1, epochs: 3, lr: 0.1, seed });
      return net.getParameters();
    };
    expect(run(7)).toEqual(run(7));
    expect(maxRelDiff(run(7), run(8))).toBeGreaterThan(1e-3);
  });

  it('a cosine schedule without tMax spans the whole run', () => {
    const ds = moons({ n: 64, seed: 1 });
    const net = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 1 });
    const r = net.fit(ds.train.x, ds.train.y, { lr: 0.1, schedule: 'cosine', epochs: 4, batchSize: 16 }); // 16 steps
    expect(r.history.map((h) => h.lr)).toEqual([3, 7, 11, 15].map((t) => 0.05 * (1 + Math.cos(Math.PI * t / 16))));
  });

  it('refuses misspelt options, naming the closest one', () => {
    const net = new Mlp({ sizes: [2, 2], seed: 1 });
    expect(() => net.fit([[0, 1]], [1], { epochz: 3 } as any)).toThrow(/unknown option "epochz"; did you mean "epochs"\?/);
    expect(() => net.fit([[0, 1]], [1], { sampling: 'bootstrap' as any })).toThrow(/sampling must be 'epoch' or 'random'/);
    expect(() => net.fit([[0, 1]], [1], { plateau: { patience: 0 } })).toThrow(/plateau.patience must be a positive integer/);
    expect(() => new Mlp({ sizes: [2, 2], activations: 'tanh' } as any)).toThrow(/did you mean "activation"/);
  });
});

describe('the full-batch gradient and the line search on a net', () => {
  it('gradient() over 700 rows in chunks equals one backward pass over all of them', () => {
    const x = randomMatrix(700, 5, 3), y = Array.from({ length: 700 }, (_, i) => i % 3);
    const net = new Mlp({ sizes: [5, 7, 3], activation: 'gelu', seed: 2 });
    const g = net.gradient(x, y, { loss: 'cross_entropy' });
    const b = net.backward(x, y, { loss: 'cross_entropy' });
    expect(Math.abs(g.loss - b.loss) / b.loss).toBeLessThan(1e-6);
    expect(maxRelDiff(Float32Array.from(g.grads), b.grads)).toBeLessThan(1e-4);
  });

  it('fitLineSearch decreases the training loss at every iteration, halving lambda from 1, until the gradient is small', () => {
    const { x, y, u } = regression(100);
    const net = new Mlp({ layers: [{ in: 3, out: 1 }], seed: 1 });
    const r = net.fitLineSearch(x, y, { loss: 'mse', maxIter: 500, tol: 1e-4 });
    expect(r.stopReason).toBe('tolerance');
    expect(r.gradNorm).toBeLessThanOrEqual(1e-4);
    for (let k = 1; k < r.trajectory.length; k++) expect(r.trajectory[k].f).toBeLessThan(r.trajectory[k - 1].f);
    for (const s of r.trajectory) expect(s.lambda).toBe(2 ** -s.halvings);
    const p = net.getParameters();
    for (let i = 0; i < 4; i++) expect(Math.abs(p[i] - u[i])).toBeLessThan(1e-3);
  });

  it('stops early when onIteration returns false, keeping the parameters reached', () => {
    const ds = moons({ n: 60, seed: 3 });
    const net = new Mlp({ sizes: [2, 8, 2], activation: 'tanh', seed: 3 });
    const r = net.fitLineSearch(ds.train.x, ds.train.y, { maxIter: 100, onIteration: (s) => s.k < 4 });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.iterations).toBe(5);
    expect(Array.from(net.getParameters())).toEqual(Array.from(Float32Array.from(r.u)));
  });
});

describe('lineSearchDescent on plain functions', () => {
  it('says no-decrease instead of halving forever when the direction goes uphill', () => {
    const r = lineSearchDescent((u) => u[0] * u[0], (u) => [-2 * u[0]], [1], { maxIter: 10, maxHalvings: 30 });
    expect(r.stopReason).toBe('no-decrease');
    expect(r.trajectory[0].halvings).toBe(30);
    expect(r.u[0]).toBe(1);
  });

  it('refuses objectives that are not finite and bad options', () => {
    expect(() => lineSearchDescent(() => NaN, () => [0], [0])).toThrow(/F\(u0\) is NaN/);
    expect(() => lineSearchDescent((u) => u[0], () => [Infinity], [0])).toThrow(/grad F\(u\)\[0\] at iteration 0 is Infinity/);
    expect(() => lineSearchDescent((u) => u[0], () => [1, 2], [0])).toThrow(/grad returned 2 values, u has 1/);
    expect(() => lineSearchDescent((u) => u[0], () => [1], [0], { tol: -1 })).toThrow(/tol must be/);
    expect(() => lineSearchDescent((u) => u[0], () => [1], [0], { maxiter: 3 } as any)).toThrow(/did you mean "maxIter"/);
  });
});

describe('gradCheck', () => {
  const ds = moons({ n: 12, seed: 5 });
  const smooth = Object.keys(ACTIVATIONS).filter((a) => a !== 'rrelu');
  it.each(smooth)('backprop through %s agrees with f64 finite differences', (act) => {
    const net = new Mlp({ sizes: [2, 6, 5, 2], activation: act, seed: 11 });
    const r = gradCheck(net, ds.train.x, ds.train.y, 'cross_entropy');
    expect(r.checked).toBe(net.nParams);
    expect(r.maxRelError).toBeLessThan(1e-3);
  });

  it('sees a wrong derivative: a backward pass with one gradient off by 1% is caught, at that parameter', () => {
    const net = new Mlp({ sizes: [2, 6, 2], activation: 'tanh', seed: 11 });
    const right = net.backward.bind(net);
    (net as any).backward = (x: any, y: any, o: any) => {
      const r = right(x, y, o);
      r.grads[7] *= 1.01;
      return r;
    };
    const r = gradCheck(net, ds.train.x, ds.train.y, 'cross_entropy');
    expect(r.maxRelError).toBeGreaterThan(5e-3);
    expect(r.worst.index).toBe(7);
    expect(r.worst.layer).toBe(0);
  });

  it('refuses rrelu, whose slopes are random while training', () => {
    const net = new Mlp({ sizes: [2, 4, 2], activation: 'rrelu', seed: 1 });
    expect(() => gradCheck(net, ds.train.x, ds.train.y)).toThrow(/rrelu/);
  });
});

describe('the functional API refuses bad input by name', () => {
  it('F.activation and F.activationGrad', () => {
    expect(() => F.activation('relux', [1])).toThrow(/unknown activation "relux"; accepted: identity, relu/);
    expect(() => F.activation({ name: 'softplus', beta: 0 }, [1])).toThrow(/beta=0 must be a finite number > 0/);
    expect(() => F.activation('tanh', [1, NaN])).toThrow(/x\[1\] is NaN/);
    expect(() => F.activation('tanh', 5 as any)).toThrow(/x must be a Float32Array or an array of numbers/);
    expect(F.activation('relu', [])).toHaveLength(0);
  });

  it('rrelu in training mode draws seeded slopes in [lower, upper], and its derivative is the slope used', () => {
    const x = Array.from({ length: 64 }, (_, i) => -1 - i);
    const spec = { name: 'rrelu', training: true };
    const a = F.activation(spec, x, { seed: 4 }), d = F.activationGrad(spec, x, { seed: 4 });
    expect(F.activation(spec, x, { seed: 4 })).toEqual(a);
    for (let i = 0; i < 64; i++) {
      expect(d[i]).toBeGreaterThanOrEqual(1 / 8); expect(d[i]).toBeLessThanOrEqual(1 / 3);
      expect(a[i]).toBeCloseTo(x[i] * d[i], 4);
    }
    expect(F.activation(spec, x, { seed: 4, backend: 'js' })).toEqual(a);
  });

  it('F.loss', () => {
    expect(() => F.loss('hinge', [1, 2], [1, 0])).toThrow(/needs labels \+1 or -1, y\[1\] is 0/);
    expect(() => F.loss('cross_entropy', [1, 2], [0, 1])).toThrow(/takes \(B, C\) scores/);
    expect(() => F.loss('hinge', [1, Infinity], [1, 1])).toThrow(/scores\[1\] is Infinity/);
    expect(() => F.loss('hinge', [], [])).toThrow(/empty/);
  });

  it('createOptimizer', () => {
    expect(() => createOptimizer('adamm', 3)).toThrow(/accepted: sgd, adagrad, adadelta, rmsprop, adam, adamw/);
    expect(() => createOptimizer({ name: 'adam', betas: [0.9, 1] }, 3)).toThrow(/betas.*each in \[0, 1\)/);
    expect(() => createOptimizer({ name: 'sgd', nesterov: true }, 3)).toThrow(/requires momentum > 0/);
    expect(() => createOptimizer('sgd', 0)).toThrow(/size must be a positive integer/);
    const opt = createOptimizer({ name: 'sgd', lr: 0.5 }, 2);
    expect(() => opt.step(new Float32Array(3), [1, 1, 1])).toThrow(/params has 3 values, the optimizer was made for 2/);
    expect(() => opt.step(new Float32Array(2), [1, NaN])).toThrow(/grads\[1\] is NaN/);
    const p = new Float32Array([1, 2]);
    opt.step(p, [1, -1]);
    expect(Array.from(p)).toEqual([0.5, 2.5]);
    opt.lr = 0.25;
    opt.step(p, [1, 1]);
    expect(Array.from(p)).toEqual([0.25, 2.25]);
    expect(opt.t).toBe(2);
    expect(() => { opt.lr = -1; }).toThrow(/lr must be a finite number > 0/);
    opt.lr = 10;
    expect(() => opt.step(p, [1e38, 0])).toThrow(/step 3 made parameter 0 -Infinity/);
    expect(Array.from(p)).toEqual([0.25, 2.25]); // left as they were
    opt.dispose();
    expect(() => opt.step(p, [1, 1])).toThrow(/disposed/);
  });
});

describe('the command line', () => {
  const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
  const cli = (...args: string[]) => execFileSync('node', [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('neurone list prints every activation, loss, optimizer and schedule with its defaults', () => {
    const all = JSON.parse(cli('list', '--json'));
    expect(all.activations.map((a: { name: string }) => a.name)).toEqual(Object.keys(ACTIVATIONS));
    expect(all.optimizers.find((o: { name: string }) => o.name === 'adam').params).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(all.schedules.map((s: { name: string }) => s.name)).toContain('inverse_time');
    const text = cli('list');
    expect(text).toMatch(/leaky_relu\(negativeSlope=0.01\)/);
    expect(text).toMatch(/hinge\(reduction='sum'\)/);
  });

  it('neurone train --line-search runs full-batch gradient descent and reports it', () => {
    const r = JSON.parse(cli('train', '--data', 'moons', '--n', '100', '--hidden', '8', '--activation', 'tanh', '--line-search', '--max-iter', '30', '--json'));
    expect(r.lineSearch.iterations).toBe(30);
    expect(r.lineSearch.stopReason).toBe('max-iterations');
    expect(r.trainLoss).toBeCloseTo(r.lineSearch.finalLoss, 5);
  });

  it('names and parameters are checked under the option\'s name before any data is read', () => {
    for (const [args, msg] of [
      [['--optimizer', 'adamm'], /^neurone: --optimizer: unknown optimizer "adamm"; accepted: sgd/],
      [['--schedule', '{bad'], /^neurone: --schedule: not valid JSON/],
      [['--schedule', 'step'], /^neurone: --schedule: schedule "step" needs the parameter "stepSize"/],
      [['--activation', '{"name":"softplus","beta":0}'], /^neurone: --activation: activation "softplus" parameter beta=0/],
      [['--sampling', 'bootstrap'], /^neurone: --sampling must be epoch or random/],
    ] as const) {
      // a file that does not exist: the option's error must come first
      const r = spawnSync('node', [CLI, 'train', '--data', '/nonexistent/data.csv', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    expect(cli('--version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('neurone svm counts a point on the hyperplane as an error, as the lecture\'s y·f <= 0', () => {
    const r = JSON.parse(cli('svm', '--data', 'xor4', '--C', '1', '--json'));
    expect(r.margin).toBe('Infinity'); // w = 0 is the soft-margin optimum on the four points
    expect(r.trainError).toBe(1);
  });

  it('neurone train takes the optimizer, schedule and stop conditions by name', () => {
    const r = JSON.parse(cli('train', '--data', 'moons', '--n', '100', '--hidden', '8', '--activation', 'gelu', '--optimizer', 'adamw',
      '--schedule', '{"name":"cosine","tMax":100}', '--lr', '0.01', '--epochs', '100', '--sampling', 'random', '--max-steps', '40', '--json'));
    expect(r.stopReason).toBe('max-steps');
    expect(r.steps).toBe(40);
  });
});

describe('inputs found by attacking the toolbox', () => {
  const ds = moons({ n: 64, seed: 1 });
  it('fit callbacks cannot free, re-plan or retrain the net under fit, and fit stays usable', () => {
    const net = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 1 });
    expect(() => net.fit(ds.train.x, ds.train.y, { onStep: () => net.dispose() })).toThrow(/Mlp.dispose: not allowed inside a fit\(\) callback/);
    expect(() => net.fit(ds.train.x, ds.train.y, { onEpoch: () => { net.backward([[0, 0]], [0]); } })).toThrow(/Mlp.backward: not allowed inside a fit/);
    expect(() => net.fit(ds.train.x, ds.train.y, { onStep: () => { net.fit(ds.train.x, ds.train.y); } })).toThrow(/Mlp.fit: not allowed inside a fit/);
    expect(() => net.fitLineSearch(ds.train.x, ds.train.y, { onIteration: () => net.dispose() })).toThrow(/Mlp.dispose: not allowed inside/);
    expect(() => new Mlp({ sizes: [2, 4, 2], activation: 'rrelu' }).fitLineSearch(ds.train.x, ds.train.y)).toThrow(/rrelu draws random slopes/);
    // reading the net from a callback is fine and does not change the run
    const a = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 1 }), b = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 1 });
    const opts = { optimizer: { name: 'sgd', momentum: 0.9 }, lr: 0.3, epochs: 3, batchSize: 16 };
    a.fit(ds.train.x, ds.train.y, opts);
    b.fit(ds.train.x, ds.train.y, { ...opts, onStep: () => { b.evaluate([[5, 5]], [1]); b.predict([[1, 2], [3, 4]]); } });
    expect(b.getParameters()).toEqual(a.getParameters());
    net.dispose();
  });

  it('labels past f32 and losses or activations that overflow f32 are errors', () => {
    expect(() => F.loss('mse', [0], [1e39])).toThrow(/y\[0\] is 1e\+39; labels must be finite in f32/);
    expect(() => F.loss('mse', [3e38], [0])).toThrow(/loss "mse" gradient for score 0 is Infinity: it overflows f32/);
    expect(() => F.activationGrad({ name: 'celu', alpha: -1 }, [-100])).toThrow(/f'\(x\) at x\[0\] = -100 is Infinity/);
    expect(() => F.activation({ name: 'rrelu', lower: 1e38, upper: 3e38, training: true }, [-3.4e38])).toThrow(/overflows f32/);
    expect(() => F.loss('cross_entropy', { data: new Float32Array(2), rows: 1, cols: 2 }, new BigInt64Array([1n]) as any)).toThrow(/y\[0\] is bigint 1, not a number/);
  });

  it('lineSearchDescent refuses what the objective should not return, and protects u', () => {
    const fx = (u: Float64Array) => u[0] * u[0];
    expect(() => lineSearchDescent((u) => (u[0] === 1 ? 1 : -Infinity), () => [1], [1])).toThrow(/F is -Infinity at iteration 0, lambda 1/);
    expect(() => lineSearchDescent((u) => (u[0] === 1 ? 1 : (null as any)), () => [1], [1])).toThrow(/F returned object null/);
    expect(() => lineSearchDescent(fx, () => [1], new BigInt64Array([5n]) as any)).toThrow(/u0\[0\] is bigint 5, not a number/);
    const r = lineSearchDescent(fx, (u) => { const g = [2 * u[0]]; u[0] = NaN; return g; }, [3], { maxIter: 5 });
    expect(r.u[0]).toBe(0);
    expect(lineSearchDescent(fx, () => [1.7e308], [1], { maxIter: 1 }).trajectory[0].gradNorm).toBe(1.7e308);
    expect(lineSearchDescent(fx, (u) => [2 * u[0]], [3], { maxIter: 0 }).gradNorm).toBe(6);
    expect(() => gradCheck({} as any, [[0, 0]], [0])).toThrow(/net must be an Mlp/);
  });

  it('a cosine schedule spans maxSteps when that ends the run first', () => {
    const net = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 1 });
    const r = net.fit(ds.train.x, ds.train.y, { lr: 0.1, schedule: 'cosine', epochs: 100, batchSize: 16, maxSteps: 8 });
    expect(r.history.at(-1)!.lr).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI * 7 / 8)), 9);
  });

  it('nested options are checked, config() rebuilds the same initial weights, and fitLineSearch names an overflow', () => {
    const net = new Mlp({ sizes: [2, 4, 2], activation: 'tanh', seed: 3, init: 'he' });
    expect(() => net.fit(ds.train.x, ds.train.y, { plateau: { patience: 2, mindelta: 0.1 } as any })).toThrow(/plateau: unknown option "mindelta"; did you mean "minDelta"/);
    expect(() => net.fit(ds.train.x, ds.train.y, { shuffle: 'no' as any })).toThrow(/shuffle must be true or false/);
    expect(new Mlp(net.config()).getParameters()).toEqual(net.getParameters());
    const linear = new Mlp({ sizes: [2, 2], seed: 3 }); // tanh would saturate: a linear net overflows
    expect(() => linear.fitLineSearch([[3e38, 3e38], [-3e38, 3e38]], [0, 1])).toThrow(/the loss at the starting weights is (Infinity|NaN): the scores overflow f32/);
  });

  it('the CLI refuses options the chosen method would ignore', () => {
    const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
    const run = (...a: string[]) => spawnSync('node', [CLI, 'train', '--data', 'moons', ...a], { encoding: 'utf8' });
    expect(run('--line-search', '--optimizer', 'adam', '--epochs', '3').stderr).toMatch(/--optimizer, --epochs do not apply to it/);
    expect(run('--max-iter', '3').stderr).toMatch(/--max-iter applies to --line-search only/);
    expect(run('--optimizer', '{"name":"sgd","momentum":0.5}', '--momentum', '0.9').stderr).toMatch(/--momentum is given twice/);
  });
});
