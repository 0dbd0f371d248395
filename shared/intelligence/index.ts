// Public surface of the intelligence layer (pure): mine runs for invariants and suggest assertions.
export type { MiningRun, MiningOptions, Suggestion, SuggestionEdit, SuggestionKind, Invariant } from './types';
export { DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SUPPORT, DEFAULT_BUFFER_FACTOR, SUGGESTION_KINDS } from './types';
export { suggestAssertions, mineInvariants, type SuggestionReport, type ExistingConflict, type ExistingTest } from './suggest';
export { groupByStructure, errorPatterns, structureSignature, type StructureGroup, type ErrorPattern } from './grouping';
export { configOf, failuresOn, ownerOf, type SuggestedConfig } from './verify';
export { applySuggestions, type ApplyResult } from './apply';
export { editedSuggestion } from './edited';
