// The lecture's four points and seeded synthetic sets. Labels: class indices
// 0..K-1 (two-moons, circles, spirals, blobs) or ±1 (xor4, as in the lecture).
// Each generator takes a seed; the test set uses the stream after the training set.
import { Rng } from '../rng.js';
import { checkOptions } from '../options.js';
import { F32_MAX } from '../matrix.js';
import type { Dataset, LabelledSet } from './types.js';

/** The lecture's four points: x1=(1,0), x2=(-1,0) labelled +1, x3=(0,1), x4=(0,-1) labelled -1.
 *  No hyperplane separates them; a one-hidden-layer relu net does. */
export function xor4(): Dataset {
  const x = { data: Float32Array.from([1, 0, -1, 0, 0, 1, 0, -1]), rows: 4, cols: 2 };
  return { name: 'xor4', train: { x, y: Int32Array.from([1, 1, -1, -1]) }, classes: 2, labels: 'pm1' };
}

/** Options shared by the synthetic generators. */
export interface ToyOptions {
  /** training points (default 200) */
  n?: number;
  /** test points (default = n) */
  nTest?: number;
  /** standard deviation of the Gaussian noise added to each coordinate */
  noise?: number;
  seed?: number;
}

const TOY = ['n', 'nTest', 'noise', 'seed'];

/** The most points a generated training or test set may have. */
export const MAX_TOY_POINTS = 10_000_000;
/** The most values (points x dimension) a generated set may have: 400 MB of f32. */
export const MAX_TOY_VALUES = 100_000_000;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function count(name: string, key: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_TOY_POINTS) {
    throw new RangeError(`${name}: ${key} must be a ${min ? 'positive' : 'non-negative'} integer (at most ${MAX_TOY_POINTS.toLocaleString('en-US')}), got ${show(v)}`);
  }
  return v;
}

