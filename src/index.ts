// neurone: the lecture's neural networks, real and fast.
// Everything a user imports comes from here.
export { init, isInitialized, getKernels, relaxedSimdSupported, type InitOptions, type Kernels, type WasmSource } from './backend/index.js';
export { Mlp, type MlpOptions, type LayerSpec, type FitOptions, type FitResult, type FitStop, type EpochInfo, type EvalResult } from './mlp.js';
export { F, createOptimizer, type Optimizer, type LossResult, type FunctionalOptions } from './functional.js';
export { lineSearchDescent, type LineSearchOptions, type LineSearchResult, type LineSearchStep, type LineSearchStop } from './descent.js';
export { gradCheck, type GradCheckOptions, type GradCheckResult } from './gradcheck.js';
export { matrix, toMatrix, type Matrix, type MatrixLike, type Labels } from './matrix.js';
export { Rng } from './rng.js';
export { ACTIVATIONS, LOSSES, OPTIMIZERS, resolveActivation, resolveLoss, resolveOptimizer, catalogue, type Spec } from './ids.js';
export { resolveSchedule, scheduleCatalogue, type Schedule } from './schedules.js';
export * from './data/index.js';
export * from './constructive/index.js';
export { separable, perceptron, fitSvm, certificateResidual, toMatrix64, binaryLabels,
  type Separability, type Certificate, type PerceptronResult, type SvmOptions, type BinarySvm, type OvrSvm,
  type Matrix64, type Features, type BinaryLabels } from './svm.js';
