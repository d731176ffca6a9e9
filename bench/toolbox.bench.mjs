// The toolbox kernels of issue 4, wasm against the plain-JS twin, in one run:
//   1. one optimizer step (each optimizer) on a vector of 1M parameters
//   2. each activation's forward pass, and its backward pass, on 1M values
// Validate first: both backends must agree on a slice of every case.
import { loadWasm, defaultWasmUrl } from '../dist/backend/wasm.js';
import { JsKernels } from '../dist/backend/js/kernels.js';
import { ACTIVATIONS, OPTIMIZERS, resolveActivation, resolveOptimizer, Rng } from '../dist/index.js';
import { activationKernelParams } from '../dist/ids.js';
import { measure, table, fmt, pm } from './lib.mjs';

export const title = 'Optimizer steps and activation passes (issue 4)';

const N = 1 << 20; // 1,048,576 values

// One arena per backend: params/y, grads/dA, a, dY, state (3 vectors), hp.
function arena(k) {
  const p = k.alloc(4 * N), g = k.alloc(4 * N), a = k.alloc(4 * N), d = k.alloc(4 * N);
  const state = k.alloc(3 * 4 * N), hp = k.alloc(64);
  return { p, g, a, d, state, hp };
}

// The same start on every backend: seeded params and grads, zero state.
function reset(k, m) {
  const r = new Rng(7), f = k.f32();
  for (let i = 0; i < N; i++) { f[(m.p >> 2) + i] = r.range(-4, 4); f[(m.g >> 2) + i] = r.range(-1, 1); }
  f.fill(0, m.state >> 2, (m.state >> 2) + 3 * N);
}

function close(x, y) { return Math.abs(x - y) <= 1e-5 * Math.max(1, Math.abs(y)); }

export async function run({ log }) {
  const wasm = await loadWasm(defaultWasmUrl(false), false);
  const js = new JsKernels();
  const backends = [['wasm', wasm], ['js', js]];
  const mem = new Map(backends.map(([n, k]) => [n, arena(k)]));

  // 1. optimizer steps (t = 1 then 2, 3, ...: the state vectors are live)
  const optRows = [];
  for (const name of Object.keys(OPTIMIZERS)) {
    const r = resolveOptimizer(name === 'sgd' ? { name, momentum: 0.9 } : name);
    for (const [bn, k] of backends) {
      const m = mem.get(bn);
      k.f64().set(r.hp, m.hp >> 3);
      reset(k, m);
    }
    // validate one step on both backends from the same start
    const out = backends.map(([bn, k]) => {
      const m = mem.get(bn);
      const keep = k.f32().slice(m.p >> 2, (m.p >> 2) + 64);
      k.optimStep(r.id, m.p, m.g, m.state, N, m.hp, 1);
      const after = k.f32().slice(m.p >> 2, (m.p >> 2) + 64);
      k.f32().set(keep, m.p >> 2);
      return after;
    });
    if (out[0].some((v, i) => !close(v, out[1][i]))) throw new Error(`toolbox bench: ${name} differs between wasm and js`);
    let t = 1;
    const res = await measure(`optim ${name}`, backends.map(([bn, k]) => {
      const m = mem.get(bn);
      return { name: bn, fn: () => k.optimStep(r.id, m.p, m.g, m.state, N, m.hp, ++t) };
    }), { minTime: 0.3, maxTime: 1 });
    const label = name === 'sgd' ? 'sgd (momentum 0.9)' : name;
    optRows.push([label, `${fmt(res.wasm.median * 1e3)} ms ${pm(res.wasm)}`, `${fmt(res.js.median * 1e3)} ms ${pm(res.js)}`,
      `${fmt(N / res.wasm.median / 1e6)} M/s`, `${fmt(res.js.median / res.wasm.median)}x`]);
    log(`optim ${label}: wasm ${fmt(res.wasm.median * 1e3)} ms, js ${fmt(res.js.median * 1e3)} ms`);
  }

  // 2. activations, forward a = f(y) and backward dY = dA * f'(y)
  const actRows = [];
  for (const name of Object.keys(ACTIVATIONS)) {
    const r = resolveActivation(name);
    const [p0, p1] = activationKernelParams(r);
    const out = backends.map(([bn, k]) => {
      const m = mem.get(bn);
      reset(k, m);
      k.activationForward(r.id, m.a, m.p, N, p0, p1);
      k.activationBackward(r.id, m.d, m.g, m.p, m.a, N, p0, p1);
      const f = k.f32();
      return [f.slice(m.a >> 2, (m.a >> 2) + 256), f.slice(m.d >> 2, (m.d >> 2) + 256)];
    });
    for (let j = 0; j < 2; j++) {
      if (out[0][j].some((v, i) => !close(v, out[1][j][i]))) throw new Error(`toolbox bench: ${name} ${j ? 'backward' : 'forward'} differs between wasm and js`);
    }
    const cases = [];
    for (const [bn, k] of backends) {
      const m = mem.get(bn);
      cases.push({ name: `${bn} forward`, fn: () => k.activationForward(r.id, m.a, m.p, N, p0, p1) });
      cases.push({ name: `${bn} backward`, fn: () => k.activationBackward(r.id, m.d, m.g, m.p, m.a, N, p0, p1) });
    }
    const res = await measure(`act ${name}`, cases, { minTime: 0.2, maxTime: 0.6 });
    const ms = (c) => `${fmt(res[c].median * 1e3)} ms`;
    actRows.push([name, ms('wasm forward'), ms('js forward'), `${fmt(res['js forward'].median / res['wasm forward'].median)}x`,
      ms('wasm backward'), ms('js backward'), `${fmt(res['js backward'].median / res['wasm backward'].median)}x`]);
    log(`act ${name}: forward wasm ${ms('wasm forward')}, js ${ms('js forward')}`);
  }
  for (const [bn, k] of backends) Object.values(mem.get(bn)).forEach((p) => k.free(p));

  return [
    `Validated first: one step of every optimizer and both passes of every activation agree between the backends (1e-5 relative).`,
    '',
    `### One optimizer step on ${N.toLocaleString('en-US')} parameters`,
    '',
    table(['optimizer', 'wasm', 'js', 'wasm parameters/s', 'wasm vs js'], optRows),
    '',
    `### Activations on ${N.toLocaleString('en-US')} values (inputs uniform in [-4, 4])`,
    '',
    table(['activation', 'wasm forward', 'js forward', 'ratio', 'wasm backward', 'js backward', 'ratio'], actRows),
    '',
    'f32x4 paths: relu, tanh, sigmoid; the piecewise-linear leaky_relu, hardtanh, relu6, hard_atan, hardshrink,',
    'softshrink (bit for bit the scalar results); elu, celu, selu, silu, gelu (an f32x4 exp, within the f32 tolerance);',
    'the plain SGD step. The other activations (softplus, logsigmoid, mish, atan, ...) and the optimizers compute in f64 per element',
    '(PyTorch\'s formulas, rounded once to f32). prelu and rrelu in training run inside the training step (per-layer',
    'slopes, random slopes); here they are timed in their evaluation form.',
  ].join('\n');
}
