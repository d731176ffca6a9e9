// The browser bundle (esbuild, platform browser, no Node built-ins) loads the
// same .wasm from bytes and trains: what a page or a Web Worker would do.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';

describe('dist/neurone.browser.js', () => {
  it('imports no Node built-in statically and trains xor4 from wasm bytes', async () => {
    const url = new URL('../dist/neurone.browser.js', import.meta.url);
    const src = readFileSync(url, 'utf8');
    expect(src).not.toMatch(/^import .* from ["']node:/m);
    const lib = await import(url.href);
    const bytes = readFileSync(new URL('../build/neurone.wasm', import.meta.url));
    const k = await lib.init({ wasm: new Uint8Array(bytes) });
    expect(k.name).toBe('wasm');
    const { train } = lib.xor4();
    const net = new lib.Mlp({ sizes: [2, 8, 1], seed: 1 });
    net.fit(train.x, train.y, { loss: 'hinge', lr: 0.1, epochs: 200, batchSize: 4 });
    expect(net.evaluate(train.x, train.y, { loss: 'hinge' }).error).toBe(0);
  });
});
