export * from './iceberg-schema';
export * from './iceberg-table-props';
export * from './iceberg-table';
export * from './avro-columns';
