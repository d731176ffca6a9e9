// separable, perceptron and fitSvm on the inputs an adversarial tester found: features far
// from 1 in magnitude (tiny, huge, spanning many decades), w = 0 optima, values that are not
// numbers, null or bad options, HiGHS failing. Every answer is checked against values computed
// here, and every refusal must name the problem.
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { separable, perceptron, fitSvm, moons, type BinarySvm, type OvrSvm, type Separability } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

const BACKENDS = ['wasm', 'js'] as const;

/** y_t (wᵀx_t + b) for every row, computed here. */
function margins(X: number[][], y: number[], w: ArrayLike<number>, b: number): number[] {
  return X.map((row, t) => y[t] * (row.reduce((s, v, j) => s + v * w[j], 0) + b));
}

function expectSeparates(r: Separability, X: number[][], y: number[]): asserts r is Extract<Separability, { separable: true }> {
  expect(r.separable).toBe(true);
  if (!r.separable) throw new Error('not separable');
  const m = margins(X, y, r.w, r.b);
  expect(Math.min(...m)).toBeGreaterThan(0.99); // the LP asks for 1
  expect(r.minMargin).toBeCloseTo(Math.min(...m), 9);
}

describe('separable scales each feature before the LP and checks both answers on the original data', () => {
  it('separable separates [[1e-9], [-1e-9]] with w = 1e9, b = 0 (it said "not separable", residual 1e-9)', async () => {
    const X = [[1e-9], [-1e-9]], y = [1, -1];
    const r = await separable(X, y);
    expectSeparates(r, X, y);
    expect(r.w[0] / 1e9).toBeCloseTo(1, 9);
    expect(Math.abs(r.b)).toBeLessThan(1e-9);
  });

  it('separable separates 3000 points whose only informative feature is about 1e-10', async () => {
    const X: number[][] = [], y: number[] = [];
    for (let t = 0; t < 3000; t++) {
      const s = t % 2 ? 1 : -1;
      X.push([s * (1 + (t % 7) / 7) * 1e-10, Math.sin(t)]);
      y.push(s);
    }
    const r = await separable(X, y);
    expectSeparates(r, X, y);
    // the gap is 2e-10 wide, so w[0] is of order 1e10
    expect(Math.abs(r.w[0])).toBeGreaterThan(1e9);
  });

  it('separable separates [[1e10, 1e-10], [1e10, -1e-10], [1e10, 2e-10]] labelled 1, -1, 1', async () => {
    const X = [[1e10, 1e-10], [1e10, -1e-10], [1e10, 2e-10]], y = [1, -1, 1];
    const r = await separable(X, y);
    expectSeparates(r, X, y);
  });

  it('separable still proves non-separability of tiny and huge data: XOR at 1e-9 and 1e300, λ = ¼ each, residual 0', async () => {
    for (const s of [1e-9, 1e300]) {
      const r = await separable([[s, 0], [-s, 0], [0, s], [0, -s]], [1, 1, -1, -1]);
      expect(r.separable).toBe(false);
      if (r.separable) return;
      expect(Array.from(r.certificate.lambda)).toEqual([0.25, 0.25, 0.25, 0.25]);
      expect(r.certificate.residual).toBe(0);
      expect(r.certificate.relativeResidual).toBe(0);
    }
  });

  it('separable answers for |x| = 1e15 and 1.7e308 (HiGHS refused entries >= 1e15: "passModel failed")', async () => {
    for (const s of [1e15, 1.7e308]) {
      const X = [[s], [-s]], y = [1, -1];
      const r = await separable(X, y);
      expect(r.separable).toBe(true);
      if (!r.separable) return;
      expect(r.w[0] * s).toBeCloseTo(1, 9);
      expect(r.minMargin).toBeCloseTo(1, 9);
    }
  });

  it('separable refuses a feature spanning 13 decades by name instead of a wrong "not separable"', async () => {
    // separable (w = (1000, 0), b = 0), but HiGHS drops the 1e-3 entries next to 1e10
    await expect(separable([[1e10, 0], [1e-3, 1], [-1e-3, 1]], [1, 1, -1]))
      .rejects.toThrow(/fails the float64 check.*feature 0 spans more than 12 decades \(\|x\| from 0\.001 to 10000000000\)/);
  });

  it('separable refuses when the separating w would overflow (a feature of 1e-310), naming the feature', async () => {
    await expect(separable([[1e-310], [-1e-310]], [1, -1])).rejects.toThrow(/w would overflow float64: feature 0 is at most 1e-310/);
  });

  it('separable shows the float64 limit in the certificate: points 1e-12 apart get relative residual 5e-13, not 0', async () => {
    // any separator needs |w| ≈ 2e12 against a margin of 1: beyond what the LP resolves, and the
    // relative residual says how far beyond (it bounds margin / size of the terms of wᵀx + b)
    const r = await separable([[1], [1 + 1e-12]], [1, -1]);
    expect(r.separable).toBe(false);
    if (r.separable) return;
    expect(r.certificate.relativeResidual).toBeGreaterThan(4e-13);
    expect(r.certificate.relativeResidual).toBeLessThan(6e-13);
  });

  it('separable turns a HiGHS failure into an error naming the LP and HiGHS\'s message', async () => {
    vi.resetModules();
    vi.doMock('highs', () => ({
      default: async () => ({
        constants: { modelStatus: { optimal: 7, infeasible: 8, timeLimit: 13 } },
        createModel: () => ({
          options: { set: () => undefined },
          passModel: () => { throw new Error('passModel failed with HiGHS status -1'); },
          dispose: () => undefined,
        }),
      }),
    }));
    try {
      const fresh = await import('../src/svm.js');
      await expect(fresh.separable([[1], [-1]], [1, -1]))
        .rejects.toThrow(/^separable: the LP solver HiGHS failed on the feasibility LP \(2 rows, 2 unknowns, 4 nonzeros\): passModel failed with HiGHS status -1$/);
    } finally {
      vi.doUnmock('highs');
      vi.resetModules();
    }
  });
});

