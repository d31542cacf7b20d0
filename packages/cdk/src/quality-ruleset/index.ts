export * from './dqdl';
export * from './quality-ruleset-props';
export * from './quality-ruleset';
