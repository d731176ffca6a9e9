// The functional API, as torch.nn.functional: every activation, loss and
// optimizer called on plain arrays, running the very kernels a training step
// runs (wasm by default, or the plain-JS twin). Each call copies its arrays
// into a scratch block of backend memory, runs one kernel, copies the result
// out and frees the block; an optimizer keeps its state block until disposed.
import { getKernels, arenaRegistry as registry, type Kernels } from './backend/index.js';
import { resolveActivation, resolveLoss, resolveOptimizer, activationKernelParams,
         type Spec } from './ids.js';
import { isVector, firstNonFinite, type Labels, type Matrix } from './matrix.js';
import { prepareTargets } from './targets.js';
import { Rng } from './rng.js';
import { checkOptions } from './options.js';

/** Which kernels run a functional call: 'wasm' (default; needs `await init()`) or 'js'. */
export interface FunctionalOptions {
  backend?: 'wasm' | 'js' | Kernels;
}


// Byte offsets of `counts` f32 blocks (16-byte aligned) inside one allocation.
function scratch(k: Kernels, counts: number[]): { base: number; at: number[] } {
  const at: number[] = [];
  let top = 0;
  for (const n of counts) { at.push(top); top += Math.ceil((Math.max(n, 1) * 4) / 16) * 16; }
  const base = k.alloc(top); // may grow memory: views are taken after it
  return { base, at: at.map((o) => o + base) };
}

function checkVector(x: unknown, where: string, what = 'x'): ArrayLike<number> {
  if (!x || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${where}: ${what} must be a Float32Array or an array of numbers, got ${x === null ? 'null' : typeof x}`);
  }
  const v = x as ArrayLike<number>;
  for (let k = 0; k < v.length; k++) {
    if (typeof v[k] !== 'number') throw new TypeError(`${where}: ${what}[${k}] is ${typeof v[k]} ${String(v[k])}, not a number`);
    if (!Number.isFinite(Math.fround(v[k]))) throw new RangeError(`${where}: ${what}[${k}] is ${v[k]}; values must be finite in f32`);
  }
  return v;
}

// Finite inputs must give finite outputs: a value past f32 is an error naming it.
function finiteOut(out: Float32Array, x: ArrayLike<number>, where: string, what: string): Float32Array {
  const bad = firstNonFinite(out);
  if (bad >= 0) throw new RangeError(`${where}: ${what} at x[${bad}] = ${x[bad]} is ${out[bad]}: it overflows f32 (check the activation's parameters)`);
  return out;
}

// Runs activation `spec` on x; with `grad`, returns f'(x) instead of f(x).
function activationCall(spec: Spec, x: ArrayLike<number>, opts: FunctionalOptions & { seed?: number },
                        grad: boolean, where: string): Float32Array {
  const r = resolveActivation(spec, where);
  const v = checkVector(x, where);
  const k = getKernels(opts.backend ?? 'wasm', where);
  const n = v.length;
  const [p0, p1] = activationKernelParams(r);
  const training = r.name === 'rrelu' && r.params.training === true;
  // blocks: y (input), a = f(y), d = f'(y) (the backward kernel with dA = 1,
  // in place), noise (rrelu's slopes), the generator state (4 u32)
  const s = scratch(k, [n, n, n, training ? n : 0, 4]);
  const [y, a, d, noise, rng] = s.at;
  const out = (ptr: number) => k.f32().slice(ptr >>> 2, (ptr >>> 2) + n);
  try {
    k.f32().set(v, y >>> 2);
    if (training) {
      k.u32().set(new Rng(opts.seed ?? 0).state, rng >>> 2);
      k.rreluForward(a, y, noise, n, p0, p1, rng);
      return finiteOut(out(grad ? noise : a), v, where, grad ? "f'(x)" : 'f(x)'); // f' of the drawn function is its slope
    }
    // rrelu in evaluation mode is leaky_relu with the mean slope (the kernel's
    // training step does the same); prelu's functional form has its weight in p0
    const q0 = r.name === 'rrelu' ? Math.fround((p0 + p1) / 2) : p0;
    k.activationForward(r.id, a, y, n, q0, p1);
    if (!grad) return finiteOut(out(a), v, where, 'f(x)');
    k.f32().fill(1, d >>> 2, (d >>> 2) + n);
    k.activationBackward(r.id, d, d, y, a, n, q0, p1);
    return finiteOut(out(d), v, where, "f'(x)");
  } finally {
    k.free(s.base);
  }
}

/** The result of {@link F.loss}. */
export interface LossResult {
  /** the loss with its reduction (sum or mean, the loss's default unless given) */
  value: number;
  /** d value / d scores, the shape of the scores */
  grad: Float32Array;
  /** the loss of each sample (each element for mse and bce_with_logits) */
  perSample: Float64Array;
  /** the 0-1 error, a fraction: y·f <= 0 for ±1 labels, argmax != label for classes */
  error: number;
}

function lossCall(spec: Spec, scores: ArrayLike<number> | Matrix, labels: Labels,
                  opts: FunctionalOptions, where: string): LossResult {
  const r = resolveLoss(spec, where);
  const k = getKernels(opts.backend ?? 'wasm', where);
  let data: ArrayLike<number>, B: number, C: number;
  if (scores && typeof scores === 'object' && 'data' in scores && 'cols' in scores) {
    const m = scores as Matrix;
    if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1 || m.data?.length !== m.rows * m.cols) {
      throw new Error(`${where}: scores { data, rows, cols } must have rows*cols values, got rows=${m.rows}, cols=${m.cols}, ${m.data?.length} values`);
    }
    data = checkVector(m.data, where, 'scores'); B = m.rows; C = m.cols;
  } else {
    data = checkVector(scores, where, 'scores'); B = data.length; C = 1;
  }
  if (B === 0) throw new Error(`${where}: scores are empty`);
  if (r.labels === 'class' && C === 1 && isVector(labels)) {
    throw new Error(`${where}: loss "${r.name}" takes (B, C) scores as { data, rows: B, cols: C } with one class index per row`);
  }
  const t = prepareTargets(labels, r.labels, r.name, C, B, where);
  const elementwise = r.name === 'mse' || r.name === 'bce_with_logits';
  const s = scratch(k, [B * C, B * C, t.data.length]);
  const [sc, dS, tg] = s.at;
  try {
    k.f32().set(data, sc >>> 2);
    k.f32().set(t.data, tg >>> 2);
    const red = r.params.reduction === 'mean' ? 1 : 0;
    const p0 = r.params.p ?? 0, p1 = r.params.margin ?? 0;
    const value = k.lossForward(r.id, dS, sc, tg, B, C, red, p0, p1);
    const grad = k.f32().slice(dS >>> 2, (dS >>> 2) + B * C);
    // per-sample values: the same kernel on one row (one element) at a time, summed
    const unit = elementwise ? 1 : C, count = elementwise ? B * C : B, tw = elementwise ? 1 : t.width;
    const perSample = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      perSample[i] = k.lossForward(r.id, 0, sc + 4 * i * unit, tg + 4 * i * tw, 1, unit, 0, p0, p1);
    }
    const badG = firstNonFinite(grad);
    if (!Number.isFinite(value) || badG >= 0) {
      throw new RangeError(`${where}: loss "${r.name}" ${badG >= 0 ? `gradient for score ${badG} is ${grad[badG]}` : `value is ${value}`}: ` +
        'it overflows f32 (scores or targets too large)');
    }
    const wrong = k.errorCount(t.errorKind, sc, tg, B, C);
    return { value, grad, perSample, error: wrong / (t.errorKind === 3 ? B * C : B) };
  } finally {
    k.free(s.base);
  }
}

