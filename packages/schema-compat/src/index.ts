export * from './model';
export { parseAvro, parseAvroJson, DEFAULT_MAX_SCHEMA_DEPTH, DEFAULT_MAX_SCHEMA_LENGTH } from './parse';
export type { ParseOptions, ParseResult } from './parse';
export { listFields, resolveFieldRef } from './fields';
export type { AvroFieldInfo, FieldRefResolution } from './fields';
export { describeType } from './describe';
