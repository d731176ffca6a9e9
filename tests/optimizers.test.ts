// Every optimizer against optimizers.json (torch 1.13's update rules, 10 steps
// on Rosenbrock in 3-D and a 4x3 least-squares problem), on both backends:
// replaying torch's recorded gradients, and descending on gradients computed
// here in f64 from the optimizer's own (f32) parameters.
import { describe, it, expect, beforeAll } from 'vitest';
import { createOptimizer } from '../src/index.js';
import { setup, fixture, expectF32Close } from './helpers.js';

beforeAll(setup);

const fx = fixture('optimizers.json');
const BACKENDS = ['wasm', 'js'] as const;



const camel = (s: string) => s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

interface Case {
  problem: 'rosenbrock3' | 'lsq_4x3'; optimizer: string; torch_class: string;
  kwargs: Record<string, unknown>; hyperparameters_full: Record<string, unknown>;
  x0: number[]; steps: number; params_after_each_step: number[][]; grad_before_each_step: number[][];
  loss_before_each_step: number[]; loss_after_last_step: number;
}

function specOf(c: Case): { name: string } & Record<string, unknown> {
  const spec: { name: string } & Record<string, unknown> = { name: c.torch_class.toLowerCase() };
  for (const [k, v] of Object.entries(c.kwargs)) spec[camel(k)] = v;
  return spec;
}

// The two objectives and their gradients, in f64.
function objective(problem: Case['problem']): { f: (x: ArrayLike<number>) => number; grad: (x: ArrayLike<number>) => number[] } {
  if (problem === 'rosenbrock3') {
    return {
      f: (x) => {
        let s = 0;
        for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
        return s;
      },
      grad: (x) => {
        const g = new Array<number>(x.length).fill(0);
        for (let i = 0; i < x.length - 1; i++) {
          const d = x[i + 1] - x[i] ** 2;
          g[i] += -400 * x[i] * d - 2 * (1 - x[i]);
          g[i + 1] += 200 * d;
        }
        return g;
      },
    };
  }
  const { A, b } = fx.problems.lsq_4x3 as { A: number[][]; b: number[] };
  const residual = (x: ArrayLike<number>) => A.map((row, i) => row.reduce((s, a, j) => s + a * x[j], 0) - b[i]);
  return {
    f: (x) => 0.5 * residual(x).reduce((s, r) => s + r * r, 0),
    grad: (x) => { const r = residual(x); return A[0].map((_, j) => A.reduce((s, row, i) => s + row[j] * r[i], 0)); },
  };
}

describe.skipIf(!fx).each(BACKENDS)('optimizers against optimizers.json (%s backend)', (backend) => {
  const cases: Case[] = fx?.cases ?? [];
  const named = cases.map((c) => [`${c.optimizer} on ${c.problem}`, c] as const);

  it.each(named)('%s has torch\'s effective hyper-parameters', (_, c) => {
    const opt = createOptimizer(specOf(c), 3, { backend });
    let compared = 0;
    for (const [k, v] of Object.entries(c.hyperparameters_full)) {
      const ours = camel(k);
      if (!(ours in opt.params)) continue; // maximize, foreach, differentiable, capturable, fused
      expect(opt.params[ours], `${k}`).toEqual(v);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    expect(opt.lr).toBe(c.hyperparameters_full.lr);
    opt.dispose();
  });

  it.each(named)('%s replays torch\'s 10 steps from the recorded gradients, and again identically after reset()', (_, c) => {
    const opt = createOptimizer(specOf(c), 3, { backend });
    const run = () => {
      const x = Float32Array.from(c.x0), path: Float32Array[] = [];
      for (let t = 0; t < c.steps; t++) {
        opt.step(x, c.grad_before_each_step[t]);
        expect(opt.t).toBe(t + 1);
        expectF32Close(x, c.params_after_each_step[t], `step ${t + 1}`);
        path.push(x.slice());
      }
      return path;
    };
    const first = run();
    opt.reset();
    expect(opt.t).toBe(0);
    const again = run();
    for (let t = 0; t < c.steps; t++) expect(Array.from(again[t])).toEqual(Array.from(first[t]));
    opt.dispose();
  });

  it.each(named)('%s follows torch\'s trajectory with gradients computed in f64 from its own parameters', (_, c) => {
    const { f, grad } = objective(c.problem);
    // the objective is torch's: same losses and gradients at torch's iterates
    expect(Math.abs(f(c.x0) - c.loss_before_each_step[0])).toBeLessThanOrEqual(1e-12 * Math.abs(c.loss_before_each_step[0]));
    expectF32Close(grad(c.x0), c.grad_before_each_step[0], 'gradient at x0');
    const opt = createOptimizer(specOf(c), 3, { backend });
    const x = Float32Array.from(c.x0);
    const losses: number[] = [];
    for (let t = 0; t < c.steps; t++) {
      losses.push(f(x));
      opt.step(x, grad(x));
      expectF32Close(x, c.params_after_each_step[t], `step ${t + 1}`);
    }
    expectF32Close(losses, c.loss_before_each_step, 'loss before each step');
    expectF32Close([f(x)], [c.loss_after_last_step], 'loss after the last step');
    opt.dispose();
  });
});
