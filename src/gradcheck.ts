// Backpropagation checked against central finite differences. The analytic
// gradient is the net's own (its backend's backward pass, f32); the numeric
// one re-runs the net in f64 in plain TypeScript (the JS backend's scalar
// activations and loss kernel), so the differences are not drowned by f32
// rounding: dL/dp ~ (L(p + h) - L(p - h)) / 2h.
import type { Mlp } from './mlp.js';
import { resolveActivation, activationKernelParams, type Spec } from './ids.js';
import { toMatrix, type Labels, type MatrixLike } from './matrix.js';
import { prepareTargets } from './targets.js';
import { act } from './backend/js/math.js';
import { lossRows } from './backend/js/kernels.js';
import { Rng } from './rng.js';
import { checkOptions } from './options.js';

const DEFAULT_MAX_PARAMS = 512;

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** the finite-difference step, relative to max(1, |p|) (default 1e-6) */
  h?: number;
  /** check at most this many parameters, drawn with `seed` (default 512; Infinity: all) */
  maxParams?: number;
  seed?: number;
  /** relative errors are |a - n| / max(|a|, |n|, floor) (default 1e-4) */
  floor?: number;
}

/** The result of {@link gradCheck}. */
export interface GradCheckResult {
  /** the largest relative error over the checked parameters */
  maxRelError: number;
  maxAbsError: number;
  /** where the largest relative error is: flat index (getParameters layout), layer, and both values */
  worst: { index: number; layer: number; analytic: number; numeric: number };
  checked: number;
  loss: number;
}

/**
 * Compares the net's backpropagated gradient with central finite differences
 * of the same loss computed in f64. A relu or hinge kink within h of a sample
 * can make one parameter disagree; that is the finite difference's limit.
 * @example
 *   gradCheck(net, x, y, 'cross_entropy').maxRelError; // ~1e-6
 * @throws Error on bad data or labels, or a net with rrelu (random slopes while training)
 */
export function gradCheck(net: Mlp, x: MatrixLike, y: Labels, loss?: Spec,
                          options: GradCheckOptions = {}): GradCheckResult {
  const where = 'gradCheck';
  const o = checkOptions(options, ['h', 'maxParams', 'seed', 'floor'], where);
  if (!net || typeof (net as Mlp).config !== 'function' || typeof (net as Mlp).backward !== 'function') {
    throw new TypeError(`${where}: net must be an Mlp, got ${net === null ? 'null' : typeof net}`);
  }
  const h = o.h ?? 1e-6, floor = o.floor ?? 1e-4;
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`${where}: h must be a finite number > 0, got ${h}`);
  if (!(floor > 0) || !Number.isFinite(floor)) throw new RangeError(`${where}: floor must be a finite number > 0, got ${floor}`);
  const cfg = net.config();
  const layers = cfg.layers.map((l, i) => {
    const r = resolveActivation(l.activation, `${where}: layer ${i}`);
    if (r.name === 'rrelu') throw new Error(`${where}: layer ${i} is rrelu, whose slopes are random while training; check leaky_relu with its mean slope instead`);
    return { ...l, r, kp: activationKernelParams(r), nSlope: r.name === 'prelu' ? (r.params.numParameters === 1 ? 1 : l.out) : 0 };
  });
  const m = toMatrix(x, `${where} (x)`);
  if (m.cols !== net.inputs) throw new Error(`${where}: x has ${m.cols} columns, the net takes ${net.inputs} inputs`);
  const L = net.resolveLoss(loss);
  const lossSpec = { name: L.name, ...L.params };
  const t = prepareTargets(y, L.labels, L.name, net.outputs, m.rows, where);
  const B = m.rows, C = net.outputs;

  // f64 scratch: scores (B*C) then targets (t.data)
  const mem = new Float64Array(B * C + t.data.length);
  mem.set(t.data, B * C);
  const red = L.params.reduction === 'mean' ? 1 : 0, p0 = L.params.p ?? 0, p1 = L.params.margin ?? 0;
  const lossAt = (p: Float64Array): number => {
    for (let b = 0; b < B; b++) {
      let a = Array.from(m.data.subarray(b * m.cols, (b + 1) * m.cols));
      let off = 0;
      for (const l of layers) {
        // z = W a + bias, W (out, in) row-major, then the activation
        const z = new Array<number>(l.out);
        for (let i = 0; i < l.out; i++) {
          let s = p[off + l.in * l.out + i];
          for (let j = 0; j < l.in; j++) s += p[off + i * l.in + j] * a[j];
          const slope = l.nSlope ? p[off + l.in * l.out + l.out + (l.nSlope === 1 ? 0 : i)] : l.kp[0];
          z[i] = act(l.r.id, s, slope, l.kp[1]);
        }
        off += l.in * l.out + l.out + l.nSlope;
        a = z;
      }
      for (let i = 0; i < C; i++) mem[b * C + i] = a[i];
    }
    return lossRows(mem, L.id, -1, 0, B * C, B, C, red, p0, p1);
  };

  const { grads, loss: value } = net.backward(x, y, { loss: lossSpec });
  const p = Float64Array.from(net.getParameters());
  // every parameter costs two f64 passes over the data: by default a seeded
  // sample of DEFAULT_MAX_PARAMS of them (maxParams: Infinity checks all)
  let idx = Array.from({ length: p.length }, (_, i) => i);
  const maxParams = o.maxParams ?? DEFAULT_MAX_PARAMS;
  if (maxParams !== Infinity && (!Number.isInteger(maxParams) || maxParams < 1)) {
    throw new RangeError(`${where}: maxParams must be a positive integer or Infinity, got ${o.maxParams}`);
  }
  if (maxParams < p.length) {
    new Rng(o.seed ?? 0).shuffle(idx);
    idx = idx.slice(0, maxParams).sort((a, b) => a - b);
  }
  const layerOf = (i: number) => {
    let off = 0;
    for (let l = 0; l < layers.length; l++) {
      off += layers[l].in * layers[l].out + layers[l].out + layers[l].nSlope;
      if (i < off) return l;
    }
    return layers.length - 1;
  };
  let maxRel = 0, maxAbs = 0;
  let worst = { index: -1, layer: -1, analytic: NaN, numeric: NaN };
  for (const i of idx) {
    const keep = p[i], step = h * Math.max(1, Math.abs(keep));
    p[i] = keep + step; const up = lossAt(p);
    p[i] = keep - step; const down = lossAt(p);
    p[i] = keep;
    const numeric = (up - down) / (2 * step), analytic = grads[i];
    const abs = Math.abs(analytic - numeric);
    const rel = abs / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
    maxAbs = Math.max(maxAbs, abs);
    if (worst.index < 0 || rel > maxRel) { maxRel = rel; worst = { index: i, layer: layerOf(i), analytic, numeric }; }
  }
  return { maxRelError: maxRel, maxAbsError: maxAbs, worst, checked: idx.length, loss: value };
}
