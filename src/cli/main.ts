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

const program = new Command();
program.name('neurone').description('the lecture\'s neural networks, real and fast (SIMD WebAssembly)')
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
