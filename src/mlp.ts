// The multi-layer perceptron of the lecture: layers y = W a + bias, each
// followed by an activation (the last one is linear by default: losses take
// raw scores). One arena per model in backend memory holds everything a
// training step touches; the layout is written once, by `plan()`:
//
//   ┌──────────┬────┬────────┬───────┬────────────┬───┬────────┬─────┬─────┬────┬──────────────────┐
//   │ plan     │ hp │ params │ grads │ state k×P  │ x │ target │ dA0 │ dA1 │ wt │ per layer y, a,  │
//   │ words    │f64 │ P f32  │ P f32 │ f32        │   │        │     │     │    │ noise, dYSave    │
//   └──────────┴────┴────────┴───────┴────────────┴───┴────────┴─────┴─────┴────┴──────────────────┘
//
// params (and grads, and each state vector) run layer by layer: W (nOut, nIn)
// row-major as PyTorch's nn.Linear, then bias (nOut), then prelu slopes.
import { getKernels, arenaRegistry as registry, type Kernels } from './backend/index.js';
import { resolveActivation, resolveLoss, resolveOptimizer, activationKernelParams,
         type Resolved, type Spec, type LabelKind } from './ids.js';
import { toMatrix, firstNonFinite, type Labels, type Matrix, type MatrixLike } from './matrix.js';
import { prepareTargets, type Targets } from './targets.js';
import { resolveSchedule, type Schedule } from './schedules.js';
import { Rng } from './rng.js';
import * as P from './plan-words.js';
import { checkOptions } from './options.js';
import { lineSearchDescent, type LineSearchOptions, type LineSearchResult } from './descent.js';

/** One layer: `out` units fed by `in` inputs, then `activation`. */
export interface LayerSpec {
  in: number;
  out: number;
  /** default 'identity' */
  activation?: Spec;
}

/** Options of the {@link Mlp} constructor: `sizes` (with `activation`) or `layers`. */
export interface MlpOptions {
  /** [inputs, hidden..., outputs], e.g. [784, 128, 10] */
  sizes?: number[];
  /** hidden activation for `sizes` (default 'relu') */
  activation?: Spec;
  /** activation of the last layer for `sizes` (default 'identity': losses take logits) */
  outputActivation?: Spec;
  /** explicit layers, instead of `sizes` */
  layers?: LayerSpec[];
  /** seed of the initial weights (default 0) */
  seed?: number;
  /** 'wasm' (default; needs `await init()`) or 'js' */
  backend?: 'wasm' | 'js' | Kernels;
  /** 'he' for relu-like activations and 'glorot' otherwise (default 'auto'), or one for all */
  init?: 'auto' | 'he' | 'glorot';
}

/** What `onEpoch` receives after each epoch. */
export interface EpochInfo {
  epoch: number;
  epochs: number;
  /** mean of the batch losses over the epoch (each with the loss's reduction) */
  loss: number;
  /** learning rate at the end of the epoch */
  lr: number;
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  /** validation loss and 0-1 error, when `validation` is given */
  valLoss?: number;
  valError?: number;
}

/** Options of {@link Mlp.fit}. */
export interface FitOptions {
  /** default 'cross_entropy' for several outputs, 'hinge' for one */
  loss?: Spec;
  /** default 'sgd' */
  optimizer?: Spec;
  /** overrides the optimizer's lr */
  lr?: number;
  /** a learning-rate policy (src/schedules.ts), default constant */
  schedule?: Spec | Schedule;
  /** default 1 */
  epochs?: number;
  /** default 32 */
  batchSize?: number;
  /** shuffle every epoch (default true) */
  shuffle?: boolean;
  /** seed of the shuffles (default: the model's seed) */
  seed?: number;
  /**
   * 'epoch' (default): each epoch visits every row once, in a shuffled order;
   * 'random': the lecture's SGD, each step draws its batchSize rows uniformly
   * at random, with replacement (an "epoch" is then ceil(rows / batchSize) steps)
   */
  sampling?: 'epoch' | 'random';
  /** stop after this many steps in all (default: no limit) */
  maxSteps?: number;
  /** stop at the end of the first epoch whose mean loss is <= targetLoss */
  targetLoss?: number;
  /** stop when the epoch's mean loss has not gone below the best by minDelta (default 0) for `patience` epochs */
  plateau?: { patience: number; minDelta?: number };
  /** evaluated after each epoch */
  validation?: { x: MatrixLike; y: Labels };
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** called after every step with (step, loss); return false to stop */
  onStep?: (step: number, loss: number) => void | boolean;
}

/** Why {@link Mlp.fit} stopped. */
export type FitStop = 'epochs' | 'max-steps' | 'target-loss' | 'plateau' | 'callback';

/** Result of {@link Mlp.fit}. */
export interface FitResult {
  history: EpochInfo[];
  steps: number;
  stopReason: FitStop;
  seconds: number;
  samplesPerSecond: number;
}

/** Result of {@link Mlp.evaluate}: the loss (with its reduction over the whole set) and the 0-1 error (a fraction). */
export interface EvalResult {
  loss: number;
  error: number;
  rows: number;
}

interface Layer {
  nIn: number;
  nOut: number;
  act: Resolved;
  nSlope: number; // prelu slopes (0 if not prelu)
  wOff: number;   // element offsets inside the parameter vector
  biasOff: number;
  slopeOff: number;
}

const FIT_OPTIONS = ['loss', 'optimizer', 'lr', 'schedule', 'epochs', 'batchSize', 'shuffle', 'seed', 'sampling',
  'maxSteps', 'targetLoss', 'plateau', 'validation', 'onEpoch', 'onStep'] as const;

const HE_FAMILY = new Set(['relu', 'leaky_relu', 'prelu', 'rrelu', 'relu6', 'elu', 'celu', 'selu', 'gelu', 'silu', 'mish', 'hardswish']);
const DEFAULT_ROWS = 256;


