export * from './policy-decision-function-props';
export * from './policy-decision-function';
