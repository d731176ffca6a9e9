// The names users type (PyTorch's functional names, snake_case) and the small
// integer ids the kernels switch on. The ids must match assembly/activations.ts,
// assembly/losses.ts and assembly/optim.ts. Parameters are PyTorch's in
// camelCase with PyTorch's defaults; every spec is resolved and checked here,
// before any kernel runs.

/** A name, or `{ name, ...params }`. */
export type Spec = string | ({ name: string } & Record<string, unknown>);

interface ParamDef {
  name: string;
  default: unknown;
  doc: string;
  /** returns an error text, or null if the value is acceptable */
  check: (v: unknown, all: Record<string, unknown>) => string | null;
}

// Numbers reach the kernels as f32 (or f64): finite must mean finite in f32.
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(Math.fround(v));
const num = (pred: (x: number) => boolean, what: string) => (v: unknown) =>
  isNum(v) && pred(v) ? null : `must be ${what}`;
const anyNum = num(() => true, 'a finite number');
const nonNeg = num((x) => x >= 0, 'a finite number >= 0');
const pos = num((x) => Math.fround(x) > 0, 'a finite number > 0 (in f32)');
const unitClosed = num((x) => x >= 0 && x <= 1, 'in [0, 1]');
const bool = (v: unknown) => (typeof v === 'boolean' ? null : 'must be true or false');
const oneOf = (...xs: unknown[]) => (v: unknown) =>
  xs.includes(v) ? null : `must be one of ${xs.map((x) => JSON.stringify(x)).join(', ')}`;

function p(name: string, dflt: unknown, check: ParamDef['check'], doc = ''): ParamDef {
  return { name, default: dflt, check, doc };
}

/** A resolved spec: the canonical name, its id and every parameter filled in. */
export interface Resolved {
  name: string;
  id: number;
  params: Record<string, any>;
}

interface Entry {
  id: number;
  params: ParamDef[];
  doc: string;
}

// --- activations -----------------------------------------------------------

