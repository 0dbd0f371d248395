// A run's vocabulary: records for history and typed events (see records.ts for what run and execution mean).
export * from './records';
export * from './events';