function checkToy(name: string, o: ToyOptions, D: number): Required<ToyOptions> {
  const n = count(name, 'n', o.n ?? 200, 1);
  const nTest = count(name, 'nTest', o.nTest ?? n, 0);
  const noise = o.noise ?? 0.1, seed = o.seed ?? 0;
  if (typeof noise !== 'number' || !(noise >= 0) || !(noise <= F32_MAX)) {
    throw new RangeError(`${name}: noise must be a finite number >= 0, got ${show(o.noise)}`);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new RangeError(`${name}: seed must be an integer, got ${show(o.seed)}`);
  for (const [key, v] of [['n', n], ['nTest', nTest]] as const) {
    if (v * D > MAX_TOY_VALUES) {
      throw new RangeError(`${name}: ${key} = ${v.toLocaleString('en-US')} points of dimension ${D} make ` +
        `${(v * D).toLocaleString('en-US')} values, above the limit of ${MAX_TOY_VALUES.toLocaleString('en-US')}`);
    }
  }
  return { n, nTest, noise, seed };
}

function build(name: string, o: ToyOptions, classes: number, D: number, point: (rng: Rng, k: number, n: number) => [number[], number]): Dataset {
  const { n, nTest, noise, seed } = checkToy(name, o, D);
  const rng = new Rng(seed);
  const make = (rows: number, set: string): LabelledSet => {
    const data = new Float32Array(rows * D), y = new Int32Array(rows);
    for (let k = 0; k < rows; k++) {
      const [p, label] = point(rng, k, rows);
      for (let j = 0; j < D; j++) {
        data[k * D + j] = p[j] + noise * rng.normal();
        const v = data[k * D + j]; // as stored, in f32
        if (!Number.isFinite(v)) {
          throw new RangeError(`${name}: noise ${noise} makes ${set} point ${k}, coordinate ${j}, ${v} in f32; ` +
            'use a noise small enough for the points to stay finite (below about 1e37)');
        }
      }
      y[k] = label;
    }
    return { x: { data, rows, cols: D }, y };
  };
  const train = make(n, 'training');
  return { name, train, test: nTest ? make(nTest, 'test') : undefined, classes, labels: 'class' };
}

/** Two interleaving half circles (labels 0 and 1). */
export function moons(o: ToyOptions = {}): Dataset {
  o = checkOptions(o, TOY, 'moons');
  return build('moons', o, 2, 2, (rng, k) => {
    const c = k % 2, t = Math.PI * rng.uniform();
    return c === 0 ? [[Math.cos(t), Math.sin(t)], 0] : [[1 - Math.cos(t), 0.5 - Math.sin(t)], 1];
  });
}

/** Two concentric circles, the inner one of radius `factor` (default 0.5). */
export function circles(o: ToyOptions & { factor?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'factor'], 'circles');
  const factor = o.factor ?? 0.5;
  if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${show(o.factor)}`);
  return build('circles', o, 2, 2, (rng, k) => {
    const c = k % 2, t = 2 * Math.PI * rng.uniform(), r = c === 0 ? 1 : factor;
    return [[r * Math.cos(t), r * Math.sin(t)], c];
  });
}

/** Interleaved spiral arms (default 2 arms, 1.5 turns). */
export function spirals(o: ToyOptions & { arms?: number; turns?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'arms', 'turns'], 'spirals');
  const arms = o.arms ?? 2, turns = o.turns ?? 1.5;
  if (typeof arms !== 'number' || !Number.isInteger(arms) || arms < 2 || arms > 1000) {
    throw new RangeError(`spirals: arms must be an integer from 2 to 1000, got ${show(o.arms)}`);
  }
  if (typeof turns !== 'number' || !(turns > 0) || !(turns <= 1e6)) throw new RangeError(`spirals: turns must be a number in (0, 1e6], got ${show(o.turns)}`);
  return build('spirals', o, arms, 2, (rng, k) => {
    const c = k % arms, s = rng.uniform();
    const t = s * turns * 2 * Math.PI + (2 * Math.PI * c) / arms;
    return [[s * Math.cos(t), s * Math.sin(t)], c];
  });
}

/** Gaussian blobs around `centers` (default 3) points drawn in [-5, 5]^dim (noise = blob std, default 1). */
export function blobs(o: ToyOptions & { centers?: number; dim?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'centers', 'dim'], 'blobs');
  const K = o.centers ?? 3, D = o.dim ?? 2;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 2 || K > 1000) {
    throw new RangeError(`blobs: centers must be an integer from 2 to 1000, got ${show(o.centers)}`);
  }
  if (typeof D !== 'number' || !Number.isInteger(D) || D < 1 || D > 100_000) {
    throw new RangeError(`blobs: dim must be an integer from 1 to 100,000, got ${show(o.dim)}`);
  }
  const opts = { ...o, noise: o.noise ?? 1 };
  checkToy('blobs', opts, D); // before the centres are drawn
  const cr = new Rng((o.seed ?? 0) ^ 0x2545f491);
  const centers = Array.from({ length: K }, () => Array.from({ length: D }, () => cr.range(-5, 5)));
  return build('blobs', opts, K, D, (_rng, k) => [centers[k % K], k % K]);
}

/** ±1 labels from 0/1 class indices (0 -> -1, 1 -> +1). @throws if a label is not 0 or 1. */
export function toPm1(y: ArrayLike<number>): Int32Array {
  if (!y || typeof y !== 'object' || typeof y.length !== 'number') throw new TypeError(`toPm1: y must be an array of 0/1 labels, got ${y === null ? 'null' : typeof y}`);
  const out = new Int32Array(y.length);
  for (let k = 0; k < y.length; k++) {
    if (y[k] !== 0 && y[k] !== 1) throw new Error(`toPm1: y[${k}] is ${y[k]}; only 0 and 1 map to -1 and +1`);
    out[k] = y[k] === 1 ? 1 : -1;
  }
  return out;
}
