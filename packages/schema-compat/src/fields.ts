/**
 * Field listing and field references: a reference is a dotted path ('payload.customer_id')
 * or a bare name that matches exactly one leaf field.
 */

import { describeType } from './describe';
import { dereference, type AvroField, type AvroSchema, type RecordSchema } from './model';

export interface AvroFieldInfo {
  /** Dotted path of field names from the top-level record, e.g. 'payload.customer_id'. */
  path: string;
  name: string;
  /** Display type, e.g. 'string', 'long (timestamp-millis)', 'record Payload', 'union [null, string]'. */
  type: string;
  /** No fields are listed below this one. */
  leaf: boolean;
  /** The field's type is null or a union with a null branch. */
  nullable: boolean;
}

export type FieldRefResolution =
  | { ok: true; field: AvroFieldInfo }
  | { ok: false; reason: 'not-found' | 'ambiguous'; candidates: string[] };

/**
 * Every field at every depth, depth-first in declaration order. Records reached through
 * nullable unions (null plus one other branch), arrays and maps are descended; a record
 * already being listed higher up the path (recursion) is not descended again.
 */
export function listFields(schema: AvroSchema): AvroFieldInfo[] {
  const fields: AvroFieldInfo[] = [];
  walkFields(schema, (path, field, leaf) => fields.push({ path, name: field.name, type: describeType(field.type), leaf, nullable: isNullable(field.type) }));
  return fields;
}

/** Visits every field at every depth, in `listFields` order, with its Avro node (`field.type`). */
export function walkFields(schema: AvroSchema, visit: (path: string, field: AvroField, leaf: boolean) => void): void {
  const root = recordBelow(schema);
  if (!root) return;
  const onPath = new Set<RecordSchema>([root]);
  const walk = (record: RecordSchema, prefix: string): void => {
    for (const field of record.fields) {
      const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
      const nested = recordBelow(field.type);
      visit(path, field, nested === undefined);
      if (nested && !onPath.has(nested)) {
        onPath.add(nested);
        walk(nested, path);
        onPath.delete(nested);
      }
    }
  };
  walk(root, '');
}

/**
 * A schema's field paths and which are leaves: all a field lookup needs, as plain data that
 * can cross a thread boundary without the schema.
 */
export interface FieldTable {
  readonly paths: readonly string[];
  /** 1 where the field at the same position is a leaf. */
  readonly leaf: Uint8Array;
}

export function fieldTableOf(schema: AvroSchema): FieldTable {
  const paths: string[] = [];
  const leaves: number[] = [];
  walkFields(schema, (path, _field, leaf) => {
    paths.push(path);
    leaves.push(leaf ? 1 : 0);
  });
  return { paths, leaf: Uint8Array.from(leaves) };
}

export type FieldLookup = { ok: true; path: string } | { ok: false; reason: 'not-found' | 'ambiguous'; candidates: string[] };

/**
 * Resolves a field reference in a field table: an exact dotted path first; otherwise a bare
 * name matching exactly one leaf by its last segment. 'ambiguous' lists the matching paths;
 * 'not-found' lists close names (same name in another case, or at most two edits away)
 * unless `suggest: false` asks only for the verdict. A scan, not an index: a schema is
 * looked up a few times per validation, and building an index costs more than those scans.
 */
export function lookupField(table: FieldTable, ref: string, options: { suggest?: boolean } = {}): FieldLookup {
  const { paths, leaf } = table;
  if (paths.includes(ref)) return { ok: true, path: ref };
  if (!ref.includes('.')) {
    const suffix = `.${ref}`;
    const leaves: string[] = [];
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      if (leaf[i] && path.endsWith(suffix)) leaves.push(path);
    }
    if (leaves.length === 1) return { ok: true, path: leaves[0]! };
    if (leaves.length > 1) return { ok: false, reason: 'ambiguous', candidates: leaves };
  }
  return { ok: false, reason: 'not-found', candidates: options.suggest === false ? [] : closeFieldPaths(paths, ref) };
}

/** Resolves a field reference in a schema, with `lookupField`'s rules. */
export function resolveFieldRef(schema: AvroSchema, ref: string, options: { suggest?: boolean } = {}): FieldRefResolution {
  const found = lookupField(fieldTableOf(schema), ref, options);
  return found.ok ? { ok: true, field: listFields(schema).find((field) => field.path === found.path)! } : found;
}

/** The record whose fields sit below a field of this type, looking through nullable unions, arrays and maps. */
export function recordBelow(schema: AvroSchema): RecordSchema | undefined {
  const resolved = dereference(schema);
  switch (resolved.type) {
    case 'record':
    case 'error':
      return resolved;
    case 'array':
      return recordBelow(resolved.items);
    case 'map':
      return recordBelow(resolved.values);
    case 'union': {
      const nonNull = resolved.branches.filter((branch) => branch.type !== 'null');
      return nonNull.length === 1 && resolved.branches.length === 2 ? recordBelow(nonNull[0]!) : undefined;
    }
    default:
      return undefined;
  }
}

function isNullable(schema: AvroSchema): boolean {
  return schema.type === 'null' || (schema.type === 'union' && schema.branches.some((branch) => branch.type === 'null'));
}

const MAX_SUGGESTIONS = 5;

function closeFieldPaths(paths: readonly string[], ref: string): string[] {
  const wanted = ref.toLowerCase();
  const wantedName = wanted.slice(wanted.lastIndexOf('.') + 1);
  return paths
    .filter((candidate) => {
      const path = candidate.toLowerCase();
      return path === wanted || withinEdits(path, wanted, 2) || withinEdits(path.slice(path.lastIndexOf('.') + 1), wantedName, 2);
    })
    .slice(0, MAX_SUGGESTIONS);
}

/** Whether the Levenshtein distance between a and b is at most `limit`. */
function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}