export const ACTIVATIONS: Record<string, Entry> = {
  identity: { id: 0, params: [], doc: 'x' },
  relu: { id: 1, params: [], doc: 'max(x, 0); relu\'(0) = 0' },
  tanh: { id: 2, params: [], doc: 'tanh(x)' },
  sigmoid: { id: 3, params: [], doc: '1 / (1 + e^-x)' },
  elu: { id: 4, params: [p('alpha', 1, anyNum)], doc: 'x if x > 0 else alpha (e^x - 1)' },
  leaky_relu: { id: 5, params: [p('negativeSlope', 0.01, anyNum)], doc: 'x if x > 0 else negativeSlope x' },
  atan: { id: 6, params: [], doc: 'arctan(x), the lecture\'s arctan' },
  hardsigmoid: { id: 7, params: [], doc: 'relu6(x + 3) / 6' },
  hardtanh: {
    id: 8,
    params: [
      p('minVal', -1, anyNum),
      p('maxVal', 1, (v, all) => (isNum(v) && v > (all.minVal as number) ? null : 'must be a finite number > minVal')),
    ],
    doc: 'clamp(x, minVal, maxVal)',
  },
  prelu: {
    id: 9,
    params: [
      p('init', 0.25, anyNum, 'initial slope'),
      p('numParameters', 1, (v) => (v === 1 || v === 'per_unit' ? null : 'must be 1 or "per_unit"'), '1 slope per layer, or "per_unit"'),
      p('weight', 0.25, anyNum, 'functional form only: the slope'),
    ],
    doc: 'x if x > 0 else a x, with a learnable slope a (one per layer or one per unit)',
  },
  relu6: { id: 10, params: [], doc: 'min(max(x, 0), 6)' },
  rrelu: {
    id: 11,
    params: [
      p('lower', 1 / 8, anyNum),
      p('upper', 1 / 3, (v, all) => (isNum(v) && v >= (all.lower as number) ? null : 'must be a finite number >= lower')),
      p('training', false, bool, 'functional form only: random slopes (true) or the mean slope'),
    ],
    doc: 'x if x > 0 else r x, r ~ U(lower, upper) while training, (lower + upper)/2 in evaluation',
  },
  celu: { id: 12, params: [p('alpha', 1, num((x) => x !== 0, 'a finite non-zero number'))], doc: 'max(0, x) + min(0, alpha (e^(x/alpha) - 1))' },
  selu: { id: 13, params: [], doc: 'scale (x if x > 0 else alpha (e^x - 1)), alpha = 1.6733, scale = 1.0507' },
  gelu: { id: 14, params: [p('approximate', 'none', oneOf('none', 'tanh'))], doc: 'x Phi(x) (erf form) or its tanh approximation' },
  hardshrink: { id: 15, params: [p('lambda', 0.5, nonNeg)], doc: 'x if |x| > lambda else 0' },
  softshrink: { id: 16, params: [p('lambda', 0.5, nonNeg)], doc: 'x - lambda sign(x) if |x| > lambda else 0' },
  logsigmoid: { id: 17, params: [], doc: 'log(sigmoid(x)), stable for large |x|' },
  softsign: { id: 18, params: [], doc: 'x / (1 + |x|)' },
  tanhshrink: { id: 19, params: [], doc: 'x - tanh(x)' },
  softplus: { id: 20, params: [p('beta', 1, pos), p('threshold', 20, anyNum)], doc: 'log(1 + e^(beta x)) / beta; x where beta x > threshold' },
  silu: { id: 21, params: [], doc: 'x sigmoid(x)' },
  mish: { id: 22, params: [], doc: 'x tanh(softplus(x))' },
  hardswish: { id: 23, params: [], doc: 'x relu6(x + 3) / 6' },
  hard_atan: { id: 24, params: [], doc: 'the lecture\'s "hard arctan", read as clamp(x, -pi/2, pi/2): arctan\'s range, slope 1 inside' },
};

// --- losses -------------------------------------------------------------------

/** What the labels of a loss look like. */
export type LabelKind = 'pm1' | 'class' | 'real' | 'prob';

interface LossEntry extends Entry {
  labels: LabelKind;
  /** the default reduction: 'sum' for the lecture's losses, 'mean' for PyTorch's */
  reduction: 'sum' | 'mean';
}

const reductionParam = (dflt: string) => p('reduction', dflt, oneOf('sum', 'mean'));

export const LOSSES: Record<string, LossEntry> = {
  mse: { id: 0, labels: 'real', reduction: 'mean', params: [reductionParam('mean')], doc: '(f - t)^2 per output; class indices become one-hot targets' },
  hinge: { id: 1, labels: 'pm1', reduction: 'sum', params: [reductionParam('sum')], doc: 'relu(1 - y f), y = ±1: the lecture\'s loss' },
  cross_entropy: { id: 2, labels: 'class', reduction: 'mean', params: [reductionParam('mean')], doc: 'softmax cross-entropy on logits, class indices' },
  squared_hinge: { id: 3, labels: 'pm1', reduction: 'sum', params: [reductionParam('sum')], doc: 'relu(1 - y f)^2' },
  logistic: { id: 4, labels: 'pm1', reduction: 'sum', params: [reductionParam('sum')], doc: 'log(1 + e^(-y f)), stable' },
  bce_with_logits: { id: 5, labels: 'prob', reduction: 'mean', params: [reductionParam('mean')], doc: 'binary cross-entropy on logits, targets in [0, 1]' },
  multi_margin: {
    id: 6, labels: 'class', reduction: 'mean',
    params: [p('p', 1, oneOf(1, 2)), p('margin', 1, anyNum), reductionParam('mean')],
    doc: 'PyTorch\'s MultiMarginLoss: sum_{j != y} max(0, margin - f_y + f_j)^p / C',
  },
  multiclass_hinge_weston_watkins: {
    id: 7, labels: 'class', reduction: 'mean', params: [reductionParam('mean')],
    doc: 'sum_{j != y} relu(1 + f_j - f_y)',
  },
  multiclass_hinge_crammer_singer: {
    id: 8, labels: 'class', reduction: 'mean', params: [reductionParam('mean')],
    doc: 'relu(1 + max_{j != y} f_j - f_y)',
  },
};

