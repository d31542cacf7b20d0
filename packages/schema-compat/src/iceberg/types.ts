/** Iceberg's table types (format spec v2, plus v3's nanosecond timestamps). */

export type IcebergPrimitiveName =
  | 'boolean'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'timestamp_ns'
  | 'timestamptz_ns'
  | 'string'
  | 'uuid'
  | 'binary';

export type IcebergType =
  | { type: IcebergPrimitiveName }
  | { type: 'decimal'; precision: number; scale: number }
  | { type: 'fixed'; length: number }
  | { type: 'struct'; fields: IcebergField[] }
  | { type: 'list'; elementId: number; elementRequired: boolean; element: IcebergType }
  | { type: 'map'; keyId: number; key: IcebergType; valueId: number; valueRequired: boolean; value: IcebergType };

export interface IcebergField {
  /** Iceberg field id: stable across versions when the previous mapping is passed to avroToIceberg. */
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
}

/** Iceberg's own notation: 'long', 'decimal(10,2)', 'fixed[16]', 'struct<a: int>', 'list<string>', 'map<string, long>'. */
export function icebergTypeString(type: IcebergType): string {
  switch (type.type) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'fixed':
      return `fixed[${type.length}]`;
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}: ${icebergTypeString(field.type)}`).join(', ')}>`;
    case 'list':
      return `list<${icebergTypeString(type.element)}>`;
    case 'map':
      return `map<${icebergTypeString(type.key)}, ${icebergTypeString(type.value)}>`;
    default:
      return type.type;
  }
}
