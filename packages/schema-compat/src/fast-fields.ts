/**
 * The field table of a schema straight from its JSON, without building the typed model:
 * what a validator needs from each of thousands of schemas (is it valid Avro, and which
 * field paths does it have), at a fraction of `parseAvroJson` + `fieldTableOf`.
 *
 * It is a second reading of the same rules as `parse.ts`, so it is deliberately partial:
 * it answers only when it can prove the schema is one `parseAvroJson` accepts, and then
 * with exactly `fieldTableOf`'s table. Anything it would have to report (an error of any
 * kind) or does not model (a reference to a type defined later, a default for a record) makes
 * it answer `undefined`, and the caller parses the schema in full. The differential test
 * (fast-fields.test.ts) holds the two readings together.
 */

import { isJsonObject, isValidPrimitiveDefault } from './defaults';
import type { FieldTable } from './fields';
import { fullNameOf, isValidFullName, isValidName, PRIMITIVE_TYPE_NAMES } from './names';
import { DEFAULT_MAX_SCHEMA_DEPTH } from './parse';
import { defineTypeName } from './schema-nodes';

/** A record: its fields' names and types, in order. */
interface Rec {
  readonly kind: 'record';
  readonly name: string;
  readonly names: string[];
  readonly types: T[];
}
interface Enum {
  readonly kind: 'enum';
  readonly name: string;
  readonly symbols: readonly string[];
}
interface Fixed {
  readonly kind: 'fixed';
  readonly name: string;
}
interface Composite {
  readonly kind: 'array' | 'map';
  readonly of: T;
}
interface Union {
  readonly kind: 'union';
  readonly branches: readonly T[];
}
/** A type: a primitive's name, or a node. A reference is its (already defined) target. */
type T = string | Rec | Enum | Fixed | Composite | Union;

/** Thrown to give up: the caller parses in full. */
const GIVE_UP = Symbol('give up');

const MAX_DEFAULT_DEPTH = 64;

class FastReader {
  readonly named = new Map<string, Rec | Enum | Fixed>();

  constructor(private readonly maxDepth: number) {}

  type(json: unknown, namespace: string, depth: number): T {
    if (depth > this.maxDepth) throw GIVE_UP;
    if (typeof json === 'string') return this.typeName(json, namespace);
    if (Array.isArray(json)) return this.union(json, namespace, depth);
    if (!isJsonObject(json)) throw GIVE_UP;
    const type = json['type'];
    if (typeof type !== 'string') throw GIVE_UP;
    switch (type) {
      case 'record':
      case 'error':
        return this.record(json, type, namespace, depth);
      case 'enum':
        return this.enumType(json, namespace);
      case 'fixed':
        return this.fixed(json, namespace);
      case 'array':
      case 'map': {
        const inner = json[type === 'array' ? 'items' : 'values'];
        if (inner === undefined) throw GIVE_UP;
        return { kind: type, of: this.type(inner, namespace, depth + 1) };
      }
      default:
        // A primitive (a logical type never fails: an invalid one falls back to the primitive), or a name.
        return PRIMITIVE_TYPE_NAMES.has(type) ? type : this.typeName(type, namespace);
    }
  }

  private typeName(name: string, namespace: string): T {
    if (PRIMITIVE_TYPE_NAMES.has(name)) return name;
    if (!isValidFullName(name)) throw GIVE_UP;
    const target = this.named.get(name.includes('.') || namespace === '' ? name : fullNameOf(name, namespace)) ?? (name.includes('.') || namespace === '' ? undefined : this.named.get(name));
    // A name not defined yet (a forward reference, or an unknown type): the full parser decides.
    if (!target) throw GIVE_UP;
    return target;
  }

  private define(raw: Record<string, unknown>, kind: string, enclosing: string): { fullName: string; namespace: string } {
    const defined = defineTypeName(kind, raw['name'], raw['namespace'], enclosing, this.named);
    if ('problem' in defined) throw GIVE_UP;
    return defined;
  }

  private aliases(raw: unknown, qualify: boolean): void {
    if (raw === undefined) return;
    if (!Array.isArray(raw)) throw GIVE_UP;
    for (const alias of raw) if (typeof alias !== 'string' || !(qualify ? isValidFullName(alias) : isValidName(alias))) throw GIVE_UP;
  }

  private record(raw: Record<string, unknown>, kind: string, enclosing: string, depth: number): Rec {
    const { fullName, namespace } = this.define(raw, kind, enclosing);
    this.aliases(raw['aliases'], true);
    const record: Rec = { kind: 'record', name: fullName, names: [], types: [] };
    this.named.set(fullName, record);
    const fields = raw['fields'];
    if (!Array.isArray(fields)) throw GIVE_UP;
    const seen = new Set<string>();
    for (const field of fields) {
      if (!isJsonObject(field)) throw GIVE_UP;
      const name = field['name'];
      if (typeof name !== 'string' || !isValidName(name) || seen.has(name)) throw GIVE_UP;
      seen.add(name);
      const rawType = field['type'];
      if (rawType === undefined) throw GIVE_UP;
      const type = this.type(rawType, namespace, depth + 1);
      const order = field['order'];
      if (order !== undefined && order !== 'ascending' && order !== 'descending' && order !== 'ignore') throw GIVE_UP;
      this.aliases(field['aliases'], false);
      if ('default' in field && !validDefault(type, field['default'], 0)) throw GIVE_UP;
      record.names.push(name);
      record.types.push(type);
    }
    return record;
  }

