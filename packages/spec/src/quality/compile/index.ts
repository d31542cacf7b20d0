export * from './dqdl';
export * from './gx';
export * from './sql';
export * from './product';
