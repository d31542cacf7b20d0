export * from './lake-formation-grants-props';
export * from './lake-formation-grants';
