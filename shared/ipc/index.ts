export * from './contract';
export * from './span-schema';
export * from './validate';
