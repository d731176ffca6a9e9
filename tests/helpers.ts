// Shared by the tests: the backends under test, seeded data, f64 reference
// math, and the reference fixtures (read from ../shared/fixtures beside the
// checkout; tests that need a fixture are skipped with a note when it is absent).
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { init, Rng, type Matrix } from '../src/index.js';

export const FIXTURES = new URL('../../shared/fixtures/', import.meta.url);

export function fixture<T = any>(name: string): T | null {
  const u = new URL(name, FIXTURES);
  return existsSync(u) ? JSON.parse(readFileSync(u, 'utf8')) : null;
}

let ready: Promise<unknown> | null = null;
/** Loads the wasm core once per test file. */
export function setup(): Promise<unknown> { return (ready ??= init()); }

/** A (rows, cols) matrix of uniform values in [lo, hi). */
export function randomMatrix(rows: number, cols: number, seed: number, lo = -1, hi = 1): Matrix {
  const r = new Rng(seed), data = new Float32Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = r.range(lo, hi);
  return { data, rows, cols };
}

/** max |a - b| / max(1, |b|) over the elements. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  return m;
}

/** The f32 tolerance of the issues: relative 1e-5, or absolute 1e-6 near zero. */
export const F32_REL = 1e-5, F32_ABS = 1e-6;
export const f32Close = (a: number, e: number) => Math.abs(a - e) <= Math.max(F32_REL * Math.abs(e), F32_ABS);

/** Every element within the f32 tolerance; the failure lists the ones that are not, named by `label(k)`. */
export function expectF32Close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string,
                               label: (k: number) => string = (k) => `[${k}]`): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let k = 0; k < expected.length; k++) {
    if (!f32Close(actual[k], expected[k])) bad.push(`${label(k)} ${actual[k]}, expected ${expected[k]}`);
  }
  expect(bad, what).toEqual([]);
}