// --- optimizers ---------------------------------------------------------------

const betas = p('betas', [0.9, 0.999], (v) =>
  Array.isArray(v) && v.length === 2 && v.every((b) => isNum(b) && b >= 0 && b < 1) ? null : 'must be a pair [beta1, beta2], each in [0, 1)');

interface OptimEntry extends Entry {
  /** state vectors of the parameter vector's size */
  stateVectors: number;
  /** the f64 hyper-parameter block, in the kernel's order */
  hp: (q: Record<string, any>) => number[];
}

export const OPTIMIZERS: Record<string, OptimEntry> = {
  sgd: {
    id: 0, stateVectors: 1,
    params: [
      p('lr', 1e-3, pos), p('momentum', 0, nonNeg), p('dampening', 0, anyNum),
      p('nesterov', false, (v, all) => bool(v) ?? (v && !((all.momentum as number) > 0 && all.dampening === 0)
        ? 'requires momentum > 0 and dampening = 0' : null)),
      p('weightDecay', 0, nonNeg),
    ],
    hp: (q) => [q.lr, q.momentum, q.dampening, q.nesterov ? 1 : 0, q.weightDecay],
    doc: 'w -= lr g, with optional momentum, dampening, Nesterov and weight decay',
  },
  adagrad: {
    id: 1, stateVectors: 1,
    params: [p('lr', 1e-2, pos), p('lrDecay', 0, nonNeg), p('weightDecay', 0, nonNeg),
      p('initialAccumulatorValue', 0, nonNeg), p('eps', 1e-10, pos)],
    hp: (q) => [q.lr, q.lrDecay, q.weightDecay, q.initialAccumulatorValue, q.eps],
    doc: 'per-coordinate steps lr / sqrt(sum g^2)',
  },
  adadelta: {
    id: 2, stateVectors: 2,
    params: [p('lr', 1.0, pos), p('rho', 0.9, unitClosed), p('eps', 1e-6, pos), p('weightDecay', 0, nonNeg)],
    hp: (q) => [q.lr, q.rho, q.eps, q.weightDecay],
    doc: 'steps scaled by running averages of g^2 and of past steps^2',
  },
  rmsprop: {
    id: 3, stateVectors: 3,
    params: [p('lr', 1e-2, pos), p('alpha', 0.99, unitClosed), p('eps', 1e-8, pos), p('weightDecay', 0, nonNeg),
      p('momentum', 0, nonNeg), p('centered', false, bool)],
    hp: (q) => [q.lr, q.alpha, q.eps, q.weightDecay, q.momentum, q.centered ? 1 : 0],
    doc: 'g / sqrt(running average of g^2)',
  },
  adam: {
    id: 4, stateVectors: 3,
    params: [p('lr', 1e-3, pos), betas, p('eps', 1e-8, pos), p('weightDecay', 0, nonNeg), p('amsgrad', false, bool)],
    hp: (q) => [q.lr, q.betas[0], q.betas[1], q.eps, q.weightDecay, q.amsgrad ? 1 : 0],
    doc: 'bias-corrected first and second moments',
  },
  adamw: {
    id: 5, stateVectors: 3,
    params: [p('lr', 1e-3, pos), betas, p('eps', 1e-8, pos), p('weightDecay', 1e-2, nonNeg), p('amsgrad', false, bool)],
    hp: (q) => [q.lr, q.betas[0], q.betas[1], q.eps, q.weightDecay, q.amsgrad ? 1 : 0],
    doc: 'Adam with decoupled weight decay',
  },
};

