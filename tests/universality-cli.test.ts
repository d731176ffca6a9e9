// neurone universality --json: the memoriser's counts and errors beside the
// trained MLP's (runs the built CLI in dist/, which `npm test` builds first).
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';

const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => JSON.parse(execFileSync('node', [cli, 'universality', ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));

describe('neurone universality', () => {
  it('on xor4 reports 2·N·D + N + 1 = 21 neurons and 0 training error for the memoriser', () => {
    const r = run('--data', 'xor4');
    expect(r.memorizer.neurons).toBe(21);
    expect(r.memorizer.parameters).toBe(16 * 2 + 16 + 4 * 16 + 4 + 4 + 1);
    expect(r.memorizer.trainError).toBe(0);
    expect(r.memorizer.testError).toBeNull();
    expect(r.trained.trainError).toBe(0);
  });

  it('on moons the memoriser abstains off the training set while the trained MLP generalises', () => {
    const r = run('--data', 'moons', '--n', '100', '--n-test', '100');
    expect(r.memorizer.neurons).toBe(2 * 100 * 2 + 100 + 1);
    expect(r.memorizer.trainError).toBe(0);
    expect(r.memorizer.testError).toBe(r.memorizer.testAbstained);
    expect(r.memorizer.testError).toBeGreaterThan(0.5);
    expect(r.trained.testError).toBeLessThan(0.2);
    for (const k of ['neurons', 'parameters', 'trainError', 'testError']) expect(typeof r.trained[k]).toBe('number');
  });
});
