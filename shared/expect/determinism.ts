// Determinism: a hash of what a run did (span names, kinds, tree shape, status, events and stable
// attributes) that ignores what legitimately changes between runs (ids, timestamps, durations, host
// names, pids, thread ids…), so two runs of a hermetic test hash the same; and a diff that says in
// words what differs when they don't. This module is the public face; the parts live in
// normalize.ts (what is ignored), trace-hash.ts (the hash) and trace-diff.ts (the diff).
export { normalizedTraceHash, normalizedTraceHashOfIndex, fnv1a64, subtreeHashes } from './trace-hash';
export type { SubtreeHashes } from './trace-hash';
export { diffTraces } from './trace-diff';
export type { TraceDifference, TraceDifferenceKind } from './trace-diff';
export { NONDETERMINISTIC_ATTRIBUTES, NONDETERMINISTIC_PATTERNS, keepAttribute } from './normalize';
export type { NormalizeOptions } from './normalize';
