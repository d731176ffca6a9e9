// Gradient descent with the lecture's halving line search against
// line_search.json: lineSearchDescent in f64 iteration by iteration, and
// Mlp.fitLineSearch on the logistic-regression case (a net with one linear
// unit whose parameters [w1, w2, b] are the fixture's u), on both backends.
import { describe, it, expect, beforeAll } from 'vitest';
import { lineSearchDescent, Mlp, type LineSearchResult } from '../src/index.js';
import { setup, fixture } from './helpers.js';

beforeAll(setup);

const fx = fixture('line_search.json');
const BACKENDS = ['wasm', 'js'] as const;

interface Iteration { k: number; u: number[]; F: number; grad: number[]; lam: number; halvings: number; F_candidates: number[] }
interface Case {
  name: string; u0: number[]; iterations: Iteration[]; u_after_last: number[]; F_after_last: number;
  min_relative_decision_gap: number;
  A?: number[][]; b?: number[]; X?: number[][]; y?: number[]; reduction?: string; l2?: number;
}

/** |a - b| <= tol * max(1, |b|) for every element. */
function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let k = 0; k < expected.length; k++) {
    if (!(Math.abs(actual[k] - expected[k]) <= tol * Math.max(1, Math.abs(expected[k])))) bad.push(`[${k}] ${actual[k]}, expected ${expected[k]}`);
  }
  expect(bad, what).toEqual([]);
}

// The objectives, in f64.
const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function objective(c: Case): { f: (u: Float64Array) => number; grad: (u: Float64Array) => number[] } {
  if (c.A && c.b) {
    const A = c.A, b = c.b, n = b.length;
    const Au = (u: Float64Array) => A.map((row) => row.reduce((s, a, j) => s + a * u[j], 0));
    return {
      f: (u) => { const v = Au(u); let s = 0; for (let i = 0; i < n; i++) s += 0.5 * u[i] * v[i] - b[i] * u[i]; return s; },
      grad: (u) => Au(u).map((v, i) => v - b[i]), // A is symmetric
    };
  }
  const X = c.X!, y = c.y!;
  expect(c.reduction).toBe('sum');
  expect(c.l2).toBe(0);
  // u = [w; b]; F(u) = sum_i log(1 + exp(-y_i (w . x_i + b)))
  const margin = (u: Float64Array, i: number) => y[i] * (X[i].reduce((s, x, j) => s + u[j] * x, 0) + u[X[i].length]);
  return {
    f: (u) => X.reduce((s, _, i) => s + softplus(-margin(u, i)), 0),
    grad: (u) => {
      const g = new Array<number>(u.length).fill(0);
      X.forEach((x, i) => {
        const w = -y[i] * sigmoid(-margin(u, i));
        x.forEach((xj, j) => { g[j] += w * xj; });
        g[x.length] += w;
      });
      return g;
    },
  };
}

/** Compares a whole run with the fixture: u, F, lambda, halvings and every candidate's F. */
function expectTrajectory(r: LineSearchResult, c: Case, tol: number, what: string): void {
  expect(r.stopReason).toBe('max-iterations');
  expect(r.trajectory.length).toBe(c.iterations.length);
  for (const it of c.iterations) {
    const s = r.trajectory[it.k];
    const at = `${what}, iteration ${it.k}`;
    expect(s.k).toBe(it.k);
    expectNear(s.u, it.u, tol, `${at}: u`);
    expectNear([s.f], [it.F], tol, `${at}: F`);
    expectNear([s.gradNorm], [Math.hypot(...it.grad)], tol, `${at}: ||grad||`);
    // the decisions are exact: same halvings, so the same power of two
    expect(s.halvings, `${at}: halvings`).toBe(it.halvings);
    expect(s.lambda, `${at}: lambda`).toBe(it.lam);
    expectNear(s.candidates, it.F_candidates, tol, `${at}: F at each tried lambda`);
  }
  expectNear(r.u, c.u_after_last, tol, `${what}: u after the last step`);
  expectNear([r.f], [c.F_after_last], tol, `${what}: F after the last step`);
}

describe.skipIf(!fx)('lineSearchDescent against line_search.json', () => {
  const cases: Case[] = fx?.cases ?? [];

  it.each(cases.map((c) => [c.name, c] as const))('%s: every iteration\'s u, F, lambda, halvings and candidates match in f64', (_, c) => {
    const { f, grad } = objective(c);
    // the objective here is the fixture's: same F and gradient at u0
    expectNear([f(Float64Array.from(c.u0))], [c.iterations[0].F], 1e-14, 'F(u0)');
    expectNear(grad(Float64Array.from(c.u0)), c.iterations[0].grad, 1e-14, 'grad F(u0)');
    const r = lineSearchDescent(f, grad, c.u0, { maxIter: 20, tol: 0 });
    expectTrajectory(r, c, 1e-12, c.name);
    // each accepted step decreased F, strictly
    for (const s of r.trajectory) expect(s.candidates[s.candidates.length - 1]).toBeLessThan(s.f);
  });
});

describe.skipIf(!fx?.cases.some((c: Case) => c.X)).each(BACKENDS)('Mlp.fitLineSearch against line_search.json (%s backend)', (backend) => {
  const c: Case | undefined = fx?.cases.find((k: Case) => k.X);

  it('a single linear unit with zero weights and the logistic loss (sum) follows the fixture\'s logistic-regression run', () => {
    // f32 parameters: the trial points are rounded to f32, so the values agree
    // to f32 precision; the halving decisions stay exact because every
    // comparison in the fixture is decided by a relative gap >= 1e-4
    expect(c!.min_relative_decision_gap).toBeGreaterThan(1e-5);
    expect(c!.u0).toEqual([0, 0, 0]);
    const net = new Mlp({ layers: [{ in: 2, out: 1 }], backend });
    net.setLayer(0, { weight: [[0, 0]], bias: [0] });
    const r = net.fitLineSearch(c!.X!, c!.y!, { loss: 'logistic', maxIter: 20, tol: 0, keepU: true });
    expectTrajectory(r, c!, 1e-5, `${c!.name} (${backend} net)`);
    // the net keeps the final parameters, laid out W then bias: u = [w1, w2, b]
    const layer = net.getLayer(0);
    expectNear([...layer.weight.data, ...layer.bias], c!.u_after_last, 1e-5, 'the net\'s final weights and bias');
    expect(Array.from(net.getParameters())).toEqual(Array.from(Float32Array.from(r.u)));
    net.dispose();
  });
});
