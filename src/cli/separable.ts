// neurone separable: is the training set linearly separable? The LP's verdict
// with a separating (w, b) or a checked certificate λ (or one JSON object with --json).
import type { Command } from 'commander';
import { separable } from '../svm.js';
import { dataOptions, dataFrom, float } from './common.js';

export function registerSeparable(program: Command): void {
  const cmd = program.command('separable [file.csv]')
    .description('decide by linear programming (HiGHS) whether the two classes are linearly separable');
  dataOptions(cmd, 'xor4')
    .option('--time-limit <seconds>', 'give up after this long, with an error', float('--time-limit', 0), 900)
    .option('--json', 'print one JSON object instead of text')
    .action(async (file: string | undefined, o) => {
      const ds = await dataFrom(o, file);
      if (ds.classes !== 2) throw new Error(`${ds.name} has ${ds.classes} classes; separable needs two (use --digits a,b for MNIST)`);
      const x = ds.train.x, r = await separable(x, ds.train.y, {
        timeLimit: o.timeLimit,
        onRound: (k, m) => { if (k > 1 || m < x.rows) process.stderr.write(`LP round ${k}: ${m} of ${x.rows} points in the working set\n`); },
      });
      const names = ds.labelNames ?? r.classes.map(String); // loadMnist names digit subsets
      const mapping = r.mapped ? `labels mapped: ${names[0]} -> -1, ${names[1]} -> +1` : undefined;
      const out: Record<string, unknown> = { data: ds.name, rows: x.rows, features: x.cols, separable: r.separable };
      if (r.separable) Object.assign(out, { w: Array.from(r.w), b: r.b, minMargin: r.minMargin });
      else {
        const lam = r.certificate.lambda, support = [];
        for (let t = 0; t < lam.length; t++) if (lam[t] > 0) support.push(t);
        Object.assign(out, { certificate: { lambda: Array.from(lam), support, residual: r.certificate.residual, relativeResidual: r.certificate.relativeResidual } });
      }
      if (mapping) out.notes = [mapping];
      if (o.json) { process.stdout.write(JSON.stringify(out) + '\n'); return; }
      if (mapping) process.stderr.write(mapping + '\n');
      const short = (v: ArrayLike<number>) => (v.length <= 10 ? `[${Array.from(v, (a) => +a.toPrecision(6)).join(', ')}]` : `(${v.length} values; --json prints them)`);
      process.stdout.write(`${ds.name}: ${x.rows} points, ${x.cols} features\n`);
      if (r.separable) {
        process.stdout.write(`separable: yes\nw ${short(r.w)}\nb ${+r.b.toPrecision(6)}\nmin functional margin ${+r.minMargin.toPrecision(6)}\n`);
      } else {
        const lam = r.certificate.lambda, on: string[] = [];
        for (let t = 0; t < lam.length; t++) if (lam[t] > 0) on.push(`λ${t} = ${+lam[t].toPrecision(6)}`);
        process.stdout.write(`separable: no\ncertificate (λ ≥ 0, Σλ = 1, Σ λ y x = 0, Σ λ y = 0): ${on.slice(0, 20).join(', ')}` +
          `${on.length > 20 ? ` ... (${on.length} nonzero)` : ''}\nresidual ${r.certificate.residual.toExponential(2)} ` +
          `(${r.certificate.relativeResidual.toExponential(2)} relative to each feature's largest |value|)\n`);
      }
    });
}
