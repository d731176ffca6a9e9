// neurone list: every activation, loss, optimizer and schedule with its
// parameters and defaults (PyTorch's names, camelCase), or one JSON object.
import type { Command } from 'commander';
import { catalogue, LOSSES } from '../ids.js';
import { scheduleCatalogue, DERIVED } from '../schedules.js';

const derived = new Set(Object.values(DERIVED)); // shown as words, not as a string value
const show = (v: unknown) => (v === null ? '(required)' : typeof v === 'string' ? (derived.has(v) ? v : `'${v}'`) : JSON.stringify(v));

export function registerList(program: Command): void {
  program.command('list')
    .description('list every activation, loss, optimizer and schedule with its parameters and defaults')
    .option('--json', 'print one JSON object instead of text')
    .action((o) => {
      const c = catalogue();
      const all = { ...c, schedules: scheduleCatalogue() };
      if (o.json) { process.stdout.write(JSON.stringify(all) + '\n'); return; }
      const lines: string[] = [];
      const section = (title: string, rows: { name: string; params: Record<string, unknown>; doc: string }[],
                       extra: (name: string) => string = () => '') => {
        lines.push(`${title}:`);
        for (const r of rows) {
          const ps = Object.entries(r.params).map(([k, v]) => `${k}=${show(v)}`).join(', ');
          lines.push(`  ${r.name}${ps ? `(${ps})` : ''}${extra(r.name)}`);
          lines.push(`      ${r.doc}`);
        }
        lines.push('');
      };
      section('activations', c.activations);
      section('losses', c.losses, (n) => `  [labels: ${({ pm1: '±1', class: 'class indices', real: 'real targets', prob: 'targets in [0, 1]' })[LOSSES[n].labels]}]`);
      section('optimizers', c.optimizers);
      section('schedules (per: \'step\' or \'epoch\')', all.schedules);
      lines.push('Pass a name, or JSON with parameters: --activation \'{"name":"gelu","approximate":"tanh"}\'');
      process.stdout.write(lines.join('\n') + '\n');
    });
}