  private enumType(raw: Record<string, unknown>, enclosing: string): Enum {
    const { fullName } = this.define(raw, 'enum', enclosing);
    const symbols = raw['symbols'];
    if (!Array.isArray(symbols)) throw GIVE_UP;
    const seen = new Set<string>();
    for (const symbol of symbols) {
      if (typeof symbol !== 'string' || !isValidName(symbol) || seen.has(symbol)) throw GIVE_UP;
      seen.add(symbol);
    }
    this.aliases(raw['aliases'], true);
    const enumDefault = raw['default'];
    if (enumDefault !== undefined && !(typeof enumDefault === 'string' && seen.has(enumDefault))) throw GIVE_UP;
    const schema: Enum = { kind: 'enum', name: fullName, symbols: symbols as string[] };
    this.named.set(fullName, schema);
    return schema;
  }

  private fixed(raw: Record<string, unknown>, enclosing: string): Fixed {
    const { fullName } = this.define(raw, 'fixed', enclosing);
    const size = raw['size'];
    if (!Number.isInteger(size) || (size as number) < 0) throw GIVE_UP;
    this.aliases(raw['aliases'], true);
    const schema: Fixed = { kind: 'fixed', name: fullName };
    this.named.set(fullName, schema);
    return schema;
  }

  private union(raw: unknown[], namespace: string, depth: number): Union {
    const branches: T[] = [];
    const keys = new Set<string>();
    for (const item of raw) {
      if (Array.isArray(item)) throw GIVE_UP;
      const branch = this.type(item, namespace, depth + 1);
      const key = typeof branch === 'string' ? branch : 'name' in branch ? branch.name : branch.kind;
      if (keys.has(key)) throw GIVE_UP;
      keys.add(key);
      branches.push(branch);
    }
    return { kind: 'union', branches };
  }
}

/** `isValidDefault` on the light types; a default for a record is left to the full parser. */
function validDefault(type: T, value: unknown, depth: number): boolean {
  if (depth > MAX_DEFAULT_DEPTH) return false;
  if (typeof type === 'string') return isValidPrimitiveDefault(type, value);
  switch (type.kind) {
    case 'fixed':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && type.symbols.includes(value);
    case 'array':
      return Array.isArray(value) && value.every((item) => validDefault(type.of, item, depth + 1));
    case 'map':
      return isJsonObject(value) && Object.values(value).every((item) => validDefault(type.of, item, depth + 1));
    case 'union':
      return type.branches.length > 0 && validDefault(type.branches[0]!, value, depth + 1);
    case 'record':
      throw GIVE_UP;
  }
}

/** The record whose fields sit below a field of this type (as `fields.ts` descends). */
function recordBelow(type: T): Rec | undefined {
  if (typeof type === 'string') return undefined;
  switch (type.kind) {
    case 'record':
      return type;
    case 'array':
    case 'map':
      return recordBelow(type.of);
    case 'union': {
      const { branches } = type;
      if (branches.length !== 2) return undefined;
      const nonNull = branches[0] === 'null' ? branches[1]! : branches[1] === 'null' ? branches[0]! : undefined;
      return nonNull === undefined ? undefined : recordBelow(nonNull);
    }
    default:
      return undefined;
  }
}

/**
 * `fieldTableOf(parseAvroJson(json).schema)` for a schema that parses without errors, or
 * undefined when this reading cannot prove it does (then parse it in full).
 */
export function fieldTableOfJson(json: unknown, options: { maxDepth?: number } = {}): FieldTable | undefined {
  let root: T;
  try {
    root = new FastReader(options.maxDepth ?? DEFAULT_MAX_SCHEMA_DEPTH).type(json, '', 0);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    // A stack overflow or the like: the full parser reports it its own way.
    return undefined;
  }
  const paths: string[] = [];
  const leaves: number[] = [];
  const top = recordBelow(root);
  if (top) {
    const onPath = new Set<Rec>([top]);
    const walk = (record: Rec, prefix: string): void => {
      const { names, types } = record;
      for (let i = 0; i < names.length; i++) {
        const path = prefix === '' ? names[i]! : `${prefix}.${names[i]!}`;
        const nested = recordBelow(types[i]!);
        paths.push(path);
        leaves.push(nested === undefined ? 1 : 0);
        if (nested && !onPath.has(nested)) {
          onPath.add(nested);
          walk(nested, path);
          onPath.delete(nested);
        }
      }
    };
    walk(top, '');
  }
  return { paths, leaf: Uint8Array.from(leaves) };
}