/**
 * A fully connected network, its weights in backend memory.
 * @example
 *   await init();
 *   const net = new Mlp({ sizes: [784, 128, 10], activation: 'relu', seed: 1 });
 *   net.fit(train.x, train.y, { loss: 'cross_entropy', lr: 0.1, epochs: 2, batchSize: 64 });
 */
export class Mlp {
  readonly kernels: Kernels;
  readonly sizes: number[];
  readonly seed: number;
  private readonly layerInfo: Layer[];
  readonly nParams: number;
  private arena = 0;
  private planPtr = 0;
  private capRows = 0;
  private capState = 0;
  private offs: Record<string, number> = {};
  private layerBufs: { y: number; a: number; noise: number; dYSave: number }[] = [];
  private trace = false;
  private disposed = false;
  // set while fit() runs: its callbacks may read the net, not re-plan or free it
  private fitting = false;
  private initMode: 'auto' | 'he' | 'glorot' = 'auto';
  private readonly token = {};

  /** @throws Error on bad sizes, unknown activations, or a wasm backend that is not loaded. */
  constructor(options: MlpOptions) {
    const where = 'new Mlp';
    if (!options || typeof options !== 'object') throw new Error(`${where}: expected an options object such as { sizes: [784, 128, 10] }`);
    checkOptions(options, ['sizes', 'activation', 'outputActivation', 'layers', 'seed', 'backend', 'init'], where);
    this.kernels = getKernels(options.backend ?? 'wasm', where);
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new RangeError(`${where}: seed must be an integer, got ${options.seed}`);
    let specs: LayerSpec[];
    if (options.layers) {
      if (!Array.isArray(options.layers) || options.layers.length === 0) throw new Error(`${where}: layers must be a non-empty array of { in, out, activation }`);
      specs = options.layers;
      specs.forEach((sp, l) => {
        if (!sp || typeof sp !== 'object') throw new Error(`${where}: layer ${l} must be { in, out, activation }, got ${sp === null ? 'null' : typeof sp}`);
      });
      for (let l = 1; l < specs.length; l++) {
        if (specs[l].in !== specs[l - 1].out) throw new Error(`${where}: layer ${l} has in=${specs[l].in} but layer ${l - 1} has out=${specs[l - 1].out}`);
      }
    } else {
      const s = options.sizes;
      if (!Array.isArray(s) || s.length < 2) throw new Error(`${where}: sizes must list at least [inputs, outputs], got ${JSON.stringify(s)}`);
      const hidden = options.activation ?? 'relu', out = options.outputActivation ?? 'identity';
      resolveActivation(hidden, `${where}: activation`); // checked even when no hidden layer uses it
      specs = s.slice(1).map((n, l) => ({ in: s[l], out: n, activation: l === s.length - 2 ? out : hidden }));
    }
    let off = 0;
    this.layerInfo = specs.map((sp, l) => {
      for (const k of ['in', 'out'] as const) {
        if (!Number.isInteger(sp[k]) || sp[k] < 1) throw new Error(`${where}: layer ${l} ${k} must be a positive integer, got ${sp[k]}`);
      }
      const act = resolveActivation(sp.activation ?? 'identity', `${where}: layer ${l}`);
      const nSlope = act.name === 'prelu' ? (act.params.numParameters === 1 ? 1 : sp.out) : 0;
      const layer: Layer = { nIn: sp.in, nOut: sp.out, act, nSlope, wOff: off, biasOff: off + sp.in * sp.out, slopeOff: off + sp.in * sp.out + sp.out };
      off = layer.slopeOff + nSlope;
      return layer;
    });
    this.nParams = off;
    this.sizes = [specs[0].in, ...specs.map((s) => s.out)];
    this.plan(DEFAULT_ROWS, 0);
    this.initMode = options.init ?? 'auto';
    this.initWeights(this.initMode);
  }

  /** Number of layers (weight matrices). */
  get depth(): number { return this.layerInfo.length; }
  /** Input width. */
  get inputs(): number { return this.sizes[0]; }
  /** Output width. */
  get outputs(): number { return this.sizes[this.sizes.length - 1]; }
  /** Neurons as the lecture counts them: every unit of every layer (inputs are not neurons). */
  get neurons(): number { return this.sizes.slice(1).reduce((a, b) => a + b, 0); }
  /** The backend's name: 'wasm', 'wasm-relaxed' or 'js'. */
  get backend(): string { return this.kernels.name; }
  /** Activation names, layer by layer. */
  get activations(): string[] { return this.layerInfo.map((l) => l.act.name); }

  // --- the arena ----------------------------------------------------------------

