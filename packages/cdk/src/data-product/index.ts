export * from './data-product-props';
export * from './data-product';
export * from './from-spec';
export * from './lifecycle';
