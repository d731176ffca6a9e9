#!/usr/bin/env node
// The neurone command line: one subcommand per part of the lecture.
import { Command } from 'commander';
import { registerTrain } from './train.js';
import { registerUniversality } from './universality.js';
import { registerSeparable } from './separable.js';
import { registerSvm } from './svm.js';
import { registerList } from './list.js';
import { fail } from './common.js';
import { stopProgress } from './progress.js';
import { readFileSync } from 'node:fs';

// The package's own version, from package.json beside dist/.
function version(): string {
  try { return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version; } catch { return 'unknown'; }
}

const program = new Command();
program.name('neurone').description('the lecture\'s neural networks, real and fast (SIMD WebAssembly)')
  .version(version(), '-V, --version', 'print the version')
  // commander's own errors (bad option values, unknown options) read like ours: one line, "neurone: ..."
  .configureOutput({
    outputError: (text, write) => write(`neurone: ${text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see neurone --help)\n`),
  });
registerTrain(program);
registerUniversality(program);
registerSeparable(program);
registerSvm(program);
registerList(program);
program.parseAsync(process.argv).catch((e) => { stopProgress(); fail(e); });