describe.each(BACKENDS)('fitSvm at extreme magnitudes (%s backend)', (backend) => {
  it('fitSvm hard margin on [[1e-9], [-1e-9]]: w = 1e9, b = 0, margin 2e-9, α = 5e17 (it refused the data)', async () => {
    const s = (await fitSvm([[1e-9], [-1e-9]], [1, -1], { backend })) as BinarySvm;
    expect(s.converged).toBe(true);
    expect(s.w[0] / 1e9).toBeCloseTo(1, 12);
    expect(Math.abs(s.b)).toBeLessThan(1e-12);
    expect(s.margin / 2e-9).toBeCloseTo(1, 12);
    expect(s.dualCoef[0] / 5e17).toBeCloseTo(1, 12);
    expect(s.primalObjective / 5e17).toBeCloseTo(1, 12);
  });

  it('fitSvm hard margin on [[1e15], [-1e15]]: w = 1e-15, margin 2e15 (it threw HighsError)', async () => {
    const s = (await fitSvm([[1e15], [-1e15]], [1, -1], { backend })) as BinarySvm;
    expect(s.w[0] / 1e-15).toBeCloseTo(1, 12);
    expect(s.margin / 2e15).toBeCloseTo(1, 12);
  });

  it('fitSvm C=1 on [[1e160, 0], [-1e160, 0]]: w = [1e-160, 0], b = 0, predictions [1, -1] (it gave w = 0, unconverged)', async () => {
    const s = (await fitSvm([[1e160, 0], [-1e160, 0]], [1, -1], { C: 1, backend })) as BinarySvm;
    expect(s.converged).toBe(true);
    expect(s.w[0] / 1e-160).toBeCloseTo(1, 12);
    expect(s.w[1]).toBe(0);
    expect(s.b).toBe(0);
    expect(s.margin / 2e160).toBeCloseTo(1, 12);
    expect(Array.from(s.predict([[1e160, 0], [-1e160, 0], [3, 0]]))).toEqual([1, -1, 1]);
    // α = 1/(2·1e320): subnormal, as small as the true value
    expect(s.dualCoef[0]).toBeGreaterThan(0);
    expect(s.dualCoef[0]).toBeLessThan(1e-319);
  });

  it('fitSvm hard margin on a 1e-9 gap converges to w = -2/δ, b = 1 - w, margin δ (the curvature floor stalled it)', async () => {
    const X = [[1], [1 + 1e-9], [0.5], [2]], y = [1, -1, 1, -1];
    const delta = X[1][0] - 1; // the gap as float64 holds it
    const s = (await fitSvm(X, y, { backend })) as BinarySvm;
    expect(s.converged).toBe(true);
    expect(s.w[0] / (-2 / delta)).toBeCloseTo(1, 6);
    expect(s.b / (1 + 2 / delta)).toBeCloseTo(1, 6);
    expect(s.margin / delta).toBeCloseTo(1, 6);
    expect(Array.from(s.supportIndices)).toEqual([0, 1]);
  });

  it('fitSvm gives bit-identical answers on x and x·1024 with C/2^20: the internal scaling is exact', async () => {
    const X = Array.from({ length: 30 }, (_, t) => [Math.sin(t), Math.cos(2 * t), (t % 5) / 5]);
    const y = X.map((r) => (r[0] - 0.3 * r[2] > 0 ? 1 : -1));
    const a = (await fitSvm(X, y, { C: 3, backend })) as BinarySvm;
    const b = (await fitSvm(X.map((r) => r.map((v) => v * 1024)), y, { C: 3 / 2 ** 20, backend })) as BinarySvm;
    expect(Array.from(b.w, (v) => v * 1024)).toEqual(Array.from(a.w));
    expect(b.b).toBe(a.b);
    expect(Array.from(b.dualCoef, (v) => v * 2 ** 20)).toEqual(Array.from(a.dualCoef));
    expect(b.iterations).toBe(a.iterations);
    expect(Array.from(b.supportIndices)).toEqual(Array.from(a.supportIndices));
  });
});

