export * from './retention-props';
export * from './retention';
