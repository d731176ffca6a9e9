#!/usr/bin/env node
// The neurone command line: one subcommand per part of the lecture.
import { Command } from 'commander';
import { registerTrain } from './train.js';
import { registerUniversality } from './universality.js';
import { fail } from './common.js';

const program = new Command();
program.name('neurone').description('the lecture\'s neural networks, real and fast (SIMD WebAssembly)')
  .showHelpAfterError('(run with --help for the options)');
registerTrain(program);
registerUniversality(program);
program.parseAsync(process.argv).catch(fail);
