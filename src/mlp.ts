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
import { getKernels, type Kernels } from './backend/index.js';
import { resolveActivation, resolveLoss, resolveOptimizer, activationKernelParams,
         type Resolved, type Spec } from './ids.js';
import { toMatrix, firstNonFinite, type Labels, type Matrix, type MatrixLike } from './matrix.js';
import { prepareTargets, type Targets } from './targets.js';
import { resolveSchedule, type Schedule } from './schedules.js';
import { Rng } from './rng.js';
import * as P from './plan-words.js';

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
  /** evaluated after each epoch */
  validation?: { x: MatrixLike; y: Labels };
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** called after every step with (step, loss); return false to stop */
  onStep?: (step: number, loss: number) => void | boolean;
}

/** Result of {@link Mlp.fit}. */
export interface FitResult {
  history: EpochInfo[];
  steps: number;
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

const HE_FAMILY = new Set(['relu', 'leaky_relu', 'prelu', 'rrelu', 'relu6', 'elu', 'celu', 'selu', 'gelu', 'silu', 'mish', 'hardswish']);
const DEFAULT_ROWS = 256;

const registry = typeof FinalizationRegistry === 'undefined' ? null
  : new FinalizationRegistry<{ k: Kernels; ptr: number }>(({ k, ptr }) => k.free(ptr));

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
  private readonly token = {};

