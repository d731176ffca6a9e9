// fitSvm against HiGHS's QP solver on the hard-margin primal itself,
// min ½‖w‖² s.t. y_n (wᵀx_n + b) ≥ 1, and the CLI commands end to end.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as highsModule from 'highs';
import { fitSvm, Rng, type BinarySvm } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

/** n points in d dimensions labelled by a random hyperplane, kept only outside a slab. */
function separableSet(n: number, d: number, seed: number): { X: number[][]; y: number[] } {
  const r = new Rng(seed), u = Array.from({ length: d }, () => r.range(-1, 1));
  const X: number[][] = [], y: number[] = [];
  while (X.length < n) {
    const p = Array.from({ length: d }, () => r.range(-2, 2));
    const s = p.reduce((a, v, j) => a + v * u[j], 0.3);
    if (Math.abs(s) < 0.2) continue;
    X.push(p); y.push(s > 0 ? 1 : -1);
  }
  return { X, y };
}

describe('fitSvm against the hard-margin QP solved by HiGHS', () => {
  for (const [n, d, seed] of [[40, 3, 1], [80, 6, 2]]) {
    it(`fitSvm finds the QP's w and b on ${n} separable points in ${d} dimensions (1e-6 relative)`, async () => {
      const { X, y } = separableSet(n, d, seed);
      const highs = await ((highsModule as any).default ?? highsModule)();

      // unknowns (w_1..w_d, b); rows y_n x_nᵀ w + y_n b ≥ 1; Hessian diag(1, .., 1, 0)
      const starts = new Int32Array(n + 1), idx: number[] = [], val: number[] = [];
      for (let t = 0; t < n; t++) {
        for (let j = 0; j < d; j++) { idx.push(j); val.push(y[t] * X[t][j]); }
        idx.push(d); val.push(y[t]);
        starts[t + 1] = idx.length;
      }
      const model = highs.createModel({
        numCols: d + 1, numRows: n, colCost: new Float64Array(d + 1),
        colLower: new Float64Array(d + 1).fill(-Infinity), colUpper: new Float64Array(d + 1).fill(Infinity),
        rowLower: new Float64Array(n).fill(1), rowUpper: new Float64Array(n).fill(Infinity),
        matrix: { format: 'csr', numRows: n, numCols: d + 1, starts, indices: Int32Array.from(idx), values: Float64Array.from(val) },
        hessian: { format: 'triangular', dimension: d + 1, starts: Int32Array.from({ length: d + 2 }, (_, j) => Math.min(j, d)),
          indices: Int32Array.from({ length: d }, (_, j) => j), values: new Float64Array(d).fill(1) },
      });
      let qp: Float64Array;
      try {
        model.options.set({ output_flag: false });
        model.run();
        expect(model.getModelStatus()).toBe(highs.constants.modelStatus.optimal);
        qp = Float64Array.from(model.getSolution().colValue);
      } finally {
        model.dispose();
      }

      const s = (await fitSvm(X, y)) as BinarySvm;
      const ref = Array.from(qp.subarray(0, d)), norm = Math.sqrt(ref.reduce((a, v) => a + v * v, 0));
      for (let j = 0; j < d; j++) expect(Math.abs(s.w[j] - ref[j]) / norm).toBeLessThan(1e-6);
      expect(Math.abs(s.b - qp[d]) / Math.max(1, Math.abs(qp[d]))).toBeLessThan(1e-6);
      expect(Math.abs(s.primalObjective - 0.5 * norm * norm) / (0.5 * norm * norm)).toBeLessThan(1e-6);
    });
  }
});

describe('the separable and svm commands', () => {
  const cli = (...args: string[]) => execFileSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('neurone separable --data xor4 --json prints the certificate', () => {
    const out = JSON.parse(cli('separable', '--data', 'xor4', '--json'));
    expect(out.separable).toBe(false);
    expect(out.certificate.lambda).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('neurone svm --data moons --C 1 --json prints w, b, margin, support vectors and errors', () => {
    const out = JSON.parse(cli('svm', '--data', 'moons', '--C', '1', '--json'));
    expect(out.w).toHaveLength(2);
    expect(out.margin).toBeCloseTo(2 / Math.hypot(out.w[0], out.w[1]), 12);
    expect(out.supportVectors).toBeGreaterThan(0);
    expect(out.trainError).toBeLessThan(0.2);
    expect(out.testError).toBeLessThan(0.2);
    expect(out.notes[0]).toMatch(/labels mapped: 0 -> -1, 1 -> \+1/);
  });

  it('neurone svm --data xor4 without --C fails with the reason', () => {
    expect(() => execFileSync(process.execPath, ['dist/cli/main.js', 'svm', '--data', 'xor4'], { encoding: 'utf8', stdio: 'pipe' }))
      .toThrow(/not linearly separable/);
  });
});