describe('fitSvm refuses what float64 cannot hold, naming the magnitude', () => {
  it('fitSvm refuses the hard margin for features of 1e-160 (½‖w‖² = 5e319 overflows)', async () => {
    await expect(fitSvm([[1e-160], [-1e-160]], [1, -1])).rejects.toThrow(/does not fit in float64: the primal objective .* = Infinity \(the features reach \|x\| = 1e-160\)/);
  });

  it('fitSvm refuses C·max|x|² below float64\'s normal range, and C·max|x|² overflowing on non-separable data', async () => {
    await expect(fitSvm([[1e-160], [-1e-160]], [1, -1], { C: 1 })).rejects.toThrow(/C = 1 is too small for features of magnitude 1e-160/);
    await expect(fitSvm([[10, 0], [-10, 0], [0, 10], [0, -10]], [1, 1, -1, -1], { C: 1e308 }))
      .rejects.toThrow(/C = 1e\+308 is too large for features of magnitude 10.*not linearly separable/);
  });

  it('fitSvm treats an overflowing C·max|x|² on separable data as the hard margin it numerically is', async () => {
    const s = (await fitSvm([[10], [-10]], [1, -1], { C: 1e308 })) as BinarySvm;
    expect(s.w[0]).toBeCloseTo(0.1, 15);
    expect(s.C).toBe(1e308);
  });
});

