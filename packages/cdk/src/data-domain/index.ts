export * from './data-domain-props';
export * from './data-domain';
