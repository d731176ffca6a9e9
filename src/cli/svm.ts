// neurone svm: fit a linear SVM (hard margin without --C, soft with --C), report
// w, b, the margin, the support vectors, train and test error (or JSON with --json).
import type { Command } from 'commander';
import { init } from '../backend/index.js';
import { fitSvm } from '../svm.js';
import { dataOptions, dataFrom, float } from './common.js';

export function registerSvm(program: Command): void {
  const cmd = program.command('svm [file.csv]')
    .description('fit a linear SVM (the lecture\'s hard margin, or the soft margin with --C); one-vs-rest beyond two classes');
  dataOptions(cmd, 'xor4')
    .option('--C <C>', 'hinge penalty (soft margin); omit for the hard margin', float('--C', 0))
    .option('--tol <tol>', 'stopping tolerance on the KKT gap (libsvm uses 1e-3)', float('--tol', 0), 1e-6)
    .option('--backend <name>', 'wasm or js', 'wasm')
    .option('--json', 'print one JSON object instead of text')
    .action(async (file: string | undefined, o) => {
      const ds = await dataFrom(o, file);
      if (o.backend !== 'js') await init();
      const t0 = performance.now();
      const m = await fitSvm(ds.train.x, ds.train.y, { C: o.C ?? Infinity, tol: o.tol, backend: o.backend });
      const seconds = (performance.now() - t0) / 1000;
      // the lecture's 0-1 error for two classes: wrong when y·f <= 0 (a point on
      // the hyperplane counts as wrong); one-vs-rest: the predicted class differs
      const error = (x: typeof ds.train.x, y: Int32Array) => {
        let e = 0;
        if (m.kind === 'binary') {
          const f = m.decisionFunction(x), lo = m.classes[0];
          for (let t = 0; t < y.length; t++) e += (y[t] === lo ? -1 : 1) * f[t] <= 0 ? 1 : 0;
        } else {
          const p = m.predict(x);
          for (let t = 0; t < y.length; t++) e += p[t] !== y[t] ? 1 : 0;
        }
        return e / y.length;
      };
      const trainError = error(ds.train.x, ds.train.y), testError = ds.test ? error(ds.test.x, ds.test.y) : undefined;
      const names = ds.labelNames; // loadMnist names digit subsets
      // JSON has no Infinity (JSON.stringify would write null): the hard margin's C and the margin
      // of w = 0 are written as the string "Infinity" (Number("Infinity") reads it back)
      const num = (v: number) => (Number.isFinite(v) ? v : String(v));
      const out: Record<string, unknown> = { data: ds.name, rows: ds.train.x.rows, features: ds.train.x.cols, C: num(m.C) };
      if (m.kind === 'binary') {
        const [neg, pos] = m.classes.map((c) => names?.[c] ?? String(c));
        const mapping = m.classes[0] === -1 && m.classes[1] === 1 ? undefined : `labels mapped: ${neg} -> -1, ${pos} -> +1`;
        const notes = [...(mapping ? [mapping] : []), ...(m.note ? [m.note] : [])];
        Object.assign(out, {
          w: Array.from(m.w), b: m.b, margin: num(m.margin), supportVectors: m.supportIndices.length,
          primalObjective: m.primalObjective, dualObjective: m.dualObjective, converged: m.converged, gap: m.gap,
          ...(notes.length ? { notes } : {}),
        });
      } else {
        const notes = m.machines.flatMap((s, k) => (s.note ? [`class ${names?.[m.classes[k]] ?? m.classes[k]}: ${s.note}`] : []));
        Object.assign(out, {
          oneVsRest: m.classes.map((c, k) => ({ class: names?.[c] ?? c, b: m.machines[k].b, margin: num(m.machines[k].margin),
            supportVectors: m.machines[k].supportIndices.length, converged: m.machines[k].converged })),
          ...(notes.length ? { notes } : {}),
        });
      }
      Object.assign(out, { trainError, ...(testError !== undefined ? { testError } : {}), seconds });
      if (o.json) { process.stdout.write(JSON.stringify(out) + '\n'); return; }
      const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
      const lines = [`${ds.name}: ${ds.train.x.rows} training points, ${ds.train.x.cols} features; ` +
        (m.C === Infinity ? 'hard margin' : `soft margin, C = ${m.C}`)];
      if (m.kind === 'binary') {
        const mapping = (out.notes as string[] | undefined)?.find((n) => n.startsWith('labels mapped'));
        if (mapping) process.stderr.write(mapping + '\n');
        if (!m.converged) process.stderr.write(`warning: the solver stopped before the KKT gap reached ${o.tol} (gap ${m.gap.toExponential(2)})\n`);
        const w = m.w.length <= 10 ? `[${Array.from(m.w, (v) => +v.toPrecision(6)).join(', ')}]` : `(${m.w.length} values; --json prints them)`;
        lines.push(`w ${w}`, `b ${+m.b.toPrecision(6)}`, `margin 2/‖w‖ = ${+m.margin.toPrecision(6)}`,
          ...(m.note ? [`  (${m.note})`] : []),
          `support vectors ${m.supportIndices.length}`,
          `primal ${+m.primalObjective.toPrecision(8)}  dual ${+m.dualObjective.toPrecision(8)}`);
      } else {
        if (m.machines.some((s) => !s.converged)) process.stderr.write(`warning: the solver stopped before the KKT gap reached ${o.tol} for some classes\n`);
        lines.push(`one-vs-rest over ${m.classes.length} classes; support vectors per class: ` +
          m.machines.map((s) => s.supportIndices.length).join(', '),
          `margins 2/‖w‖ per class: ${m.machines.map((s) => +s.margin.toPrecision(6)).join(', ')}`,
          ...((out.notes as string[] | undefined) ?? []).map((n) => `  (${n})`));
      }
      lines.push(`train error ${pct(trainError)}`);
      if (testError !== undefined) lines.push(`test error  ${pct(testError)}`);
      lines.push(`${seconds.toFixed(2)} s`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