describe('fitSvm with w = 0 reports an infinite margin with a note (it was a silent null in JSON)', () => {
  it('fitSvm C=1 on XOR: w = 0, b = 0, margin Infinity, primal = dual = 4, and a note saying why', async () => {
    const s = (await fitSvm([[0, 0], [1, 1], [1, 0], [0, 1]], [1, 1, -1, -1], { C: 1 })) as BinarySvm;
    expect(Array.from(s.w)).toEqual([0, 0]);
    expect(s.b).toBe(0);
    expect(s.margin).toBe(Infinity);
    expect([s.primalObjective, s.dualObjective]).toEqual([4, 4]);
    expect(s.note).toMatch(/^w = 0: no w lowers the hinge penalty.*margin 2\/‖w‖ is infinite/);
  });

  it('fitSvm C=1 on two identical points with opposite labels: w = 0, margin Infinity, primal 2', async () => {
    const s = (await fitSvm([[0, 0], [0, 0]], [1, -1], { C: 1 })) as BinarySvm;
    expect(Array.from(s.w)).toEqual([0, 0]);
    expect(s.margin).toBe(Infinity);
    expect(s.primalObjective).toBe(2);
    expect(s.note).toMatch(/w = 0/);
  });

  it('fitSvm one-vs-rest on [[0,0],[1,0],[2,0],[3,0]] labelled 0,1,2,0: every machine w = 0 with a note, predictions all 0', async () => {
    const m = (await fitSvm([[0, 0], [1, 0], [2, 0], [3, 0]], [0, 1, 2, 0], { C: 1 })) as OvrSvm;
    expect(m.machines.map((s) => s.margin)).toEqual([Infinity, Infinity, Infinity]);
    expect(m.machines.map((s) => s.b)).toEqual([0, -1, -1]);
    expect(m.notes).toHaveLength(3);
    expect(m.notes![1]).toMatch(/^class 1: w = 0/);
    expect(Array.from(m.predict([[0, 0], [1, 0], [2, 0], [3, 0]]))).toEqual([0, 0, 0, 0]);
  });

  it('fitSvm C=1e-300 on moons: a tiny w and a huge but finite margin, no note (‖w‖² underflowed to Infinity before)', async () => {
    const ds = moons({ n: 200, seed: 1 });
    const s = (await fitSvm(ds.train.x, ds.train.y, { C: 1e-300 })) as BinarySvm;
    const norm = Math.hypot(s.w[0] * 1e300, s.w[1] * 1e300) / 1e300;
    expect(norm).toBeGreaterThan(0);
    expect(s.margin).toBeGreaterThan(1e297);
    expect(s.margin / (2 / norm)).toBeCloseTo(1, 12);
    expect(s.note).toBeUndefined();
    // every α is at its bound C: 200 support vectors with |α y| = 1e-300
    expect(s.supportIndices.length).toBe(200);
    for (const a of s.dualCoef) expect(Math.abs(a)).toBe(1e-300);
  });
});

describe('separable, perceptron and fitSvm refuse features that are not numbers, naming the position', () => {
  const cases: [string, unknown[][], RegExp][] = [
    ['null', [[1, 0], [null, 1]], /x\[1, 0\] is null, not a number/],
    ['true', [[1, true], [0, 1]], /x\[0, 1\] is true, not a number/],
    ['"1"', [["1", 0], [0, 1]], /x\[0, 0\] is the string "1", not a number/],
    ['a hole', [[1, 0], [, 1]], /x\[1, 0\] is undefined, not a number/],
  ];
  for (const [what, X, re] of cases) {
    it(`all three refuse ${what} in x`, async () => {
      await expect(separable(X as number[][], [1, -1])).rejects.toThrow(re);
      expect(() => perceptron(X as number[][], [1, -1])).toThrow(re);
      await expect(fitSvm(X as number[][], [1, -1], { C: 1 })).rejects.toThrow(re);
    });
  }

  it('a flat array gets a hint how to write points; bad rows and x.data are named', async () => {
    await expect(separable([1, 2, 3] as any, [1, -1, 1])).rejects.toThrow(/got a flat array of 3 values; for 3 points with one feature each write \[\[1\], \[2\], \.\.\.\]/);
    expect(() => perceptron([[1], 'ab'] as any, [1, -1])).toThrow(/x row 1 is the string "ab", not an array of numbers/);
    await expect(fitSvm({ data: [1, '2'], rows: 2, cols: 1 } as any, [1, -1], { C: 1 })).rejects.toThrow(/x\.data\[1\] \(x\[1, 0\]\) is the string "2"/);
    expect(() => perceptron({ data: BigInt64Array.from([1n, 2n]), rows: 2, cols: 1 } as any, [1, -1])).toThrow(/x\.data must be an array of numbers or a numeric typed array/);
  });
});

