export * from './data-platform-props';
export * from './data-platform';