  /** @throws Error on bad sizes, unknown activations, or a wasm backend that is not loaded. */
  constructor(options: MlpOptions) {
    const where = 'new Mlp';
    if (!options || typeof options !== 'object') throw new Error(`${where}: expected an options object such as { sizes: [784, 128, 10] }`);
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
    this.initWeights(options.init ?? 'auto');
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
    const oldParams = this.arena ? k.f32().slice(this.offs.params >> 2, (this.offs.params >> 2) + Pn) : null;
    const oldRng = this.arena ? k.u32().slice((this.planPtr >> 2) + P.P_RNG, (this.planPtr >> 2) + P.P_RNG + 4) : null;
    const oldT = this.arena ? k.i32()[(this.planPtr >> 2) + P.P_T] : 0;
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
    const w = k.i32(), f = k.f32(), q = o.plan >> 2;
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
    if (oldParams) f.set(oldParams, o.params >> 2);
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
    const f = this.kernels.f32(), base = this.offs.params >> 2;
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

  /** Frees the model's backend memory; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    registry?.unregister(this.token);
    this.kernels.free(this.arena);
    this.disposed = true;
  }

  // --- parameters ---------------------------------------------------------------------

  /** A copy of all parameters as one flat vector (layer by layer: W, bias, slopes). */
  getParameters(): Float32Array {
    this.checkAlive();
    const s = this.offs.params >> 2;
    return this.kernels.f32().slice(s, s + this.nParams);
  }

  /** Replaces all parameters from one flat vector. @throws on a length mismatch or non-finite values. */
  setParameters(p: ArrayLike<number>): void {
    this.checkAlive();
    if (!p || p.length !== this.nParams) throw new Error(`Mlp.setParameters: expected ${this.nParams} values, got ${p?.length}`);
    for (let k = 0; k < p.length; k++) {
      if (typeof p[k] !== 'number' || !Number.isFinite(Math.fround(p[k]))) throw new Error(`Mlp.setParameters: value ${k} is ${p[k]}; values must be finite in f32`);
    }
    this.kernels.f32().set(p, this.offs.params >> 2);
  }

  /** Layer l's weights (nOut, nIn) as PyTorch's nn.Linear.weight, its bias, and prelu slopes (copies). */
  getLayer(l: number): { weight: Matrix; bias: Float32Array; slope?: Float32Array; activation: string } {
    const L = this.layer(l, 'Mlp.getLayer');
    const f = this.kernels.f32(), s = this.offs.params >> 2;
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
    const f = this.kernels.f32(), s = this.offs.params >> 2;
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
    const f = this.kernels.f32(), D = x.cols, xo = this.offs.x >> 2, to = this.offs.target >> 2;
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
    const w = this.kernels.i32(), f = this.kernels.f32(), q = this.planPtr >> 2;
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
    const last = this.layerBufs[this.layerBufs.length - 1].a >> 2;
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
    options = options ?? {};
    const m = this.checkX(x, where);
    const loss = resolveLoss(options.loss ?? this.defaultLoss(), where);
    const t = prepareTargets(y, loss.labels, loss.name, this.outputs, m.rows, where);
    this.ensure(Math.min(m.rows, DEFAULT_ROWS), 1);
    // sums per chunk, the reduction applied once at the end
    this.setLoss(loss, t, 'sum');
    let total = 0, errors = 0;
    for (let from = 0; from < m.rows; from += this.capRows) {
      const n = Math.min(this.capRows, m.rows - from);
      this.load(m, t, null, from, n);
      total += this.kernels.evaluate(this.planPtr, n);
      errors += this.kernels.i32()[(this.planPtr >> 2) + P.P_ERRORS];
    }
    if (!Number.isFinite(total)) {
      throw new RangeError(`${where}: the loss is ${total}: the scores overflow f32 (inputs, targets or weights too large)`);
    }
    const elementwise = loss.name === 'mse' || loss.name === 'bce_with_logits';
    const mean = loss.params.reduction === 'mean';
    const value = mean ? total / (elementwise ? m.rows * this.outputs : m.rows) : total;
    const errRows = t.errorKind === 3 ? m.rows * t.width : m.rows;
    return { loss: value, error: errors / errRows, rows: m.rows };
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
    const where = 'Mlp.fit';
    options = options ?? {};
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
    const sched = resolveSchedule(options.schedule, opt.params.lr, `${where}: schedule`);
    const val = options.validation;
    if (val) {
      // checked now, not after the first epoch has changed the weights
      const vx = this.checkX(val.x, `${where} (validation)`);
      prepareTargets(val.y, loss.labels, loss.name, this.outputs, vx.rows, `${where} (validation labels)`);
    }
    const before = this.getParameters(); // handed back if the run diverges

    const B = Math.min(batchSize, m.rows);
    this.ensure(B, opt.stateVectors);
    const k = this.kernels, q = this.planPtr >> 2;
    // fresh optimizer: zero state, t = 0, hyper-parameters in the f64 block
    k.f32().fill(0, this.offs.state >> 2, (this.offs.state >> 2) + this.nParams * this.capState);
    k.i32()[q + P.P_OPTIM] = opt.id;
    k.i32()[q + P.P_T] = 0;
    const hp = this.offs.hp >> 3;
    k.f64().fill(0, hp, hp + 8);
    k.f64().set(opt.hp, hp);

    const rng = new Rng(options.seed ?? this.seed);
    const order = new Int32Array(m.rows);
    for (let r = 0; r < m.rows; r++) order[r] = r;
    const shuffle = options.shuffle ?? true;
    const history: EpochInfo[] = [];
    const start = performance.now();
    let step = 0, stop = false;
    for (let e = 0; e < epochs && !stop; e++) {
      const t0 = performance.now();
      if (shuffle) rng.shuffle(order);
      let sum = 0, steps = 0, lr = opt.params.lr;
      for (let from = 0; from < m.rows; from += B) {
        const n = Math.min(B, m.rows - from);
        lr = sched.lrAt(sched.per === 'step' ? step : e);
        if (!(lr >= 0) || !Number.isFinite(lr)) {
          throw new RangeError(`${where}: the schedule "${sched.name}" gave learning rate ${lr} at ${sched.per} ${sched.per === 'step' ? step : e}; it must be finite and >= 0`);
        }
        k.f64()[hp] = lr;
        this.setLoss(loss, t, loss.params.reduction);
        this.load(m, t, order, from, n);
        const value = k.trainStep(this.planPtr, n, 1);
        const status = k.i32()[q + P.P_STATUS];
        if (status !== P.STATUS_OK) {
          const what = status === P.STATUS_BAD_LOSS ? `the loss became ${value}` : 'the update made a parameter infinite or NaN';
          const err = new Error(`${where}: ${what} at epoch ${e + 1}, step ${steps + 1} (learning rate ${lr}); ` +
            'the weights are those from before that step, and error.parametersBeforeFit holds those from before fit(). ' +
            'Try a smaller learning rate, or check the inputs and targets for huge values.');
          (err as Error & { parametersBeforeFit?: Float32Array }).parametersBeforeFit = before;
          throw err;
        }
        sum += value; steps++; step++;
        if (options.onStep && options.onStep(step, value) === false) { stop = true; break; }
      }
      const seconds = (performance.now() - t0) / 1000;
      const info: EpochInfo = { epoch: e + 1, epochs, loss: sum / Math.max(steps, 1), lr, steps, seconds, samplesPerSecond: Math.min(m.rows, steps * B) / seconds };
      if (val) {
        const r = this.evaluate(val.x, val.y, { loss: { name: loss.name, ...loss.params } });
        info.valLoss = r.loss; info.valError = r.error;
      }
      history.push(info);
      if (options.onEpoch && options.onEpoch(info) === false) stop = true;
    }
    const seconds = (performance.now() - start) / 1000;
    const samples = history.reduce((a, h) => a + h.steps, 0) * B;
    return { history, steps: step, seconds, samplesPerSecond: Math.min(samples, m.rows * history.length) / seconds };
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
    const m = this.checkX(x, where);
    const loss = resolveLoss(options.loss ?? this.defaultLoss(), where);
    const t = prepareTargets(y, loss.labels, loss.name, this.outputs, m.rows, where);
    if (!this.trace) { this.trace = true; this.plan(this.capRows, this.capState); }
    this.ensure(m.rows, 1);
    this.setLoss(loss, t, loss.params.reduction);
    this.load(m, t, null, 0, m.rows);
    const value = this.kernels.trainStep(this.planPtr, m.rows, 0);
    if (!Number.isFinite(value)) throw new RangeError(`${where}: the loss is ${value}: the scores overflow f32 (inputs, targets or weights too large)`);
    const f = this.kernels.f32(), g = this.offs.grads >> 2;
    const grab = (ptr: number, cols: number) => ({ data: f.slice(ptr >> 2, (ptr >> 2) + m.rows * cols), rows: m.rows, cols });
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
}
