// Optimizer updates, each one pass over a flat parameter vector, by id.
//   p (n) f32 parameters, updated in place     g (n) f32 gradients, read
//   state (k*n) f32, k vectors of the optimizer's state, zero before step 1
//   hp  f64 hyper-parameters in the order of src/ids.ts (OPTIM_HP)
//   t   the step count, from 1 (Adam's bias correction, SGD's first buffer)
// The rules are PyTorch's (torch.optim, 1.13), element by element in f64.
// Shortcoming: only plain SGD has an f32x4 path; adagrad, adadelta and rmsprop
// run no faster than the JS twin (bench/RESULTS.md, 150-250 M parameters/s).

export const SGD = 0, ADAGRAD = 1, ADADELTA = 2, RMSPROP = 3, ADAM = 4, ADAMW = 5;

// @ts-ignore: decorator
@inline function f(p: usize, k: i32): f64 { return <f64>load<f32>(p + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function set(p: usize, k: i32, v: f64): void { store<f32>(p + (<usize>k << 2), <f32>v); }
// @ts-ignore: decorator
@inline function hpAt(hp: usize, k: i32): f64 { return load<f64>(hp + (<usize>k << 3)); }

export function optimStep(id: i32, p: usize, g: usize, state: usize, n: i32, hp: usize, t: i32): void {
  const lr = hpAt(hp, 0);
  const s1 = state + (<usize>n << 2), s2 = state + (<usize>(2 * n) << 2); // 2nd, 3rd vectors
  switch (id) {
    case SGD: {
      // hp: lr, momentum, dampening, nesterov, weightDecay; state: momentum buffer
      const mu = hpAt(hp, 1), damp = hpAt(hp, 2), nesterov = hpAt(hp, 3) != 0, wd = hpAt(hp, 4);
      if (mu == 0 && wd == 0) { sgdPlain(p, g, n, <f32>lr); break; }
      for (let k = 0; k < n; k++) {
        let d = f(g, k) + wd * f(p, k);
        if (mu != 0) {
          const buf = t == 1 ? d : mu * f(state, k) + (1 - damp) * d;
          set(state, k, buf);
          d = nesterov ? d + mu * buf : buf;
        }
        set(p, k, f(p, k) - lr * d);
      }
      break;
    }
    case ADAGRAD: {
      // hp: lr, lrDecay, weightDecay, initialAccumulatorValue, eps; state: sum of g^2
      const clr = lr / (1 + <f64>(t - 1) * hpAt(hp, 1)), wd = hpAt(hp, 2), eps = hpAt(hp, 4);
      const init = hpAt(hp, 3);
      for (let k = 0; k < n; k++) {
        const d = f(g, k) + wd * f(p, k);
        const sum = (t == 1 ? init : f(state, k)) + d * d;
        set(state, k, sum);
        set(p, k, f(p, k) - clr * d / (Math.sqrt(sum) + eps));
      }
      break;
    }
    case ADADELTA: {
      // hp: lr, rho, eps, weightDecay; state: v (square avg), u (accumulated delta^2)
      const rho = hpAt(hp, 1), eps = hpAt(hp, 2), wd = hpAt(hp, 3);
      for (let k = 0; k < n; k++) {
        const d = f(g, k) + wd * f(p, k);
        const v = rho * f(state, k) + (1 - rho) * d * d;
        const u = f(s1, k);
        const delta = Math.sqrt(u + eps) / Math.sqrt(v + eps) * d;
        set(state, k, v);
        set(s1, k, rho * u + (1 - rho) * delta * delta);
        set(p, k, f(p, k) - lr * delta);
      }
      break;
    }
    case RMSPROP: {
      // hp: lr, alpha, eps, weightDecay, momentum, centered; state: v, buf, gAvg
      const alpha = hpAt(hp, 1), eps = hpAt(hp, 2), wd = hpAt(hp, 3), mu = hpAt(hp, 4);
      const centered = hpAt(hp, 5) != 0;
      for (let k = 0; k < n; k++) {
        const d = f(g, k) + wd * f(p, k);
        const v = alpha * f(state, k) + (1 - alpha) * d * d;
        set(state, k, v);
        let avg: f64;
        if (centered) {
          const ga = alpha * f(s2, k) + (1 - alpha) * d;
          set(s2, k, ga);
          avg = Math.sqrt(v - ga * ga) + eps;
        } else {
          avg = Math.sqrt(v) + eps;
        }
        if (mu > 0) {
          const buf = mu * f(s1, k) + d / avg;
          set(s1, k, buf);
          set(p, k, f(p, k) - lr * buf);
        } else {
          set(p, k, f(p, k) - lr * d / avg);
        }
      }
      break;
    }
    case ADAM: case ADAMW: {
      // hp: lr, beta1, beta2, eps, weightDecay, amsgrad; state: m, v, vMax
      const b1 = hpAt(hp, 1), b2 = hpAt(hp, 2), eps = hpAt(hp, 3), wd = hpAt(hp, 4);
      const amsgrad = hpAt(hp, 5) != 0;
      const bc1 = 1 - Math.pow(b1, <f64>t), bc2 = 1 - Math.pow(b2, <f64>t);
      const stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
      for (let k = 0; k < n; k++) {
        let x = f(p, k), d = f(g, k);
        if (id == ADAMW) x *= 1 - lr * wd;  // decoupled decay, before the step
        else d += wd * x;
        const m = b1 * f(state, k) + (1 - b1) * d;
        const v = b2 * f(s1, k) + (1 - b2) * d * d;
        set(state, k, m);
        set(s1, k, v);
        let vUse = v;
        if (amsgrad) { vUse = max(f(s2, k), v); set(s2, k, vUse); }
        // eps is added after the bias correction, as PyTorch
        set(p, k, x - stepSize * m / (Math.sqrt(vUse) / bc2Sqrt + eps));
      }
      break;
    }
  }
}

// p -= lr * g, four lanes at a time then the tail.
function sgdPlain(p: usize, g: usize, n: i32, lr: f32): void {
  const n4 = n & ~3, vlr = f32x4.splat(lr);
  for (let k = 0; k < n4; k += 4) {
    const off = <usize>k << 2;
    v128.store(p + off, f32x4.sub(v128.load(p + off), f32x4.mul(vlr, v128.load(g + off))));
  }
  for (let k = n4; k < n; k++) {
    const off = <usize>k << 2;
    store<f32>(p + off, load<f32>(p + off) - lr * load<f32>(g + off));
  }
}
