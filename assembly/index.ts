// The exported surface of the wasm core. Every pointer is a byte address in
// this module's linear memory, every count an element count. Nothing here
// validates: the TypeScript API checks shapes, ids and ranges first.

// Memory: the only place that allocates. Blocks are 16-byte aligned (v128).
export function alloc(bytes: usize): usize {
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}
export function free(p: usize): void { heap.free(p); }

export { gemmAcc, transpose, peakProbe, peakFlopsPerIter } from './gemm';
export { denseForward, denseBackward } from './dense';
export { activationForward, activationBackward, preluForward, preluBackward, rreluForward } from './activations';
export { lossForward, errorCount } from './losses';
export { optimStep } from './optim';
export { nextU32, nextUniform } from './rng';

export { forward, trainStep, evaluate, predict } from './train';
export { memorizerForward, l1MinPairDistance } from './constructive';
export { svmSolve } from './svm';
