// The kernel interface shared by the wasm backend (build/neurone.wasm) and the
// plain TypeScript backend (src/backend/js). Same names, same argument order,
// same meaning: every pointer is a byte offset into the backend's memory,
// every count an element count. Callers validate before calling.

/** The kernels every backend provides. Pointers are byte offsets. */
export interface Kernels {
  /** 'wasm' (SIMD, the default), 'wasm-relaxed' (relaxed SIMD) or 'js'. */
  readonly name: 'wasm' | 'wasm-relaxed' | 'js';

  /** Allocates `bytes` of zeroed memory, 16-byte aligned; may grow memory. */
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** Views over the current memory. Re-read after any alloc: growth replaces the buffer. */
  f32(): Float32Array;
  i32(): Int32Array;
  u32(): Uint32Array;
  f64(): Float64Array;

  gemmAcc(c: number, a: number, aRow: number, aCol: number, bm: number,
          M: number, N: number, K: number, act: number): void;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  denseForward(y: number, x: number, w: number, bias: number, wt: number,
               B: number, nIn: number, nOut: number, act: number): void;
  denseBackward(dX: number, dW: number, dBias: number, dY: number, x: number, w: number,
                B: number, nIn: number, nOut: number): void;
  activationForward(id: number, a: number, y: number, n: number, p0: number, p1: number): void;
  activationBackward(id: number, dY: number, dA: number, y: number, a: number,
                     n: number, p0: number, p1: number): void;
  /** rrelu in training mode: random slopes r ~ U(lower, upper) from the 4-word generator at `rng`, kept in `noise`. */
  rreluForward(a: number, y: number, noise: number, n: number, lower: number, upper: number, rng: number): void;
  lossForward(id: number, dS: number, s: number, t: number, B: number, C: number,
              reduction: number, p0: number, p1: number): number;
  errorCount(kind: number, s: number, t: number, B: number, C: number): number;
  optimStep(id: number, p: number, g: number, state: number, n: number, hp: number, t: number): void;
  trainStep(plan: number, rows: number, update: number): number;
  evaluate(plan: number, rows: number): number;
  predict(plan: number, rows: number): void;
  peakProbe(iters: number): number;
  /** Flops in one round of peakProbe. */
  peakFlopsPerIter(): number;
  /** The memoriser f(x) = sum_n val[n] relu(1 - ||x - q[n]||_1), into output cls[n] (assembly/constructive.ts). */
  memorizerForward(out: number, x: number, q: number, cls: number, val: number,
                   B: number, N: number, D: number, C: number): void;
  /** Smallest L1 distance between two rows, in f64; writes the two row indices at `pair`. */
  l1MinPairDistance(x: number, order: number, norm: number, pair: number, N: number, D: number): number;
  /** Linear SVM dual solver in f64 (assembly/svm.ts); returns the iterations run. */
  svmSolve(x: number, y: number, alpha: number, w: number, F: number, sq: number,
           up: number, low: number, work: number, stats: number,
           n: number, d: number, C: number, tol: number, maxIter: number): number;
}
