// Every loss against losses.json (torch 1.13 in float64): value, gradient with
// respect to the scores for both reductions, per-sample losses, torch's
// gradient convention at kinks, and the default reductions, on both backends.
import { describe, it, expect, beforeAll } from 'vitest';
import { F, type Matrix } from '../src/index.js';
import { setup, fixture, expectF32Close, f32Close } from './helpers.js';

beforeAll(setup);

const fx = fixture('losses.json');
const BACKENDS = ['wasm', 'js'] as const;

const ok = f32Close;


// the fixture's names as the library's specs
const SPEC: Record<string, { name: string } & Record<string, unknown>> = {
  softmax_cross_entropy: { name: 'cross_entropy' },
  multi_margin_torch_p1: { name: 'multi_margin', p: 1 }, // torch's MultiMarginLoss: already / C
  multi_margin_torch_p2: { name: 'multi_margin', p: 2 },
};
const specOf = (loss: string) => SPEC[loss] ?? { name: loss };
const DEFAULT_SUM = ['hinge', 'squared_hinge', 'logistic'];

interface Case {
  loss: string; batch: number; scores: number[] | number[][]; labels?: number[]; targets?: number[];
  per_sample: number[]; sum: number; mean: number; grad_sum: number[] | number[][]; grad_mean: number[] | number[][];
  kink_indices?: number[];
}

const scoresOf = (c: Case): number[] | Matrix => (Array.isArray(c.scores[0])
  ? { data: Float32Array.from((c.scores as number[][]).flat()), rows: c.scores.length, cols: (c.scores[0] as number[]).length }
  : (c.scores as number[]));

describe.skipIf(!fx).each(BACKENDS)('losses against losses.json (%s backend)', (backend) => {
  const cases: Case[] = fx?.cases ?? [];

  it.each(cases.map((c) => [`${c.loss} on batch ${c.batch}`, c] as const))(
    '%s: value, gradient and per-sample losses match torch for sum and mean', (_, c) => {
      const labels = c.labels ?? c.targets!;
      for (const reduction of ['sum', 'mean'] as const) {
        const r = F.loss({ ...specOf(c.loss), reduction }, scoresOf(c), labels, { backend });
        const what = `${c.loss} batch ${c.batch} (${reduction})`;
        expect(ok(r.value, c[reduction]), `${what}: value ${r.value}, expected ${c[reduction]}`).toBe(true);
        expectF32Close(r.grad, (reduction === 'sum' ? c.grad_sum : c.grad_mean).flat(), `${what}: gradient`);
        expectF32Close(r.perSample, c.per_sample, `${what}: per-sample`);
      }
    });

  it.each(cases.map((c) => [`${c.loss} on batch ${c.batch}`, c] as const))(
    '%s: the default reduction is sum for the lecture\'s binary losses and mean for the rest', (_, c) => {
      const r = F.loss(specOf(c.loss), scoresOf(c), c.labels ?? c.targets!, { backend });
      const expected = DEFAULT_SUM.includes(c.loss) ? c.sum : c.mean;
      expect(ok(r.value, expected), `${r.value}, expected ${expected}`).toBe(true);
    });

  it.skipIf(!cases.some((c) => c.kink_indices?.length))('have gradient 0 at hinge kinks (y f == 1), torch\'s convention', () => {
    for (const c of cases.filter((k) => k.kink_indices?.length)) {
      for (const reduction of ['sum', 'mean'] as const) {
        const r = F.loss({ name: c.loss, reduction }, c.scores as number[], c.labels!, { backend });
        for (const i of c.kink_indices!) {
          expect((c.labels![i] * (c.scores as number[])[i])).toBe(1); // the fixture's kink
          expect(r.grad[i], `${c.loss} ${reduction} sample ${i}`).toBe(0);
          expect(r.perSample[i]).toBe(0);
        }
      }
    }
  });

  it('report the 0-1 error of the fixture batches: y f <= 0 for ±1 labels, argmax != label for classes', () => {
    for (const c of cases) {
      let wrong = 0, n = 0;
      if (DEFAULT_SUM.includes(c.loss)) {
        (c.scores as number[]).forEach((f, i) => { n++; if (c.labels![i] * f <= 0) wrong++; });
      } else if (Array.isArray(c.scores[0])) {
        (c.scores as number[][]).forEach((row, i) => { n++; if (row.indexOf(Math.max(...row)) !== c.labels![i]) wrong++; });
      } else continue; // mse, bce: real targets
      const r = F.loss(specOf(c.loss), scoresOf(c), c.labels!, { backend });
      expect(r.error, `${c.loss} batch ${c.batch}`).toBe(wrong / n);
    }
  });
});