  // Lays out (or re-lays out, keeping the parameters) the arena for up to
  // `rows` rows per call and `stateVectors` optimizer state vectors.
  private plan(rows: number, stateVectors: number): void {
    const L = this.layerInfo.length, Pn = this.nParams, C = this.outputs;
    const maxW = Math.max(...this.sizes);
    const maxWt = Math.max(...this.layerInfo.map((l) => l.nIn * l.nOut));
    let top = 0;
    const take = (floats: number, bytesPer = 4) => { const at = top; top += Math.ceil((floats * bytesPer) / 16) * 16; return at; };
    const o: Record<string, number> = {};
    o.plan = take(P.P_LAYERS + L * P.LAYER_WORDS);
    o.hp = take(8, 8);
    o.params = take(Pn); o.grads = take(Pn); o.backup = take(Pn); o.state = take(Pn * Math.max(stateVectors, 1));
    o.x = take(rows * this.inputs); o.target = take(rows * C);
    o.dA0 = take(rows * maxW); o.dA1 = take(rows * maxW); o.wt = take(maxWt);
    const bufs = this.layerInfo.map((l) => {
      const y = take(rows * l.nOut);
      const a = l.act.name === 'identity' ? y : take(rows * l.nOut);
      const noise = l.act.name === 'rrelu' ? take(rows * l.nOut) : -1;
      const dYSave = this.trace ? take(rows * l.nOut) : -1;
      return { y, a, noise, dYSave };
    });

    const k = this.kernels;
    const oldParams = this.arena ? k.f32().slice(this.offs.params >>> 2, (this.offs.params >>> 2) + Pn) : null;
    const oldRng = this.arena ? k.u32().slice((this.planPtr >>> 2) + P.P_RNG, (this.planPtr >>> 2) + P.P_RNG + 4) : null;
    const oldT = this.arena ? k.i32()[(this.planPtr >>> 2) + P.P_T] : 0;
    const base = k.alloc(top); // may grow memory: views are taken after it
    if (this.arena) { registry?.unregister(this.token); k.free(this.arena); }
    this.arena = base;
    for (const key of Object.keys(o)) o[key] += base;
    this.offs = o;
    this.layerBufs = bufs.map((b) => ({ y: b.y + base, a: b.a + base, noise: b.noise < 0 ? 0 : b.noise + base, dYSave: b.dYSave < 0 ? 0 : b.dYSave + base }));
    this.planPtr = o.plan;
    this.capRows = rows;
    this.capState = Math.max(stateVectors, 1);
    registry?.register(this, { k, ptr: base }, this.token);

    // the plan words (assembly/plan.ts)
    const w = k.i32(), f = k.f32(), q = o.plan >>> 2;
    w[q + P.P_L] = L; w[q + P.P_B] = rows; w[q + P.P_NPARAMS] = Pn; w[q + P.P_C] = C;
    w[q + P.P_PARAMS] = o.params; w[q + P.P_GRADS] = o.grads; w[q + P.P_STATE] = o.state;
    w[q + P.P_X] = o.x; w[q + P.P_TARGET] = o.target; w[q + P.P_DA0] = o.dA0; w[q + P.P_DA1] = o.dA1;
    w[q + P.P_WT] = o.wt; w[q + P.P_HP] = o.hp; w[q + P.P_BACKUP] = o.backup; w[q + P.P_T] = oldT;
    this.layerInfo.forEach((l, i) => {
      const b = q + P.P_LAYERS + i * P.LAYER_WORDS, buf = this.layerBufs[i];
      const [p0, p1] = activationKernelParams(l.act);
      w[b + P.L_NIN] = l.nIn; w[b + P.L_NOUT] = l.nOut; w[b + P.L_ACT] = l.act.id;
      f[b + P.L_P0] = p0; f[b + P.L_P1] = p1;
      w[b + P.L_W] = o.params + 4 * l.wOff; w[b + P.L_BIAS] = o.params + 4 * l.biasOff;
      w[b + P.L_DW] = o.grads + 4 * l.wOff; w[b + P.L_DBIAS] = o.grads + 4 * l.biasOff;
      w[b + P.L_SLOPE] = l.nSlope ? o.params + 4 * l.slopeOff : 0;
      w[b + P.L_DSLOPE] = l.nSlope ? o.grads + 4 * l.slopeOff : 0;
      w[b + P.L_NSLOPE] = l.nSlope;
      w[b + P.L_Y] = buf.y; w[b + P.L_A] = buf.a; w[b + P.L_NOISE] = buf.noise; w[b + P.L_DYSAVE] = buf.dYSave;
    });
    if (oldParams) f.set(oldParams, o.params >>> 2);
    const u = k.u32();
    if (oldRng) u.set(oldRng, q + P.P_RNG);
    else u.set(new Rng(this.seed ^ 0x5bd1e995).state, q + P.P_RNG);
  }

  private ensure(rows: number, stateVectors: number): void {
    this.checkAlive();
    if (rows > this.capRows || stateVectors > this.capState) {
      this.plan(Math.max(rows, this.capRows), Math.max(stateVectors, this.capState));
    }
  }

