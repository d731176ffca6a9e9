// The whole training step in one call: forward through every layer, the loss
// and its gradient, backward through every layer, the optimizer update.
// Layout of the plan and the arena: assembly/plan.ts. `rows` <= B is the
// number of rows in this batch (the last batch of an epoch may be short).
import { denseForward, denseBackward } from './dense';
import { activationForward, activationBackward, preluForward, preluBackward, rreluForward,
         IDENTITY, RELU, PRELU, RRELU } from './activations';
import { lossForward, errorCount } from './losses';
import { optimStep } from './optim';
import * as P from './plan';

// Forward pass over x[0:rows]; leaves a[l] of every layer in the arena.
export function forward(plan: usize, rows: i32): void {
  const L = P.word(plan, P.P_L);
  const training = P.word(plan, P.P_TRAINING) != 0;
  const wt = P.ptr(plan, P.P_WT);
  let input = P.ptr(plan, P.P_X);
  for (let l = 0; l < L; l++) {
    const base = P.layerBase(l);
    const nIn = P.word(plan, base + P.L_NIN), nOut = P.word(plan, base + P.L_NOUT);
    const id = P.word(plan, base + P.L_ACT);
    const p0 = P.wordF(plan, base + P.L_P0), p1 = P.wordF(plan, base + P.L_P1);
    const y = P.ptr(plan, base + P.L_Y), a = P.ptr(plan, base + P.L_A);
    const w = P.ptr(plan, base + P.L_W), bias = P.ptr(plan, base + P.L_BIAS);
    const n = rows * nOut;

    // y = input·Wᵀ + bias, with relu fused into the write-back
    denseForward(y, input, w, bias, wt, rows, nIn, nOut, id == RELU ? a : 0);

    // a = f(y) for every other activation (identity: a is y itself)
    if (id == PRELU) {
      preluForward(a, y, P.ptr(plan, base + P.L_SLOPE), rows, nOut, P.word(plan, base + P.L_NSLOPE));
    } else if (id == RRELU) {
      if (training) rreluForward(a, y, P.ptr(plan, base + P.L_NOISE), n, p0, p1, plan + (P.P_RNG << 2));
      else activationForward(RRELU, a, y, n, (p0 + p1) / 2, 0);
    } else if (id != RELU && id != IDENTITY) {
      activationForward(id, a, y, n, p0, p1);
    }
    input = a;
  }
}

