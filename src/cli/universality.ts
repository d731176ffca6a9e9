// neurone universality: the lecture's argument, runnable. Builds the memoriser
// f(x) = sum_n y_n relu(1 - ||x - x_n||_1) on n training points (0 training
// error by construction), then shows it says nothing off the training set,
// beside an MLP of about the same size trained by SGD on the same points.
import type { Command } from 'commander';
import { init } from '../backend/index.js';
import { Mlp } from '../mlp.js';
import { Memorizer } from '../constructive/index.js';
import { dataOptions, dataFrom, asPm1, int, float } from './common.js';

// The trained net's hidden width: as many parameters as the numbers the
// memoriser really holds (its N·D coordinates and N labels), capped at 1024.
// The dense memoriser's own parameter count (~2·N·D², zeros included) is far
// beyond anything trainable here.
export function comparableHidden(N: number, D: number, C: number): number {
  const budget = N * D + N;
  return Math.max(8, Math.min(1024, Math.round((budget - C) / (D + 1 + C))));
}

export function registerUniversality(program: Command): void {
  const cmd = program.command('universality')
    .description('build the lecture\'s memoriser (2·N·D + N + 1 neurons, 0 training error) and compare its test error with a trained MLP');
  dataOptions(cmd)
    .option('--epochs <n>', 'epochs of the trained MLP (default: 20, more for tiny sets)', int('--epochs', 0))
    .option('--lr <rate>', 'learning rate of the trained MLP (sgd, momentum 0.9)', float('--lr', 0), 0.05)
    .option('--seed <seed>', 'seed of the trained MLP', int('--seed', 0), 0)
    .option('--backend <name>', 'wasm or js', 'wasm')
    .option('--json', 'print one JSON object { memorizer, trained } instead of text')
    .action(async (o) => {
      if (o.backend !== 'js') await init();
      const ds = await dataFrom(o);
      const { x, y } = ds.train;
      const N = x.rows, D = x.cols;

      // two classes: the lecture's ±1 labels and one output; more: one output per class
      const binary = ds.classes === 2;
      const yTrain = binary ? asPm1(ds, y).y : y;
      const yTest = ds.test ? (binary ? asPm1(ds, ds.test.y).y : ds.test.y) : undefined;

      // 1. the memoriser
      let t0 = performance.now();
      const mem = new Memorizer(x, yTrain, { classes: binary ? undefined : ds.classes, backend: o.backend });
      const buildSeconds = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const mTrain = mem.errorRate(x, yTrain);
      const mTest = ds.test && yTest ? mem.errorRate(ds.test.x, yTest) : undefined;
      const evalSeconds = (performance.now() - t0) / 1000;
      const counts = mem.counts;
      const memorizer = {
        neurons: counts.neurons.total, neuronsByLayer: counts.neurons, parameters: counts.parameters,
        storedFloats: counts.storedFloats, scale: mem.scale, minDistance: mem.minDistance,
        shifted: mem.offset.some((c) => c !== 0), // inputs shifted by their per-feature midrange before scaling
        trainError: mTrain.error, testError: mTest?.error ?? null,
        trainAbstained: mTrain.abstained, testAbstained: mTest?.abstained ?? null,
        buildSeconds, evalSeconds,
      };

      // 2. a trained MLP with a comparable budget, on the same training points
      const C = binary ? 1 : ds.classes, H = comparableHidden(N, D, C);
      const net = new Mlp({ sizes: [D, H, C], activation: 'relu', seed: o.seed, backend: o.backend });
      const batchSize = Math.min(32, N), steps = Math.ceil(N / batchSize);
      const epochs = o.epochs ?? Math.min(500, Math.max(20, Math.ceil(500 / steps)));
      const loss = binary ? 'hinge' : 'cross_entropy';
      t0 = performance.now();
      net.fit(x, yTrain, { loss, optimizer: { name: 'sgd', momentum: 0.9 }, lr: o.lr, epochs, batchSize, seed: o.seed });
      const trainSeconds = (performance.now() - t0) / 1000;
      const tTrain = net.evaluate(x, yTrain, { loss });
      const tTest = ds.test && yTest ? net.evaluate(ds.test.x, yTest, { loss }) : undefined;
      const trained = {
        neurons: net.neurons, parameters: net.nParams, sizes: net.sizes, epochs,
        trainError: tTrain.error, testError: tTest?.error ?? null, trainSeconds,
      };

      const note = 'abstentions (all outputs exactly 0: no training point within L1 distance 1 after scaling) count as errors';
      if (o.json) {
        process.stdout.write(JSON.stringify({ data: ds.name, train: N, test: ds.test?.x.rows ?? 0, memorizer, trained, note }) + '\n');
        return;
      }
      const pct = (v: number | null) => (v === null ? 'n/a (no test set)' : `${(100 * v).toFixed(2)}%`);
      const big = (v: number) => v.toLocaleString('en-US');
      process.stdout.write(
        `${ds.name}: ${N} training points of dimension ${D}, ${ds.test?.x.rows ?? 0} test points\n` +
        `memoriser: ${big(memorizer.neurons)} neurons (2·N·D = ${big(counts.neurons.layer1)}, N = ${big(counts.neurons.layer2)}, ` +
        `outputs ${counts.neurons.output}); dense: ${big(memorizer.parameters)} parameters, ` +
        `structured: ${big(memorizer.storedFloats)} floats; scale ${+mem.scale.toPrecision(6)} ` +
        `(min L1 distance between training points ${+mem.minDistance.toPrecision(6)})` +
        (memorizer.shifted ? ', inputs first shifted by their per-feature midrange (far from 0, where f32 rounding of s·x would matter)' : '') + '\n' +
        `  train error ${pct(memorizer.trainError)}   test error ${pct(memorizer.testError)}` +
        (mTest ? ` (abstained on ${pct(mTest.abstained)} of the test points)` : '') +
        `   [built in ${buildSeconds.toFixed(2)} s, evaluated in ${evalSeconds.toFixed(2)} s]\n` +
        `trained MLP ${net.sizes.join('-')}: ${big(net.neurons)} neurons, ${big(net.nParams)} parameters, ${epochs} epochs of SGD\n` +
        `  train error ${pct(trained.trainError)}   test error ${pct(trained.testError)}   [${trainSeconds.toFixed(1)} s]\n` +
        `(${note}; memorising is not learning)\n`);
    });
}
