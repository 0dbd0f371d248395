export * from './span';
export * from './time';
export * from './attributes';
export * from './build';