  private initWeights(mode: 'auto' | 'he' | 'glorot'): void {
    if (!['auto', 'he', 'glorot'].includes(mode)) throw new RangeError(`new Mlp: init must be 'auto', 'he' or 'glorot', got ${JSON.stringify(mode)}`);
    // Uniform draws: He U(±sqrt(6/nIn)) before relu-like activations, Glorot
    // U(±sqrt(6/(nIn+nOut))) otherwise; biases 0; prelu slopes at `init`.
    // Only integer ops, one f64 multiply and sqrt: bit-identical everywhere.
    const rng = new Rng(this.seed);
    const f = this.kernels.f32(), base = this.offs.params >>> 2;
    for (const l of this.layerInfo) {
      const he = mode === 'he' || (mode === 'auto' && HE_FAMILY.has(l.act.name));
      const bound = he ? Math.sqrt(6 / l.nIn) : Math.sqrt(6 / (l.nIn + l.nOut));
      for (let k = 0; k < l.nIn * l.nOut; k++) f[base + l.wOff + k] = (2 * rng.uniform() - 1) * bound;
      for (let k = 0; k < l.nSlope; k++) f[base + l.slopeOff + k] = l.act.params.init;
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('Mlp: this model was disposed');
  }

  // fit() keeps pointers into the arena across its callbacks: anything that
  // could free or re-plan the arena (or retrain it) waits until fit returns.
  private notInFit(where: string): void {
    if (this.fitting) {
      throw new Error(`${where}: not allowed inside a fit() callback (onStep, onEpoch) of the same net; ` +
        'return false from the callback to stop training, then call it');
    }
  }

  /** Frees the model's backend memory; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.notInFit('Mlp.dispose');
    registry?.unregister(this.token);
    this.kernels.free(this.arena);
    this.disposed = true;
  }

  // --- parameters ---------------------------------------------------------------------

  /** A copy of all parameters as one flat vector (layer by layer: W, bias, slopes). */
  getParameters(): Float32Array {
    this.checkAlive();
    const s = this.offs.params >>> 2;
    return this.kernels.f32().slice(s, s + this.nParams);
  }

  /** Replaces all parameters from one flat vector. @throws on a length mismatch or non-finite values. */
  setParameters(p: ArrayLike<number>): void {
    this.checkAlive();
    if (!p || p.length !== this.nParams) throw new Error(`Mlp.setParameters: expected ${this.nParams} values, got ${p?.length}`);
    for (let k = 0; k < p.length; k++) {
      if (typeof p[k] !== 'number' || !Number.isFinite(Math.fround(p[k]))) throw new Error(`Mlp.setParameters: value ${k} is ${p[k]}; values must be finite in f32`);
    }
    this.kernels.f32().set(p, this.offs.params >>> 2);
  }

  /** Layer l's weights (nOut, nIn) as PyTorch's nn.Linear.weight, its bias, and prelu slopes (copies). */
  getLayer(l: number): { weight: Matrix; bias: Float32Array; slope?: Float32Array; activation: string } {
    const L = this.layer(l, 'Mlp.getLayer');
    const f = this.kernels.f32(), s = this.offs.params >>> 2;
    const weight = { data: f.slice(s + L.wOff, s + L.wOff + L.nIn * L.nOut), rows: L.nOut, cols: L.nIn };
    const out: ReturnType<Mlp['getLayer']> = { weight, bias: f.slice(s + L.biasOff, s + L.biasOff + L.nOut), activation: L.act.name };
    if (L.nSlope) out.slope = f.slice(s + L.slopeOff, s + L.slopeOff + L.nSlope);
    return out;
  }

  /** Sets layer l's weights (nOut, nIn) and/or bias. @throws on a shape mismatch or non-finite values. */
  setLayer(l: number, values: { weight?: MatrixLike | ArrayLike<number>; bias?: ArrayLike<number>; slope?: ArrayLike<number> }): void {
    const where = 'Mlp.setLayer';
    const L = this.layer(l, where);
    if (!values || typeof values !== 'object') throw new Error(`${where}: expected { weight, bias, slope }, got ${values === null ? 'null' : typeof values}`);
    // every value is checked before anything is written
    const check = (v: unknown, n: number, what: string): ArrayLike<number> => {
      if (!v || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
        throw new Error(`${where}: layer ${l} ${what} must be an array of ${n} numbers, got ${v === null ? 'null' : typeof v}`);
      }
      const a = v as ArrayLike<number>;
      if (a.length !== n) throw new Error(`${where}: layer ${l} ${what} needs ${n} values, got ${a.length}`);
      for (let k = 0; k < n; k++) {
        if (typeof a[k] !== 'number' || !Number.isFinite(Math.fround(a[k]))) throw new Error(`${where}: layer ${l} ${what}[${k}] is ${a[k]}; values must be finite in f32`);
      }
      return a;
    };
    const writes: [ArrayLike<number>, number][] = [];
    if (values.weight !== undefined) {
      const w = values.weight as any;
      const shape = `(${L.nOut}, ${L.nIn})`;
      let data: ArrayLike<number>;
      if (Array.isArray(w) && (Array.isArray(w[0]) || ArrayBuffer.isView(w[0]))) {
        const m = toMatrix(w, `${where} (layer ${l} weight)`);
        if (m.rows !== L.nOut || m.cols !== L.nIn) throw new Error(`${where}: layer ${l} weight must be ${shape} (nOut, nIn), got (${m.rows}, ${m.cols})`);
        data = m.data;
      } else if (w && typeof w === 'object' && 'data' in w) {
        if (w.rows !== L.nOut || w.cols !== L.nIn) throw new Error(`${where}: layer ${l} weight must be ${shape} (nOut, nIn), got (${w.rows}, ${w.cols})`);
        data = w.data;
      } else data = w;
      writes.push([check(data, L.nIn * L.nOut, 'weight'), L.wOff]);
    }
    if (values.bias !== undefined) writes.push([check(values.bias, L.nOut, 'bias'), L.biasOff]);
    if (values.slope !== undefined) writes.push([check(values.slope, L.nSlope, 'slope'), L.slopeOff]);
    const f = this.kernels.f32(), s = this.offs.params >>> 2;
    for (const [v, off] of writes) f.set(v, s + off);
  }

  private layer(l: number, where: string): Layer {
    this.checkAlive();
    if (!Number.isInteger(l) || l < 0 || l >= this.layerInfo.length) throw new RangeError(`${where}: layer must be 0..${this.layerInfo.length - 1}, got ${l}`);
    return this.layerInfo[l];
  }

  // --- data in and out --------------------------------------------------------------------

  private checkX(x: MatrixLike, where: string): Matrix {
    const m = toMatrix(x, `${where} (x)`);
    if (m.cols !== this.inputs) throw new Error(`${where}: x has ${m.cols} columns, the net takes ${this.inputs} inputs`);
    return m;
  }

  // Copies rows idx[from..from+n) (or from..from+n when idx is null) of x and of
  // the targets into the arena.
  private load(x: Matrix, t: Targets | null, idx: Int32Array | null, from: number, n: number): void {
    const f = this.kernels.f32(), D = x.cols, xo = this.offs.x >>> 2, to = this.offs.target >>> 2;
    if (!idx) {
      f.set(x.data.subarray(from * D, (from + n) * D), xo);
      if (t) f.set(t.data.subarray(from * t.width, (from + n) * t.width), to);
      return;
    }
    const xd = x.data;
    for (let r = 0; r < n; r++) {
      const src = idx[from + r];
      // short rows element by element (a subarray per row costs more than the copy)
      if (D <= 32) for (let j = 0; j < D; j++) f[xo + r * D + j] = xd[src * D + j];
      else f.set(xd.subarray(src * D, (src + 1) * D), xo + r * D);
      if (t) {
        if (t.width === 1) f[to + r] = t.data[src];
        else f.set(t.data.subarray(src * t.width, (src + 1) * t.width), to + r * t.width);
      }
    }
  }

  private setLoss(loss: Resolved, targets: Targets, reduction: 'sum' | 'mean'): void {
    const w = this.kernels.i32(), f = this.kernels.f32(), q = this.planPtr >>> 2;
    w[q + P.P_LOSS] = loss.id;
    w[q + P.P_REDUCTION] = reduction === 'sum' ? 0 : 1;
    w[q + P.P_ERROR_KIND] = targets.errorKind;
    f[q + P.P_LOSS_P0] = loss.params.p ?? 0;
    f[q + P.P_LOSS_P1] = loss.params.margin ?? 0;
  }

  private defaultLoss(): Spec { return this.outputs > 1 ? 'cross_entropy' : 'hinge'; }

  /**
   * Raw scores (the last layer's output) for every row of x.
   * @returns a (rows, outputs) Matrix
   * @throws Error on a shape mismatch or non-finite input.
   */
  predict(x: MatrixLike): Matrix {
    const m = this.checkX(x, 'Mlp.predict');
    this.ensure(Math.min(m.rows, DEFAULT_ROWS), 1);
    const C = this.outputs, out = new Float32Array(m.rows * C);
    const last = this.layerBufs[this.layerBufs.length - 1].a >>> 2;
    for (let from = 0; from < m.rows; from += this.capRows) {
      const n = Math.min(this.capRows, m.rows - from);
      this.load(m, null, null, from, n);
      this.kernels.predict(this.planPtr, n);
      out.set(this.kernels.f32().subarray(last, last + n * C), from * C);
    }
    const bad = firstNonFinite(out);
    if (bad >= 0) {
      throw new RangeError(`Mlp.predict: output ${bad % C} of row ${Math.floor(bad / C)} is ${out[bad]}: the scores overflow f32 ` +
        '(inputs or weights too large)');
    }
    return { data: out, rows: m.rows, cols: C };
  }

  /** Predicted labels: argmax class for several outputs, the sign (±1) for one. */
  predictLabels(x: MatrixLike): Int32Array {
    const s = this.predict(x), C = s.cols, out = new Int32Array(s.rows);
    for (let r = 0; r < s.rows; r++) {
      if (C === 1) { out[r] = s.data[r] > 0 ? 1 : -1; continue; }
      let best = 0;
      for (let c = 1; c < C; c++) if (s.data[r * C + c] > s.data[r * C + best]) best = c;
      out[r] = best;
    }
    return out;
  }

  /**
   * The loss over the whole set (with the loss's reduction) and the 0-1 error (fraction of rows wrong).
   * @throws Error on a shape mismatch or labels that do not fit the loss.
   */
  evaluate(x: MatrixLike, y: Labels, options: { loss?: Spec } = {}): EvalResult {
    const where = 'Mlp.evaluate';
    const { m, loss, t } = this.lossData(x, y, checkOptions(options, ['loss'], where).loss, where);
    this.ensure(Math.min(m.rows, DEFAULT_ROWS), 1);
    const { total, errors } = this.lossSum(m, t, loss);
    if (!Number.isFinite(total)) {
      throw new RangeError(`${where}: the loss is ${total}: the scores overflow f32 (inputs, targets or weights too large)`);
    }
    const errRows = t.errorKind === 3 ? m.rows * t.width : m.rows;
    return { loss: total * this.reductionScale(loss, m.rows), error: errors / errRows, rows: m.rows };
  }

  // Forward only: the sum of the loss over all rows, in chunks of the arena's
  // rows (the sums in f64), and the 0-1 error count.
  private lossSum(m: Matrix, t: Targets, loss: Resolved): { total: number; errors: number } {
    this.setLoss(loss, t, 'sum');
    let total = 0, errors = 0;
    for (let from = 0; from < m.rows; from += this.capRows) {
      const n = Math.min(this.capRows, m.rows - from);
      this.load(m, t, null, from, n);
      total += this.kernels.evaluate(this.planPtr, n);
      errors += this.kernels.i32()[(this.planPtr >>> 2) + P.P_ERRORS];
    }
    return { total, errors };
  }

  // What turns a sum over `rows` into the loss's reduction: 1 for 'sum'; for
  // 'mean', 1/rows, or 1/(rows*outputs) for the element-wise mse and bce (PyTorch's).
  private reductionScale(loss: Resolved, rows: number): number {
    if (loss.params.reduction !== 'mean') return 1;
    const elementwise = loss.name === 'mse' || loss.name === 'bce_with_logits';
    return 1 / (elementwise ? rows * this.outputs : rows);
  }

  /**
   * Trains with mini-batch stochastic gradient descent (the lecture's algorithm
   * with a batch sum), one wasm call per step: forward, loss, backward, update.
   * Optimizer state starts fresh at every call.
   * @example
   *   net.fit(x, y, { loss: 'cross_entropy', optimizer: { name: 'sgd', momentum: 0.9 }, lr: 0.1, epochs: 5, batchSize: 64 });
   * @throws Error on bad data, labels or options; or when the loss becomes NaN or infinite
   *         (the weights are then those from before that step).
   */
  fit(x: MatrixLike, y: Labels, options: FitOptions = {}): FitResult {
    this.checkAlive();
    this.notInFit('Mlp.fit');
    this.fitting = true;
    try {
      return this.fitLoop(x, y, options);
    } finally {
      this.fitting = false;
    }
  }

  private fitLoop(x: MatrixLike, y: Labels, options: FitOptions): FitResult {
    const where = 'Mlp.fit';
    options = checkOptions(options, FIT_OPTIONS, where);
    for (const k of ['onEpoch', 'onStep'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'function') throw new TypeError(`${where}: ${k} must be a function, got ${typeof options[k]}`);
    }
    const m = this.checkX(x, where);
    const loss = resolveLoss(options.loss ?? this.defaultLoss(), `${where}: loss`);
    const t = prepareTargets(y, loss.labels, loss.name, this.outputs, m.rows, where);
    const optSpec = options.optimizer ?? 'sgd';
    const withLr = options.lr === undefined ? optSpec
      : typeof optSpec === 'string' ? { name: optSpec, lr: options.lr } : { ...optSpec, lr: options.lr };
    const opt = resolveOptimizer(withLr, `${where}: optimizer`);
    const epochs = options.epochs ?? 1, batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`${where}: epochs must be a non-negative integer, got ${epochs}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`${where}: batchSize must be a positive integer, got ${batchSize}`);
    const sampling = options.sampling ?? 'epoch';
    if (sampling !== 'epoch' && sampling !== 'random') throw new RangeError(`${where}: sampling must be 'epoch' or 'random', got ${JSON.stringify(sampling)}`);
    const maxSteps = options.maxSteps ?? Infinity;
    if (maxSteps !== Infinity && (!Number.isInteger(maxSteps) || maxSteps < 1)) throw new RangeError(`${where}: maxSteps must be a positive integer, got ${maxSteps}`);
    // cosine's tMax defaults to the run's length (epochs, or maxSteps if sooner), in the schedule's unit
    const perEpoch = Math.ceil(m.rows / Math.min(batchSize, m.rows));
    const runSteps = Math.min(epochs * perEpoch, maxSteps);
    const sched = resolveSchedule(options.schedule, opt.params.lr, `${where}: schedule`, { steps: runSteps, epochs: Math.ceil(runSteps / perEpoch) });
    const target = options.targetLoss;
    if (target !== undefined && (typeof target !== 'number' || Number.isNaN(target))) throw new RangeError(`${where}: targetLoss must be a number, got ${target}`);
    if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean') throw new TypeError(`${where}: shuffle must be true or false, got ${String(options.shuffle)}`);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new RangeError(`${where}: seed must be an integer, got ${options.seed}`);
    const plateau = options.plateau;
    if (plateau !== undefined) {
      checkOptions(plateau, ['patience', 'minDelta'], `${where}: plateau`);
      if (!plateau || !Number.isInteger(plateau.patience) || plateau.patience < 1) throw new RangeError(`${where}: plateau.patience must be a positive integer, got ${plateau?.patience}`);
      const md = plateau.minDelta ?? 0;
      if (typeof md !== 'number' || !(md >= 0) || !Number.isFinite(md)) throw new RangeError(`${where}: plateau.minDelta must be a finite number >= 0, got ${md}`);
    }
    const val = options.validation;
    if (val !== undefined) checkOptions(val, ['x', 'y'], `${where}: validation`);
    if (val) {
      // checked now, not after the first epoch has changed the weights
      const vx = this.checkX(val.x, `${where} (validation)`);
      prepareTargets(val.y, loss.labels, loss.name, this.outputs, vx.rows, `${where} (validation labels)`);
    }
    const before = this.getParameters(); // handed back if the run diverges

    const B = Math.min(batchSize, m.rows);
    this.ensure(B, opt.stateVectors);
    const k = this.kernels, q = this.planPtr >>> 2;
    // fresh optimizer: zero state, t = 0, hyper-parameters in the f64 block
    k.f32().fill(0, this.offs.state >>> 2, (this.offs.state >>> 2) + this.nParams * this.capState);
    k.i32()[q + P.P_OPTIM] = opt.id;
    k.i32()[q + P.P_T] = 0;
    const hp = this.offs.hp >>> 3;
    k.f64().fill(0, hp, hp + 8);
    k.f64().set(opt.hp, hp);

    const rng = new Rng(options.seed ?? this.seed);
    const order = new Int32Array(m.rows);
    for (let r = 0; r < m.rows; r++) order[r] = r;
    const shuffle = options.shuffle ?? true;
    const stepsPerEpoch = perEpoch; // ceil(rows / B)
    const history: EpochInfo[] = [];
    const start = performance.now();
    let step = 0, totalRows = 0, lastRows = 0, lastFrom = 0, stopReason: FitStop = 'epochs', best = Infinity, sinceBest = 0;
    for (let e = 0; e < epochs && stopReason === 'epochs'; e++) {
      const t0 = performance.now();
      if (sampling === 'epoch' && shuffle) rng.shuffle(order);
      let sum = 0, steps = 0, lr = opt.params.lr, rowsSeen = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        // 'epoch': the next B rows of the shuffled order; 'random': B draws with replacement
        const from = sampling === 'epoch' ? s * B : 0;
        const n = sampling === 'epoch' ? Math.min(B, m.rows - from) : B;
        if (sampling === 'random') for (let r = 0; r < B; r++) order[r] = rng.int(m.rows);
        lr = sched.lrAt(sched.per === 'step' ? step : e);
        if (!(lr >= 0) || !Number.isFinite(lr)) {
          throw new RangeError(`${where}: the schedule "${sched.name}" gave learning rate ${lr} at ${sched.per} ${sched.per === 'step' ? step : e}; it must be finite and >= 0`);
        }
        k.f64()[hp] = lr;
        this.setLoss(loss, t, loss.params.reduction);
        this.load(m, t, order, from, n);
        const value = k.trainStep(this.planPtr, n, 1);
        const status = k.i32()[q + P.P_STATUS];
        if (status !== P.STATUS_OK) this.diverged(where, status, value, e + 1, steps + 1, step > 0, lr, before);
        lastRows = n; lastFrom = from;
        sum += value; steps++; step++; rowsSeen += n; totalRows += n;
        if (options.onStep && options.onStep(step, value) === false) { stopReason = 'callback'; break; }
        if (step >= maxSteps) { stopReason = 'max-steps'; break; }
      }
      const seconds = (performance.now() - t0) / 1000;
      const info: EpochInfo = { epoch: e + 1, epochs, loss: sum / Math.max(steps, 1), lr, steps, seconds, samplesPerSecond: rowsSeen / seconds };
      if (val) {
        const r = this.evaluate(val.x, val.y, { loss: { name: loss.name, ...loss.params } });
        info.valLoss = r.loss; info.valError = r.error;
      }
      history.push(info);
      if (options.onEpoch && options.onEpoch(info) === false && stopReason === 'epochs') stopReason = 'callback';
      if (stopReason !== 'epochs') break;
      if (target !== undefined && info.loss <= target) stopReason = 'target-loss';
      else if (plateau) {
        if (info.loss < best - (plateau.minDelta ?? 0)) { best = info.loss; sinceBest = 0; }
        else if (++sinceBest >= plateau.patience) stopReason = 'plateau';
      }
    }
    // the last update has not been through a forward pass yet: check it on its batch
    if (lastRows > 0) {
      this.load(m, t, order, lastFrom, lastRows); // a callback may have loaded other rows
      this.setLoss(loss, t, loss.params.reduction);
      const last = k.evaluate(this.planPtr, lastRows);
      const out = this.layerBufs[this.layerBufs.length - 1].a >>> 2;
      const bad = firstNonFinite(k.f32().subarray(out, out + lastRows * this.outputs));
      const value = bad >= 0 ? k.f32()[out + bad] : last;
      if (!Number.isFinite(value)) this.diverged(where, P.STATUS_BAD_LOSS, value, history.length, -1, true, history.at(-1)?.lr ?? opt.params.lr, before);
    }
    const seconds = (performance.now() - start) / 1000;
    return { history, steps: step, stopReason, seconds, samplesPerSecond: totalRows / seconds };
  }

  // A training step went wrong: put the weights back to the last ones whose
  // loss was finite and throw, naming the epoch and step. BAD_UPDATE: the
  // kernel already restored the weights from before this step. BAD_LOSS: the
  // previous update made the scores overflow; its backup is put back.
  private diverged(where: string, status: number, value: number, epoch: number, step: number,
                   updated: boolean, lr: number, before: Float32Array): never {
    const k = this.kernels, s = this.offs.params >>> 2;
    if (status === P.STATUS_BAD_LOSS && updated) k.f32().copyWithin(s, this.offs.backup >>> 2, (this.offs.backup >>> 2) + this.nParams);
    const at = step < 0 ? `after the last step of epoch ${epoch}` : `at epoch ${epoch}, step ${step}`;
    const what = status === P.STATUS_BAD_UPDATE
      ? `the update made a parameter infinite or NaN ${at}; the weights are those from before that step`
      : `the ${step < 0 ? 'scores' : 'loss'} became ${value} ${at}${updated ? '; the weights are those from before the update that made it overflow' : ''}`;
    const err = new Error(`${where}: ${what} (learning rate ${lr}). error.parametersBeforeFit holds the weights from before fit(). ` +
      'Likely causes: a learning rate too large for this loss and data, inputs or targets with huge values, or extreme activation parameters.');
    (err as Error & { parametersBeforeFit?: Float32Array }).parametersBeforeFit = before;
    throw err;
  }

  // --- one forward/backward pass, visible (the lecture's A[t] and DA[t]) -------------

  /**
   * Runs one forward and backward pass on (x, y) without updating, and returns
   * the loss, the gradient of every parameter (same layout as getParameters),
   * and per layer the pre-activations, activations and dLoss/d(pre-activation).
   */
  backward(x: MatrixLike, y: Labels, options: { loss?: Spec } = {}): {
    loss: number; grads: Float32Array;
    layers: { preactivation: Matrix; activation: Matrix; grad: Matrix }[];
  } {
    const where = 'Mlp.backward';
    this.checkAlive();
    this.notInFit(where);
    const { m, loss, t } = this.lossData(x, y, checkOptions(options, ['loss'], where).loss, where);
    if (!this.trace) { this.trace = true; this.plan(this.capRows, this.capState); }
    this.ensure(m.rows, 1);
    this.setLoss(loss, t, loss.params.reduction);
    this.load(m, t, null, 0, m.rows);
    const value = this.kernels.trainStep(this.planPtr, m.rows, 0);
    if (!Number.isFinite(value)) throw new RangeError(`${where}: the loss is ${value}: the scores overflow f32 (inputs, targets or weights too large)`);
    const f = this.kernels.f32(), g = this.offs.grads >>> 2;
    const bad = firstNonFinite(f.subarray(g, g + this.nParams));
    if (bad >= 0) throw new RangeError(`${where}: the gradient of parameter ${bad} is ${f[g + bad]}: it overflows f32 (inputs, targets or weights too large)`);
    const grab = (ptr: number, cols: number) => ({ data: f.slice(ptr >>> 2, (ptr >>> 2) + m.rows * cols), rows: m.rows, cols });
    return {
      loss: value,
      grads: f.slice(g, g + this.nParams),
      layers: this.layerInfo.map((l, i) => ({
        preactivation: grab(this.layerBufs[i].y, l.nOut),
        activation: grab(this.layerBufs[i].a, l.nOut),
        grad: grab(this.layerBufs[i].dYSave, l.nOut),
      })),
    };
  }

  /**
   * The loss over the whole set and its gradient with respect to every
   * parameter (layout of getParameters), at the current weights: the full-batch
   * gradient of gradient descent, computed in chunks of rows (sums in f64).
   * rrelu layers draw their slopes as in training.
   * @throws Error on bad data or labels, or scores that overflow f32
   */
  gradient(x: MatrixLike, y: Labels, options: { loss?: Spec } = {}): { loss: number; grads: Float64Array } {
    const where = 'Mlp.gradient';
    this.checkAlive();
    this.notInFit(where);
    const { m, loss, t } = this.lossData(x, y, checkOptions(options, ['loss'], where).loss, where);
    return this.fullGradient(m, t, loss, where);
  }

  // The checked inputs of a loss: x against the net, the resolved loss (the
  // net's default when not given) and y as that loss's targets.
  private lossData(x: MatrixLike, y: Labels, spec: Spec | undefined, where: string): { m: Matrix; loss: Resolved & { labels: LabelKind }; t: Targets } {
    const m = this.checkX(x, where);
    const loss = resolveLoss(spec ?? this.defaultLoss(), where);
    return { m, loss, t: prepareTargets(y, loss.labels, loss.name, this.outputs, m.rows, where) };
  }

  // Sum-reduced chunks, then the loss's reduction once: the same value and
  // gradient as one call on all rows, without an arena for all of them.
  private fullGradient(m: Matrix, t: Targets, loss: Resolved, where: string): { loss: number; grads: Float64Array } {
    this.ensure(Math.min(m.rows, DEFAULT_ROWS), 1);
    const k = this.kernels, g0 = this.offs.grads >>> 2;
    const grads = new Float64Array(this.nParams);
    let total = 0;
    for (let from = 0; from < m.rows; from += this.capRows) {
      const n = Math.min(this.capRows, m.rows - from);
      this.setLoss(loss, t, 'sum');
      this.load(m, t, null, from, n);
      total += k.trainStep(this.planPtr, n, 0);
      const f = k.f32();
      for (let i = 0; i < this.nParams; i++) grads[i] += f[g0 + i];
    }
    if (!Number.isFinite(total)) throw new RangeError(`${where}: the loss is ${total}: the scores overflow f32 (inputs, targets or weights too large)`);
    const bad = firstNonFinite(grads);
    if (bad >= 0) throw new RangeError(`${where}: the gradient of parameter ${bad} is ${grads[bad]}: it overflows f32 (inputs, targets or weights too large)`);
    const scale = this.reductionScale(loss, m.rows);
    if (scale !== 1) for (let i = 0; i < this.nParams; i++) grads[i] *= scale;
    return { loss: total * scale, grads };
  }

  /**
   * Full-batch gradient descent with the lecture's backtracking line search on
   * the training loss F(u) (u = every parameter): lambda = 1, halved while
   * F(u - lambda grad F) >= F(u). Trial points are rounded to f32, the
   * parameters' type. The net keeps the final parameters.
   * @example
   *   const r = net.fitLineSearch(x, y, { loss: 'logistic', maxIter: 50, tol: 1e-5 });
   *   r.trajectory.map((s) => [s.f, s.lambda, s.gradNorm]);
   * @returns lineSearchDescent's result (u as f64 copies of the parameters)
   */
  fitLineSearch(x: MatrixLike, y: Labels, options: { loss?: Spec } & LineSearchOptions = {}): LineSearchResult {
    const where = 'Mlp.fitLineSearch';
    this.checkAlive();
    this.notInFit(where);
    options = checkOptions(options, ['loss', 'maxIter', 'tol', 'maxHalvings', 'onIteration', 'keepU'], where);
    const { m, loss, t } = this.lossData(x, y, options.loss, where);
    if (this.layerInfo.some((l) => l.act.name === 'rrelu')) {
      throw new Error(`${where}: rrelu draws random slopes while training, so the gradient would not be that of the loss ` +
        'the line search compares; use leaky_relu with its mean slope');
    }
    const p32 = new Float32Array(this.nParams);
    const at = (u: Float64Array) => {
      this.checkAlive();
      for (let i = 0; i < u.length; i++) p32[i] = u[i];
      // a trial point that overflows f32 is a step too long: F = Infinity
      for (let i = 0; i < u.length; i++) if (!Number.isFinite(p32[i])) return false;
      this.kernels.f32().set(p32, this.offs.params >>> 2);
      return true;
    };
    const F = (u: Float64Array) => (at(u) ? this.lossSum(m, t, loss).total * this.reductionScale(loss, m.rows) : Infinity);
    const grad = (u: Float64Array) => { at(u); return this.fullGradient(m, t, loss, where).grads; };
    this.ensure(Math.min(m.rows, DEFAULT_ROWS), 1);
    const u0 = Float64Array.from(this.getParameters());
    // F(u0) once here, for a message about the net rather than the objective
    let first = true;
    const f0 = F(u0);
    if (!Number.isFinite(f0)) throw new RangeError(`${where}: the loss at the starting weights is ${f0}: the scores overflow f32 (inputs, targets or weights too large)`);
    const F0 = (u: Float64Array) => (first ? ((first = false), f0) : F(u));
    // a net's u is every parameter: the trajectory keeps F, lambda and |grad F| unless keepU is asked for
    const { loss: _loss, ...search } = options;
    // the callbacks may read the net, not free, re-plan or retrain it (as in fit)
    this.fitting = true;
    try {
      const r = lineSearchDescent(F0, grad, u0, { keepU: false, ...search });
      at(r.u);
      return r;
    } finally {
      this.fitting = false;
    }
  }

  /**
   * The architecture as plain data: every layer's sizes and resolved
   * activation spec (name and every parameter), the seed and the init rule.
   * `new Mlp(net.config())` builds the same net with the same initial weights.
   */
  config(): { layers: { in: number; out: number; activation: { name: string } & Record<string, unknown> }[];
              seed: number; init: 'auto' | 'he' | 'glorot' } {
    this.checkAlive();
    return {
      layers: this.layerInfo.map((l) => ({ in: l.nIn, out: l.nOut, activation: { name: l.act.name, ...l.act.params } })),
      seed: this.seed, init: this.initMode,
    };
  }

  /** The resolved loss spec this net uses by default or for `spec`, for tools such as gradCheck. */
  resolveLoss(spec?: Spec): Resolved & { labels: LabelKind } {
    return resolveLoss(spec ?? this.defaultLoss(), 'Mlp.resolveLoss');
  }
}
