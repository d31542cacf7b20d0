/**
 * Parses and validates an Avro schema (JSON text) into the typed model, per the Avro
 * specification. Never throws: every problem is an issue with its JSON path. Bounded on
 * hostile input: the text length, the nesting depth and the number of issues are capped.
 */

import { isJsonObject, isValidDefault } from './defaults';
import { findJsonSyntaxError } from './json-syntax';
import { parseLogicalType } from './logical-types';
import type {
  AvroField,
  AvroIssue,
  AvroSchema,
  EnumSchema,
  FixedSchema,
  JsonPath,
  NamedSchema,
  RecordSchema,
  UnionSchema,
} from './model';
import { NO_ALIASES, PRIMITIVES, Reference, defineTypeName, describeJson, isSelfContained, unionBranchKey } from './schema-nodes';
import { fullNameOf, isValidFullName, isValidName } from './names';

export interface ParseOptions {
  /** Longest text accepted, in characters. */
  maxLength?: number;
  /** Deepest nesting of schemas accepted. */
  maxDepth?: number;
}

export interface ParseResult {
  /** Present only when there are no errors. */
  schema?: AvroSchema;
  errors: AvroIssue[];
}

export const DEFAULT_MAX_SCHEMA_LENGTH = 4 * 1024 * 1024;
export const DEFAULT_MAX_SCHEMA_DEPTH = 100;
const MAX_ISSUES = 100;

