// separable, perceptron and fitSvm against the reference fixtures
// (../shared/fixtures: linear_feasibility.json from scipy/HiGHS, svm.json from
// scikit-learn's SVC and an exact KKT solve), on both backends.
import { describe, it, expect, beforeAll } from 'vitest';
import { separable, perceptron, fitSvm, certificateResidual, toMatrix64, type BinarySvm, type OvrSvm } from '../src/index.js';
import { setup, fixture } from './helpers.js';

beforeAll(setup);

const feas = fixture('linear_feasibility.json');
const svm = fixture('svm.json');
const BACKENDS = ['wasm', 'js'] as const;

/** max |a − b| / max(1e-300, |b|), reporting the worst index on failure. */
function expectRel(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  let worst = 0, at = -1;
  for (let k = 0; k < b.length; k++) {
    const r = Math.abs(a[k] - b[k]) / Math.max(1e-300, Math.abs(b[k]));
    if (r > worst) { worst = r; at = k; }
  }
  expect(worst, `${what}: largest relative difference ${worst} at index ${at}`).toBeLessThanOrEqual(tol);
}

describe.skipIf(!feas)('separable against linear_feasibility.json', () => {
  for (const c of feas?.cases ?? []) {
    it(`separable decides ${c.name} (${c.expected}) and returns a checkable answer`, async () => {
      const r = await separable(c.X, c.y);
      expect(r.separable).toBe(c.feasible);
      const X = toMatrix64(c.X, 'test');
      if (r.separable) {
        // every functional margin ≥ 1 up to HiGHS's feasibility tolerance
        expect(r.minMargin).toBeGreaterThan(1 - 1e-6);
        for (let t = 0; t < c.n; t++) {
          let s = r.b;
          for (let j = 0; j < c.dim; j++) s += r.w[j] * c.X[t][j];
          expect(c.y[t] * s).toBeGreaterThan(0);
        }
      } else {
        const lam = r.certificate.lambda;
        expect(Math.min(...lam)).toBeGreaterThanOrEqual(0);
        expect(lam.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
        expect(certificateResidual(X, c.y, lam)).toBeLessThan(1e-9);
        expect(r.certificate.residual).toBeLessThan(1e-9);
      }
    });
  }

  it('separable gives the lecture four points the certificate λ = (¼, ¼, ¼, ¼)', async () => {
    const r = await separable([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, -1, -1]);
    expect(r.separable).toBe(false);
    if (!r.separable) expectRel(r.certificate.lambda, [0.25, 0.25, 0.25, 0.25], 1e-12, 'lambda');
  });
});

describe('separable on small cases', () => {
  it('separable refuses a duplicated point with opposite labels, λ on the pair', async () => {
    const r = await separable([[0.5, 2], [3, 1], [0.5, 2]], [1, 1, -1]);
    expect(r.separable).toBe(false);
    if (!r.separable) expectRel(r.certificate.lambda, [0.5, 0, 0.5], 1e-12, 'lambda');
  });

  it('separable maps two label values to ±1 and says so', async () => {
    const r = await separable([[0], [1], [3], [4]], [3, 3, 7, 7]);
    expect(r.separable).toBe(true);
    expect(r.classes).toEqual([3, 7]);
    expect(r.mapped).toBe(true);
    if (r.separable) expect(r.w[0]).toBeGreaterThan(0);
  });
});

describe('perceptron', () => {
  it('perceptron finds a separator of AND and every point ends on its side', () => {
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [-1, -1, -1, 1];
    const r = perceptron(X, y);
    expect(r.converged).toBe(true);
    for (let t = 0; t < 4; t++) expect(y[t] * (r.w[0] * X[t][0] + r.w[1] * X[t][1] + r.b)).toBeGreaterThan(0);
    // the classical run from w = 0, b = 0 in this order: 9 sweeps, 18 updates
    expect([r.epochs, r.updates]).toEqual([9, 18]);
  });

  it('perceptron says it did not converge on the lecture four points', () => {
    const r = perceptron([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, -1, -1], { maxEpochs: 50 });
    expect(r.converged).toBe(false);
    expect(r.epochs).toBe(50);
    if (!r.converged) expect(r.mistakes).toBeGreaterThan(0);
  });
});

describe.skipIf(!svm).each(BACKENDS)('fitSvm against svm.json (%s backend)', (backend) => {
  for (const c of svm?.hard_margin ?? []) {
    it(`fitSvm hard margin matches ${c.name}: w, b, margin to 1e-6, the same support vectors`, async () => {
      const s = (await fitSvm(c.X, c.y, { backend })) as BinarySvm;
      expect(s.kind).toBe('binary');
      expect(s.converged).toBe(true);
      expectRel(s.w, c.exact.w, 1e-6, 'w vs exact');
      expectRel(s.w, c.sklearn.w, 1e-6, 'w vs sklearn');
      expectRel([s.b, s.margin], [c.exact.b, c.exact.margin], 1e-6, 'b, margin vs exact');
      expectRel([s.b, s.margin], [c.sklearn.b, c.sklearn.margin], 1e-6, 'b, margin vs sklearn');
      expect(Array.from(s.supportIndices)).toEqual(c.sklearn.support_indices);
      // dual coefficients α_n y_n, in the order of the sorted support indices
      const ay = c.sklearn.support_indices.map((t: number, q: number) => c.exact.alpha[q] * c.y[t]);
      expectRel(s.dualCoef, ay, 1e-6, 'dualCoef');
      expectRel([s.primalObjective, s.dualObjective], [c.exact.primal_objective, c.exact.primal_objective], 1e-6, 'objectives');
      // every functional margin ≥ 1 (hard margin), = 1 on the support vectors
      const f = s.decisionFunction(c.X);
      for (let t = 0; t < c.y.length; t++) expect(c.y[t] * f[t]).toBeGreaterThan(1 - 1e-6);
      expect(Array.from(s.predict(c.X))).toEqual(c.y.map(Number));
    });
  }

  for (const c of svm?.soft_margin ?? []) {
    for (const fit of c.fits) {
      it(`fitSvm soft margin C=${fit.C} matches ${c.name}: w, b, objective to 1e-6, the same support vectors`, async () => {
        const s = (await fitSvm(c.X, c.y, { C: fit.C, backend })) as BinarySvm;
        expect(s.converged).toBe(true);
        expectRel(s.w, fit.exact.w, 1e-6, 'w');
        expectRel([s.b], [fit.exact.b], 1e-6, 'b');
        expectRel([s.primalObjective, s.dualObjective], [fit.exact.primal_objective, fit.exact.dual_objective], 1e-6, 'objectives');
        expect(Array.from(s.supportIndices)).toEqual(fit.support_indices);
        const alpha = fit.exact.alpha;
        expectRel(s.dualCoef, Array.from(s.supportIndices, (t) => alpha[t] * c.y[t]), 1e-6, 'dualCoef');
        expectRel(s.decisionFunction(c.X), fit.functional_margins.map((m: number, t: number) => m * c.y[t]), 1e-6, 'decision values');
      });
    }
  }
});

describe('fitSvm', () => {
  it('fitSvm gives bit-identical results on the wasm and js backends', async () => {
    const X = Array.from({ length: 60 }, (_, t) => [Math.sin(t), Math.cos(3 * t), (t % 7) / 7]);
    const y = X.map((r) => (r[0] + 0.5 * r[1] - 0.2 > 0 ? 1 : -1));
    const a = (await fitSvm(X, y, { C: 2 })) as BinarySvm, b = (await fitSvm(X, y, { C: 2, backend: 'js' })) as BinarySvm;
    expect(Array.from(a.w)).toEqual(Array.from(b.w));
    expect(a.b).toBe(b.b);
    expect(a.iterations).toBe(b.iterations);
    expect(Array.from(a.supportIndices)).toEqual(Array.from(b.supportIndices));
  });

  it('fitSvm maps two label values and predicts them back', async () => {
    const s = (await fitSvm([[0, 0], [1, 0], [3, 0], [4, 0]], [5, 5, 9, 9])) as BinarySvm;
    expect(s.classes).toEqual([5, 9]);
    // the hard margin between x=1 and x=3: w = 1, b = −2, margin 2
    expectRel([s.w[0], s.b, s.margin], [1, -2, 2], 1e-9, 'w, b, margin');
    expect(Array.from(s.predict([[-1, 0], [10, 3]]))).toEqual([5, 9]);
  });

  it('fitSvm with three classes fits one machine per class against the rest', async () => {
    const X = [[0, 0], [0.2, 0.1], [5, 0], [5.1, 0.3], [0, 5], [0.3, 5.2]], y = [0, 0, 1, 1, 2, 2];
    const m = (await fitSvm(X, y, { C: 10 })) as OvrSvm;
    expect(m.kind).toBe('ovr');
    expect(m.classes).toEqual([0, 1, 2]);
    expect(m.machines.length).toBe(3);
    expect(Array.from(m.predict(X))).toEqual(y);
    expect(m.decisionFunction(X).cols).toBe(3);
  });
});

describe('fitSvm, separable and perceptron refuse bad input with a clear message', () => {
  const X = [[0, 0], [1, 1], [2, 0]];
  it('fitSvm names the problem', async () => {
    await expect(fitSvm([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, -1, -1])).rejects.toThrow(/not linearly separable.*finite C/);
    await expect(fitSvm([[1, 1], [1, 1]], [1, -1])).rejects.toThrow(/not linearly separable/);
    await expect(fitSvm(X, [1, 1, 1])).rejects.toThrow(/every label is 1; need two classes/);
    await expect(fitSvm([], [])).rejects.toThrow(/zero rows/);
    await expect(fitSvm(X, [1, -1])).rejects.toThrow(/2 labels for 3 rows/);
    await expect(fitSvm([[0, NaN], [1, 1], [2, 0]], [1, -1, 1])).rejects.toThrow(/x\[0, 1\] is NaN/);
    await expect(fitSvm([[0, 0], [Infinity, 1]], [1, -1])).rejects.toThrow(/x\[1, 0\] is Infinity/);
    await expect(fitSvm([[0, 0], [1]], [1, -1])).rejects.toThrow(/row 1 has 1 values, row 0 has 2/);
    await expect(fitSvm(X, [1, -1, NaN])).rejects.toThrow(/y\[2\] is NaN/);
    await expect(fitSvm(X, [1, -1, 1], { C: -1 })).rejects.toThrow(/C must be a positive number/);
    await expect(fitSvm(X, [1, -1, 1], { C: 0 })).rejects.toThrow(/C must be a positive number/);
    await expect(fitSvm(X, [1, -1, 1], { tol: 0 })).rejects.toThrow(/tol must be in/);
    await expect(fitSvm({ data: [1, 2, 3], rows: 2, cols: 2 }, [1, -1])).rejects.toThrow(/3 values but rows\*cols = 2\*2 = 4/);
    const s = (await fitSvm(X, [1, -1, 1], { C: 1 })) as BinarySvm;
    expect(() => s.predict([[1, 2, 3]])).toThrow(/x has 3 columns, the model was fitted on 2/);
  });

  it('separable and perceptron name the problem', async () => {
    await expect(separable(X, [0, 1, 2])).rejects.toThrow(/3 distinct values \(0, 1, 2\); need exactly two/);
    await expect(separable(X, [-1, -1, -1])).rejects.toThrow(/one class only/);
    await expect(separable(X, [1, -1, 1], { timeLimit: 0 })).rejects.toThrow(/timeLimit must be a positive number of seconds/);
    expect(() => perceptron(X, [1, -1, 1], { maxEpochs: 0 })).toThrow(/maxEpochs must be an integer >= 1/);
    expect(() => perceptron(X, [1, -1])).toThrow(/2 labels for 3 rows/);
  });
});