// Forward, loss, backward; then the update if `update` != 0 and the loss is
// finite (a non-finite loss leaves the weights as they were before the step).
// Gradients are zeroed here, then accumulated. Returns the reduced loss.
export function trainStep(plan: usize, rows: i32, update: i32): f64 {
  const L = P.word(plan, P.P_L);
  const C = P.word(plan, P.P_C);
  memory.fill(P.ptr(plan, P.P_GRADS), 0, <usize>P.word(plan, P.P_NPARAMS) << 2);

  // 1. forward
  store<i32>(plan + (P.P_TRAINING << 2), 1);
  forward(plan, rows);

  // 2. loss and dLoss/dScores into dA
  const last = P.layerBase(L - 1);
  let dA = P.ptr(plan, P.P_DA0), dNext = P.ptr(plan, P.P_DA1);
  const loss = lossForward(P.word(plan, P.P_LOSS), dA, P.ptr(plan, last + P.L_A),
                           P.ptr(plan, P.P_TARGET), rows, C, P.word(plan, P.P_REDUCTION),
                           P.wordF(plan, P.P_LOSS_P0), P.wordF(plan, P.P_LOSS_P1));

  // 3. backward, last layer first: dY = dA * f'(y), then the dense backward
  for (let l = L - 1; l >= 0; l--) {
    const base = P.layerBase(l);
    const nIn = P.word(plan, base + P.L_NIN), nOut = P.word(plan, base + P.L_NOUT);
    const id = P.word(plan, base + P.L_ACT);
    const y = P.ptr(plan, base + P.L_Y), a = P.ptr(plan, base + P.L_A);
    const n = rows * nOut;
    if (id == PRELU) {
      preluBackward(dA, P.ptr(plan, base + P.L_DSLOPE), dA, y, P.ptr(plan, base + P.L_SLOPE),
                    rows, nOut, P.word(plan, base + P.L_NSLOPE));
    } else if (id == RRELU) {
      const noise = P.ptr(plan, base + P.L_NOISE);
      for (let k = 0; k < n; k++) {
        const off = <usize>k << 2;
        store<f32>(dA + off, load<f32>(dA + off) * load<f32>(noise + off));
      }
    } else {
      activationBackward(id, dA, dA, y, a, n, P.wordF(plan, base + P.L_P0), P.wordF(plan, base + P.L_P1));
    }
    const save = P.ptr(plan, base + P.L_DYSAVE);
    if (save != 0) memory.copy(save, dA, <usize>n << 2);
    const input = l == 0 ? P.ptr(plan, P.P_X) : P.ptr(plan, P.layerBase(l - 1) + P.L_A);
    denseBackward(l == 0 ? 0 : dNext, P.ptr(plan, base + P.L_DW), P.ptr(plan, base + P.L_DBIAS),
                  dA, input, P.ptr(plan, base + P.L_W), rows, nIn, nOut);
    const swap = dA; dA = dNext; dNext = swap;
  }

  // 4. the update, one pass over the flat parameter vector; a copy of the
  // parameters is kept so that an update that overflows can be taken back
  store<i32>(plan + (P.P_STATUS << 2), P.STATUS_OK);
  if (!isFinite(loss)) {
    store<i32>(plan + (P.P_STATUS << 2), P.STATUS_BAD_LOSS);
  } else if (update != 0) {
    const params = P.ptr(plan, P.P_PARAMS), nParams = P.word(plan, P.P_NPARAMS);
    const backup = P.ptr(plan, P.P_BACKUP), bytes = <usize>nParams << 2;
    memory.copy(backup, params, bytes);
    const t = P.word(plan, P.P_T) + 1;
    store<i32>(plan + (P.P_T << 2), t);
    optimStep(P.word(plan, P.P_OPTIM), params, P.ptr(plan, P.P_GRADS),
              P.ptr(plan, P.P_STATE), nParams, P.ptr(plan, P.P_HP), t);
    if (!allFinite(params, nParams)) {
      memory.copy(params, backup, bytes);
      store<i32>(plan + (P.P_STATUS << 2), P.STATUS_BAD_UPDATE);
    }
  }
  return loss;
}

// True when no element of p[0:n] is NaN or infinite (x - x is 0 only for finite x).
function allFinite(p: usize, n: i32): bool {
  const n4 = n & ~3;
  let bad = f32x4.splat(0);
  for (let k = 0; k < n4; k += 4) {
    const v = v128.load(p + (<usize>k << 2));
    bad = v128.or(bad, f32x4.ne(f32x4.sub(v, v), f32x4.splat(0)));
  }
  if (v128.any_true(bad)) return false;
  for (let k = n4; k < n; k++) {
    const v = load<f32>(p + (<usize>k << 2));
    if (v - v != 0) return false;
  }
  return true;
}

// Evaluation over x[0:rows]: forward in eval mode, the loss (no gradient),
// and the 0-1 error count written to plan word P_ERRORS. Returns the loss.
export function evaluate(plan: usize, rows: i32): f64 {
  store<i32>(plan + (P.P_TRAINING << 2), 0);
  forward(plan, rows);
  const last = P.layerBase(P.word(plan, P.P_L) - 1);
  const s = P.ptr(plan, last + P.L_A), t = P.ptr(plan, P.P_TARGET), C = P.word(plan, P.P_C);
  const loss = lossForward(P.word(plan, P.P_LOSS), 0, s, t, rows, C, P.word(plan, P.P_REDUCTION),
                           P.wordF(plan, P.P_LOSS_P0), P.wordF(plan, P.P_LOSS_P1));
  store<i32>(plan + (P.P_ERRORS << 2), errorCount(P.word(plan, P.P_ERROR_KIND), s, t, rows, C));
  return loss;
}

// Inference only: forward in eval mode; the scores stay in the last layer's a.
export function predict(plan: usize, rows: i32): void {
  store<i32>(plan + (P.P_TRAINING << 2), 0);
  forward(plan, rows);
}
