// The browser bundle in a real browser: headless Chromium (Debian's chromium
// package, driven by playwright-core) loads dist/neurone.browser.js from a
// local server, init() fetches the .wasm from its default URL beside the
// bundle, and a page and a module Web Worker each train a net. Skipped, with
// the reason, where /usr/bin/chromium is not installed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('..', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

// What the page runs: the same calls a user's page or worker makes.
const TRAIN = `
  const lib = await import('/dist/neurone.browser.js');
  const k = await lib.init();
  const { train } = lib.moons({ n: 200, seed: 1 });
  const net = new lib.Mlp({ sizes: [2, 16, 2], activation: 'tanh', seed: 1 });
  net.fit(train.x, train.y, { lr: 0.3, epochs: 100, batchSize: 32 });
  const gelu = Array.from(lib.F.activation('gelu', [1]));
  return { kernels: k.name, error: net.evaluate(train.x, train.y).error, params: Array.from(net.getParameters().slice(0, 4)), gelu };
`;
const PAGE = `<!doctype html><script type="module">
  window.result = (async () => { ${TRAIN} })().catch((e) => ({ failed: String(e) + " " + e.stack }));
  window.workerResult = new Promise((resolve) => {
    const w = new Worker('/worker.js', { type: 'module' });
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve({ failed: e.message });
  });
</script>`;
const WORKER = `(async () => { ${TRAIN} })().then((r) => postMessage(r), (e) => postMessage({ failed: String(e) }));`;

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') { res.setHeader('content-type', 'text/html'); res.end(PAGE); return; }
    if (url.pathname === '/worker.js') { res.setHeader('content-type', 'text/javascript'); res.end(WORKER); return; }
    const file = path.join(ROOT, path.normalize(url.pathname));
    if (!file.startsWith(ROOT) || !existsSync(file)) { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`the bundle in headless Chromium (${CHROMIUM})`, () => {
  let server: Server, browser: Browser, base: string;
  beforeAll(async () => {
    server = await serve();
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('a page and a module worker load the .wasm from its default URL and train the moons', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/');
    const result = await page.evaluate(() => (window as any).result);
    const worker = await page.evaluate(() => (window as any).workerResult);
    expect(errors).toEqual([]);
    for (const r of [result, worker]) {
      expect(r.failed).toBeUndefined();
      expect(['wasm', 'wasm-relaxed']).toContain(r.kernels);
      expect(r.error).toBeLessThan(0.05);
      expect(r.gelu[0]).toBeCloseTo(0.8413447, 6);
    }
    // one seed, one result: the page and the worker train to the same weights
    expect(worker.params).toEqual(result.params);
    await page.close();
  });
});

if (!hasChromium) {
  describe('the bundle in a browser', () => {
    it.skip(`needs ${CHROMIUM} (apt-get install chromium)`, () => {});
  });
}
