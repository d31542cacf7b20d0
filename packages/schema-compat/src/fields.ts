/**
 * Field listing and field references: a reference is a dotted path ('payload.customer_id')
 * or a bare name that matches exactly one leaf field.
 */

import { describeType } from './describe';
import { dereference, type AvroSchema, type RecordSchema } from './model';

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
  return [...indexOf(schema).fields];
}

interface FieldIndex {
  readonly fields: readonly AvroFieldInfo[];
  readonly byPath: ReadonlyMap<string, AvroFieldInfo>;
  /** Leaf fields by their own name. */
  readonly leavesByName: ReadonlyMap<string, AvroFieldInfo[]>;
}

// Field references are resolved many times against the same schema (every consumer of a
// port, every quality rule): the listing and its lookups are built once per schema.
const indexes = new WeakMap<object, FieldIndex>();

function indexOf(schema: AvroSchema): FieldIndex {
  let index = indexes.get(schema);
  if (!index) {
    const fields: AvroFieldInfo[] = [];
    const root = recordBelow(schema);
    if (root) collectFields(root, '', new Set([root]), fields);
    const byPath = new Map<string, AvroFieldInfo>();
    const leavesByName = new Map<string, AvroFieldInfo[]>();
    for (const field of fields) {
      if (!byPath.has(field.path)) byPath.set(field.path, field);
      if (!field.leaf) continue;
      const same = leavesByName.get(field.name);
      if (same) same.push(field);
      else leavesByName.set(field.name, [field]);
    }
    index = { fields, byPath, leavesByName };
    indexes.set(schema, index);
  }
  return index;
}

function collectFields(record: RecordSchema, prefix: string, onPath: Set<RecordSchema>, out: AvroFieldInfo[]): void {
  for (const field of record.fields) {
    const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
    const nested = recordBelow(field.type);
    const fieldType = field.type;
    let shown: string | undefined;
    const info: AvroFieldInfo = {
      path,
      name: field.name,
      // Described on first use: most lookups never show a type.
      get type() {
        return (shown ??= describeType(fieldType));
      },
      leaf: nested === undefined,
      nullable: isNullable(fieldType),
    };
    out.push(info);
    if (nested && !onPath.has(nested)) {
      onPath.add(nested);
      collectFields(nested, path, onPath, out);
      onPath.delete(nested);
    }
  }
}

/** The record whose fields sit below a field of this type, looking through nullable unions, arrays and maps. */
function recordBelow(schema: AvroSchema): RecordSchema | undefined {
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

/**
 * Resolves a field reference: an exact dotted path first; otherwise a bare name matching
 * exactly one leaf by its last segment. 'ambiguous' lists the matching paths; 'not-found'
 * lists close names (same name in another case, or at most two edits away) unless
 * `suggest: false` asks only for the verdict.
 */
export function resolveFieldRef(schema: AvroSchema, ref: string, options: { suggest?: boolean } = {}): FieldRefResolution {
  const index = indexOf(schema);
  const exact = index.byPath.get(ref);
  if (exact) return { ok: true, field: exact };
  if (!ref.includes('.')) {
    const leaves = index.leavesByName.get(ref) ?? [];
    if (leaves.length === 1) return { ok: true, field: leaves[0]! };
    if (leaves.length > 1) return { ok: false, reason: 'ambiguous', candidates: leaves.map((field) => field.path) };
  }
  return { ok: false, reason: 'not-found', candidates: options.suggest === false ? [] : closeFieldPaths(index.fields, ref) };
}

const MAX_SUGGESTIONS = 5;

function closeFieldPaths(fields: readonly AvroFieldInfo[], ref: string): string[] {
  const wanted = ref.toLowerCase();
  const wantedName = wanted.slice(wanted.lastIndexOf('.') + 1);
  return fields
    .filter((field) => {
      const path = field.path.toLowerCase();
      return path === wanted || withinEdits(path, wanted, 2) || withinEdits(field.name.toLowerCase(), wantedName, 2);
    })
    .map((field) => field.path)
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
