/** The kinds of reader/writer incompatibility, named as org.apache.avro.SchemaCompatibility names them. */

export const INCOMPATIBILITY_KINDS = [
  'TYPE_MISMATCH',
  'NAME_MISMATCH',
  'FIXED_SIZE_MISMATCH',
  'MISSING_ENUM_SYMBOLS',
  'READER_FIELD_MISSING_DEFAULT_VALUE',
  'MISSING_UNION_BRANCH',
] as const;

export type IncompatibilityKind = (typeof INCOMPATIBILITY_KINDS)[number];

export interface SchemaIncompatibility {
  kind: IncompatibilityKind;
  /** Location in the reader schema, in Java's format: '/fields/1/type/items'. */
  path: string;
  message: string;
}

export interface ReaderWriterResult {
  compatible: boolean;
  incompatibilities: SchemaIncompatibility[];
}
