// Dense layer, forward and backward, for a whole batch.
//   x    (B, nIn)    f32 row-major: x[b, j] at x + (b*nIn + j)*4
//   w    (nOut, nIn) PyTorch's nn.Linear layout: row i feeds output unit i
//   bias (nOut)
//   y    (B, nOut)   pre-activation Y = X·Wᵀ + bias
// Backward accumulates into dW and dBias (zeroed once per step by the caller)
// and overwrites dX. All three products go through gemmAcc.
import { gemmAcc, transpose } from './gemm';

// Forward: y[b, i] = bias[i] + sum_j x[b, j] * w[i, j].
//   wt  (nIn, nOut) scratch, overwritten with Wᵀ so the product reads it by rows
//   act (B, nOut)   if non-zero, also receives relu(y) (fused write-back)
export function denseForward(y: usize, x: usize, w: usize, bias: usize, wt: usize,
                             B: i32, nIn: i32, nOut: i32, act: usize): void {
  // 1. every row of y starts at the bias
  const rowBytes = <usize>nOut << 2;
  for (let b = 0; b < B; b++) memory.copy(y + <usize>b * rowBytes, bias, rowBytes);

  // 2. y += X·Wᵀ, with Wᵀ laid out (nIn, nOut)
  transpose(wt, w, nOut, nIn);
  gemmAcc(y, x, nIn, 1, wt, B, nOut, nIn, act);
}

// Backward, given dY (B, nOut) = dLoss/dy:
//   dW[i, j]  += sum_b dY[b, i] * x[b, j]     (dW = dYᵀ·X)
//   dBias[i]  += sum_b dY[b, i]
//   dX[b, j]   = sum_i dY[b, i] * w[i, j]     (dX = dY·W), skipped if dX == 0
export function denseBackward(dX: usize, dW: usize, dBias: usize, dY: usize,
                              x: usize, w: usize, B: i32, nIn: i32, nOut: i32): void {
  // 1. dW += dYᵀ·X: A = dYᵀ, i.e. A[i, b] = dY[b, i] (aRow = 1, aCol = nOut)
  gemmAcc(dW, dY, 1, nOut, x, nOut, nIn, B, 0);

  // 2. dBias += column sums of dY
  const nOut4 = nOut & ~3;
  for (let b = 0; b < B; b++) {
    const dYRow = dY + (<usize>(b * nOut) << 2); // dY[b, :]
    for (let i = 0; i < nOut4; i += 4) {
      const at = dBias + (<usize>i << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(dYRow + (<usize>i << 2))));
    }
    for (let i = nOut4; i < nOut; i++) {
      const at = dBias + (<usize>i << 2);
      store<f32>(at, load<f32>(at) + load<f32>(dYRow + (<usize>i << 2)));
    }
  }

  // 3. dX = dY·W: A = dY (aRow = nOut, aCol = 1), Bm = W (nOut, nIn)
  if (dX != 0) {
    memory.fill(dX, 0, <usize>(B * nIn) << 2);
    gemmAcc(dX, dY, nOut, 1, w, B, nIn, nOut, 0);
  }
}
