/**
 * A schema with some fields taken out: what a reader that must not see them (PII) reads.
 */

import { fieldTableOf, lookupField, recordBelow } from './fields';
import { isJsonObject } from './defaults';
import type { AvroIssue, RecordSchema } from './model';
import { fullNameOf, namespaceOf, simpleNameOf } from './names';
import { parseAvroJson } from './parse';

export interface FieldRemoval {
  /** The schema JSON without the fields; absent when the input is not a valid schema. */
  readonly schema?: unknown;
  /** Dotted paths of the fields removed, one per reference that resolved. */
  readonly removed: readonly string[];
  /** References that name no field (or several leaves) of the schema: nothing was removed for them. */
  readonly unresolved: readonly string[];
  readonly errors: readonly AvroIssue[];
}

/**
 * The schema JSON without the fields the references name (each resolved as `lookupField`
 * does: an exact dotted path, or a bare name matching one leaf). A nested field is removed
 * from the record that declares it, through nullable unions, arrays and maps. A named record
 * is defined once in Avro, so a field removed from a record type used at several paths is
 * gone at all of them. The input is not modified.
 */
export function withoutFields(json: unknown, refs: readonly string[]): FieldRemoval {
  const parsed = parseAvroJson(json);
  if (!parsed.schema) return { removed: [], unresolved: [...refs], errors: parsed.errors };
  const table = fieldTableOf(parsed.schema);
  const drop = new Map<string, Set<string>>(); // record full name -> field names
  const removed: string[] = [];
  const unresolved: string[] = [];
  for (const ref of refs) {
    const found = lookupField(table, ref, { suggest: false });
    if (!found.ok) { unresolved.push(ref); continue; }
    const segments = found.path.split('.');
    let record: RecordSchema | undefined = recordBelow(parsed.schema);
    for (const name of segments.slice(0, -1)) record = recordBelow(record!.fields.find((f) => f.name === name)!.type);
    const names = drop.get(record!.name) ?? new Set<string>();
    names.add(segments[segments.length - 1]!);
    drop.set(record!.name, names);
    removed.push(found.path);
  }
  const copy = structuredClone(json);
  const edit = (node: unknown, namespace: string): void => {
    if (Array.isArray(node)) { for (const branch of node) edit(branch, namespace); return; }
    if (!isJsonObject(node)) return;
    const type = node.type;
    if (type === 'record' || type === 'error') {
      const name = node.name as string;
      const ns = name.includes('.') ? namespaceOf(name) : typeof node.namespace === 'string' ? node.namespace : namespace;
      const names = drop.get(fullNameOf(simpleNameOf(name), ns));
      let fields = node.fields as { name: string; type: unknown }[];
      if (names) node.fields = fields = fields.filter((f) => !names.has(f.name));
      for (const field of fields) edit(field.type, ns);
    } else if (type === 'array') edit(node.items, namespace);
    else if (type === 'map') edit(node.values, namespace);
    else if (typeof type === 'object') edit(type, namespace);
  };
  edit(copy, '');
  return { schema: copy, removed, unresolved, errors: [] };
}
