export * from './erasure-props';
export * from './erasure';
