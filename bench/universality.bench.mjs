// The memoriser at MNIST scale: n = 10,000 training images (2·n·784 = 15.7M
// first-layer neurons, ~49 GB if dense), built and evaluated in structured
// form on the 10,000 test images. Validate first: wasm against the JS twin.
import { init, loadMnist, Memorizer } from '../dist/index.js';
import { table, fmt } from './lib.mjs';

export const title = 'Universality: the memoriser of 10,000 MNIST images';

const mb = (bytes) => `${fmt(bytes / 2 ** 20, 4)} MB`;

export async function run({ log }) {
  const kernels = await init();
  const { train, test } = await loadMnist({ trainSize: 10000 });
  const N = train.x.rows, D = train.x.cols;

  // 1. validate: the wasm kernel against the JS twin on a slice, bit for bit
  const small = { data: train.x.data.subarray(0, 300 * D), rows: 300, cols: D };
  const sy = train.y.subarray(0, 300);
  const a = new Memorizer(small, sy, { classes: 10 }), b = new Memorizer(small, sy, { classes: 10, backend: 'js' });
  const probe = { data: new Float32Array(test.x.data.subarray(0, 40 * D)), rows: 40, cols: D };
  for (let k = 0; k < 20 * D; k++) probe.data[k] = small.data[k]; // half of them on training points
  const pa = a.predict(probe).data, pb = b.predict(probe).data;
  if (pa.some((v, k) => v !== pb[k]) || a.scale !== b.scale) throw new Error('universality bench: wasm and js memorisers differ');
  a.dispose(); b.dispose();
  log('validated: wasm and js agree bit for bit on 300 points x 40 queries');

  // 2. build (the exact minimum pairwise L1 distance, twice: raw and scaled) and evaluate
  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  const mem = new Memorizer(train.x, train.y, { classes: 10 });
  const buildS = (performance.now() - t0) / 1000;
  log(`built in ${buildS.toFixed(2)} s (min distance ${mem.minDistance}, scale ${mem.scale})`);
  const trainErr = mem.errorRate({ data: train.x.data.subarray(0, 1000 * D), rows: 1000, cols: D }, train.y.subarray(0, 1000));
  t0 = performance.now();
  const r = mem.errorRate(test.x, test.y);
  const evalS = (performance.now() - t0) / 1000;
  log(`evaluated in ${evalS.toFixed(1)} s`);
  const rss = process.memoryUsage().rss, wasmBytes = kernels.f32().buffer.byteLength;
  const c = mem.counts;
  const dense = c.parameters * 4;

  return [
    `n = ${N} training images (first of the MNIST training file), ${test.x.rows} test images, D = ${D}, 10 outputs (one-hot, argmax).`,
    `Scale ${fmt(mem.scale, 6)} = (1 + ε)/d_min, d_min = ${fmt(mem.minDistance, 8)} (exact, f64).`,
    '',
    table(['quantity', 'value'], [
      ['neurons 2·N·D + N + C', c.neurons.total.toLocaleString('en-US')],
      ['layer 1 weights alone, dense (never formed)', `${(c.neurons.layer1 * D).toLocaleString('en-US')} (${fmt(c.neurons.layer1 * D * 4 / 1e9, 3)} GB of f32)`],
      ['all dense parameters (never formed)', `${c.parameters.toLocaleString('en-US')} (${fmt(dense / 1e9, 3)} GB of f32)`],
      ['structured form: floats stored', `${c.storedFloats.toLocaleString('en-US')} (${mb(c.storedFloats * 4)})`],
      ['build: min pairwise L1 distance + scaling (s)', fmt(buildS, 3)],
      ['evaluate 10,000 test images (s)', fmt(evalS, 3)],
      ['evaluate: pairs per second', fmt((N * test.x.rows) / evalS, 3)],
      ['train error (first 1,000 training images)', `${(100 * trainErr.error).toFixed(2)}%`],
      ['test error (abstentions count as errors)', `${(100 * r.error).toFixed(2)}%`],
      ['test images abstained on', `${(100 * r.abstained).toFixed(2)}%`],
      ['process RSS after evaluating', mb(rss)],
      ['RSS growth during build + evaluate', mb(rss - rss0)],
      ['wasm linear memory', mb(wasmBytes)],
    ]),
    '',
    'Single run each (not repeated: the evaluation alone takes tens of seconds). The kernel stops a',
    'distance once its partial sum reaches 1, which is exact since relu(1 - d) = 0 for d >= 1.',
  ].join('\n');
}
