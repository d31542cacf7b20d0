export * from './retention-props';
export * from './retention';
export * from './retention-sql';
export * from './athena-job';
