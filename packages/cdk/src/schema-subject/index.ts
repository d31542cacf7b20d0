export * from './schema-subject-props';
export * from './schema-subject';
