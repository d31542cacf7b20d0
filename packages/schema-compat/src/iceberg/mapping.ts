/**
 * Avro to Iceberg, following Iceberg's Avro mapping: a top-level record becomes the table's
 * columns; a union of null and one type is an optional column; a union of several non-null
 * types becomes a struct of `tag` and optional `field0..n` (as Iceberg reads it); enums are
 * strings; maps have string keys. timestamp-* (UTC instants) are timestamptz,
 * local-timestamp-* are timestamp. Recursive records have no Iceberg form and are reported.
 *
 * Field ids: when `previous` (the mapping of the schema's previous version) is given, a
 * column keeps its id by path and new columns get ids above its lastColumnId, as an Iceberg
 * schema update does; otherwise ids are assigned fresh, as Iceberg assigns them to a new
 * table (a struct's fields first, then their nested types).
 */

import { glueTypeString } from './glue';
import type { IcebergField, IcebergPrimitiveName, IcebergType } from './types';
import { dereference, type AvroField, type AvroSchema, type LogicalType, type RecordSchema } from '../model';

export interface IcebergColumn extends IcebergField {
  /** The Glue / Athena type string, e.g. 'bigint', 'struct<a:string>'. */
  glueType: string;
}

export interface IcebergMappingIssue {
  /** Dotted path of the column, e.g. 'payload.customer_id'; '' for the schema itself. */
  path: string;
  message: string;
}

export interface IcebergMapping {
  columns: IcebergColumn[];
  /** The highest field id in use (Iceberg's last-column-id). */
  lastColumnId: number;
  issues: IcebergMappingIssue[];
}

export interface IcebergMappingOptions {
  /** The mapping of the previous version: ids are kept by path. */
  previous?: IcebergMapping;
}

export function avroToIceberg(schema: AvroSchema, options: IcebergMappingOptions = {}): IcebergMapping {
  const mapper = new AvroToIceberg(previousIds(options.previous), options.previous?.lastColumnId ?? 0);
  const root = dereference(schema);
  if (root.type !== 'record' && root.type !== 'error') {
    return { columns: [], lastColumnId: 0, issues: [{ path: '', message: `a table schema must be an Avro record, found ${root.type}` }] };
  }
  const fields = mapper.mapRecordFields(root, '', new Set([root]));
  const columns = fields.map((field) => ({ ...field, glueType: glueTypeString(field.type) }));
  return { columns, lastColumnId: mapper.lastColumnId, issues: mapper.issues };
}

/** Every id of a mapping by its path ('a', 'a.b', 'list.element', 'map.key', 'map.value'). */
function previousIds(previous: IcebergMapping | undefined): Map<string, number> {
  const ids = new Map<string, number>();
  const visit = (path: string, id: number, type: IcebergType): void => {
    ids.set(path, id);
    if (type.type === 'struct') for (const field of type.fields) visit(`${path}.${field.name}`, field.id, field.type);
    if (type.type === 'list') visit(`${path}.element`, type.elementId, type.element);
    if (type.type === 'map') {
      visit(`${path}.key`, type.keyId, type.key);
      visit(`${path}.value`, type.valueId, type.value);
    }
  };
  for (const column of previous?.columns ?? []) visit(column.name, column.id, column.type);
  return ids;
}

interface MappedType {
  type: IcebergType;
  required: boolean;
}

class AvroToIceberg {
  readonly issues: IcebergMappingIssue[] = [];

  constructor(
    private readonly knownIds: ReadonlyMap<string, number>,
    public lastColumnId: number,
  ) {}

  private idFor(path: string): number {
    return this.knownIds.get(path) ?? ++this.lastColumnId;
  }

  /** A struct's fields get their ids first, then their nested types (Iceberg's order). */
  mapRecordFields(record: RecordSchema, prefix: string, onPath: Set<RecordSchema>): IcebergField[] {
    const paths = record.fields.map((field) => (prefix === '' ? field.name : `${prefix}.${field.name}`));
    const ids = paths.map((path) => this.idFor(path));
    return record.fields.map((field, index) => this.mapField(field, paths[index]!, ids[index]!, onPath));
  }

  private mapField(field: AvroField, path: string, id: number, onPath: Set<RecordSchema>): IcebergField {
    const mapped = this.mapType(field.type, path, onPath);
    const column: IcebergField = { id, name: field.name, required: mapped.required, type: mapped.type };
    if (field.doc !== undefined) column.doc = field.doc;
    return column;
  }

