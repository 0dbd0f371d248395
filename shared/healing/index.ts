// The self-healing layer's pure part: failure classes, the classifier (built-in rules and the user's
// `[self_healing.patterns]`), flakiness from history, quarantine, and a file's healing settings.
export * from './adaptive';
export * from './classes';
export * from './classify';
export * from './history';
export * from './patterns';
export * from './quarantine';
export * from './memory-retry';
export * from './repairs';
export * from './settings';
export { spanErrors, type SpanError } from './signals';