/**
 * Activations and losses on plain arrays, as torch.nn.functional.
 * @example
 *   F.activation('gelu', new Float32Array([-1, 0, 1]));            // [-0.1587, 0, 0.8413]
 *   F.loss('hinge', [2, 0.5, -1], [1, 1, 1]).value;                 // 0 + 0.5 + 2 = 2.5
 */
export const F = {
  /**
   * f(x) element-wise.
   * @param spec a name or `{ name, ...params }` (see `neurone list`); rrelu with
   *   `training: true` draws its slopes from the seeded generator (`seed`, default 0)
   * @throws Error on an unknown name, a bad parameter or a non-finite input
   */
  activation(spec: Spec, x: ArrayLike<number>, options: FunctionalOptions & { seed?: number } = {}): Float32Array {
    return activationCall(spec, x, checkOptions(options, ['backend', 'seed'], 'F.activation'), false, 'F.activation');
  },
  /** f'(x) element-wise, with PyTorch's value at kinks (relu'(0) = 0). */
  activationGrad(spec: Spec, x: ArrayLike<number>, options: FunctionalOptions & { seed?: number } = {}): Float32Array {
    return activationCall(spec, x, checkOptions(options, ['backend', 'seed'], 'F.activationGrad'), true, 'F.activationGrad');
  },
  /**
   * The loss value, its gradient with respect to the scores, the per-sample
   * losses and the 0-1 error.
   * @param scores a vector of B scores (binary losses, mse/bce on one output) or
   *   a (B, C) `{ data, rows, cols }` of logits
   * @param labels ±1 labels, class indices, or real/probability targets, as the loss needs
   */
  loss(spec: Spec, scores: ArrayLike<number> | Matrix, labels: Labels, options: FunctionalOptions = {}): LossResult {
    return lossCall(spec, scores, labels, checkOptions(options, ['backend'], 'F.loss'), 'F.loss');
  },
};

