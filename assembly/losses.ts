// Loss values and their gradients with respect to the scores, by id.
//   s  (B, C) scores (logits: the last layer is linear), read
//   t  target, read: (B) class indices or ±1 labels stored as f32, or (B, C)
//      real targets (mse, bce_with_logits)
//   dS (B, C) overwritten with d(loss)/ds unless dS == 0
// reduction: 0 = sum over the batch, 1 = mean (over B, or over B*C for the
// element-wise losses mse and bce_with_logits, as PyTorch). Sums run in f64.
// Gradients at kinks are 0 (PyTorch's convention: hinge at y*f == 1). A NaN
// score makes the loss NaN (never a zero term), so training stops on it.

export const MSE = 0, HINGE = 1, CROSS_ENTROPY = 2, SQUARED_HINGE = 3, LOGISTIC = 4;
export const BCE_WITH_LOGITS = 5, MULTI_MARGIN = 6, MULTICLASS_HINGE_WW = 7;
export const MULTICLASS_HINGE_CS = 8;

// @ts-ignore: decorator
@inline function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// @ts-ignore: decorator
@inline function softplus1(x: f64): f64 {
  return max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

// @ts-ignore: decorator
@inline function at(p: usize, k: i32): usize { return p + (<usize>k << 2); }

// Returns the reduced loss; p0, p1 are multi_margin's p and margin.
export function lossForward(id: i32, dS: usize, s: usize, t: usize, B: i32, C: i32,
                            reduction: i32, p0: f32, p1: f32): f64 {
  const elementwise = id == MSE || id == BCE_WITH_LOGITS;
  const scale: f64 = reduction == 0 ? 1 : 1 / <f64>(elementwise ? B * C : B);
  let total: f64 = 0;
  for (let b = 0; b < B; b++) {
    const sRow = s + (<usize>(b * C) << 2);   // s[b, :]
    const dRow = dS + (<usize>(b * C) << 2);  // dS[b, :]
    switch (id) {
      case MSE: case BCE_WITH_LOGITS: {
        const tRow = t + (<usize>(b * C) << 2);
        for (let i = 0; i < C; i++) {
          const f = <f64>load<f32>(at(sRow, i)), y = <f64>load<f32>(at(tRow, i));
          let g: f64;
          if (id == MSE) {
            total += (f - y) * (f - y);
            g = 2 * (f - y);
          } else {
            // max(f, 0) - f*y + log(1 + e^-|f|): no overflow for |f| large
            total += softplus1(f) - f * y;
            g = sigmoid(f) - y;
          }
          if (dS != 0) store<f32>(at(dRow, i), <f32>(g * scale));
        }
        break;
      }
      case HINGE: case SQUARED_HINGE: case LOGISTIC: {
        // binary: C == 1, y = ±1, z = y*f
        const y = <f64>load<f32>(at(t, b)), f = <f64>load<f32>(sRow);
        const z = y * f;
        let g: f64 = 0;
        if (id == HINGE) {
          if (!(z >= 1)) { total += 1 - z; g = -y; } // NaN scores give a NaN loss
        } else if (id == SQUARED_HINGE) {
          if (!(z >= 1)) { total += (1 - z) * (1 - z); g = -2 * y * (1 - z); }
        } else {
          total += softplus1(-z);
          g = -y * sigmoid(-z);
        }
        if (dS != 0) store<f32>(dRow, <f32>(g * scale));
        break;
      }
      case CROSS_ENTROPY: {
        // log-sum-exp with the row max subtracted before exp
        const y = <i32>load<f32>(at(t, b));
        let m = -Infinity;
        for (let i = 0; i < C; i++) m = max(m, <f64>load<f32>(at(sRow, i)));
        let z: f64 = 0;
        for (let i = 0; i < C; i++) z += Math.exp(<f64>load<f32>(at(sRow, i)) - m);
        const lse = m + Math.log(z);
        total += lse - <f64>load<f32>(at(sRow, y));
        if (dS != 0) {
          // softmax - onehot, fused with the value above
          for (let i = 0; i < C; i++) {
            let g = Math.exp(<f64>load<f32>(at(sRow, i)) - lse);
            if (i == y) g -= 1;
            store<f32>(at(dRow, i), <f32>(g * scale));
          }
        }
        break;
      }
      case MULTI_MARGIN: case MULTICLASS_HINGE_WW: case MULTICLASS_HINGE_CS: {
        const y = <i32>load<f32>(at(t, b));
        const fy = <f64>load<f32>(at(sRow, y));
        if (dS != 0) for (let i = 0; i < C; i++) store<f32>(at(dRow, i), 0);
        if (id == MULTICLASS_HINGE_CS) {
          // relu(1 + max_{j != y} f_j - f_y); the first maximiser takes the gradient
          let jStar = -1, fj: f64 = -Infinity;
          for (let j = 0; j < C; j++) {
            if (j == y) continue;
            const v = <f64>load<f32>(at(sRow, j));
            if (v > fj || v != v) { fj = v; jStar = j; if (v != v) break; } // a NaN score wins: NaN loss
          }
          const v = 1 + fj - fy;
          if (!(v <= 0) && jStar >= 0) {
            total += v;
            if (dS != 0) {
              store<f32>(at(dRow, jStar), <f32>scale);
              store<f32>(at(dRow, y), <f32>-scale);
            }
          }
          break;
        }
        // multi_margin: sum_{j != y} max(0, margin - f_y + f_j)^p / C (PyTorch);
        // Weston-Watkins: sum_{j != y} relu(1 + f_j - f_y), no division by C
        const p = id == MULTI_MARGIN ? <i32>p0 : 1;
        const margin: f64 = id == MULTI_MARGIN ? <f64>p1 : 1;
        const div: f64 = id == MULTI_MARGIN ? <f64>C : 1;
        let gy: f64 = 0;
        for (let j = 0; j < C; j++) {
          if (j == y) continue;
          const v = margin - fy + <f64>load<f32>(at(sRow, j));
          if (!(v <= 0)) { // NaN scores give a NaN loss
            total += (p == 2 ? v * v : v) / div;
            const g = (p == 2 ? 2 * v : 1) / div;
            gy -= g;
            if (dS != 0) store<f32>(at(dRow, j), <f32>(g * scale));
          }
        }
        if (dS != 0) store<f32>(at(dRow, y), <f32>(gy * scale));
        break;
      }
    }
  }
  return total * scale;
}

// The 0-1 error count of the lecture. kind 0: binary, error when y*f <= 0;
// kind 1: argmax(f) != class index; kind 2: argmax(f) != argmax(t) (one-hot
// targets); kind 3: per element, (f > 0) != (t > 0.5) (bce targets).
export function errorCount(kind: i32, s: usize, t: usize, B: i32, C: i32): i32 {
  let errors = 0;
  for (let b = 0; b < B; b++) {
    const sRow = s + (<usize>(b * C) << 2);
    if (kind == 0) {
      if (load<f32>(at(t, b)) * load<f32>(sRow) <= 0) errors++;
    } else if (kind == 3) {
      const tRow = t + (<usize>(b * C) << 2);
      for (let i = 0; i < C; i++) {
        if ((load<f32>(at(sRow, i)) > 0) != (load<f32>(at(tRow, i)) > 0.5)) errors++;
      }
    } else {
      const label = kind == 1 ? <i32>load<f32>(at(t, b)) : argmax(t + (<usize>(b * C) << 2), C);
      if (argmax(sRow, C) != label) errors++;
    }
  }
  return errors;
}

// First index of the largest value of row[0:C]; NaN never wins.
function argmax(row: usize, C: i32): i32 {
  let best = 0, bestV = load<f32>(row);
  for (let i = 1; i < C; i++) {
    const v = load<f32>(at(row, i));
    if (v > bestV) { bestV = v; best = i; }
  }
  return best;
}