export function parseAvro(text: string, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string') return { errors: [{ message: 'the schema text is not a string', jsonPath: [] }] };
  const maxLength = options.maxLength ?? DEFAULT_MAX_SCHEMA_LENGTH;
  if (text.length > maxLength) {
    return { errors: [{ message: `the schema is ${text.length} characters long; at most ${maxLength} are accepted`, jsonPath: [] }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const syntaxError = findJsonSyntaxError(text) ?? { message: 'invalid JSON', offset: 0 };
    return { errors: [{ message: `JSON syntax error: ${syntaxError.message}`, jsonPath: [], offset: syntaxError.offset }] };
  }
  return parseAvroJson(json, options);
}

/** Parses a schema that is already a JSON value (e.g. embedded in another document). */
export function parseAvroJson(json: unknown, options: ParseOptions = {}): ParseResult {
  const parser = new SchemaParser(options.maxDepth ?? DEFAULT_MAX_SCHEMA_DEPTH);
  const schema = parser.parseDocument(json);
  return parser.errors.length === 0 && schema ? { schema, errors: [] } : { errors: parser.errors };
}

interface PendingReference {
  reference: Reference;
  candidates: string[];
  path: JsonPath;
}

interface PendingDefault {
  field: AvroField;
  path: JsonPath;
}

class SchemaParser {
  readonly errors: AvroIssue[] = [];
  private readonly named = new Map<string, NamedSchema>();
  private readonly pendingReferences: PendingReference[] = [];
  private readonly pendingDefaults: PendingDefault[] = [];
  /** The JSON path of the node being parsed; copied only when an issue is recorded. */
  private readonly path: JsonPath = [];
  private depthExceeded = false;

  constructor(private readonly maxDepth: number) {}

  parseDocument(json: unknown): AvroSchema | undefined {
    const schema = this.parseSchema(json, '', 0);
    this.resolvePendingReferences();
    if (this.pendingReferences.every((pending) => pending.reference.isResolved)) this.checkPendingDefaults();
    return schema;
  }

  private fail(message: string, ...relative: (string | number)[]): undefined {
    if (this.errors.length < MAX_ISSUES) this.errors.push({ message, jsonPath: [...this.path, ...relative] });
    return undefined;
  }

  private parseSchema(json: unknown, namespace: string, depth: number): AvroSchema | undefined {
    if (depth > this.maxDepth) {
      if (!this.depthExceeded) this.fail(`schemas are nested deeper than ${this.maxDepth} levels`);
      this.depthExceeded = true;
      return undefined;
    }
    if (typeof json === 'string') return this.parseTypeName(json, namespace);
    if (Array.isArray(json)) return this.parseUnion(json, namespace, depth);
    if (isJsonObject(json)) return this.parseSchemaObject(json, namespace, depth);
    return this.fail(`expected a type name, a schema object or a union array, found ${describeJson(json)}`);
  }

  private parseTypeName(name: string, namespace: string): AvroSchema | undefined {
    const primitive = PRIMITIVES.get(name);
    if (primitive) return primitive;
    if (!isValidFullName(name)) return this.fail(`'${name}' is not a valid type name`);
    const candidates = name.includes('.') || namespace === '' ? [name] : [fullNameOf(name, namespace), name];
    for (const candidate of candidates) {
      const target = this.named.get(candidate);
      if (target) return new Reference(candidate, target);
    }
    const reference = new Reference(candidates[0]!, undefined);
    this.pendingReferences.push({ reference, candidates, path: [...this.path] });
    return reference;
  }

  private parseSchemaObject(raw: Record<string, unknown>, namespace: string, depth: number): AvroSchema | undefined {
    const type = raw['type'];
    if (type === undefined) return this.fail("a schema object needs a 'type'", 'type');
    if (typeof type !== 'string') return this.fail(`'type' must be a string naming a type, found ${describeJson(type)}`, 'type');
    switch (type) {
      case 'record':
      case 'error':
        return this.parseRecord(raw, type, namespace, depth);
      case 'enum':
        return this.parseEnum(raw, namespace);
      case 'fixed':
        return this.parseFixed(raw, namespace);
      case 'array':
        return this.parseArray(raw, namespace, depth);
      case 'map':
        return this.parseMap(raw, namespace, depth);
      default: {
        const primitive = PRIMITIVES.get(type);
        if (!primitive) return this.parseTypeName(type, namespace);
        if (raw['logicalType'] === undefined) return primitive;
        const logicalType = parseLogicalType(raw, primitive);
        return logicalType ? { type: primitive.type, logicalType } : primitive;
      }
    }
  }

  /** Validates and registers the name of a named type; returns its full name and namespace. */
  private defineName(raw: Record<string, unknown>, kind: string, enclosingNamespace: string): { fullName: string; namespace: string } | undefined {
    const defined = defineTypeName(kind, raw['name'], raw['namespace'], enclosingNamespace, this.named);
    return 'problem' in defined ? this.fail(defined.problem, defined.key) : defined;
  }

  private parseAliases(raw: unknown, namespace: string, qualify: boolean): readonly string[] {
    if (raw === undefined) return NO_ALIASES;
    if (!Array.isArray(raw)) {
      this.fail(`'aliases' must be an array of names, found ${describeJson(raw)}`, 'aliases');
      return [];
    }
    const aliases: string[] = [];
    raw.forEach((alias, index) => {
      const valid = typeof alias === 'string' && (qualify ? isValidFullName(alias) : isValidName(alias));
      if (!valid) this.fail(`alias ${JSON.stringify(alias)} is not a valid name`, 'aliases', index);
      else aliases.push(qualify ? fullNameOf(alias, namespace) : alias);
    });
    return aliases;
  }

  private parseRecord(raw: Record<string, unknown>, type: 'record' | 'error', enclosingNamespace: string, depth: number): RecordSchema | undefined {
    const defined = this.defineName(raw, type, enclosingNamespace);
    if (!defined) return undefined;
    const record: RecordSchema = { type, name: defined.fullName, aliases: this.parseAliases(raw['aliases'], defined.namespace, true), fields: [] };
    if (defined.namespace !== '') record.namespace = defined.namespace;
    if (typeof raw['doc'] === 'string') record.doc = raw['doc'];
    this.named.set(defined.fullName, record);

    const fields = raw['fields'];
    if (!Array.isArray(fields)) return this.fail(`a record needs 'fields' (an array), found ${describeJson(fields)}`, 'fields');
    const fieldNames = new Set<string>();
    this.path.push('fields', 0);
    for (let index = 0; index < fields.length; index++) {
      this.path[this.path.length - 1] = index;
      const field = this.parseField(fields[index], fieldNames, defined.namespace, depth);
      if (field) record.fields.push(field);
    }
    this.path.length -= 2;
    return record;
  }

  private parseField(raw: unknown, fieldNames: Set<string>, namespace: string, depth: number): AvroField | undefined {
    if (!isJsonObject(raw)) return this.fail(`a field must be an object, found ${describeJson(raw)}`);
    const name = raw['name'];
    if (typeof name !== 'string') return this.fail("a field needs a 'name' (a string)", 'name');
    if (!isValidName(name)) this.fail(`'${name}' is not a valid field name: names match [A-Za-z_][A-Za-z0-9_]*`, 'name');
    else if (fieldNames.has(name)) this.fail(`duplicate field name '${name}'`, 'name');
    fieldNames.add(name);
    if (raw['type'] === undefined) return this.fail(`field '${name}' needs a 'type'`, 'type');

    this.path.push('type');
    const type = this.parseSchema(raw['type'], namespace, depth + 1);
    this.path.pop();
    if (!type) return undefined;

    const doc = raw['doc'];
    const order = raw['order'];
    const hasDefault = 'default' in raw;
    // Every field gets the same properties in the same order: one object shape keeps the checks fast.
    const field: AvroField = {
      name,
      type,
      default: raw['default'],
      hasDefault,
      aliases: this.parseAliases(raw['aliases'], namespace, false),
      doc: typeof doc === 'string' ? doc : undefined,
      order: order === 'ascending' || order === 'descending' || order === 'ignore' ? order : undefined,
    };
    if (order !== undefined && field.order === undefined) {
      this.fail(`'order' must be ascending, descending or ignore, found ${describeJson(order)}`, 'order');
    }
    if (hasDefault) {
      if (isSelfContained(type)) this.checkDefault(field, this.path);
      else this.pendingDefaults.push({ field, path: [...this.path] });
    }
    return field;
  }

  private parseEnum(raw: Record<string, unknown>, enclosingNamespace: string): EnumSchema | undefined {
    const defined = this.defineName(raw, 'enum', enclosingNamespace);
    if (!defined) return undefined;
    const symbols = raw['symbols'];
    if (!Array.isArray(symbols)) return this.fail(`an enum needs 'symbols' (an array of names), found ${describeJson(symbols)}`, 'symbols');
    const seen = new Set<string>();
    symbols.forEach((symbol, index) => {
      if (typeof symbol !== 'string' || !isValidName(symbol)) this.fail(`enum symbol ${JSON.stringify(symbol)} is not a valid name`, 'symbols', index);
      else if (seen.has(symbol)) this.fail(`duplicate enum symbol '${symbol}'`, 'symbols', index);
      else seen.add(symbol);
    });
    const schema: EnumSchema = { type: 'enum', name: defined.fullName, aliases: this.parseAliases(raw['aliases'], defined.namespace, true), symbols: symbols as string[] };
    if (defined.namespace !== '') schema.namespace = defined.namespace;
    if (typeof raw['doc'] === 'string') schema.doc = raw['doc'];
    const enumDefault = raw['default'];
    if (enumDefault !== undefined) {
      if (typeof enumDefault === 'string' && seen.has(enumDefault)) schema.default = enumDefault;
      else this.fail(`the enum default ${JSON.stringify(enumDefault)} is not one of its symbols`, 'default');
    }
    this.named.set(defined.fullName, schema);
    return schema;
  }

  private parseFixed(raw: Record<string, unknown>, enclosingNamespace: string): FixedSchema | undefined {
    const defined = this.defineName(raw, 'fixed', enclosingNamespace);
    if (!defined) return undefined;
    const size = raw['size'];
    if (!Number.isInteger(size) || (size as number) < 0) {
      return this.fail(`a fixed needs a 'size' that is a non-negative integer, found ${describeJson(size)}`, 'size');
    }
    const schema: FixedSchema = { type: 'fixed', name: defined.fullName, aliases: this.parseAliases(raw['aliases'], defined.namespace, true), size: size as number };
    if (defined.namespace !== '') schema.namespace = defined.namespace;
    if (typeof raw['doc'] === 'string') schema.doc = raw['doc'];
    const logicalType = parseLogicalType(raw, schema);
    if (logicalType) schema.logicalType = logicalType;
    this.named.set(defined.fullName, schema);
    return schema;
  }

  private parseArray(raw: Record<string, unknown>, namespace: string, depth: number): AvroSchema | undefined {
    if (raw['items'] === undefined) return this.fail("an array needs 'items'", 'items');
    this.path.push('items');
    const items = this.parseSchema(raw['items'], namespace, depth + 1);
    this.path.pop();
    return items && { type: 'array', items };
  }

  private parseMap(raw: Record<string, unknown>, namespace: string, depth: number): AvroSchema | undefined {
    if (raw['values'] === undefined) return this.fail("a map needs 'values'", 'values');
    this.path.push('values');
    const values = this.parseSchema(raw['values'], namespace, depth + 1);
    this.path.pop();
    return values && { type: 'map', values };
  }

  private parseUnion(raw: unknown[], namespace: string, depth: number): UnionSchema | undefined {
    const branches: AvroSchema[] = [];
    const seen = new Set<string>();
    let valid = true;
    this.path.push(0);
    for (let index = 0; index < raw.length; index++) {
      this.path[this.path.length - 1] = index;
      if (Array.isArray(raw[index])) {
        this.fail('a union may not directly contain another union');
        valid = false;
        continue;
      }
      const branch = this.parseSchema(raw[index], namespace, depth + 1);
      if (!branch) {
        valid = false;
        continue;
      }
      const key = unionBranchKey(branch);
      if (seen.has(key)) {
        this.fail(`a union may not contain two branches of the same type (${key})`);
        valid = false;
      }
      seen.add(key);
      branches.push(branch);
    }
    this.path.pop();
    return valid ? { type: 'union', branches } : undefined;
  }

  private resolvePendingReferences(): void {
    for (const { reference, candidates, path } of this.pendingReferences) {
      const target = candidates.map((candidate) => this.named.get(candidate)).find((schema) => schema !== undefined);
      if (target) reference.resolveTo(target);
      else if (this.errors.length < MAX_ISSUES) this.errors.push({ message: `unknown type '${candidates[0]}': no such named type is defined`, jsonPath: path });
    }
  }

  private checkPendingDefaults(): void {
    for (const { field, path } of this.pendingDefaults) this.checkDefault(field, path);
  }

  /** `fieldPath` is the JSON path of the field. */
  private checkDefault(field: AvroField, fieldPath: JsonPath): void {
    if (isValidDefault(field.type, field.default) || this.errors.length >= MAX_ISSUES) return;
    const unionNote = field.type.type === 'union' ? ' (for a union, its first branch)' : '';
    this.errors.push({ message: `the default of field '${field.name}' does not match its type${unionNote}`, jsonPath: [...fieldPath, 'default'] });
  }
}
