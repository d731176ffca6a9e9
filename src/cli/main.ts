#!/usr/bin/env node
// The neurone command line: one subcommand per part of the lecture.
import { Command } from 'commander';
import { registerTrain } from './train.js';
import { registerUniversality } from './universality.js';
import { registerSeparable } from './separable.js';
import { registerSvm } from './svm.js';
import { fail } from './common.js';

const program = new Command();
program.name('neurone').description('the lecture\'s neural networks, real and fast (SIMD WebAssembly)')
  .showHelpAfterError('(run with --help for the options)');
registerTrain(program);
registerUniversality(program);
registerSeparable(program);
registerSvm(program);
program.parseAsync(process.argv).catch(fail);