  private mapType(schema: AvroSchema, path: string, onPath: Set<RecordSchema>): MappedType {
    const resolved = dereference(schema);
    switch (resolved.type) {
      case 'union':
        return this.mapUnion(resolved.branches, path, onPath);
      case 'record':
      case 'error': {
        if (onPath.has(resolved)) {
          this.issues.push({ path, message: `record ${resolved.name} is recursive: Iceberg has no recursive types` });
          return { type: { type: 'struct', fields: [] }, required: true };
        }
        onPath.add(resolved);
        const fields = this.mapRecordFields(resolved, path, onPath);
        onPath.delete(resolved);
        return { type: { type: 'struct', fields }, required: true };
      }
      case 'array': {
        const elementId = this.idFor(`${path}.element`);
        const element = this.mapType(resolved.items, `${path}.element`, onPath);
        return { type: { type: 'list', elementId, elementRequired: element.required, element: element.type }, required: true };
      }
      case 'map': {
        const keyId = this.idFor(`${path}.key`);
        const valueId = this.idFor(`${path}.value`);
        const value = this.mapType(resolved.values, `${path}.value`, onPath);
        return { type: { type: 'map', keyId, key: { type: 'string' }, valueId, valueRequired: value.required, value: value.type }, required: true };
      }
      case 'enum':
        return { type: { type: 'string' }, required: true };
      case 'fixed':
        return { type: fixedType(resolved.size, resolved.logicalType), required: true };
      case 'null':
        this.issues.push({ path, message: 'a column of type null has no Iceberg type' });
        return { type: { type: 'string' }, required: false };
      default:
        return { type: primitiveType(resolved.type, resolved.logicalType), required: true };
    }
  }

  private mapUnion(branches: readonly AvroSchema[], path: string, onPath: Set<RecordSchema>): MappedType {
    const nonNull = branches.filter((branch) => branch.type !== 'null');
    const nullable = nonNull.length < branches.length;
    if (nonNull.length === 0) {
      this.issues.push({ path, message: 'a union of only null has no Iceberg type' });
      return { type: { type: 'string' }, required: false };
    }
    if (nonNull.length === 1) return { type: this.mapType(nonNull[0]!, path, onPath).type, required: !nullable };
    const tagPath = `${path}.tag`;
    const branchPaths = nonNull.map((_, index) => `${path}.field${index}`);
    const tagId = this.idFor(tagPath);
    const branchIds = branchPaths.map((branchPath) => this.idFor(branchPath));
    const fields: IcebergField[] = [
      { id: tagId, name: 'tag', required: true, type: { type: 'int' } },
      ...nonNull.map((branch, index) => ({ id: branchIds[index]!, name: `field${index}`, required: false, type: this.mapType(branch, branchPaths[index]!, onPath).type })),
    ];
    return { type: { type: 'struct', fields }, required: !nullable };
  }
}

const TIME_TYPES: Readonly<Record<string, IcebergPrimitiveName>> = {
  date: 'date',
  'time-millis': 'time',
  'time-micros': 'time',
  'timestamp-millis': 'timestamptz',
  'timestamp-micros': 'timestamptz',
  'timestamp-nanos': 'timestamptz_ns',
  'local-timestamp-millis': 'timestamp',
  'local-timestamp-micros': 'timestamp',
  'local-timestamp-nanos': 'timestamp_ns',
};

const PLAIN_TYPES: Readonly<Record<string, IcebergPrimitiveName>> = {
  boolean: 'boolean',
  int: 'int',
  long: 'long',
  float: 'float',
  double: 'double',
  bytes: 'binary',
  string: 'string',
};

function primitiveType(avroType: string, logicalType: LogicalType | undefined): IcebergType {
  if (logicalType?.name === 'decimal') return { type: 'decimal', precision: logicalType.precision, scale: logicalType.scale };
  if (logicalType?.name === 'uuid') return { type: 'uuid' };
  const timeType = logicalType && TIME_TYPES[logicalType.name];
  return { type: timeType ?? PLAIN_TYPES[avroType]! };
}

function fixedType(size: number, logicalType: LogicalType | undefined): IcebergType {
  if (logicalType?.name === 'decimal') return { type: 'decimal', precision: logicalType.precision, scale: logicalType.scale };
  if (logicalType?.name === 'uuid') return { type: 'uuid' };
  return { type: 'fixed', length: size };
}
