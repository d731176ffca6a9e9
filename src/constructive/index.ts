// The universality construction (lecture: "Théorème d'universalité"): hand-built
// ReLU networks, from |x| to a memoriser of any labelled set of distinct points.
export { absNet, l1NormNet, l1DistanceNet, pseudoDiracNet, memorizerNet, memorizerCounts,
         MAX_INTEGER_COORDINATE, type ConstructiveOptions, type MemorizerNetOptions } from './nets.js';
export { Memorizer, minPairL1Distance, scaleMargin, type MemorizerOptions } from './memorizer.js';