describe('options: null is {}, onRound must be a function', () => {
  const X = [[0], [1]], y = [1, -1];
  it('null options give the defaults: w = -2, b = 1 from all three', async () => {
    const s = (await fitSvm(X, y, null as any)) as BinarySvm;
    expect([s.w[0], s.b, s.margin]).toEqual([-2, 1, 1]);
    const r = await separable(X, y, null as any);
    expect(r.separable).toBe(true);
    const p = perceptron(X, y, null as any);
    expect([p.converged, p.w[0], p.b]).toEqual([true, -2, 1]);
  });

  it('separable refuses onRound: 5 and a misspelt option by name', async () => {
    await expect(separable(X, y, { onRound: 5 } as any)).rejects.toThrow(/options\.onRound must be a function \(round, workingSetSize\) => void, got the number 5/);
    await expect(separable(X, y, { timelimit: 5 } as any)).rejects.toThrow(/unknown option "timelimit"; did you mean "timeLimit"/);
  });
});

describe('perceptron near float64\'s limit', () => {
  it('perceptron separates [[1e300], [-1e300]]: wᵀx overflows but its sign is certain (w = 1e300, b = 1)', () => {
    const r = perceptron([[1e300], [-1e300]], [1, -1]);
    expect(r.converged).toBe(true);
    expect([r.w[0], r.b, r.epochs, r.updates]).toEqual([1e300, 1, 2, 1]);
  });

  it('perceptron refuses an update that overflows w, naming the point and the magnitude', () => {
    expect(() => perceptron([[1e308, 1e308], [1e308, -1e308], [-1e308, 0]], [1, -1, -1]))
      .toThrow(/w overflowed float64 at the update on point 1 in sweep 1 \(the features reach \|x\| = 1e\+308\)/);
  });
});

describe('the svm and separable commands on these cases', () => {
  const cli = (...args: string[]) => execFileSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const dir = mkdtempSync(join(tmpdir(), 'neurone-svm-'));
  const tiny = join(dir, 'tiny.csv');
  writeFileSync(tiny, '1e-9,1\n-1e-9,0\n2e-9,1\n-3e-9,0\n');

  it('neurone svm tiny.csv --json fits the hard margin (w = 1e9, C "Infinity") instead of refusing the data', () => {
    const out = JSON.parse(cli('svm', tiny, '--json'));
    expect(out.C).toBe('Infinity');
    // f32 CSV values: the closest points are ±1e-9 in float32
    expect(out.w[0] / 1e9).toBeCloseTo(1, 6);
    expect(out.trainError).toBe(0);
  });

  it('neurone svm --data xor4 --C 1 prints margin "Infinity" with the note in JSON, and says so in text', () => {
    const out = JSON.parse(cli('svm', '--data', 'xor4', '--C', '1', '--json'));
    expect(out.margin).toBe('Infinity');
    expect(out.w).toEqual([0, 0]);
    expect(out.notes.some((n: string) => /^w = 0: /.test(n))).toBe(true);
    const text = cli('svm', '--data', 'xor4', '--C', '1');
    expect(text).toMatch(/margin 2\/‖w‖ = Infinity\n {2}\(w = 0: no w lowers the hinge penalty/);
  });
});
