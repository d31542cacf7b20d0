export * from './data-product-props';
export * from './data-product';
