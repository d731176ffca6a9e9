// Learning-rate policies lambda(t), counted per step or per epoch (t from 0).
// Names and parameters follow torch.optim.lr_scheduler where one exists.
import type { Spec } from './ids.js';

/** A resolved schedule: the learning rate at count t (steps or epochs). */
export interface Schedule {
  name: string;
  per: 'step' | 'epoch';
  params: Record<string, number | string>;
  lrAt(t: number): number;
}

const SCHEDULES: Record<string, { params: Record<string, number | string | null>; doc: string }> = {
  constant: { params: {}, doc: 'lr' },
  step: { params: { stepSize: null, gamma: 0.1 }, doc: 'lr * gamma^floor(t / stepSize)' },
  exponential: { params: { gamma: null }, doc: 'lr * gamma^t' },
  inverse_time: { params: { a: null, b: 1 }, doc: 'a / (b + t), a = lr*b unless given: sum = inf, sum of squares < inf' },
  cosine: { params: { tMax: null, etaMin: 0 }, doc: 'etaMin + (lr - etaMin)(1 + cos(pi t / tMax)) / 2, then etaMin; tMax defaults to the run\'s length in fit()' },
  linear_warmup: { params: { warmup: 5, startFactor: 1 / 3 }, doc: 'lr * (startFactor + (1 - startFactor) min(t, warmup) / warmup)' },
};

/** Parameters without a fixed default that are derived, shown by `neurone list` as these words. */
export const DERIVED: Readonly<Record<string, string>> = { 'cosine.tMax': "the run's length", 'inverse_time.a': 'lr*b' };

/** Every schedule with its parameters (null = required, or a DERIVED text), for `neurone list`. */
export function scheduleCatalogue() {
  return Object.entries(SCHEDULES).map(([name, s]) => ({
    name, doc: s.doc,
    params: { per: 'step', ...Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, v ?? DERIVED[`${name}.${k}`] ?? null])) },
  }));
}

/**
 * Resolves a schedule spec against a base learning rate; `run` (the run's
 * length) gives cosine's default tMax.
 * @throws Error listing the accepted names, or naming a missing or bad parameter.
 */
export function resolveSchedule(spec: Spec | Schedule | undefined, lr: number, where = 'schedule',
                                run?: { steps: number; epochs: number }): Schedule {
  if (spec === undefined || spec === null) spec = 'constant';
  if (typeof spec !== 'string' && typeof spec !== 'object') throw new Error(`${where}: expected a schedule name or { name, ...params }, got ${typeof spec}`);
  if (typeof spec === 'object' && typeof (spec as Schedule).lrAt === 'function') {
    // a schedule object of the user's own: per says how t counts
    const per = (spec as Schedule).per ?? 'step';
    if (per !== 'step' && per !== 'epoch') throw new RangeError(`${where}: a custom schedule's per must be 'step' or 'epoch', got ${JSON.stringify(per)}`);
    return { name: (spec as Schedule).name ?? 'custom', params: (spec as Schedule).params ?? {}, per, lrAt: (t) => (spec as Schedule).lrAt(t) };
  }
  const name = typeof spec === 'string' ? spec : (spec as { name: string }).name;
  const def = typeof name === 'string' && Object.hasOwn(SCHEDULES, name) ? SCHEDULES[name] : undefined;
  if (!def) throw new Error(`${where}: unknown schedule ${JSON.stringify(name)}; accepted: ${Object.keys(SCHEDULES).join(', ')}`);
  const given: Record<string, unknown> = typeof spec === 'string' ? {} : { ...(spec as object) };
  delete given.name;
  const per = (given.per ?? 'step') as 'step' | 'epoch';
  delete given.per;
  if (per !== 'step' && per !== 'epoch') throw new RangeError(`${where}: per must be 'step' or 'epoch', got ${JSON.stringify(per)}`);
  const q: Record<string, number> = {};
  for (const k of Object.keys(given)) {
    if (!(k in def.params)) throw new Error(`${where}: schedule "${name}" has no parameter "${k}"; its parameters: per, ${Object.keys(def.params).join(', ')}`);
  }
  for (const [k, d] of Object.entries(def.params)) {
    // a cosine over the whole run unless told otherwise (at least one step or epoch)
    const runLength = run && name === 'cosine' && k === 'tMax' ? Math.max(1, per === 'step' ? run.steps : run.epochs) : null;
    const v = k in given ? given[k] : d ?? runLength;
    if (v === null && !(name === 'inverse_time' && k === 'a')) throw new Error(`${where}: schedule "${name}" needs the parameter "${k}"`);
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(Math.fround(v)))) throw new RangeError(`${where}: schedule "${name}" parameter ${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)} must be a finite number`);
    if (v !== null) q[k] = v as number;
  }
  const positive = (k: string) => { if (!(q[k] > 0)) throw new RangeError(`${where}: schedule "${name}" parameter ${k}=${q[k]} must be > 0`); };
  const inUnit = (k: string) => { if (!(q[k] > 0 && q[k] <= 1)) throw new RangeError(`${where}: schedule "${name}" parameter ${k}=${q[k]} must be in (0, 1]`); };
  let lrAt: (t: number) => number;
  switch (name) {
    case 'constant': lrAt = () => lr; break;
    case 'step': positive('stepSize'); positive('gamma'); lrAt = (t) => lr * Math.pow(q.gamma, Math.floor(t / q.stepSize)); break;
    case 'exponential': positive('gamma'); lrAt = (t) => lr * Math.pow(q.gamma, t); break;
    case 'inverse_time': {
      positive('b');
      if (q.a !== undefined) positive('a');
      const a = q.a ?? lr * q.b;
      q.a = a;
      lrAt = (t) => a / (q.b + t);
      break;
    }
    case 'cosine':
      positive('tMax');
      if (!(q.etaMin >= 0 && q.etaMin <= lr)) throw new RangeError(`${where}: schedule "cosine" parameter etaMin=${q.etaMin} must be in [0, lr=${lr}]`);
      lrAt = (t) => t >= q.tMax ? q.etaMin : q.etaMin + (lr - q.etaMin) * (1 + Math.cos(Math.PI * t / q.tMax)) / 2; break;
    default: positive('warmup'); inUnit('startFactor'); lrAt = (t) => lr * (q.startFactor + (1 - q.startFactor) * Math.min(t, q.warmup) / q.warmup);
  }
  return { name, per, params: q, lrAt };
}
