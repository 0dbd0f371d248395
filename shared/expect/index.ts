// Public surface of the expectation engine (pure; runs in main and in the renderer alike).
export type { EvaluationConfig, ExpectationKind, ExpectationResult } from './types';
export { evaluateExpectations, evaluateWithIndex } from './evaluate';
export { buildTraceIndex, globToRegExp, isGlob, nameMatcher } from './trace-index';
export type { TraceIndex } from './trace-index';
export { nearestRank } from './temporal';
export { HOST_ATTRIBUTES, hostOf } from './hermeticity';
export { diffTraces, normalizedTraceHash, normalizedTraceHashOfIndex, NONDETERMINISTIC_ATTRIBUTES } from './determinism';
export type { NormalizeOptions, TraceDifference, TraceDifferenceKind } from './determinism';
