// neurone train: build an MLP, train it on a dataset, report train and test
// error, loss and speed (or one JSON object with --json).
import { Option, type Command } from 'commander';
import { init } from '../backend/index.js';
import { Mlp } from '../mlp.js';
import { LOSSES, resolveLoss, resolveActivation, resolveOptimizer, type Spec } from '../ids.js';
import { resolveSchedule } from '../schedules.js';
import { dataOptions, dataFrom, asPm1, asClass, int, float, intList } from './common.js';
import { progress } from './progress.js';

/** Builds a spec from a name and optional JSON parameters ("gelu" or '{"name":"gelu","approximate":"tanh"}'). */
export function specArg(v: string, option = 'the option'): Spec {
  const s = v.trim();
  if (s.startsWith('{')) {
    try { return JSON.parse(s); } catch (e) { throw new Error(`${option}: not valid JSON (${(e as Error).message}): ${s}`); }
  }
  return s;
}

export function registerTrain(program: Command): void {
  const cmd = program.command('train').description('train an MLP and report train/test error, loss and samples per second');
  dataOptions(cmd)
    .addOption(new Option('--hidden <sizes>', 'hidden layer widths, e.g. 128 or 256,256 (0 for none: a single linear layer)')
      .argParser(intList('--hidden')).default([128], '128'))
    .option('--activation <name|json>', 'hidden activation (see neurone list)', 'relu')
    .option('--loss <name|json>', 'loss (default cross_entropy, or hinge for ±1 data)')
    .option('--optimizer <name|json>', 'optimizer (see neurone list)', 'sgd')
    .option('--lr <rate>', 'learning rate (default 0.1 for sgd, else the optimizer\'s)', float('--lr', 0))
    .option('--momentum <mu>', 'momentum (sgd, rmsprop)', float('--momentum', 0))
    .option('--weight-decay <wd>', 'weight decay', float('--weight-decay', 0))
    .option('--schedule <name|json>', 'learning-rate schedule (see neurone list)', 'constant')
    .option('--epochs <n>', 'epochs', int('--epochs', 0), 10)
    .option('--sampling <how>', "epoch (each row once per epoch, shuffled) or random (the lecture's SGD: rows drawn with replacement)", 'epoch')
    .option('--max-steps <n>', 'stop after this many steps', int('--max-steps'))
    .option('--target-loss <loss>', 'stop after the first epoch whose mean loss is at most this', float('--target-loss'))
    .option('--patience <epochs>', 'stop when the epoch loss has not improved for this many epochs', int('--patience'))
    .option('--line-search', "full-batch gradient descent with the lecture's backtracking line search instead of SGD")
    .option('--max-iter <n>', 'iterations of --line-search', int('--max-iter'), 100)
    .option('--tol <tol>', 'stop --line-search when the gradient norm is at most this', float('--tol', 0), 1e-6)
    .option('--batch-size <n>', 'mini-batch size', int('--batch-size'), 32)
    .option('--seed <seed>', 'seed of the weights and shuffles', int('--seed', 0), 0)
    .option('--backend <name>', 'wasm or js', 'wasm')
    .option('--json', 'print one JSON object instead of text')
    .action(async (o, cmd: Command) => {
      const log = progress(false);
      // options that the chosen method would ignore are refused, not dropped
      const given = (k: string) => cmd.getOptionValueSource(k) === 'cli';
      const sgdOnly = ['optimizer', 'schedule', 'epochs', 'batchSize', 'sampling', 'maxSteps', 'targetLoss', 'patience', 'lr', 'momentum', 'weightDecay'];
      const flag = (k: string) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      if (o.lineSearch) {
        const bad = sgdOnly.filter(given);
        if (bad.length) throw new Error(`--line-search takes its own steps (lambda = 1, halved): ${bad.map(flag).join(', ')} ${bad.length > 1 ? 'do' : 'does'} not apply to it`);
      } else {
        const bad = ['maxIter', 'tol'].filter(given);
        if (bad.length) throw new Error(`${bad.map(flag).join(' and ')} ${bad.length > 1 ? 'apply' : 'applies'} to --line-search only`);
      }
      if (o.optimizer.trim().startsWith('{')) {
        for (const k of ['momentum', 'weightDecay']) {
          if (given(k) && k in (specArg(o.optimizer, '--optimizer') as object)) throw new Error(`${flag(k)} is given twice: as ${flag(k)} and inside --optimizer`);
        }
      }
      // the names and parameters are checked before any data is read, under the options' names
      const actSpec = specArg(o.activation, '--activation'), optSpec = specArg(o.optimizer, '--optimizer');
      const schedSpec = specArg(o.schedule, '--schedule');
      resolveActivation(actSpec, '--activation');
      if (o.sampling !== 'epoch' && o.sampling !== 'random') throw new Error(`--sampling must be epoch or random, got "${o.sampling}"`);
      const extra: Record<string, unknown> = {};
      if (o.momentum !== undefined) extra.momentum = o.momentum;
      if (o.weightDecay !== undefined) extra.weightDecay = o.weightDecay;
      const optimizer: { name: string } & Record<string, unknown> = typeof optSpec === 'string' ? { name: optSpec, ...extra } : { ...extra, ...optSpec };
      // PyTorch's SGD has no default rate; the library's 1e-3 is too timid for a command line
      if (o.lr === undefined && optimizer.name === 'sgd' && optimizer.lr === undefined) o.lr = 0.1;
      const opt = resolveOptimizer(o.lr === undefined ? optimizer : { ...optimizer, lr: o.lr }, '--optimizer');
      resolveSchedule(schedSpec, opt.params.lr, '--schedule', { steps: 1, epochs: 1 });
      if (o.loss) resolveLoss(specArg(o.loss, '--loss'), '--loss');
      const ds = await dataFrom(o);
      const lossSpec = o.loss ? specArg(o.loss, '--loss') : ds.labels === 'pm1' ? 'hinge' : 'cross_entropy';
      const loss = resolveLoss(lossSpec, '--loss');
      const kind = LOSSES[loss.name].labels;
      const notes: string[] = [];
      const conv = (y: Int32Array) => {
        const r = kind === 'pm1' ? asPm1(ds, y) : kind === 'class' ? asClass(ds, y) : { y, note: undefined };
        if (r.note && !notes.includes(r.note)) notes.push(r.note);
        return r.y;
      };
      const yTrain = conv(ds.train.y), yTest = ds.test ? conv(ds.test.y) : undefined;
      const outputs = kind === 'pm1' ? 1 : kind === 'prob' ? 1 : ds.labels === 'pm1' && kind === 'real' ? 1 : ds.classes;
      const hidden: number[] = o.hidden.filter((h: number) => h > 0);
      if (o.backend !== 'js') await init();
      const net = new Mlp({ sizes: [ds.train.x.cols, ...hidden, outputs], activation: actSpec, seed: o.seed, backend: o.backend });
      for (const n of notes) log.log(n);
      if (!o.json) log.log(`${ds.name}: ${ds.train.x.rows} training rows${ds.test ? `, ${ds.test.x.rows} test rows` : ''}; ` +
        `net ${net.sizes.join('-')} (${net.activations[0]}), ${net.nParams} parameters, backend ${net.backend}`);
      let result: { samplesPerSecond: number; seconds: number };
      const extraOut: Record<string, unknown> = {};
      if (o.lineSearch) {
        // full batch: every iteration is one gradient and a few loss values
        const t0 = performance.now();
        log.start(o.maxIter, 'line search');
        const r = net.fitLineSearch(ds.train.x, yTrain, {
          loss: lossSpec, maxIter: o.maxIter, tol: o.tol,
          onIteration: (st) => {
            log.update(st.k + 1, `F ${st.f.toPrecision(5)}, lambda 2^-${st.halvings}, |grad| ${st.gradNorm.toPrecision(3)}`);
            const every = Math.ceil(o.maxIter / 20);
            if (!process.stderr.isTTY && !o.json && (st.k + 1) % every === 0) {
              log.log(`iteration ${st.k + 1}/${o.maxIter}: F ${st.f.toPrecision(6)}, lambda ${st.lambda}, |grad F| ${st.gradNorm.toPrecision(4)}`);
            }
          },
        });
        log.stop(o.json ? undefined : `line search: ${r.iterations} iterations, stopped on ${r.stopReason}, F ${r.f.toPrecision(6)}, |grad F| ${r.gradNorm.toPrecision(4)}`);
        const seconds = (performance.now() - t0) / 1000;
        result = { seconds, samplesPerSecond: (r.iterations * ds.train.x.rows) / seconds };
        extraOut.lineSearch = { iterations: r.iterations, stopReason: r.stopReason, finalLoss: r.f, gradNorm: r.gradNorm };
      } else {
        const steps = Math.ceil(ds.train.x.rows / Math.min(o.batchSize, ds.train.x.rows));
        if (o.epochs > 0) log.start(steps, `epoch 1/${o.epochs}`);
        const fr = net.fit(ds.train.x, yTrain, {
          loss: lossSpec, optimizer, lr: o.lr, schedule: schedSpec, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed,
          sampling: o.sampling, maxSteps: o.maxSteps, targetLoss: o.targetLoss,
          plateau: o.patience ? { patience: o.patience } : undefined,
          onStep: (s, l) => { if (s % 20 === 0) log.update(((s - 1) % steps) + 1, `loss ${l.toFixed(4)}`); },
          onEpoch: (e) => {
            // at most ~20 epoch lines, always the last one
            const every = Math.ceil(e.epochs / 20);
            log.stop(e.epoch % every !== 0 && e.epoch !== e.epochs ? undefined : `epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, lr ${+e.lr.toPrecision(4)}, ` +
              `${Math.round(e.samplesPerSecond)} samples/s`);
            if (e.epoch < e.epochs) log.start(steps, `epoch ${e.epoch + 1}/${e.epochs}`);
          },
        });
        result = fr;
        if (fr.stopReason !== 'epochs') {
          log.stop(`stopped on ${fr.stopReason} after ${fr.history.length} epochs (${fr.steps} steps)`);
          extraOut.stopReason = fr.stopReason;
        }
        extraOut.steps = fr.steps;
        extraOut.epochsRun = fr.history.length;
      }
      log.stop();
      const tr = net.evaluate(ds.train.x, yTrain, { loss: lossSpec });
      const te = ds.test && yTest ? net.evaluate(ds.test.x, yTest, { loss: lossSpec }) : undefined;
      const out: Record<string, unknown> = {
        data: ds.name, sizes: net.sizes, parameters: net.nParams, backend: net.backend, loss: loss.name,
        ...(o.lineSearch ? {} : { epochs: o.epochs }), trainError: tr.error, trainLoss: tr.loss,
        ...(te ? { testError: te.error, testLoss: te.loss } : {}),
        samplesPerSecond: result.samplesPerSecond, seconds: result.seconds, ...extraOut,
        ...(notes.length ? { notes } : {}),
      };
      if (o.json) { process.stdout.write(JSON.stringify(out) + '\n'); return; }
      const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
      process.stdout.write(
        `train error ${pct(tr.error)}  train loss ${tr.loss.toFixed(4)}\n` +
        (te ? `test error  ${pct(te.error)}  test loss  ${te.loss.toFixed(4)}\n` : '') +
        `${Math.round(result.samplesPerSecond)} samples/s, ${result.seconds.toFixed(1)} s of training\n`);
    });
}
