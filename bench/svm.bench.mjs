// Soft-margin linear SVM, one MNIST digit against the rest: our solver (wasm core,
// f64, assembly/svm.ts) on all 60,000 training images, and against libsvm-js
// (libsvm 3.22 compiled to wasm, linear kernel) on the first 5,000, in one run.
// Both stop at the same KKT gap (libsvm's default eps = 1e-3); test error on all
// 10,000 test images. Validates first: wasm and the JS twin agree on a small set.
import { createRequire } from 'node:module';
import { init, fitSvm, loadMnist } from '../dist/index.js';
import { table, fmt } from './lib.mjs';

export const title = 'Linear SVM: one digit vs the rest on MNIST (ours vs libsvm-js)';

const DIGIT = 0, C = 1, TOL = 1e-3, SUBSET = 5000;

function testError(pred, yTest) {
  let e = 0;
  for (let t = 0; t < yTest.length; t++) e += pred[t] !== yTest[t] ? 1 : 0;
  return e / yTest.length;
}

export async function run({ log }) {
  await init();
  const ds = await loadMnist();
  const pm1 = (y) => Float64Array.from(y, (v) => (v === DIGIT ? 1 : -1));
  const yAll = pm1(ds.train.y), yTest = pm1(ds.test.y);
  const D = ds.train.x.cols;
  const head = (n) => ({ data: ds.train.x.data.subarray(0, n * D), rows: n, cols: D });

  // validate: both backends, 500 images, identical w
  const a = await fitSvm(head(500), yAll.subarray(0, 500), { C, tol: TOL });
  const b = await fitSvm(head(500), yAll.subarray(0, 500), { C, tol: TOL, backend: 'js' });
  let diff = 0;
  for (let j = 0; j < D; j++) diff = Math.max(diff, Math.abs(a.w[j] - b.w[j]));
  if (diff !== 0 || a.b !== b.b) throw new Error(`svm bench: wasm and js backends differ (max |Δw| = ${diff})`);
  log(`validated: wasm and js give the same w and b on 500 images`);

  const rows = [];
  const ours = async (n) => {
    const t0 = performance.now();
    const m = await fitSvm(head(n), yAll.subarray(0, n), { C, tol: TOL });
    const s = (performance.now() - t0) / 1000;
    const err = testError(m.predict(ds.test.x), yTest);
    log(`ours n=${n}: ${s.toFixed(2)} s, test error ${(100 * err).toFixed(2)}%, ${m.supportIndices.length} SVs, ` +
      `${m.iterations} iterations, ${m.rounds} rounds, primal ${m.primalObjective.toFixed(4)}, dual ${m.dualObjective.toFixed(4)}`);
    rows.push([`neurone fitSvm (wasm, f64)`, fmt(n), fmt(s), (100 * err).toFixed(2), fmt(m.supportIndices.length), fmt(m.primalObjective, 7)]);
    return s;
  };

  const oursSubset = await ours(SUBSET);

  // libsvm-js on the subset: same C, same eps, linear kernel
  const require = createRequire(import.meta.url);
  const SVM = await require('libsvm-js');
  const X = [], Y = [];
  for (let t = 0; t < SUBSET; t++) { X.push(Array.from(ds.train.x.data.subarray(t * D, (t + 1) * D))); Y.push(yAll[t]); }
  const svm = new SVM({ kernel: SVM.KERNEL_TYPES.LINEAR, type: SVM.SVM_TYPES.C_SVC, cost: C, tolerance: TOL, quiet: true });
  const t0 = performance.now();
  svm.train(X, Y);
  const libSec = (performance.now() - t0) / 1000;
  const XT = [];
  for (let t = 0; t < ds.test.x.rows; t++) XT.push(Array.from(ds.test.x.data.subarray(t * D, (t + 1) * D)));
  const libErr = testError(svm.predict(XT), yTest);
  const libSv = svm.getSVIndices ? svm.getSVIndices().length : NaN;
  log(`libsvm-js n=${SUBSET}: ${libSec.toFixed(2)} s, test error ${(100 * libErr).toFixed(2)}%, ${libSv} SVs`);
  rows.push(['libsvm-js 0.2 (wasm, linear kernel)', fmt(SUBSET), fmt(libSec), (100 * libErr).toFixed(2), fmt(libSv), '']);
  svm.free?.();

  await ours(ds.train.x.rows);

  return [
    `Digit ${DIGIT} (+1) against the other nine (−1); C = ${C}; both solvers stop at KKT gap ${TOL}; ` +
      `${D} features (pixels / 255); test error on the ${ds.test.x.rows} test images. One fit each (no repetition: ` +
      'a fit is seconds long).',
    '',
    table(['solver', 'training images', 'fit time (s)', 'test error (%)', 'support vectors', 'primal objective'], rows),
    '',
    `On the same ${fmt(SUBSET)} images, libsvm-js / ours fit time: ${fmt(libSec / oursSubset)}x.`,
  ].join('\n');
}
