// The command line, run as a user would (node dist/cli/main.js).
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => JSON.parse(execFileSync('node', [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));

describe('neurone train', () => {
  it('learns xor4 to zero training error and prints one JSON object', () => {
    const r = run('train', '--data', 'xor4', '--hidden', '8', '--epochs', '200', '--batch-size', '4', '--lr', '0.1', '--seed', '1', '--json');
    expect(r.trainError).toBe(0);
    expect(r.trainLoss).toBeGreaterThanOrEqual(0);
    expect(r.testError).toBeUndefined(); // xor4 has no test set
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('trains a toy set on the js backend, with train and test fields', () => {
    const r = run('train', '--data', 'moons', '--n', '200', '--hidden', '16,16', '--activation', 'tanh', '--epochs', '200', '--lr', '0.3', '--backend', 'js', '--json');
    expect(r.backend).toBe('js');
    expect(r.trainError).toBeLessThan(0.05);
    expect(r.testError).toBeLessThan(0.1);
    expect(r.testLoss).toBeGreaterThan(0);
  });

  it('reads a CSV file and maps 0/1 labels to ±1 for the hinge loss, saying so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'neurone-'));
    const file = path.join(dir, 'and.csv');
    writeFileSync(file, 'a,b,y\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n');
    const r = run('train', '--data', file, '--hidden', '0', '--loss', 'hinge', '--epochs', '300', '--batch-size', '4', '--lr', '0.05', '--json');
    expect(r.trainError).toBe(0); // AND is linearly separable: one neuron suffices
    expect(r.notes.join()).toMatch(/0 -> -1, 1 -> \+1/);
  });

  it('fails with a one-line message and exit code 1 on bad input', () => {
    const bad = spawnSync('node', [CLI, 'train', '--data', 'xor4', '--activation', 'relux'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown activation "relux"; accepted:/);
    const badNum = spawnSync('node', [CLI, 'train', '--epochs', 'two'], { encoding: 'utf8' });
    expect(badNum.status).not.toBe(0);
    expect(badNum.stderr).toMatch(/--epochs must be an integer >= 0, got "two"/);
  });
});
