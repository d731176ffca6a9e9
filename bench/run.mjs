// npm run bench: runs every bench/*.bench.mjs section in this one process, in
// name order, and writes bench/RESULTS.md (machine, Node version, each
// figure's median and spread). Needs the build (npm run build).
// Usage: node --experimental-wasm-relaxed-simd bench/run.mjs [section-name-filter]
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const here = new URL('./', import.meta.url);
const filter = process.argv[2];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter))).sort();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
  `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
    `${os.type()} ${os.release()}; Node ${process.version} (V8 ${process.versions.v8}).`,
  'Figures are medians over repeated timings (benny / benchmark.js) with the relative margin of error;',
  'ratios compare figures measured in the same run. The machine is shared: compare ratios, not absolutes.',
  '',
];
const sections = [];
for (const f of files) {
  const mod = await import(new URL(f, here));
  process.stderr.write(`\n== ${mod.title} (${f})\n`);
  const t0 = performance.now();
  const md = await mod.run({ log: (s) => process.stderr.write(s + '\n') });
  sections.push(`## ${mod.title}\n\n${md.trim()}\n\n_(section took ${((performance.now() - t0) / 1000).toFixed(0)} s)_\n`);
}
const out = new URL('RESULTS.md', here);
if (!filter) writeFileSync(out, header.join('\n') + '\n' + sections.join('\n'));
else process.stdout.write(sections.join('\n'));
process.stderr.write(filter ? '\n(filtered run: RESULTS.md not written)\n' : `\nwrote ${out.pathname}\n`);