/** A value as users typed it: NaN stays NaN (JSON.stringify would say null). */
function show(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v) ?? String(v);
}

function resolveIn(table: Record<string, Entry>, kind: string, spec: Spec, where: string): Resolved {
  const name = typeof spec === 'string' ? spec : spec && typeof spec === 'object' ? spec.name : undefined;
  if (typeof name !== 'string' || !Object.hasOwn(table, name)) {
    const what = typeof name === 'string' ? JSON.stringify(name) : `(a ${kind} is a name or { name, ...params }, got ${show(spec)})`;
    throw new Error(`${where}: unknown ${kind} ${what}; accepted: ${Object.keys(table).join(', ')}`);
  }
  const entry = table[name];
  const given: Record<string, unknown> = typeof spec === 'string' ? {} : { ...spec };
  // (spec is an object here: a string, or an object with a known name)
  delete given.name;
  const known = entry.params.map((q) => q.name);
  for (const k of Object.keys(given)) {
    if (!known.includes(k)) {
      throw new Error(`${where}: ${kind} "${name}" has no parameter "${k}"; its parameters: ${known.join(', ') || '(none)'}`);
    }
  }
  const params: Record<string, any> = {};
  for (const q of entry.params) params[q.name] = q.name in given ? given[q.name] : q.default;
  for (const q of entry.params) {
    const err = q.check(params[q.name], params);
    if (err) throw new RangeError(`${where}: ${kind} "${name}" parameter ${q.name}=${show(params[q.name])} ${err}`);
  }
  return { name, id: entry.id, params };
}

/** Resolves an activation spec (name or `{ name, ...params }`), filling in PyTorch's defaults.
 *  @throws Error listing the accepted names or parameters when the spec is wrong. */
export function resolveActivation(spec: Spec, where = 'activation'): Resolved {
  return resolveIn(ACTIVATIONS, 'activation', spec, where);
}

/** Resolves a loss spec. @throws Error listing the accepted names. */
export function resolveLoss(spec: Spec, where = 'loss'): Resolved & { labels: LabelKind } {
  const r = resolveIn(LOSSES, 'loss', spec, where);
  return { ...r, labels: LOSSES[r.name].labels };
}

/** Resolves an optimizer spec. @throws Error listing the accepted names. */
export function resolveOptimizer(spec: Spec, where = 'optimizer'): Resolved & { stateVectors: number; hp: number[] } {
  const r = resolveIn(OPTIMIZERS, 'optimizer', spec, where);
  const e = OPTIMIZERS[r.name];
  return { ...r, stateVectors: e.stateVectors, hp: e.hp(r.params) };
}

/** The two f32 kernel parameters (p0, p1) of a resolved activation. */
export function activationKernelParams(r: Resolved): [number, number] {
  const q = r.params;
  switch (r.name) {
    case 'elu': case 'celu': return [q.alpha, 0];
    case 'leaky_relu': return [q.negativeSlope, 0];
    case 'hardtanh': return [q.minVal, q.maxVal];
    case 'prelu': return [q.weight, 0];
    case 'rrelu': return [q.lower, q.upper];
    case 'gelu': return [q.approximate === 'tanh' ? 1 : 0, 0];
    case 'hardshrink': case 'softshrink': return [q.lambda, 0];
    case 'softplus': return [q.beta, q.threshold];
    default: return [0, 0];
  }
}

/** Every name with its parameters and defaults, for `neurone list` and docs. */
export function catalogue(): Record<string, { name: string; params: Record<string, unknown>; doc: string }[]> {
  const list = (t: Record<string, Entry>) => Object.entries(t).map(([name, e]) => ({
    name, doc: e.doc, params: Object.fromEntries(e.params.map((q) => [q.name, q.default])),
  }));
  return { activations: list(ACTIVATIONS), losses: list(LOSSES), optimizers: list(OPTIMIZERS) };
}
