// Datasets by name, for the CLI and for scripts.
export type { Dataset, LabelledSet } from './types.js';
export { loadMnist, mnistPackageDir, head, type MnistOptions } from './mnist.js';
export { xor4, moons, circles, spirals, blobs, toPm1, MAX_TOY_POINTS, MAX_TOY_VALUES, type ToyOptions } from './toy.js';
export { parseCsv, loadCsv, type CsvOptions } from './csv.js';
import type { Dataset } from './types.js';
import { loadMnist } from './mnist.js';
import { xor4, moons, circles, spirals, blobs } from './toy.js';
import { loadCsv } from './csv.js';
import { checkOptions } from '../options.js';

/** Names `loadDataset` accepts besides a CSV path. */
export const DATASET_NAMES = ['mnist', 'xor4', 'moons', 'circles', 'spirals', 'blobs'];

/**
 * A dataset by name ('mnist', 'xor4', 'moons', 'circles', 'spirals', 'blobs') or a CSV path.
 * @throws Error listing the accepted names when `name` is neither a known name nor a .csv file.
 */
export async function loadDataset(name: string, o: { n?: number; nTest?: number; noise?: number; seed?: number;
  mnistDir?: string; trainSize?: number; testSize?: number; digits?: number[] } = {}): Promise<Dataset> {
  o = checkOptions(o, ['n', 'nTest', 'noise', 'seed', 'mnistDir', 'trainSize', 'testSize', 'digits'], 'loadDataset');
  if (typeof name !== 'string') throw new TypeError(`loadDataset: name must be a dataset name or a .csv path, got ${name === null ? 'null' : typeof name}`);
  const toy = { n: o.n, nTest: o.nTest, noise: o.noise, seed: o.seed };
  switch (name) {
    case 'mnist': return loadMnist({ dir: o.mnistDir, trainSize: o.trainSize ?? o.n, testSize: o.testSize ?? o.nTest, digits: o.digits });
    case 'xor4': return xor4();
    case 'moons': return moons(toy);
    case 'circles': return circles(toy);
    case 'spirals': return spirals(toy);
    case 'blobs': return blobs(toy);
  }
  if (/\.(csv|txt)$/i.test(name)) return loadCsv(name);
  throw new Error(`unknown dataset ${JSON.stringify(name)}; accepted: ${DATASET_NAMES.join(', ')}, or a path to a .csv file`);
}