/** An optimizer over one flat parameter vector (see {@link createOptimizer}). */
export interface Optimizer {
  readonly name: string;
  readonly size: number;
  /** resolved hyper-parameters, PyTorch's names in camelCase */
  readonly params: Readonly<Record<string, unknown>>;
  /** steps taken so far */
  readonly t: number;
  /** the learning rate of the next step (change it for a schedule) */
  lr: number;
  /** One update of `params` in place from `grads` (same length). @returns params */
  step(params: Float32Array, grads: ArrayLike<number>): Float32Array;
  /** Forgets the state (momentum, moment estimates) and the step count. */
  reset(): void;
  /** Frees the optimizer's backend memory. */
  dispose(): void;
}

/**
 * An optimizer with PyTorch's update rule and defaults, running the training
 * step's fused kernel on any vector of parameters.
 * @example
 *   const opt = createOptimizer({ name: 'adam', lr: 0.1 }, 3);
 *   for (let i = 0; i < 100; i++) opt.step(x, gradient(x));
 * @throws Error on an unknown name or a bad hyper-parameter, listing the accepted ones
 */
export function createOptimizer(spec: Spec, size: number, options: FunctionalOptions = {}): Optimizer {
  const where = 'createOptimizer';
  const r = resolveOptimizer(spec, where);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${where}: size must be a positive integer, got ${size}`);
  const k = getKernels(checkOptions(options, ['backend'], where).backend ?? 'wasm', where);
  // blocks: params, grads, state (k vectors), hp (8 f64 = 16 f32 slots)
  const s = scratch(k, [size, size, size * Math.max(r.stateVectors, 1), 16]);
  const [p, g, state, hp] = s.at;
  let t = 0, lr = r.params.lr as number, disposed = false;
  const alive = () => { if (disposed) throw new Error(`optimizer "${r.name}": it was disposed`); };
  const reset = () => {
    alive();
    k.f32().fill(0, state >>> 2, (state >>> 2) + size * Math.max(r.stateVectors, 1));
    t = 0;
  };
  k.f64().set(r.hp, hp >>> 3);
  const hyper = { ...r.params };
  const optimizer: Optimizer = {
    name: r.name, size, params: hyper,
    get t() { return t; },
    get lr() { return lr; },
    set lr(v: number) {
      if (typeof v !== 'number' || !(Math.fround(v) > 0) || !Number.isFinite(Math.fround(v))) {
        throw new RangeError(`optimizer "${r.name}": lr must be a finite number > 0 (in f32), got ${v}`);
      }
      lr = v;
      hyper.lr = v;
    },
    step(params: Float32Array, grads: ArrayLike<number>): Float32Array {
      const at = `optimizer "${r.name}".step`;
      alive();
      if (!(params instanceof Float32Array)) throw new TypeError(`${at}: params must be a Float32Array (updated in place)`);
      if (params.length !== size) throw new Error(`${at}: params has ${params.length} values, the optimizer was made for ${size}`);
      if (!grads || grads.length !== size) throw new Error(`${at}: grads has ${grads?.length} values, expected ${size}`);
      checkVector(params, at, 'params');
      checkVector(grads, at, 'grads');
      const f = k.f32();
      f.set(params, p >>> 2);
      f.set(grads, g >>> 2);
      k.f64()[hp >>> 3] = lr;
      k.optimStep(r.id, p, g, state, size, hp, t + 1);
      const out = k.f32().subarray(p >>> 2, (p >>> 2) + size);
      for (let i = 0; i < size; i++) {
        if (!Number.isFinite(out[i])) {
          throw new RangeError(`${at}: step ${t + 1} made parameter ${i} ${out[i]} (lr ${lr}); params are left as they were (the moment estimates are not: reset() starts afresh)`);
        }
      }
      t++;
      params.set(out);
      return params;
    },
    reset,
    dispose() {
      if (disposed) return;
      registry?.unregister(token);
      k.free(s.base);
      disposed = true;
    },
  };
  // an optimizer dropped without dispose() still gives its memory back when collected
  const token = {};
  registry?.register(optimizer, { k, ptr: s.base }, token);
  return optimizer;
}

