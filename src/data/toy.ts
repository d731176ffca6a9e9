// The lecture's four points and seeded synthetic sets. Labels: class indices
// 0..K-1 (two-moons, circles, spirals, blobs) or ±1 (xor4, as in the lecture).
// Each generator takes a seed; the test set uses the stream after the training set.
import { Rng } from '../rng.js';
import { checkOptions } from '../options.js';
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

function checkToy(name: string, o: ToyOptions): Required<ToyOptions> {
  const n = o.n ?? 200, nTest = o.nTest ?? n, noise = o.noise ?? 0.1, seed = o.seed ?? 0;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}: n must be a positive integer, got ${o.n}`);
  if (!Number.isInteger(nTest) || nTest < 0) throw new RangeError(`${name}: nTest must be a non-negative integer, got ${o.nTest}`);
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new RangeError(`${name}: noise must be a finite number >= 0, got ${o.noise}`);
  return { n, nTest, noise, seed };
}

function build(name: string, o: ToyOptions, classes: number, point: (rng: Rng, k: number, n: number) => [number[], number]): Dataset {
  const { n, nTest, noise, seed } = checkToy(name, o);
  const rng = new Rng(seed);
  const make = (count: number): LabelledSet => {
    let D = 0;
    const rows: number[][] = [], y = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const [p, label] = point(rng, k, count);
      rows.push(p.map((v) => v + noise * rng.normal()));
      y[k] = label; D = p.length;
    }
    return { x: { data: Float32Array.from(rows.flat()), rows: count, cols: D }, y };
  };
  const train = make(n);
  return { name, train, test: nTest ? make(nTest) : undefined, classes, labels: 'class' };
}

/** Two interleaving half circles (labels 0 and 1). */
export function moons(o: ToyOptions = {}): Dataset {
  o = checkOptions(o, TOY, 'moons');
  return build('moons', o, 2, (rng, k) => {
    const c = k % 2, t = Math.PI * rng.uniform();
    return c === 0 ? [[Math.cos(t), Math.sin(t)], 0] : [[1 - Math.cos(t), 0.5 - Math.sin(t)], 1];
  });
}

/** Two concentric circles, the inner one of radius `factor` (default 0.5). */
export function circles(o: ToyOptions & { factor?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'factor'], 'circles');
  const factor = o.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${o.factor}`);
  return build('circles', o, 2, (rng, k) => {
    const c = k % 2, t = 2 * Math.PI * rng.uniform(), r = c === 0 ? 1 : factor;
    return [[r * Math.cos(t), r * Math.sin(t)], c];
  });
}

/** Interleaved spiral arms (default 2 arms, 1.5 turns). */
export function spirals(o: ToyOptions & { arms?: number; turns?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'arms', 'turns'], 'spirals');
  const arms = o.arms ?? 2, turns = o.turns ?? 1.5;
  if (!Number.isInteger(arms) || arms < 2) throw new RangeError(`spirals: arms must be an integer >= 2, got ${o.arms}`);
  if (!(turns > 0) || !Number.isFinite(turns)) throw new RangeError(`spirals: turns must be a finite number > 0, got ${o.turns}`);
  return build('spirals', o, arms, (rng, k) => {
    const c = k % arms, s = rng.uniform();
    const t = s * turns * 2 * Math.PI + (2 * Math.PI * c) / arms;
    return [[s * Math.cos(t), s * Math.sin(t)], c];
  });
}

/** Gaussian blobs around `centers` (default 3) points drawn in [-5, 5]^dim (noise = blob std, default 1). */
export function blobs(o: ToyOptions & { centers?: number; dim?: number } = {}): Dataset {
  o = checkOptions(o, [...TOY, 'centers', 'dim'], 'blobs');
  const K = o.centers ?? 3, D = o.dim ?? 2;
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`blobs: centers must be an integer >= 2, got ${o.centers}`);
  if (!Number.isInteger(D) || D < 1) throw new RangeError(`blobs: dim must be a positive integer, got ${o.dim}`);
  const cr = new Rng((o.seed ?? 0) ^ 0x2545f491);
  const centers = Array.from({ length: K }, () => Array.from({ length: D }, () => cr.range(-5, 5)));
  return build('blobs', { ...o, noise: o.noise ?? 1 }, K, (_rng, k) => [centers[k % K].slice(), k % K]);
}

/** ±1 labels from 0/1 class indices (0 -> -1, 1 -> +1). @throws if a label is not 0 or 1. */
export function toPm1(y: ArrayLike<number>): Int32Array {
  const out = new Int32Array(y.length);
  for (let k = 0; k < y.length; k++) {
    if (y[k] !== 0 && y[k] !== 1) throw new Error(`toPm1: label ${k} is ${y[k]}; only 0 and 1 map to -1 and +1`);
    out[k] = y[k] === 1 ? 1 : -1;
  }
  return out;
}
